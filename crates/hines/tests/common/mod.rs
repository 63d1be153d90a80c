//! Shared by the NEURON comparison tests: reads a reference case written by
//! tests/reference/cable_reference.py and rebuilds the same model.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use neurite_hines::{
    Hh, IClamp, IonColumn, IonId, IonSpec, IonStyle, MechanismId, Model, Pas, Probe, SecondOrder,
    SectionId, SectionSpec, SimConfig, Simulation,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Case {
    pub neuron_version: String,
    pub dt: f64,
    pub v_init: f64,
    pub celsius: f64,
    pub sections: Vec<Spec>,
    #[serde(default)]
    pub pt3d: HashMap<String, Vec<[f64; 4]>>,
    #[serde(default)]
    pub connections: Vec<Conn>,
    /// nseg at creation when it differs from the final one.
    #[serde(default)]
    pub initial_nseg: HashMap<String, usize>,
    /// Per-segment diam assigned after the connections, before nseg changes.
    #[serde(default)]
    pub segment_diam: Vec<SegDiam>,
    /// Per-segment cm assigned with the diams.
    #[serde(default)]
    pub segment_cm: Vec<SegCm>,
    /// L assigned after the 3-D points (stretches them).
    #[serde(default)]
    pub set_length: HashMap<String, f64>,
    pub pas: Vec<PasSpec>,
    pub stimuli: Vec<Stim>,
    pub probes: Vec<ProbeSpec>,
    /// Sections with hh in every segment.
    #[serde(default)]
    pub hh: Vec<String>,
    /// Ion concentrations and ion_style flags that differ from hh's defaults.
    #[serde(default)]
    pub ions: HashMap<String, IonOverride>,
    pub geometry: Vec<Geometry>,
    pub runs: Vec<Run>,
}

#[derive(Debug, Deserialize)]
pub struct Spec {
    pub name: String,
    #[serde(rename = "L")]
    pub length: f64,
    pub diam: f64,
    #[serde(rename = "Ra")]
    pub ra: f64,
    pub cm: f64,
    pub nseg: usize,
}

#[derive(Debug, Deserialize)]
pub struct Conn {
    pub child: String,
    pub child_end: f64,
    pub parent: String,
    pub x: f64,
}

#[derive(Debug, Deserialize)]
pub struct SegDiam {
    pub section: String,
    pub x: f64,
    pub diam: f64,
}

#[derive(Debug, Deserialize)]
pub struct SegCm {
    pub section: String,
    pub x: f64,
    pub cm: f64,
}

#[derive(Debug, Deserialize)]
pub struct IonOverride {
    pub conc_in: f64,
    pub conc_out: f64,
    pub einit: u8,
    pub eadvance: u8,
    pub cinit: u8,
}

#[derive(Debug, Deserialize)]
pub struct PasSpec {
    pub section: String,
    pub g: f64,
    pub e: f64,
}

#[derive(Debug, Deserialize)]
pub struct Stim {
    pub section: String,
    pub x: f64,
    pub del: f64,
    pub dur: f64,
    pub amp: f64,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ProbeSpec {
    /// An ion's column at a location (`ion` is "na" or "k"; `column` "erev" or,
    /// by default, the current).
    Ion {
        ion: String,
        section: String,
        x: f64,
        #[serde(default)]
        column: Option<String>,
    },
    /// An hh state or variable at a location (`hh` is "m", "h", "n" or "il").
    Hh {
        hh: String,
        section: String,
        x: f64,
    },
    Voltage {
        section: String,
        x: f64,
    },
    IClamp {
        iclamp: usize,
    },
}

#[derive(Debug, Deserialize)]
pub struct Geometry {
    pub section: String,
    #[serde(rename = "L")]
    pub length: f64,
    pub x: Vec<f64>,
    pub area: Vec<f64>,
    pub ri: Vec<f64>,
    pub ri_end: f64,
    pub diam: Vec<f64>,
}

#[derive(Debug, Deserialize)]
pub struct Run {
    pub secondorder: i32,
    /// Temperature of this run (°C), if it differs from the case's.
    pub celsius: Option<f64>,
    pub t: Vec<f64>,
    pub traces: Vec<Trace>,
}

#[derive(Debug, Deserialize)]
pub struct Trace {
    pub probe: String,
    pub values: Vec<f64>,
}

/// Loads tests/reference/data/<name>.json from the repository root.
pub fn load(name: &str) -> Case {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reference/data")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("reference data is committed");
    serde_json::from_str(&text).expect("reference data parses")
}

/// The model of a case: sections, 3-D points, connections in their order.
pub fn build_model(case: &Case) -> (Model, HashMap<String, SectionId>) {
    let mut model = Model::new();
    let mut ids = HashMap::new();
    for s in &case.sections {
        let spec = SectionSpec {
            name: s.name.clone(),
            length: s.length,
            diam: s.diam,
            ra: s.ra,
            cm: s.cm,
            nseg: case.initial_nseg.get(&s.name).copied().unwrap_or(s.nseg),
        };
        let id = model.add_section(spec).expect("valid section");
        for p in case.pt3d.get(&s.name).into_iter().flatten() {
            model
                .pt3dadd(id, p[0], p[1], p[2], p[3])
                .expect("valid point");
        }
        if let Some(&length) = case.set_length.get(&s.name) {
            model.set_length(id, length).expect("valid L");
        }
        ids.insert(s.name.clone(), id);
    }
    for c in &case.connections {
        model
            .connect(ids[&c.child], c.child_end, ids[&c.parent], c.x)
            .expect("valid connection");
    }
    for e in &case.segment_diam {
        model
            .set_segment_diam(ids[&e.section], e.x, e.diam)
            .expect("valid diam");
    }
    for e in &case.segment_cm {
        model
            .set_segment_cm(ids[&e.section], e.x, e.cm)
            .expect("valid cm");
    }
    for s in &case.sections {
        model.set_nseg(ids[&s.name], s.nseg).expect("valid nseg");
    }
    (model, ids)
}

/// The mechanisms inserted into a case's simulation.
pub struct Inserted {
    pub stim: MechanismId,
    /// hh's id and the node of each of its instances.
    pub hh: Option<(MechanismId, Vec<usize>)>,
    /// The na and k species (present when hh is).
    pub ions: Option<(IonId, IonId)>,
}

/// A simulation of the case with its mechanisms inserted and its probes recorded.
pub fn build_simulation(case: &Case, run: &Run) -> (Simulation, Vec<neurite_hines::ProbeId>) {
    let (model, ids) = build_model(case);
    let config = SimConfig {
        dt: case.dt,
        secondorder: SecondOrder::from_value(run.secondorder).expect("0, 1 or 2"),
        celsius: run.celsius.unwrap_or(case.celsius),
    };
    let mut sim = Simulation::new(&model, config).expect("discretises");
    let inserted = insert_mechanisms(case, &mut sim, &ids);
    let probes = case
        .probes
        .iter()
        .map(|p| {
            let probe = probe(p, &sim, &ids, &inserted);
            sim.record(probe).expect("probe resolves")
        })
        .collect();
    (sim, probes)
}

fn probe(
    p: &ProbeSpec,
    sim: &Simulation,
    ids: &HashMap<String, SectionId>,
    inserted: &Inserted,
) -> Probe {
    match p {
        ProbeSpec::Voltage { section, x } => Probe::Voltage {
            section: ids[section],
            x: *x,
        },
        ProbeSpec::IClamp { iclamp } => Probe::Mechanism {
            mechanism: inserted.stim,
            instance: *iclamp,
            column: IClamp::I,
        },
        ProbeSpec::Hh { hh, section, x } => {
            let node = sim
                .discretization()
                .node_at(ids[section], *x)
                .expect("location");
            hh_probe(inserted, hh, node)
        }
        ProbeSpec::Ion {
            ion,
            section,
            x,
            column,
        } => {
            let (na, k) = inserted.ions.expect("case has ions");
            let ion = if ion == "na" { na } else { k };
            let column = match column.as_deref() {
                Some("erev") => IonColumn::Erev,
                _ => IonColumn::Current,
            };
            Probe::Ion {
                ion,
                section: ids[section],
                x: *x,
                column,
            }
        }
    }
}

/// hh's variable `name` ("m", "h", "n", else il) at `node`.
fn hh_probe(inserted: &Inserted, name: &str, node: usize) -> Probe {
    let (mechanism, nodes) = inserted.hh.as_ref().expect("case has hh");
    let instance = nodes.iter().position(|&n| n == node).expect("hh there");
    let column = match name {
        "m" => Hh::M,
        "h" => Hh::H,
        "n" => Hh::N,
        _ => Hh::IL,
    };
    Probe::Mechanism {
        mechanism: *mechanism,
        instance,
        column,
    }
}

/// Inserts `pas` and `hh` (one instance per segment) and the IClamps.
fn insert_mechanisms(
    case: &Case,
    sim: &mut Simulation,
    ids: &HashMap<String, SectionId>,
) -> Inserted {
    let disc = sim.discretization();
    let mut pas = Pas::new();
    for p in &case.pas {
        for node in disc.segment_nodes(ids[&p.section]).expect("section") {
            pas.push(node, p.g, p.e);
        }
    }
    let mut stim = IClamp::new();
    for s in &case.stimuli {
        let node = disc.node_at(ids[&s.section], s.x).expect("location");
        stim.push(node, s.del, s.dur, s.amp);
    }
    let hh_nodes: Vec<usize> = case
        .hh
        .iter()
        .flat_map(|s| disc.segment_nodes(ids[s]).expect("section"))
        .collect();
    sim.add_mechanism(Box::new(pas)).expect("pas nodes exist");
    let (hh, ions) = if hh_nodes.is_empty() {
        (None, None)
    } else {
        let (id, ions) = insert_hh(sim, &hh_nodes, &case.ions);
        (Some((id, hh_nodes)), Some(ions))
    };
    let stim = sim.add_mechanism(Box::new(stim)).expect("stim nodes exist");
    Inserted { stim, hh, ions }
}

fn insert_hh(
    sim: &mut Simulation,
    nodes: &[usize],
    overrides: &HashMap<String, IonOverride>,
) -> (MechanismId, (IonId, IonId)) {
    let with = |mut spec: IonSpec, name: &str| {
        if let Some(o) = overrides.get(name) {
            spec.conc_in = o.conc_in;
            spec.conc_out = o.conc_out;
            spec.style = IonStyle::from_flags(o.einit == 1, o.eadvance == 1, o.cinit == 1);
        }
        spec
    };
    let na = sim.add_ion(with(Hh::na_ion(), "na"));
    let k = sim.add_ion(with(Hh::k_ion(), "k"));
    let mut hh = Hh::new(na, k);
    for &node in nodes {
        let ni = sim.ion_instance_at(na, node).expect("node");
        let ki = sim.ion_instance_at(k, node).expect("node");
        hh.push(node, ni, ki);
    }
    (
        sim.add_mechanism(Box::new(hh)).expect("hh nodes exist"),
        (na, k),
    )
}

/// Largest differences between the discretisation and NEURON: relative for
/// area, ri and L; absolute (µm) for segment diam.
#[derive(Debug, Default)]
pub struct GeometryErrors {
    pub area: f64,
    pub ri: f64,
    pub length: f64,
    pub diam: f64,
}

pub fn geometry_errors(case: &Case) -> GeometryErrors {
    let (model, ids) = build_model(case);
    let disc = neurite_hines::Discretization::new(&model).expect("discretises");
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    let mut e = GeometryErrors::default();
    for g in &case.geometry {
        let id = ids[&g.section];
        let sec = model.section(id).expect("section");
        e.length = e.length.max(rel(sec.length(), g.length));
        for (k, &x) in g.x.iter().enumerate() {
            let node = disc.node_at(id, x).expect("x");
            e.area = e.area.max(rel(disc.area_at(id, x).expect("x"), g.area[k]));
            e.ri = e.ri.max(rel(disc.ri_at(id, x).expect("x"), g.ri[k]));
            e.diam = e.diam.max((disc.diam()[node] - g.diam[k]).abs());
        }
        let end = if sec.parent().is_some_and(|c| c.reversed) {
            0.0
        } else {
            1.0
        };
        e.ri = e.ri.max(rel(disc.ri_at(id, end).expect("end"), g.ri_end));
    }
    e
}

/// Runs every run of a case; returns the largest |Δ| over all traces per run
/// (mV for voltages, nA for currents) and the largest time difference (ms).
pub fn trace_errors(case: &Case) -> Vec<(i32, f64, f64)> {
    let mut out = Vec::new();
    for run in &case.runs {
        let (mut sim, probes) = build_simulation(case, run);
        sim.finitialize(case.v_init).expect("initialises");
        for _ in 1..run.t.len() {
            sim.fadvance().expect("steps");
        }
        let mut max_dv = 0.0f64;
        for (probe, trace) in probes.iter().zip(&run.traces) {
            let ours = sim.trace(*probe).expect("probe");
            assert_eq!(ours.len(), trace.values.len(), "{}", trace.probe);
            for (a, b) in ours.iter().zip(&trace.values) {
                max_dv = max_dv.max((a - b).abs());
            }
        }
        let max_dt = sim
            .times()
            .iter()
            .zip(&run.t)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f64, f64::max);
        out.push((run.secondorder, max_dv, max_dt));
    }
    out
}
