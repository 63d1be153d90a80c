//! Parses every `.hoc` file under the folder named by `NEURITE_HOC_CORPUS`
//! (NEURON's hoc library, bmtk and BluePyOpt templates...). Without the
//! variable the test has nothing to do and passes.

use std::path::{Path, PathBuf};

fn hoc_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            hoc_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "hoc") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_file_parses() {
    let Ok(dir) = std::env::var("NEURITE_HOC_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    hoc_files(Path::new(&dir), &mut files);
    files.sort();
    let mut failed = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let parsed = neurite_hoc::parse(&text);
        if let Some(e) = parsed.errors.first() {
            let src = neurite_hoc::Source::new(f.display().to_string(), text.to_string());
            failed.push(format!("{}: {}", src.locate(e.span), e.message));
        }
    }
    for f in &failed {
        eprintln!("{f}");
    }
    eprintln!(
        "hoc corpus: {}/{} files parsed",
        files.len() - failed.len(),
        files.len()
    );
    assert!(failed.is_empty(), "{} files failed to parse", failed.len());
}

/// Loads every corpus file (as `nrniv file.hoc` would) with the permissive
/// bookkeeping simulator and reports how many run to the end. Files that are
/// fragments of a larger program fail on names defined elsewhere; this test
/// reports them and checks only that nothing panics.
#[test]
fn corpus_files_run() {
    let Ok(dir) = std::env::var("NEURITE_HOC_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    hoc_files(Path::new(&dir), &mut files);
    files.sort();
    let mut failed = Vec::new();
    for f in &files {
        let out = neurite_hoc::CapturedOutput::new();
        let sim = neurite_hoc::MemorySim::permissive();
        let mut it = neurite_hoc::Interpreter::with_output(Box::new(sim), Box::new(out));
        it.set_error_output(Box::new(std::io::sink()));
        if let Err(e) = it.load_file(f) {
            failed.push(e.to_string());
        }
    }
    for f in &failed {
        eprintln!("{f}");
    }
    eprintln!(
        "hoc corpus: {}/{} files ran to the end",
        files.len() - failed.len(),
        files.len()
    );
}

/// Parse → print → parse → print gives the same text for every corpus file.
#[test]
fn corpus_round_trips_through_the_printer() {
    let Ok(dir) = std::env::var("NEURITE_HOC_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    hoc_files(Path::new(&dir), &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned();
        let once = neurite_hoc::printer::print_program(&neurite_hoc::parse(&text).program);
        let reparsed = neurite_hoc::parse(&once);
        let twice = neurite_hoc::printer::print_program(&reparsed.program);
        if once != twice || !reparsed.errors.is_empty() {
            bad.push(format!("{}: {:?}", f.display(), reparsed.errors.first()));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
