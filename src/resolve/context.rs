//! What an entry page shows of a glossary occurrence, made as a document is resolved.

use crate::concat::cat;

const CONTEXT_CHARS: usize = 60;

/// What an entry page shows of an occurrence: the words around it and the occurrence itself,
/// each on one line (white space collapsed), in one string. Made when the document is
/// resolved, so that a built site keeps these few words of each document instead of the
/// text of every block that holds an occurrence.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Context {
    text: Box<str>,
    /// Where the occurrence starts and ends in `text`.
    at: (usize, usize),
}

impl Context {
    /// The context of `range` in a block's reading text: the last `CONTEXT_CHARS`
    /// characters before it, from a word's start, and the first after it, up to a word's end;
    /// `…` where the text goes on.
    pub fn of(text: &str, range: std::ops::Range<usize>) -> Context {
        let before = &text[..range.start];
        let after = &text[range.end..];
        let before: String = {
            let cut = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
            let s = &before[cut..];
            match s.find(' ') {
                Some(i) if cut > 0 => cat!["…", &s[i..]],
                _ => s.to_owned(),
            }
        };
        let after: String = {
            let end = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(i, _)| i);
            let s = &after[..end];
            match s.rfind(' ') {
                Some(i) if end < after.len() => cat![&s[..i], "…"],
                _ => s.to_owned(),
            }
        };
        let fold = crate::text::collapse;
        let lead = if before.ends_with(char::is_whitespace) { " " } else { "" };
        let trail = if after.starts_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let (before, quote, after) = (fold(&before), fold(&text[range]), fold(&after));
        let start = before.len() + lead.len();
        let end = start + quote.len();
        Context {
            text: cat![before, lead, quote, trail, after].into_boxed_str(),
            at: (start, end),
        }
    }

    /// The words before, the occurrence, the words after.
    pub fn parts(&self) -> (&str, &str, &str) {
        let (start, end) = self.at;
        (&self.text[..start], &self.text[start..end], &self.text[end..])
    }
}

#[cfg(test)]
mod tests {
    use super::Context;

    #[test]
    fn a_context_is_whole_words_around_the_occurrence_on_one_line() {
        let before = "Wort ".repeat(20);
        let text = format!("{before}die  Krim\nam Meer, {}", "und weiter ".repeat(10));
        let start = before.len() + "die  ".len();
        let c = Context::of(&text, start..start + "Krim\nam".len());
        let (b, quote, a) = c.parts();
        // It starts at the first space of the last 60 characters, so never inside a word.
        assert_eq!(b, "… Wort Wort Wort Wort Wort Wort Wort Wort Wort Wort die ");
        assert_eq!(quote, "Krim am");
        // It ends at the last space of the first 60 characters after.
        assert_eq!(a, " Meer, und weiter und weiter und weiter und weiter und…");
        assert!(a.chars().count() <= 62, "{a}");
    }

    #[test]
    fn a_context_at_the_edges_of_a_block_has_no_ellipsis() {
        let c = Context::of("Krim am Meer", 0.."Krim".len());
        assert_eq!(c.parts(), ("", "Krim", " am Meer"));
    }
}
