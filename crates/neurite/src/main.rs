//! `neurite`: the command-line tool over Neurite's crates.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "neurite",
    version,
    about = "Run NEURON models (mod folders and HOC templates) without a C compiler"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check NMODL files: parse and analyse each `.mod` file (folders are searched
    /// recursively) and report every error and warning with file, line and column.
    /// Exits 0 only when every file is accepted (warnings allowed).
    CheckMod {
        /// `.mod` files or folders holding them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON report on stdout instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run HOC files as `nrniv -nogui` does: `neurite run FILE.hoc... [--mod-dir DIR]...
    /// [-c STATEMENT]...`. Files and statements run in command-line order; every `.mod`
    /// file of each DIR is loaded at run time (Neurite's own mechanisms always are).
    /// Exits 0 at the end, 1 with `file:line: message` at the first error.
    Run {
        /// HOC files, `-c STATEMENT` and `--mod-dir DIR`, in any order.
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true, trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// bmtool's synapse and gap-junction tuners through Neurite's simulation: one JSON
    /// report on stdout (bmtool's keys and units), a summary on stderr.
    Tune {
        #[command(subcommand)]
        command: neurite::tune::TuneCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::CheckMod { paths, json } => {
            let format = if json {
                neurite::check_mod::Format::Json
            } else {
                neurite::check_mod::Format::Text
            };
            neurite::check_mod::run(&paths, format)
        }
        Command::Run { args } => match neurite::run::parse_args(&args) {
            Ok(parsed) => neurite::run::run(&parsed),
            Err(e) => {
                eprintln!("neurite run: {e}");
                ExitCode::from(2)
            }
        },
        Command::Tune { command } => neurite::tune::run(&command),
    }
}
