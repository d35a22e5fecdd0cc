//! A glossa built without the `serve` feature (`cargo install --no-default-features`, README.md):
//! it builds and checks as always, and `glossa serve` is a usage error that names the feature.
//! Compiled only in such a build (.ci/run runs it: `cargo test --no-default-features`).

use crate::support::{Site, glossa};

const DOC: (&str, &str) = ("seeds/a.txt", "Ein Text.\n");

#[test]
fn serve_is_a_usage_error_that_names_the_feature() {
    let site = Site::new(&[DOC]);
    let run = glossa(&site.root(), &["serve", "--port", "0"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.starts_with("error: "), "{run}");
    assert!(run.stderr.contains("the `serve` feature"), "{run}");
    assert!(run.stdout.is_empty(), "{run}");
}

#[test]
fn build_and_check_work_without_serve() {
    let site = Site::new(&[DOC]);
    site.build_ok(&[]);
    assert!(site.out().join("index.html").is_file());
    let run = glossa(&site.root(), &["check"]);
    assert_eq!(run.code, 0, "{run}");
}
