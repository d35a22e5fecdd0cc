//! Plain-text rules every stage may use: white space collapsed (`collapse`) and the table of
//! the bytes that may start white space. No disk access.

/// How a byte starts a character: white space in ASCII, the lead byte of every white space
/// character outside it (U+0085 … U+3000) and of the quotation marks folding changes
/// („ “ ” « » ‚ ‘ ’), or anything else. The one table of these bytes, for `collapse` and
/// for folding (`resolve::fold`).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Starts {
    Other,
    Space,
    MaybeSpace,
}

/// [`Starts`] of every byte, looked up in the inner loop of `collapse`.
pub(crate) static STARTS: [Starts; 256] = {
    let mut table = [Starts::Other; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b' ' | b'\t'..=b'\r' => Starts::Space,
            0xC2 | 0xE1..=0xE3 => Starts::MaybeSpace,
            _ => Starts::Other,
        };
        b += 1;
    }
    table
};

/// Whether `s` starts with white space (`char::is_whitespace`).
fn space_first(s: &str) -> bool {
    match s.as_bytes().first().map(|&b| STARTS[b as usize]) {
        Some(Starts::Space) => true,
        Some(Starts::MaybeSpace) => s.chars().next().is_some_and(char::is_whitespace),
        _ => false,
    }
}

/// Whether `s` is as [`collapse`] leaves it: no white space but single ASCII spaces, and
/// none at either end. Such a text is copied whole. Told by quick scans (each without a
/// branch a byte): for control characters, for two spaces in a row, and for the bytes that
/// can start white space outside ASCII, where the character that starts there is looked at
/// (`„`, `“`, `–` and `…` share the first byte of the spaces U+2000–U+205F).
pub(crate) fn is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' || bytes.iter().fold(false, |any, &b| any | (b < 0x20)) {
        return false;
    }
    static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    if TWO_SPACES.find(bytes).is_some() {
        return false;
    }
    // A lead byte starts a character: `at` is a character boundary.
    let mut leads = memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes).chain(memchr::memchr_iter(0xE1, bytes));
    !leads.any(|at| s[at..].chars().next().is_some_and(char::is_whitespace))
}

/// Runs of white space as one space, none at the ends.
pub(crate) fn collapse(s: &str) -> String {
    if is_collapsed(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        // The longest stretch that stays as it is: words apart by single ASCII spaces. Most
        // text is one such stretch, copied at once.
        let bytes = rest.as_bytes();
        let mut end = 0;
        loop {
            end += bytes[end..]
                .iter()
                .position(|&b| STARTS[b as usize] != Starts::Other)
                .unwrap_or(bytes.len() - end);
            let Some(&b) = bytes.get(end) else { break };
            let stays = match STARTS[b as usize] {
                Starts::Space => b == b' ' && end + 1 < bytes.len() && !space_first(&rest[end + 1..]),
                _ => !space_first(&rest[end..]),
            };
            if !stays {
                break;
            }
            end += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}
