//! The hash maps of the build, below every stage.

/// Hash maps and sets keyed by the build's own values (ids, offsets, words), hashed with
/// foldhash, fixed-seeded: several times faster than the standard SipHash on short keys, and
/// the same from run to run.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// See [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

/// A 64-bit hash of a file's bytes (foldhash's quality hasher, fixed-seeded): the same from run
/// to run, and two different files hashing alike is a chance of one in 2^64 per comparison.
/// For telling whether a file changed (`serve`'s pages, the build cache), not against anyone
/// choosing the bytes.
pub(crate) fn of_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::default().hash_one(bytes)
}

/// A 64-bit hash of bytes given piece by piece, the same however they are cut: they are hashed
/// in blocks of [`Blocks::BLOCK`] bytes (foldhash's quality hasher, fixed-seeded), so that a
/// file written as it is made (the build cache's kept site) is hashed as it goes and checked,
/// whole, with [`of_blocks`].
pub(crate) struct Blocks {
    hasher: foldhash::quality::FoldHasher<'static>,
    block: Vec<u8>,
}

impl Blocks {
    const BLOCK: usize = 64 * 1024;

    pub(crate) fn new() -> Blocks {
        use std::hash::BuildHasher;
        static SEED: foldhash::quality::FixedState = foldhash::quality::FixedState::with_seed(0);
        Blocks {
            hasher: SEED.build_hasher(),
            block: Vec::with_capacity(Blocks::BLOCK),
        }
    }

    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        use std::hash::Hasher;
        while !bytes.is_empty() {
            let take = (Blocks::BLOCK - self.block.len()).min(bytes.len());
            self.block.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.block.len() == Blocks::BLOCK {
                self.hasher.write(&self.block);
                self.block.clear();
            }
        }
    }

    pub(crate) fn finish(mut self) -> u64 {
        use std::hash::Hasher;
        self.hasher.write(&self.block);
        self.hasher.finish()
    }
}

/// [`Blocks`]' hash of `bytes` at once.
pub(crate) fn of_blocks(bytes: &[u8]) -> u64 {
    let mut blocks = Blocks::new();
    blocks.update(bytes);
    blocks.finish()
}
