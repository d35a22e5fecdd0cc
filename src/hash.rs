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
