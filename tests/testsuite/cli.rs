//! The command line's habits: the site found from any folder inside it, `init`, `--color`,
//! completion scripts.

use crate::support::{Site, glossa};

fn two_docs() -> Site {
    Site::new(&[
        ("content/site.yaml", "title: Test\n"),
        ("seeds/essays/a.txt", "A\n\nEin Satz.\n"),
        ("seeds/b.txt", "B\n\nNoch ein Satz.\n"),
    ])
}

#[test]
fn a_command_run_inside_a_site_finds_it_and_says_so() {
    let site = two_docs();
    let inner = site.root().join("seeds").join("essays");
    let run = glossa(&inner, &["check"]);
    assert_eq!(run.code, 0, "{run}");
    let root = site.root().canonicalize().unwrap();
    assert!(
        run.stderr.contains(&format!("using the site at {}", root.display())),
        "says which root it used\n{run}"
    );
    assert!(
        run.stdout.contains("0 errors") || run.stderr.contains("0 errors"),
        "{run}"
    );
    let run = glossa(&inner, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        site.root().join("public/index.html").is_file(),
        "built into the site's own public/"
    );
    assert!(!inner.join("public").exists(), "not into the folder it was run in");
}

#[test]
fn at_the_site_root_nothing_is_said_and_root_wins_when_given() {
    let site = two_docs();
    let run = glossa(&site.root(), &["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains("using the site at"), "{run}");
    let elsewhere = tempfile::tempdir().unwrap();
    let run = glossa(elsewhere.path(), &["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains("using the site at"), "{run}");
}

#[test]
fn init_is_new() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let run = glossa(tmp.path(), &["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(dir.join("content/site.yaml").is_file());
    let run = glossa(tmp.path(), &["check", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "the new site checks\n{run}");
}

#[test]
fn color_follows_the_flag() {
    let site = Site::new(&[
        ("seeds/a.txt", "A\n\nText.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: nowhere\n    gloss: x\n"),
    ]);
    let root = site.root();
    let root = root.to_str().unwrap();
    let always = glossa(&site.root(), &["check", "--color", "always", "--root", root]);
    assert_eq!(always.code, 1, "{always}");
    assert!(
        always.stderr.contains("\u{1b}["),
        "coloured although NO_COLOR is set: the flag wins\n{always}"
    );
    let never = glossa(&site.root(), &["check", "--color=never", "--root", root]);
    assert!(!never.stderr.contains('\u{1b}'), "{never}");
    assert!(never.stderr.contains(": error: quote not found"), "{never}");
    // auto: not a terminal here, so no colour.
    let auto = glossa(&site.root(), &["check", "--root", root]);
    assert!(!auto.stderr.contains('\u{1b}'), "{auto}");
    let bad = glossa(&site.root(), &["check", "--color", "sometimes"]);
    assert_eq!(bad.code, 2, "{bad}");
}

#[test]
fn completion_scripts_name_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_glossa()"),
        ("zsh", "#compdef glossa"),
        ("fish", "complete -c glossa"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = glossa(tmp.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{run}");
        assert!(run.stdout.contains(marker), "{shell}\n{run}");
        for command in ["build", "check", "serve", "add", "new", "schema"] {
            assert!(run.stdout.contains(command), "{shell} completes `{command}`");
        }
    }
    let run = glossa(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn every_flag_has_help() {
    let tmp = tempfile::tempdir().unwrap();
    for command in ["build", "check", "serve", "add", "new", "schema", "completions"] {
        let run = glossa(tmp.path(), &[command, "--help"]);
        assert_eq!(run.code, 0, "{run}");
        let options = run.stdout.split("Options:").nth(1).unwrap_or_default();
        for line in options.lines().filter(|l| l.trim_start().starts_with('-')) {
            let described = line.trim().split("  ").filter(|p| !p.trim().is_empty()).count() >= 2;
            assert!(described, "`glossa {command}`: a flag without help: {line}");
        }
    }
}
