//! What the outputs made of every document keep of one build for the next (docs/incremental.md).
//!
//! After an edit to a few documents, the build renders only the pages the edit can change
//! (those its sink wants). An output made of every document (the search index,
//! `annotations.jsonld`) would need every other document's part too, read and rendered again:
//! instead, each such output keeps what it needs of a build, as bytes under its own name
//! ([`Keep`]), which the build cache stores beside the site it resolved; the next build hands
//! them back ([`Kept`]), and the output makes its files from them and the parts of the
//! documents rendered again. An output that keeps nothing, or finds nothing kept, has every
//! document rendered for it, as in a build from nothing: the bytes are the same either way.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// What the last build's outputs kept, by output name.
#[derive(Debug, Default)]
pub struct Kept {
    blobs: BTreeMap<String, Vec<u8>>,
}

impl Kept {
    pub fn new(blobs: BTreeMap<String, Vec<u8>>) -> Kept {
        Kept { blobs }
    }

    /// What the output `name` kept, if it did.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.blobs.get(name).map(Vec::as_slice)
    }
}

/// What this build's outputs keep for the next, filled as they finish (from several threads).
#[derive(Debug, Default)]
pub struct Keep {
    blobs: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Keep {
    /// Keeps `bytes` as what the output `name` made of this build.
    pub fn put(&self, name: &str, bytes: Vec<u8>) {
        self.blobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), bytes);
    }

    /// What the outputs kept, by name.
    pub fn into_blobs(self) -> BTreeMap<String, Vec<u8>> {
        self.blobs.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// How a render uses what builds keep: `last`, what the last build kept, when only the items
/// whose pages the sink wants are to be rendered again (an edit); `keep`, where this build's
/// outputs put what the next build will need (`None`: nothing is kept, as for `serve`,
/// `check` and `--no-cache`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Carry<'a> {
    pub last: Option<&'a Kept>,
    pub keep: Option<&'a Keep>,
}
