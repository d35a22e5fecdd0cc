//! glossa's integration tests: one binary, a module per feature of the user-facing behaviour
//! (README.md and docs/). Every test writes a small site, runs the real `glossa`
//! binary on it and looks at the exit code, the messages and the files written.

// One binary, nothing exported: its modules share helpers with `pub`, which is all the
// visibility a test binary needs (the crate's `unreachable_pub` is about the library's API).
#![allow(unreachable_pub)]

mod authoring;
#[cfg(feature = "serve")]
mod serve;
#[cfg(feature = "serve")]
mod serve_annotate;
#[cfg(feature = "serve")]
mod serve_files;
#[cfg(not(feature = "serve"))]
mod serve_left_out;
mod support;

mod accessibility;
mod add;
mod anchoring;
mod bad_input;
mod build;
mod check;
mod cli;
mod crawl;
mod demo;
mod diagnostics_format;
mod documents;
mod epub;
mod feeds;
mod fix;
mod glossary;
mod golden;
mod hooks;
mod hostile;
mod import;
mod incremental;
mod jsonld;
mod links;
mod notes;
mod output;
mod previews;
mod props;
mod reader;
mod scale;
mod search;
#[cfg(unix)]
mod site_files;
mod statics;
mod subpath;
mod themes;
mod translations;
mod unicode;
