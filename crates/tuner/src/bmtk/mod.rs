//! BMTK configuration files: where a `simulation_config.json` says the mechanisms and
//! templates are (bmtool's `load_templates_from_config`).
//!
//! Follows BMTK's `SonataConfig`: the `manifest` section defines variables (`$NAME` or
//! `${NAME}`, with `configdir` and `workingdir` predefined), resolved among themselves
//! and then substituted into every string of the file; a `network` or `simulation` value
//! that is a string names another config file (relative to this one's folder) whose
//! resolved keys are merged over this one's. `components.mechanisms_dir` and
//! `components.templates_dir` are the result. Building `conn_type_settings` from the
//! network's edges is not done yet.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a BMTK config could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BmtkError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not JSON: {message}")]
    Json { path: PathBuf, message: String },
    #[error("{path}: unable to resolve manifest variables: {names}")]
    Unresolved { path: PathBuf, names: String },
    #[error("{path}: no `components.{key}` (in it or the configs it includes)")]
    MissingComponent { path: PathBuf, key: &'static str },
    #[error("{path}: config files include each other ({again})")]
    Cycle { path: PathBuf, again: PathBuf },
}

/// The folders a BMTK config names for the tuner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    pub mechanisms_dir: PathBuf,
    pub templates_dir: PathBuf,
}

/// Reads `config` and the configs it includes, resolving manifest variables.
pub fn load_config(config: &Path) -> Result<Map<String, Value>, BmtkError> {
    load_nested(config, &mut Vec::new())
}

/// `components.mechanisms_dir` and `components.templates_dir` of a BMTK config.
pub fn components(config: &Path) -> Result<Components, BmtkError> {
    let conf = load_config(config)?;
    let get = |key: &'static str| {
        conf.get("components")
            .and_then(|c| c.get(key))
            .and_then(Value::as_str)
            .map(PathBuf::from)
            .ok_or(BmtkError::MissingComponent {
                path: config.to_path_buf(),
                key,
            })
    };
    Ok(Components {
        mechanisms_dir: get("mechanisms_dir")?,
        templates_dir: get("templates_dir")?,
    })
}

fn load_nested(path: &Path, seen: &mut Vec<PathBuf>) -> Result<Map<String, Value>, BmtkError> {
    if seen.iter().any(|p| p == path) {
        return Err(BmtkError::Cycle {
            path: seen.last().cloned().unwrap_or_default(),
            again: path.to_path_buf(),
        });
    }
    seen.push(path.to_path_buf());
    let mut conf = read_object(path)?;
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let manifest = build_manifest(&conf, &dir, path)?;
    for (key, value) in conf.iter_mut() {
        if key != "manifest" {
            substitute(value, &manifest);
        }
    }
    for child in ["network", "simulation"] {
        let Some(Value::String(name)) = conf.get(child) else {
            continue;
        };
        let child_path = dir.join(name);
        let child_conf = load_nested(&child_path, seen)?;
        conf.extend(child_conf);
    }
    seen.pop();
    Ok(conf)
}

fn read_object(path: &Path) -> Result<Map<String, Value>, BmtkError> {
    let text = std::fs::read_to_string(path).map_err(|source| BmtkError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(BmtkError::Json {
            path: path.to_path_buf(),
            message: "the top level is not an object".into(),
        }),
        Err(e) => Err(BmtkError::Json {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

/// The manifest's variables, each resolved against the others (BMTK's loop: resolve
/// what can be, until nothing changes).
fn build_manifest(
    conf: &Map<String, Value>,
    dir: &Path,
    path: &Path,
) -> Result<BTreeMap<String, String>, BmtkError> {
    let mut resolved = BTreeMap::new();
    resolved.insert("configdir".to_string(), dir.display().to_string());
    let cwd = std::env::current_dir().unwrap_or_default();
    resolved.insert("workingdir".to_string(), cwd.display().to_string());
    let mut pending = manifest_entries(conf);
    while !pending.is_empty() {
        let before = pending.len();
        let done: Vec<(String, String)> = pending
            .iter()
            .map(|(k, v)| (k.clone(), replace_variables(v, &resolved)))
            .filter(|(_, v)| !v.contains('$'))
            .collect();
        for (k, v) in done {
            pending.remove(&k);
            resolved.insert(k, v);
        }
        if pending.len() == before {
            return Err(BmtkError::Unresolved {
                path: path.to_path_buf(),
                names: pending.keys().cloned().collect::<Vec<_>>().join(", "),
            });
        }
    }
    Ok(resolved)
}

/// The manifest's string entries, keys without their leading `$`.
fn manifest_entries(conf: &Map<String, Value>) -> BTreeMap<String, String> {
    let Some(manifest) = conf.get("manifest").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    manifest
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.trim_start_matches('$').to_string(),
                v.as_str()?.to_string(),
            ))
        })
        .collect()
}

fn substitute(value: &mut Value, manifest: &BTreeMap<String, String>) {
    match value {
        Value::String(s) => *s = replace_variables(s, manifest),
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, manifest)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, manifest)),
        _ => {}
    }
}

/// Replaces `$NAME` and `${NAME}` with their values; unknown names stay as written.
fn replace_variables(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let braced = tail.starts_with('{');
        let body = if braced { &tail[1..] } else { tail };
        let len = body
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let name = &body[..len];
        // BMTK's pattern `\$\{?\w+\}?`: a brace counts only when both are there; a
        // lone one makes the name unknown, and the text stays as written.
        let closing = body[len..].starts_with('}');
        let consumed = 1 + usize::from(braced) + len + usize::from(closing && len > 0);
        match vars.get(name) {
            Some(v) if len > 0 && braced == closing => out.push_str(v),
            _ => out.push_str(&rest[at..at + consumed]),
        }
        rest = &rest[at + consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables() {
        let vars: BTreeMap<String, String> = [
            ("A".to_string(), "/x".to_string()),
            ("B_2".to_string(), "y".to_string()),
        ]
        .into();
        assert_eq!(replace_variables("$A/$B_2/${A}z", &vars), "/x/y//xz");
        assert_eq!(replace_variables("$C/${A", &vars), "$C/${A");
        assert_eq!(replace_variables("cost $ 5", &vars), "cost $ 5");
        assert_eq!(replace_variables("end$", &vars), "end$");
        assert_eq!(replace_variables("$A}/${}", &vars), "$A}/${}");
    }
}
