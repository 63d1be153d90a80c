//! Runs HOC files with the bookkeeping simulator: `hoc_run file.hoc...`.
//! (The `neurite run` command will do this with the cable solver.)

use neurite_hoc::{Interpreter, MemorySim};
use std::path::Path;

fn main() {
    let sim = if std::env::var_os("HOC_STRICT").is_some() {
        MemorySim::new()
    } else {
        MemorySim::permissive()
    };
    let mut it = Interpreter::new(Box::new(sim));
    for f in std::env::args().skip(1) {
        if let Err(e) = it.load_file(Path::new(&f)) {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
