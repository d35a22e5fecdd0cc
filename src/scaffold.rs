//! `glossa new DIR`: a small site that builds as it is, to start from.

use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "content/site.yaml",
        r#"# yaml-language-server: $schema=../schema/site.schema.json
title: My annotated readings
description: Texts with notes, glosses and a glossary.
lang: en
glossary: { link: first }
"#,
    ),
    (
        "seeds/erlkoenig.txt",
        r#"Erlkönig

Wer reitet so spät durch Nacht und Wind?
Es ist der Vater mit seinem Kind;
Er hat den Knaben wohl in dem Arm,
Er faßt ihn sicher, er hält ihn warm.

Mein Sohn, was birgst du so bang dein Gesicht? –
Siehst, Vater, du den Erlkönig nicht?
Den Erlenkönig mit Kron' und Schweif? –
Mein Sohn, es ist ein Nebelstreif. –
"#,
    ),
    (
        "seeds/erlkoenig.yaml",
        r#"# yaml-language-server: $schema=../schema/sidecar.schema.json
author: Johann Wolfgang von Goethe
lang: de
lines: keep
summary: The first two stanzas of Goethe's ballad, annotated.
annotations:
  - id: ride
    quote: Wer reitet so spät durch Nacht und Wind?
    note: |
      The ballad opens with a question, as folk ballads often do. See the
      [glossary entry](term:erlkoenig) for the figure of the title.
  - quote: birgst
    gloss: hide
  - quote: Nebelstreif
    gloss: streak of mist
"#,
    ),
    (
        "content/glossary.yaml",
        r#"# yaml-language-server: $schema=../schema/glossary.schema.json
- id: erlkoenig
  term: Erlkönig
  kind: figure
  forms: [Erlkönig, Erlenkönig]
  definition: |
    The "alder king", a creature of Danish folklore that Herder brought into German
    as *Erlkönig* (from Danish *ellerkonge*, elf king).
"#,
    ),
    (
        "content/pages/about.md",
        r#"# About

These texts are annotated with glossa. Read [the Erlkönig](doc:erlkoenig) to see notes
in the margin and glosses on hover.
"#,
    ),
];

/// Writes the scaffold into `dir`, which must be missing or empty.
pub fn create(dir: &Path) -> Result<Vec<String>, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} exists and is not empty; choose a new folder",
                dir.display()
            ));
        }
    }
    let mut written = Vec::new();
    let schemas = crate::schema::schemas();
    let schema_files = schemas
        .iter()
        .map(|(name, text)| (format!("schema/{name}"), text.as_str()));
    let files = FILES.iter().map(|(p, t)| (p.to_string(), *t)).chain(schema_files);
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(rel);
    }
    std::fs::write(dir.join(".gitignore"), "/public\n/.public.glossa-cache\n")
        .map_err(|e| format!("cannot write .gitignore: {e}"))?;
    Ok(written)
}
