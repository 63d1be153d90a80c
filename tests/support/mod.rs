//! Test support shared by the workspace's integration tests: real-world input files
//! from PyPI packages, installed at test time into a cache under the target directory.
//!
//! The files these packages ship (NEURON's demo mechanisms and `lib/hoc`, the Allen
//! Institute's channels in bmtk) are never copied into the repository: the first test
//! that needs a package runs `python3 -m pip install --no-deps --target` into
//! `$CARGO_TARGET_TMPDIR/pypi/<name>-<version>/`, and later runs reuse it. A failure
//! to install is a test failure with pip's own message, never a silent skip.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The PyPI packages whose files the tests read, pinned.
pub const NEURON: (&str, &str) = ("neuron", "9.0.2");
pub const BMTK: (&str, &str) = ("bmtk", "1.2.0");

fn cache_root() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pypi")
}

fn python() -> String {
    std::env::var("NEURITE_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// The folder holding the installed package `(name, version)`, installing it on first use.
pub fn pypi_package((name, version): (&str, &str)) -> PathBuf {
    static LOCK: OnceLock<Mutex<()>> = OnceLock::new();
    let _guard = LOCK
        .get_or_init(|| Mutex::new(()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dest = cache_root().join(format!("{name}-{version}"));
    if dest.join(".complete").exists() {
        return dest;
    }
    install(name, version, &dest);
    dest
}

/// Installs into a fresh temporary folder and renames it into place, so a run that
/// is interrupted never leaves a half-installed package behind.
fn install(name: &str, version: &str, dest: &Path) {
    let tmp = dest.with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let spec = format!("{name}=={version}");
    let output = Command::new(python())
        .args([
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",
            "--quiet",
        ])
        .args(["--disable-pip-version-check", "--target"])
        .arg(&tmp)
        .arg(&spec)
        .output()
        .unwrap_or_else(|e| panic!("could not run `{} -m pip`: {e}", python()));
    assert!(
        output.status.success(),
        "pip install {spec} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(tmp.join(".complete"), &spec).expect("mark install complete");
    let _ = std::fs::remove_dir_all(dest);
    std::fs::rename(&tmp, dest).expect("move installed package into the cache");
}

/// Every file under `root` whose name ends with `.{ext}`, sorted, following no links.
pub fn files_with_ext(root: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `.mod` files a package ships, with their paths relative to the install folder.
pub fn package_mod_files(pkg: (&str, &str)) -> Vec<(String, PathBuf)> {
    let root = pypi_package(pkg);
    files_with_ext(&root, "mod")
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
            (rel, p)
        })
        .collect()
}

/// The folder of reference data written by the scripts under `tests/reference/`.
pub fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/data")
}

/// `tests/reference/data/<name>`, parsed, after checking that it was made by the
/// pinned NEURON (its `neuron_version` names [`NEURON`]'s version).
pub fn reference_data(name: &str) -> serde_json::Value {
    read_reference(&reference_dir().join(name))
}

/// Every `tests/reference/data/<prefix>*.json`, sorted by name, as (file stem, data);
/// each checked as [`reference_data`] checks it. Panics when there is none, so a
/// renamed file cannot turn a comparison into a test of nothing.
pub fn reference_cases(prefix: &str) -> Vec<(String, serde_json::Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(reference_dir())
        .unwrap_or_else(|e| panic!("{}: {e}", reference_dir().display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no reference data named {prefix}*.json");
    files
        .iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            (stem, read_reference(path))
        })
        .collect()
}

fn read_reference(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let version = doc["neuron_version"].as_str().unwrap_or_default();
    assert!(
        version.contains(NEURON.1),
        "{}: made by NEURON {version:?}, expected {}",
        path.display(),
        NEURON.1
    );
    doc
}

/// The values of the HOC Vector `vector` of `hoc`, read back exactly (printed with
/// 17 significant digits into `out`, the interpreter's captured output).
pub fn hoc_vector(
    hoc: &mut neurite_hoc::Interpreter,
    out: &neurite_hoc::CapturedOutput,
    vector: &str,
) -> Vec<f64> {
    let before = out.text().len();
    // assigned, so that the top level does not print printf's count
    hoc.execute_str(
        &format!("ntk_n = {vector}.printf(\"%.17g\\n\")"),
        "readback",
    )
    .unwrap_or_else(|e| panic!("{vector}: {}", e.message));
    out.text()[before..]
        .lines()
        .filter_map(|l| l.trim().parse::<f64>().ok())
        .collect()
}
