//! The lists of backlinks pages show ("linked from"): each page that links another, in the
//! order the lists take (by title, then address), made once for the whole site when a page
//! first shows one.
//!
//! A page linked from many others (a note in every document links to it) shows thousands of
//! backlinks, and the same pages link many pages. So each page that links another is looked up,
//! placed in the order and made into a template value once, not once for each page it links:
//! a list is then the places of its pages, sorted as numbers, and their values, shared.

use super::{PageMaker, READING_ROOTS};
use crate::concat::cat;
use crate::hash::FastMap;
use crate::layout::{PageRef, page_path};
use std::sync::OnceLock;

/// Every page that links another, in the order the lists of backlinks show them.
#[derive(Default)]
pub(super) struct Linkers {
    order: OnceLock<Order>,
    /// By root (as [`READING_ROOTS`]), by place in the order: the page's link as a template
    /// value, its address made from that root.
    values: [OnceLock<Vec<tera::Value>>; 2],
}

/// The pages that link others, ordered.
struct Order {
    /// By kind of page and name: the page's place in `pages`.
    docs: FastMap<String, u32>,
    pages: FastMap<String, u32>,
    terms: FastMap<String, u32>,
    /// By place: each page's title and path from the site root, by title, then path.
    linkers: Vec<(String, String)>,
}

impl Order {
    fn new(maker: &PageMaker) -> Order {
        // In page order first, as each list's set holds them, then sorted stably, as each list
        // was.
        let mut all: Vec<&PageRef> = maker.site.backlinks.values().flatten().collect();
        all.sort_unstable();
        all.dedup();
        let mut linkers: Vec<(String, String, &PageRef)> = (all.into_iter())
            .map(|r| (maker.title_of(r), page_path(r), r))
            .collect();
        linkers.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut order = Order {
            docs: FastMap::default(),
            pages: FastMap::default(),
            terms: FastMap::default(),
            linkers: Vec::with_capacity(linkers.len()),
        };
        for (at, (title, path, r)) in linkers.into_iter().enumerate() {
            let (map, name) = match r {
                PageRef::Doc(s) => (&mut order.docs, s),
                PageRef::Page(s) => (&mut order.pages, s),
                PageRef::Term(s) => (&mut order.terms, s),
            };
            map.insert(name.clone(), at as u32);
            order.linkers.push((title, path));
        }
        order
    }

    fn place(&self, r: &PageRef) -> Option<u32> {
        match r {
            PageRef::Doc(s) => self.docs.get(s),
            PageRef::Page(s) => self.pages.get(s),
            PageRef::Term(s) => self.terms.get(s),
        }
        .copied()
    }

    /// Each page's link, `{title, url}` as [`super::views::Link`], from `root`.
    fn values(&self, root: &str) -> Vec<tera::Value> {
        (self.linkers.iter())
            .map(|(title, path)| {
                let link = super::views::Link {
                    title: title.clone(),
                    url: cat![root, path],
                };
                tera::Value::from_serializable(&link)
            })
            .collect()
    }
}

impl PageMaker<'_> {
    /// The pages that link `target`, as its list of backlinks shows them from `root`: each a
    /// [`super::views::Link`] made into a template value, by title, then address.
    pub(super) fn backlinks(&self, target: &PageRef, root: &str) -> Vec<tera::Value> {
        let Some(from) = self.site.backlinks.get(target) else {
            return Vec::new();
        };
        let order = self.linkers.order.get_or_init(|| Order::new(self));
        let mut places: Vec<u32> = from.iter().filter_map(|r| order.place(r)).collect();
        places.sort_unstable();
        let values = |all: &[tera::Value]| places.iter().map(|&at| all[at as usize].clone()).collect();
        match READING_ROOTS.iter().position(|r| *r == root) {
            Some(i) => values(self.linkers.values[i].get_or_init(|| order.values(root))),
            None => values(&order.values(root)),
        }
    }
}
