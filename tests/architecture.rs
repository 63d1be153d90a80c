//! Keeps ARCHITECTURE.md true: every path it names exists, and the crates' layering
//! holds (the cable solver knows nothing about the front ends).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Backquoted words that look like repository paths: `crates/...`, `tests/...`, `x.rs`.
fn named_paths(doc: &str) -> Vec<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| !w.contains(' ') && !w.contains('(') && !w.contains("::"))
        .filter(|w| {
            [
                "crates/",
                "tests/",
                "docs/",
                "benches/",
                "mod_files/",
                "templates/",
                ".ci/",
            ]
            .iter()
            .any(|p| w.starts_with(p))
        })
        .map(|w| w.trim_end_matches(':').to_string())
        .collect()
}

#[test]
fn every_path_named_in_architecture_md_exists() {
    let doc =
        std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("read ARCHITECTURE.md");
    let paths = named_paths(&doc);
    assert!(paths.len() > 5, "the document names paths: {paths:?}");
    let missing: Vec<&String> = paths.iter().filter(|p| !root().join(p).exists()).collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

/// The `[dependencies]` section of a crate's manifest.
fn dependencies(krate: &str) -> String {
    let manifest = std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml"))
        .unwrap_or_default();
    manifest
        .split("\n[")
        .filter(|s| s.starts_with("dependencies]"))
        .collect()
}

#[test]
fn the_cable_solver_depends_on_no_front_end() {
    let deps = dependencies("hines");
    for front_end in ["neurite-nmodl", "neurite-hoc", "neurite-tuner"] {
        assert!(
            !deps.contains(front_end),
            "crates/hines must not depend on {front_end}"
        );
    }
}

#[test]
fn the_nmodl_front_end_depends_on_no_interpreter_or_tuner() {
    let deps = dependencies("nmodl");
    for upper in ["neurite-hoc", "neurite-tuner"] {
        assert!(
            !deps.contains(upper),
            "crates/nmodl must not depend on {upper}"
        );
    }
}

#[test]
fn the_engine_does_not_depend_on_the_tuner() {
    assert!(
        !dependencies("engine").contains("neurite-tuner"),
        "crates/engine must not depend on neurite-tuner (the tuner runs on the engine)"
    );
}
