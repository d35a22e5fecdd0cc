//! Text for XML 1.0 files (the sitemap, the feed): escaped, and without the characters XML 1.0
//! forbids, which a title or summary may still hold (a stray control character in a text file)
//! and which would make the whole file unreadable to an XML parser.

/// `s` as XML character data or an attribute value in double quotes: `&`, `<`, `>` and `"`
/// escaped, every character XML 1.0 does not allow (controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF) replaced by U+FFFD.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0's `Char` production, less tab, line feed and carriage return (handled above).
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_replaces_what_xml_forbids() {
        assert_eq!(escape(r#"a & <b> "c" 'd'"#), "a &amp; &lt;b&gt; &quot;c&quot; 'd'");
        assert_eq!(
            escape("tab\tline\nbell\u{7}nul\u{0}end\u{FFFF}"),
            "tab\tline\nbell\u{FFFD}nul\u{FFFD}end\u{FFFD}"
        );
        assert_eq!(escape("Erlkönig 𝔊"), "Erlkönig 𝔊");
    }
}
