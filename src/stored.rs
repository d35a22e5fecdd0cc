//! How the values the resolved site's snapshot keeps (`crate::resolve::snapshot`) are written
//! where serde's own way would refuse or lose them: paths, which serde writes only when they
//! are UTF-8 (a file name need not be), as their bytes; and a diagnostic, which holds a path.
//! Used by the types' `#[serde(with = …)]`; below every stage, as they are. And [`Lazy`]: a
//! value a snapshot keeps as its own bytes, decoded only if it is read.

use crate::diagnostics::{Code, Diagnostic, Severity};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A path as the bytes the platform keeps it in (any bytes on Unix).
fn write_path<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(path.as_os_str().as_encoded_bytes())
}

/// A path from [`write_path`]'s bytes. On Unix any bytes are a path; elsewhere only UTF-8 is
/// read back (safely), and anything else is an error, so a snapshot holding one is not used.
fn read_path<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    struct Bytes;
    impl serde::de::Visitor<'_> for Bytes {
        type Value = PathBuf;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a path's bytes")
        }
        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<PathBuf, E> {
            #[cfg(unix)]
            return Ok(PathBuf::from(
                <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes),
            ));
            #[cfg(not(unix))]
            return std::str::from_utf8(bytes)
                .map(PathBuf::from)
                .map_err(|_| E::custom("a path that is not UTF-8"));
        }
    }
    d.deserialize_bytes(Bytes)
}

/// `#[serde(with = "crate::stored::path")]` for a `PathBuf`.
pub(crate) mod path {
    use super::*;
    pub(crate) fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        write_path(path, s)
    }
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        read_path(d)
    }
}

/// `#[serde(with = "crate::stored::shared_path")]` for an `Arc<Path>`. Each holder's is read
/// back as its own: what was shared is shared no more.
pub(crate) mod shared_path {
    use super::*;
    pub(crate) fn serialize<S: Serializer>(path: &Arc<Path>, s: S) -> Result<S::Ok, S::Error> {
        write_path(path, s)
    }
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<Path>, D::Error> {
        read_path(d).map(Arc::from)
    }
}

/// `#[serde(with = "crate::stored::optional_path")]` for an `Option<PathBuf>`.
pub(crate) mod optional_path {
    use super::*;
    #[derive(Serialize, Deserialize)]
    struct Stored(#[serde(with = "super::path")] PathBuf);

    pub(crate) fn serialize<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
        path.as_deref().map(Borrowed).serialize(s)
    }
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
        Ok(Option::<Stored>::deserialize(d)?.map(|Stored(p)| p))
    }

    struct Borrowed<'a>(&'a Path);
    impl Serialize for Borrowed<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            write_path(self.0, s)
        }
    }
}

/// `#[serde(with = "crate::stored::optional_diagnostic")]` for an `Option<Diagnostic>`: its
/// fields as they are, its path as [`path`] writes one (serde's derive for `Diagnostic`, which
/// the build cache's manifest uses, writes it as text).
pub(crate) mod optional_diagnostic {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Stored {
        severity: Severity,
        code: Code,
        #[serde(with = "super::path")]
        path: PathBuf,
        line: Option<usize>,
        col: Option<usize>,
        width: usize,
        message: String,
        source_line: Option<String>,
        hint: Option<String>,
    }

    pub(crate) fn serialize<S: Serializer>(d: &Option<Diagnostic>, s: S) -> Result<S::Ok, S::Error> {
        // Cloned: only the few documents with an explicit `slug:` have one.
        let stored = d.clone().map(|d| Stored {
            severity: d.severity,
            code: d.code,
            path: d.path,
            line: d.line,
            col: d.col,
            width: d.width,
            message: d.message,
            source_line: d.source_line,
            hint: d.hint,
        });
        stored.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Diagnostic>, D::Error> {
        Ok(Option::<Stored>::deserialize(d)?.map(|s| Diagnostic {
            severity: s.severity,
            code: s.code,
            path: s.path,
            line: s.line,
            col: s.col,
            width: s.width,
            message: s.message,
            source_line: s.source_line,
            hint: s.hint,
        }))
    }
}

/// A value that a snapshot keeps as its encoded bytes (postcard's, in a byte string) and that
/// is decoded only when it is first read: after an edit, a build reads few documents' contexts
/// and links of the thousands it loads, and reading a string of bytes is a copy where decoding
/// the values is an allocation for each. Saved again unread, its bytes are written as they were
/// read. A value made by resolving is held as it is ([`Lazy::new`]).
///
/// The bytes come from a part of the snapshot whose hash and header say this glossa wrote it:
/// they decode. Were they not to (a cache made up to pass its hashes), the value is its
/// default: never a panic.
#[derive(Clone)]
pub struct Lazy<T> {
    value: std::sync::OnceLock<T>,
    bytes: Box<[u8]>,
}

impl<T> Lazy<T> {
    pub fn new(value: T) -> Lazy<T> {
        Lazy {
            value: std::sync::OnceLock::from(value),
            bytes: Box::default(),
        }
    }
}

impl<T: serde::de::DeserializeOwned + Default> Lazy<T> {
    fn decoded(bytes: &[u8]) -> T {
        postcard::from_bytes(bytes).unwrap_or_default()
    }
}

impl<T: serde::de::DeserializeOwned + Default> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value.get_or_init(|| Self::decoded(&self.bytes))
    }
}

impl<T: serde::de::DeserializeOwned + Default> std::ops::DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut T {
        let bytes = std::mem::take(&mut self.bytes);
        self.value.get_or_init(|| Self::decoded(&bytes));
        // Set just above, and `&mut self` holds it: there is a value to hand out.
        self.value.get_mut().expect("a value set")
    }
}

impl<T: Serialize> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value.get() {
            Some(value) => {
                let bytes = postcard::to_allocvec(value).map_err(serde::ser::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
            None => s.serialize_bytes(&self.bytes),
        }
    }
}

impl<'de, T> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lazy<T>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Box<[u8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value's bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Box<[u8]>, E> {
                Ok(Box::from(bytes))
            }
        }
        Ok(Lazy {
            value: std::sync::OnceLock::new(),
            bytes: d.deserialize_bytes(Bytes)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Paths {
        #[serde(with = "path")]
        one: PathBuf,
        #[serde(with = "optional_path")]
        maybe: Option<PathBuf>,
        #[serde(with = "shared_path")]
        shared: Arc<Path>,
    }

    /// A path whose name is not UTF-8 (any bytes, on Unix) is written and read back as it is.
    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_reads_back_as_it_was() {
        use std::os::unix::ffi::OsStrExt;
        let odd = Path::new(std::ffi::OsStr::from_bytes(b"seeds/caf\xe9.txt"));
        for maybe in [None, Some(odd.to_path_buf())] {
            let paths = Paths {
                one: odd.to_path_buf(),
                maybe,
                shared: Arc::from(odd),
            };
            let bytes = postcard::to_allocvec(&paths).expect("any path is written");
            assert_eq!(postcard::from_bytes::<Paths>(&bytes).unwrap(), paths);
        }
    }

    /// A lazy value read back is the value written, and written again unread gives the same
    /// bytes; read, changed and written, the changed value. Bytes that do not decode give the
    /// default value.
    #[test]
    fn a_lazy_value_reads_back_as_written_and_writes_its_bytes_again() {
        let words = vec!["ein".to_owned(), "Hund".to_owned()];
        let bytes = postcard::to_allocvec(&Lazy::new(words.clone())).unwrap();
        let back: Lazy<Vec<String>> = postcard::from_bytes(&bytes).unwrap();
        assert!(back.value.get().is_none(), "not decoded yet");
        assert_eq!(postcard::to_allocvec(&back).unwrap(), bytes, "written again unread");
        assert_eq!(*back, words);
        assert_eq!(postcard::to_allocvec(&back).unwrap(), bytes, "written again once read");
        let mut changed: Lazy<Vec<String>> = postcard::from_bytes(&bytes).unwrap();
        changed.push("bellt".to_owned());
        let again: Lazy<Vec<String>> = postcard::from_bytes(&postcard::to_allocvec(&changed).unwrap()).unwrap();
        assert_eq!(again.len(), 3);
        let odd: Lazy<Vec<String>> = postcard::from_bytes(&[2, 0xff, 0xff]).unwrap();
        assert!(odd.is_empty(), "bytes that do not decode: the default");
    }
}
