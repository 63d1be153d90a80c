//! NEURON's own artificial cells and event mechanisms, loaded from NEURON's
//! own mod files, against NEURON 9.0.2 (tests/reference/data/artcell.json,
//! made by tests/reference/artcell_reference.py).
//!
//! The mod files are those the pinned `neuron` wheel ships in
//! `share/modfile` (its `netstim.mod` is NEURON's built-in NetStim, with the
//! VERBATIM of `noiseFromRandom` and `noiseFromRandom123`), loaded as a user
//! pointing `--mod-dir` at that folder does; `SpikeLog.mod`
//! (tests/reference/mod/) checks the C idiom of APCount's `record(vec)`,
//! `FakeFire.mod` PatternStim's `nrn_fake_fire` into the input ports of
//! `ParallelContext.gid_connect` (delays and weights per NetCon). Each
//! scenario is the HOC program stored in the JSON, run unchanged; spike times
//! must agree within 1e-6 ms and the other values (stream ids, sequences,
//! draws, counts) likewise.
//!
//! Each test runs on its own thread, and the count of default RANDOM streams
//! is per thread, so each starts as the fresh NEURON process of the script.

mod support;

use neurite_engine::Engine;
use neurite_hoc::{CapturedOutput, Interpreter};
use serde_json::Value;
use std::path::PathBuf;

const TOL: f64 = 1e-6;

/// The wheel's folder of NEURON's built-in mechanisms.
fn wheel_modfiles() -> PathBuf {
    support::pypi_package(support::NEURON).join("neuron/.data/share/modfile")
}

/// A folder holding only `tests/reference/mod/<name>.mod`.
fn test_mod_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("artcell_{name}"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = format!("{name}.mod");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference/mod")
        .join(&file);
    std::fs::copy(src, dir.join(&file)).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// Runs scenario `name` with the mechanisms of `dirs`; returns the largest
/// difference from NEURON.
fn check(name: &str, dirs: &[PathBuf]) -> f64 {
    let data = support::reference_data("artcell.json");
    let case = &data["scenarios"][name];
    let hoc = case["hoc"].as_str().expect("scenario HOC text");
    let want_spikes: Vec<Vec<f64>> = case["spikes"]
        .as_array()
        .expect("spike lists")
        .iter()
        .map(numbers)
        .collect();
    let want_vals = numbers(&case["vals"]);

    let engine = Engine::with_mod_dirs(dirs).unwrap_or_else(|e| panic!("{e}"));
    let out = CapturedOutput::new();
    let mut it = Interpreter::with_output(Box::new(engine), Box::new(out.clone()));
    it.set_error_output(Box::new(std::io::sink()));
    let prelude = data["prelude"].as_str().expect("prelude");
    // inside a proc, so that HOC prints no statement values
    let mut print = String::from("proc print_results() {\n");
    for i in 0..want_spikes.len() {
        print.push_str(&format!(
            "printf(\"list\\n\")\nfor j = 0, spk[{i}].size() - 1 printf(\"%.17g\\n\", spk[{i}].x[j])\n"
        ));
    }
    print.push_str(
        "printf(\"list\\n\")\nfor j = 0, vals.size() - 1 printf(\"%.17g\\n\", vals.x[j])\n}\n",
    );
    print.push_str("print_results()\n");
    it.execute_str(
        &format!("{prelude}\n{hoc}\n{print}"),
        &format!("{name}.hoc"),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut lists: Vec<Vec<f64>> = Vec::new();
    for line in out.text().lines() {
        if line == "list" {
            lists.push(Vec::new());
        } else if let (Some(l), Ok(x)) = (lists.last_mut(), line.trim().parse::<f64>()) {
            l.push(x);
        }
    }
    assert_eq!(
        lists.len(),
        want_spikes.len() + 1,
        "{name}: output {lists:?}"
    );
    let mut worst = 0.0f64;
    let wants = want_spikes.iter().chain(std::iter::once(&want_vals));
    for (k, (got, want)) in lists.iter().zip(wants).enumerate() {
        assert_eq!(
            got.len(),
            want.len(),
            "{name} list {k}: {got:?} vs NEURON {want:?}"
        );
        for (a, b) in got.iter().zip(want) {
            let d = (a - b).abs();
            assert!(
                d <= TOL,
                "{name} list {k}: {a} vs NEURON {b}\n{got:?}\n{want:?}"
            );
            worst = worst.max(d);
        }
    }
    eprintln!("{name}: largest difference from NEURON {worst:e}");
    worst
}

#[test]
fn netstim_without_noise() {
    check("netstim_regular", &[wheel_modfiles()]);
}

#[test]
fn netstim_noise_from_random123() {
    check("netstim_random123", &[wheel_modfiles()]);
}

#[test]
fn netstim_noise_from_a_hoc_random() {
    check("netstim_hocrandom", &[wheel_modfiles()]);
}

#[test]
fn netstim_noise_on_default_streams() {
    check("netstim_default", &[wheel_modfiles()]);
}

#[test]
fn netstim_nmodlrandom_api_and_seed() {
    check("netstim_ranvar", &[wheel_modfiles()]);
}

#[test]
fn spikelog_fills_its_vector_from_c() {
    check("spikelog", &[wheel_modfiles(), test_mod_dir("SpikeLog")]);
}

/// The wheel's NetStim is the one that ran: a file Neurite could not load
/// would leave the name to Neurite's own NetStim.
#[test]
fn the_wheels_netstim_loads() {
    let path = wheel_modfiles().join("netstim.mod");
    let mut lib = neurite_nmodl::exec::MechanismLibrary::default();
    let source = neurite_nmodl::span::SourceFile::read(&path).unwrap_or_else(|e| panic!("{e}"));
    lib.add_sources(vec![source])
        .unwrap_or_else(|e| panic!("{e}"));
    let c = lib.get("NetStim").unwrap_or_else(|e| panic!("{e}"));
    for name in ["noiseFromRandom", "noiseFromRandom123", "seed", "erand"] {
        assert!(c.callable(name).is_some(), "{name}");
    }
}

#[test]
fn random_play_picks_at_every_step() {
    check("random_play", &[wheel_modfiles()]);
}

#[test]
fn netstim_stream_settings_survive_a_rebuild() {
    check("netstim_rebuild", &[wheel_modfiles()]);
}

#[test]
fn nrn_fake_fire_reaches_gid_connect_input_ports() {
    check("fakefire", &[wheel_modfiles(), test_mod_dir("FakeFire")]);
}
