//! The repository is itself a site (contract §1): its seeds/, content/ and themes/ build the
//! demo.

use crate::support::{Page, build_demo, stray_staging};

#[test]
fn the_repository_site_builds_with_rich_annotations() {
    let (tmp, out, run) = build_demo(&[]);
    assert!(run.errors().is_empty(), "{run}");
    assert!(stray_staging(tmp.path()).is_empty());
    let page = Page::open(&out.join("lawrow-gespraeche/index.html"));
    let notes = page.all(".note").len();
    let glosses = page.all(".gloss").len();
    assert!(notes >= 12, "the demo document has {notes} notes");
    assert!(glosses >= 12, "the demo document has {glosses} glosses");
    assert_eq!(
        page.all("[role=\"doc-footnote\"]").len(),
        notes,
        "every note carries its role"
    );
    assert_eq!(page.lang(), "de");
    assert!(out.join("glossary/index.html").is_file());
    assert!(out.join("about/index.html").is_file());
}
