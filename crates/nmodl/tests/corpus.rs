//! Parses every `.mod` file under `$NEURITE_CORPUS_DIR` (when set) and checks that
//! each has no diagnostics and round-trips through the printer. Without the variable
//! the test checks nothing; CI points it at the downloaded wheels.

mod common;

use neurite_nmodl::span::SourceFile;

#[test]
fn corpus_parses_and_round_trips() {
    let Some(dir) = std::env::var_os("NEURITE_CORPUS_DIR") else {
        return;
    };
    let files = common::mod_files(std::path::Path::new(&dir));
    let mut failures = Vec::new();
    for path in &files {
        let Ok(file) = SourceFile::read(path) else {
            continue;
        };
        if let Err(e) = common::check_round_trip(file.text()) {
            let first = neurite_nmodl::parser::parse(file.text());
            let rendered: String = first
                .diagnostics
                .iter()
                .take(3)
                .map(|d| d.render(&file))
                .collect();
            let detail = if rendered.is_empty() { e } else { rendered };
            failures.push(format!("{}: {detail}", path.display()));
        }
    }
    eprintln!(
        "corpus: {} files, {} ok",
        files.len(),
        files.len() - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
