//! Executable NMODL mechanisms against NEURON 9.0.2: every case of
//! `tests/reference/data/nmodl_*.json` (written by
//! `tests/reference/nmodl_reference.py`) is rebuilt with Neurite's mechanisms —
//! its own `mod_files/` for hh, pas, IClamp, SEClamp, AlphaSynapse, ExpSyn and
//! Exp2Syn (driven through NetCon events), the
//! channel files of the PyPI package bmtk 1.2.0 (installed at test time) for
//! the others — and compared sample by sample. Acceptance: see
//! `tests/reference/README.md`.

mod support;

use neurite_hines::{
    IonColumn, Model, NetConSource, NetConSpec, NetConTarget, Probe, SecondOrder, SectionSpec,
    SimConfig, Simulation,
};
use neurite_nmodl::exec::{Instantiator, MechanismLibrary};
use neurite_nmodl::span::SourceFile;
use serde_json::Value;
use std::path::PathBuf;

/// Largest |ΔV| allowed (mV); NEURON agreement is expected to ~1e-9.
const TOLERANCE_MV: f64 = 1e-6;

fn bmtk_library() -> MechanismLibrary {
    let mut lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    // vecevent.mod is an artificial cell driven by a hoc Vector (a later issue)
    let sources = support::package_mod_files(support::BMTK)
        .into_iter()
        .filter(|(rel, _)| {
            rel.contains("bionet/mechanisms/modfiles") && !rel.ends_with("vecevent.mod")
        })
        .map(|(_, path)| SourceFile::read(&path).unwrap_or_else(|e| panic!("{e}")))
        .collect::<Vec<_>>();
    assert_eq!(sources.len(), 16, "bmtk channel files");
    let own = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/mod/cadi.mod");
    let mut sources = sources;
    sources.push(SourceFile::read(&own).unwrap_or_else(|e| panic!("{e}")));
    lib.add_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    lib
}

/// Runs one reference case; returns the largest |Δ| of each trace.
fn run_case(lib: &MechanismLibrary, case: &Value) -> Vec<(String, f64)> {
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let mut model = Model::new();
    let soma = model
        .add_section(SectionSpec {
            name: "soma".into(),
            length: num(&case["soma"]["L"]),
            diam: num(&case["soma"]["diam"]),
            cm: num(&case["soma"]["cm"]),
            nseg: 1,
            ..SectionSpec::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let config = SimConfig {
        dt: num(&case["dt"]),
        celsius: num(&case["celsius"]),
        secondorder: SecondOrder::from_value(case["secondorder"].as_i64().unwrap_or(0) as i32)
            .unwrap_or_else(|| panic!("secondorder")),
    };
    let mut sim = Simulation::new(&model, config).unwrap_or_else(|e| panic!("{e}"));
    let node = sim
        .discretization()
        .node_at(soma, 0.5)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ins = Instantiator::new(lib);
    let mut last = None;
    let mut density = Vec::new();
    for m in case["mechanisms"].as_array().into_iter().flatten() {
        let name = m["name"].as_str().unwrap_or_default();
        let id = ins
            .insert_density(&mut sim, name, &[node])
            .unwrap_or_else(|e| panic!("{e}"));
        set_params(&ins, &mut sim, id, &m["params"]);
        density.push((name.to_string(), id));
    }
    for p in case["points"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or_default();
        let id = ins
            .insert_point(&mut sim, name, node)
            .unwrap_or_else(|e| panic!("{e}"));
        set_params(&ins, &mut sim, id, &p["params"]);
        last = Some(id);
    }
    let traces = case["traces"].as_object().cloned().unwrap_or_default();
    let mut probes = Vec::new();
    for (label, tr) in &traces {
        let what = tr["what"].as_str().unwrap_or_default();
        let probe = match tr["kind"].as_str().unwrap_or_default() {
            "v" => sim
                .record(Probe::Voltage {
                    section: soma,
                    x: 0.5,
                })
                .map_err(Into::into),
            "point" => ins.record(
                &mut sim,
                last.unwrap_or_else(|| panic!("no point")),
                what,
                0,
            ),
            "ion" => {
                let ion = ins.ion_id("ca").unwrap_or_else(|| panic!("no ca"));
                let column = IonColumn::ConcIn;
                sim.record(Probe::Ion {
                    ion,
                    section: soma,
                    x: 0.5,
                    column,
                })
                .map_err(Into::into)
            }
            _ => {
                let (var, mech) = what.rsplit_once('_').unwrap_or_default();
                let id = density.iter().find(|(n, _)| n == mech).map(|d| d.1);
                ins.record(&mut sim, id.unwrap_or_else(|| panic!("{mech}")), var, 0)
            }
        };
        probes.push((label.clone(), probe.unwrap_or_else(|e| panic!("{e}"))));
    }
    let netcon = case["netcon"].as_object().map(|nc| {
        let target = NetConTarget {
            mechanism: last.unwrap_or_else(|| panic!("no synapse")),
            instance: 0,
        };
        let spec = NetConSpec::new(NetConSource::None, Some(target)).weight(num(&nc["weight"]));
        let id = sim.add_netcon(spec).unwrap_or_else(|e| panic!("{e}"));
        (id, nc["events"].as_array().cloned().unwrap_or_default())
    });
    sim.finitialize(num(&case["v_init"]))
        .unwrap_or_else(|e| panic!("{e}"));
    for (id, times) in netcon.iter() {
        for t in times {
            sim.netcon_event(*id, num(t))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    sim.run(num(&case["tstop"]))
        .unwrap_or_else(|e| panic!("{e}"));
    let every = case["every"].as_u64().unwrap_or(1) as usize;
    probes
        .iter()
        .map(|(label, p)| {
            let ours = sim.trace(*p).unwrap_or_else(|e| panic!("{e}"));
            let theirs = traces[label]["values"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                ours.iter().step_by(every).count(),
                theirs.len(),
                "{label}: samples"
            );
            let worst = ours
                .iter()
                .step_by(every)
                .zip(&theirs)
                .map(|(a, b)| (a - num(b)).abs())
                .fold(
                    0.0,
                    |m: f64, d| if d.is_nan() { f64::INFINITY } else { m.max(d) },
                );
            (label.clone(), worst)
        })
        .collect()
}

fn set_params(
    ins: &Instantiator<'_>,
    sim: &mut Simulation,
    id: neurite_hines::MechanismId,
    params: &Value,
) {
    for (p, v) in params.as_object().into_iter().flatten() {
        let value = v.as_f64().unwrap_or(f64::NAN);
        ins.set(sim, id, p, 0, value)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

fn check_cases(lib: &MechanismLibrary, prefix: &str) {
    let mut failures = Vec::new();
    for (name, case) in support::reference_cases(prefix) {
        for (label, worst) in run_case(lib, &case) {
            println!("{name} {label}: max |diff| = {worst:.3e}");
            if worst > TOLERANCE_MV {
                failures.push(format!("{name} {label}: {worst:e}"));
            }
        }
    }
    assert!(failures.is_empty(), "beyond {TOLERANCE_MV}: {failures:#?}");
}

#[test]
fn neurite_mod_files_match_neuron_builtins() {
    let lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    for prefix in [
        "nmodl_hh.",
        "nmodl_hh_notable",
        "nmodl_pas",
        "nmodl_seclamp",
        "nmodl_alphasynapse",
        "nmodl_expsyn",
        "nmodl_exp2syn",
    ] {
        check_cases(&lib, prefix);
    }
}

#[test]
fn bmtk_channels_match_neuron() {
    check_cases(&bmtk_library(), "nmodl_bmtk_");
}

/// secondorder = 2: hh (cnexp; ion currents corrected after the solve) and
/// NaV (sparse over dt/2, extrapolated).
#[test]
fn secondorder_two_matches_neuron() {
    let lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    check_cases(&lib, "nmodl_so2_hh");
    check_cases(&bmtk_library(), "nmodl_so2_NaV");
}

/// Neurite's own `derivimplicit` test file with bmtk's Ca_HVA.
#[test]
fn derivimplicit_matches_neuron() {
    check_cases(&bmtk_library(), "nmodl_own_");
}

/// NEURON's demo mechanisms (`share/nrn/demo/release` of the neuron wheel).
fn demo_library() -> MechanismLibrary {
    let mut lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let sources = support::package_mod_files(support::NEURON)
        .into_iter()
        .filter(|(rel, _)| rel.contains("demo/release/"))
        .map(|(_, path)| SourceFile::read(&path).unwrap_or_else(|e| panic!("{e}")))
        .collect::<Vec<_>>();
    assert_eq!(sources.len(), 10, "demo/release files");
    lib.add_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    lib
}

#[test]
fn neuron_demo_mechanisms_match_neuron() {
    check_cases(&demo_library(), "nmodl_demo_");
}
