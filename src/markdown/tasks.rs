//! GFM task-list items: with a trailing `{#id}` they become checkboxes the reader can tick.

use pulldown_cmark::Event;

use super::state::State;
use super::{TaskItem, blocks};

impl State<'_> {
    /// A task-list item. With a trailing `{#id}` it becomes a real checkbox the reader can tick
    /// (saved under that stable id); without one it stays a static box.
    pub(super) fn task_item<'e>(
        &mut self,
        done: bool,
        offset: usize,
        mut inner: Vec<(Event<'e>, usize)>,
        out: &mut Vec<Event<'e>>,
    ) {
        let id = match inner
            .iter_mut()
            .rev()
            .find(|(e, _)| matches!(e, Event::Text(_)))
        {
            Some((Event::Text(text), _)) => match blocks::trailing_id(text) {
                Some((kept, id)) => {
                    let id = id.to_owned();
                    *text = kept.trim_end().to_owned().into();
                    Some(id)
                }
                None => None,
            },
            _ => None,
        };
        let Some(id) = id else {
            out.push(Event::InlineHtml(blocks::task_marker(done).into()));
            for (e, o) in inner {
                let e = self.transform(e, o);
                out.push(e);
            }
            return;
        };
        let plain: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                Event::SoftBreak => Some(" "),
                _ => None,
            })
            .collect();
        let input_id = format!("{}task-{id}", self.id_prefix);
        self.all_ids.push(input_id.clone());
        out.push(Event::InlineHtml(
            blocks::task_input(&input_id, &id, &plain, done).into(),
        ));
        for (e, o) in inner {
            let e = self.transform(e, o);
            out.push(e);
        }
        out.push(Event::InlineHtml("</label>".into()));
        self.tasks.push(TaskItem {
            id,
            text: plain,
            offset,
        });
    }
}
