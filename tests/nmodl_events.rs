//! Event-driven mod files run by Neurite's executable NMODL against NEURON
//! 9.0.2: the cases of `tests/reference/data/events_*.json` (written by
//! `tests/reference/events_reference.py`) rebuilt with compiled mechanisms
//! instead of the solver's built-in Rust ones:
//!
//! - `g_vecstim`: bmtk 1.2.0's `vecevent.mod` (installed at test time), its
//!   VERBATIM C translated, each instance given its spike times by calling
//!   its `play()` PROCEDURE with a Vector, as `vs.play(vec)` does in HOC;
//! - `h_watch`, `i_for_netcons`: the WatchCount and FncSyn mod files of the
//!   script (`tests/reference/mod/watchcount.mod`, `fncsyn.mod`).
//!
//! pas, hh, IClamp and ExpSyn are Neurite's own `mod_files/`, NetStim the
//! engine's (`crates/engine/mod_files/NetStim.mod`). Acceptance as in the
//! solver's event tests: the same spikes within 1e-6 ms, v within 1e-6 mV,
//! conductances within 1e-12 µS.

mod support;

use neurite_hines::{
    MechanismId, Model, NetConId, NetConSource, NetConSpec, NetConTarget, Probe, ProbeId,
    SecondOrder, SectionSpec, SimConfig, Simulation,
};
use neurite_nmodl::exec::{CallArg, Instantiator, MechanismLibrary};
use neurite_nmodl::span::SourceFile;
use serde_json::Value;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// Mod files of the reference script, loaded with bmtk's VecStim.
const OWN_MOD: [&str; 2] = ["watchcount.mod", "fncsyn.mod"];

const SPIKE_TOL: f64 = 1e-6;
const V_TOL: f64 = 1e-6;
const G_TOL: f64 = 1e-12;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> Value {
    let path = root().join(format!("tests/reference/data/events_{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn library() -> MechanismLibrary {
    let mut lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut sources: Vec<SourceFile> = support::package_mod_files(support::BMTK)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with("bionet/mechanisms/modfiles/vecevent.mod"))
        .map(|(_, path)| SourceFile::read(&path).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(sources.len(), 1, "bmtk's vecevent.mod");
    let netstim = root().join("crates/engine/mod_files/NetStim.mod");
    sources.push(SourceFile::read(&netstim).unwrap_or_else(|e| panic!("{e}")));
    for own in OWN_MOD {
        let path = root().join("tests/reference/mod").join(own);
        sources.push(SourceFile::read(&path).unwrap_or_else(|e| panic!("{e}")));
    }
    lib.add_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    lib
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// Point processes of one kind, by index in the case.
#[derive(Default)]
struct Built {
    sections: Vec<neurite_hines::SectionId>,
    nodes: Vec<usize>,
    expsyn: Vec<MechanismId>,
    vecstim: Vec<MechanismId>,
    netstim: Vec<MechanismId>,
    watchcount: Vec<MechanismId>,
    fncsyn: Vec<MechanismId>,
    netcons: Vec<NetConId>,
}

fn build(lib: &MechanismLibrary, case: &Value, secondorder: i32) -> (Simulation, Built) {
    let mut model = Model::new();
    let soma = &case["soma"];
    let mut b = Built::default();
    for (k, _) in case["cells"].as_array().into_iter().flatten().enumerate() {
        let spec = SectionSpec {
            name: format!("cell{k}"),
            length: num(&soma["L"]),
            diam: num(&soma["diam"]),
            ra: num(&soma["Ra"]),
            cm: num(&soma["cm"]),
            nseg: 1,
        };
        b.sections
            .push(model.add_section(spec).unwrap_or_else(|e| panic!("{e}")));
    }
    let config = SimConfig {
        dt: num(&case["dt"]),
        celsius: num(&case["celsius"]),
        secondorder: SecondOrder::from_value(secondorder).unwrap_or_else(|| panic!("so")),
    };
    let mut sim = Simulation::new(&model, config).unwrap_or_else(|e| panic!("{e}"));
    for &s in &b.sections {
        let node = sim.discretization().node_at(s, 0.5);
        b.nodes.push(node.unwrap_or_else(|e| panic!("{e}")));
    }
    let mut ins = Instantiator::new(lib);
    let ok = |r: Result<MechanismId, neurite_nmodl::exec::ExecError>| {
        r.unwrap_or_else(|e| panic!("{e}"))
    };
    for (cell, &node) in case["cells"].as_array().into_iter().flatten().zip(&b.nodes) {
        if cell["mech"] == "hh" {
            let id = ok(ins.insert_density(&mut sim, "hh", &[node]));
            set(&ins, &mut sim, id, "usetable_hh", 0.0);
        } else {
            let id = ok(ins.insert_density(&mut sim, "pas", &[node]));
            set(&ins, &mut sim, id, "g", num(&cell["g"]));
            set(&ins, &mut sim, id, "e", num(&cell["e"]));
        }
    }
    for s in case["iclamps"].as_array().into_iter().flatten() {
        let node = b.nodes[s["cell"].as_u64().unwrap_or(0) as usize];
        let id = ok(ins.insert_point(&mut sim, "IClamp", node));
        for var in ["del", "dur", "amp"] {
            set(&ins, &mut sim, id, var, num(&s[var]));
        }
    }
    for s in case["expsyns"].as_array().into_iter().flatten() {
        let node = b.nodes[s["cell"].as_u64().unwrap_or(0) as usize];
        let id = ok(ins.insert_point(&mut sim, "ExpSyn", node));
        set(&ins, &mut sim, id, "tau", num(&s["tau"]));
        set(&ins, &mut sim, id, "e", num(&s["e"]));
        b.expsyn.push(id);
    }
    for g in case["netstims"].as_array().into_iter().flatten() {
        let id = ok(ins.insert_point(&mut sim, "NetStim", 0));
        for var in ["start", "interval", "number"] {
            set(&ins, &mut sim, id, var, num(&g[var]));
        }
        b.netstim.push(id);
    }
    for p in case["vecstims"].as_array().into_iter().flatten() {
        let id = ok(ins.insert_point(&mut sim, "VecStim", 0));
        let times: Vec<f64> = p["times"]
            .as_array()
            .into_iter()
            .flatten()
            .map(num)
            .collect();
        let vec = CallArg::Vector(Rc::new(RefCell::new(times)));
        let r = ins.call(&mut sim, id, 0, "play", &[vec]);
        assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), 1.0);
        b.vecstim.push(id);
    }
    for w in case["watchcounts"].as_array().into_iter().flatten() {
        let node = b.nodes[w["cell"].as_u64().unwrap_or(0) as usize];
        let id = ok(ins.insert_point(&mut sim, "WatchCount", node));
        set(&ins, &mut sim, id, "hi", num(&w["hi"]));
        set(&ins, &mut sim, id, "lo", num(&w["lo"]));
        b.watchcount.push(id);
    }
    for s in case["fncsyns"].as_array().into_iter().flatten() {
        let node = b.nodes[s["cell"].as_u64().unwrap_or(0) as usize];
        let id = ok(ins.insert_point(&mut sim, "FncSyn", node));
        set(&ins, &mut sim, id, "tau", num(&s["tau"]));
        set(&ins, &mut sim, id, "e", num(&s["e"]));
        b.fncsyn.push(id);
    }
    for con in case["netcons"].as_array().into_iter().flatten() {
        let id = netcon(&mut sim, &b, con);
        b.netcons.push(id);
    }
    (sim, b)
}

fn set(ins: &Instantiator<'_>, sim: &mut Simulation, id: MechanismId, var: &str, x: f64) {
    ins.set(sim, id, var, 0, x)
        .unwrap_or_else(|e| panic!("{var}: {e}"));
}

fn pick(b: &Built, r: &Value) -> MechanismId {
    let k = r["index"].as_u64().unwrap_or(0) as usize;
    match r["kind"].as_str().unwrap_or_default() {
        "vecstim" => b.vecstim[k],
        "netstim" => b.netstim[k],
        "watchcount" => b.watchcount[k],
        "fncsyn" => b.fncsyn[k],
        "expsyn" => b.expsyn[k],
        other => panic!("no {other} in this test"),
    }
}

fn netcon(sim: &mut Simulation, b: &Built, con: &Value) -> NetConId {
    let source = match &con["source"] {
        Value::Null => NetConSource::None,
        r if r["kind"] == "cell" => NetConSource::Voltage {
            node: b.nodes[r["index"].as_u64().unwrap_or(0) as usize],
            threshold: con["threshold"].as_f64(),
        },
        r => NetConSource::Instance {
            mechanism: pick(b, r),
            instance: 0,
        },
    };
    let target = match &con["target"] {
        Value::Null => None,
        r => Some(NetConTarget {
            mechanism: pick(b, r),
            instance: 0,
        }),
    };
    let spec = NetConSpec::new(source, target)
        .delay(num(&con["delay"]))
        .weight(num(&con["weight"]));
    sim.add_netcon(spec).unwrap_or_else(|e| panic!("{e}"))
}

fn probe(sim: &mut Simulation, b: &Built, lib: &MechanismLibrary, p: &Value) -> ProbeId {
    let column = |mech: &str, var: &str| {
        lib.get(mech)
            .unwrap_or_else(|e| panic!("{e}"))
            .layout
            .column(var)
            .unwrap_or_else(|| panic!("{mech} {var}")) as usize
    };
    let probe = if let Some(cell) = p["v"].as_u64() {
        Probe::Voltage {
            section: b.sections[cell as usize],
            x: 0.5,
        }
    } else if let Some(syn) = p["g"].as_u64() {
        Probe::Mechanism {
            mechanism: b.expsyn[syn as usize],
            instance: 0,
            column: column("ExpSyn", "g"),
        }
    } else if let Some(var) = p["fnc"].as_str() {
        Probe::Mechanism {
            mechanism: b.fncsyn[0],
            instance: 0,
            column: column("FncSyn", var),
        }
    } else {
        panic!("unknown probe {p}")
    };
    sim.record(probe).unwrap_or_else(|e| panic!("{e}"))
}

fn check(name: &str) {
    let lib = library();
    let case = load(name);
    let version = case["neuron_version"].as_str().unwrap_or_default();
    assert!(version.contains("9.0.2"), "{version}");
    for run in case["runs"].as_array().into_iter().flatten() {
        let so = run["secondorder"].as_i64().unwrap_or(0) as i32;
        let (mut sim, b) = build(&lib, &case, so);
        let probes: Vec<(bool, ProbeId)> = case["probes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| (p["v"].is_u64(), probe(&mut sim, &b, &lib, p)))
            .collect();
        for nc in case["spike_records"].as_array().into_iter().flatten() {
            let nc = b.netcons[nc.as_u64().unwrap_or(0) as usize];
            sim.record_spikes(nc).unwrap_or_else(|e| panic!("{e}"));
        }
        sim.finitialize(num(&case["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        for e in case["events"].as_array().into_iter().flatten() {
            let nc = b.netcons[e["netcon"].as_u64().unwrap_or(0) as usize];
            sim.netcon_event(nc, num(&e["t"]))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let times = run["t"].as_array().map_or(0, Vec::len);
        for _ in 1..times {
            sim.fadvance().unwrap_or_else(|e| panic!("{e}"));
        }
        let (mut dv, mut dg, mut ds) = (0.0f64, 0.0f64, 0.0f64);
        let traces = run["traces"].as_array().into_iter().flatten();
        for (&(is_v, p), theirs) in probes.iter().zip(traces) {
            let ours = sim.trace(p).unwrap_or_else(|e| panic!("{e}"));
            let theirs: Vec<f64> = theirs.as_array().into_iter().flatten().map(num).collect();
            assert_eq!(ours.len(), theirs.len(), "{name}: samples");
            let err = ours
                .iter()
                .zip(&theirs)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            if is_v {
                dv = dv.max(err);
            } else {
                dg = dg.max(err);
            }
        }
        let records = case["spike_records"].as_array().into_iter().flatten();
        let spikes = run["spikes"].as_array().into_iter().flatten();
        for (nc, theirs) in records.zip(spikes) {
            let nc = b.netcons[nc.as_u64().unwrap_or(0) as usize];
            let ours = sim.spike_times(nc).unwrap_or_else(|e| panic!("{e}"));
            let theirs: Vec<f64> = theirs.as_array().into_iter().flatten().map(num).collect();
            assert_eq!(ours.len(), theirs.len(), "{name}: {ours:?} vs {theirs:?}");
            for (a, b) in ours.iter().zip(&theirs) {
                ds = ds.max((a - b).abs());
            }
        }
        eprintln!(
            "{name} secondorder {so}: |dV| {dv:.3e} mV, |dg| {dg:.3e}, |d spike| {ds:.3e} ms"
        );
        assert!(
            dv <= V_TOL && dg <= G_TOL && ds <= SPIKE_TOL,
            "{name} secondorder {so}"
        );
    }
}

#[test]
fn g_vecstim_from_bmtk_plays_spike_times() {
    check("g_vecstim");
}

#[test]
fn h_watch_in_net_receive() {
    check("h_watch");
}

#[test]
fn i_for_netcons_and_per_connection_state() {
    check("i_for_netcons");
}

/// `tests/reference/data/nmodl_pointer.json`: PtrGap's POINTER bound to the
/// other cell's v with `Instantiator::set_pointer`, as `setpointer` does;
/// GhkDisc's `nrn_ghk` values and `state_discontinuity` jumps; NestSolve's
/// SOLVEs inside an IF of INITIAL and inside a PROCEDURE; SplitSend's C
/// `for` loop split over VERBATIM blocks around `net_send`; CnexpNl's
/// non-linear cnexp solved by derivimplicit as nocmodl does; NonLinSys's
/// NONLINEAR block; DerivCall's DERIVATIVE block called from INITIAL;
/// BreakLoop's C `break` in FROM and WHILE loops; PrimeRead's `c'` read as
/// a value.
#[test]
fn pointer_reads_the_other_cells_voltage() {
    let mut lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let sources = [
        "ptrgap.mod",
        "ghkdisc.mod",
        "nestsolve.mod",
        "splitsend.mod",
        "cnexpnl.mod",
        "nonlinsys.mod",
        "derivcall.mod",
        "breakloop.mod",
        "primeread.mod",
    ]
    .iter()
    .map(|f| {
        let path = root().join("tests/reference/mod").join(f);
        SourceFile::read(&path).unwrap_or_else(|e| panic!("{e}"))
    })
    .collect();
    lib.add_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let path = root().join("tests/reference/data/nmodl_pointer.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let case: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(case["neuron_version"]
        .as_str()
        .unwrap_or_default()
        .contains("9.0.2"));
    for run in case["runs"].as_array().into_iter().flatten() {
        let so = run["secondorder"].as_i64().unwrap_or(0) as i32;
        let mut model = Model::new();
        let soma = &case["soma"];
        let sections: Vec<_> = (0..2)
            .map(|k| {
                let spec = SectionSpec {
                    name: format!("cell{k}"),
                    length: num(&soma["L"]),
                    diam: num(&soma["diam"]),
                    ra: num(&soma["Ra"]),
                    cm: num(&soma["cm"]),
                    nseg: 1,
                };
                model.add_section(spec).unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let config = SimConfig {
            dt: num(&case["dt"]),
            celsius: num(&case["celsius"]),
            secondorder: SecondOrder::from_value(so).unwrap_or_else(|| panic!("so")),
        };
        let mut sim = Simulation::new(&model, config).unwrap_or_else(|e| panic!("{e}"));
        let nodes: Vec<usize> = sections
            .iter()
            .map(|&s| {
                sim.discretization()
                    .node_at(s, 0.5)
                    .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let mut ins = Instantiator::new(&lib);
        let pas = ins
            .insert_density(&mut sim, "pas", &nodes)
            .unwrap_or_else(|e| panic!("{e}"));
        for k in 0..2 {
            ins.set(&mut sim, pas, "g", k, num(&case["pas"]["g"]))
                .unwrap_or_else(|e| panic!("{e}"));
            ins.set(&mut sim, pas, "e", k, num(&case["pas"]["e"]))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let stim = ins
            .insert_point(&mut sim, "IClamp", nodes[0])
            .unwrap_or_else(|e| panic!("{e}"));
        for var in ["del", "dur", "amp"] {
            set(&ins, &mut sim, stim, var, num(&case["iclamp"][var]));
        }
        let gap = ins
            .insert_point(&mut sim, "PtrGap", nodes[1])
            .unwrap_or_else(|e| panic!("{e}"));
        set(&ins, &mut sim, gap, "g", num(&case["g"]));
        ins.set_pointer(
            &mut sim,
            gap,
            0,
            "vpre",
            neurite_hines::TransferSource::Voltage { node: nodes[0] },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let not_a_pointer = ins.set_pointer(
            &mut sim,
            gap,
            0,
            "g",
            neurite_hines::TransferSource::Voltage { node: nodes[0] },
        );
        assert!(not_a_pointer.is_err());
        let ns = ins
            .insert_point(&mut sim, "NestSolve", nodes[0])
            .unwrap_or_else(|e| panic!("{e}"));
        let gd = ins
            .insert_point(&mut sim, "GhkDisc", nodes[0])
            .unwrap_or_else(|e| panic!("{e}"));
        let nc = sim
            .add_netcon(
                NetConSpec::new(
                    NetConSource::None,
                    Some(NetConTarget {
                        mechanism: gd,
                        instance: 0,
                    }),
                )
                .weight(0.5),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let ss = ins
            .insert_point(&mut sim, "SplitSend", nodes[1])
            .unwrap_or_else(|e| panic!("{e}"));
        let delays: Vec<f64> = case["delays"]
            .as_array()
            .into_iter()
            .flatten()
            .map(num)
            .collect();
        let delays = CallArg::Vector(Rc::new(RefCell::new(delays)));
        ins.call(&mut sim, ss, 0, "setdelays", &[delays])
            .unwrap_or_else(|e| panic!("{e}"));
        let nc2 = sim
            .add_netcon(NetConSpec::new(
                NetConSource::None,
                Some(NetConTarget {
                    mechanism: ss,
                    instance: 0,
                }),
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let nl = ins
            .insert_point(&mut sim, "CnexpNl", nodes[1])
            .unwrap_or_else(|e| panic!("{e}"));
        let nls = ins
            .insert_point(&mut sim, "NonLinSys", nodes[0])
            .unwrap_or_else(|e| panic!("{e}"));
        let dc = ins
            .insert_point(&mut sim, "DerivCall", nodes[0])
            .unwrap_or_else(|e| panic!("{e}"));
        let bl = ins
            .insert_point(&mut sim, "BreakLoop", nodes[1])
            .unwrap_or_else(|e| panic!("{e}"));
        let pr = ins
            .insert_point(&mut sim, "PrimeRead", nodes[1])
            .unwrap_or_else(|e| panic!("{e}"));
        let probes = [
            (
                "v0",
                Probe::Voltage {
                    section: sections[0],
                    x: 0.5,
                },
            ),
            (
                "v1",
                Probe::Voltage {
                    section: sections[1],
                    x: 0.5,
                },
            ),
            ("i", ins_probe(&ins, gap, "i")),
            ("seen", ins_probe(&ins, gap, "seen")),
            ("flux", ins_probe(&ins, gd, "flux")),
            ("s", ins_probe(&ins, gd, "s")),
            ("a", ins_probe(&ins, ns, "a")),
            ("ii", ins_probe(&ins, ns, "ii")),
            ("n", ins_probe(&ins, ss, "n")),
            ("last", ins_probe(&ins, ss, "last")),
            ("x", ins_probe(&ins, nl, "x")),
            ("nx", ins_probe(&ins, nls, "p")),
            ("nz", ins_probe(&ins, nls, "q")),
            ("m", ins_probe(&ins, dc, "m")),
            ("stim", ins_probe(&ins, bl, "stim")),
            ("tc", ins_probe(&ins, bl, "tc")),
            ("k", ins_probe(&ins, bl, "k")),
            ("pb", ins_probe(&ins, pr, "c")),
            ("pd", ins_probe(&ins, pr, "d")),
        ];
        let ids: Vec<(&str, ProbeId)> = probes
            .into_iter()
            .map(|(k, p)| (k, sim.record(p).unwrap_or_else(|e| panic!("{e}"))))
            .collect();
        sim.finitialize(num(&case["v_init"]))
            .unwrap_or_else(|e| panic!("{e}"));
        for te in case["events"].as_array().into_iter().flatten() {
            sim.netcon_event(nc, num(te))
                .unwrap_or_else(|e| panic!("{e}"));
            sim.netcon_event(nc2, num(te))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let n = run["t"].as_array().map_or(0, Vec::len);
        for _ in 1..n {
            sim.fadvance().unwrap_or_else(|e| panic!("{e}"));
        }
        for (key, id) in ids {
            let ours = sim.trace(id).unwrap_or_else(|e| panic!("{e}"));
            let theirs: Vec<f64> = run[key].as_array().into_iter().flatten().map(num).collect();
            assert_eq!(ours.len(), theirs.len(), "{key}");
            let err = ours
                .iter()
                .zip(&theirs)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            let scale = theirs.iter().fold(1.0f64, |m, x| m.max(x.abs()));
            eprintln!("pointer secondorder {so}: max |d {key}| {err:.3e} (of {scale:.3e})");
            assert!(err <= 1e-9 * scale, "{key}: {err}");
        }
    }
}

fn ins_probe(ins: &Instantiator<'_>, id: MechanismId, var: &str) -> Probe {
    Probe::Mechanism {
        mechanism: id,
        instance: 0,
        column: ins.column(id, var).unwrap_or_else(|e| panic!("{e}")),
    }
}
