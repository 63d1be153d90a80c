//! A BMTK network's connections, named and set up as bmtool 0.8.7's
//! `SynapseTuner._build_conn_type_settings_from_config` does.
//!
//! For each edges file of `networks.edges` (in order; keyed by its first
//! population's name, e.g. `net_to_net`), the source and target node populations
//! are found from the key (`<src>_to_<tgt>`), else from the edges'
//! `node_population` attributes, else from a population whose name starts or ends
//! the key. Each edge type (in order of first appearance among the edges) becomes
//! one connection, set up from its first edge:
//!
//! * name: the basename of its `dynamics_params` file (`PV2Exc.json` → `PV2Exc`;
//!   `<name>_type_<edge_type_id>` when taken), else `<source pop_name>2<target
//!   pop_name>`, else `<key>_type_<edge_type_id>`; gap junctions are skipped;
//! * `post_cell`: the target node's `model_template` without `hoc:`;
//! * `level_of_detail`: the dynamics file's `level_of_detail`, else the edge's
//!   `model_template`, else `exp2syn`;
//! * `spec_syn_param`: the dynamics file's other values, the edge's
//!   `dynamics_params/<name>` values, and `initW` = the edge's `syn_weight`;
//! * `sec_id`, `sec_x`: the edge's `afferent_section_id` and `afferent_section_pos`,
//!   else 0 and 0.5; `vclamp_amp` -70 mV.
//!
//! One difference, in [`MetricsMode::Correct`] only: BMTK places a synapse at the
//! edge's `sec_id`/`sec_x` (its older names, which it reads before
//! `afferent_section_id`/`afferent_section_pos`; both index the cell's `all` list, as
//! bmtool's `sec_id` does); bmtool ignores them and puts such synapses on the soma.

use super::sonata::{read_edges, read_nodes, Cell, EdgeSet, NodeSet, Row};
use super::{load_config, BmtkError};
use crate::settings::{ConnTypeSettings, SpecSettings};
use crate::MetricsMode;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One connection of the network: bmtool's settings and where they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    /// bmtool's name (`PV2Exc`).
    pub name: String,
    /// The edges file's key (its first population, `net_to_net`).
    pub network: String,
    pub edge_type_id: i64,
    /// `pop_name` of the first edge's source and target nodes ("" if none).
    pub source_pop: String,
    pub target_pop: String,
    /// The target node's `model_template` and `model_type` as written, and its
    /// `morphology`, `dynamics_params` and `model_processing` (biophysical cells).
    pub post_model_template: String,
    pub post_model_type: String,
    pub post_morphology: Option<String>,
    pub post_dynamics_params: Option<String>,
    pub post_model_processing: Option<String>,
    /// How many edges the type has, and the first one's `delay` and `syn_weight`.
    pub edges: usize,
    pub delay: Option<f64>,
    pub syn_weight: Option<f64>,
    /// Values of the dynamics file bmtool keeps but never assigns (not numbers).
    pub ignored_params: Vec<String>,
    pub settings: ConnTypeSettings,
}

impl Connection {
    /// bmtool's `list_connections_from_config` summary plus where the connection
    /// comes from, as JSON.
    pub fn summary(&self) -> Value {
        let s = &self.settings.spec_settings;
        serde_json::json!({
            "name": self.name,
            "network": self.network,
            "edge_type_id": self.edge_type_id,
            "source": self.source_pop,
            "target": self.target_pop,
            "edges": self.edges,
            "post_cell": s.post_cell,
            "synapse_type": s.level_of_detail,
            "sec_id": s.sec_id,
            "sec_x": s.sec_x,
            "delay": self.delay,
            "syn_weight": self.syn_weight,
            "dynamics_params_file": s.dynamics_params_file,
            "parameters": self.settings.spec_syn_param.keys().collect::<Vec<_>>(),
        })
    }
}

/// The connections of the BMTK network `config` describes, in bmtool's order;
/// `network` keeps only one edges file's (bmtool's `network` argument).
pub fn connections(
    config: &Path,
    network: Option<&str>,
    mode: MetricsMode,
) -> Result<Vec<Connection>, BmtkError> {
    let conf = load_config(config)?;
    let files = Files {
        config,
        conf: &conf,
    };
    let nodes = files.node_sets()?;
    let edges = files.edge_sets()?;
    if let Some(n) = network {
        if !edges.iter().any(|(k, _)| k == n) {
            return Err(BmtkError::UnknownNetwork {
                path: config.to_path_buf(),
                network: n.to_string(),
                available: names(edges.iter().map(|(k, _)| k.as_str())),
            });
        }
    }
    let mut builder = Builder {
        files: &files,
        dynamics: HashMap::new(),
        mode,
        out: Vec::new(),
    };
    for (key, set) in &edges {
        if network.is_some_and(|n| n != key) {
            continue;
        }
        let Some((src, tgt)) = endpoints(key, set, &nodes) else {
            continue;
        };
        builder.add_edge_set(key, set, src, tgt)?;
    }
    Ok(builder.out)
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// The resolved config and the files it names.
struct Files<'a> {
    config: &'a Path,
    conf: &'a Map<String, Value>,
}

impl Files<'_> {
    /// A path-valued key (`networks.edges[1].edges_file`), checked to exist.
    fn path(&self, value: Option<&Value>, key: &str) -> Result<PathBuf, BmtkError> {
        let text = value
            .and_then(Value::as_str)
            .ok_or_else(|| BmtkError::MissingKey {
                path: self.config.to_path_buf(),
                key: key.to_string(),
            })?;
        if let Some(name) = unresolved_variable(text) {
            return Err(BmtkError::UnknownVariable {
                path: self.config.to_path_buf(),
                key: key.to_string(),
                name,
            });
        }
        let p = PathBuf::from(text);
        let p = if p.is_relative() {
            self.config.parent().unwrap_or(Path::new("")).join(p)
        } else {
            p
        };
        if !p.exists() {
            return Err(BmtkError::MissingFile {
                path: self.config.to_path_buf(),
                key: key.to_string(),
                target: p,
            });
        }
        Ok(p)
    }

    fn list(&self, which: &str) -> Result<&Vec<Value>, BmtkError> {
        self.conf
            .get("networks")
            .and_then(|n| n.get(which))
            .and_then(Value::as_array)
            .ok_or_else(|| BmtkError::MissingKey {
                path: self.config.to_path_buf(),
                key: format!("networks.{which}"),
            })
    }

    /// `networks.nodes`, by population (a repeated name replaces the earlier one).
    fn node_sets(&self) -> Result<Vec<NodeSet>, BmtkError> {
        let mut out: Vec<NodeSet> = Vec::new();
        for (k, entry) in self.list("nodes")?.iter().enumerate() {
            let at = |f: &str| format!("networks.nodes[{k}].{f}");
            let h5 = self.path(entry.get("nodes_file"), &at("nodes_file"))?;
            let csv = self.path(entry.get("node_types_file"), &at("node_types_file"))?;
            let set = read_nodes(&h5, &csv)?;
            match out.iter_mut().find(|s| s.name == set.name) {
                Some(old) => *old = set,
                None => out.push(set),
            }
        }
        Ok(out)
    }

    /// `networks.edges`, keyed as bmtool keys them.
    fn edge_sets(&self) -> Result<Vec<(String, EdgeSet)>, BmtkError> {
        let mut out: Vec<(String, EdgeSet)> = Vec::new();
        for (k, entry) in self.list("edges")?.iter().enumerate() {
            let at = |f: &str| format!("networks.edges[{k}].{f}");
            let h5 = self.path(entry.get("edges_file"), &at("edges_file"))?;
            let csv = self.path(entry.get("edge_types_file"), &at("edge_types_file"))?;
            let set = read_edges(&h5, &csv)?;
            match out.iter_mut().find(|(key, _)| *key == set.name) {
                Some(old) => old.1 = set,
                None => out.push((set.name.clone(), set)),
            }
        }
        Ok(out)
    }

    /// A file of `components.synaptic_models_dir`.
    fn dynamics_file(&self, name: &str) -> Result<PathBuf, BmtkError> {
        let key = "components.synaptic_models_dir";
        let dir = self.path(
            self.conf
                .get("components")
                .and_then(|c| c.get("synaptic_models_dir")),
            key,
        )?;
        let file = dir.join(name);
        if !file.exists() {
            return Err(BmtkError::MissingFile {
                path: self.config.to_path_buf(),
                key: format!("{key} (dynamics_params `{name}`)"),
                target: file,
            });
        }
        Ok(file)
    }
}

/// The first `$NAME` or `${NAME}` left in a path after the manifest was applied.
fn unresolved_variable(text: &str) -> Option<String> {
    let at = text.find('$')?;
    let rest = text[at + 1..].trim_start_matches('{');
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (len > 0).then(|| format!("${}", &rest[..len]))
}

/// bmtool's choice of the source and target node tables of an edges file.
fn endpoints<'n>(
    key: &str,
    set: &EdgeSet,
    nodes: &'n [NodeSet],
) -> Option<(&'n NodeSet, &'n NodeSet)> {
    let find = |name: &str| nodes.iter().find(|n| n.name == name);
    let mut src = None;
    let mut tgt = None;
    if let [a, b] = key.split("_to_").collect::<Vec<_>>().as_slice() {
        src = find(a);
        tgt = find(b);
    }
    if src.is_none() || tgt.is_none() {
        src = src.or_else(|| find(&set.source_population));
        tgt = tgt.or_else(|| find(&set.target_population));
    }
    if src.is_none() || tgt.is_none() {
        for n in nodes {
            let hit = key.starts_with(&n.name) || key.ends_with(&n.name);
            if src.is_none() && hit {
                src = Some(n);
            } else if tgt.is_none() && hit {
                tgt = Some(n);
            }
        }
    }
    Some((src?, tgt?))
}

/// Builds the connections, caching each dynamics file.
struct Builder<'a> {
    files: &'a Files<'a>,
    dynamics: HashMap<String, Map<String, Value>>,
    mode: MetricsMode,
    out: Vec<Connection>,
}

impl Builder<'_> {
    fn add_edge_set(
        &mut self,
        key: &str,
        set: &EdgeSet,
        src: &NodeSet,
        tgt: &NodeSet,
    ) -> Result<(), BmtkError> {
        for used in &set.types {
            let (type_id, count, edge) = (used.edge_type_id, used.count, &used.first);
            if truthy(edge.props.get("is_gap_junction")) {
                continue;
            }
            let empty = Row::new();
            let src_row = src.nodes.get(&edge.source_node_id).unwrap_or(&empty);
            let tgt_row = tgt.nodes.get(&edge.target_node_id).unwrap_or(&empty);
            let conn = self.connection(key, type_id, &edge.props, src_row, tgt_row, count)?;
            match self.out.iter_mut().find(|c| c.name == conn.name) {
                Some(old) => *old = conn,
                None => self.out.push(conn),
            }
        }
        Ok(())
    }

    fn connection(
        &mut self,
        key: &str,
        type_id: i64,
        props: &Row,
        src: &Row,
        tgt: &Row,
        edges: usize,
    ) -> Result<Connection, BmtkError> {
        let text = |row: &Row, k: &str| row.get(k).and_then(Cell::text).unwrap_or_default();
        let source_pop = text(src, "pop_name");
        let target_pop = text(tgt, "pop_name");
        let post_model_template = text(tgt, "model_template");
        let mut name = if !source_pop.is_empty() && !target_pop.is_empty() {
            format!("{source_pop}2{target_pop}")
        } else {
            format!("{key}_type_{type_id}")
        };
        let model_template = props
            .get("model_template")
            .and_then(Cell::text)
            .unwrap_or_else(|| "exp2syn".into());
        let mut spec = SpecSettings {
            post_cell: post_model_template.replace("hoc:", ""),
            vclamp_amp: -70.0,
            sec_x: 0.5,
            sec_id: 0,
            level_of_detail: model_template,
            dynamics_params_file: None,
        };
        let mut params = BTreeMap::new();
        let mut ignored = Vec::new();
        let dynamics = props
            .get("dynamics_params")
            .and_then(Cell::text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if let Some(file) = &dynamics {
            if !file.eq_ignore_ascii_case("null") {
                spec.dynamics_params_file = Some(file.clone());
                let values = self.dynamics_params(file)?;
                if let Some(l) = values.get("level_of_detail").and_then(Value::as_str) {
                    spec.level_of_detail = l.to_string();
                }
                for (k, v) in values.iter().filter(|(k, _)| *k != "level_of_detail") {
                    match json_number(v) {
                        Some(x) => {
                            params.insert(k.clone(), x);
                        }
                        None => ignored.push(k.clone()),
                    }
                }
            }
            let base = stem(file);
            name = if self.out.iter().any(|c| c.name == base) {
                format!("{base}_type_{type_id}")
            } else {
                base
            };
        }
        for (k, v) in props {
            if let (Some(p), Some(x)) = (k.strip_prefix("dynamics_params/"), v.number()) {
                params.insert(p.to_string(), x);
            }
        }
        let syn_weight = props.get("syn_weight").and_then(Cell::number);
        if let Some(w) = syn_weight {
            params.insert("initW".into(), w);
        }
        self.place(&mut spec, props, key, type_id)?;
        Ok(Connection {
            name,
            network: key.to_string(),
            edge_type_id: type_id,
            source_pop,
            target_pop,
            post_model_template,
            post_model_type: text(tgt, "model_type"),
            post_morphology: tgt.get("morphology").and_then(Cell::text),
            post_dynamics_params: tgt.get("dynamics_params").and_then(Cell::text),
            post_model_processing: tgt.get("model_processing").and_then(Cell::text),
            edges,
            delay: props.get("delay").and_then(Cell::number),
            syn_weight,
            ignored_params: ignored,
            settings: ConnTypeSettings {
                spec_settings: spec,
                spec_syn_param: params,
            },
        })
    }

    /// `sec_id`/`sec_x` from the edge: bmtool's `afferent_section_*`, and in
    /// correct mode BMTK's `sec_id`/`sec_x`, which BMTK reads first.
    fn place(
        &self,
        spec: &mut SpecSettings,
        props: &Row,
        key: &str,
        type_id: i64,
    ) -> Result<(), BmtkError> {
        let mut names = vec![("afferent_section_id", "afferent_section_pos")];
        if self.mode == MetricsMode::Correct {
            names.push(("sec_id", "sec_x"));
        }
        for (id_key, x_key) in names {
            if let Some(id) = props.get(id_key).and_then(Cell::number) {
                if id < 0.0 || id.fract() != 0.0 {
                    return Err(BmtkError::BadEdge {
                        path: self.files.config.to_path_buf(),
                        network: key.to_string(),
                        edge_type_id: type_id,
                        message: format!("`{id_key}` = {id} is not a section index"),
                    });
                }
                spec.sec_id = id as usize;
            }
            if let Some(x) = props.get(x_key).and_then(Cell::number) {
                spec.sec_x = x;
            }
        }
        Ok(())
    }

    /// A dynamics file's values (read once).
    fn dynamics_params(&mut self, file: &str) -> Result<Map<String, Value>, BmtkError> {
        if let Some(v) = self.dynamics.get(file) {
            return Ok(v.clone());
        }
        let path = self.files.dynamics_file(file)?;
        let text = std::fs::read_to_string(&path).map_err(|source| BmtkError::Io {
            path: path.clone(),
            source,
        })?;
        let value: Value = serde_json::from_str(&text).map_err(|e| BmtkError::Json {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let Value::Object(map) = value else {
            return Err(BmtkError::Json {
                path,
                message: "the top level is not an object".into(),
            });
        };
        self.dynamics.insert(file.to_string(), map.clone());
        Ok(map)
    }
}

/// A JSON value bmtool would assign to the synapse (`int`, `float`, `bool`).
fn json_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

/// Python's `os.path.splitext(os.path.basename(name))[0]`.
fn stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) if base[..i].chars().any(|c| c != '.') => base[..i].to_string(),
        _ => base.to_string(),
    }
}

/// pandas' truth of a value (`notna` and true).
fn truthy(cell: Option<&Cell>) -> bool {
    match cell {
        Some(Cell::Int(i)) => *i != 0,
        Some(Cell::Float(x)) => *x != 0.0 && !x.is_nan(),
        Some(Cell::Text(s)) => !(s.is_empty() || s.eq_ignore_ascii_case("false")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_python_splits_them() {
        assert_eq!(stem("PV2Exc.json"), "PV2Exc");
        assert_eq!(stem("dir/a.b.json"), "a.b");
        assert_eq!(stem(".hidden"), ".hidden");
        assert_eq!(stem("NULL"), "NULL");
        assert_eq!(
            unresolved_variable("$NETDIR/x.h5").as_deref(),
            Some("$NETDIR")
        );
        assert_eq!(unresolved_variable("${A}/x").as_deref(), Some("$A"));
        assert_eq!(unresolved_variable("/a/b"), None);
    }
}
