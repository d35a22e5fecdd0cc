//! argv → command → exit code. The only place that exits the process.

mod cli;
mod report;

use clap::{CommandFactory, Parser};
use cli::{Cli, Command, MessageFormat, site_root};
use glossa::BuildOptions;
use report::{Printer, Report, Writes, add_refused, finish, finish_fix};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the build allocates and frees many small strings from two threads at once, which
/// it does with about half the instructions of the system allocator and less fragmentation
/// (a flatter peak memory). Version 2 (Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells the allocator to keep the memory the process frees instead of handing it back to the
/// system 10 ms later, as it does by default. A build frees and allocates again all the time
/// (each chunk of pages, each document's events): handed back, that memory is faulted in and
/// zeroed again by the kernel, 2–3 % of a build's time at 10,000 documents (bench/RESULTS.md)
/// for about 6 % more peak memory. For the commands that run once and exit; `serve` keeps the
/// default, so that memory goes back to the system while it waits for edits. Call it first
/// thing, before any other thread runs.
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc 2's mimalloc.h (the sys crate does not name it):
    /// milliseconds before freed memory is purged, -1 for never.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: a plain store into mimalloc's table of options, which it reads when it purges;
    // no other thread runs yet to read it at the same time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Asks the kernel for the process's memory in ordinary 4 kB pages. mimalloc advises
/// transparent huge pages for its arena, and the kernel then zeroes a whole 2 MB page at the
/// first touch of any byte of it: a build touches most of its memory once, and on the
/// benchmark machine that zeroing was half the time of a build after an edit (bench/RESULTS.md).
/// Without it the system time of that build fell from about 0.6 s to 0.2 s.
fn small_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// Whether messages are coloured, as `--color` says; set once, first thing.
static COLOR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn color() -> bool {
    *COLOR.get_or_init(glossa::diagnostics::use_color)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        keep_freed_memory();
    }
    small_pages();
    let _ = COLOR.set(cli.color.enabled());
    match cli.command {
        Command::Build {
            root,
            out,
            force,
            no_cache,
            drafts,
            base_url,
            quiet,
            message_format,
        } => {
            let opts = BuildOptions {
                root: site_root(root),
                out,
                drafts,
                base_url,
                warn_sitemap: true,
                force,
                no_cache,
            };
            build(opts, quiet, message_format)
        }
        Command::Epub {
            root,
            out,
            drafts,
            quiet,
            message_format,
        } => epub(site_root(root), out, drafts, quiet, message_format),
        Command::Check {
            root,
            deny_warnings,
            drafts,
            fix,
            message_format,
        } => check(site_root(root), drafts, fix, deny_warnings, message_format),
        Command::Add(args) => {
            let (root, format) = (site_root(args.root.clone()), args.message_format);
            add(root, format, args.request())
        }
        Command::Import(args) => import(args),
        Command::New { dir } => new_site(&dir),
        #[cfg(not(feature = "serve"))]
        Command::Serve { .. } => serve_left_out(),
        #[cfg(feature = "serve")]
        Command::Serve {
            root,
            interface,
            port,
            open,
            drafts,
        } => serve(glossa::serve::ServeOptions {
            root: site_root(root),
            interface,
            port,
            open,
            drafts,
        }),
        Command::Schema { kind, out } => schema(kind.as_deref(), out.as_deref()),
        Command::Completions { shell } => completions(shell),
    }
}

/// The printer of a command's diagnostics, in `format`.
fn printer(format: MessageFormat, root: &std::path::Path) -> Printer {
    Printer::new(format.into(), color(), root)
}

/// `glossa build`: a `--base-url` that is not an http(s) URL is a usage error (exit 2).
fn build(opts: BuildOptions, quiet: bool, format: MessageFormat) -> ExitCode {
    if let Some(code) = missing_root(&opts.root) {
        return code;
    }
    if let Some(url) = &opts.base_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        eprintln!("error: --base-url must be an absolute http(s) URL, such as https://USER.github.io/REPO/");
        return ExitCode::from(2);
    }
    let report = Report {
        quiet,
        deny_warnings: false,
        writes: Writes::Site,
    };
    finish(glossa::build(&opts), &printer(format, &opts.root), report)
}

/// `glossa epub`: the book alone, into one file.
fn epub(root: PathBuf, out: Option<PathBuf>, drafts: bool, quiet: bool, format: MessageFormat) -> ExitCode {
    if let Some(code) = missing_root(&root) {
        return code;
    }
    let opts = BuildOptions {
        root: root.clone(),
        drafts,
        ..BuildOptions::default()
    };
    let report = Report {
        quiet,
        deny_warnings: false,
        writes: Writes::Book,
    };
    finish(glossa::epub(&opts, out.as_deref()), &printer(format, &root), report)
}

/// `glossa check`, and with `--fix` the quotes moved first and each orphan reported once.
fn check(root: PathBuf, drafts: bool, fix: bool, deny_warnings: bool, format: MessageFormat) -> ExitCode {
    if let Some(code) = missing_root(&root) {
        return code;
    }
    let opts = BuildOptions {
        root: root.clone(),
        drafts,
        ..BuildOptions::default()
    };
    let report = Report {
        quiet: false,
        deny_warnings,
        writes: Writes::Nothing,
    };
    let printer = printer(format, &root);
    if !fix {
        return finish(glossa::check(&opts), &printer, report);
    }
    match glossa::fix::fix(&opts) {
        Ok(mut done) => {
            printer.diagnostics(&done.changes);
            // An orphan's own error already said what the check would say again.
            let orphans: Vec<_> = done
                .changes
                .iter()
                .filter(|d| d.is_error())
                .map(|d| (d.path.clone(), d.line))
                .collect();
            done.after
                .diagnostics
                .retain(|d| !(d.is_error() && orphans.contains(&(d.path.clone(), d.line))));
            finish_fix(done.after, &printer, orphans.len(), deny_warnings)
        }
        Err(e) => finish(Err(e), &printer, report),
    }
}

/// `glossa add`: exit codes as for `check` (2 for a request that names no document).
fn add(root: PathBuf, format: MessageFormat, request: glossa::add::Request) -> ExitCode {
    if let Some(code) = missing_root(&root) {
        return code;
    }
    let opts = BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    };
    let printer = printer(format, &root);
    match glossa::add::add(&opts, &request) {
        Ok(added) => {
            printer.diagnostics(&added.warnings);
            let shown = added.sidecar.strip_prefix(&root).unwrap_or(&added.sidecar);
            let verb = if added.created { "created" } else { "added to" };
            printer.say(&format!(
                "{verb} {}: annotation `{}` at line {}",
                shown.display(),
                added.id,
                added.line
            ));
            ExitCode::SUCCESS
        }
        Err(glossa::add::Refusal::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(glossa::add::Refusal::Diagnostics(diags)) => add_refused(&root, &printer, &diags, None),
        Err(glossa::add::Refusal::Check {
            diagnostics,
            sidecar,
            lines,
        }) => add_refused(&root, &printer, &diagnostics, Some((&sidecar, lines))),
        Err(glossa::add::Refusal::Fatal(e)) => {
            printer.fatal(&e.to_string());
            ExitCode::from(1)
        }
    }
}

/// `glossa import`: exit codes as for `check` (2 for a file that cannot be read or a `--doc`
/// that is no document).
fn import(args: cli::ImportArgs) -> ExitCode {
    let root = site_root(args.root);
    if let Some(code) = missing_root(&root) {
        return code;
    }
    let printer = printer(args.message_format, &root);
    let opts = glossa::import::ImportOptions {
        root: root.clone(),
        file: args.file,
        doc: args.doc,
        dry_run: args.dry_run,
    };
    match glossa::import::import(&opts) {
        Ok(done) => report::imported(&root, &printer, &done, opts.dry_run),
        Err(glossa::import::ImportError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(glossa::import::ImportError::Fatal(e)) => {
            printer.fatal(&e.to_string());
            ExitCode::from(1)
        }
    }
}

/// `glossa serve`: runs until it is stopped.
#[cfg(feature = "serve")]
fn serve(opts: glossa::serve::ServeOptions) -> ExitCode {
    if let Some(code) = missing_root(&opts.root) {
        return code;
    }
    match glossa::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(glossa::serve::ServeError::Usage(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(glossa::serve::ServeError::Failed(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `glossa completions SHELL`: the script, made whole first, then printed (a closed pipe, as
/// with `| head`, ends it quietly).
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "glossa", &mut script);
    match std::io::Write::write_all(&mut std::io::stdout(), &script) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot print the completion script: {e}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `glossa serve` in a binary built without the `serve` feature (`--no-default-features`): a
/// usage error (exit 2) that says how to get a glossa that serves.
#[cfg(not(feature = "serve"))]
fn serve_left_out() -> ExitCode {
    eprintln!(
        "error: this glossa was built without the `serve` feature, so it cannot serve\n  \
         = hint: install glossa without --no-default-features (or with --features serve)"
    );
    ExitCode::from(2)
}

/// A `--root` that is not a folder is a usage error (exit 2).
fn missing_root(root: &std::path::Path) -> Option<ExitCode> {
    if root.is_dir() {
        return None;
    }
    eprintln!("error: the site folder {} does not exist", root.display());
    Some(ExitCode::from(2))
}

fn new_site(dir: &std::path::Path) -> ExitCode {
    match glossa::scaffold::create(dir) {
        Ok(files) => {
            for f in files {
                println!("  created {}", dir.join(f).display());
            }
            println!(
                "a new site is in {0}; build it with: glossa build --root {0}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn schema(kind: Option<&str>, out: Option<&std::path::Path>) -> ExitCode {
    let schemas = glossa::schema::schemas();
    if let Some(dir) = out {
        for (name, text) in &schemas {
            if let Err(e) = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(dir.join(name), text)) {
                eprintln!("error: cannot write {}: {e}", dir.join(name).display());
                return ExitCode::from(1);
            }
        }
        return ExitCode::SUCCESS;
    }
    match kind {
        Some(k) => {
            let name = format!("{k}.schema.json");
            if let Some((_, text)) = schemas.iter().find(|(n, _)| *n == name) {
                print!("{text}");
            }
        }
        None => {
            for (_, text) in &schemas {
                print!("{text}");
            }
        }
    }
    ExitCode::SUCCESS
}
