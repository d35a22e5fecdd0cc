//! Incremental builds (docs/incremental.md): `glossa build` keeps a cache beside the output,
//! writes nothing when nothing changed, and otherwise writes only the files that differ; the
//! output is always byte for byte what a build from nothing makes.

use crate::support::{Site, files_under, stray_staging};
use std::path::Path;

const GLOSSARY: &str = "- id: hund\n  term: Hund\n  kind: noun\n  definition: Ein Tier, das bellt.\n- id: katze\n  term: Katze\n  kind: noun\n  definition: Ein Tier, das schläft.\n";

/// A site with two documents that link each other, sidecars, a glossary, an extra page, a
/// static file and a template of its own, its files dated an hour back (so that a build right
/// after its first finds nothing new).
fn site() -> Site {
    let site = Site::new(&[
        (
            "content/site.yaml",
            "title: Tiere\nlang: de\nbase_url: https://example.org/\nepub:\n  file: tiere.epub\n",
        ),
        ("content/glossary.yaml", GLOSSARY),
        ("content/pages/about.md", "# Über\n\nEine Seite.\n"),
        ("content/static/logo.txt", "logo"),
        (
            "seeds/hund.md",
            "# Der Hund\n\nDer Hund bellt. Siehe [die Katze](doc:katze).\n",
        ),
        (
            "seeds/hund.yaml",
            "date: 2024-01-02\nannotations:\n  - quote: bellt\n    note: Laut.\n  - quote: Der Hund\n    gloss: the dog\n",
        ),
        ("seeds/katze.md", "# Die Katze\n\nDie Katze schläft. Der Hund nicht.\n"),
        (
            "seeds/katze.yaml",
            "annotations:\n  - quote: schläft\n    note: Ruht.\n",
        ),
    ]);
    age(&site.root());
    site
}

/// Dates every file under `dir` an hour back.
fn age(dir: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for rel in files_under(dir).keys() {
        let file = std::fs::File::options()
            .append(true)
            .open(dir.join(rel))
            .expect("a file");
        file.set_modified(hour_ago).expect("a time set");
    }
}

/// A build from nothing of the same site, with the options `args`, into a folder beside it.
fn clean_build(site: &Site, args: &[&str]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let clean = site.beside("clean");
    let out = ["--no-cache", "--quiet", "--out", clean.to_str().expect("UTF-8")];
    site.build_ok(&[&out[..], args].concat());
    let files = files_under(&clean);
    std::fs::remove_dir_all(&clean).expect("removed");
    files
}

fn assert_same_as_clean(site: &Site, what: &str) {
    assert_same_as_clean_with(site, what, &[]);
}

/// The output is what a build from nothing with the options `args` writes.
fn assert_same_as_clean_with(site: &Site, what: &str, args: &[&str]) {
    let incremental = files_under(&site.out());
    let clean = clean_build(site, args);
    let names = |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&incremental), names(&clean), "after {what}: the same files");
    for (rel, bytes) in &clean {
        assert!(
            incremental[rel] == *bytes,
            "after {what}: {rel} differs from a build from nothing"
        );
    }
}

/// The summary line's count of changed files: `(N changed)` or `(N changed; M documents
/// resolved again)`, 0 for nothing changed, `None` for a build from nothing.
fn changed(stdout: &str) -> Option<usize> {
    if stdout.contains("(nothing changed)") {
        return Some(0);
    }
    let (_, rest) = stdout.split_once(" pages (")?;
    rest.split_once(" changed")?.0.parse().ok()
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing_and_repeats_the_warnings() {
    let site = Site::new(&[("seeds/a.txt", "A\n\nText.\n")]);
    age(&site.root());
    let first = site.build_ok(&[]);
    assert_eq!(changed(&first.stdout), None, "{first}");
    assert!(site.root().join(".public.glossa-cache/manifest").is_file());
    let before = std::fs::metadata(site.out().join("a/index.html"))
        .and_then(|m| m.modified())
        .ok();
    let second = site.build_ok(&[]);
    assert!(second.stdout.starts_with("up to date:"), "{second}");
    assert_eq!(changed(&second.stdout), Some(0));
    assert_eq!(second.warnings(), first.warnings(), "the warnings are said again");
    assert!(!second.warnings().is_empty(), "no base_url: a warning\n{second}");
    let after = std::fs::metadata(site.out().join("a/index.html"))
        .and_then(|m| m.modified())
        .ok();
    assert_eq!(before, after, "no file was written");
}

/// An edit of a site's files.
type Edit = dyn Fn(&Site);

#[test]
fn every_kind_of_edit_gives_the_output_of_a_build_from_nothing() {
    let site = site();
    site.build_ok(&["--quiet"]);
    assert!(
        site.out().join("tiere.epub").is_file(),
        "the book is one of the files compared"
    );
    let edits: [(&str, &Edit); 9] = [
        ("a document's text", &|s| {
            s.write(
                "seeds/katze.md",
                "# Die Katze\n\nDie Katze schläft lange. Der Hund nicht.\n",
            )
        }),
        ("a sidecar", &|s| {
            s.write(
                "seeds/katze.yaml",
                "annotations:\n  - quote: schläft lange\n    note: Ruht sehr.\n",
            )
        }),
        ("a glossary entry", &|s| {
            s.write(
                "content/glossary.yaml",
                GLOSSARY.replace("Ein Tier, das bellt.", "Ein Haustier."),
            )
        }),
        ("site.yaml", &|s| {
            s.write(
                "content/site.yaml",
                "title: Die Tiere\nlang: de\nbase_url: https://example.org/\n",
            )
        }),
        ("a static file", &|s| s.write("content/static/logo.txt", "a new logo")),
        ("a new document", &|s| {
            s.write("seeds/maus.md", "# Die Maus\n\nDie Maus piept.\n")
        }),
        ("a deleted document", &|s| {
            std::fs::remove_file(s.root().join("seeds/maus.md")).expect("removed")
        }),
        ("a renamed slug", &|s| {
            s.write(
                "seeds/katze.yaml",
                "slug: kater\nannotations:\n  - quote: schläft lange\n    note: Ruht sehr.\n",
            );
            s.write(
                "seeds/hund.md",
                "# Der Hund\n\nDer Hund bellt. Siehe [die Katze](doc:kater).\n",
            );
        }),
        ("an extra page removed", &|s| {
            std::fs::remove_file(s.root().join("content/pages/about.md")).expect("removed")
        }),
    ];
    for (what, edit) in edits {
        edit(&site);
        let run = site.build_ok(&[]);
        let n = changed(&run.stdout);
        assert!(
            n.is_some_and(|n| n > 0),
            "after {what}: an incremental build that changed files\n{run}"
        );
        // An edit of one document's own files resolves that document alone again.
        let of_one_document = ["a document's text", "a sidecar"].contains(&what);
        assert_eq!(
            run.stdout.contains("1 document resolved again"),
            of_one_document,
            "after {what}\n{run}"
        );
        assert_same_as_clean(&site, what);
    }
    // A theme of the site's own, then an edit of its template.
    site.write("themes/mine/theme.yaml", "extends: default\n");
    site.write(
        "content/site.yaml",
        "title: Die Tiere\nlang: de\ntheme: mine\nbase_url: https://example.org/\n",
    );
    site.build_ok(&["--quiet"]);
    assert_same_as_clean(&site, "a theme of the site's own");
    site.write("themes/mine/templates/index.html", "{% extends \"default/templates/index.html\" %}{% block head %}<meta name=\"mine\" content=\"1\">{% endblock head %}");
    let run = site.build_ok(&[]);
    assert!(changed(&run.stdout).is_some_and(|n| n > 0), "{run}");
    assert_same_as_clean(&site, "a template");
    assert!(site.out().join("kater/index.html").is_file() && !site.out().join("katze").exists());
    assert!(
        !site.out().join("about").exists(),
        "the removed page's folder is gone too"
    );
    assert_eq!(stray_staging(&site.root()), Vec::<String>::new());
}

#[test]
fn a_file_edited_or_added_in_the_output_is_put_right() {
    let site = site();
    site.build_ok(&["--quiet"]);
    std::fs::write(site.out().join("hund/index.html"), "edited by hand").expect("an edit");
    std::fs::write(site.out().join("stray.html"), "added by hand").expect("a file");
    let run = site.build_ok(&[]);
    assert_eq!(changed(&run.stdout), Some(2), "{run}");
    assert_same_as_clean(&site, "edits in the output");
}

#[test]
fn a_corrupt_or_truncated_cache_is_ignored_with_a_note_and_made_again() {
    let site = site();
    site.build_ok(&["--quiet"]);
    let manifest = site.root().join(".public.glossa-cache/manifest");
    let text = std::fs::read(&manifest).expect("the manifest");
    for (what, bytes) in [
        ("truncated", text[..text.len() / 2].to_vec()),
        (
            "corrupt",
            text.iter().map(|&b| if b == b'9' { b'8' } else { b }).collect(),
        ),
        ("empty", Vec::new()),
    ] {
        std::fs::write(&manifest, bytes).expect("spoiled");
        let run = site.build_ok(&[]);
        assert!(run.stderr.contains("note: build cache ignored"), "{what}\n{run}");
        assert_eq!(changed(&run.stdout), None, "{what}: built from nothing\n{run}");
        assert_same_as_clean(&site, what);
        let again = site.build_ok(&[]);
        assert_eq!(
            changed(&again.stdout),
            Some(0),
            "{what}: the cache is whole again\n{again}"
        );
        assert!(!again.stderr.contains("cache"), "{again}");
    }
}

#[test]
fn other_options_do_not_use_the_cache_of_a_build_without_them() {
    let site = site();
    site.write("seeds/entwurf.md", "# Entwurf\n\nNoch nicht.\n");
    site.write("seeds/entwurf.yaml", "draft: true\n");
    age(&site.root());
    site.build_ok(&["--quiet"]);
    let run = site.build_ok(&["--drafts"]);
    assert!(run.stderr.contains("build cache ignored"), "{run}");
    assert!(site.out().join("entwurf/index.html").is_file());
}

#[test]
fn no_cache_builds_from_nothing_and_forgets_the_cache() {
    let site = site();
    site.build_ok(&["--quiet"]);
    let run = site.build_ok(&["--no-cache"]);
    assert_eq!(changed(&run.stdout), None, "{run}");
    assert!(!site.root().join(".public.glossa-cache/manifest").exists());
    let next = site.build_ok(&[]);
    assert_eq!(changed(&next.stdout), None, "no cache to use: from nothing\n{next}");
}

#[test]
fn a_failed_build_leaves_the_output_and_the_cache_as_they_were() {
    let site = site();
    site.build_ok(&["--quiet"]);
    let output = files_under(&site.out());
    let cache = files_under(&site.root().join(".public.glossa-cache"));
    site.write(
        "seeds/katze.yaml",
        "annotations:\n  - quote: nirgends zu finden\n    note: Fehlt.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(files_under(&site.out()), output);
    assert_eq!(files_under(&site.root().join(".public.glossa-cache")), cache);
    assert_eq!(stray_staging(&site.root()), Vec::<String>::new());
}

/// What a build from nothing of the same site says: its warnings and errors.
fn clean_messages(site: &Site) -> (Vec<String>, Vec<String>) {
    let clean = site.beside("clean-messages");
    let run = site.build(&["--no-cache", "--out", clean.to_str().expect("UTF-8")]);
    let _ = std::fs::remove_dir_all(&clean);
    let own = |lines: Vec<&str>| lines.into_iter().map(str::to_owned).collect();
    (own(run.warnings()), own(run.errors()))
}

#[test]
fn an_edit_of_documents_says_what_a_build_from_nothing_says() {
    let site = site();
    site.build_ok(&["--quiet"]);
    let steps: [(&str, &str, &str, bool); 4] = [
        // The glossary's `katze` then occurs nowhere: a warning about another file.
        (
            "no more cat",
            "seeds/katze.md",
            "# Die Mieze\n\nDie Mieze schläft. Der Hund nicht.\n",
            true,
        ),
        // A footnote never referred to: a warning about the edited file.
        (
            "a footnote unused",
            "seeds/katze.md",
            "# Die Mieze\n\nDie Mieze schläft.\n\n[^x]: Nie.\n",
            true,
        ),
        // A quote that is nowhere: an error, and nothing written (a build from nothing says it).
        (
            "a quote not found",
            "seeds/katze.yaml",
            "annotations:\n  - quote: bellt laut\n    note: Nein.\n",
            false,
        ),
        // Put right: the cat is back, every warning about it gone.
        (
            "the cat back",
            "seeds/katze.md",
            "# Die Katze\n\nDie Katze schläft. Der Hund nicht.\n",
            true,
        ),
    ];
    for (what, file, text, ok) in steps {
        site.write(file, text);
        if what == "the cat back" {
            site.write(
                "seeds/katze.yaml",
                "annotations:\n  - quote: schläft\n    note: Ruht.\n",
            );
        }
        let run = site.build(&[]);
        assert_eq!(run.code == 0, ok, "{what}\n{run}");
        let (warnings, errors) = clean_messages(&site);
        assert_eq!(
            run.warnings(),
            warnings,
            "{what}: the warnings of a build from nothing\n{run}"
        );
        assert_eq!(
            run.errors(),
            errors,
            "{what}: the errors of a build from nothing\n{run}"
        );
        if ok {
            assert!(
                run.stdout.contains("resolved again"),
                "{what}: an edit of documents\n{run}"
            );
            assert_same_as_clean(&site, what);
        }
    }
    let again = site.build_ok(&[]);
    assert_eq!(changed(&again.stdout), Some(0), "{again}");
}

#[test]
fn a_spoiled_site_in_the_cache_is_not_used() {
    let site = site();
    site.build_ok(&["--quiet"]);
    let kept = site.root().join(".public.glossa-cache/site");
    assert!(kept.is_file(), "the build keeps its resolved site");
    let mut bytes = std::fs::read(&kept).expect("the site");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&kept, bytes).expect("spoiled");
    site.write(
        "seeds/katze.yaml",
        "annotations:\n  - quote: schläft\n    note: Ruht lange.\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        !run.stdout.contains("resolved again"),
        "the whole site is loaded again\n{run}"
    );
    assert!(changed(&run.stdout).is_some_and(|n| n > 0), "{run}");
    assert_same_as_clean(&site, "a spoiled site in the cache");
    site.write(
        "seeds/katze.yaml",
        "annotations:\n  - quote: schläft\n    note: Ruht.\n",
    );
    let next = site.build_ok(&[]);
    assert!(
        next.stdout.contains("1 document resolved again"),
        "the cache is whole again\n{next}"
    );
    assert_same_as_clean(&site, "after a spoiled site");
}

/// Edits `file` to `text`, builds, and checks that the build took the edit path and said what a
/// build from nothing says, and wrote what it writes.
fn assert_edit_says_what_a_clean_build_says(site: &Site, what: &str, file: &str, text: &str) {
    site.write(file, text);
    let run = site.build_ok(&[]);
    assert!(
        run.stdout.contains("resolved again"),
        "{what}: an edit of documents\n{run}"
    );
    let (warnings, errors) = clean_messages(site);
    assert_eq!(
        run.warnings(),
        warnings,
        "{what}: the warnings of a build from nothing\n{run}"
    );
    assert_eq!(run.errors(), errors, "{what}\n{run}");
    assert_same_as_clean(site, what);
}

#[test]
fn an_edit_of_a_document_without_a_sidecar_still_says_it_has_none() {
    let site = site();
    site.write("seeds/maus.txt", "Die Maus\n\nDie Maus piept.\n");
    age(&site.root());
    let first = site.build_ok(&[]);
    assert!(first.stderr.contains("no sidecar"), "{first}");
    assert_edit_says_what_a_clean_build_says(
        &site,
        "an edit of maus.txt",
        "seeds/maus.txt",
        "Die Maus\n\nDie Maus piept laut.\n",
    );
}

#[test]
fn an_edit_of_a_document_does_not_repeat_the_warnings_about_the_translations_folder() {
    let site = site();
    site.write("content/translations/en/notes.pdf", "not a translation");
    site.write("content/translations/lose.txt", "Not in a language's folder.\n");
    age(&site.root());
    site.build_ok(&["--quiet"]);
    assert_edit_says_what_a_clean_build_says(
        &site,
        "an edit of katze.md",
        "seeds/katze.md",
        "# Die Katze\n\nDie Katze schläft lange. Der Hund nicht.\n",
    );
}

#[test]
fn a_document_that_becomes_a_draft_in_a_build_with_drafts_leaves_the_feed() {
    let site = site();
    // A dated document besides the one that becomes a draft: the site keeps its feed.
    site.write(
        "seeds/katze.yaml",
        "date: 2024-03-04\nannotations:\n  - quote: schläft\n    note: Ruht.\n",
    );
    age(&site.root());
    site.build_ok(&["--quiet", "--drafts"]);
    assert!(std::fs::read_to_string(site.out().join("feed.xml")).is_ok_and(|f| f.contains("hund/index.html")));
    let sidecar = "date: 2024-01-02\nannotations:\n  - quote: bellt\n    note: Laut.\n";
    site.write("seeds/hund.yaml", format!("draft: true\n{sidecar}"));
    let run = site.build_ok(&["--drafts"]);
    assert!(run.stdout.contains("resolved again"), "an edit of documents\n{run}");
    assert_same_as_clean_with(&site, "a draft", &["--drafts"]);
    site.write("seeds/hund.yaml", sidecar);
    let run = site.build_ok(&["--drafts"]);
    assert!(run.stdout.contains("resolved again"), "an edit of documents\n{run}");
    assert_same_as_clean_with(&site, "a draft no more", &["--drafts"]);
}

// The search index after an edit (docs/search.md): made from what the last build kept and the
// pages rendered again, it must be what a build from nothing makes.

/// A site of twelve documents (three fragment files of the index and more), its first and last
/// documents among them, for the search index's edits.
fn search_site() -> Site {
    let mut files: Vec<(String, String)> = (0..12)
        .map(|n| {
            let text = format!("# Text {n}\n\nDer Fluss fließt am Berg {n} vorbei, der Wald rauscht.\n");
            (format!("seeds/t{n:02}.md"), text)
        })
        .collect();
    for n in [0, 6, 11] {
        let sidecar = format!("annotations:\n  - quote: Fluss\n    note: Ein Wasser {n}.\n");
        files.push((format!("seeds/t{n:02}.yaml"), sidecar));
    }
    files.push(("content/site.yaml".into(), "title: Texte\nlang: de\n".into()));
    files.push(("content/glossary.yaml".into(), GLOSSARY.into()));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = Site::new(&files);
    age(&site.root());
    site
}

/// The files under `search/` and what each holds.
fn search_files(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    files_under(&site.out().join("search"))
}

#[test]
fn the_search_index_after_edits_is_what_a_build_from_nothing_makes() {
    let site = search_site();
    site.build_ok(&["--quiet"]);
    let long_note = format!("    note: {}\n", "Ein sehr langer Satz über den Fluss. ".repeat(600));
    let steps: [(&str, &str, String); 7] = [
        (
            "a word no other page has",
            "seeds/t06.yaml",
            "annotations:\n  - quote: Fluss\n    note: Ein Wasser, einzigartig.\n".into(),
        ),
        (
            "a word only that page had, removed",
            "seeds/t06.yaml",
            "annotations:\n  - quote: Fluss\n    note: Ein Wasser.\n".into(),
        ),
        (
            "a page's fragment grown past the limit of a file of its own",
            "seeds/t06.yaml",
            format!("annotations:\n  - quote: Fluss\n{long_note}"),
        ),
        (
            "the fragment back under it",
            "seeds/t06.yaml",
            "annotations:\n  - quote: Fluss\n    note: Kurz.\n".into(),
        ),
        (
            "the first page",
            "seeds/t00.yaml",
            "annotations:\n  - quote: Fluss\n    note: Am Anfang.\n".into(),
        ),
        (
            "the last page",
            "seeds/t11.yaml",
            "annotations:\n  - quote: Fluss\n    note: Am Ende, zuletzt.\n".into(),
        ),
        (
            "the last page again, right after",
            "seeds/t11.yaml",
            "annotations:\n  - quote: Fluss\n    note: Ganz am Ende.\n".into(),
        ),
    ];
    for (what, file, text) in steps {
        let before = search_files(&site);
        site.write(file, text);
        let run = site.build_ok(&[]);
        // A file edited within two seconds of the last build counts again: one or two documents.
        assert!(run.stdout.contains("resolved again"), "{what}: the edit path\n{run}");
        assert_same_as_clean(&site, what);
        let after = search_files(&site);
        let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let changed = names.into_iter().filter(|n| before.get(*n) != after.get(*n)).count();
        assert!(
            (1..=6).contains(&changed),
            "{what}: {changed} files of the index changed"
        );
    }
    assert!(
        files_under(&site.out().join("search/f"))
            .keys()
            .all(|f| !f.starts_with('p')),
        "the long fragment's own file is gone with it"
    );
}
