//! Property tests of the editor: sidecars whose values are written in every style (plain, over
//! two lines, quoted, `|` and `>` blocks; block items, flow items, flow items over two lines,
//! a flow list), with or without comments, CRLF line endings and a byte-order mark, get random
//! values edited to random strings. Whatever the strings, an edit of a plain or quoted value
//! succeeds, and an edit of a block succeeds or is refused as unfit; a result reads back with
//! the new values and every other value unchanged, and every byte outside the edited values'
//! spans (known from the generator) is the same.

use super::*;
use proptest::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    PlainTwoLines,
    Single,
    Double,
    Literal,
    Folded,
}

#[derive(Clone, Copy, Debug)]
enum Layout {
    Block,
    FlowItem,
    FlowTwoLines,
}

#[derive(Clone, Debug)]
struct Item {
    layout: Layout,
    /// Style and value of `quote` and of `note`.
    values: [(Style, String); 2],
}

/// What the generator wrote: the text, and the span of each value's text in it.
struct Written {
    text: String,
    spans: Vec<(Vec<Seg>, Range<usize>, Style)>,
}

struct Writer<'a> {
    out: String,
    nl: &'a str,
    comments: bool,
    spans: Vec<(Vec<Seg>, Range<usize>, Style)>,
}

impl Writer<'_> {
    /// Writes one value; `indent` is the content indentation of a block or a second line.
    fn value(&mut self, path: Vec<Seg>, style: Style, value: &str, indent: usize) {
        let pad = " ".repeat(indent);
        let start = self.out.len();
        let text = match style {
            Style::Plain => value.to_owned(),
            Style::PlainTwoLines => value.replacen(' ', &format!("{}{pad}", self.nl), 1),
            Style::Single => format!("'{}'", value.replace('\'', "''")),
            Style::Double => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
            Style::Literal | Style::Folded => {
                let header = if style == Style::Literal { "|" } else { ">-" };
                let comment = if self.comments { "  # block" } else { "" };
                self.out.push_str(&format!("{header}{comment}{}", self.nl));
                let start = self.out.len();
                self.out.push_str(&format!("{pad}{value}"));
                self.spans.push((path, start..self.out.len(), style));
                return;
            }
        };
        self.out.push_str(&text);
        self.spans.push((path, start..self.out.len(), style));
    }

    fn item(&mut self, i: usize, item: &Item) {
        let (nl, c) = (self.nl, if self.comments { "  # c" } else { "" });
        let path = |key: &str| vec![Seg::from("annotations"), Seg::Index(i), Seg::from(key)];
        let [(qs, q), (ns, n)] = &item.values;
        match item.layout {
            Layout::Block => {
                if self.comments {
                    self.out.push_str(&format!("  # item {i}{nl}"));
                }
                self.out.push_str("  - quote: ");
                self.value(path("quote"), *qs, q, 6);
                let block = matches!(qs, Style::Literal | Style::Folded);
                self.out
                    .push_str(&format!("{}{nl}    note: ", if block { "" } else { c }));
                self.value(path("note"), *ns, n, 6);
                self.out.push_str(nl);
            }
            Layout::FlowItem | Layout::FlowTwoLines => {
                self.out.push_str("  - {quote: ");
                self.value(path("quote"), flow_style(*qs), q, 6);
                self.out.push(',');
                self.out.push_str(if matches!(item.layout, Layout::FlowItem) {
                    " "
                } else {
                    nl
                });
                self.out.push_str("      note: ");
                self.value(path("note"), flow_style(*ns), n, 6);
                self.out.push_str(&format!("}}{c}{nl}"));
            }
        }
    }
}

/// Blocks cannot stand inside `{...}`: there they are double-quoted.
fn flow_style(s: Style) -> Style {
    match s {
        Style::Literal | Style::Folded => Style::Double,
        s => s,
    }
}

fn write(items: &[Item], flow_list: bool, crlf: bool, bom: bool, comments: bool) -> Written {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut w = Writer {
        out: String::new(),
        nl,
        comments,
        spans: Vec::new(),
    };
    if bom {
        w.out.push('\u{feff}');
    }
    if comments {
        w.out.push_str(&format!("# A sidecar: this comment stays.{nl}"));
    }
    w.out.push_str(&format!("title: T{nl}annotations:"));
    if flow_list {
        w.out.push_str(" [");
        for (i, item) in items.iter().enumerate() {
            let path = |key: &str| vec![Seg::from("annotations"), Seg::Index(i), Seg::from(key)];
            // Items one after the other on a line, or on the next line.
            if i > 0 {
                w.out.push(',');
                w.out.push_str(if i % 2 == 1 { nl } else { " " });
            }
            let [(qs, q), (ns, n)] = &item.values;
            w.out.push_str("{quote: ");
            w.value(path("quote"), flow_style(*qs), q, 4);
            w.out.push_str(", note: ");
            w.value(path("note"), flow_style(*ns), n, 4);
            w.out.push('}');
        }
        w.out.push_str(&format!("]{nl}"));
    } else {
        w.out.push_str(nl);
        for (i, item) in items.iter().enumerate() {
            w.item(i, item);
        }
    }
    Written {
        text: w.out,
        spans: w.spans,
    }
}

/// Values as people write them: they may stand plain in any of the styles.
const OLD: &[&str] = &[
    "Hund bellt",
    "Straße",
    "東京 und Ελλάδα",
    "naïve x y",
    "it's",
    "e\u{301}tre",
];

/// Pieces of new values: YAML's indicators, quotes, escapes, line breaks, words that read as
/// other types, unicode, and characters some readers take for line breaks.
const PIECES: &[&str] = &[
    "Hund", "Straße", " ", "  ", ": ", ":", "#", " #", "'", "\"", "\\", ",", "[", "]", "{", "}", "-", "- ", "? ", "&a",
    "*a", "!t", "|", ">", "%", "@", "`", "\n", "\n\n", "\t", "\r", "true", "1", "~", "null", "0x1F", "—", "東京",
    "\u{85}", "\u{2028}", "\u{feff}", "🎉", "\u{7}", "---", "...",
];

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::Plain),
        Just(Style::PlainTwoLines),
        Just(Style::Single),
        Just(Style::Double),
        Just(Style::Literal),
        Just(Style::Folded),
    ]
}

fn old_value() -> impl Strategy<Value = (Style, String)> {
    (style(), proptest::sample::select(OLD)).prop_map(|(s, v)| {
        // Two lines need a space to break at.
        let s = if s == Style::PlainTwoLines && !v.contains(' ') {
            Style::Plain
        } else {
            s
        };
        (s, v.to_owned())
    })
}

fn item() -> impl Strategy<Value = Item> {
    let layout = prop_oneof![Just(Layout::Block), Just(Layout::FlowItem), Just(Layout::FlowTwoLines)];
    (layout, old_value(), old_value()).prop_map(|(layout, q, n)| Item { layout, values: [q, n] })
}

fn new_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(proptest::sample::select(PIECES), 0..6).prop_map(|p| p.concat()),
        1 => "[a-zäöü東 ]{1,12}",
    ]
}

/// 300 cases take about a second; `PROPTEST_CASES=20000 cargo test --lib yamledit` searches
/// longer.
fn config() -> ProptestConfig {
    let mut c = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 300;
    }
    c
}

proptest::proptest! {
    #![proptest_config(config())]

    #[test]
    fn edits_read_back_and_touch_nothing_else(
        items in proptest::collection::vec(item(), 1..5),
        flow_list in proptest::bool::weighted(0.2),
        crlf: bool,
        bom: bool,
        comments: bool,
        picks in proptest::collection::vec((any::<bool>(), new_value(), any::<bool>()), 10),
    ) {
        let written = write(&items, flow_list, crlf, bom, comments);
        let source = &written.text;
        let editor = Editor::new(source).map_err(|e| TestCaseError::fail(format!("{e}\n{source:?}")))?;
        let mut edits = Vec::new();
        for ((path, _, style), (pick, value, fit)) in written.spans.iter().zip(&picks) {
            if !pick {
                continue;
            }
            // Half of the block edits get a value a block can hold.
            let value = match style {
                Style::Literal if *fit => format!("Neu {}\n", value.replace(['\n', '\r'], " ").trim()),
                Style::Folded if *fit => format!("Neu {}", value.replace(['\n', '\r'], " ").trim()),
                _ => value.clone(),
            };
            edits.push(Edit { path: path.clone(), value });
        }
        let blocks = |e: &Edit| written.spans.iter().any(|(p, _, s)| *p == e.path && matches!(s, Style::Literal | Style::Folded));
        let out = match editor.apply(&edits) {
            Ok(out) => out,
            Err(EditError::BlockUnfit { .. }) if edits.iter().any(blocks) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{source:?}\n{edits:?}"))),
        };
        // It reads back as intended (the editor checks this too; here independently).
        let body = |s: &str| s.strip_prefix('\u{feff}').unwrap_or(s).to_owned();
        let mut expected: serde_yaml::Value = serde_yaml::from_str(&body(source)).unwrap();
        for e in &edits {
            *value_at(&mut expected, &e.path).unwrap() = serde_yaml::Value::String(e.value.clone());
        }
        let got: serde_yaml::Value = serde_yaml::from_str(&body(&out)).unwrap();
        prop_assert_eq!(&got, &expected, "{:?}\n{:?}", source, out);
        // Every splice lies inside the span of the value it edits, and nothing else changed.
        let splices = editor.splices(&edits).unwrap();
        let mut rebuilt = source.clone();
        for s in splices.iter().rev() {
            let inside = edits.iter().any(|e| {
                written.spans.iter().any(|(p, r, _)| *p == e.path && r.start <= s.range.start && s.range.end <= r.end)
            });
            prop_assert!(inside, "a splice outside the edited values: {:?} in {:?}", s, source);
            rebuilt.replace_range(s.range.clone(), &s.text);
        }
        prop_assert_eq!(rebuilt, out);
    }
}
