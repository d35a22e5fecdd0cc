//! Cross-links: `doc:SLUG[#ID]`, `term:ID`, `page:NAME[#ID]` → relative URLs, checked.

use crate::diagnostics::Code;
use crate::layout::{PageRef, Target};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What exists in the site, to check links against.
#[derive(Default)]
pub struct SiteIndex {
    /// slug → (title, ids in the page); the ids are shared with the page's `ResolvedDoc`.
    pub docs: BTreeMap<String, (String, Arc<PageIds>)>,
    pub pages: BTreeMap<String, (String, Arc<PageIds>)>,
    pub terms: BTreeMap<String, String>,
    /// The files of content/static/, for `static:` links (the site's `Config::statics`).
    pub(crate) statics: Arc<crate::layout::StaticSet>,
}

/// Every id of a page. The numbered ids glossa gives paragraphs and notes (`p-N`, `note-N`,
/// `noteref-N`) are most of them and are kept as counts; the others (headings, annotations,
/// glossary occurrences) by name.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PageIds {
    pub paragraphs: usize,
    pub notes: usize,
    pub named: Names,
}

/// A set of names kept small: sorted, in one string. Every document keeps its ids until the
/// site's links are checked, a few dozen each; in a hash set of strings, each costs about 80
/// bytes, here its own bytes and eight more. Looked up only for a link with a fragment.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    text: String,
    /// Where each name stands in `text`, in order.
    spans: Vec<(u32, u32)>,
}

impl Names {
    pub fn new(names: impl IntoIterator<Item = String>) -> Names {
        let mut names: Vec<String> = names.into_iter().collect();
        names.sort_unstable();
        names.dedup();
        let mut text = String::with_capacity(names.iter().map(String::len).sum());
        let mut spans = Vec::with_capacity(names.len());
        for n in &names {
            let start = text.len() as u32;
            text.push_str(n);
            spans.push((start, text.len() as u32));
        }
        Names { text, spans }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.spans.binary_search_by(|&span| self.get(span).cmp(name)).is_ok()
    }

    /// The names, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.spans.iter().map(|&span| self.get(span))
    }

    fn get(&self, (start, end): (u32, u32)) -> &str {
        &self.text[start as usize..end as usize]
    }
}

impl PageIds {
    pub fn contains(&self, id: &str) -> bool {
        self.named.contains(id) || PageIds::is_numbered(id, self.paragraphs, self.notes)
    }

    /// Whether `id` is one of the numbered ids of a page with `paragraphs` paragraphs and
    /// `notes` notes: `p-N`, `note-N` or `noteref-N`, N written without leading zeros.
    pub fn is_numbered(id: &str, paragraphs: usize, notes: usize) -> bool {
        let numbered = |prefix: &str, max: usize| {
            id.strip_prefix(prefix)
                // Digits only (`parse` takes a `+` too), no leading zero.
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|k| (1..=max).contains(&k))
        };
        numbered("p-", paragraphs) || numbered("note-", notes) || numbered("noteref-", notes)
    }

    /// Every id, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = String> + '_ {
        (1..=self.paragraphs)
            .map(|n| format!("p-{n}"))
            .chain((1..=self.notes).flat_map(|n| [format!("note-{n}"), format!("noteref-{n}")]))
            .chain(self.named.iter().map(str::to_owned))
    }
}

/// Why a link does not resolve: its code, the message and a hint.
pub type LinkError = (Code, String, Option<String>);

impl SiteIndex {
    /// Checks a target. `own_ids` are the ids of the page the link is on, for `#id`.
    pub fn check(&self, target: &Target, own_ids: Option<&PageIds>) -> Result<Option<PageRef>, LinkError> {
        let names = |m: &BTreeMap<String, (String, Arc<PageIds>)>| m.keys().cloned().collect::<Vec<_>>();
        let suggest = |word: &str, cands: Vec<String>| {
            crate::diagnostics::did_you_mean(word, cands.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"))
        };
        let fragment = |ids: &PageIds, f: &Option<String>, what: &str| -> Result<(), LinkError> {
            match f {
                Some(f) if !ids.contains(f) => {
                    let mut c: Vec<String> = ids.all().collect();
                    c.sort();
                    Err((
                        Code::LinkFragmentNotFound,
                        format!("{what} has no element with id `{f}`"),
                        suggest(f, c),
                    ))
                }
                _ => Ok(()),
            }
        };
        match target {
            Target::Doc { slug, fragment: f } => match self.docs.get(slug) {
                Some((_, ids)) => {
                    fragment(ids, f, &format!("document `{slug}`")).map(|_| Some(PageRef::Doc(slug.clone())))
                }
                None => Err((
                    Code::LinkNotFound,
                    format!("no document has the slug `{slug}`"),
                    suggest(slug, names(&self.docs)),
                )),
            },
            Target::Page { name, fragment: f } => match self.pages.get(name) {
                Some((_, ids)) => {
                    fragment(ids, f, &format!("page `{name}`")).map(|_| Some(PageRef::Page(name.clone())))
                }
                None => Err((
                    Code::LinkNotFound,
                    format!("no page is named `{name}`"),
                    suggest(name, names(&self.pages)),
                )),
            },
            Target::Term { id } => match self.terms.contains_key(id) {
                true => Ok(Some(PageRef::Term(id.clone()))),
                false => Err((
                    Code::LinkNotFound,
                    format!("unknown glossary id `{id}`"),
                    suggest(id, self.terms.keys().cloned().collect()),
                )),
            },
            Target::Static { path, .. } => self.statics.check(path).map(|_| None),
            Target::Fragment(f) => match own_ids {
                Some(ids) => fragment(ids, &Some(f.clone()), "this page").map(|_| None),
                None => Ok(None),
            },
            Target::Other => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::classify;

    #[test]
    fn names_are_found_by_their_whole_text() {
        let names = Names::new(["t-katze-1", "a-2", "intro", "a-10", "a-2"].map(String::from));
        assert_eq!(names.iter().collect::<Vec<_>>(), ["a-10", "a-2", "intro", "t-katze-1"]);
        for n in ["a-10", "a-2", "intro", "t-katze-1"] {
            assert!(names.contains(n), "{n}");
        }
        for n in ["", "a", "a-1", "a-100", "a-2 ", "intr", "introx", "t-katze", "zz"] {
            assert!(!names.contains(n), "{n}");
        }
        assert!(!Names::default().contains(""));
    }

    #[test]
    fn checks_targets_with_suggestions() {
        let mut idx = SiteIndex::default();
        let ids = PageIds {
            paragraphs: 1,
            notes: 1,
            named: Names::new(["intro".to_string()]),
        };
        idx.docs.insert("erlkoenig".into(), ("Erlkönig".into(), Arc::new(ids)));
        idx.terms.insert("goethe".into(), "Goethe".into());
        for id in ["p-1", "note-1", "noteref-1", "intro"] {
            assert!(
                idx.check(&classify(&format!("doc:erlkoenig#{id}")).unwrap(), None)
                    .is_ok()
            );
        }
        for id in [
            "p-01",
            "p-0",
            "note-2",
            "noteref-",
            "p-1x",
            "p-+1",
            "note-+1",
            "p-18446744073709551617",
        ] {
            assert!(
                idx.check(&classify(&format!("doc:erlkoenig#{id}")).unwrap(), None)
                    .is_err(),
                "{id}"
            );
        }
        let (code, m, h) = idx.check(&classify("doc:erlkoenig#p-2").unwrap(), None).unwrap_err();
        assert_eq!(code, Code::LinkFragmentNotFound);
        assert!(m.contains("`p-2`"));
        assert_eq!(h.as_deref(), Some("did you mean `p-1`?"));
        let (code, _, h) = idx.check(&classify("term:goehte").unwrap(), None).unwrap_err();
        assert_eq!(code, Code::LinkNotFound);
        assert_eq!(h.as_deref(), Some("did you mean `goethe`?"));
        assert!(idx.check(&classify("page:nope").unwrap(), None).is_err());
    }
}
