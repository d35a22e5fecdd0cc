//! Incremental builds (docs/incremental.md): `glossa build` keeps a cache beside the output,
//! writes nothing when nothing changed, and otherwise writes only the files that differ; the
//! output is always byte for byte what a build from nothing makes.

use crate::support::{Run, Site, files_under, stray_staging};
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
            "content/static/img/katze.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>",
        ),
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
            // With an image of content/static/: checked against it, from the kept site.
            s.write(
                "seeds/katze.md",
                "# Die Katze\n\nDie Katze schläft lange. Der Hund nicht.\n\n![Eine Katze](static:img/katze.svg)\n",
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
        ("corrupt", {
            let mut bytes = text.clone();
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            bytes
        }),
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
    // Nor the kept site's parts and what the outputs kept: nothing of it is left.
    assert!(!site.root().join(".public.glossa-cache").exists(), "{run}");
    let next = site.build_ok(&[]);
    assert_eq!(changed(&next.stdout), None, "no cache to use: from nothing\n{next}");
}

/// Builds `site` after `edit`, a build that fails: it leaves the output and the cache as the
/// last build left them, and no staging folder. Returns the failed run.
fn fails_leaving_all_as_it_was(site: &Site, edit: impl FnOnce()) -> Run {
    site.build_ok(&["--quiet"]);
    let output = files_under(&site.out());
    let cache = files_under(&site.root().join(".public.glossa-cache"));
    edit();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(files_under(&site.out()), output);
    assert_eq!(files_under(&site.root().join(".public.glossa-cache")), cache);
    assert_eq!(stray_staging(&site.root()), Vec::<String>::new());
    run
}

#[test]
fn a_failed_build_leaves_the_output_and_the_cache_as_they_were() {
    let site = site();
    fails_leaving_all_as_it_was(&site, || {
        site.write(
            "seeds/katze.yaml",
            "annotations:\n  - quote: nirgends zu finden\n    note: Fehlt.\n",
        )
    });
}

#[test]
fn a_build_that_fails_as_it_renders_takes_back_the_parts_of_the_site_it_kept() {
    // The kept site's parts are written while the site renders: a template that fails only
    // then must leave the cache as the last build saved it, without the new site's parts.
    let site = site();
    let run = fails_leaving_all_as_it_was(&site, || {
        site.write(
            "seeds/katze.md",
            "# Die Katze\n\nDie Katze schläft lange. Der Hund nicht.\n",
        );
        site.write(
            "themes/default/templates/document.html",
            "{% extends \"base.html\" %}{% block main %}{{ doc.nope.deeper }}{% endblock main %}",
        );
    });
    assert!(run.stderr.contains("document.html:1:"), "{run}");
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
    let parts = kept_parts(&site);
    let largest = parts.iter().max_by_key(|(_, bytes)| bytes.len());
    let (name, bytes) = largest.expect("the build keeps its resolved site");
    let (kept, mut bytes) = (site.root().join(CACHE).join(name), bytes.clone());
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

/// A sidecar with an annotation on each of `quotes`, its note saying `says`.
fn sidecar(quotes: &[&str], says: &str) -> String {
    let items: String = (quotes.iter())
        .map(|q| format!("  - quote: {q}\n    note: {says} {q}.\n"))
        .collect();
    match items.is_empty() {
        true => "annotations: []\n".to_owned(),
        false => format!("annotations:\n{items}"),
    }
}

/// Five documents `a` to `e` with annotations but `b`, and no output that is made of every
/// document again after an edit (no search, no book): `annotations.jsonld` is patched from
/// what the last build kept.
fn five_documents() -> Site {
    let site = Site::new(&[
        (
            "content/site.yaml",
            "title: Fünf\nlang: de\nbase_url: https://example.org/\nsearch: false\n",
        ),
        ("content/glossary.yaml", GLOSSARY),
    ]);
    for name in ["a", "b", "c", "d", "e"] {
        site.write(
            &format!("seeds/{name}.md"),
            format!("# Text {name}\n\nDer Hund {name} bellt, und die Katze {name} schläft.\n"),
        );
        let quotes: &[&str] = if name == "b" { &[] } else { &["bellt", "schläft"] };
        site.write(&format!("seeds/{name}.yaml"), sidecar(quotes, "Zuerst"));
    }
    age(&site.root());
    site
}

#[test]
fn annotations_jsonld_after_edits_is_patched_to_what_a_build_from_nothing_writes() {
    let site = five_documents();
    site.build_ok(&["--quiet"]);
    let jsonld = std::fs::read_to_string(site.out().join("annotations.jsonld")).expect("the file");
    let at = |name: &str| jsonld.find(&format!("example.org/{name}/index.html#")).expect("items");
    assert!(
        at("a") < at("c") && at("c") < at("e"),
        "documents in order a to e\n{jsonld}"
    );
    assert!(
        site.root().join(".public.glossa-cache/kept-annotations").is_file(),
        "the build keeps where each document's items are"
    );
    // Each edit build patches from what the one before it kept.
    let both: &[&str] = &["bellt", "schläft"];
    let steps: [(&str, &str, &[&str], &str); 9] = [
        ("the first document", "a", both, "Neu"),
        ("a middle document", "c", both, "Neu und länger"),
        ("the last document", "e", both, "Kurz"),
        ("a document without annotations given some", "b", &["bellt"], "Jetzt"),
        ("the same, without them again", "b", &[], ""),
        (
            "one annotation more: another total",
            "d",
            &["Hund", "bellt", "schläft"],
            "Mehr",
        ),
        ("the last document without annotations", "e", &[], ""),
        ("the last document with annotations again", "e", &["Katze"], "Wieder"),
        ("the first document without annotations", "a", &[], ""),
    ];
    for (what, name, quotes, says) in steps {
        site.write(&format!("seeds/{name}.yaml"), sidecar(quotes, says));
        let run = site.build_ok(&[]);
        assert!(
            run.stdout.contains("resolved again"),
            "{what}: an edit of documents\n{run}"
        );
        assert_same_as_clean(&site, what);
    }
}

#[test]
fn annotations_jsonld_is_patched_down_to_no_annotation_and_back() {
    let site = five_documents();
    site.build_ok(&["--quiet"]);
    for name in ["a", "c", "d", "e"] {
        site.write(&format!("seeds/{name}.yaml"), sidecar(&[], ""));
    }
    let run = site.build_ok(&[]);
    assert!(run.stdout.contains("resolved again"), "an edit of documents\n{run}");
    assert_same_as_clean(&site, "no annotation left");
    let jsonld = std::fs::read_to_string(site.out().join("annotations.jsonld")).expect("the file");
    assert!(
        jsonld.contains("\"items\":[],") && jsonld.contains("\"total\":0,"),
        "{jsonld}"
    );
    site.write("seeds/d.yaml", sidecar(&["Hund"], "Allein"));
    let run = site.build_ok(&[]);
    assert!(run.stdout.contains("resolved again"), "an edit of documents\n{run}");
    assert_same_as_clean(&site, "one annotation again");
}

/// The cache folder of the default output, relative to the site.
const CACHE: &str = ".public.glossa-cache";

/// The files of the parts of the resolved site kept in the cache (`site.HASH`), by name.
fn kept_parts(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut parts = files_under(&site.root().join(CACHE));
    parts.retain(|name, _| name.starts_with("site."));
    parts
}

/// The head of the kept site, the part the manifest names, or the other part (a chunk of
/// documents, which the head names): the name and bytes of its file. The manifest names the
/// head by its hash, written as postcard writes a number (seven bits a byte, low first).
fn kept_part(site: &Site, head: bool) -> (String, Vec<u8>) {
    let parts = kept_parts(site);
    assert_eq!(parts.len(), 2, "a head and a chunk: {:?}", parts.keys());
    let manifest = std::fs::read(site.root().join(CACHE).join("manifest")).expect("the manifest");
    let named = |name: &str| {
        let mut hash = u64::from_str_radix(&name["site.".len()..], 16).expect("a part named by its hash");
        let mut written = Vec::new();
        while hash >= 0x80 {
            written.push(hash as u8 | 0x80);
            hash >>= 7;
        }
        written.push(hash as u8);
        manifest.windows(written.len()).any(|w| w == written)
    };
    let found = parts.iter().find(|(name, _)| named(name) == head);
    let (name, bytes) = found.expect("the part");
    (name.clone(), bytes.clone())
}

/// A way to spoil the file of a part of the kept site, given its bytes.
type Spoil<'a> = dyn Fn(&Path, &[u8]) + 'a;

/// A part of the kept site cut short, with a byte changed, removed, or replaced by a part of
/// an earlier build: the edit build after it notes the cache ignored, builds what a build from
/// nothing builds, and keeps the site whole again for the next edit.
#[test]
fn a_part_of_the_kept_site_cut_changed_removed_or_of_another_build_is_not_used() {
    let site = site();
    site.build_ok(&["--quiet"]);
    let earlier = kept_parts(&site);
    assert_eq!(
        earlier.len(),
        2,
        "a head and a chunk of documents: {:?}",
        earlier.keys()
    );
    let spoils: [(&str, &Spoil<'_>); 4] = [
        ("cut", &|file, bytes| {
            std::fs::write(file, &bytes[..bytes.len() - 1]).expect("cut")
        }),
        ("changed", &|file, bytes| {
            let mut bytes = bytes.to_vec();
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            std::fs::write(file, bytes).expect("changed");
        }),
        ("removed", &|file, _| std::fs::remove_file(file).expect("removed")),
        ("of an earlier build", &|file, bytes| {
            let other = earlier.values().find(|b| b.as_slice() != bytes && b.len() > 40);
            std::fs::write(file, other.expect("an earlier part")).expect("replaced");
        }),
    ];
    let mut n = 0;
    let mut edit = || {
        n += 1;
        site.write(
            "seeds/katze.yaml",
            format!("annotations:\n  - quote: schläft\n    note: Ruht {n}.\n"),
        );
    };
    // The parts of an earlier build are those of another: a build with an edit first.
    edit();
    site.build_ok(&["--quiet"]);
    for (how, spoil) in spoils {
        for role in ["head", "chunk"] {
            let (name, bytes) = kept_part(&site, role == "head");
            let what = format!("the {role} {how}");
            spoil(&site.root().join(CACHE).join(&name), &bytes);
            edit();
            let run = site.build_ok(&[]);
            assert!(run.stderr.contains("note: build cache ignored"), "{what}\n{run}");
            assert!(
                !run.stdout.contains("resolved again"),
                "{what}: the whole site loaded\n{run}"
            );
            assert_same_as_clean(&site, &what);
            edit();
            let next = site.build_ok(&[]);
            assert!(
                next.stdout.contains("1 document resolved again") && !next.stderr.contains("cache"),
                "{what}: the cache is whole again\n{next}"
            );
        }
    }
}

/// An edit of one document writes only the part of the kept site that holds it, and the head:
/// every other part is kept as it was, and the parts no longer named are removed.
#[test]
fn an_edit_writes_only_the_parts_of_the_kept_site_it_changes() {
    let site = Site::of_documents(600);
    age(&site.root());
    site.build_ok(&["--quiet"]);
    let before = kept_parts(&site);
    assert_eq!(before.len(), 4, "a head and three chunks of 256 documents");
    let inode = |name: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(site.root().join(CACHE).join(name))
            .map(|m| m.ino())
            .ok()
    };
    let inodes: Vec<_> = before.keys().map(|name| inode(name)).collect();
    site.write("seeds/d300.md", "# Titel 300\n\nDer Hund 300 bellt laut.\n");
    let run = site.build_ok(&[]);
    assert!(run.stdout.contains("1 document resolved again"), "{run}");
    let after = kept_parts(&site);
    assert_eq!(after.len(), 4, "{:?}", after.keys());
    let kept: Vec<&String> = before.keys().filter(|name| after.contains_key(*name)).collect();
    assert_eq!(kept.len(), 2, "two chunks unchanged: {kept:?}");
    for (name, inode_before) in before.keys().zip(inodes) {
        if after.contains_key(name) {
            assert_eq!(inode(name), inode_before, "{name} is not written again");
        }
    }
    assert_same_as_clean(&site, "an edit of one of many documents");
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

// annotations.jsonld in pages (docs/incremental.md): an edit writes the pages whose bytes
// change, and the result is what a build from nothing writes.

/// The inode of each file of the annotations: a file written again is a new one.
fn annotation_inodes(site: &Site) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    let out = site.out();
    let pages = files_under(&out.join("annotations"))
        .into_keys()
        .map(|p| format!("annotations/{p}"));
    (std::iter::once("annotations.jsonld".to_owned()).chain(pages))
        .map(|rel| {
            let inode = std::fs::metadata(out.join(&rel)).expect("the file").ino();
            (rel, inode)
        })
        .collect()
}

/// The files of the annotations an edit build wrote again.
fn annotations_written(site: &Site, edit: impl FnOnce()) -> Vec<String> {
    let before = annotation_inodes(site);
    edit();
    let run = site.build_ok(&[]);
    assert!(run.stdout.contains("resolved again"), "an edit of documents\n{run}");
    let after = annotation_inodes(site);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    (before.into_iter())
        .filter(|(rel, inode)| after[rel] != *inode)
        .map(|(rel, _)| rel)
        .collect()
}

#[test]
fn annotation_pages_after_edits_are_what_a_build_from_nothing_writes() {
    let with_search = "title: Viele\nlang: de\nbase_url: https://example.org/\n";
    for config in [with_search, "title: Viele\nlang: de\nsearch: false\n"] {
        let (site, _) = crate::jsonld::paged_site(config);
        age(&site.root());
        site.build_ok(&["--quiet"]);
        let page_of = |slug: &str| {
            let files = files_under(&site.out());
            let holds =
                |rel: &&String| String::from_utf8_lossy(&files[*rel]).contains(&format!("{slug}/index.html#a-1"));
            let annotations = annotation_inodes(&site).into_keys().collect::<Vec<_>>();
            annotations
                .iter()
                .find(holds)
                .cloned()
                .expect("a page holds the document")
        };
        let (middle, last) = (page_of("d035"), page_of("d099"));
        assert_ne!(
            middle, "annotations.jsonld",
            "d035 is not on the first page (documents go by title)"
        );

        let written = annotations_written(&site, || {
            site.write(
                "seeds/d035.md",
                "# Titel 35\n\nDer Hund 35 bellt leise, und die Katze 35 schläft.\n",
            )
        });
        assert_eq!(written, [middle], "a text edit: the page of its document alone");
        assert_same_as_clean(&site, "a text edit");

        let written = annotations_written(&site, || {
            let sidecar = "annotations:\n  - quote: Hund\n    note: Ein Tier.\n  - quote: bellt\n    note: Laut.\n";
            site.write("seeds/d000.yaml", sidecar)
        });
        assert_eq!(
            written.len(),
            3,
            "an annotation more on the first page: every startIndex after it"
        );
        assert_same_as_clean(&site, "an annotation added");

        let written = annotations_written(&site, || site.write("seeds/d099.yaml", "annotations: []\n"));
        let mut expected = vec!["annotations.jsonld".to_owned(), last];
        expected.dedup();
        assert_eq!(written, expected, "the last document: its page and the total");
        assert_same_as_clean(&site, "the last document's annotations removed");
    }
}

/// The backlinks are kept with the site, and an edit checks only its documents' links and the
/// links into them: across edits that drop a link, add one, move a document (its title) and
/// remove an id another document links to, each build says and writes what a build from
/// nothing does (the removed id is an error; put back, the edit path builds again).
#[test]
fn links_into_and_out_of_edited_documents_after_edits_are_what_a_build_from_nothing_makes() {
    let site = Site::new(&[
        (
            "content/site.yaml",
            "title: Tiere\nlang: de\nbase_url: https://example.org/\n",
        ),
        (
            "seeds/hund.md",
            "# Der Hund\n\nDer Hund bellt. Siehe [den Kopf](doc:katze#kopf).\n",
        ),
        (
            "seeds/katze.md",
            "# Die Katze\n\nDie Katze schläft.\n\n## Kopf {#kopf}\n\nRund.\n",
        ),
        (
            "seeds/maus.md",
            "# Die Maus\n\nDie Maus piept, [wie die Katze](doc:katze#kopf).\n",
        ),
    ]);
    age(&site.root());
    site.build_ok(&["--quiet"]);
    let hund_links_maus = "# Der Hund\n\nDer Hund bellt. Siehe [die Maus](doc:maus).\n";
    assert_edit_says_what_a_clean_build_says(&site, "a link dropped, one added", "seeds/hund.md", hund_links_maus);
    let moved = "# Aber die Maus\n\nDie Maus piept, [wie die Katze](doc:katze#kopf).\n";
    assert_edit_says_what_a_clean_build_says(&site, "a document moved first", "seeds/maus.md", moved);
    let maus_page = std::fs::read_to_string(site.out().join("maus/index.html")).expect("maus");
    assert!(maus_page.contains("../hund/"), "the kept backlinks name hund");
    // An id linked from a document not edited, removed: the error a build from nothing says.
    site.write("seeds/katze.md", "# Die Katze\n\nDie Katze schläft.\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    let (_, errors) = clean_messages(&site);
    assert_eq!(run.errors(), errors, "{run}");
    assert!(run.errors().iter().any(|e| e.contains("kopf")), "{run}");
    // The site builds from nothing then; the next edit takes the edit path again.
    site.write(
        "seeds/katze.md",
        "# Die Katze\n\nDie Katze schläft.\n\n## Kopf {#kopf}\n\nRund.\n",
    );
    site.build_ok(&["--quiet"]);
    assert_edit_says_what_a_clean_build_says(
        &site,
        "a title again",
        "seeds/maus.md",
        "# Die Maus\n\nDie Maus piept, [wie die Katze](doc:katze#kopf).\n",
    );
}

/// A book whose chapters show images: after an edit of documents, the chapters of the others
/// are copied from the last book, compressed as they stand there, and the book is what a
/// build from nothing makes, whichever chapter changed (the first, a middle one, the last),
/// and when an edit shows an image no chapter showed before.
#[test]
fn a_book_after_edits_is_what_a_build_from_nothing_makes() {
    let site = five_documents();
    site.write(
        "content/site.yaml",
        "title: Fünf\nlang: de\nbase_url: https://example.org/\nsearch: false\nepub:\n  file: fuenf.epub\n",
    );
    site.write("content/static/bild.png", b"\x89PNG\r\n\x1a\nein Bild");
    site.write("content/static/karte.png", b"\x89PNG\r\n\x1a\neine Karte");
    site.write("content/pages/nachwort.md", "# Nachwort\n\nZuletzt.\n");
    for name in ["b", "d"] {
        site.write(
            &format!("seeds/{name}.md"),
            format!(
                "# Text {name}\n\nDer Hund {name} bellt, und die Katze {name} schläft.\n\n![Bild](static:bild.png)\n"
            ),
        );
    }
    age(&site.root());
    site.build_ok(&["--quiet"]);
    assert!(
        site.root().join(".public.glossa-cache/kept-book").is_file(),
        "the build keeps the book's chapters and their images"
    );
    let both: &[&str] = &["bellt", "schläft"];
    let steps: [(&str, &str, &[&str]); 4] = [
        ("the first chapter", "a.yaml", both),
        ("a middle chapter, with an image", "d.yaml", &["Hund"]),
        ("the last chapter", "e.yaml", &["Katze"]),
        ("the first chapter again", "a.yaml", &["Hund", "Katze"]),
    ];
    for (what, file, quotes) in steps {
        site.write(&format!("seeds/{file}"), sidecar(quotes, "Neu"));
        let run = site.build_ok(&[]);
        assert!(
            run.stdout.contains("resolved again"),
            "{what}: an edit of documents\n{run}"
        );
        assert_same_as_clean(&site, what);
    }
    site.write(
        "seeds/c.md",
        "# Text c\n\nDer Hund c bellt, und die Katze c schläft.\n\n![Karte](static:karte.png)\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.stdout.contains("resolved again"), "an image new to the book\n{run}");
    assert_same_as_clean(&site, "an image new to the book");
    let book = std::fs::read(site.out().join("fuenf.epub")).expect("the book");
    let names = String::from_utf8_lossy(&book);
    assert!(
        names.contains("EPUB/media/karte.png") && names.contains("EPUB/media/bild.png"),
        "both images in the book"
    );
}
