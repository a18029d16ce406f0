//! The `cidrplan` command line.
//!
//! Exit codes a pipeline can rely on: 0 ok, 1 findings (overlaps found), 2 bad usage or
//! bad input (the message names the file, line and value).

mod cli;
mod commands;
mod failure;
mod imports;
mod input;
mod spec;
mod table;
mod verify;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::failure::Failure;

/// What a subcommand reports besides its output.
pub(crate) enum Outcome {
    /// Nothing to flag.
    Clean,
    /// Findings a pipeline should notice (exit 1).
    Findings,
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = commands::run(args, &mut out);
    let flushed = out.flush();
    match result {
        Ok(Outcome::Clean) if flushed.is_ok() => ExitCode::SUCCESS,
        Ok(Outcome::Findings) if flushed.is_ok() => ExitCode::from(1),
        Ok(_) => ExitCode::from(2),
        Err(failure) => {
            report(&failure);
            ExitCode::from(2)
        }
    }
}

fn report(failure: &Failure) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "cidrplan: error[{}]: {}",
        failure.code, failure.message
    );
}
