//! The event stream of a chapter, rewritten: headings get ids, a paragraph that is only a
//! block directive becomes the block, task items become checkboxes, and every other event
//! passes through [`State::transform`].

use pulldown_cmark::{Event, Tag, TagEnd};

use super::state::State;

type Source<'e> = std::iter::Peekable<std::vec::IntoIter<(Event<'e>, usize)>>;

/// The events to hand to `push_html`. `source` pairs each event with its byte offset.
pub(super) fn rewrite<'e>(
    source: Vec<(Event<'e>, usize)>,
    state: &mut State<'_>,
) -> Vec<Event<'e>> {
    let mut events = Vec::with_capacity(source.len());
    let mut source = source.into_iter().peekable();
    while let Some((event, offset)) = source.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let inner: Vec<Event<'e>> =
                    take_until(&mut source, |e| matches!(e, Event::End(TagEnd::Heading(_))))
                        .into_iter()
                        .map(|(e, o)| state.transform(e, o))
                        .collect();
                source.next(); // the heading's end
                state.emit_heading(level, id, inner, &mut events);
            }
            Event::Start(Tag::Paragraph) => {
                let inner = take_until(&mut source, |e| matches!(e, Event::End(TagEnd::Paragraph)));
                source.next(); // the paragraph's end
                paragraph(inner, state, &mut events);
            }
            Event::TaskListMarker(done) => {
                // A tight task-list item: its text runs to the end of the item or a sub-list.
                let inner = take_until(&mut source, |e| {
                    matches!(e, Event::End(TagEnd::Item) | Event::Start(Tag::List(_)))
                });
                state.task_item(done, offset, inner, &mut events);
            }
            other => {
                let e = state.transform(other, offset);
                events.push(e);
            }
        }
    }
    events
}

/// The events before the first one that `end` matches (which stays in `source`).
fn take_until<'e>(
    source: &mut Source<'e>,
    end: impl Fn(&Event<'e>) -> bool,
) -> Vec<(Event<'e>, usize)> {
    let mut inner = Vec::new();
    while let Some(next) = source.next_if(|(e, _)| !end(e)) {
        inner.push(next);
    }
    inner
}

/// A paragraph's events, `inner` without its start and end. A paragraph that is only a block
/// directive becomes the block's HTML.
fn paragraph<'e>(
    inner: Vec<(Event<'e>, usize)>,
    state: &mut State<'_>,
    events: &mut Vec<Event<'e>>,
) {
    if let Some(html) = state.block_directive(&inner) {
        events.push(Event::Html(html.into()));
        return;
    }
    events.push(Event::Start(Tag::Paragraph));
    match inner.split_first() {
        // A loose task-list item: the marker opens its paragraph.
        Some(((Event::TaskListMarker(done), o), rest)) => {
            state.task_item(*done, *o, rest.to_vec(), events);
        }
        _ => {
            for (e, o) in inner {
                let e = state.transform(e, o);
                events.push(e);
            }
        }
    }
    events.push(Event::End(TagEnd::Paragraph));
}
