//! `neurite run FILE.hoc ... [--mod-dir DIR]... [-c STATEMENT]...`: HOC files
//! run as `nrniv -nogui` runs them, with the mechanisms of each DIR loaded at
//! run time (Neurite's own `mod_files/` are always there). Files and `-c`
//! statements are executed in the order they are given on the command line,
//! as nrniv does; what HOC prints goes to stdout. Exit code 0 at the end (or
//! at `quit()`), 1 with `file:line: message` on stderr at the first error.

use neurite_engine::Engine;
use neurite_hoc::{HocError, Interpreter};
use std::path::PathBuf;
use std::process::ExitCode;

/// One thing to execute, in command-line order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    File(PathBuf),
    Statement(String),
}

/// The parsed arguments of `neurite run`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunArgs {
    pub items: Vec<Item>,
    pub mod_dirs: Vec<PathBuf>,
}

/// Splits the raw arguments into files, `-c` statements and `--mod-dir` folders.
pub fn parse_args(args: &[String]) -> Result<RunArgs, String> {
    let mut out = RunArgs::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        if a == "-c" {
            out.items.push(Item::Statement(value("-c")?));
        } else if a == "--mod-dir" {
            out.mod_dirs.push(PathBuf::from(value("--mod-dir")?));
        } else if let Some(dir) = a.strip_prefix("--mod-dir=") {
            out.mod_dirs.push(PathBuf::from(dir));
        } else if a == "-nogui" || a == "-nobanner" || a == "-" {
            // nrniv options that change nothing here
        } else if a.starts_with('-') && a.len() > 1 {
            return Err(format!("unknown option {a}"));
        } else {
            out.items.push(Item::File(PathBuf::from(a)));
        }
    }
    Ok(out)
}

/// Runs everything; returns the exit code.
pub fn run(args: &RunArgs) -> ExitCode {
    let engine = match Engine::with_mod_dirs(&args.mod_dirs) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("neurite run: {e}");
            return ExitCode::from(1);
        }
    };
    for s in engine.skipped() {
        eprintln!(
            "neurite run: warning: {} not loaded ({}); using {} is an error",
            s.path.display(),
            s.reason(),
            s.mechanism.as_deref().unwrap_or("its mechanism")
        );
    }
    let mut hoc = Interpreter::new(Box::new(engine));
    for item in &args.items {
        let r = match item {
            Item::File(path) => hoc.load_file(path),
            Item::Statement(code) => hoc.execute_str(code, "-c"),
        };
        if hoc.quit_requested() {
            return ExitCode::SUCCESS;
        }
        if let Err(e) = r {
            eprintln!("{}", render(&e));
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// `file:line: message` (the column, when the location has one, is dropped).
pub fn render(e: &HocError) -> String {
    let loc = &e.location;
    let parts: Vec<&str> = loc.rsplitn(3, ':').collect();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let loc = match parts.as_slice() {
        [col, line, file] if numeric(col) && numeric(line) => format!("{file}:{line}"),
        _ => loc.clone(),
    };
    format!("{loc}: {}", e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_command_line_order() {
        let args: Vec<String> = ["-c", "a=1", "x.hoc", "--mod-dir", "m", "-c", "b=2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = parse_args(&args).unwrap_or_default();
        assert_eq!(
            parsed.items,
            vec![
                Item::Statement("a=1".into()),
                Item::File("x.hoc".into()),
                Item::Statement("b=2".into())
            ]
        );
        assert_eq!(parsed.mod_dirs, vec![PathBuf::from("m")]);
        assert!(parse_args(&["-c".to_string()]).is_err());
    }

    #[test]
    fn errors_are_file_and_line() {
        let e = HocError {
            location: "a.hoc:3:7".into(),
            message: "boom".into(),
        };
        assert_eq!(render(&e), "a.hoc:3: boom");
    }
}
