//! The command line: its commands and flags (clap), and where a command finds its site.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(name = "glossa", version, about = "A static site generator for annotated reading")]
pub(crate) struct Cli {
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Build the site into public/ (or site.yaml's `output`)
    Build {
        /// The site's folder (default: the nearest folder, from here up, with content/site.yaml or seeds/)
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write the site (default: ROOT/public); the folder is replaced whole
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output folder even if it is not empty and glossa did not build it
        #[arg(long)]
        force: bool,
        /// Build from nothing: neither use nor keep the build cache beside the output
        #[arg(long)]
        no_cache: bool,
        /// Build drafts too
        #[arg(long)]
        drafts: bool,
        /// The URL the site is served from, for absolute URLs (overrides site.yaml)
        #[arg(long)]
        base_url: Option<String>,
        /// Print errors and warnings only, no summary
        #[arg(long)]
        quiet: bool,
        /// How errors and warnings are written: human (on stderr), json (a JSON object per line, on stdout) or github (GitHub Actions workflow commands, on stdout)
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Write the site as one EPUB 3 book, for e-readers (docs/epub.md)
    Epub {
        /// The site's folder (default: the nearest folder, from here up, with content/site.yaml or seeds/)
        #[arg(long)]
        root: Option<PathBuf>,
        /// The book's file (default: the site title's slug + .epub, in the current folder); replaced once the whole book is written
        #[arg(long)]
        out: Option<PathBuf>,
        /// Put drafts in the book too
        #[arg(long)]
        drafts: bool,
        /// Print errors and warnings only, no summary
        #[arg(long)]
        quiet: bool,
        /// How errors and warnings are written: human (on stderr), json (a JSON object per line, on stdout) or github (GitHub Actions workflow commands, on stdout)
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Run every check of `build` without writing anything
    Check {
        /// The site's folder (default: the nearest folder, from here up, with content/site.yaml or seeds/)
        #[arg(long)]
        root: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        deny_warnings: bool,
        /// Rewrite quotes whose text has changed, where exactly one close passage exists
        #[arg(long)]
        fix: bool,
        /// Check drafts too
        #[arg(long)]
        drafts: bool,
        /// How errors and warnings are written: human (on stderr), json (a JSON object per line, on stdout) or github (GitHub Actions workflow commands, on stdout)
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Build, serve on 127.0.0.1 and rebuild on every change, reloading open pages
    Serve {
        /// The site's folder (default: the nearest folder, from here up, with content/site.yaml or seeds/)
        #[arg(long)]
        root: Option<PathBuf>,
        /// The address to listen on (0.0.0.0: every address, for other machines to read; annotating from a page stays with this machine)
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser
        #[arg(long)]
        open: bool,
        /// Build drafts too
        #[arg(long)]
        drafts: bool,
    },
    /// Add an annotation to a document's sidecar, after checking the site with it
    Add(AddArgs),
    /// Import annotations made elsewhere (W3C Web Annotations, a Hypothesis search) into the sidecars
    Import(ImportArgs),
    /// Create a new site (an example document, sidecar, glossary and site.yaml) in DIR
    #[command(alias = "init")]
    New {
        /// A folder that does not exist yet, or is empty
        dir: PathBuf,
    },
    /// Print the JSON Schema of sidecars, glossary files, site.yaml and theme.yaml (for editors)
    Schema {
        /// Only this one: sidecar, glossary, site or theme
        #[arg(value_parser = ["sidecar", "glossary", "site", "theme"])]
        kind: Option<String>,
        /// Write the schema files into this folder instead of printing
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a completion script for a shell (e.g. `glossa completions bash > ~/.local/share/bash-completion/completions/glossa`)
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
}

/// How diagnostics are written (`glossa::diagnostics::format`; docs/diagnostics.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum MessageFormat {
    Human,
    Json,
    Github,
}

impl From<MessageFormat> for glossa::diagnostics::format::MessageFormat {
    fn from(format: MessageFormat) -> Self {
        match format {
            MessageFormat::Human => Self::Human,
            MessageFormat::Json => Self::Json,
            MessageFormat::Github => Self::Github,
        }
    }
}

/// When messages are coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    pub(crate) fn enabled(self) -> bool {
        match self {
            Color::Auto => glossa::diagnostics::use_color(),
            Color::Always => true,
            Color::Never => false,
        }
    }
}

/// The site a command works on: `--root` when given; else the nearest folder, from the
/// current one up, that has `content/site.yaml` or `seeds/`, as cargo finds `Cargo.toml`
/// (said on stderr when it is not the current folder); else the current folder, which the
/// command then reports as no site.
pub(crate) fn site_root(given: Option<PathBuf>) -> PathBuf {
    if let Some(root) = given {
        return root;
    }
    let here = PathBuf::from(".");
    let Ok(cwd) = std::env::current_dir() else {
        return here;
    };
    match cwd.ancestors().find(|dir| is_site(dir)) {
        Some(found) if found == cwd => here,
        Some(found) => {
            eprintln!("glossa: using the site at {}", found.display());
            found.to_path_buf()
        }
        None => here,
    }
}

fn is_site(dir: &Path) -> bool {
    dir.join("content").join("site.yaml").is_file() || dir.join("seeds").is_dir()
}

/// `glossa add`'s arguments.
#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("body").required(true).multiple(true).args(["note", "gloss", "term", "see"]))]
pub(crate) struct AddArgs {
    /// The document, e.g. seeds/erlkoenig.txt (relative to --root, or to here)
    document: PathBuf,
    /// The passage, as the text has it
    #[arg(long, allow_hyphen_values = true)]
    quote: String,
    /// Text right before the quote, to pick one of several matches
    #[arg(long, allow_hyphen_values = true)]
    prefix: Option<String>,
    /// Text right after the quote, to pick one of several matches
    #[arg(long, allow_hyphen_values = true)]
    suffix: Option<String>,
    /// The N-th match (1 is the first), to pick one of several matches
    #[arg(long)]
    occurrence: Option<usize>,
    /// A numbered note (Markdown)
    #[arg(long, allow_hyphen_values = true)]
    note: Option<String>,
    /// A short gloss (plain text)
    #[arg(long, allow_hyphen_values = true)]
    gloss: Option<String>,
    /// The id of a glossary entry
    #[arg(long, allow_hyphen_values = true)]
    term: Option<String>,
    /// A cross-link: doc:SLUG[#ID], page:NAME[#ID], term:ID, #ID or a URL
    #[arg(long, allow_hyphen_values = true)]
    see: Option<String>,
    /// The annotation's id, [a-z0-9-]+ (default: a-N, N its place in the list)
    #[arg(long)]
    id: Option<String>,
    /// The site's folder (default: the nearest folder, from here up, with content/site.yaml or seeds/)
    #[arg(long)]
    pub(crate) root: Option<PathBuf>,
    /// How errors and warnings are written: human (on stderr), json (a JSON object per line, on stdout) or github (GitHub Actions workflow commands, on stdout)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    pub(crate) message_format: MessageFormat,
}

impl AddArgs {
    /// What to add, as the library takes it.
    pub(crate) fn request(self) -> glossa::add::Request {
        glossa::add::Request {
            document: self.document,
            quote: self.quote,
            prefix: self.prefix,
            suffix: self.suffix,
            occurrence: self.occurrence,
            note: self.note,
            gloss: self.gloss,
            term: self.term,
            see: self.see,
            id: self.id,
        }
    }
}

/// `glossa import`'s arguments.
#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// The file to import: W3C Web Annotation JSON-LD (one, a list, a collection; as annotations.jsonld or Recogito) or a Hypothesis search result
    pub(crate) file: PathBuf,
    /// Put every annotation into this document (e.g. seeds/erlkoenig.txt), whatever page it targets
    #[arg(long)]
    pub(crate) doc: Option<PathBuf>,
    /// Check and print what would be written to each sidecar, and write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// The site's folder (default: the nearest folder, from here up, with content/site.yaml or seeds/)
    #[arg(long)]
    pub(crate) root: Option<PathBuf>,
    /// How errors and warnings are written: human (on stderr), json (a JSON object per line, on stdout) or github (GitHub Actions workflow commands, on stdout)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    pub(crate) message_format: MessageFormat,
}
