//! The `neurite` command-line tool's library half: each subcommand is a module that
//! takes parsed arguments and returns an exit code, so integration tests can drive
//! them without spawning a process.
