//! Whitespace and quotation-mark folding for quote matching.
//!
//! Matching is exact except that any run of whitespace matches any run, a straight `"` matches
//! „ “ ” « » and a straight `'` matches ‚ ‘ ’. We search a canonical form of both sides
//! (whitespace runs → one space, every quotation mark → its straight form) with a fast
//! substring search, then confirm each candidate strictly when the quote itself contains a
//! typographic mark (which must match exactly).

/// A folded string and, for each of its bytes, the byte offset in the original it came from.
pub struct Folded {
    pub text: String,
    map: Vec<u32>,
    original_len: usize,
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

impl Folded {
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut in_space = false;
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // ASCII, the bulk of most texts, without decoding: `char::is_whitespace` on ASCII
            // is exactly space and \t..=\r, and no ASCII mark needs canonicalizing.
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                let c = original[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                (c, c.len_utf8())
            };
            if c.is_whitespace() {
                if !in_space {
                    in_space = true;
                    text.push(' ');
                    map.push(i as u32);
                }
            } else {
                in_space = false;
                let f = canonical(c);
                text.push(f);
                map.extend(std::iter::repeat_n(i as u32, f.len_utf8()));
            }
            i += len;
        }
        map.push(original.len() as u32);
        Folded {
            text,
            map,
            original_len: original.len(),
        }
    }

    /// The original byte offset of folded byte `i` (`i == len` gives the original's end).
    pub fn original(&self, i: usize) -> usize {
        self.map.get(i).map_or(self.original_len, |&o| o as usize)
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
    fn strict_equality() {
        assert!(strict_eq("\"Desinformation\"", "„Desinformation“"));
        assert!(strict_eq("a  b", "a\nb"));
        assert!(strict_eq("„x“", "„x“"));
        assert!(!strict_eq("„x“", "“x”"));
        assert!(!strict_eq("'x'", "\"x\""));
        assert!(!strict_eq("Abc", "abc"));
    }

    #[test]
    fn original_range_skips_trailing_space() {
        let s = "foo   bar";
        let f = Folded::new(s);
        assert_eq!(f.original_range(0, 4, s), 0..3);
        assert_eq!(f.original_range(4, 7, s), 6..9);
    }
}
