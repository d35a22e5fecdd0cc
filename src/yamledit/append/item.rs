//! How a new item is written: its keys in the file's order, each value in the file's quoting
//! where it reads back the same, a note of several lines as a `|` block.

use super::super::{double_quoted, is_special_break, plain_fits, printable, single_fits};
use super::NewValue;
use yaml_rust2::scanner::TScalarStyle;

/// How values are quoted, by what most of the list's items do.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Quoting {
    Plain,
    Single,
    Double,
}

/// How a new item is written.
pub(super) struct Style<'a> {
    pub(super) quoting: Quoting,
    pub(super) dash_col: usize,
    pub(super) key_col: usize,
    /// How far a block value's lines are indented from its key.
    pub(super) block_indent: usize,
    pub(super) nl: &'a str,
    /// Every value double-quoted, no blocks: the fallback that always reads back.
    pub(super) safe: bool,
}

/// The quoting most of the items' values use (ties: plain, then double).
pub(super) fn quoting_of<'s>(styles: impl Iterator<Item = &'s TScalarStyle> + Clone) -> Quoting {
    let count = |s: TScalarStyle| styles.clone().filter(|&&x| x == s).count();
    let (plain, single, double) = (
        count(TScalarStyle::Plain),
        count(TScalarStyle::SingleQuoted),
        count(TScalarStyle::DoubleQuoted),
    );
    if single > plain && single > double {
        Quoting::Single
    } else if double > plain && double >= single {
        Quoting::Double
    } else {
        Quoting::Plain
    }
}

/// The item's keys in the order of `reference` (the last item's keys), each key the reference
/// lacks keeping its place in the given order: the places of the keys both have are filled
/// again in the reference's order.
pub(super) fn order_keys<'i>(item: &'i [(&'i str, NewValue)], reference: &[String]) -> Vec<&'i (&'i str, NewValue)> {
    let rank = |k: &str| reference.iter().position(|r| r == k);
    let mut shared: Vec<&(&str, NewValue)> = item.iter().filter(|(k, _)| rank(k).is_some()).collect();
    shared.sort_by_key(|(k, _)| rank(k));
    let mut shared = shared.into_iter();
    item.iter()
        .map(|e| {
            if rank(e.0).is_some() {
                shared.next().unwrap_or(e)
            } else {
                e
            }
        })
        .collect()
}

/// A value on one line, in the file's quoting where it reads back as the same string.
pub(super) fn inline(value: &NewValue, quoting: Quoting, flow: bool, safe: bool) -> String {
    let s = match value {
        NewValue::Number(n) => return n.to_string(),
        NewValue::Text(s) => s,
    };
    match quoting {
        _ if safe => double_quoted(s),
        Quoting::Plain if plain_fits(s, flow) => s.clone(),
        Quoting::Single if single_fits(s) => format!("'{}'", s.replace('\'', "''")),
        _ => double_quoted(s),
    }
}

/// `{key: value, …}`.
pub(super) fn flow_item(item: &[&(&str, NewValue)], quoting: Quoting, safe: bool) -> String {
    let pairs: Vec<String> = item
        .iter()
        .map(|(k, v)| format!("{k}: {}", inline(v, quoting, true, safe)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// A block item: `- key: value` and a line a key after it, each line ended.
pub(super) fn block_item(item: &[&(&str, NewValue)], style: &Style) -> String {
    let mut out = String::new();
    for (i, (k, v)) in item.iter().enumerate() {
        if i == 0 {
            let gap = style.key_col - style.dash_col - 1;
            out.push_str(&format!("{}-{}", " ".repeat(style.dash_col), " ".repeat(gap)));
        } else {
            out.push_str(&" ".repeat(style.key_col));
        }
        out.push_str(k);
        out.push(':');
        let block = match v {
            NewValue::Text(s) if !style.safe && matches!(*k, "note" | "gloss") && s.contains('\n') => {
                block_scalar(s, style)
            }
            _ => None,
        };
        match block {
            Some(b) => out.push_str(&b),
            None => {
                out.push(' ');
                out.push_str(&inline(v, style.quoting, false, style.safe));
            }
        }
        out.push_str(style.nl);
    }
    out
}

/// ` |` and the value's lines, as a literal block under a key at `style.key_col`: chomping
/// `-` for a value with no final line break, none for one, `+` for more; an indentation
/// indicator where the first line starts with a space or a tab. `None` where a block cannot
/// hold the value (a carriage return, a character that must be escaped, no text).
pub(super) fn block_scalar(value: &str, style: &Style) -> Option<String> {
    let content = value.trim_end_matches('\n');
    let breaks = value.len() - content.len();
    if content.trim().is_empty()
        || content
            .chars()
            .any(|c| c == '\r' || is_special_break(c) || (!printable(c) && c != '\t'))
    {
        return None;
    }
    let chomp = match breaks {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = content.split('\n').find(|l| !l.trim().is_empty()).unwrap_or_default();
    let leading_blanks = content
        .split('\n')
        .take_while(|l| l.trim().is_empty())
        .any(|l| !l.is_empty());
    let indicator = if first.starts_with([' ', '\t']) || leading_blanks {
        style.block_indent.to_string()
    } else {
        String::new()
    };
    let pad = " ".repeat(style.key_col + style.block_indent);
    let mut out = format!(" |{indicator}{chomp}");
    for line in value[..content.len() + breaks.saturating_sub(1)].split('\n') {
        out.push_str(style.nl);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}
