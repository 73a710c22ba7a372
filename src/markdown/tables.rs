//! Table cells with their column's alignment as a class (`align-left|center|right`):
//! pulldown-cmark writes a `style` attribute, which the pages' CSP blocks.

use pulldown_cmark::{Alignment, Event, Tag, TagEnd};

/// Where the writer is in the current table.
#[derive(Debug, Default)]
pub(super) struct TableCells {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl TableCells {
    /// The event to write in place of a table, row or cell event. The table itself reaches
    /// pulldown-cmark without alignments, so it writes none; the cells are written here.
    pub(super) fn transform<'e>(&mut self, event: Event<'e>) -> Event<'e> {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.alignments = alignments;
                Event::Start(Tag::Table(Vec::new()))
            }
            Event::Start(Tag::TableHead) => {
                (self.in_head, self.column) = (true, 0);
                Event::Start(Tag::TableHead)
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                Event::End(TagEnd::TableHead)
            }
            Event::Start(Tag::TableRow) => {
                self.column = 0;
                Event::Start(Tag::TableRow)
            }
            Event::Start(Tag::TableCell) => Event::Html(self.cell_open().into()),
            Event::End(TagEnd::TableCell) => {
                self.column += 1;
                Event::Html(if self.in_head { "</th>" } else { "</td>" }.into())
            }
            other => other,
        }
    }

    fn cell_open(&self) -> String {
        let tag = if self.in_head { "th" } else { "td" };
        let class = match self.alignments.get(self.column) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        format!("<{tag}{class}>")
    }
}
