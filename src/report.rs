//! How a command reports: its diagnostics in the `--message-format` asked for, its summary
//! line, and its exit code.
//!
//! With `human`, diagnostics and failure summaries go to standard error and the success
//! summary (`built …`, `checked: …`) to standard output, as always. With `json` or `github`,
//! standard output carries the tools' lines only, one per diagnostic, and every line for
//! people (summaries included) goes to standard error.

use glossa::Outcome;
use glossa::diagnostics::format::{Emitter, MessageFormat};
use glossa::diagnostics::{Code, Diagnostic, Severity};
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Where a command's diagnostics and other lines go.
pub(crate) struct Printer {
    emitter: Emitter,
}

impl Printer {
    pub(crate) fn new(format: MessageFormat, color: bool, root: &Path) -> Printer {
        Printer {
            emitter: Emitter::new(format, color, root),
        }
    }

    /// Whether diagnostics are written for people.
    pub(crate) fn is_human(&self) -> bool {
        !self.emitter.to_stdout()
    }

    /// One diagnostic, in the format asked for. A closed standard output (`| head`) ends the
    /// lines quietly, never in a panic.
    pub(crate) fn diagnostic(&self, d: &Diagnostic) {
        let text = self.emitter.render(d);
        if self.emitter.to_stdout() {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        } else {
            eprint!("{text}");
        }
    }

    pub(crate) fn diagnostics(&self, diags: &[Diagnostic]) {
        for d in diags {
            self.diagnostic(d);
        }
    }

    /// A line for people that goes to standard output with human messages: on standard
    /// error when standard output carries the tools' lines.
    pub(crate) fn say(&self, line: &str) {
        if self.emitter.to_stdout() {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }

    /// A run that could not go on: `error: MESSAGE` for people, a diagnostic with the code
    /// `fatal` and no path for tools.
    pub(crate) fn fatal(&self, message: &str) {
        if self.is_human() {
            eprintln!("error: {message}");
        } else {
            self.diagnostic(&Diagnostic::error(Code::Fatal, "", message));
        }
    }
}

/// How a run's outcome is reported.
#[derive(Clone, Copy)]
pub(crate) struct Report {
    /// No summary line.
    pub(crate) quiet: bool,
    /// Warnings fail the run too.
    pub(crate) deny_warnings: bool,
    /// What the command writes, which its summary names.
    pub(crate) writes: Writes,
}

/// What a command writes: a failure says that nothing was written, and the summary counts
/// what was.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writes {
    /// `check`: nothing.
    Nothing,
    /// `build`: the site's pages.
    Site,
    /// `glossa epub`: one book, of chapters.
    Book,
}

/// Prints a run's diagnostics and its summary, and says its exit code.
pub(crate) fn finish(result: Result<Outcome, glossa::Fatal>, printer: &Printer, report: Report) -> ExitCode {
    let Report {
        quiet,
        deny_warnings,
        writes,
    } = report;
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            printer.fatal(&e.to_string());
            return ExitCode::from(1);
        }
    };
    printer.diagnostics(&outcome.diagnostics);
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if errors > 0 || (deny_warnings && warnings > 0) {
        let tail = if writes == Writes::Nothing {
            ""
        } else {
            "; nothing was written"
        };
        eprintln!(
            "{errors} error{}, {warnings} warning{}{tail}",
            plural(errors),
            plural(warnings)
        );
        return ExitCode::from(1);
    }
    if let Some(s) = &outcome.summary
        && !quiet
    {
        printer.say(&summary(s, writes));
    } else if outcome.summary.is_none() && !quiet {
        printer.say(&format!(
            "checked: {errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        ));
    }
    ExitCode::SUCCESS
}

/// The line that says what a run wrote: `build`'s pages and where, or `glossa epub`'s book
/// and its chapters.
fn summary(s: &glossa::Summary, writes: Writes) -> String {
    let out = s
        .out
        .strip_prefix(std::env::current_dir().unwrap_or_default())
        .unwrap_or(&s.out);
    let counts = format!(
        "{} document{}, {} note{}, {} glossary entr{}, {} occurrence{}",
        s.documents,
        plural(s.documents),
        s.notes,
        plural(s.notes),
        s.entries,
        if s.entries == 1 { "y" } else { "ies" },
        s.occurrences,
        plural(s.occurrences),
    );
    if writes == Writes::Book {
        return format!(
            "wrote the book {}: {counts} in {} chapter{}, in {:.2}s",
            out.display(),
            s.pages,
            plural(s.pages),
            s.seconds
        );
    }
    // What an incremental build did (docs/incremental.md): `(3 changed)`, or up to date.
    let (verb, changed) = match (s.changed, s.edited) {
        (None, _) => ("built", String::new()),
        (Some(0), None) => ("up to date:", " (nothing changed)".to_owned()),
        (Some(n), None) => ("built", format!(" ({n} changed)")),
        (Some(n), Some(e)) => (
            "built",
            format!(" ({n} changed; {e} document{} resolved again)", plural(e)),
        ),
    };
    format!(
        "{verb} {counts}: {} pages{changed} in {:.2}s → {}",
        s.pages,
        s.seconds,
        out.display()
    )
}

/// `check --fix`'s end: the orphans (already printed) count as errors.
pub(crate) fn finish_fix(after: Outcome, printer: &Printer, orphans: usize, deny_warnings: bool) -> ExitCode {
    let report = Report {
        quiet: true,
        deny_warnings,
        writes: Writes::Nothing,
    };
    let code = finish(Ok(after), printer, report);
    if orphans > 0 {
        eprintln!(
            "{orphans} quote{} orphaned: edit {} by hand",
            plural(orphans),
            if orphans == 1 { "it" } else { "them" }
        );
        return ExitCode::from(1);
    }
    code
}

/// Prints why `glossa add` wrote nothing, and (for people) where the item would have stood.
pub(crate) fn add_refused(
    root: &Path,
    printer: &Printer,
    diags: &[Diagnostic],
    item: Option<(&Path, std::ops::Range<usize>)>,
) -> ExitCode {
    printer.diagnostics(diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!("{errors} error{}; nothing was written", plural(errors));
    if let Some((sidecar, lines)) = item
        && printer.is_human()
        && diags
            .iter()
            .any(|d| d.path == sidecar && d.line.is_some_and(|l| lines.contains(&l)))
    {
        let shown = sidecar.strip_prefix(root).unwrap_or(sidecar);
        eprintln!(
            "(lines {}-{} of {} above are the new annotation as it would have been written)",
            lines.start,
            lines.end - 1,
            shown.display()
        );
    }
    ExitCode::from(1)
}

/// Prints what `glossa import` wrote (or, dry, would write) to each sidecar, its
/// diagnostics and a summary; exit 1 if any annotation was not imported.
pub(crate) fn imported(root: &Path, printer: &Printer, done: &glossa::import::Imported, dry_run: bool) -> ExitCode {
    printer.diagnostics(&done.diagnostics);
    let mut written = 0;
    for s in &done.sidecars {
        let shown = s.sidecar.strip_prefix(root).unwrap_or(&s.sidecar).display();
        let n = s.count;
        if s.refused {
            if printer.is_human() {
                eprintln!(
                    "(lines {}-{} of {shown} above are the imported annotations as they would have been written; nothing was written to it)",
                    s.lines.start,
                    s.lines.end - 1
                );
            }
            continue;
        }
        let verb = match (dry_run, s.created) {
            (true, true) => "would create",
            (true, false) => "would add to",
            (false, true) => "created",
            (false, false) => "added to",
        };
        printer.say(&format!("{verb} {shown}: {n} annotation{}", plural(n)));
        if dry_run {
            printer.say(s.items.trim_end_matches('\n'));
        }
        written += n;
    }
    let verb = if dry_run { "would import" } else { "imported" };
    let sidecars = done.sidecars.iter().filter(|s| !s.refused).count();
    let mut summary = format!(
        "{verb} {written} annotation{} into {sidecars} sidecar{}",
        plural(written),
        plural(sidecars)
    );
    if done.already > 0 {
        summary.push_str(&format!("; {} already in the sidecars", done.already));
    }
    if done.not_placed > 0 || done.has_errors() {
        let failed = done.diagnostics.iter().filter(|d| d.is_error()).count();
        summary.push_str(&format!("; {failed} error{}", plural(failed)));
        eprintln!("{summary}");
        return ExitCode::from(1);
    }
    printer.say(&summary);
    ExitCode::SUCCESS
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
