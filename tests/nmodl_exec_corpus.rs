//! The executable form against every `.mod` file the PyPI packages `neuron==9.0.2`
//! and `bmtk==1.2.0` ship: compiling must never panic (a file Neurite cannot run yet
//! is a load error naming file:line:col), and every file that compiles is inserted
//! into a one-compartment cell and run for a few steps, which must not panic either.
//! The counts are kept in `tests/conformance/nmodl_exec.md`;
//! `NEURITE_BLESS=1 cargo test --test nmodl_exec_corpus` rewrites them.

mod support;

use neurite_hines::{Model, SectionSpec, SimConfig, Simulation};
use neurite_nmodl::check::check_file;
use neurite_nmodl::exec::{compile, Instantiator, MechanismLibrary};
use neurite_nmodl::span::SourceFile;
use std::collections::BTreeMap;

const SUMMARY: &str = "tests/conformance/nmodl_exec.md";
const BEGIN: &str = "<!-- begin: rows kept true by tests/nmodl_exec_corpus.rs -->";
const END: &str = "<!-- end: rows kept true by tests/nmodl_exec_corpus.rs -->";

#[derive(Default)]
struct Tally {
    files: usize,
    compiled: usize,
    ran: usize,
    /// First line of each load error, counted.
    reasons: BTreeMap<String, usize>,
}

/// Inserts the mechanism of `path` alone (with the built-ins) into a soma and
/// runs 10 steps; returns whether that worked without an error.
fn runs(path: &std::path::Path, name: &str, point: bool) -> bool {
    let mut lib = match MechanismLibrary::builtin() {
        Ok(lib) => lib,
        Err(_) => return false,
    };
    let Ok(source) = SourceFile::read(path) else {
        return false;
    };
    if lib.add_sources(vec![source]).is_err() {
        return false;
    }
    let mut model = Model::new();
    let Ok(soma) = model.add_section(SectionSpec {
        name: "soma".into(),
        length: 20.0,
        diam: 20.0,
        ..SectionSpec::default()
    }) else {
        return false;
    };
    let Ok(mut sim) = Simulation::new(&model, SimConfig::default()) else {
        return false;
    };
    let Ok(node) = sim.discretization().node_at(soma, 0.5) else {
        return false;
    };
    let mut ins = Instantiator::new(&lib);
    let inserted = if point {
        ins.insert_point(&mut sim, name, node)
    } else {
        ins.insert_density(&mut sim, name, &[node])
    };
    inserted.is_ok() && sim.finitialize(-65.0).is_ok() && sim.run(0.25).is_ok()
}

fn tally(pkg: (&str, &str)) -> Tally {
    let mut t = Tally::default();
    for (_, path) in support::package_mod_files(pkg) {
        t.files += 1;
        let Ok(checked) = check_file(&path) else {
            continue;
        };
        if !checked.is_accepted() {
            *t.reasons.entry("front-end error".into()).or_default() += 1;
            continue;
        }
        match compile(&checked.program, &checked.mechanism) {
            Ok(c) => {
                t.compiled += 1;
                let point = c.mechanism.kind.is_point();
                if runs(&path, &c.mechanism.name, point) {
                    t.ran += 1;
                }
            }
            Err(diags) => {
                let first = diags.first().map(|d| d.message.clone()).unwrap_or_default();
                let key = first
                    .split('`')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                *t.reasons.entry(key).or_default() += 1;
            }
        }
    }
    t
}

#[test]
fn every_corpus_file_compiles_or_fails_cleanly() {
    let mut rows = String::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for pkg in [support::NEURON, support::BMTK] {
        let t = tally(pkg);
        rows.push_str(&format!(
            "| PyPI `{}=={}` | {} | {} | {} |\n",
            pkg.0, pkg.1, t.files, t.compiled, t.ran
        ));
        for (k, n) in t.reasons {
            *reasons.entry(k).or_default() += n;
        }
    }
    rows.push_str("\nLoad errors by first message:\n\n");
    for (k, n) in &reasons {
        rows.push_str(&format!("- {n} × {k}\n"));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SUMMARY);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        panic!("{SUMMARY} lacks its markers");
    };
    let current = &text[b + BEGIN.len()..e];
    let wanted = format!("\n{rows}");
    if std::env::var_os("NEURITE_BLESS").is_some() {
        let new = format!("{}{}{}{}", &text[..b], BEGIN, wanted, &text[e..]);
        std::fs::write(&path, new).unwrap_or_else(|e| panic!("{e}"));
    } else {
        assert_eq!(
            current, wanted,
            "run with NEURITE_BLESS=1 to update {SUMMARY}"
        );
    }
}

/// Damaged real files: every corpus file with one line removed at a time. Any
/// variant the front end accepts is compiled and, if that works, inserted and
/// run; nothing may panic (errors are fine).
#[test]
fn no_single_line_deletion_makes_the_executable_form_panic() {
    let mut tried = 0;
    for pkg in [support::NEURON, support::BMTK] {
        for (rel, path) in support::package_mod_files(pkg) {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let lines: Vec<&str> = text.lines().collect();
            for skip in 0..lines.len() {
                let damaged: Vec<&str> = lines
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != skip)
                    .map(|(_, l)| *l)
                    .collect();
                let source = SourceFile::new(rel.clone(), damaged.join("\n"));
                let checked = neurite_nmodl::check::check_source(source);
                if !checked.is_accepted() {
                    continue;
                }
                tried += 1;
                let Ok(c) = compile(&checked.program, &checked.mechanism) else {
                    continue;
                };
                // a damaged NET_RECEIVE can send itself events at one time
                // forever (so would NEURON): such variants are only compiled
                if c.net_receive.is_some() {
                    continue;
                }
                let mut lib = MechanismLibrary::default();
                let text = damaged.join("\n");
                if lib
                    .add_sources(vec![SourceFile::new(rel.clone(), text)])
                    .is_ok()
                {
                    run_alone(&lib, &c.mechanism.name, c.mechanism.kind.is_point());
                }
            }
        }
    }
    assert!(tried > 100, "only {tried} accepted variants");
}

/// Inserts `name` alone into a soma and runs 4 steps, ignoring errors.
fn run_alone(lib: &MechanismLibrary, name: &str, point: bool) {
    let mut model = Model::new();
    let Ok(soma) = model.add_section(SectionSpec::default()) else {
        return;
    };
    let Ok(mut sim) = Simulation::new(&model, SimConfig::default()) else {
        return;
    };
    let Ok(node) = sim.discretization().node_at(soma, 0.5) else {
        return;
    };
    let mut ins = Instantiator::new(lib);
    let inserted = if point {
        ins.insert_point(&mut sim, name, node)
    } else {
        ins.insert_density(&mut sim, name, &[node])
    };
    if inserted.is_ok() && sim.finitialize(-65.0).is_ok() {
        let _ = sim.run(0.1);
    }
}
