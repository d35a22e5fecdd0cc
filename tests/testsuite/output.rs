//! The output folder (README "Build", docs/site.md "The output"): which folder a build may
//! replace, and how two builds into one output take turns without ever leaving it missing or
//! half built.

use crate::support::{Run, Site, files_under, glossa, stray_staging};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The marker file every output glossa builds carries.
const MARKER: &str = ".glossa-output";

fn small_site() -> Site {
    Site::new(&[
        ("seeds/alpha.md", "# Alpha\n\nDie Krim liegt im Meer.\n"),
        (
            "seeds/alpha.yaml",
            "annotations:\n  - quote: im Meer\n    note: In the sea.\n",
        ),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
    ])
}

/// `glossa build --root ROOT ARGS…` run in `cwd`.
fn build_in(site: &Site, cwd: &Path, args: &[&str]) -> Run {
    let root = site.root();
    let mut all = vec!["build", "--root", root.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    glossa(cwd, &all)
}

/// Asserts a refused build: exit 1, an error whose message has `message` and whose hint has
/// `hint`, and "nothing was written".
fn assert_refused(run: &Run, message: &str, hint: &str) {
    assert_eq!(run.code, 1, "the build is refused\n{run}");
    assert!(
        run.error_messages().iter().any(|m| m.contains(message)),
        "an error says {message:?}\n{run}"
    );
    assert!(
        run.stderr.lines().any(|l| l.contains("= hint:") && l.contains(hint)),
        "a hint says {hint:?}\n{run}"
    );
    assert!(run.stderr.contains("nothing was written"), "{run}");
}

fn s(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn out_through_a_missing_folder_cannot_replace_seeds() {
    let site = small_site();
    let before = files_under(&site.root().join("seeds"));
    let run = build_in(&site, &site.root(), &["--out", "nonexist/../seeds"]);
    assert_refused(&run, "lies inside seeds/, one of the site's sources", "--out");
    assert!(before == files_under(&site.root().join("seeds")), "seeds/ is as it was");
    assert!(!site.root().join("nonexist").exists(), "no folder is made on the way");
}

#[test]
fn site_yaml_output_through_a_missing_folder_cannot_replace_content() {
    let site = small_site();
    site.write("content/site.yaml", "title: T\noutput: x/../content\n");
    let before = files_under(&site.root().join("content"));
    let run = site.build(&[]);
    assert_refused(&run, "lies inside content/", "`output`");
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("content/site.yaml:2:9: error:")),
        "the error points at the `output` line\n{run}"
    );
    assert!(before == files_under(&site.root().join("content")));
    assert!(!site.root().join("x").exists());
}

#[test]
fn out_that_names_the_site_from_inside_it_is_refused() {
    let site = small_site();
    let run = build_in(&site, &site.root(), &["--out", "nonexist/../../site"]);
    assert_refused(&run, "is the site's folder or holds it", "--out");
    assert!(site.root().join("seeds/alpha.md").is_file(), "the site is where it was");
    let run = build_in(&site, &site.root(), &["--out", "."]);
    assert_refused(&run, "is the site's folder or holds it", "--out");
    assert!(site.root().join("seeds/alpha.md").is_file());
}

#[test]
fn site_yaml_output_must_stay_inside_the_site() {
    let site = small_site();
    let elsewhere = site.beside("elsewhere");
    for output in [s(&elsewhere), "../elsewhere", "a/../../elsewhere"] {
        site.write("content/site.yaml", format!("output: {output}\n"));
        let run = site.build(&[]);
        assert_refused(&run, "`output` must be a folder inside the site's folder", "pass --out");
        assert!(
            run.errors()
                .iter()
                .any(|e| e.starts_with("content/site.yaml:1:9: error:")),
            "{run}"
        );
        assert!(!elsewhere.exists(), "nothing is made at {output}");
        // `check` says so too.
        let check = glossa(&site.root(), &["check", "--root", s(&site.root())]);
        assert_eq!(check.code, 1, "{check}");
    }
    // --out may point anywhere that is not the site's own.
    site.write("content/site.yaml", "title: T\n");
    site.build_ok(&["--out", s(&elsewhere)]);
    assert!(elsewhere.join("alpha/index.html").is_file());
}

/// A link in the site's folder does not lead site.yaml's `output` out of it either.
#[cfg(unix)]
#[test]
fn site_yaml_output_through_a_link_must_stay_inside_the_site() {
    let site = small_site();
    let elsewhere = site.beside("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("a folder");
    std::os::unix::fs::symlink(&elsewhere, site.root().join("link")).expect("a link");
    site.write("content/site.yaml", "output: link/site\n");
    let run = site.build(&[]);
    assert_refused(&run, "`output` must be a folder inside the site's folder", "pass --out");
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("content/site.yaml:1:9: error:")),
        "{run}"
    );
    assert!(!elsewhere.join("site").exists());
}

#[test]
fn the_sites_sources_and_dot_folders_are_refused() {
    let site = small_site();
    site.write(".git/HEAD", "ref: refs/heads/main\n");
    site.write("schema/site.schema.json", "{}\n");
    site.write("themes/mine/theme.yaml", "name: mine\n");
    site.write(".cache/keep", "x");
    let before = files_under(&site.root());
    for (out, folder) in [
        (".git", ".git/"),
        ("schema", "schema/"),
        ("themes", "themes/"),
        ("seeds/sub", "seeds/"),
        (".cache/site", ".cache/"),
        (".new/site", ".new/"),
    ] {
        let run = build_in(&site, &site.root(), &["--out", out]);
        assert_refused(&run, &format!("inside {folder}"), "point --out at a folder of its own");
        let forced = build_in(&site, &site.root(), &["--out", out, "--force"]);
        assert_eq!(forced.code, 1, "--force does not lift the rule\n{forced}");
    }
    assert!(before == files_under(&site.root()), "the site is as it was");
}

#[test]
fn a_folder_glossa_did_not_build_needs_force() {
    let site = small_site();
    let mine = site.beside("mine");
    std::fs::create_dir_all(&mine).expect("a folder");
    std::fs::write(mine.join("notes.txt"), "my notes").expect("a file");
    let run = site.build(&["--out", s(&mine)]);
    assert_refused(&run, "is not empty, and glossa did not build it", "--force");
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).ok().as_deref(),
        Some("my notes")
    );
    site.build_ok(&["--out", s(&mine), "--force"]);
    assert!(!mine.join("notes.txt").exists(), "--force replaces the folder");
    assert!(mine.join(MARKER).is_file());
    // From now on it is glossa's: no --force needed.
    site.build_ok(&["--out", s(&mine)]);
    // An empty folder needs none either.
    let empty = site.beside("empty");
    std::fs::create_dir_all(&empty).expect("a folder");
    site.build_ok(&["--out", s(&empty)]);
    assert!(empty.join("alpha/index.html").is_file());
}

#[test]
fn the_default_output_is_checked_too() {
    let site = small_site();
    site.write("public/notes.txt", "my notes");
    let run = site.build(&[]);
    assert_refused(&run, "glossa did not build it", "--force");
    assert!(
        run.errors().iter().any(|e| e.starts_with("public: error:")),
        "without `output` in site.yaml, the error names the folder\n{run}"
    );
    assert!(site.root().join("public/notes.txt").is_file());
}

#[test]
fn every_output_carries_the_marker() {
    let site = small_site();
    site.build_ok(&[]);
    let marker = std::fs::read_to_string(site.out().join(MARKER)).unwrap_or_default();
    assert!(marker.contains("built by glossa"), "{marker:?}");
}

#[test]
fn an_output_that_is_a_file_is_refused() {
    let site = small_site();
    let file = site.beside("site.tar");
    std::fs::write(&file, "an archive").expect("a file");
    for args in [vec!["--out", s(&file)], vec!["--out", s(&file), "--force"]] {
        let run = site.build(&args);
        assert_refused(&run, "is a file, not a folder", "--out");
        assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some("an archive"));
        assert!(stray_staging(&site.beside("")).is_empty(), "{run}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_the_sources_is_followed_and_refused() {
    let site = small_site();
    let texts = site.beside("texts");
    std::os::unix::fs::symlink(site.root().join("seeds"), &texts).expect("a link");
    let before = files_under(&site.root().join("seeds"));
    for out in [texts.clone(), texts.join("new/site")] {
        let run = site.build(&["--out", s(&out)]);
        assert_refused(&run, "lies inside seeds/", "--out");
    }
    assert!(
        before == files_under(&site.root().join("seeds")),
        "nothing is made in seeds/"
    );
    // A link to a folder of its own is refused too: the build would replace the link.
    let real = site.beside("real");
    std::fs::create_dir_all(&real).expect("a folder");
    let link = site.beside("link");
    std::os::unix::fs::symlink(&real, &link).expect("a link");
    let run = site.build(&["--out", s(&link)]);
    assert_refused(&run, "is a symbolic link", "--out");
}

#[test]
fn what_a_killed_build_left_is_removed_by_the_next() {
    let site = small_site();
    site.build_ok(&[]);
    let marked = |name: &str| {
        site.write(&format!("{name}/{MARKER}"), "x");
        site.write(&format!("{name}/alpha/index.html"), "half a page");
    };
    marked(".public.glossa-staging-99999-1a2b-0");
    marked(".public.glossa-old-99999-1a2b-1");
    site.write(".public.glossa-lock", "");
    site.build_ok(&[]);
    let mut names: Vec<String> = std::fs::read_dir(site.root())
        .expect("a listing")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The build cache stays beside the output (docs/incremental.md).
    assert_eq!(
        names,
        [".public.glossa-cache", "content", "public", "seeds"],
        "no stray folder or lock is left"
    );
}

#[test]
fn a_leftover_glossa_did_not_make_is_kept_with_a_warning() {
    let site = small_site();
    site.write(".public.glossa-staging-1-2-3/mine.txt", "mine");
    let run = site.build_ok(&[]);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains(".public.glossa-staging-1-2-3") && w.contains("glossa did not make it")),
        "{run}"
    );
    assert!(site.root().join(".public.glossa-staging-1-2-3/mine.txt").is_file());
}

#[test]
fn an_output_moved_away_by_a_killed_build_is_put_back() {
    let site = small_site();
    site.build_ok(&[]);
    let before = files_under(&site.out());
    // Killed between renaming the output away and the new one in.
    std::fs::rename(site.out(), site.root().join(".public.glossa-old-99999-1a2b-0")).expect("renamed");
    // A build that fails still puts the output back.
    site.write(
        "seeds/alpha.yaml",
        "annotations:\n  - quote: not in the text\n    note: x\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert!(before == files_under(&site.out()), "the old output is back as it was");
    assert!(!site.root().join(".public.glossa-old-99999-1a2b-0").exists());
}

/// A `glossa build` started in the background, its stderr lines collected.
struct Background {
    child: std::process::Child,
    stderr: std::sync::mpsc::Receiver<String>,
}

fn start_build(root: &Path, out: &Path) -> Background {
    let mut child = Command::new(env!("CARGO_BIN_EXE_glossa"))
        .args(["build", "--quiet", "--root", s(root), "--out", s(out)])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start glossa build");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    Background { child, stderr: rx }
}

impl Background {
    /// Waits for the build to end (at most a minute); its exit code and stderr.
    fn finish(mut self) -> (i32, String) {
        let start = Instant::now();
        let status = loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = self.child.kill();
                break self.child.wait().expect("the build ends");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        std::thread::sleep(Duration::from_millis(20));
        (
            status.code().unwrap_or(-1),
            self.stderr.try_iter().collect::<Vec<_>>().join("\n"),
        )
    }
}

#[test]
fn a_second_build_waits_for_the_first() {
    let site = small_site();
    let out = site.out();
    // Another build holds the output's lock.
    let lock = std::fs::File::create(site.root().join(".public.glossa-lock")).expect("the lock file");
    lock.lock().expect("the lock");
    let build = start_build(&site.root(), &out);
    let said = build.stderr.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
    assert!(
        said.contains("waiting for another build of") && said.contains("public"),
        "the build says it waits: {said:?}"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert!(!out.exists(), "it writes nothing while it waits");
    lock.unlock().expect("unlocked");
    let (code, stderr) = build.finish();
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("alpha/index.html").is_file());
    assert!(
        !site.root().join(".public.glossa-lock").exists(),
        "the lock file is removed"
    );
}

/// A small pseudo-random sequence (xorshift), seeded from the clock: the seed is printed on
/// failure.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What a complete build of the stress site has: the marker, the home page, every page.
fn missing_pages(out: &Path, docs: usize) -> Vec<PathBuf> {
    let mut expected = vec![out.join(MARKER), out.join("index.html"), out.join("annotations.jsonld")];
    expected.extend((0..docs).map(|i| out.join(format!("d{i:03}/index.html"))));
    expected.into_iter().filter(|p| !p.is_file()).collect()
}

/// Two builds into one output, started a few random milliseconds apart, again and again: while
/// they run, the output is always one complete build (never missing, never half of one), both
/// succeed, and nothing is left beside the output.
#[test]
fn two_builds_into_one_output_never_leave_it_missing_or_half_built() {
    const DOCS: usize = 300;
    let site = Site::of_documents(DOCS);
    let out = site.out();
    site.build_ok(&["--quiet"]);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64 | 1);
    let mut random = Random(seed);
    let start = Instant::now();
    for round in 0..4 {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watcher = {
            let (stop, out) = (stop.clone(), out.clone());
            std::thread::spawn(move || {
                let mut looks = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let missing = missing_pages(&out, DOCS);
                    if !missing.is_empty() {
                        return Err(format!(
                            "{} files missing, e.g. {}",
                            missing.len(),
                            missing[0].display()
                        ));
                    }
                    looks += 1;
                }
                Ok(looks)
            })
        };
        let first = start_build(&site.root(), &out);
        std::thread::sleep(Duration::from_millis(random.below(150)));
        let second = start_build(&site.root(), &out);
        let results = [first.finish(), second.finish()];
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let looked = watcher.join().expect("the watcher ends");
        for (code, stderr) in &results {
            assert_eq!(*code, 0, "round {round} (seed {seed}): a build failed\n{stderr}");
        }
        assert!(
            looked.is_ok(),
            "round {round} (seed {seed}): the output was not one whole build: {looked:?}"
        );
        assert!(missing_pages(&out, DOCS).is_empty());
        let mut names: Vec<String> = std::fs::read_dir(site.root())
            .expect("a listing")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".public.glossa-cache", "public", "seeds"],
            "round {round} (seed {seed}): nothing stray is left"
        );
        if start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
}
