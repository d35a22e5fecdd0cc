//! What the EPUB edition changes in a text's own events (`BodyOptions::book`): raw HTML is
//! shown as text, since a book's XHTML must be well-formed and raw HTML need not be; a task
//! list's boxes are characters, since a reading system shows no form controls (and a box with
//! no label is no control to a screen reader).

use super::Renderer;
use crate::markdown::html_as_text;
use pulldown_cmark::Event;

impl Renderer<'_> {
    /// `e`, one of the text's own events, as the page shows it.
    pub(super) fn as_written<'e>(&self, e: Event<'e>) -> Event<'e> {
        if !self.opts.book {
            return e;
        }
        match html_as_text(e) {
            Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
            other => other,
        }
    }
}
