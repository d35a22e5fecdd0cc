//! A theme's chain: the theme a site names, the theme it `extends:`, and so on down to
//! `default`, each with its built-in and on-disk theme.yaml.

use super::{BUILTIN, Builtin, RawManifest};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::yaml::{from_yaml, value_error};
use std::path::{Path, PathBuf};

/// One theme of the chain: its own files, built in and on disk.
pub(super) struct Member {
    pub(super) name: String,
    pub(super) builtin: Option<&'static Builtin>,
    /// `themes/NAME/` under the site, when it is a folder.
    pub(super) dir: Option<PathBuf>,
    /// `(path, source, parsed)` of the theme.yaml files, the site's last.
    pub(super) manifests: Vec<(PathBuf, String, RawManifest)>,
}

impl Member {
    /// The last theme.yaml (the site's before the built-in one) that sets a key, with the key's value.
    pub(super) fn key<'m, T>(&'m self, get: impl Fn(&'m RawManifest) -> Option<T>) -> Option<(T, &'m Path, &'m str)> {
        self.manifests
            .iter()
            .rev()
            .find_map(|(path, source, raw)| get(raw).map(|v| (v, path.as_path(), source.as_str())))
    }
}

/// The chain `name → … → default`, most specific first; `None` (with an error) when a theme
/// is unknown or the chain runs in a circle.
pub(super) fn resolve_chain(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Vec<Member>> {
    // Who named the theme being looked up: site.yaml's `theme` (read again only for an error's
    // position), then a theme.yaml's `extends`.
    let mut named_at: (PathBuf, Option<String>, &str) = (root.join("content").join("site.yaml"), None, "theme");
    let mut chain: Vec<Member> = Vec::new();
    let mut current = name.to_owned();
    loop {
        let (at_path, at_source, at_key) = &named_at;
        let error_here = |code: Code, message: String| {
            let source = match at_source {
                Some(s) => s.clone(),
                None => std::fs::read_to_string(at_path).unwrap_or_default(),
            };
            value_error(code, &source, at_path, &[(*at_key).into()], message)
        };
        if !crate::slug::is_valid_id(&current) {
            diags.push(error_here(
                Code::InvalidThemeName,
                format!("`{current}` is not a theme name: `[a-z0-9-]+`"),
            ));
            return None;
        }
        if chain.iter().any(|m| m.name == current) {
            diags.push(circle_error(&chain, &current, error_here));
            return None;
        }
        let builtin = BUILTIN.iter().find(|b| b.name == current);
        let dir = Some(root.join("themes").join(&current)).filter(|d| crate::site_files::is_dir(root, d, diags));
        if builtin.is_none() && dir.is_none() {
            let known = known_themes(root);
            let d = error_here(
                Code::UnknownTheme,
                format!("unknown theme `{current}`: it is not built in and there is no folder themes/{current}/"),
            );
            diags.push(match did_you_mean(&current, known.iter().map(String::as_str)) {
                Some(best) => d.hint(format!("did you mean `{best}`?")),
                None => d.hint(format!("the themes here are {}", quoted_list(&known))),
            });
            return None;
        }
        let member = Member {
            name: current.clone(),
            builtin,
            manifests: manifests_of(root, builtin, dir.as_deref(), diags),
            dir,
        };
        let Ok(next) = next_in_chain(&member, diags) else {
            return None;
        };
        chain.push(member);
        match next {
            None => return Some(chain),
            Some((next, path, source)) => {
                named_at = (path, Some(source), "extends");
                current = next;
            }
        }
    }
}

/// The error for a chain of themes that comes back to `current`, naming the circle.
fn circle_error(chain: &[Member], current: &str, error_here: impl Fn(Code, String) -> Diagnostic) -> Diagnostic {
    let mut circle: Vec<&str> = chain.iter().map(|m| m.name.as_str()).collect();
    circle.push(current);
    let start = circle.iter().position(|n| *n == current).unwrap_or(0);
    error_here(
        Code::ThemeCycle,
        format!("themes extend each other in a circle: {}", circle[start..].join(" → ")),
    )
    .hint("one of them must extend another theme, for instance `default`")
}

/// A theme's theme.yaml files: the built-in one's, then the site's folder's.
fn manifests_of(
    root: &Path,
    builtin: Option<&Builtin>,
    dir: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String, RawManifest)> {
    let mut manifests = Vec::new();
    if let Some(b) = builtin {
        let path = PathBuf::from(format!("(built-in {} theme) theme.yaml", b.name));
        let raw = read_manifest(&path, b.manifest, diags);
        manifests.push((path, b.manifest.to_owned(), raw));
    }
    if let Some(dir) = dir {
        let path = dir.join("theme.yaml");
        match Some(&path)
            .filter(|p| crate::site_files::is_file(root, p, diags))
            .map(std::fs::read_to_string)
        {
            None => {}
            Some(Ok(source)) => {
                let raw = read_manifest(&path, &source, diags);
                manifests.push((path, source, raw));
            }
            Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Some(Err(e)) => diags.push(Diagnostic::error(
                Code::UnreadableFile,
                &path,
                format!("cannot read theme.yaml: {e}"),
            )),
        }
    }
    manifests
}

/// The theme `member` extends, with the theme.yaml that says so (its path and source):
/// `default` for a theme that names none, nothing after `default`; an error when `default`
/// claims to extend another.
#[allow(clippy::type_complexity)]
fn next_in_chain(member: &Member, diags: &mut Vec<Diagnostic>) -> Result<Option<(String, PathBuf, String)>, ()> {
    match (member.name.as_str(), member.key(|r| r.extends.clone())) {
        ("default", None) => Ok(None),
        ("default", Some((_, path, source))) => {
            diags.push(
                value_error(
                    Code::DefaultThemeExtends,
                    source,
                    path,
                    &["extends".into()],
                    "the default theme extends no other theme",
                )
                .hint("every other theme extends `default` in the end: make a theme of your own that extends the one you want"),
            );
            Err(())
        }
        (_, Some((next, path, source))) => Ok(Some((next, path.to_path_buf(), source.to_owned()))),
        (_, None) => Ok(Some(("default".to_owned(), PathBuf::new(), String::new()))),
    }
}

fn read_manifest(path: &Path, source: &str, diags: &mut Vec<Diagnostic>) -> RawManifest {
    match from_yaml::<RawManifest>(source, path) {
        Ok(raw) => raw.unwrap_or_default(),
        Err(d) => {
            diags.push(d);
            RawManifest::default()
        }
    }
}

/// The names of the built-in themes and of the folders under `themes/`, sorted.
fn known_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = BUILTIN.iter().map(|b| b.name.to_owned()).collect();
    if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.')
                && !names.contains(&name)
                && crate::site_files::is_dir(root, &entry.path(), &mut Vec::new())
            {
                names.push(name);
            }
        }
    }
    names.sort();
    names
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
