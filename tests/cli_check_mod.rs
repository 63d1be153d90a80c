//! `neurite check-mod` as a user runs it: the real binary on Neurite's own mechanisms,
//! on broken files, on folders, with `--json`, and on paths that do not exist.

use std::path::Path;
use std::process::{Command, Output};

fn neurite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_neurite"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run the neurite binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn own_mechanisms_are_all_accepted() {
    let out = neurite(&["check-mod", "mod_files"]);
    let text = stdout(&out);
    assert!(out.status.success(), "exit {:?}\n{text}", out.status);
    assert!(
        text.contains("mod_files/hh.mod: ok (density mechanism hh)"),
        "{text}"
    );
    assert!(
        text.contains("mod_files/ExpSyn.mod: ok (point process ExpSyn)"),
        "{text}"
    );
    let files = std::fs::read_dir("mod_files")
        .expect("list mod_files")
        .count();
    let summary =
        format!("checked {files} files: {files} accepted, 0 rejected; 0 errors, 0 warnings");
    assert!(text.trim_end().ends_with(&summary), "{text}");
}

#[test]
fn a_broken_file_is_rejected_with_located_diagnostics() {
    let file = "crates/nmodl/tests/data/err/several_errors.mod";
    let out = neurite(&["check-mod", file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with(&format!("{file}: rejected, ")), "{text}");
    let located = text
        .lines()
        .filter(|l| l.starts_with(&format!("{file}:")) && l.contains(": error: "))
        .count();
    assert!(located >= 2, "every error of the file is reported:\n{text}");
    assert!(text.contains(" | "), "source excerpt shown:\n{text}");
    assert!(text.contains('^'), "caret shown:\n{text}");
}

#[test]
fn json_report_has_files_diagnostics_and_summary() {
    let out = neurite(&[
        "check-mod",
        "--json",
        "mod_files/hh.mod",
        "crates/nmodl/tests/data/err/unclosed_neuron.mod",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(report["summary"]["accepted"], 1);
    assert_eq!(report["summary"]["rejected"], 1);
    let files = report["files"].as_array().expect("files array");
    let hh = files
        .iter()
        .find(|f| f["path"] == "mod_files/hh.mod")
        .expect("hh entry");
    assert_eq!(hh["status"], "ok");
    assert_eq!(hh["mechanism"], "density mechanism hh");
    let bad = files
        .iter()
        .find(|f| f["status"] == "rejected")
        .expect("rejected entry");
    let d = &bad["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert!(d["line"].as_u64().unwrap_or(0) >= 1, "{d}");
    assert!(d["column"].as_u64().unwrap_or(0) >= 1, "{d}");
    assert!(
        d["rendered"]
            .as_str()
            .unwrap_or("")
            .contains("unclosed_neuron.mod:"),
        "{d}"
    );
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    let out = neurite(&["check-mod", "no/such/dir"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("no/such/dir: error: cannot read"), "{text}");
    assert!(out.stderr.is_empty() || !String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_folder_without_mod_files_fails() {
    let out = neurite(&["check-mod", "benches"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("no .mod files found"));
}

#[test]
fn the_error_fixtures_are_all_rejected_and_the_good_ones_accepted() {
    let err = neurite(&["check-mod", "--json", "crates/nmodl/tests/data/err"]);
    let report: serde_json::Value = serde_json::from_slice(&err.stdout).expect("valid JSON");
    let n = report["summary"]["files"].as_u64().unwrap_or(0);
    assert!(n >= 6, "fixture folder has files");
    assert_eq!(report["summary"]["rejected"].as_u64(), Some(n), "{report}");
    assert!(Path::new("crates/nmodl/tests/data/ok").is_dir());
}
