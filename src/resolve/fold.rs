//! Whitespace and quotation-mark folding for quote matching.
//!
//! Matching is exact except that any run of whitespace matches any run, a straight `"` matches
//! „ “ ” « » and a straight `'` matches ‚ ‘ ’. We search a canonical form of both sides
//! (whitespace runs → one space, every quotation mark → its straight form) with a fast
//! substring search, then confirm each candidate strictly when the quote itself contains a
//! typographic mark (which must match exactly). A match must also start and end between two
//! characters as a reader sees them ([`is_cluster_boundary`]): `Cafe` is not found in `Café`
//! written with a combining accent. Nothing is normalised (NFC, NFD): a quote matches the text
//! as it is spelled, and the message for one that is not found says when only normalisation differs.

/// A folded string, and the way back to byte offsets in the original.
pub struct Folded {
    pub text: String,
    /// The points where folding changes the distance between folded and original offsets,
    /// `(folded, original)`, in order: a folded offset lies as far past the original offset of
    /// the last point at or before it as it lies past that point's folded offset. Most text has
    /// none (single spaces, no typographic marks) or a few.
    jumps: Vec<(u32, u32)>,
}

pub fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '„' | '“' | '”' | '«' | '»')
}

pub fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '‚' | '‘' | '’')
}

fn canonical(c: char) -> char {
    if is_double_quote(c) {
        '"'
    } else if is_single_quote(c) {
        '\''
    } else {
        c
    }
}

/// Whether `b` may start a character folding changes: white space, or a quotation mark
/// outside ASCII (`"` and `'` are already canonical). Every other byte, continuation bytes
/// included, is copied as it is. The bytes are those of [`crate::text::STARTS`].
fn may_fold(b: u8) -> bool {
    crate::text::STARTS[b as usize] != crate::text::Starts::Other
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len());
        let mut jumps = Vec::new();
        // Original bytes before `copied` are in `text`; those from there to `i` are unchanged
        // and copied in one piece when something changes or at the end.
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // Most bytes stay as they are, and so does a space before one of them: a word's
            // letters, umlauts included, and the single space after it.
            if !may_fold(b) {
                i += 1;
                continue;
            }
            if b == b' ' && bytes.get(i + 1).is_some_and(|&n| !may_fold(n)) {
                i += 2;
                continue;
            }
            let Some(c) = original[i..].chars().next() else { break };
            let len = c.len_utf8();
            if c.is_whitespace() {
                let mut end = i + len;
                while let Some(w) = original[end..].chars().next().filter(|w| w.is_whitespace()) {
                    end += w.len_utf8();
                }
                if b == b' ' && end == i + 1 {
                    i = end;
                    continue;
                }
                text.push_str(&original[copied..i]);
                text.push(' ');
                if end - i != 1 {
                    jumps.push((text.len() as u32, end as u32));
                }
                copied = end;
                i = end;
            } else {
                let f = canonical(c);
                i += len;
                if f != c {
                    text.push_str(&original[copied..i - len]);
                    text.push(f);
                    jumps.push((text.len() as u32, i as u32));
                    copied = i;
                }
            }
        }
        text.push_str(&original[copied..]);
        Folded { text, jumps }
    }

    /// The original byte offset of folded byte `i` (`i == len` gives the original's end).
    pub fn original(&self, i: usize) -> usize {
        let at = self.jumps.partition_point(|&(f, _)| f as usize <= i);
        match at.checked_sub(1).map(|j| self.jumps[j]) {
            Some((f, o)) => o as usize + (i - f as usize),
            None => i,
        }
    }

    /// Where the folded range `start..end` stands in the original, trailing whitespace excluded.
    pub fn original_range(&self, start: usize, end: usize, original: &str) -> std::ops::Range<usize> {
        let s = self.original(start);
        let e = self.original(end);
        let e = s + original[s..e].trim_end().len();
        s..e
    }
}

/// Folds a quote, prefix or suffix the same way as the text.
pub fn fold_pattern(p: &str) -> String {
    Folded::new(p).text
}

/// Whether a pattern needs the strict check (it holds a typographic quotation mark).
pub fn needs_strict(p: &str) -> bool {
    p.chars()
        .any(|c| (is_double_quote(c) || is_single_quote(c)) && c != '"' && c != '\'')
}

/// Strict equality under the matching rules: whitespace runs equal, straight marks match any
/// mark of their kind, everything else exact.
pub fn strict_eq(pattern: &str, text: &str) -> bool {
    let mut p = pattern.chars().peekable();
    let mut t = text.chars().peekable();
    loop {
        match (p.next(), t.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.is_whitespace() && b.is_whitespace() => {
                while p.peek().is_some_and(|c| c.is_whitespace()) {
                    p.next();
                }
                while t.peek().is_some_and(|c| c.is_whitespace()) {
                    t.next();
                }
            }
            (Some(a), Some(b)) => {
                let ok = a == b || (a == '"' && is_double_quote(b)) || (a == '\'' && is_single_quote(b));
                if !ok {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether byte `at` of `text` lies between two characters as a reader sees them (grapheme
/// clusters: `e` and a combining accent are one, so are the parts of a ZWJ emoji). A quote
/// may start and end only there.
///
/// Run on every match, so cheap where it can be: between two ASCII characters (CR LF apart)
/// there is always a boundary, and only other text asks the segmentation rules.
pub fn is_cluster_boundary(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if at == 0 || at >= bytes.len() {
        return at <= bytes.len();
    }
    let (before, after) = (bytes[at - 1], bytes[at]);
    if before.is_ascii() && after.is_ascii() {
        return !(before == b'\r' && after == b'\n');
    }
    text.is_char_boundary(at)
        && unicode_segmentation::GraphemeCursor::new(at, text.len(), true)
            .is_boundary(text, 0)
            .unwrap_or(true)
}

/// The character (grapheme cluster) that byte `at` of `text` lies in or starts.
pub fn cluster_around(text: &str, at: usize) -> std::ops::Range<usize> {
    use unicode_segmentation::GraphemeCursor;
    let at = crate::diagnostics::floor_char_boundary(text, at.min(text.len()));
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    let start = match cursor.is_boundary(text, 0) {
        Ok(true) => at,
        _ => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
    };
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    let end = cursor.next_boundary(text, 0).ok().flatten().unwrap_or(text.len());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_whitespace_runs_and_marks() {
        let f = Folded::new("a  \n b „c“");
        assert_eq!(f.text, "a b \"c\"");
        assert_eq!(f.original(2), 5);
        assert_eq!(f.original(f.text.len()), "a  \n b „c“".len());
    }

    #[test]
    fn offsets_map_back_through_runs_and_marks() {
        let original = "a \u{a0} b„c“\td  e";
        let f = Folded::new(original);
        assert_eq!(f.text, "a b\"c\" d e");
        // Every folded char boundary maps to the start of the original char it came from.
        let expected = [
            ("a", "a"),
            (" ", " \u{a0} "),
            ("b", "b"),
            ("\"", "„"),
            ("c", "c"),
            ("\"", "“"),
            (" ", "\t"),
            ("d", "d"),
            (" ", "  "),
            ("e", "e"),
        ];
        let (mut fo, mut oo) = (0, 0);
        for (folded, orig) in expected {
            assert_eq!(f.original(fo), oo, "folded offset {fo}");
            fo += folded.len();
            oo += orig.len();
        }
        assert_eq!(f.original(fo), original.len());
        let plain = Folded::new("Größe der Tür");
        assert_eq!(plain.text, "Größe der Tür");
        assert_eq!(plain.original(8), 8);
    }

    #[test]
    fn strict_equality() {
        assert!(strict_eq("\"Desinformation\"", "„Desinformation“"));
        assert!(strict_eq("a  b", "a\nb"));
        assert!(strict_eq("„x“", "„x“"));
        assert!(!strict_eq("„x“", "“x”"));
        assert!(!strict_eq("'x'", "\"x\""));
        assert!(!strict_eq("Abc", "abc"));
    }

    /// The plain definition: every run of white space one space, every mark straight.
    fn fold_plain(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() {
                while chars.next_if(|w| w.is_whitespace()).is_some() {}
                out.push(' ');
            } else {
                out.push(canonical(c));
            }
        }
        out
    }

    proptest::proptest! {
        /// The folded text is the plain definition's, and every folded offset maps back to
        /// the original offset whose prefix folds to the folded prefix.
        #[test]
        fn folding_matches_the_plain_definition(s in "[ a\t\n\u{a0}\u{2003}\u{3000}äöü„“”«»‚‘’\"'ßé€]{0,40}") {
            let f = Folded::new(&s);
            proptest::prop_assert_eq!(&f.text, &fold_plain(&s));
            for (i, _) in f.text.char_indices().chain([(f.text.len(), ' ')]) {
                let o = f.original(i);
                proptest::prop_assert!(s.is_char_boundary(o), "{} → {}", i, o);
                proptest::prop_assert_eq!(fold_plain(&s[..o]), &f.text[..i]);
            }
        }
    }

    #[test]
    fn cluster_boundaries() {
        let text = "Im Cafe\u{301} am Ku\u{308}\u{323}rfu\u{308}rstendamm 👩‍🔬.\r\n";
        let inside = [
            "Im Cafe".len(),
            "Im Cafe\u{301} am Ku".len(),
            "Im Cafe\u{301} am Ku\u{308}".len(),
            "Im Cafe\u{301} am Ku\u{308}\u{323}rfu".len(),
            "Im Cafe\u{301} am Ku\u{308}\u{323}rfu\u{308}rstendamm 👩".len(),
            "Im Cafe\u{301} am Ku\u{308}\u{323}rfu\u{308}rstendamm 👩\u{200D}".len(),
            text.len() - 1,
        ];
        for at in 0..=text.len() {
            let expected = text.is_char_boundary(at) && !inside.contains(&at);
            assert_eq!(is_cluster_boundary(text, at), expected, "at {at}");
        }
        assert!(!is_cluster_boundary(text, text.len() + 1));
    }

    proptest::proptest! {
        /// The byte test agrees with the segmentation rules everywhere.
        #[test]
        fn cluster_boundaries_are_the_segmentation_rules(s in "[a \r\n.\u{301}\u{308}\u{200D}\u{FE0F}\u{1F469}\u{1F1E9}\u{1F1EA}\u{0600}\u{1100}\u{AC00}ä]{0,12}") {
            use unicode_segmentation::UnicodeSegmentation;
            let starts: Vec<usize> = s.grapheme_indices(true).map(|(i, _)| i).chain([s.len()]).collect();
            for at in 0..=s.len() {
                proptest::prop_assert_eq!(is_cluster_boundary(&s, at), starts.contains(&at), "at {}", at);
                if s.is_char_boundary(at) && at < s.len() {
                    let r = cluster_around(&s, at);
                    proptest::prop_assert!(starts.contains(&r.start) && starts.contains(&r.end) && r.start <= at && at < r.end);
                }
            }
        }
    }

    #[test]
    fn original_range_skips_trailing_space() {
        let s = "foo   bar";
        let f = Folded::new(s);
        assert_eq!(f.original_range(0, 4, s), 0..3);
        assert_eq!(f.original_range(4, 7, s), 6..9);
    }
}
