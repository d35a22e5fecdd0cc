//! JSON Schemas of the YAML files, generated from the very types that read them, so they
//! cannot drift. `schema/` in the repository holds the same text (a test compares).

use schemars::schema_for;

/// `(file name, schema)` for sidecars, glossary files, site.yaml and theme.yaml.
pub fn schemas() -> Vec<(&'static str, String)> {
    let mut glossary = schema_for!(Vec<crate::parse::glossary::RawEntry>);
    glossary.insert("title".into(), "glossa glossary".into());
    let pretty = |s: &schemars::Schema| serde_json::to_string_pretty(s).unwrap_or_default() + "\n";
    vec![
        (
            "sidecar.schema.json",
            pretty(&schema_for!(crate::parse::sidecar::RawMeta)),
        ),
        ("glossary.schema.json", pretty(&glossary)),
        ("site.schema.json", pretty(&schema_for!(crate::config::RawConfig))),
        ("theme.schema.json", pretty(&schema_for!(crate::theme::RawManifest))),
    ]
}
