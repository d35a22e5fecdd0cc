//! Where an imported annotation goes: the document whose page it targets, the passage its
//! quote selector means there, and its links as glossa writes them. Pure.
//!
//! The passage is found by glossa's rules (`resolve::fold`, `resolve::picker`): the quote's
//! matches in the reading text, and where there are several, the one its `prefix` and
//! `suffix` fit best (compared without white space, across blocks: other tools cut their
//! context out of the page's text, not glossa's blocks), else the one at its
//! TextPositionSelector's start. A quote not found, or found more than once with nothing to
//! tell the matches apart, is orphaned: glossa never guesses. What is written is glossa's own
//! selector for that match (`picker::pick`): the quote as the text spells it, and the
//! shortest prefix or suffix that picks it where the quote is not unique.

use super::read::Foreign;
use crate::resolve::anchor::Anchor;
use crate::resolve::fold::{Folded, fold_pattern};
use crate::resolve::picker::{self, Hit, Picked};
use crate::resolve::reading::Reading;

/// The site's addresses, to find a page by its URL: documents by slug, extra pages by name,
/// glossary entries by id.
pub(crate) struct Addresses<'s> {
    pub(crate) base: &'s str,
    pub(crate) docs: Vec<&'s str>,
    pub(crate) pages: Vec<&'s str>,
    pub(crate) entries: Vec<&'s str>,
}

/// A page of the site an address names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The index of a document in [`Addresses::docs`], and the fragment.
    Doc(usize, Option<String>),
    Page(String, Option<String>),
    Entry(String),
}

impl Addresses<'_> {
    /// The path of `url` under the site's root: what follows `base_url`, or a relative
    /// address as glossa writes it without one; with `lenient`, also the path of any absolute
    /// URL (a page annotated where it was served, such as `http://localhost:1111/a/`).
    fn site_path<'u>(&self, url: &'u str, lenient: bool) -> Option<&'u str> {
        if !self.base.is_empty()
            && let Some(rest) = url.strip_prefix(self.base)
        {
            return Some(rest);
        }
        match url.split_once("://") {
            Some((_, rest)) if lenient => Some(rest.split_once('/').map_or("", |(_, path)| path)),
            Some(_) => None,
            None if url.contains(':') => None,
            None => Some(url.trim_start_matches("./").trim_start_matches('/')),
        }
    }

    /// The page `url` names, if it is one of the site's.
    pub(crate) fn page(&self, url: &str, lenient: bool) -> Option<Target> {
        let path = self.site_path(url, lenient)?;
        let (path, fragment) = match path.split_once('#') {
            Some((p, f)) => (p, Some(f.to_owned()).filter(|f| !f.is_empty())),
            None => (path, None),
        };
        let path = path.split('?').next().unwrap_or_default();
        let path = path.strip_suffix("index.html").unwrap_or(path).trim_end_matches('/');
        let named = |name: &str| path == name || (lenient && path.ends_with(&format!("/{name}")));
        if let Some(i) = self.docs.iter().position(|slug| named(slug)) {
            return Some(Target::Doc(i, fragment));
        }
        if let Some(name) = self.pages.iter().find(|name| named(name)) {
            return Some(Target::Page((*name).to_owned(), fragment));
        }
        let id = path.rsplit_once("glossary/").map(|(_, id)| id)?;
        self.entries
            .iter()
            .find(|e| **e == id)
            .map(|e| Target::Entry((*e).to_owned()))
    }

    /// A `see` link of document `doc` as a sidecar writes it: `#id`, `doc:`, `page:`,
    /// `term:`, or the address as it is.
    pub(crate) fn see(&self, url: &str, doc: usize) -> String {
        let with = |prefix: &str, name: &str, f: &Option<String>| match f {
            Some(f) => format!("{prefix}{name}#{f}"),
            None => format!("{prefix}{name}"),
        };
        match self.page(url, false) {
            Some(Target::Doc(i, Some(f))) if i == doc => format!("#{f}"),
            Some(Target::Doc(i, f)) => with("doc:", self.docs[i], &f),
            Some(Target::Page(name, f)) => with("page:", &name, &f),
            Some(Target::Entry(id)) => format!("term:{id}"),
            None => url.to_owned(),
        }
    }

    /// The glossary entry an `identifying` link names.
    pub(crate) fn term(&self, url: &str) -> Option<String> {
        match self.page(url, true) {
            Some(Target::Entry(id)) => Some(id),
            _ => None,
        }
    }

    /// The id an annotation of document `doc` keeps: the fragment of an id that is an
    /// address in that document's page (as glossa's export makes them), unless it is the
    /// default of its place (`a-N`), which the item takes again where it now stands.
    pub(crate) fn id(&self, id: &str, doc: usize) -> Option<String> {
        let Some(Target::Doc(i, Some(fragment))) = self.page(id, false) else {
            return None;
        };
        let default = fragment
            .strip_prefix("a-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        (i == doc && !default && crate::slug::is_valid_id(&fragment)).then_some(fragment)
    }
}

/// Why an annotation was not placed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Orphan {
    NotFound,
    /// The quote's matches, none of which the context tells apart.
    Ambiguous(usize),
}

/// The selector of `f`'s passage in `reading` (see the module's documentation), and the
/// passage, as anchoring gives an item's (to tell an annotation the sidecar already has).
pub(crate) fn place(reading: &Reading, folded: &[Folded], f: &Foreign) -> Result<(Picked, Anchor), Orphan> {
    let quote = f.exact.trim();
    let pattern = fold_pattern(quote);
    let hits = picker::matches(reading, folded, &pattern, quote);
    let ours = match hits.as_slice() {
        [] => return Err(Orphan::NotFound),
        [one] => *one,
        _ => by_context(reading, folded, &hits, f).ok_or(Orphan::Ambiguous(hits.len()))?,
    };
    let text = &reading.blocks[ours.block].text;
    let passage = Anchor {
        block: ours.block,
        range: folded[ours.block].original_range(ours.start, ours.end, text),
    };
    Ok((picker::pick(reading, folded, &pattern, ours), passage))
}

/// The one match the prefix and suffix fit best, else the one at the position's start.
fn by_context(reading: &Reading, folded: &[Folded], hits: &[Hit], f: &Foreign) -> Option<Hit> {
    let prefix = squeeze(&fold_pattern(f.prefix.as_deref().unwrap_or_default()));
    let suffix = squeeze(&fold_pattern(f.suffix.as_deref().unwrap_or_default()));
    let scores: Vec<usize> = hits
        .iter()
        .map(|h| {
            let before = context(folded, *h, prefix.chars().count(), true);
            let after = context(folded, *h, suffix.chars().count(), false);
            common_end(&before, &prefix) + common_start(&after, &suffix)
        })
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let tied: Vec<Hit> = hits
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s == best)
        .map(|(h, _)| *h)
        .collect();
    if let [one] = tied.as_slice() {
        return Some(*one);
    }
    let start = f.start?;
    let mut at = tied.into_iter().filter(|h| char_offset(reading, folded, *h) == start);
    match (at.next(), at.next()) {
        (Some(h), None) => Some(h),
        _ => None,
    }
}

/// Up to `chars` characters (white space aside) of the folded text before or after a match,
/// across blocks.
fn context(folded: &[Folded], h: Hit, chars: usize, before: bool) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut block = h.block;
    let mut piece = if before {
        &folded[block].text[..h.start]
    } else {
        &folded[block].text[h.end..]
    };
    loop {
        let letters = piece.chars().filter(|c| !c.is_whitespace());
        if before {
            let mut got: Vec<char> = letters.collect();
            got.reverse();
            out.extend(got.into_iter().take(chars - out.len().min(chars)));
        } else {
            out.extend(letters.take(chars - out.len().min(chars)));
        }
        if out.len() >= chars {
            break;
        }
        match before {
            true if block > 0 => block -= 1,
            false if block + 1 < folded.len() => block += 1,
            _ => break,
        }
        piece = &folded[block].text;
    }
    if before {
        out.reverse();
    }
    out.into_iter().collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// How many characters `a` and `b` share at their ends.
fn common_end(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

/// How many characters `a` and `b` share at their starts.
fn common_start(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// A match's start in characters of the reading text, its blocks joined by a line break (as
/// `annotations.jsonld`'s TextPositionSelector counts).
fn char_offset(reading: &Reading, folded: &[Folded], h: Hit) -> usize {
    let before: usize = reading.blocks[..h.block]
        .iter()
        .map(|b| b.text.chars().count() + 1)
        .sum();
    let text = &reading.blocks[h.block].text;
    before + text[..folded[h.block].original(h.start)].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foreign(exact: &str, prefix: &str, suffix: &str, start: Option<usize>) -> Foreign {
        Foreign {
            exact: exact.into(),
            prefix: Some(prefix.into()).filter(|p: &String| !p.is_empty()),
            suffix: Some(suffix.into()).filter(|s: &String| !s.is_empty()),
            start,
            ..Foreign::default()
        }
    }

    fn run(md: &str, f: &Foreign) -> Result<Picked, Orphan> {
        let reading = crate::resolve::reading::of_markdown(md);
        let folded: Vec<Folded> = reading.blocks.iter().map(|b| Folded::new(&b.text)).collect();
        place(&reading, &folded, f).map(|(picked, _)| picked)
    }

    #[test]
    fn the_context_picks_a_match_and_glossa_writes_its_own_picker() {
        let md = "Der Hund bellt.\n\nEin Hund schläft lange.\n";
        let p = run(md, &foreign("Hund", "bellt.\n\nEin ", "", None)).unwrap();
        assert_eq!((p.quote.as_str(), p.prefix.as_deref()), ("Hund", Some("Ein ")));
        let p = run(md, &foreign("Hund", "", " schläft", None)).unwrap();
        assert_eq!(p.prefix.as_deref(), Some("Ein "));
    }

    #[test]
    fn a_position_decides_where_the_context_does_not() {
        let md = "Hund.\n\nHund.\n";
        assert_eq!(run(md, &foreign("Hund", "", "", None)), Err(Orphan::Ambiguous(2)));
        let p = run(md, &foreign("Hund", "", "", Some(6))).unwrap();
        assert_eq!(p.occurrence, Some(2));
        assert_eq!(run(md, &foreign("Katze", "", "", None)), Err(Orphan::NotFound));
    }

    #[test]
    fn addresses_are_read_back_as_glossa_writes_them() {
        let a = Addresses {
            base: "https://x.org/r/",
            docs: vec!["a", "b"],
            pages: vec!["about"],
            entries: vec!["hund"],
        };
        assert_eq!(a.see("https://x.org/r/b/index.html#p-1", 0), "doc:b#p-1");
        assert_eq!(a.see("https://x.org/r/a/index.html#p-1", 0), "#p-1");
        assert_eq!(a.see("https://x.org/r/about/index.html", 0), "page:about");
        assert_eq!(a.see("https://x.org/r/glossary/hund/index.html", 0), "term:hund");
        assert_eq!(
            a.see("https://elsewhere.org/b/index.html", 0),
            "https://elsewhere.org/b/index.html"
        );
        assert_eq!(
            a.term("https://x.org/r/glossary/hund/index.html").as_deref(),
            Some("hund")
        );
        assert_eq!(a.page("http://localhost:1111/b/", true), Some(Target::Doc(1, None)));
        assert_eq!(a.id("https://x.org/r/a/index.html#mine", 0).as_deref(), Some("mine"));
        assert_eq!(a.id("https://x.org/r/a/index.html#a-3", 0), None);
        assert_eq!(a.id("https://x.org/r/b/index.html#mine", 0), None);
    }
}
