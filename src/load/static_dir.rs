//! content/static/ as the EPUB edition reads it (`render::epub::StaticFiles`): the files
//! listed once, each read when a chapter shows it.

use crate::discover;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files of content/static/, by their path there.
pub(crate) struct StaticDir {
    files: BTreeMap<String, PathBuf>,
}

impl StaticDir {
    pub(crate) fn new(root: &Path) -> StaticDir {
        // Walked as the build copies it, by the same rule (`discover::static_files`); its
        // warnings are the copy's.
        StaticDir {
            files: discover::static_files(root, &mut Vec::new()).into_iter().collect(),
        }
    }
}

impl crate::render::epub::StaticFiles for StaticDir {
    fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(file) => std::fs::read(file),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("content/static/{path} is not a file of the site"),
            )),
        }
    }
}
