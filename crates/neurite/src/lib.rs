//! The `neurite` command-line tool's library half: each subcommand is a module that
//! takes parsed arguments, writes its report, and returns the exit code, so tests can
//! drive it in-process as well as through the binary.

pub mod check_mod;
pub mod run;
pub mod tune;
