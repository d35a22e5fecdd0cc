//! `glossa epub`: the site loaded as `build` loads it, then the EPUB edition alone rendered
//! into one file (`write::BookFile`), which replaces the file at its place only when the whole
//! book is written. Errors leave nothing behind.

use crate::load::{Reload, StaticDir};
use crate::{BuildOptions, Fatal, Outcome, Summary, diagnostics, load, load_theme, render, render_failure, write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Writes the book to `out`, or to the site title's slug + `.epub` in the current folder.
pub fn epub(opts: &BuildOptions, out: Option<&Path>) -> Result<Outcome, Fatal> {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let site = load(opts, &mut outcome.diagnostics)?;
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    let (Some(site), Some(theme)) = (site, theme) else {
        return Ok(outcome);
    };
    if outcome.has_errors() {
        return Ok(outcome);
    }
    let path = match out {
        Some(p) => p.to_owned(),
        None => PathBuf::from(default_name(&site.config.title)),
    };
    if path.is_dir() {
        return Err(Fatal(format!("{} is a folder: name the book's file", path.display())));
    }
    let file = write::BookFile::new(&path).map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    let statics = StaticDir::new(&opts.root);
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let stats = match render::render_book(&site, &Reload::new(&site.config), &theme, &statics, &file, &name) {
        Ok(stats) => stats,
        Err(e) => return render_failure(opts, &theme, e, outcome),
    };
    file.commit()
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    outcome.summary = Some(Summary {
        documents: site.docs.len(),
        notes: stats.notes,
        entries: site.entries.len(),
        occurrences: stats.occurrences,
        pages: stats.pages,
        seconds: start.elapsed().as_secs_f64(),
        out: path,
        changed: None,
        edited: None,
    });
    Ok(outcome)
}

/// The book's file name when none is given: the site title's slug, `.epub`.
fn default_name(title: &str) -> String {
    let slug = crate::slug::slugify(title);
    format!("{}.epub", if slug.is_empty() { "book" } else { &slug })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_name_is_the_titles_slug() {
        assert_eq!(super::default_name("Lesebuch: Erlkönig"), "lesebuch-erlkoenig.epub");
        assert_eq!(super::default_name("!!!"), "book.epub");
    }
}
