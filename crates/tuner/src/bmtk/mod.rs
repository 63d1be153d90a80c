//! BMTK networks for the tuner: where a `simulation_config.json` says the mechanisms
//! and templates are (bmtool's `load_templates_from_config`), and the network's
//! connections as `conn_type_settings` (bmtool's `SynapseTuner(config=...)`).
//!
//! Config files follow BMTK's `SonataConfig`: the `manifest` section defines variables
//! (`$NAME` or `${NAME}`, with `configdir` and `workingdir` predefined), resolved among
//! themselves and then substituted into every string of the file; a `network` or
//! `simulation` value that is a string names another config file (relative to this
//! one's folder) whose resolved keys are merged over this one's. Relative paths left
//! after that are taken relative to the top config's folder.
//!
//! [`sonata`] reads the node and edge files, [`network`] names and sets up the
//! connections as bmtool does, [`biophys`] writes a bmtk biophysical post cell as a
//! HOC template, and this module turns them into tuner settings.

pub mod biophys;
pub mod network;
pub mod sonata;

pub use network::{connections, Connection};

use crate::catalog::{catalog_for, CatalogError};
use crate::runner::RunnerError;
use crate::settings::SynapseTunerSettings;
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
    #[error("{path}: no `{key}` (in it or the configs it includes)")]
    MissingKey { path: PathBuf, key: String },
    #[error("{path}: `{key}` uses the manifest variable `{name}`, which no manifest defines")]
    UnknownVariable {
        path: PathBuf,
        key: String,
        name: String,
    },
    #[error("{path}: `{key}` names {target}, which does not exist")]
    MissingFile {
        path: PathBuf,
        key: String,
        target: PathBuf,
    },
    #[error("{path}: {object}: {message}")]
    Hdf5 {
        path: PathBuf,
        object: String,
        message: String,
    },
    #[error("{path}:{line}: {message}")]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: edges `{network}`, edge type {edge_type_id}: {message}")]
    BadEdge {
        path: PathBuf,
        network: String,
        edge_type_id: i64,
        message: String,
    },
    #[error("{path}: `network` = `{network}` is not an edges population of the config (it has {available})")]
    UnknownNetwork {
        path: PathBuf,
        network: String,
        available: String,
    },
    #[error("{path}: connection `{connection}` is not in the BMTK network{} (its connections: {available})",
        suggestion.as_deref().map_or(String::new(), |s| format!(" (did you mean `{s}`?)")))]
    UnknownConnection {
        path: PathBuf,
        connection: String,
        suggestion: Option<String>,
        available: String,
    },
    #[error("{path}: connection `{connection}`: the post cell's node type has model_template `{model_template}` (model_type `{model_type}`); the tuner builds `hoc:` templates and bmtk's `ctdb:Biophys1.hoc` (model_processing none, aibs_perisomatic or aibs_allactive)")]
    UnsupportedPostCell {
        path: PathBuf,
        connection: String,
        model_template: String,
        model_type: String,
    },
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
    // BMTK's `configdir` is the folder of the config's absolute path.
    let dir = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
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

/// Tuner settings built from a BMTK network, with the connections they came from and
/// what bmtool would only have warned about.
#[derive(Clone, Debug)]
pub struct NetworkSettings {
    /// The settings: the given ones (or bmtool's defaults) with every connection.
    pub settings: SynapseTunerSettings,
    /// The network's connections, in bmtool's order.
    pub connections: Vec<Connection>,
    /// Values left out: a `spec_syn_param` the mechanism lacks (bmtool warns and
    /// skips it; `initW` from `syn_weight` on an `Exp2Syn`, say), a dynamics value
    /// that is not a number. (connection, message) pairs.
    pub warnings: Vec<(String, String)>,
}

impl NetworkSettings {
    /// The connection names, in bmtool's order.
    pub fn names(&self) -> Vec<&str> {
        self.connections.iter().map(|c| c.name.as_str()).collect()
    }

    /// `connection` if the network has it, else an error naming the config and the
    /// nearest name.
    pub fn check_connection(&self, connection: &str) -> Result<&Connection, BmtkError> {
        let config = self.settings.config.clone().unwrap_or_default();
        let conn = self
            .connections
            .iter()
            .find(|c| c.name == connection)
            .ok_or_else(|| BmtkError::UnknownConnection {
                path: config.clone(),
                connection: connection.to_string(),
                suggestion: crate::settings::nearest(connection, self.names()),
                available: self.names().join(", "),
            })?;
        let template = &conn.post_model_template;
        if !template.starts_with("hoc:") && biophys1_processing(conn).is_none() {
            return Err(BmtkError::UnsupportedPostCell {
                path: config,
                connection: connection.to_string(),
                model_template: template.clone(),
                model_type: conn.post_model_type.clone(),
            });
        }
        Ok(conn)
    }

    /// The settings of one connection alone (what the runner needs to tune it).
    pub fn for_connection(&self, connection: &str) -> Result<SynapseTunerSettings, BmtkError> {
        let conn = self.check_connection(connection)?;
        let name = conn.name.clone();
        let mut s = self.settings.clone();
        s.conn_type_settings.retain(|k, _| *k == name);
        s.connection = Some(name.clone());
        if let Some(kind) = biophys1_processing(conn) {
            let config = s.config.clone().unwrap_or_default();
            let (mechanisms, templates, cell) = biophysical_cell(&config, conn, kind)?;
            s.mechanisms_dir = Some(s.mechanisms_dir.clone().unwrap_or(mechanisms));
            s.templates_dir = Some(templates);
            if let Some(c) = s.conn_type_settings.get_mut(&name) {
                c.spec_settings.post_cell = cell;
            }
        }
        Ok(s)
    }

    /// The warnings about `connection` (all of them for None).
    pub fn warnings_for(&self, connection: Option<&str>) -> Vec<String> {
        self.warnings
            .iter()
            .filter(|(c, _)| connection.is_none_or(|n| n == c))
            .map(|(c, w)| format!("{c}: {w}"))
            .collect()
    }
}

/// bmtk's processing functions Neurite reproduces for a biophysical node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Plain,
    Perisomatic,
    Allactive,
}

/// For a `ctdb:Biophys1` post cell whose `model_processing` Neurite reproduces:
/// which one.
fn biophys1_processing(conn: &Connection) -> Option<Kind> {
    let t = conn.post_model_template.as_str();
    if !(t == "ctdb:Biophys1" || t == "ctdb:Biophys1.hoc") {
        return None;
    }
    match conn.post_model_processing.as_deref() {
        None | Some("") => Some(Kind::Plain),
        Some("aibs_perisomatic") => Some(Kind::Perisomatic),
        Some("aibs_allactive") => Some(Kind::Allactive),
        Some(_) => None,
    }
}

/// Writes the post cell's template (a folder of its own, named by its content, under
/// the system's temporary folder) and returns the mechanisms folder, that folder
/// and the template's name.
fn biophysical_cell(
    config: &Path,
    conn: &Connection,
    kind: Kind,
) -> Result<(PathBuf, PathBuf, String), BmtkError> {
    let conf = load_config(config)?;
    let component = |key: &str| -> Result<PathBuf, BmtkError> {
        let v = conf
            .get("components")
            .and_then(|c| c.get(key))
            .and_then(Value::as_str)
            .ok_or_else(|| BmtkError::MissingKey {
                path: config.to_path_buf(),
                key: format!("components.{key}"),
            })?;
        Ok(relative_to_config(config, v))
    };
    let missing = |what: &str| BmtkError::UnsupportedPostCell {
        path: config.to_path_buf(),
        connection: conn.name.clone(),
        model_template: conn.post_model_template.clone(),
        model_type: format!("{}; the node has no `{what}`", conn.post_model_type),
    };
    let morphology_name = conn
        .post_morphology
        .clone()
        .ok_or_else(|| missing("morphology"))?;
    let morphology = component("morphologies_dir")?.join(&morphology_name);
    if !morphology.exists() {
        return Err(BmtkError::MissingFile {
            path: config.to_path_buf(),
            key: format!("components.morphologies_dir (morphology `{morphology_name}`)"),
            target: morphology,
        });
    }
    let fit = if kind != Kind::Plain {
        let name = conn
            .post_dynamics_params
            .clone()
            .ok_or_else(|| missing("dynamics_params"))?;
        let file = component("biophysical_neuron_models_dir")?.join(&name);
        let text = std::fs::read_to_string(&file).map_err(|_| BmtkError::MissingFile {
            path: config.to_path_buf(),
            key: format!("components.biophysical_neuron_models_dir (dynamics_params `{name}`)"),
            target: file.clone(),
        })?;
        let v: Value = serde_json::from_str(&text).map_err(|e| BmtkError::Json {
            path: file.clone(),
            message: e.to_string(),
        })?;
        Some(v)
    } else {
        None
    };
    let dl = conf
        .get("run")
        .and_then(|r| r.get("dL"))
        .and_then(Value::as_f64);
    let morphology = std::path::absolute(&morphology).unwrap_or(morphology);
    let name = format!("NeuriteBmtkCell_{}", conn.edge_type_id.max(0));
    let text = biophys::template(&biophys::Biophys1 {
        name: &name,
        morphology: &morphology,
        processing: match (kind, fit.as_ref()) {
            (Kind::Perisomatic, Some(f)) => biophys::Processing::Perisomatic(f),
            (Kind::Allactive, Some(f)) => biophys::Processing::Allactive(f),
            _ => biophys::Processing::None,
        },
        dl,
    })
    .map_err(|message| BmtkError::BadEdge {
        path: config.to_path_buf(),
        network: conn.network.clone(),
        edge_type_id: conn.edge_type_id,
        message: format!("post cell: {message}"),
    })?;
    let folder = write_cell(&text).map_err(|source| BmtkError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    Ok((component("mechanisms_dir")?, folder, name))
}

fn relative_to_config(config: &Path, p: &str) -> PathBuf {
    let p = PathBuf::from(p);
    if p.is_relative() {
        config.parent().unwrap_or(Path::new("")).join(p)
    } else {
        p
    }
}

/// `text` as `cell.hoc` in a folder named by its content (written once, renamed
/// into place, so concurrent runs never see half a file).
fn write_cell(text: &str) -> std::io::Result<PathBuf> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let dir = std::env::temp_dir().join(format!("neurite-bmtk-cell-{:016x}", h.finish()));
    let file = dir.join("cell.hoc");
    if std::fs::read_to_string(&file).is_ok_and(|t| t == text) {
        return Ok(dir);
    }
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(format!(".cell.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &file)?;
    Ok(dir)
}

/// Whether `path` holds a BMTK config rather than tuner settings: a JSON object with
/// one of BMTK's own top-level keys.
pub fn is_simulation_config(path: &Path) -> bool {
    const BMTK_KEYS: &[&str] = &[
        "manifest",
        "networks",
        "components",
        "run",
        "target_simulator",
        "conditions",
        "inputs",
        "reports",
        "output",
        "node_sets_file",
        "simulation",
    ];
    let Ok(Value::Object(map)) = std::fs::read_to_string(path)
        .map_err(|_| ())
        .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|_| ()))
    else {
        return false;
    };
    map.keys().any(|k| BMTK_KEYS.contains(&k.as_str()))
}

/// bmtool's `SynapseTuner(config=config)`: its default settings with every
/// connection of the network (Neurite's default metrics).
pub fn settings_for_config(config: &Path) -> Result<NetworkSettings, RunnerError> {
    let settings: SynapseTunerSettings =
        SynapseTunerSettings::from_json("{}", config).map_err(RunnerError::from)?;
    complete_settings(
        SynapseTunerSettings {
            config: Some(config.to_path_buf()),
            ..settings
        },
        config,
    )
}

/// Settings that name a BMTK `config` and no `conn_type_settings` (bmtool's
/// `SynapseTuner(config=..., general_settings=...)`): every connection of the
/// network (only `network`'s when that is set), placed as `metrics` says, updated
/// from `json_folder_path` as bmtool does.
pub fn complete_settings(
    settings: SynapseTunerSettings,
    file: &Path,
) -> Result<NetworkSettings, RunnerError> {
    let bmtk = |e: BmtkError| RunnerError::Catalog(CatalogError::Bmtk(e));
    let Some(config) = settings.config.clone() else {
        return Err(bmtk(BmtkError::MissingKey {
            path: file.to_path_buf(),
            key: "config".into(),
        }));
    };
    let connections =
        connections(&config, settings.network.as_deref(), settings.metrics).map_err(bmtk)?;
    let catalog = catalog_for(
        settings.mechanisms_dir.as_deref(),
        settings.templates_dir.as_deref(),
        Some(&config),
    )?;
    let mut settings = settings;
    for c in &connections {
        settings
            .conn_type_settings
            .insert(c.name.clone(), c.settings.clone());
    }
    // bmtool's `_update_spec_syn_param`, after the network's values.
    let update = settings.apply_json_folder(file)?;
    let mut warnings: Vec<(String, String)> = update
        .skipped
        .into_iter()
        .map(|k| {
            let conn = k.split('.').next().unwrap_or_default().to_string();
            (
                conn,
                format!("json_folder_path: `{k}` is not a number: not set"),
            )
        })
        .collect();
    for c in &connections {
        for k in &c.ignored_params {
            warnings.push((
                c.name.clone(),
                format!("dynamics value `{k}` is not a number: not set (bmtool skips it too)"),
            ));
        }
        let Some(conn) = settings.conn_type_settings.get_mut(&c.name) else {
            continue;
        };
        if let Some(mech) = catalog.find_mechanism(&conn.spec_settings.level_of_detail) {
            conn.spec_syn_param.retain(|k, _| {
                let known = mech.variables.iter().any(|v| v == k);
                if !known {
                    warnings.push((
                        c.name.clone(),
                        format!("{} has no `{k}`: not set (bmtool skips it too)", mech.name),
                    ));
                }
                known
            });
        }
    }
    Ok(NetworkSettings {
        settings,
        connections,
        warnings,
    })
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
