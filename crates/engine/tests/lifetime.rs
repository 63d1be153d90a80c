//! Freed point processes and NetCons through HOC (`crates/engine/src/lifetime.rs`):
//! what a run with an object freed gives equals the run that never had it,
//! bit for bit, also when the object goes between two runs or mid-run.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};

/// Runs `code` and returns what it printed after its last `data` line (top-level
/// expressions print their values too).
fn output(code: &str) -> String {
    let text = printed(code);
    match text.rfind("data\n") {
        Some(k) => text[k..].to_string(),
        None => text,
    }
}

/// Runs `code` and returns everything it printed.
fn printed(code: &str) -> String {
    let out = CapturedOutput::new();
    let engine = Engine::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    if let Err(e) = it.execute_str(code, "test.hoc") {
        panic!("{e}\n{code}");
    }
    out.text()
}

const CELL: &str = "create soma\nsoma { L = 20 diam = 20 insert hh }\n\
objref stim, syn, ns, nc, tmp, rec, nil\nrec = new Vector()\nrec.record(&soma.v(0.5))\n\
soma syn = new ExpSyn(0.5)\nns = new NetStim()\nns.start = 1\nns.interval = 3\nns.number = 20\n";

const STEPS: &str = "proc steps() { local i\n for i = 1, $1 { fadvance() }\n}\n";

const SHOW: &str = "print \"data\"\nfor i = 0, rec.size() - 1 { print rec.x[i] }\n";

#[test]
fn an_iclamp_made_twice_injects_once() {
    let twice = output(&format!(
        "{CELL}soma stim = new IClamp(0.5)\nsoma stim = new IClamp(0.5)\n\
         stim.amp = 0.2\nstim.dur = 5\nfinitialize(-65)\nfor i = 1, 400 {{ fadvance() }}\n{SHOW}"
    ));
    let once = output(&format!(
        "{CELL}soma stim = new IClamp(0.5)\nstim.amp = 0.2\nstim.dur = 5\n\
         finitialize(-65)\nfor i = 1, 400 {{ fadvance() }}\n{SHOW}"
    ));
    assert_eq!(twice, once);
}

#[test]
fn a_netcon_freed_mid_run_equals_one_made_inactive_then() {
    let freed = output(&format!(
        "{CELL}{STEPS}nc = new NetCon(ns, syn, 0, 1, 0.01)\nfinitialize(-65)\nsteps(400)\n\
         nc = nil\nsteps(400)\n{SHOW}"
    ));
    let inactive = output(&format!(
        "{CELL}{STEPS}nc = new NetCon(ns, syn, 0, 1, 0.01)\nfinitialize(-65)\nsteps(400)\n\
         nc.active(0)\nsteps(400)\n{SHOW}"
    ));
    assert_eq!(freed, inactive);
    let kept = output(&format!(
        "{CELL}{STEPS}nc = new NetCon(ns, syn, 0, 1, 0.01)\nfinitialize(-65)\nsteps(800)\n{SHOW}"
    ));
    assert_ne!(freed, kept, "freeing the NetCon changed nothing");
}

#[test]
fn a_netcon_made_mid_run_delivers_from_then_on() {
    // made at 10 ms without a rebuild: the same as one active from 10 ms
    let late = output(&format!(
        "{CELL}{STEPS}finitialize(-65)\nsteps(400)\nnc = new NetCon(ns, syn, 0, 1, 0.01)\n\
         steps(400)\n{SHOW}"
    ));
    let switched = output(&format!(
        "{CELL}{STEPS}nc = new NetCon(ns, syn, 0, 1, 0.01)\nnc.active(0)\nfinitialize(-65)\n\
         steps(400)\nnc.active(1)\nsteps(400)\n{SHOW}"
    ));
    assert_eq!(late, switched);
}

#[test]
fn a_freed_synapse_leaves_its_netcon_without_target() {
    let text = printed(&format!(
        "{CELL}nc = new NetCon(ns, syn, 0, 1, 0.01)\nprint \"valid \", nc.valid()\nsyn = nil\n\
         print \"valid \", nc.valid()\ntmp = new NetCon(nil, nil)\nprint \"valid \", tmp.valid()\n"
    ));
    let valid: Vec<&str> = text.lines().filter(|l| l.starts_with("valid")).collect();
    assert_eq!(valid, ["valid 1 ", "valid 0 ", "valid 0 "], "{text}");
}
