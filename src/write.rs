//! Write: the only stage that writes. Everything goes into a staging folder beside the output,
//! which replaces the output only when the whole build has succeeded.

use crate::render::Sink;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

pub struct Staging {
    dir: PathBuf,
    progress: std::sync::Mutex<Progress>,
}

/// A progress bar on a terminal, shown only once a build has taken more than a second.
struct Progress {
    start: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn tick(&mut self, done: usize, total: usize) {
        use std::io::IsTerminal;
        if self.bar.is_none() && self.start.elapsed().as_secs_f64() > 1.0 && std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents") {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }
}

impl Staging {
    /// A fresh staging folder beside `out`.
    pub fn new(out: &Path) -> std::io::Result<Staging> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let dir = parent.join(format!(".{name}.glossa-staging"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        let progress = Progress {
            start: std::time::Instant::now(),
            bar: None,
        };
        Ok(Staging {
            dir,
            progress: std::sync::Mutex::new(progress),
        })
    }

    /// Swaps the staging folder in for `out`.
    pub fn commit(mut self, out: &Path) -> std::io::Result<()> {
        if let Some(bar) = self.progress.get_mut().ok().and_then(|p| p.bar.take()) {
            bar.finish_and_clear();
        }
        let dir = self.dir.clone();
        std::mem::forget(self);
        if out.exists() {
            let old = dir.with_file_name(format!(
                "{}.old",
                dir.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            if old.exists() {
                std::fs::remove_dir_all(&old)?;
            }
            std::fs::rename(out, &old)?;
            std::fs::rename(&dir, out)?;
            std::fs::remove_dir_all(&old)?;
        } else {
            std::fs::rename(&dir, out)?;
        }
        Ok(())
    }

    pub fn copy(&mut self, rel: &str, from: &Path) -> std::io::Result<()> {
        let to = self.target(rel)?;
        std::fs::copy(from, to).map(|_| ())
    }

    fn target(&self, rel: &str) -> std::io::Result<PathBuf> {
        let rel = Path::new(rel);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(std::io::Error::other(format!(
                "refusing to write outside the output folder: {}",
                rel.display()
            )));
        }
        let to = self.dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(to)
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no stray folder.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn progress(&self, done: usize, total: usize) {
        if let Ok(mut p) = self.progress.lock() {
            p.tick(done, total);
        }
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        // One write of the whole page: no buffer needed, and no copy into one.
        std::fs::write(self.target(rel)?, bytes)
    }

    fn stream(&self, rel: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
        Ok(Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(self.target(rel)?)?,
        )))
    }
}

/// A sink that keeps nothing: `check` renders through it to catch template errors.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn stream(&self, _: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
        Ok(Box::new(std::io::sink()))
    }
}
