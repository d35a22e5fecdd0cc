//! One file written whole or not at all, for `glossa epub`: the book goes into a temporary
//! file beside its place, which replaces the file there only once the whole book is written
//! (`commit`); a failed run removes it (on drop), and leaves any older book as it was.

use crate::render::Sink;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub(crate) struct BookFile {
    path: PathBuf,
    tmp: PathBuf,
    /// The temporary file until the book's stream takes it; a handle kept to flush it to the
    /// disk before it is renamed.
    file: Mutex<Option<File>>,
    synced: File,
}

impl BookFile {
    /// A temporary file beside `path` (whose folder exists).
    pub(crate) fn new(path: &Path) -> std::io::Result<BookFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.glossa-{}.tmp", std::process::id()));
        let file = File::create(&tmp)?;
        Ok(BookFile {
            path: path.to_owned(),
            synced: file.try_clone()?,
            file: Mutex::new(Some(file)),
            tmp,
        })
    }

    /// The book, written, in its place.
    pub(crate) fn commit(self) -> std::io::Result<()> {
        self.synced.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)
    }
}

impl Drop for BookFile {
    fn drop(&mut self) {
        // After a commit the temporary file is gone, and this does nothing.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

impl Sink for BookFile {
    fn put(&self, rel: &str, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other(format!("{rel}: the book is one stream")))
    }

    /// The one stream of the book; a second is refused.
    fn stream(&self, _: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
        let file = self.file.lock().unwrap_or_else(|e| e.into_inner()).take();
        match file {
            Some(file) => Ok(Box::new(std::io::BufWriter::with_capacity(1 << 16, file))),
            None => Err(std::io::Error::other("the book is written once")),
        }
    }
}
