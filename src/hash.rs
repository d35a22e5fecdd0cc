//! The hash maps of the build, below every stage.

/// Hash maps and sets keyed by the build's own values (ids, offsets, words), hashed with
/// foldhash, fixed-seeded: several times faster than the standard SipHash on short keys, and
/// the same from run to run.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// See [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
