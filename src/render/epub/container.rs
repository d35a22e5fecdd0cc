//! The book's container: a ZIP file (EPUB's OCF) written front to back into a stream, one
//! entry after the other, so that a chapter goes out as soon as it is taken in and the book is
//! never held whole. `mimetype` comes first, stored, without an extra field; every entry has
//! the same fixed time and the entries stand in the order they are added: the same book gives
//! the same bytes.
//!
//! Each entry is compressed where it is made, on any thread ([`Entry::new`]), and written with
//! its sizes and checksum already known, so the ZIP writer never goes back to patch a header:
//! the stream only needs to tell its position ([`Appending`]).

use std::io::{self, Seek, SeekFrom, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, PreparedZipFile, ZipWriter};

/// The first entry of every EPUB, and what it holds.
const MIMETYPE: (&str, &[u8]) = ("mimetype", b"application/epub+zip");

/// One entry of the container, compressed (or stored) and ready to append.
pub(super) struct Entry(PreparedZipFile);

/// How an entry's bytes are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Packing {
    /// Deflated: text (XHTML, CSS, XML).
    Deflate,
    /// As they are: `mimetype`, and images, which are compressed already.
    Store,
}

impl Entry {
    /// `bytes` as the entry `name`, with the container's fixed time.
    pub(super) fn new(name: &str, bytes: &[u8], time: DateTime, packing: Packing) -> io::Result<Entry> {
        let method = match packing {
            Packing::Deflate => CompressionMethod::Deflated,
            Packing::Store => CompressionMethod::Stored,
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(time)
            .unix_permissions(0o644);
        PreparedZipFile::from_data(name, options, bytes)
            .map(Entry)
            .map_err(io::Error::other)
    }
}

/// The container being written. One dropped unfinished (a build that failed or was cut short)
/// is abandoned: the ZIP writer's last words go nowhere, and nothing is printed.
pub(super) struct Container<W: Write> {
    zip: Option<ZipWriter<Appending<W>>>,
    abandoned: Arc<AtomicBool>,
}

impl<W: Write> Container<W> {
    /// Starts the container in `out` with its `mimetype` entry.
    pub(super) fn new(out: W, time: DateTime) -> io::Result<Self> {
        let abandoned = Arc::new(AtomicBool::new(false));
        let appending = Appending {
            inner: out,
            written: 0,
            abandoned: abandoned.clone(),
        };
        let mut container = Container {
            zip: Some(ZipWriter::new(appending)),
            abandoned,
        };
        container.add(Entry::new(MIMETYPE.0, MIMETYPE.1, time, Packing::Store)?)?;
        Ok(container)
    }

    /// Appends an entry.
    pub(super) fn add(&mut self, entry: Entry) -> io::Result<()> {
        self.zip()?.add_prepared_file(entry.0).map_err(io::Error::other)
    }

    /// Appends an entry of an earlier book as it stands there, compressed: the same entry,
    /// made again, would give the same bytes (the container's entries are all made alike).
    pub(super) fn copy<R: io::Read>(&mut self, entry: zip::read::ZipFile<'_, R>) -> io::Result<()> {
        self.zip()?.raw_copy_file(entry).map_err(io::Error::other)
    }

    fn zip(&mut self) -> io::Result<&mut ZipWriter<Appending<W>>> {
        self.zip
            .as_mut()
            .ok_or_else(|| io::Error::other("the book's container is closed"))
    }

    /// Writes the central directory; the stream is then complete.
    pub(super) fn finish(mut self) -> io::Result<W> {
        let zip = self
            .zip
            .take()
            .ok_or_else(|| io::Error::other("the book's container is closed"))?;
        let done = zip.finish().map_err(io::Error::other)?;
        let mut inner = done.inner;
        inner.flush()?;
        Ok(inner)
    }
}

impl<W: Write> Drop for Container<W> {
    fn drop(&mut self) {
        self.abandoned.store(true, Ordering::Relaxed);
    }
}

/// A stream that only appends and can tell where it is: all the ZIP writer asks of [`Seek`]
/// when every entry's size is known before it is written. Any other seek is refused.
struct Appending<W> {
    inner: W,
    written: u64,
    /// Set when the container is dropped unfinished: writes are taken and dropped.
    abandoned: Arc<AtomicBool>,
}

impl<W: Write> Write for Appending<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.abandoned.load(Ordering::Relaxed) {
            return Ok(buf.len());
        }
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    /// Not passed on once abandoned: the output's flush may put a file in place.
    fn flush(&mut self) -> io::Result<()> {
        if self.abandoned.load(Ordering::Relaxed) {
            return Ok(());
        }
        self.inner.flush()
    }
}

impl<W> Seek for Appending<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match pos {
            SeekFrom::Current(0) | SeekFrom::End(0) => Ok(self.written),
            SeekFrom::Start(at) if at == self.written => Ok(at),
            _ => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the book's container is written front to back",
            )),
        }
    }
}

/// The entries' time: midnight of a `YYYY-MM-DD` date (the newest document's), else the ZIP
/// format's first day.
pub(super) fn entry_time(date: Option<&str>) -> DateTime {
    let parse = |date: &str| -> Option<DateTime> {
        let mut parts = date.get(..10)?.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        DateTime::from_date_and_time(year, month, day, 0, 0, 0).ok()
    };
    date.and_then(parse).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(texts: &[(&str, &str)]) -> Vec<u8> {
        let time = entry_time(Some("2024-05-06"));
        let mut c = Container::new(Vec::new(), time).unwrap();
        for (name, text) in texts {
            c.add(Entry::new(name, text.as_bytes(), time, Packing::Deflate).unwrap())
                .unwrap();
        }
        c.finish().unwrap()
    }

    #[test]
    fn mimetype_comes_first_stored_without_an_extra_field() {
        let bytes = book(&[("EPUB/a.xhtml", "<p>a</p>")]);
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0, "stored");
        assert_eq!(u16::from_le_bytes([bytes[28], bytes[29]]), 0, "no extra field");
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");
        let flags = u16::from_le_bytes([bytes[6], bytes[7]]);
        assert_eq!(flags & 8, 0, "no data descriptor: sizes in the local header");
    }

    #[test]
    fn the_same_entries_give_the_same_bytes_and_read_back() {
        let entries = [("META-INF/container.xml", "<x/>"), ("EPUB/b.xhtml", "<p>b</p>")];
        let (a, b) = (book(&entries), book(&entries));
        assert_eq!(a, b);
        let mut zip = zip::ZipArchive::new(io::Cursor::new(a)).unwrap();
        let names: Vec<String> = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned())
            .collect();
        assert_eq!(names, ["mimetype", "META-INF/container.xml", "EPUB/b.xhtml"]);
        let mut text = String::new();
        io::Read::read_to_string(&mut zip.by_name("EPUB/b.xhtml").unwrap(), &mut text).unwrap();
        assert_eq!(text, "<p>b</p>");
    }

    /// A book made of entries copied from another is the book those entries, made again,
    /// give: what lets a build after an edit copy the unchanged chapters of the last book.
    #[test]
    fn entries_copied_from_a_book_give_the_bytes_they_would_made_again() {
        let time = entry_time(Some("2024-05-06"));
        let entries = [
            ("EPUB/a.xhtml", "<p>a</p>".repeat(50)),
            ("EPUB/b.xhtml", "<p>b</p>".to_owned()),
        ];
        let old = book(&[
            ("META-INF/container.xml", "<x/>"),
            (entries[0].0, &entries[0].1),
            (entries[1].0, &entries[1].1),
        ]);
        let mut last = zip::ZipArchive::new(io::Cursor::new(old)).unwrap();
        let mut c = Container::new(Vec::new(), time).unwrap();
        c.add(Entry::new("META-INF/container.xml", b"<x/>", time, Packing::Deflate).unwrap())
            .unwrap();
        c.copy(last.by_name_raw(b"EPUB/a.xhtml").unwrap()).unwrap();
        c.add(Entry::new("EPUB/b.xhtml", entries[1].1.as_bytes(), time, Packing::Deflate).unwrap())
            .unwrap();
        let copied = c.finish().unwrap();
        let made = book(&[
            ("META-INF/container.xml", "<x/>"),
            (entries[0].0, &entries[0].1),
            (entries[1].0, &entries[1].1),
        ]);
        assert_eq!(copied, made);
    }

    /// A container dropped unfinished writes nothing more and does not flush its output
    /// (which may put a file in place), and the ZIP writer has nothing to complain about.
    #[test]
    fn a_container_dropped_unfinished_writes_and_flushes_nothing_more() {
        struct Out(std::sync::Arc<std::sync::Mutex<(usize, bool)>>);
        impl Write for Out {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().0 += buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                self.0.lock().unwrap().1 = true;
                Ok(())
            }
        }
        let seen = std::sync::Arc::new(std::sync::Mutex::new((0, false)));
        let time = entry_time(None);
        let mut c = Container::new(Out(seen.clone()), time).unwrap();
        c.add(Entry::new("EPUB/a.xhtml", b"<p>a</p>", time, Packing::Deflate).unwrap())
            .unwrap();
        let written = seen.lock().unwrap().0;
        drop(c);
        assert_eq!(
            *seen.lock().unwrap(),
            (written, false),
            "no central directory, no flush"
        );
    }

    #[test]
    fn entry_time_is_the_date_or_the_first_day() {
        let t = entry_time(Some("2023-11-29"));
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2023, 11, 29, 0));
        assert_eq!(entry_time(Some("someday")), DateTime::default());
        assert_eq!(entry_time(None), DateTime::default());
    }
}
