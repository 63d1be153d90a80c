//! The NMODL front end against real mod files that no one here wrote: every `.mod`
//! file that the PyPI packages `neuron==9.0.2` and `bmtk==1.2.0` ship must be accepted
//! (NEURON 9.0.2's own translator accepts all of them), must print back to NMODL that
//! parses to the same tree, and the committed conformance summary must say so.
//!
//! `NEURITE_BLESS=1 cargo test --test nmodl_corpus` rewrites the CI-checked rows of
//! `tests/conformance/nmodl.md` after an intended change.

mod support;

use neurite_nmodl::check::check_file;
use neurite_nmodl::{parser, printer};
use std::path::Path;

const SUMMARY: &str = "tests/conformance/nmodl.md";
const BEGIN: &str = "<!-- begin: rows kept true by tests/nmodl_corpus.rs -->";
const END: &str = "<!-- end: rows kept true by tests/nmodl_corpus.rs -->";

struct SourceResult {
    label: String,
    total: usize,
    accepted: usize,
    failures: Vec<String>,
}

fn check_package(pkg: (&str, &str)) -> SourceResult {
    let files = support::package_mod_files(pkg);
    assert!(
        !files.is_empty(),
        "{}=={} ships no .mod files?",
        pkg.0,
        pkg.1
    );
    let mut result = SourceResult {
        label: format!("PyPI `{}=={}`", pkg.0, pkg.1),
        total: files.len(),
        accepted: 0,
        failures: Vec::new(),
    };
    for (rel, path) in &files {
        let checked = check_file(path).unwrap_or_else(|e| panic!("read {rel}: {e}"));
        if checked.is_accepted() {
            result.accepted += 1;
        } else {
            result
                .failures
                .push(format!("{rel}\n{}", checked.render_diagnostics()));
        }
    }
    result
}

fn rows(results: &[SourceResult]) -> String {
    let mut out = String::new();
    for r in results {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.label, r.total, r.total, r.accepted
        ));
    }
    out
}

#[test]
fn every_mod_file_in_the_pypi_packages_is_accepted_and_summarised() {
    let results = [check_package(support::NEURON), check_package(support::BMTK)];
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.failures).collect();
    assert!(
        failures.is_empty(),
        "{} real mod files rejected:\n{}",
        failures.len(),
        failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    keep_summary_true(&rows(&results));
}

/// Compares the rows between the markers of the summary with `expected`, or rewrites
/// them when `NEURITE_BLESS` is set.
fn keep_summary_true(expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SUMMARY);
    let text = std::fs::read_to_string(&path).expect("read the conformance summary");
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        panic!("{SUMMARY} lacks the markers `{BEGIN}` and `{END}`");
    };
    let current = &text[b + BEGIN.len()..e].trim_start_matches('\n');
    if std::env::var_os("NEURITE_BLESS").is_some() {
        let new = format!("{}{BEGIN}\n{expected}{}", &text[..b], &text[e..]);
        std::fs::write(&path, new).expect("rewrite the conformance summary");
        return;
    }
    assert_eq!(
        *current, expected,
        "{SUMMARY} is out of date; rerun with NEURITE_BLESS=1 after checking the change"
    );
}

#[test]
fn every_pypi_mod_file_round_trips_through_the_printer() {
    for pkg in [support::NEURON, support::BMTK] {
        for (rel, path) in support::package_mod_files(pkg) {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned()
            });
            let first = parser::parse(&text);
            let printed = printer::print(&first.program);
            let second = parser::parse(&printed);
            assert!(
                second.diagnostics.is_empty(),
                "{rel}: the printed text does not parse:\n{printed}\n{:?}",
                second.diagnostics
            );
            assert_eq!(
                printed,
                printer::print(&second.program),
                "{rel}: printing is not stable across a round trip"
            );
        }
    }
}
