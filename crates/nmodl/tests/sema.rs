//! Semantic stage fixtures: every `data/sema/ok/*.mod` is accepted (no errors) and its
//! model dump and warnings match the snapshot `sema__ok_<name>`; every
//! `data/sema/err/*.mod` gives the rendered diagnostics of snapshot `sema__err_<name>`.
//! With `$NEURITE_CORPUS_DIR` set, every `.mod` file under it must be accepted too.

mod common;

use neurite_nmodl::parser::parse;
use neurite_nmodl::sema::{self, Analysis, MechanismKind, SolveMethod, SymbolKind};
use neurite_nmodl::span::SourceFile;
use std::path::{Path, PathBuf};

fn data(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sema")
        .join(dir);
    common::mod_files(&root)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A fixture or corpus file after the front end.
struct Outcome {
    analysis: Analysis,
    /// Every diagnostic, the parser's first, rendered.
    rendered: String,
    parse_errors: bool,
}

/// Parses and analyses a file.
fn analyze_file(path: &Path) -> Outcome {
    let file = SourceFile::read(path).expect("fixture is readable");
    let display = SourceFile::new(format!("{}.mod", stem(path)), file.text());
    let parsed = parse(file.text());
    let analysis = sema::analyze_named(&parsed.program, &stem(path));
    let rendered = parsed
        .diagnostics
        .iter()
        .chain(&analysis.diagnostics)
        .map(|d| d.render(&display))
        .collect::<Vec<_>>()
        .join("\n");
    Outcome {
        parse_errors: parsed.diagnostics.iter().any(|d| d.is_error()),
        analysis,
        rendered,
    }
}

fn analyze_text(text: &str) -> Analysis {
    let parsed = parse(text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    sema::analyze(&parsed.program)
}

#[test]
fn ok_fixtures_are_accepted_and_match_snapshots() {
    let files = data("ok");
    assert!(files.len() >= 4, "fixtures missing");
    for path in files {
        let Outcome {
            analysis,
            rendered,
            parse_errors,
        } = analyze_file(&path);
        assert!(
            !analysis.has_errors() && !parse_errors,
            "{} has errors:\n{rendered}",
            path.display()
        );
        let snapshot = format!("{}\n--- diagnostics\n{rendered}", analysis.mechanism.dump());
        insta::assert_snapshot!(format!("ok_{}", stem(&path)), snapshot);
    }
}

#[test]
fn err_fixtures_give_their_diagnostics() {
    let files = data("err");
    assert!(files.len() >= 4, "fixtures missing");
    for path in files {
        let Outcome {
            analysis, rendered, ..
        } = analyze_file(&path);
        assert!(analysis.has_errors(), "{} has no errors", path.display());
        insta::assert_snapshot!(format!("err_{}", stem(&path)), rendered);
    }
}

#[test]
fn storage_follows_neuron_rules() {
    let a = analyze_text(
        "NEURON { SUFFIX d RANGE gbar, g GLOBAL tau }\n\
         PARAMETER { gbar = 1 q10 = 3 }\n\
         ASSIGNED { g tau hidden }\n\
         STATE { s }\n",
    );
    let storage = |name: &str| match a.mechanism.symbols.get(name).map(|s| &s.kind) {
        Some(SymbolKind::Parameter { storage, .. } | SymbolKind::Assigned { storage }) => {
            Some(*storage)
        }
        _ => None,
    };
    use sema::Storage::*;
    assert_eq!(storage("gbar"), Some(Range));
    assert_eq!(storage("q10"), Some(Global));
    assert_eq!(storage("g"), Some(Range));
    assert_eq!(storage("tau"), Some(Global));
    assert_eq!(storage("hidden"), Some(Instance));
    assert!(matches!(
        a.mechanism.symbols.get("s").map(|s| &s.kind),
        Some(SymbolKind::State { .. })
    ));
    assert_eq!(
        a.mechanism.kind,
        MechanismKind::Density { suffix: "d".into() }
    );
}

#[test]
fn solve_methods_default_per_block_kind() {
    let a = analyze_text(
        "NEURON { SUFFIX k }\nSTATE { c o m }\n\
         BREAKPOINT { SOLVE kin SOLVE der SOLVE p }\n\
         KINETIC kin { ~ c <-> o (1, 2) }\nDERIVATIVE der { m' = -m }\nPROCEDURE p() { }\n",
    );
    let methods: Vec<(SolveMethod, bool)> = a
        .mechanism
        .solves
        .iter()
        .map(|s| (s.method, s.explicit))
        .collect();
    assert_eq!(
        methods,
        [
            (SolveMethod::Advance, false),
            (SolveMethod::Derivimplicit, false),
            (SolveMethod::Procedure, false)
        ]
    );
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
}

#[test]
fn units_factors_are_computed() {
    let a = analyze_text(
        "NEURON { SUFFIX u }\nUNITS { FARADAY = (faraday) (coulomb) F2 = (faraday) (kilocoulombs) \
         (mV) = (millivolt) }\nPARAMETER { e0 = -70 (mV) }\n",
    );
    let value = |name: &str| match a.mechanism.symbols.get(name).map(|s| &s.kind) {
        Some(SymbolKind::Constant { value, .. }) => *value,
        _ => f64::NAN,
    };
    assert!((value("FARADAY") - 96485.33212331001).abs() < 1e-6);
    assert!((value("F2") - 96.48533212331001).abs() < 1e-9);
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[test]
fn unknown_units_after_numbers_are_warned_once() {
    let a = analyze_text(
        "NEURON { SUFFIX u }\nASSIGNED { x }\nINITIAL { x = 2 (wibble) + 3 (wibble) }\n",
    );
    let messages: Vec<&str> = a.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["unknown units `wibble`"]);
    assert!(!a.has_errors());
}

#[test]
fn every_name_use_is_bound() {
    let text = "NEURON { POINT_PROCESS P }\nASSIGNED { g }\n\
                FUNCTION f(x) { LOCAL y\n y = x + g\n f = y }\n\
                NET_RECEIVE (w) { if (flag == 0) { g = w } }\n";
    let a = analyze_text(text);
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
    let at = |needle: &str, nth: usize| {
        let start = text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or(0);
        neurite_nmodl::Span::new(start, start + needle.len())
    };
    use sema::Binding::*;
    let m = &a.mechanism;
    assert_eq!(m.binding(at("y", 1)), Some(Local));
    assert_eq!(m.binding(at("x", 1)), Some(Argument(0)));
    assert_eq!(m.binding(at("g", 1)), Some(Global));
    assert_eq!(m.binding(at("f", 1)), Some(FunctionResult));
    assert_eq!(m.binding(at("flag", 0)), Some(Flag));
    assert_eq!(m.binding(at("w", 1)), Some(Argument(0)));
}

#[test]
fn a_file_without_neuron_block_is_named_after_the_file() {
    let parsed = parse("PARAMETER { g = 1 }\nASSIGNED { v i }\nBREAKPOINT { i = g*v }\n");
    let a = sema::analyze_named(&parsed.program, "leak");
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
    assert_eq!(a.mechanism.name, "leak");
    assert_eq!(
        a.mechanism.kind,
        MechanismKind::Density {
            suffix: "leak".into()
        }
    );
}

#[test]
fn suffix_nothing_is_a_library_named_after_the_file() {
    let parsed = parse("NEURON { SUFFIX nothing }\nFUNCTION sq(x) { sq = x*x }\n");
    let a = sema::analyze_named(&parsed.program, "mathlib");
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
    assert_eq!(a.mechanism.name, "mathlib");
    assert!(a.mechanism.kind.is_library());
    assert_eq!(
        a.mechanism.kind,
        MechanismKind::Density {
            suffix: "nothing".into()
        }
    );
}

#[test]
fn garbage_programs_do_not_panic() {
    let inputs = [
        "",
        "NEURON { }",
        "BREAKPOINT { SOLVE }",
        "NET_RECEIVE() { net_send(0) }",
        "FUNCTION f(x, x) { f = f(1) }",
        "PARAMETER { a[N] } DEFINE N 3",
        "KINETIC k { ~ a + b <-> (1) }",
        "UNITS { X = (foo) (bar) (q) = (q) }",
    ];
    for text in inputs {
        let parsed = parse(text);
        let _ = sema::analyze(&parsed.program);
    }
}

/// The fixtures' lines, for the fuzz test below.
fn fixture_lines() -> Vec<String> {
    ["ok", "err"]
        .iter()
        .flat_map(|d| data(d))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Files stitched from random fixture lines: the analysis may report anything
    /// but must not panic.
    #[test]
    fn stitched_files_do_not_panic(picks in proptest::collection::vec(0usize..10_000, 1..60)) {
        let lines = fixture_lines();
        let text: Vec<&str> = picks.iter().map(|&i| lines[i % lines.len()].as_str()).collect();
        let parsed = parse(&text.join("\n"));
        let _ = sema::analyze(&parsed.program).mechanism.dump();
    }
}

#[test]
fn corpus_is_accepted() {
    let Some(dir) = std::env::var_os("NEURITE_CORPUS_DIR") else {
        return;
    };
    let files = common::mod_files(Path::new(&dir));
    let mut failures = Vec::new();
    let mut warnings = 0;
    for path in &files {
        let Outcome {
            analysis,
            rendered,
            parse_errors,
        } = analyze_file(path);
        warnings += analysis.diagnostics.len();
        if std::env::var_os("NEURITE_CORPUS_VERBOSE").is_some() && !rendered.is_empty() {
            eprintln!("{rendered}");
        }
        if analysis.has_errors() || parse_errors {
            failures.push(format!("{}:\n{rendered}", path.display()));
        }
    }
    eprintln!(
        "sema corpus: {} files, {} accepted, {warnings} warnings",
        files.len(),
        files.len() - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
