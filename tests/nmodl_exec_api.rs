//! The executable-mechanism API: loading folders (all files or a report of every
//! problem), user files replacing built-ins, errors with fields (unknown
//! mechanism or variable with suggestions, missing ion, bad location), load
//! errors for what Neurite cannot run, and run-time faults that stop the run
//! instead of panicking.

use neurite_hines::{HinesError, Model, SectionSpec, SimConfig, Simulation};
use neurite_nmodl::exec::{ExecError, Instantiator, MechanismLibrary};
use neurite_nmodl::span::SourceFile;
use std::path::PathBuf;

fn soma() -> (Simulation, usize) {
    let mut model = Model::new();
    let spec = SectionSpec {
        name: "soma".into(),
        length: 20.0,
        diam: 20.0,
        ..SectionSpec::default()
    };
    let s = model.add_section(spec).unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulation::new(&model, SimConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    let node = sim
        .discretization()
        .node_at(s, 0.5)
        .unwrap_or_else(|e| panic!("{e}"));
    (sim, node)
}

fn library_with(text: &str) -> Result<MechanismLibrary, ExecError> {
    let mut lib = MechanismLibrary::builtin()?;
    lib.add_sources(vec![SourceFile::new("test.mod", text)])?;
    Ok(lib)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn builtins_are_always_there() {
    let lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = lib.names().collect();
    for m in [
        "hh",
        "pas",
        "IClamp",
        "SEClamp",
        "VClamp",
        "ExpSyn",
        "Exp2Syn",
        "AlphaSynapse",
    ] {
        assert!(names.contains(&m), "{m} in {names:?}");
    }
}

#[test]
fn load_dir_reports_every_bad_file_with_positions() {
    let dir = temp_dir("exec_api_bad");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"))
    };
    write("good.mod", "NEURON { SUFFIX good }\nPARAMETER { a = 1 }\n");
    write(
        "bad1.mod",
        "NEURON { SUFFIX bad1 }\nBREAKPOINT { x = nosuch }\n",
    );
    write(
        "bad2.mod",
        "NEURON { SUFFIX bad2 }\nSTATE { s }\nBREAKPOINT { SOLVE d METHOD runge }\nDERIVATIVE d { s' = -s }\n",
    );
    let err = MechanismLibrary::load_dir(&dir).err();
    let Some(ExecError::Load { report }) = err else {
        panic!("expected a load error, got {err:?}");
    };
    assert!(report.contains("bad1.mod:2:"), "{report}");
    assert!(report.contains("bad2.mod:3:"), "{report}");
    assert!(!report.contains("good.mod"), "{report}");
}

#[test]
fn a_users_file_replaces_the_builtin_of_the_same_name() {
    let dir = temp_dir("exec_api_replace");
    let pas = "NEURON { SUFFIX pas NONSPECIFIC_CURRENT i RANGE g, e }\n\
               PARAMETER { g = .5 (S/cm2) e = -70 (mV) }\n\
               ASSIGNED { v (mV) i (mA/cm2) }\nBREAKPOINT { i = g*(v - e) }\n";
    std::fs::write(dir.join("mypas.mod"), pas).unwrap_or_else(|e| panic!("{e}"));
    let lib = MechanismLibrary::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let (mut sim, node) = soma();
    let mut ins = Instantiator::new(&lib);
    let id = ins
        .insert_density(&mut sim, "pas", &[node])
        .unwrap_or_else(|e| panic!("{e}"));
    let g = ins
        .get(&sim, id, "g_pas", 0)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g, 0.5);
}

#[test]
fn errors_carry_their_fields() {
    let lib = MechanismLibrary::builtin().unwrap_or_else(|e| panic!("{e}"));
    let (mut sim, node) = soma();
    let mut ins = Instantiator::new(&lib);
    match ins.insert_density(&mut sim, "HH", &[node]) {
        Err(ExecError::UnknownMechanism { name, suggestions }) => {
            assert_eq!(name, "HH");
            assert_eq!(suggestions, vec!["hh".to_string()]);
        }
        other => panic!("{other:?}"),
    }
    let hh = ins
        .insert_density(&mut sim, "hh", &[node])
        .unwrap_or_else(|e| panic!("{e}"));
    match ins.set(&mut sim, hh, "gnabarr_hh", 0, 1.0) {
        Err(ExecError::UnknownVariable { variable, .. }) => assert_eq!(variable, "gnabarr_hh"),
        other => panic!("{other:?}"),
    }
    ins.set(&mut sim, hh, "gnabar_hh", 0, 0.2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ins.get(&sim, hh, "gnabar", 0).ok(), Some(0.2));
    assert!(matches!(
        ins.insert_point(&mut sim, "hh", node),
        Err(ExecError::BadLocation { .. })
    ));
    assert!(matches!(
        ins.insert_density(&mut sim, "pas", &[99]),
        Err(ExecError::BadLocation { .. })
    ));
}

#[test]
fn an_unknown_ion_without_valence_is_a_missing_ion() {
    let lib = library_with(
        "NEURON { SUFFIX xi USEION xx READ exx WRITE ixx }\nASSIGNED { v exx ixx }\n\
         BREAKPOINT { ixx = 0.001*(v - exx) }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (mut sim, node) = soma();
    let mut ins = Instantiator::new(&lib);
    let err = ins.insert_density(&mut sim, "xi", &[node]).err();
    assert!(
        matches!(&err, Some(ExecError::MissingIon { ion, .. }) if ion == "xx"),
        "{err:?}"
    );
}

#[test]
fn recursion_is_a_load_error_not_a_crash() {
    let err = library_with(
        "NEURON { SUFFIX rec RANGE y }\nASSIGNED { y }\n\
         FUNCTION f(n) { if (n > 0) { f = n*f(n - 1) } else { f = 1 } }\n\
         BREAKPOINT { y = f(5) }\n",
    )
    .err();
    let Some(ExecError::Load { report }) = err else {
        panic!("{err:?}")
    };
    assert!(report.contains("nest deeper"), "{report}");
}

#[test]
fn a_runaway_value_stops_the_run_with_an_error() {
    let lib = library_with(
        "NEURON { SUFFIX boom NONSPECIFIC_CURRENT i }\nASSIGNED { v i }\n\
         BREAKPOINT { i = 1/(v - v) }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (mut sim, node) = soma();
    let mut ins = Instantiator::new(&lib);
    ins.insert_density(&mut sim, "boom", &[node])
        .unwrap_or_else(|e| panic!("{e}"));
    let run = sim.finitialize(-65.0).and_then(|()| sim.run(1.0));
    assert!(
        matches!(run, Err(HinesError::NonFiniteVoltage { .. })),
        "{run:?}"
    );
}

#[test]
fn while_loops_masks_and_tables_run_per_instance() {
    let lib = library_with(
        "NEURON { SUFFIX loops RANGE n, y, z }\nPARAMETER { n = 3 }\nASSIGNED { y z }\n\
         FUNCTION sq(x) { TABLE FROM 0 TO 10 WITH 10\n sq = x*x }\n\
         INITIAL { LOCAL i\n y = 0\n i = 0\n while (i < n) { y = y + 2\n i = i + 1 }\n\
         FROM i = 1 TO 3 { y = y + 100 }\n if (n > 4) { z = sq(n + 0.5) } else { z = -1 } }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (mut sim, node) = soma();
    let mut ins = Instantiator::new(&lib);
    let id = ins
        .insert_density(&mut sim, "loops", &[node, node])
        .unwrap_or_else(|e| panic!("{e}"));
    ins.set(&mut sim, id, "n", 1, 5.0)
        .unwrap_or_else(|e| panic!("{e}"));
    sim.finitialize(-65.0).unwrap_or_else(|e| panic!("{e}"));
    let get = |var: &str, k: usize| ins.get(&sim, id, var, k).unwrap_or(f64::NAN);
    assert_eq!((get("y", 0), get("y", 1)), (306.0, 310.0));
    assert_eq!(get("z", 0), -1.0);
    // table at 5.5: halfway between 25 and 36
    assert_eq!(get("z", 1), 30.5);
}
