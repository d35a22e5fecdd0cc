//! Parse: file contents → the document model, sidecars and glossary entries.
//!
//! Input: the text of files that `discover` found. Output: [`Document`]s whose body is a
//! pulldown-cmark event stream (a .txt becomes the same kind of stream, so one renderer serves
//! both), their annotations as written, and glossary entries. No disk access here.

pub mod document;
pub mod glossary;
mod meta;
pub mod sidecar;
pub mod translation;

pub use document::{Document, Kind, Meta, Source};
pub use glossary::Entry;
pub use sidecar::Annotation;
