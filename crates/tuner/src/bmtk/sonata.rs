//! SONATA network files as bmtool 0.8.7 reads them: the node and edge types CSV
//! tables (space-separated, pandas' missing-value words) and the nodes and edges HDF5
//! files (read with the pure-Rust `hdf5-pure` crate: what h5py writes, chunked and
//! gzip-compressed datasets, variable-length string attributes).
//!
//! Edges follow bmtool's `load_sonata_edges_to_dataframe`: every edge of every
//! population in the file with its `edge_type_id`, source and target node ids, the
//! per-edge attributes of its edge group (`<population>/<group>/<name>`; a
//! `dynamics_params` subgroup becomes `dynamics_params/<name>`), then the edge type's
//! CSV columns wherever the HDF5 file has no value: a per-edge value overrides the
//! type's. Nodes follow bmtool's `load_nodes_from_paths`: each node's `node_type_id`
//! joined with the node types CSV, then the node group's per-node values.

use super::BmtkError;
use hdf5_pure::{DType, File};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One value of a table, typed as pandas would type its column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Missing,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Cell {
    /// The value as a number (integers and floats).
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(x) if !x.is_nan() => Some(*x),
            _ => None,
        }
    }

    /// Missing or NaN, as pandas' `notna` is false.
    pub fn is_missing(&self) -> bool {
        match self {
            Cell::Missing => true,
            Cell::Float(x) => x.is_nan(),
            _ => false,
        }
    }

    /// The value as Python's `str()` writes it (`1`, `1.0`, `text`); None if missing.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Missing => None,
            Cell::Int(i) => Some(i.to_string()),
            Cell::Float(x) if x.is_nan() => None,
            Cell::Float(x) => Some(format!("{x:?}")),
            Cell::Text(s) => Some(s.clone()),
        }
    }
}

/// A row: column name → value.
pub type Row = BTreeMap<String, Cell>;

/// The words pandas' `read_csv` reads as a missing value (its default `na_values`).
const NA_WORDS: &[&str] = &[
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// A space-separated types table (`node_types.csv`, `edge_types.csv`), columns typed
/// as pandas types them: all integers → integers, all numbers → floats, else text.
pub fn read_types_csv(path: &Path) -> Result<Vec<Row>, BmtkError> {
    let err = |line: u64, message: String| BmtkError::Csv {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|source| BmtkError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b' ')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut raw: Vec<Vec<String>> = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| err(k as u64 + 2, e.to_string()))?;
        raw.push(record.iter().map(str::to_string).collect());
    }
    let columns: Vec<Vec<Cell>> = (0..header.len())
        .map(|c| type_column(raw.iter().map(|r| r[c].as_str())))
        .collect();
    Ok((0..raw.len())
        .map(|r| {
            header
                .iter()
                .zip(&columns)
                .map(|(h, col)| (h.clone(), col[r].clone()))
                .collect()
        })
        .collect())
}

fn type_column<'a>(values: impl Iterator<Item = &'a str> + Clone) -> Vec<Cell> {
    let is_na = |s: &str| NA_WORDS.contains(&s);
    let present = values.clone().filter(|s| !is_na(s));
    let all_int = present.clone().all(|s| s.parse::<i64>().is_ok());
    let all_num = present.clone().all(|s| s.parse::<f64>().is_ok());
    let any_na = values.clone().any(is_na);
    values
        .map(|s| match s {
            s if is_na(s) => Cell::Missing,
            s if all_int && !any_na => s.parse().map_or(Cell::Missing, Cell::Int),
            s if all_num => s.parse().map_or(Cell::Missing, Cell::Float),
            s => Cell::Text(s.to_string()),
        })
        .collect()
}

/// One edge of an edges file, merged with its edge type.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub edge_type_id: i64,
    pub source_node_id: u64,
    pub target_node_id: u64,
    /// Every attribute: the HDF5 file's per-edge values, then the edge type's.
    pub props: Row,
}

/// An edge type as it occurs in an edges file: how many edges it has and its
/// first edge (bmtool sets a connection up from that one).
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeTypeUse {
    pub edge_type_id: i64,
    pub count: usize,
    pub first: Edge,
}

/// An edges file: bmtool's key (the first population's name) and its edge types in
/// order of first appearance over every population in it.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeSet {
    pub name: String,
    /// The `node_population` attributes of the first population's source and
    /// target node ids ("" when absent).
    pub source_population: String,
    pub target_population: String,
    pub types: Vec<EdgeTypeUse>,
}

/// Reads an edges HDF5 file and its edge types CSV. Only each type's first edge is
/// read whole, so large networks cost the index columns alone.
pub fn read_edges(h5_path: &Path, csv_path: &Path) -> Result<EdgeSet, BmtkError> {
    guarded(h5_path, || edges_of(h5_path, csv_path))
}

/// Runs a reader of `path`, turning a panic inside the HDF5 library (a bug there;
/// none is known) into an error naming the file.
fn guarded<T>(
    path: &Path,
    read: impl FnOnce() -> Result<T, BmtkError> + std::panic::UnwindSafe,
) -> Result<T, BmtkError> {
    std::panic::catch_unwind(read).unwrap_or_else(|_| {
        Err(BmtkError::Hdf5 {
            path: path.to_path_buf(),
            object: "/".into(),
            message: "the HDF5 reader failed on this file".into(),
        })
    })
}

fn edges_of(h5_path: &Path, csv_path: &Path) -> Result<EdgeSet, BmtkError> {
    let types = read_types_csv(csv_path)?;
    let h5 = H5::open(h5_path)?;
    let populations = h5.groups("edges")?;
    let Some(name) = populations.first().cloned() else {
        return Err(h5.error("edges", "has no edge population".into()));
    };
    let mut set = EdgeSet {
        name,
        source_population: String::new(),
        target_population: String::new(),
        types: Vec::new(),
    };
    for (k, pop) in populations.iter().enumerate() {
        let base = format!("edges/{pop}");
        if k == 0 {
            set.source_population =
                h5.string_attr(&format!("{base}/source_node_id"), "node_population");
            set.target_population =
                h5.string_attr(&format!("{base}/target_node_id"), "node_population");
        }
        for used in read_population(&h5, &base, pop, &types)? {
            match set
                .types
                .iter_mut()
                .find(|t| t.edge_type_id == used.edge_type_id)
            {
                Some(t) => t.count += used.count,
                None => set.types.push(used),
            }
        }
    }
    Ok(set)
}

/// The edge types of one population with their first edges.
fn read_population(
    h5: &H5,
    base: &str,
    pop: &str,
    types: &[Row],
) -> Result<Vec<EdgeTypeUse>, BmtkError> {
    let type_ids = h5.ints(&format!("{base}/edge_type_id"))?;
    let sources = h5.ints(&format!("{base}/source_node_id"))?;
    let targets = h5.ints(&format!("{base}/target_node_id"))?;
    let group_ids = h5.ints(&format!("{base}/edge_group_id"))?;
    let group_index = h5.ints(&format!("{base}/edge_group_index"))?;
    let n = type_ids.len();
    for (what, len) in [
        ("source_node_id", sources.len()),
        ("target_node_id", targets.len()),
        ("edge_group_id", group_ids.len()),
        ("edge_group_index", group_index.len()),
    ] {
        if len != n {
            return Err(h5.error(
                &format!("{base}/{what}"),
                format!("has {len} values, edge_type_id has {n}"),
            ));
        }
    }
    let mut used: Vec<(i64, usize, usize)> = Vec::new();
    for (e, &t) in type_ids.iter().enumerate() {
        match used.iter_mut().find(|u| u.0 == t) {
            Some(u) => u.2 += 1,
            None => used.push((t, e, 1)),
        }
    }
    let groups = EdgeGroups::read(h5, base)?;
    let mut out = Vec::with_capacity(used.len());
    for (edge_type_id, e, count) in used {
        let mut props = groups.row(h5, group_ids[e], group_index[e], e)?;
        let type_row = types.iter().find(|r| {
            r.get("edge_type_id") == Some(&Cell::Int(edge_type_id))
                && r.get("population")
                    .is_none_or(|p| p.text().as_deref() == Some(pop))
        });
        for (k, v) in type_row.into_iter().flatten() {
            if k == "edge_type_id" || k == "population" {
                continue;
            }
            if props.get(k).is_none_or(Cell::is_missing) {
                props.insert(k.clone(), v.clone());
            }
        }
        out.push(EdgeTypeUse {
            edge_type_id,
            count,
            first: Edge {
                edge_type_id,
                source_node_id: sources[e].max(0) as u64,
                target_node_id: targets[e].max(0) as u64,
                props,
            },
        });
    }
    Ok(out)
}

/// One per-edge attribute of an edge group: its name, its dataset, its values.
struct GroupColumn {
    name: String,
    dataset: String,
    values: Vec<Cell>,
}

/// The per-edge attributes of a population's edge groups, by group id. A
/// `dynamics_params` subgroup's values are named `dynamics_params/<name>`.
struct EdgeGroups {
    groups: Vec<(i64, Vec<GroupColumn>)>,
    /// Every attribute name with its blank (what an edge of another group has:
    /// missing, or "" for text, as bmtool's).
    blanks: BTreeMap<String, Cell>,
}

impl EdgeGroups {
    fn read(h5: &H5, base: &str) -> Result<EdgeGroups, BmtkError> {
        const CORE: &[&str] = &["indices"];
        let mut out = EdgeGroups {
            groups: Vec::new(),
            blanks: BTreeMap::new(),
        };
        for group in h5.groups(base)? {
            if CORE.contains(&group.as_str()) {
                continue;
            }
            let Ok(gid) = group.parse::<i64>() else {
                return Err(h5.error(
                    &format!("{base}/{group}"),
                    "is not a numbered edge group".into(),
                ));
            };
            let path = format!("{base}/{group}");
            let mut datasets: Vec<(String, String)> = h5
                .datasets(&path)?
                .into_iter()
                .map(|d| (d.clone(), format!("{path}/{d}")))
                .collect();
            if h5.groups(&path)?.iter().any(|g| g == "dynamics_params") {
                let dp = format!("{path}/dynamics_params");
                for d in h5.datasets(&dp)? {
                    datasets.push((format!("dynamics_params/{d}"), format!("{dp}/{d}")));
                }
            }
            let mut columns = Vec::new();
            for (name, dpath) in datasets {
                let values = h5.cells(&dpath)?;
                let blank = match values.first() {
                    Some(Cell::Text(_)) => Cell::Text(String::new()),
                    _ => Cell::Missing,
                };
                out.blanks.entry(name.clone()).or_insert(blank);
                columns.push(GroupColumn {
                    name,
                    dataset: dpath,
                    values,
                });
            }
            out.groups.push((gid, columns));
        }
        Ok(out)
    }

    /// Edge `e`'s attributes (it is value `index` of group `gid`).
    fn row(&self, h5: &H5, gid: i64, index: i64, e: usize) -> Result<Row, BmtkError> {
        let mut row: Row = self.blanks.clone();
        let Some((_, columns)) = self.groups.iter().find(|(g, _)| *g == gid) else {
            return Ok(row);
        };
        for col in columns {
            let v = usize::try_from(index)
                .ok()
                .and_then(|i| col.values.get(i))
                .ok_or_else(|| {
                    h5.error(
                        &col.dataset,
                        format!("has no value {index} (edge {e}'s edge_group_index)"),
                    )
                })?;
            row.insert(col.name.clone(), v.clone());
        }
        Ok(row)
    }
}

/// A nodes file: its population's name and each node's row (node types CSV, then
/// per-node values), by node id.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSet {
    pub name: String,
    pub nodes: HashMap<u64, Row>,
}

/// Reads a nodes HDF5 file and its node types CSV (one population per file, as
/// bmtool requires).
pub fn read_nodes(h5_path: &Path, csv_path: &Path) -> Result<NodeSet, BmtkError> {
    guarded(h5_path, || nodes_of(h5_path, csv_path))
}

fn nodes_of(h5_path: &Path, csv_path: &Path) -> Result<NodeSet, BmtkError> {
    let types = read_types_csv(csv_path)?;
    let h5 = H5::open(h5_path)?;
    let populations = h5.groups("nodes")?;
    let name = match populations.as_slice() {
        [one] => one.clone(),
        [] => return Err(h5.error("nodes", "has no node population".into())),
        _ => {
            return Err(h5.error(
                "nodes",
                format!(
                    "has {} populations ({}); bmtool reads one per file",
                    populations.len(),
                    populations.join(", ")
                ),
            ))
        }
    };
    let base = format!("nodes/{name}");
    let ids = h5.ints(&format!("{base}/node_id"))?;
    let type_ids = h5.ints(&format!("{base}/node_type_id"))?;
    if ids.len() != type_ids.len() {
        return Err(h5.error(&base, "node_id and node_type_id differ in length".into()));
    }
    let mut nodes = HashMap::new();
    for (&id, &tid) in ids.iter().zip(&type_ids) {
        let mut row = types
            .iter()
            .find(|r| r.get("node_type_id") == Some(&Cell::Int(tid)))
            .cloned()
            .unwrap_or_default();
        row.insert("node_type_id".into(), Cell::Int(tid));
        nodes.insert(id.max(0) as u64, row);
    }
    node_groups(&h5, &base, &ids, &mut nodes)?;
    Ok(NodeSet { name, nodes })
}

/// Per-node values of each node group (1-D datasets; `positions` and other tables
/// are left out: the tuner needs none of them).
fn node_groups(
    h5: &H5,
    base: &str,
    ids: &[i64],
    nodes: &mut HashMap<u64, Row>,
) -> Result<(), BmtkError> {
    let groups = h5.groups(base)?;
    if groups.is_empty() {
        return Ok(());
    }
    let group_ids = h5.ints(&format!("{base}/node_group_id"))?;
    let group_index = h5.ints(&format!("{base}/node_group_index"))?;
    for group in groups {
        let Ok(gid) = group.parse::<i64>() else {
            continue;
        };
        let path = format!("{base}/{group}");
        for d in h5.datasets(&path)? {
            let dpath = format!("{path}/{d}");
            if h5.rank(&dpath)? != 1 {
                continue;
            }
            let values = h5.cells(&dpath)?;
            for (k, id) in ids.iter().enumerate() {
                if group_ids.get(k) != Some(&gid) {
                    continue;
                }
                let v = group_index
                    .get(k)
                    .and_then(|&i| usize::try_from(i).ok())
                    .and_then(|i| values.get(i));
                if let (Some(v), Some(row)) = (v, nodes.get_mut(&(id.max(&0).unsigned_abs()))) {
                    row.insert(d.clone(), v.clone());
                }
            }
        }
    }
    Ok(())
}

/// An open HDF5 file whose errors name the file and the object.
struct H5 {
    path: PathBuf,
    file: File,
}

impl H5 {
    fn open(path: &Path) -> Result<H5, BmtkError> {
        if !path.exists() {
            return Err(BmtkError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let file = File::open(path).map_err(|e| BmtkError::Hdf5 {
            path: path.to_path_buf(),
            object: "/".into(),
            message: format!("not a readable HDF5 file: {e}"),
        })?;
        Ok(H5 {
            path: path.to_path_buf(),
            file,
        })
    }

    fn error(&self, object: &str, message: String) -> BmtkError {
        BmtkError::Hdf5 {
            path: self.path.clone(),
            object: format!("/{object}"),
            message,
        }
    }

    fn groups(&self, path: &str) -> Result<Vec<String>, BmtkError> {
        let group = self
            .file
            .group(path)
            .map_err(|e| self.error(path, format!("no such group ({e})")))?;
        let mut names = group
            .groups()
            .map_err(|e| self.error(path, e.to_string()))?;
        names.sort();
        Ok(names)
    }

    fn datasets(&self, path: &str) -> Result<Vec<String>, BmtkError> {
        let group = self
            .file
            .group(path)
            .map_err(|e| self.error(path, format!("no such group ({e})")))?;
        let mut names = group
            .datasets()
            .map_err(|e| self.error(path, e.to_string()))?;
        names.sort();
        Ok(names)
    }

    fn dataset(&self, path: &str) -> Result<hdf5_pure::Dataset, BmtkError> {
        self.file
            .dataset(path)
            .map_err(|e| self.error(path, format!("no such dataset ({e})")))
    }

    fn rank(&self, path: &str) -> Result<usize, BmtkError> {
        let shape = self
            .dataset(path)?
            .shape()
            .map_err(|e| self.error(path, e.to_string()))?;
        Ok(shape.len())
    }

    fn ints(&self, path: &str) -> Result<Vec<i64>, BmtkError> {
        self.dataset(path)?
            .read_i64()
            .map_err(|e| self.error(path, format!("expected integers: {e}")))
    }

    /// A 1-D dataset's values typed by its datatype.
    fn cells(&self, path: &str) -> Result<Vec<Cell>, BmtkError> {
        let ds = self.dataset(path)?;
        let dtype = ds.dtype().map_err(|e| self.error(path, e.to_string()))?;
        let bad = |e: hdf5_pure::Error| self.error(path, e.to_string());
        Ok(match dtype {
            DType::F32 | DType::F64 => ds
                .read_f64()
                .map_err(bad)?
                .into_iter()
                .map(Cell::Float)
                .collect(),
            DType::String | DType::VariableLengthString => ds
                .read_string()
                .map_err(bad)?
                .into_iter()
                .map(Cell::Text)
                .collect(),
            DType::I8
            | DType::I16
            | DType::I32
            | DType::I64
            | DType::U8
            | DType::U16
            | DType::U32
            | DType::U64 => ds
                .read_i64()
                .map_err(bad)?
                .into_iter()
                .map(Cell::Int)
                .collect(),
            other => {
                return Err(self.error(
                    path,
                    format!("has datatype {other}, expected numbers or strings"),
                ))
            }
        })
    }

    fn string_attr(&self, path: &str, name: &str) -> String {
        self.file
            .dataset(path)
            .ok()
            .and_then(|d| d.attrs().ok())
            .and_then(|a| a.get(name).and_then(|v| v.as_str().map(str::to_string)))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_typed_as_pandas_types_them() {
        let c = type_column(["1", "2"].into_iter());
        assert_eq!(c, vec![Cell::Int(1), Cell::Int(2)]);
        let c = type_column(["1", "NULL"].into_iter());
        assert_eq!(c, vec![Cell::Float(1.0), Cell::Missing]);
        let c = type_column(["1", "x.json"].into_iter());
        assert_eq!(c[0], Cell::Text("1".into()));
        assert_eq!(Cell::Float(0.004).text().as_deref(), Some("0.004"));
        assert_eq!(Cell::Float(3.0).text().as_deref(), Some("3.0"));
    }
}
