//! Slugs and ids: what may appear in a URL path or an `id` attribute.
//!
//! German is the first language of our users, so umlauts become `ae`, `oe`, `ue` and `ß`
//! becomes `ss` (as German writers do without the keys) before the general transliteration.

use std::borrow::Cow;
use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `Außenminister Lawrow` → `aussenminister-lawrow`.
///
/// The same look gives the same slug: text is composed (NFC) first, so `Ü` typed as `U` and a
/// combining diaeresis (as macOS spells file names) is `Ü`, and becomes `ue`, not `u`; and
/// characters that are not seen at all leave no trace.
pub(crate) fn slugify(text: &str) -> String {
    let composed: Cow<str> = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    let mut ascii = String::with_capacity(text.len());
    for c in composed.chars() {
        match c {
            'ä' => ascii.push_str("ae"),
            'ö' => ascii.push_str("oe"),
            'ü' => ascii.push_str("ue"),
            'Ä' => ascii.push_str("Ae"),
            'Ö' => ascii.push_str("Oe"),
            'Ü' => ascii.push_str("Ue"),
            'ß' => ascii.push_str("ss"),
            'ẞ' => ascii.push_str("SS"),
            c if c.is_ascii() => ascii.push(c),
            // Invisible (a soft hyphen, a zero-width space, a bidi mark): no trace in the slug either.
            c if get_general_category(c) == GeneralCategory::Format => {}
            c => ascii.push_str(deunicode::deunicode_char(c).unwrap_or("-")),
        }
    }
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Ids and slugs written by hand must already be `[a-z0-9-]+`.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_german() {
        assert_eq!(slugify("Außenminister"), "aussenminister");
        assert_eq!(slugify("Über die Brücke"), "ueber-die-bruecke");
        assert_eq!(slugify("Erlkönig"), "erlkoenig");
    }

    #[test]
    fn folds_other_scripts_and_punctuation() {
        assert_eq!(slugify("Sergej Lawrow, 2023!"), "sergej-lawrow-2023");
        assert_eq!(slugify("Café crème"), "cafe-creme");
        assert_eq!(slugify("Лавров"), "lavrov");
        assert_eq!(slugify("--a  b--"), "a-b");
        assert_eq!(slugify("…"), "");
    }

    #[test]
    fn composed_and_decomposed_spellings_give_one_slug() {
        assert_eq!(slugify("U\u{308}ber uns"), "ueber-uns");
        assert_eq!(slugify("Cafe\u{301} cre\u{300}me"), "cafe-creme");
        assert_eq!(slugify("Erlko\u{308}nig"), slugify("Erlkönig"));
    }

    #[test]
    fn invisible_characters_leave_no_trace() {
        for c in ['\u{200B}', '\u{AD}', '\u{200D}', '\u{200E}', '\u{2060}', '\u{FEFF}'] {
            assert_eq!(slugify(&format!("Über{c}uns")), "ueberuns", "{:X}", c as u32);
        }
    }

    #[test]
    fn validates_hand_written_ids() {
        assert!(is_valid_id("nbc-news-2"));
        assert!(!is_valid_id("NBC"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id("../x"));
    }
}
