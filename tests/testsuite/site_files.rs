//! What glossa reads of a site's folder: regular files, and symlinks that stay inside the site
//! (docs/documents.md). A symlink that leads out of the site, or nowhere, and a special file (a
//! FIFO, a socket) are skipped with a warning that names them, at every level: site.yaml, the
//! glossary, seeds/, content/static/, a theme's folder and files. A FIFO never blocks a build.

use crate::support::Site;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn mkfifo(site: &Site, rel: &str) -> PathBuf {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
    path
}

/// A build that waits on a FIFO would wait forever: after a while this opens every FIFO for
/// writing and closes it, so that a reader sees its end and the test fails instead of hanging.
struct Unblock(Arc<AtomicBool>);

impl Unblock {
    fn after(fifos: Vec<PathBuf>, wait: Duration) -> Unblock {
        let done = Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < wait {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            for fifo in fifos {
                std::thread::spawn(move || drop(std::fs::OpenOptions::new().write(true).open(fifo)));
            }
        });
        Unblock(done)
    }
}

impl Drop for Unblock {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn warns(run: &crate::support::Run, path: &str, what: &str) -> bool {
    run.warnings()
        .iter()
        .any(|w| w.contains(&format!("{path}: warning: skipped: {what}")))
}

#[test]
fn special_files_are_skipped_with_a_warning_and_never_opened() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nDer Hund bellt.\n"),
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/templates/.keep", ""),
    ]);
    let fifos: Vec<&str> = vec![
        "seeds/a.yaml",
        "seeds/b.txt",
        "content/glossary.yaml",
        "content/glossary/more.yaml",
        "content/pages/p.md",
        "content/static/s.css",
        "themes/mine/theme.yaml",
        "themes/mine/templates/page.html",
        "themes/mine/i18n/en.yaml",
        "themes/mine/static/t.css",
    ];
    let paths = fifos.iter().map(|f| mkfifo(&site, f)).collect();
    let socket = site.root().join("seeds/socket.txt");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("a socket");
    let start = Instant::now();
    let unblock = Unblock::after(paths, Duration::from_secs(20));
    let run = site.build_ok(&[]);
    drop(unblock);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "the build waited on a FIFO\n{run}"
    );
    for fifo in fifos {
        assert!(warns(&run, fifo, "a named pipe (FIFO)"), "{fifo}\n{run}");
    }
    assert!(warns(&run, "seeds/socket.txt", "a socket"), "{run}");
    assert!(site.out().join("a/index.html").is_file());
    assert!(!site.out().join("static/s.css").exists() && !site.out().join("static/t.css").exists());
}

#[test]
fn a_fifo_at_site_yaml_is_skipped_not_waited_on() {
    let site = Site::new(&[("seeds/a.txt", "Titel\n\nDer Hund bellt.\n")]);
    let fifo = mkfifo(&site, "content/site.yaml");
    let start = Instant::now();
    let unblock = Unblock::after(vec![fifo], Duration::from_secs(20));
    let run = site.build_ok(&[]);
    drop(unblock);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "the build waited on site.yaml\n{run}"
    );
    assert!(warns(&run, "content/site.yaml", "a named pipe (FIFO)"), "{run}");
}

/// Symlinks inside the site are followed, files and folders alike; one that leads out of it,
/// or nowhere, or into a folder that holds it, is skipped with a warning naming it.
#[test]
fn symlinks_are_followed_only_inside_the_site() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nDer Hund bellt.\n"),
        ("texts/linked.txt", "Verlinkt\n\nEin Text von nebenan.\n"),
        ("texts/more/deep.txt", "Tief\n\nNoch ein Text.\n"),
        ("assets/logo.svg", "<svg/>"),
    ]);
    let elsewhere = site.beside("elsewhere");
    std::fs::create_dir_all(elsewhere.join("static")).expect("a folder");
    std::fs::write(elsewhere.join("secret.txt"), "Geheim\n\nNicht lesen.\n").expect("a file");
    std::fs::write(elsewhere.join("static/secret.css"), "x").expect("a file");
    let root = site.root();
    let link = |target: &Path, at: &str| {
        let at = root.join(at);
        std::fs::create_dir_all(at.parent().expect("a parent")).expect("create folders");
        symlink(target, at).expect("a symlink");
    };
    link(Path::new("../texts/linked.txt"), "seeds/linked.txt");
    link(Path::new("../texts/more"), "seeds/more");
    link(&elsewhere.join("secret.txt"), "seeds/secret.txt");
    link(Path::new("nothing.txt"), "seeds/broken.txt");
    link(Path::new(".."), "seeds/loop");
    link(Path::new("../../assets/logo.svg"), "content/static/logo.svg");
    link(&elsewhere.join("static"), "content/static/far");
    let run = site.build_ok(&[]);
    for page in ["a", "linked", "deep"] {
        assert!(site.out().join(page).join("index.html").is_file(), "{page}\n{run}");
    }
    assert_eq!(std::fs::read(site.out().join("logo.svg")).expect("logo.svg"), b"<svg/>");
    assert!(!site.out().join("secret").exists() && !site.out().join("far").exists());
    assert!(
        warns(&run, "seeds/secret.txt", "a symlink that leads out of the site"),
        "{run}"
    );
    assert!(
        warns(&run, "content/static/far", "a symlink that leads out of the site"),
        "{run}"
    );
    assert!(warns(&run, "seeds/broken.txt", "a symlink that leads nowhere"), "{run}");
    assert!(
        warns(&run, "seeds/loop", "a symlink to a folder that holds it"),
        "{run}"
    );
}

/// The folders glossa starts from follow the same rule: `content/static`, `seeds` or a theme's
/// folder that leads out of the site is skipped with a warning, not read.
#[test]
fn top_level_folders_that_lead_out_of_the_site_are_skipped() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nDer Hund bellt.\n"),
        ("content/site.yaml", "theme: far\n"),
    ]);
    let elsewhere = site.beside("elsewhere");
    for dir in ["static", "theme/templates", "seeds"] {
        std::fs::create_dir_all(elsewhere.join(dir)).expect("a folder");
    }
    std::fs::write(elsewhere.join("static/secret.css"), "x").expect("a file");
    std::fs::write(elsewhere.join("seeds/secret.txt"), "Geheim\n\nNicht lesen.\n").expect("a file");
    symlink(elsewhere.join("static"), site.root().join("content/static")).expect("a symlink");
    std::fs::create_dir_all(site.root().join("themes")).expect("themes/");
    symlink(elsewhere.join("theme"), site.root().join("themes/far")).expect("a symlink");
    let run = site.build(&[]);
    site.assert_fails(&run, &["unknown theme `far`"]);
    assert!(
        warns(&run, "themes/far", "a symlink that leads out of the site"),
        "{run}"
    );
    assert!(
        warns(&run, "content/static", "a symlink that leads out of the site"),
        "{run}"
    );

    site.write("content/site.yaml", "");
    std::fs::remove_dir_all(site.root().join("seeds")).expect("remove seeds/");
    symlink(elsewhere.join("seeds"), site.root().join("seeds")).expect("a symlink");
    let run = site.build(&[]);
    site.assert_fails(&run, &["no documents"]);
    assert!(warns(&run, "seeds", "a symlink that leads out of the site"), "{run}");
}
