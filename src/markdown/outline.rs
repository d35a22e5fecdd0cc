//! The levels a text's own headings are shown at. A page's outline may not skip a level (the
//! Nu HTML checker and screen readers read `h1` then `h3` as a missing section), and the page
//! already has its `<h1>`: the document's title. So a text's headings are shifted: its first
//! heading is shown at the level the page gives it, and each heading after it at most one level
//! deeper than the heading it follows. Only the level changes: the text, the id and the
//! heading's place in the reading text stay as written.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// The level a page gives the first heading of a document's or an extra page's body, and of a
/// glossary definition: right under the page's `<h1>` (the title, or the entry's term).
pub(crate) const BODY_BASE: u8 = 2;

/// The level a page gives the first heading of a note in the list of notes at the end of the
/// text: under that list's own heading, an `<h2>` in the default theme's templates.
pub(crate) const ENDNOTE_BASE: u8 = 3;

/// The headings of one text as they go by, and the level each is shown at.
#[derive(Clone, Debug)]
pub(crate) struct Outline {
    /// The level the text's outermost headings are shown at.
    base: u8,
    /// The headings a next heading may go under, outermost first: (written level, shown level).
    open: Vec<(u8, u8)>,
}

impl Outline {
    pub(crate) fn new(base: u8) -> Self {
        Outline {
            base: base.clamp(1, 6),
            open: Vec::new(),
        }
    }

    /// The level a heading written at `written` is shown at. It goes under the nearest heading
    /// before it written at a higher level (a smaller number), one level below that one's shown
    /// level; with none, at the base. Never deeper than `h6`.
    pub(crate) fn shown(&mut self, written: u8) -> u8 {
        while self.open.last().is_some_and(|&(w, _)| w >= written) {
            self.open.pop();
        }
        let shown = self.open.last().map_or(self.base, |&(_, s)| (s + 1).min(6));
        self.open.push((written, shown));
        shown
    }

    /// The level of the last heading shown, or the level above the base before the first one:
    /// the section the text is in at this point.
    pub(crate) fn current(&self) -> u8 {
        self.open.last().map_or(self.base - 1, |&(_, s)| s)
    }

    /// The base for a text that stands here (a note after a block): its headings go under the
    /// current section, so that neither they nor the heading after them skip a level.
    pub(crate) fn inner_base(&self) -> u8 {
        (self.current() + 1).min(6)
    }

    /// A heading's start or end event at its shown level; any other event as it is. A heading's
    /// end takes the level its start was shown at (headings do not nest).
    pub(crate) fn event<'e>(&mut self, e: Event<'e>) -> Event<'e> {
        match e {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: heading_level(self.shown(level as u8)),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(heading_level(self.current()))),
            other => other,
        }
    }
}

fn heading_level(n: u8) -> HeadingLevel {
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(base: u8, written: &[u8]) -> Vec<u8> {
        let mut outline = Outline::new(base);
        written.iter().map(|&w| outline.shown(w)).collect()
    }

    #[test]
    fn a_well_formed_outline_under_the_title_is_left_as_it_is() {
        assert_eq!(shown(2, &[2, 3, 3, 2, 3, 4]), [2, 3, 3, 2, 3, 4]);
    }

    #[test]
    fn a_skipped_level_closes_up() {
        // `#` then `###`, as a project README has it.
        assert_eq!(shown(2, &[1, 3, 3, 2]), [2, 3, 3, 3]);
        assert_eq!(shown(2, &[2, 4, 6, 4]), [2, 3, 4, 3]);
    }

    #[test]
    fn a_text_that_starts_deep_starts_at_the_base() {
        assert_eq!(shown(2, &[3, 4, 3, 2, 3]), [2, 3, 2, 2, 3]);
        assert_eq!(shown(2, &[6]), [2]);
    }

    #[test]
    fn level_one_headings_never_stand_beside_the_title() {
        assert_eq!(shown(2, &[1, 1, 2]), [2, 2, 3]);
    }

    #[test]
    fn levels_stop_at_six() {
        assert_eq!(shown(2, &[1, 2, 3, 4, 5, 6]), [2, 3, 4, 5, 6, 6]);
        assert_eq!(shown(6, &[1, 2]), [6, 6]);
    }

    #[test]
    fn a_note_goes_under_the_section_it_stands_in() {
        let mut outline = Outline::new(2);
        assert_eq!(outline.inner_base(), 2, "before any heading: under the title");
        outline.shown(1);
        outline.shown(3);
        assert_eq!((outline.current(), outline.inner_base()), (3, 4));
    }

    #[test]
    fn a_heading_ends_at_the_level_it_started() {
        let mut outline = Outline::new(2);
        let start = Event::Start(Tag::Heading {
            level: HeadingLevel::H4,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        });
        assert!(matches!(
            outline.event(start),
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            })
        ));
        let end = outline.event(Event::End(TagEnd::Heading(HeadingLevel::H4)));
        assert_eq!(end, Event::End(TagEnd::Heading(HeadingLevel::H2)));
    }
}
