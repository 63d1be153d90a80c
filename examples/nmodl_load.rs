//! Loads `.mod` files (or folders of them) into a `MechanismLibrary` and prints
//! the mechanisms, or every load error with its file:line:col.
//!
//!     cargo run --example nmodl_load -- path/to/mechanisms [more paths]

use neurite_nmodl::exec::MechanismLibrary;
use neurite_nmodl::span::SourceFile;
use std::path::Path;

fn main() {
    let mut lib = match MechanismLibrary::builtin() {
        Ok(lib) => lib,
        Err(e) => return eprintln!("{e}"),
    };
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        let result = if path.is_dir() {
            MechanismLibrary::load_dir(path).map(|l| lib = l)
        } else {
            match SourceFile::read(path) {
                Ok(source) => lib.add_sources(vec![source]),
                Err(e) => return eprintln!("{arg}: {e}"),
            }
        };
        if let Err(e) = result {
            println!("{e}");
        }
    }
    println!("mechanisms: {}", lib.names().collect::<Vec<_>>().join(" "));
}
