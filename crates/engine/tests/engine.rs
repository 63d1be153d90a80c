//! The engine through HOC: errors with suggestions, the rebuild rule, live
//! parameter changes, per-segment values across nseg changes.

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, HocError, Interpreter};

fn hoc() -> (Interpreter, CapturedOutput) {
    let out = CapturedOutput::new();
    let engine = Engine::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    (it, out)
}

/// Runs `code`; returns the result and the last line printed (top-level
/// expression statements such as `finitialize(-65)` print their value too).
fn run(code: &str) -> (Result<(), HocError>, String) {
    let (mut it, out) = hoc();
    let r = it.execute_str(code, "test.hoc");
    let text = out.text();
    let last = text.lines().last().unwrap_or_default().to_string();
    (r, last)
}

fn error(code: &str) -> String {
    match run(code).0 {
        Err(e) => e.to_string(),
        Ok(()) => panic!("no error for {code:?}"),
    }
}

const SOMA: &str = "create soma\nsoma { L = 20 diam = 20 insert hh }\n";

#[test]
fn unknown_names_get_suggestions() {
    let e = error("create soma\nsoma insert hhh\n");
    assert!(
        e.contains("hhh is not a MECHANISM") && e.contains("hh"),
        "{e}"
    );
    let e = error("create soma\nsoma insert IClamp\n");
    assert!(e.contains("new IClamp"), "{e}");
    let e = error("create soma\nsoma.gnabar_hh = 0.1\n");
    assert!(e.contains("hh is not inserted in soma"), "{e}");
    let e = error(&format!(
        "{SOMA}objref s\nsoma s = new IClamp(0.5)\ns.ampp = 1\n"
    ));
    assert!(e.contains("did you mean amp"), "{e}");
    let e = error("create d\nd.diam(1.5) = 2\n");
    assert!(
        e.contains("diam(1.5): range variable domain is 0<=x<=1"),
        "{e}"
    );
    let e = error("create d\nobjref s\nd s = new IClamp(2)\n");
    assert!(e.contains("IClamp(2): range variable domain"), "{e}");
    let e = error("create d\nd insert pas\nd print ena(0.5)\n");
    assert!(e.contains("na_ion is not inserted in d"), "{e}");
}

#[test]
fn structure_change_between_steps_needs_finitialize() {
    let code = format!("{SOMA}finitialize(-65)\nfadvance()\nsoma nseg = 3\nfadvance()\n");
    let e = error(&code);
    assert!(e.contains("model changed since finitialize (nseg)"), "{e}");
    let code = format!("{SOMA}finitialize(-65)\nfadvance()\nsoma nseg = 3\nfinitialize(-60)\nfadvance()\nprint t\n");
    let (r, out) = run(&code);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(out, "0.025 ");
    let e = error(&format!(
        "{SOMA}finitialize(-65)\nsoma.v(0.5) = 0\nfadvance()\n"
    ));
    assert!(e.contains("v was assigned"), "{e}");
    let e = error(&format!("{SOMA}fadvance()\n"));
    assert!(e.contains("before finitialize"), "{e}");
}

#[test]
fn parameters_change_the_running_simulation() {
    let code = format!(
        "{SOMA}soma gnabar_hh = 0\nsoma gkbar_hh = 0\nsoma gl_hh = 0\n\
         objref s\nsoma s = new IClamp(0.5)\ns.dur = 1e9\nfinitialize(-65)\n\
         for i = 1, 4 fadvance()\nv1 = soma.v(0.5)\ns.amp = 0.1\nfor i = 1, 4 fadvance()\n\
         print v1 == -65, soma.v(0.5) > -65, s.amp, soma.gnabar_hh\n"
    );
    let (r, out) = run(&code);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(out, "1 1 0.1 0 ");
}

#[test]
fn segment_values_follow_nseg_and_geometry() {
    let code = "create d\nd { L = 100 diam = 2 nseg = 2 insert pas }\n\
         d.g_pas(0.25) = 0.001\nd nseg = 4\n\
         print d.g_pas(0.1), d.g_pas(0.4), d.g_pas(0.6), d.area(0.5), d.ri(0.5) > 0\n";
    let (r, out) = run(code);
    assert!(r.is_ok(), "{r:?}");
    let area = std::f64::consts::PI * 2.0 * 25.0;
    assert_eq!(out, format!("0.001 0.001 0.001 {} 1 ", fmt(area)));
}

/// HOC's `%g`-like print of a number (8 significant digits).
fn fmt(x: f64) -> String {
    let (mut it, out) = hoc();
    let r = it.execute_str(&format!("print {x:.17}\n"), "f");
    assert!(r.is_ok());
    out.text().trim_end().to_string()
}

#[test]
fn globals_and_point_locations() {
    let code = format!(
        "{SOMA}soma nseg = 3\nobjref s\nsoma s = new IClamp(0.2)\nx = s.get_loc()\n\
         u0 = usetable_hh\nusetable_hh = 0\ncelsius = 20\nprint x, u0, usetable_hh, celsius, dt\n"
    );
    let (r, out) = run(&code);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(out, "0.16666667 1 0 20 0.025 ");
}

#[test]
fn odd_input_gives_errors_not_panics() {
    for code in [
        "create a\na nseg = 0\n",
        "create a\na L = -1\n",
        "create a\na diam = 0\n",
        "create a, b\nconnect a(0), b(1)\nconnect b(0), a(1)\n",
        "create a\na.v(2) = 1\nprint a.v(-1)\n",
        "dt = -1\nfinitialize()\n",
        "secondorder = 7\n",
        "create a\na pt3dadd(0, 0, 0, -1)\n",
        "objref n\nn = new NetCon(nil, nil)\nn.weight[3] = 1\n",
        "create a\naccess a\ninsert hh\nrates_hh(0)\n",
        "create a\ndelete_section()\nfinitialize(-65)\nfadvance()\n",
    ] {
        let _ = run(code);
    }
}

#[test]
fn netstim_noise_runs_on_neurons_streams() {
    // spike times against NEURON's are checked in tests/random_nmodl.rs
    let code = "create a\nobjref ns, nc, spk, nil\nns = new NetStim()\nns.noise = 0.5\n\
                ns.start = 1\nns.interval = 5\nns.number = 5\nnc = new NetCon(ns, nil)\n\
                spk = new Vector()\nnc.record(spk)\nfinitialize(-65)\n\
                while (t < 40) fadvance()\nprint spk.size(), spk.x[1] - spk.x[0] != 5\n";
    let (r, last) = run(code);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(last.trim(), "5 1");
}

#[test]
fn sections_made_after_a_build_read_their_stored_values() {
    let code = format!(
        "{SOMA}r = finitialize(-60)\ncreate extra\nextra {{ insert hh ena = 42 }}\n\
         print extra.v(0.5), extra.ena(0.5), soma.v(0.5)\n"
    );
    let (r, out) = run(&code);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(out, "-65 42 -60 ");
}
