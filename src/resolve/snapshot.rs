//! A snapshot of a resolved [`Site`]: what a build keeps between runs (the build cache,
//! docs/incremental.md) so that, after an edit, it resolves again only the edited documents.
//!
//! [`save_to`] writes the site's documents, pages, glossary entries and backlinks as they are
//! resolved; the rest of a [`Site`] is made again by [`load`]: the configuration (given, as
//! read for this build), the glossary's matcher and the index of ids, none of which needs a
//! link checked. Bytes in, bytes out: where the snapshot is kept is the cache's business.
//!
//! Take a snapshot before [`Site::forget_links`]: the documents' links are in it, for the build
//! that loads it to check the edited documents' links and the links into them.
//!
//! The bytes are *parts*, each one a hash of the rest of it, then `MAGIC`, `FORMAT` and
//! glossa's version, then its values (postcard): a *chunk* holds `CHUNK` documents, and the
//! *head* the hashes of the chunks, in order, then the pages, the entries and the backlinks. A
//! part is named by its hash, so that a store of them (the cache) can keep a chunk that did not
//! change instead of writing it again, and a head names exactly the chunks it was saved with. A
//! site loaded from a snapshot remembers its chunks ([`Origin`]): saved again after an edit, a
//! chunk that holds the same documents in the same order, none of them resolved again, is
//! given back as it was read, neither encoded nor hashed again. What rendering makes again
//! alike is left out (`ResolvedDoc::note_html`). Parts that do not start so, do not match their
//! hash, are not the ones their head names or do not read back whole are no snapshot of this
//! glossa's site: [`Kept::new`] or [`load`] refuses them, never with a panic.

use super::{Glossary, ResolvedDoc, Site};
use crate::config::Config;
use crate::hash::FastSet;
use crate::layout::PageRef;
use crate::parse::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// What a part starts with, after its hash.
const MAGIC: &[u8] = b"glossa snapshot\n";

/// The layout of the values written. Bump it with any change to the fields (or their serde
/// attributes) of [`ResolvedDoc`], [`Entry`] and what they hold: a snapshot of another layout
/// is not read (the test `the_format_is_pinned` tells when the bytes change).
const FORMAT: u32 = 4;

/// How many documents a chunk holds: the chunks are made and read in parallel, and an edit
/// changes few of them.
const CHUNK: usize = 256;

/// The bytes of a part's hash, before the rest.
const HASH: usize = 8;

/// The header of a part, after its hash: [`MAGIC`], [`FORMAT`], glossa's version.
fn header() -> Vec<u8> {
    let version = env!("CARGO_PKG_VERSION");
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + 1 + version.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.push(version.len() as u8);
    out.extend_from_slice(version.as_bytes());
    out
}

/// A part holding `values` ([`postcard`]'s bytes), with its hash.
fn part<T: serde::Serialize + ?Sized>(values: &T) -> std::io::Result<(u64, Vec<u8>)> {
    let mut bytes = vec![0; HASH];
    bytes.extend_from_slice(&header());
    let mut bytes = postcard::to_extend(values, bytes).map_err(std::io::Error::other)?;
    let hash = crate::hash::of_bytes(&bytes[HASH..]);
    bytes[..HASH].copy_from_slice(&hash.to_le_bytes());
    Ok((hash, bytes))
}

/// The hash of a part, if it is whole: it starts with the hash of the rest of it and this
/// glossa's header.
pub fn hash_of(part: &[u8]) -> Option<u64> {
    let (sum, rest) = part.split_first_chunk::<HASH>()?;
    let sum = u64::from_le_bytes(*sum);
    (rest.starts_with(&header()) && crate::hash::of_bytes(rest) == sum).then_some(sum)
}

/// The values of a part (after its hash and header), if it has a header.
fn values(part: &[u8]) -> Option<&[u8]> {
    part.get(HASH..)?.strip_prefix(header().as_slice())
}

/// The hashes of the chunks a head names, in order, if it reads as a head (not checked against
/// its hash: [`Kept::new`] does that), for the store to fetch them.
pub fn chunks_named(head: &[u8]) -> Option<Vec<u64>> {
    postcard::take_from_bytes(values(head)?).ok().map(|(names, _)| names)
}

/// The site's documents, pages, glossary entries and backlinks as parts, each given to `put`
/// with its hash as it is made (the chunks in order, made in parallel a few at a time, then the
/// head): the snapshot is never held whole. A chunk the site was loaded with and still holds as
/// it was ([`Origin`]) is given by its name alone (`None`): its file is where it was read from.
/// Returns the head's hash. Take it before [`Site::forget_links`].
pub fn save_to(site: &Site, put: &mut Put) -> std::io::Result<u64> {
    save_parts(site, site.origin.as_ref(), put)
}

/// Where [`save_to`] gives each part: its name, and its bytes unless it is as it was read.
pub type Put<'a> = dyn FnMut(u64, Option<&[u8]>) -> std::io::Result<()> + 'a;

/// [`save_to`], giving back the chunks `origin` holds as they were read.
fn save_parts(site: &Site, origin: Option<&Origin>, put: &mut Put) -> std::io::Result<u64> {
    use rayon::prelude::*;
    let mut names = Vec::with_capacity(site.docs.len().div_ceil(CHUNK));
    let batch = CHUNK * 2 * rayon::current_num_threads();
    for (b, docs) in site.docs.chunks(batch).enumerate() {
        let first = b * batch / CHUNK;
        let made: Vec<(u64, Option<Vec<u8>>)> = (docs.par_chunks(CHUNK).enumerate())
            .map(|(i, chunk)| match origin.and_then(|o| o.unchanged(first + i, chunk)) {
                Some(hash) => Ok((hash, None)),
                None => part(chunk).map(|(hash, bytes)| (hash, Some(bytes))),
            })
            .collect::<Result<_, _>>()?;
        for (hash, bytes) in made {
            put(hash, bytes.as_deref())?;
            names.push(hash);
        }
    }
    let (hash, head) = part(&(&names, &site.pages, &site.entries, stored_backlinks(&site.backlinks)))?;
    put(hash, Some(&head))?;
    Ok(hash)
}

/// The chunks a site was loaded with ([`load`]), and the documents resolved again since, for
/// [`save_to`] to give back the chunks that did not change.
pub struct Origin {
    chunks: Vec<OriginChunk>,
    /// The slugs of the documents resolved again since the site was loaded.
    edited: FastSet<String>,
}

/// A chunk as it was read: its name (hash) and the hash of its documents' slugs in order. Its
/// bytes are not kept: its file is in the cache, and the memory goes to the build.
struct OriginChunk {
    hash: u64,
    slugs: u64,
}

impl Origin {
    /// Notes that the documents `slugs` were resolved again: their chunks are made again.
    pub(crate) fn edited(&mut self, slugs: &[String]) {
        self.edited.extend(slugs.iter().cloned());
    }

    /// The name of the chunk at `at` as it was read, if `docs` are the documents it held, in
    /// its order, none resolved again since.
    fn unchanged(&self, at: usize, docs: &[ResolvedDoc]) -> Option<u64> {
        let chunk = self.chunks.get(at)?;
        let same = chunk.slugs == slugs_hash(docs) && !docs.iter().any(|d| self.edited.contains(&d.doc.slug));
        same.then_some(chunk.hash)
    }
}

/// A hash of the documents' slugs in order: a chunk's documents are known by it.
fn slugs_hash(docs: &[ResolvedDoc]) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut hasher = foldhash::fast::FixedState::default().build_hasher();
    for d in docs {
        d.doc.slug.hash(&mut hasher);
    }
    hasher.finish()
}

/// A page as the head keeps it among the backlinks: its kind (0 a document, 1 an extra page, 2
/// a glossary entry) and its slug or id.
type StoredRef<S> = (u8, S);

/// The backlinks as the head keeps them: each target with the pages that link to it, in order.
type StoredBacklinks<S> = Vec<(StoredRef<S>, Vec<StoredRef<S>>)>;

fn stored_ref(page: &PageRef) -> StoredRef<&str> {
    match page {
        PageRef::Doc(slug) => (0, slug),
        PageRef::Page(slug) => (1, slug),
        PageRef::Term(id) => (2, id),
    }
}

/// The page a [`StoredRef`] names, if its kind is one.
fn page_ref((kind, name): StoredRef<String>) -> Option<PageRef> {
    match kind {
        0 => Some(PageRef::Doc(name)),
        1 => Some(PageRef::Page(name)),
        2 => Some(PageRef::Term(name)),
        _ => None,
    }
}

fn stored_backlinks(backlinks: &BTreeMap<PageRef, BTreeSet<PageRef>>) -> StoredBacklinks<&str> {
    (backlinks.iter())
        .map(|(to, from)| (stored_ref(to), from.iter().map(stored_ref).collect()))
        .collect()
}

/// The backlinks the head kept, if every page in them is of a kind and each list is in order
/// (as saved): a map built from them is the map saved.
fn read_backlinks(stored: StoredBacklinks<String>) -> Option<BTreeMap<PageRef, BTreeSet<PageRef>>> {
    let mut backlinks = Vec::with_capacity(stored.len());
    for (to, from) in stored {
        let from: Vec<PageRef> = from.into_iter().map(page_ref).collect::<Option<_>>()?;
        backlinks.push((page_ref(to)?, from.into_iter().collect::<BTreeSet<_>>()));
    }
    Some(backlinks.into_iter().collect())
}

/// [`save_to`] into memory, every part made (none given back as read).
pub fn save(site: &Site) -> Kept {
    let mut parts = Vec::new();
    // Making a part fails for no value these types hold (every sequence has its length, every
    // path is written as bytes); were it to, no parts are no snapshot to `load`.
    let mut keep = |_, bytes: Option<&[u8]>| {
        parts.push(bytes.unwrap_or_default().to_vec());
        Ok(())
    };
    if save_parts(site, None, &mut keep).is_err() {
        parts.clear();
    }
    let head = parts.pop().unwrap_or_default();
    Kept { head, chunks: parts }
}

/// A snapshot's parts, as [`save_to`] gave them, checked: the head, and the chunks it names,
/// in order.
#[derive(Clone, PartialEq)]
pub struct Kept {
    head: Vec<u8>,
    chunks: Vec<Vec<u8>>,
}

/// The parts' sizes: their bytes are too many to show.
impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let chunks: Vec<usize> = self.chunks.iter().map(Vec::len).collect();
        write!(
            f,
            "Kept {{ head: {} bytes, chunks: {chunks:?} bytes }}",
            self.head.len()
        )
    }
}

/// Which part of a snapshot is not what its head or its store says it is.
#[derive(Debug, PartialEq, Eq)]
pub enum Spoiled {
    /// The head: not whole, or not of this glossa.
    Head,
    /// The chunk at this place in the head's list: not whole, or not the one the head names.
    Chunk(usize),
}

impl Kept {
    /// The parts of a snapshot, if each is whole and the chunks are those the head names, in
    /// order; otherwise the first part found spoiled.
    pub fn new(head: Vec<u8>, chunks: Vec<Vec<u8>>) -> Result<Kept, Spoiled> {
        use rayon::prelude::*;
        let names = hash_of(&head).and_then(|_| chunks_named(&head)).ok_or(Spoiled::Head)?;
        if names.len() != chunks.len() {
            return Err(Spoiled::Head);
        }
        let bad = (chunks.par_iter().zip(&names)).position_first(|(chunk, name)| hash_of(chunk) != Some(*name));
        match bad {
            Some(at) => Err(Spoiled::Chunk(at)),
            None => Ok(Kept { head, chunks }),
        }
    }
}

/// The site [`save_to`] wrote, made whole again with `config`: its backlinks as kept and its
/// index made again (`Site::relink_kept`), without the checks of [`super::resolve`], whose
/// messages the build that saved the snapshot gave; no link is checked. The site keeps the
/// parts it was read from ([`Origin`]), for a save after an edit to give back those that did
/// not change. Its glossary is built for what `scan` says the site will resolve again. `None`
/// for parts that do not read back whole as this glossa's values.
pub fn load(kept: Kept, config: Config, scan: super::glossary::Scan) -> Option<Site> {
    let (names, chunks, pages, entries, backlinks) = read(&kept)?;
    drop(kept);
    let origin = Origin {
        chunks: (names.into_iter().zip(&chunks))
            .map(|(hash, docs)| OriginChunk {
                hash,
                slugs: slugs_hash(docs),
            })
            .collect(),
        edited: FastSet::default(),
    };
    let mut docs = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        docs.extend(chunk);
    }
    let glossary = Glossary::scanning(&entries, scan);
    let mut site = Site {
        config,
        docs,
        pages,
        entries,
        backlinks: Default::default(),
        index: Default::default(),
        glossary,
        origin: None,
    };
    site.relink_kept(backlinks);
    site.origin = Some(origin);
    Some(site)
}

/// What the head of a snapshot holds: the chunks' names, the pages, the entries, the backlinks.
type Head = (Vec<u64>, Vec<ResolvedDoc>, Vec<Entry>, StoredBacklinks<String>);

/// What [`read`] makes of a snapshot: the chunks' names, the chunks of documents, the pages,
/// the entries and the backlinks.
type Read = (
    Vec<u64>,
    Vec<Vec<ResolvedDoc>>,
    Vec<ResolvedDoc>,
    Vec<Entry>,
    BTreeMap<PageRef, BTreeSet<PageRef>>,
);

/// The chunks' names and documents, pages, entries and backlinks of a snapshot's parts, if
/// they read back whole.
fn read(kept: &Kept) -> Option<Read> {
    use rayon::prelude::*;
    let (chunks, head) = rayon::join(
        || {
            (kept.chunks.par_iter())
                .map(|c| values(c).and_then(whole))
                .collect::<Option<Vec<Vec<ResolvedDoc>>>>()
        },
        || {
            let (names, pages, entries, backlinks): Head = whole(values(&kept.head)?)?;
            Some((names, pages, entries, read_backlinks(backlinks)?))
        },
    );
    let (names, pages, entries, backlinks) = head?;
    Some((names, chunks?, pages, entries, backlinks))
}

/// The value `bytes` hold, if they hold one and nothing more.
fn whole<'b, T: serde::Deserialize<'b>>(bytes: &'b [u8]) -> Option<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Sink, render_site};
    use crate::resolve::glossary::Scan;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// A sink that keeps every file's bytes.
    #[derive(Default)]
    struct Files(Mutex<BTreeMap<String, Vec<u8>>>);

    /// A file streamed into [`Files`], kept when it is done.
    struct Streamed<'f> {
        files: &'f Files,
        path: String,
        bytes: Vec<u8>,
    }

    impl std::io::Write for Streamed<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.bytes.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Drop for Streamed<'_> {
        fn drop(&mut self) {
            let bytes = std::mem::take(&mut self.bytes);
            self.files
                .0
                .lock()
                .unwrap()
                .insert(std::mem::take(&mut self.path), bytes);
        }
    }

    impl Sink for Files {
        fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
            self.0.lock().unwrap().insert(path.to_owned(), bytes.to_vec());
            Ok(())
        }
        fn stream(&self, path: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
            Ok(Box::new(Streamed {
                files: self,
                path: path.to_owned(),
                bytes: Vec::new(),
            }))
        }
    }

    /// The site at `root`, loaded as a build loads it: it must load without errors.
    fn load_site(root: &Path) -> Site {
        let opts = crate::BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let mut diags = Vec::new();
        let site = crate::load::load(&opts, &mut diags).unwrap().expect("the site loads");
        assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
        site
    }

    /// Every file the site renders to, by path.
    fn rendered(root: &Path, site: &Site) -> BTreeMap<String, Vec<u8>> {
        let mut diags = Vec::new();
        let theme = crate::theme::load(root, &site.config.theme, &site.config.lang, &mut diags).expect("the theme");
        let files = Files::default();
        render_site(site, &crate::load::Reload::new(&site.config), &theme, &files).expect("the site renders");
        files.0.into_inner().unwrap()
    }

    /// The site at `root` snapshotted, loaded back and rendered gives every file, byte for byte,
    /// as the site did; and the site loaded back snapshots to the same bytes.
    fn assert_round_trip(root: &Path) {
        let site = load_site(root);
        let bytes = save(&site);
        let back = load(bytes.clone(), site.config.clone(), Scan::Site).expect("a snapshot loads");
        assert!(save(&back) == bytes, "the site loaded back is the site saved");
        let (before, after) = (rendered(root, &site), rendered(root, &back));
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "the same files"
        );
        for (path, bytes) in &before {
            assert!(after[path] == *bytes, "{path} differs once the site is loaded back");
        }
        assert_eq!(site.backlinks, back.backlinks, "the backlinks are made again");
        assert!(before.len() > 5, "{:?}", before.keys());
    }

    const FIXTURE: &[(&str, &str)] = &[
        (
            "content/site.yaml",
            "title: Lesesaal\nlang: de\nbase_url: https://example.org/\ntranslations: [en]\n",
        ),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  forms: [Hund, Hunde]\n  definition: Ein Tier, [bellt](doc:hunde#p-1).\n  see: [katze]\n\
             - id: katze\n  term: Katze\n  kind: Tier\n  definition: Schläft.\n  see: [hund]\n",
        ),
        (
            "content/pages/about.md",
            "# Über\n\nSiehe [die Hunde](doc:hunde) und [Hund](term:hund).\n\n## Quellen {#quellen}\n\nKeine.\n",
        ),
        (
            "seeds/hunde.md",
            "---\nslug: hunde\nauthor: A. Autor\ndate: 2024-05-01\ntags: [tiere]\n---\n# Die Hunde\n\n\
             Der Hund bellt laut.[^1] Ein Hund ist kein Fuchs.\n\nDie Katze schläft, siehe [Verse](doc:verse#p-2).\n\n\
             [^1]: Sehr laut, siehe [oben](#p-1).\n",
        ),
        (
            "seeds/hunde.yaml",
            "summary: Über Hunde.\nannotations:\n  - quote: bellt laut\n    note: Eine *Notiz* mit [Link](page:about#quellen).\n    gloss: barks\n\
             \x20 - quote: Katze\n    term: katze\n  - quote: Fuchs\n    see: term:hund\n  - quote: schläft\n    note: Ohne Link.\n",
        ),
        (
            "seeds/verse.txt",
            "Verse\n\nDer Hund\nim Garten\n\nDie Katze\nauf dem Dach\n",
        ),
        (
            "seeds/verse.yaml",
            "lines: keep\nannotations:\n  - quote: Garten\n    gloss: garden\n    see: doc:hunde\n",
        ),
        (
            "content/translations/en/verse.txt",
            "Verses\n\nThe dog\nin the garden\n\nThe cat\non the roof\n",
        ),
    ];

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in FIXTURE {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// A site with notes, glosses, terms, `see:` links, a translation, a footnote, a page and a
    /// glossary with `see:`, loaded back from its snapshot, renders every file as it did.
    #[test]
    fn a_site_loaded_back_renders_every_file_as_it_did() {
        let dir = fixture();
        let site = load_site(dir.path());
        let hunde = site.docs.iter().find(|d| d.doc.slug == "hunde").unwrap();
        assert!(hunde.doc.slug_origin.is_some() && hunde.note_html.iter().any(Option::is_some));
        assert!(site.docs.iter().any(|d| !d.translations.is_empty()));
        assert_round_trip(dir.path());
        // The selectors a build dropped are read back as the one shared empty selector.
        let back = load(save(&site), site.config.clone(), Scan::Few).unwrap();
        let none = crate::parse::sidecar::Selector::none();
        let selectors: Vec<_> = back.docs.iter().flat_map(|d| d.doc.annotations.iter()).collect();
        assert!(selectors.len() > 3 && selectors.iter().all(|a| std::sync::Arc::ptr_eq(&a.selector, &none)));
    }

    /// A site of many chunks, written a few at a time, reads back whole and in order.
    #[test]
    fn many_chunks_read_back_in_order() {
        let small = site_in_memory();
        let n = CHUNK * 2 * rayon::current_num_threads() + CHUNK + 3;
        let many = |docs: Vec<ResolvedDoc>| Site {
            docs,
            pages: small.pages.clone(),
            entries: small.entries.clone(),
            config: Config::default(),
            backlinks: Default::default(),
            index: Default::default(),
            glossary: Glossary::new(&small.entries),
            origin: None,
        };
        let mut docs: Vec<ResolvedDoc> = small.docs.iter().cycle().take(n).cloned().collect();
        for (i, d) in docs.iter_mut().enumerate() {
            d.doc.slug = format!("d{i}");
        }
        let bytes = save(&many(docs));
        let (_, chunks, _, entries, _) = read(&bytes).expect("a snapshot of many chunks");
        let docs: Vec<ResolvedDoc> = chunks.into_iter().flatten().collect();
        assert_eq!(entries.len(), small.entries.len());
        let slugs: Vec<String> = docs.iter().map(|d| d.doc.slug.clone()).collect();
        assert_eq!(slugs, (0..n).map(|i| format!("d{i}")).collect::<Vec<_>>());
        assert!(save(&many(docs)) == bytes, "read back as written");
    }

    /// A site of `n` documents `d0`, `d1`, … in that order (by title), made of the fixture's.
    fn site_of(n: usize) -> Site {
        let small = site_in_memory();
        let mut docs: Vec<ResolvedDoc> = small.docs.iter().cycle().take(n).cloned().collect();
        for (i, d) in docs.iter_mut().enumerate() {
            d.doc.slug = format!("d{i}");
            d.doc.title = format!("T{i:05}");
            d.doc.meta.date = None;
        }
        Site {
            docs,
            origin: None,
            ..small
        }
    }

    /// The parts `site` saves to, with their names, in order (the head last): `None` for a
    /// chunk given back as it was read.
    fn parts(site: &Site) -> Vec<(u64, Option<Vec<u8>>)> {
        let mut parts = Vec::new();
        save_to(site, &mut |hash, bytes| {
            parts.push((hash, bytes.map(<[u8]>::to_vec)));
            Ok(())
        })
        .unwrap();
        parts
    }

    /// A site loaded from a snapshot saves again, after an edit, to the parts a site never
    /// saved saves to; the chunks that hold the same documents in the same order, none edited,
    /// are given back as they were read (by their names alone), and only the others
    /// are made again: the edited document's, and every chunk a document that moved (its title
    /// changed its place) left, crossed or entered.
    #[test]
    fn a_save_after_an_edit_makes_again_only_the_chunks_it_changed() {
        let n = CHUNK * 5 + 7;
        let chunks = n.div_ceil(CHUNK);
        let made_again = |edit: &dyn Fn(&mut Site) -> Vec<String>| -> Vec<usize> {
            let mut site = load(save(&site_of(n)), Config::default(), Scan::Few).expect("a snapshot loads");
            let slugs = edit(&mut site);
            site.relink_edited(&slugs, &mut Vec::new());
            let given = parts(&site);
            let fresh = parts(&Site {
                origin: None,
                docs: site.docs.clone(),
                pages: site.pages.clone(),
                entries: site.entries.clone(),
                config: Config::default(),
                backlinks: site.backlinks.clone(),
                index: Default::default(),
                glossary: Glossary::new(&site.entries),
            });
            assert_eq!(given.len(), chunks + 1);
            let mut again = Vec::new();
            for (i, (given, fresh)) in given.iter().zip(&fresh).enumerate() {
                assert_eq!(given.0, fresh.0, "part {i} has the name a site never saved gives it");
                if given.1.is_none() {
                    assert!(i < chunks, "the head is made again");
                } else {
                    assert!(given == fresh, "part {i} as a site never saved makes it");
                    again.push(i);
                }
            }
            // The head names the chunks as a site never saved names them.
            assert!(given.last() == fresh.last());
            again.retain(|&i| i < chunks);
            again
        };
        let at = |site: &Site, slug: &str| site.docs.iter().position(|d| d.doc.slug == slug).unwrap();
        assert_eq!(made_again(&|_| Vec::new()), Vec::<usize>::new(), "nothing edited");
        let note_changed = |slug: &'static str| {
            move |site: &mut Site| {
                let i = at(site, slug);
                site.docs[i].notes += 1;
                vec![slug.to_owned()]
            }
        };
        assert_eq!(made_again(&note_changed("d300")), vec![1], "an edit in place");
        let retitled = |slug: &'static str, title: &'static str| {
            move |site: &mut Site| {
                let i = at(site, slug);
                site.docs[i].doc.title = title.to_owned();
                vec![slug.to_owned()]
            }
        };
        assert_eq!(
            made_again(&retitled("d10", "T99999")),
            (0..chunks).collect::<Vec<_>>(),
            "to the end"
        );
        assert_eq!(made_again(&retitled("d700", "T00600a")), vec![2], "within its chunk");
        assert_eq!(
            made_again(&retitled("d300", "T00700a")),
            vec![1, 2],
            "into the next chunk"
        );
    }

    /// The demo site (the repository's root) likewise.
    #[test]
    fn the_demo_site_loaded_back_renders_every_file_as_it_did() {
        assert_round_trip(Path::new(env!("CARGO_MANIFEST_DIR")));
    }

    /// A part cut short or with any byte changed is spoiled, and so is a chunk of another
    /// snapshot or one missing: [`Kept::new`] says which, never with a panic. A head of this
    /// format that names no chunk is the snapshot of a site without documents.
    #[test]
    fn cut_changed_foreign_or_missing_parts_are_spoiled() {
        let dir = fixture();
        let site = load_site(dir.path());
        let Kept { head, chunks } = save(&site);
        let kept = |head: &[u8], chunks: &[Vec<u8>]| Kept::new(head.to_vec(), chunks.to_vec()).map(|_| ());
        assert_eq!(kept(&head, &chunks), Ok(()));
        assert_eq!(chunks.len(), 1);
        for (in_head, whole) in [(true, &head), (false, &chunks[0])] {
            let spoiled = |part: &[u8], what: &str| {
                // The head spoiled, or the chunk with the head as it is.
                let (result, expected) = if in_head {
                    (kept(part, &chunks), Spoiled::Head)
                } else {
                    (kept(&head, &[part.to_vec()]), Spoiled::Chunk(0))
                };
                assert_eq!(result, Err(expected), "{what} (in the head: {in_head})");
            };
            // Every cut, and every byte changed (each bit of it, for the hash and the header).
            for cut in 0..whole.len() {
                spoiled(&whole[..cut], &format!("cut at {cut}"));
            }
            let mut changed = whole.clone();
            for at in 0..whole.len() {
                let flips: &[u8] = if at < HASH + header().len() {
                    &[1, 2, 4, 8, 16, 32, 64, 128]
                } else {
                    &[0xff]
                };
                for flip in flips {
                    changed[at] ^= flip;
                    spoiled(&changed, &format!("byte {at} changed"));
                    changed[at] ^= flip;
                }
            }
            let mut longer = whole.clone();
            longer.push(0);
            spoiled(&longer, "a byte more");
        }
        assert_eq!(kept(&head, &[]), Err(Spoiled::Head), "a chunk missing");
        assert_eq!(kept(&head, &[chunks[0].clone(), chunks[0].clone()]), Err(Spoiled::Head));
        assert_eq!(kept(b"", &chunks), Err(Spoiled::Head));
        assert_eq!(kept(b"not a snapshot at all", &chunks), Err(Spoiled::Head));
        // A chunk of the same site once one of its documents changed: whole, but not this one.
        let mut other = site_in_memory();
        other.docs.truncate(1);
        let Kept { chunks: foreign, .. } = save(&other);
        assert!(hash_of(&foreign[0]).is_some());
        assert_eq!(
            kept(&head, &foreign),
            Err(Spoiled::Chunk(0)),
            "a chunk of another snapshot"
        );
        let load = |k: Kept| load(k, site.config.clone(), Scan::Few).map(|s| s.docs.len());
        assert_eq!(load(save(&site)), Some(2));
        let none = Site {
            docs: Vec::new(),
            ..other
        };
        assert_eq!(save(&none).chunks.len(), 0);
        assert_eq!(load(save(&none)), Some(0), "no documents, no chunk");
    }

    /// Parts that pass their hashes (as if another build's types wrote them) but do not read
    /// back as this glossa's values are no snapshot either.
    #[test]
    fn values_of_another_layout_are_no_snapshot() {
        let dir = fixture();
        let site = load_site(dir.path());
        let saved = save(&site);
        let odd = |part: &[u8], cut: usize| {
            let values = values(part).unwrap();
            let mut odd = header();
            odd.extend_from_slice(&values[..cut.min(values.len())]);
            odd.extend(values[cut.min(values.len())..].iter().map(|b| b.wrapping_add(1)));
            let mut bytes = crate::hash::of_bytes(&odd).to_le_bytes().to_vec();
            bytes.extend(odd);
            bytes
        };
        for cut in [0, 1, 7, 100, usize::MAX] {
            for in_head in [true, false] {
                let kept = Kept {
                    head: if in_head {
                        odd(&saved.head, cut)
                    } else {
                        saved.head.clone()
                    },
                    chunks: vec![if in_head {
                        saved.chunks[0].clone()
                    } else {
                        odd(&saved.chunks[0], cut)
                    }],
                };
                // Either no snapshot or, by chance, one that still reads: never a panic.
                let _ = load(kept, site.config.clone(), Scan::Few);
            }
        }
    }

    /// The values written for a site made in memory (no disk, fixed paths). When a change to
    /// the types the snapshot holds changes them, bump [`FORMAT`] (a snapshot of the old layout
    /// must not be read as the new one) and write the new hash here.
    #[test]
    fn the_format_is_pinned() {
        let (format, hash) = (4, 9063926957792563814);
        let kept = save(&site_in_memory());
        let mut all = Vec::new();
        for part in kept.chunks.iter().chain([&kept.head]) {
            all.extend_from_slice(values(part).expect("a part"));
        }
        assert_eq!(
            (FORMAT, crate::hash::of_bytes(&all)),
            (format, hash),
            "the snapshot's bytes changed: bump FORMAT, then pin the new pair here"
        );
    }

    fn site_in_memory() -> Site {
        use crate::parse::document::{ParseOptions, parse_document};
        let config = Config::default();
        let mut diags = Vec::new();
        let root = PathBuf::from("site");
        let entries = crate::parse::glossary::parse_glossary(FIXTURE[1].1, &root.join(FIXTURE[1].0), &mut diags);
        let glossary = Glossary::new(&entries);
        let opts = ParseOptions {
            smart_punctuation: false,
        };
        let mut docs = Vec::new();
        for [(doc, text), (sidecar, side)] in [[FIXTURE[3], FIXTURE[4]], [FIXTURE[5], FIXTURE[6]]] {
            let sidecar = root.join(sidecar);
            let parsed = parse_document(
                &root.join(doc),
                text.into(),
                Some((&sidecar, side.into())),
                &opts,
                &mut diags,
            )
            .unwrap();
            let (resolved, _) = super::super::resolve_doc(
                parsed.doc,
                parsed.body,
                &parsed.sidecar_source,
                &config,
                &entries,
                &glossary,
                &mut diags,
            );
            docs.push(resolved);
        }
        super::super::resolve(&root, config, docs, Vec::new(), entries, glossary, &mut diags)
    }
}
