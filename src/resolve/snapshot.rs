//! A snapshot of a resolved [`Site`]: what a build keeps between runs (the build cache,
//! docs/incremental.md) so that, after an edit, it resolves again only the edited documents.
//!
//! [`save`] writes the site's documents, pages and glossary entries as they are resolved; the
//! rest of a [`Site`] is made again by [`load`], as resolving made it: the configuration (given,
//! as read for this build), the glossary's matcher, the index of ids and the backlinks. Bytes
//! in, bytes out: where the snapshot is kept is the cache's business.
//!
//! Take a snapshot before [`Site::forget_links`]: the documents' links are in it, for the build
//! that loads it to check them and relink the site.
//!
//! The bytes: `MAGIC`, `FORMAT` and glossa's version, a hash of the rest (in blocks, so
//! that it is made as the values are written: [`save_to`]), then the values
//! (postcard): the pages and entries, then the documents in chunks written and read in
//! parallel. What rendering makes again alike is left out (`ResolvedDoc::note_html`). Bytes
//! that do not start so, do not match their hash or do not read back whole are no snapshot of
//! this glossa's site: [`load`] gives `None`, never a panic.

use super::{Glossary, ResolvedDoc, Site, resolve};
use crate::config::Config;
use crate::parse::Entry;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// What a snapshot starts with.
const MAGIC: &[u8] = b"glossa snapshot\n";

/// The layout of the values written. Bump it with any change to the fields (or their serde
/// attributes) of [`ResolvedDoc`], [`Entry`] and what they hold: a snapshot of another layout
/// is not read (the test `the_format_is_pinned` tells when the bytes change).
const FORMAT: u32 = 1;

/// How many documents are written together: the chunks are written and read in parallel.
const CHUNK: usize = 256;

/// A chunk of documents' bytes, written as bytes (serde's way for a `Vec<u8>` is a sequence
/// of numbers), so that they read back borrowed from the snapshot, not copied.
struct Chunk<'c>(&'c [u8]);

impl serde::Serialize for Chunk<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// What a snapshot holds: the pages, the entries and the documents in chunks of [`CHUNK`],
/// each chunk its own postcard bytes, read in parallel (written by [`save`] field by field).
#[derive(serde::Deserialize)]
struct Loaded<'b> {
    pages: Vec<ResolvedDoc>,
    entries: Vec<Entry>,
    #[serde(borrow)]
    docs: Vec<&'b [u8]>,
}

/// The header: [`MAGIC`], [`FORMAT`], glossa's version.
fn header() -> Vec<u8> {
    let version = env!("CARGO_PKG_VERSION");
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + 1 + version.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.push(version.len() as u8);
    out.extend_from_slice(version.as_bytes());
    out
}

/// The site's documents, pages and glossary entries as bytes, for [`load`]. Take it before
/// [`Site::forget_links`].
pub fn save(site: &Site) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    // Writing into a `Vec` fails for no value these types hold (every sequence has its length,
    // every path is written as bytes); were it to, the header alone is no snapshot to `load`.
    match save_to(site, &mut out) {
        Ok(_) => out.into_inner(),
        Err(_) => header(),
    }
}

/// [`save`], written into `out` as it is made (a file of the build cache: the snapshot is never
/// held whole), the hash put in its place at the end. Returns the hash ([`stored_hash`]).
pub fn save_to<W: Write + Seek>(site: &Site, out: &mut W) -> std::io::Result<u64> {
    use rayon::prelude::*;
    let bytes = |r: Result<Vec<u8>, postcard::Error>| r.map_err(std::io::Error::other);
    out.write_all(&header())?;
    let at = out.stream_position()?;
    out.write_all(&[0; 8])?;
    let mut values = Hashed {
        out: &mut *out,
        blocks: crate::hash::Blocks::new(),
    };
    // The fields of `Loaded` one after the other, as postcard writes a struct. The chunks are
    // made in parallel a few at a time, each written and dropped before the next few.
    let chunks = site.docs.len().div_ceil(CHUNK);
    values.write_all(&bytes(postcard::to_allocvec(&(&site.pages, &site.entries, chunks)))?)?;
    let batch = CHUNK * 2 * rayon::current_num_threads();
    for docs in site.docs.chunks(batch) {
        let made: Vec<Vec<u8>> = (docs.par_chunks(CHUNK).map(postcard::to_allocvec))
            .collect::<Result<_, _>>()
            .map_err(std::io::Error::other)?;
        for chunk in made {
            values.write_all(&bytes(postcard::to_allocvec(&Chunk(&chunk)))?)?;
        }
    }
    let sum = values.blocks.finish();
    out.seek(SeekFrom::Start(at))?;
    out.write_all(&sum.to_le_bytes())?;
    out.seek(SeekFrom::End(0))?;
    Ok(sum)
}

/// The hash a snapshot carries of its values, as [`save_to`] returned it, if `bytes` start as a
/// snapshot of this glossa's format does (the values are checked against it by [`load`]).
pub fn stored_hash(bytes: &[u8]) -> Option<u64> {
    let rest = bytes.strip_prefix(header().as_slice())?;
    rest.first_chunk::<8>().map(|sum| u64::from_le_bytes(*sum))
}

/// A writer that hashes what goes through it ([`crate::hash::Blocks`]).
struct Hashed<'w, W: Write> {
    out: &'w mut W,
    blocks: crate::hash::Blocks,
}

impl<W: Write> Write for Hashed<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.blocks.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The site [`save`] wrote, made whole again for the site at `root` with `config`, as
/// [`resolve`] makes it (its diagnostics are dropped: the build that saved the snapshot
/// reported them). `None` for bytes that are not a whole snapshot by this glossa.
pub fn load(bytes: &[u8], root: &Path, config: Config) -> Option<Site> {
    let (docs, pages, entries) = read(bytes)?;
    let glossary = Glossary::new(&entries);
    Some(resolve(root, config, docs, pages, entries, glossary, &mut Vec::new()))
}

/// The documents, pages and entries of a snapshot, if `bytes` are one, whole, of this glossa's
/// format.
fn read(bytes: &[u8]) -> Option<(Vec<ResolvedDoc>, Vec<ResolvedDoc>, Vec<Entry>)> {
    use rayon::prelude::*;
    let rest = bytes.strip_prefix(header().as_slice())?;
    let (sum, values) = rest.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*sum) != crate::hash::of_blocks(values) {
        return None;
    }
    let loaded: Loaded = whole(values)?;
    let chunks: Vec<Vec<ResolvedDoc>> = loaded.docs.par_iter().map(|c| whole(c)).collect::<Option<_>>()?;
    let mut docs = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        docs.extend(chunk);
    }
    Some((docs, loaded.pages, loaded.entries))
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
    use std::collections::BTreeMap;
    use std::path::PathBuf;
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
        let back = load(&bytes, root, site.config.clone()).expect("a snapshot loads");
        assert_eq!(save(&back), bytes, "the site loaded back is the site saved");
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
        let back = load(&save(&site), dir.path(), site.config.clone()).unwrap();
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
        };
        let mut docs: Vec<ResolvedDoc> = small.docs.iter().cycle().take(n).cloned().collect();
        for (i, d) in docs.iter_mut().enumerate() {
            d.doc.slug = format!("d{i}");
        }
        let bytes = save(&many(docs));
        let (docs, _, entries) = read(&bytes).expect("a snapshot of many chunks");
        assert_eq!(entries.len(), small.entries.len());
        let slugs: Vec<String> = docs.iter().map(|d| d.doc.slug.clone()).collect();
        assert_eq!(slugs, (0..n).map(|i| format!("d{i}")).collect::<Vec<_>>());
        assert!(save(&many(docs)) == bytes, "read back as written");
    }

    /// The demo site (the repository's root) likewise.
    #[test]
    fn the_demo_site_loaded_back_renders_every_file_as_it_did() {
        assert_round_trip(Path::new(env!("CARGO_MANIFEST_DIR")));
    }

    /// Bytes cut short or with any byte changed are no snapshot: `None`, never a panic; and a
    /// snapshot of another format or glossa neither.
    #[test]
    fn cut_or_changed_bytes_are_no_snapshot() {
        let dir = fixture();
        let site = load_site(dir.path());
        let bytes = save(&site);
        let load = |b: &[u8]| load(b, dir.path(), site.config.clone()).map(|s| s.docs.len());
        assert_eq!(load(&bytes), Some(2));
        // Every cut, and every byte changed (each bit of it, for the header and the hash).
        for cut in 0..bytes.len() {
            assert_eq!(load(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut changed = bytes.clone();
        for at in 0..bytes.len() {
            let flips: &[u8] = if at < header().len() + 8 {
                &[1, 2, 4, 8, 16, 32, 64, 128]
            } else {
                &[0xff]
            };
            for flip in flips {
                changed[at] ^= flip;
                assert_eq!(load(&changed), None, "byte {at} changed");
                changed[at] ^= flip;
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(load(&longer), None, "a byte more");
        assert_eq!(load(b""), None);
        assert_eq!(load(b"not a snapshot at all"), None);
    }

    /// Values that pass the hash (as if another build's types wrote them) but do not read back
    /// as this glossa's are no snapshot either.
    #[test]
    fn values_of_another_layout_are_no_snapshot() {
        let dir = fixture();
        let site = load_site(dir.path());
        let bytes = save(&site);
        let head = header().len();
        let values = &bytes[head + 8..];
        for cut in [0, 1, values.len() / 2, values.len() - 1] {
            let mut other = bytes[..head].to_vec();
            let mut odd = values[..cut].to_vec();
            odd.extend(values[cut..].iter().map(|b| b.wrapping_add(1)));
            other.extend_from_slice(&crate::hash::of_blocks(&odd).to_le_bytes());
            other.extend_from_slice(&odd);
            // Either no snapshot or, by chance, one that still reads: never a panic.
            let _ = load(&other, dir.path(), site.config.clone());
        }
    }

    /// The bytes written for a site made in memory (no disk, fixed paths). When a change to
    /// the types the snapshot holds changes them, bump [`FORMAT`] (a snapshot of the old layout
    /// must not be read as the new one) and write the new hash here.
    #[test]
    fn the_format_is_pinned() {
        let (format, hash) = (1, 1857454318913345965);
        let site = site_in_memory();
        let bytes = save(&site);
        let values_hash = crate::hash::of_bytes(&bytes[header().len() + 8..]);
        assert_eq!(
            (FORMAT, values_hash),
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
        resolve(&root, config, docs, Vec::new(), entries, glossary, &mut diags)
    }
}
