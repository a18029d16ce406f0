//! `completions` and `__man-pages`: what shells and `man` read, generated from the clap
//! definition in `cli.rs`, so neither can drift from the arguments the binary accepts.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::failure::Failure;
use crate::Outcome;

/// Writes the completion script for `shell`.
pub(crate) fn completions(
    shell: clap_complete::Shell,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    // clap_complete panics when its writer fails (a closed pipe): it writes to memory,
    // which cannot fail, and the output error is reported as any other command's.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cidrplan", &mut script);
    out.write_all(&script)?;
    Ok(Outcome::Clean)
}

/// Writes `cidrplan.1` and a `cidrplan-<subcommand>.1` per visible subcommand into `dir`.
pub(crate) fn man_pages(dir: &Path) -> Result<Outcome, Failure> {
    let origin = dir.display().to_string();
    std::fs::create_dir_all(dir).map_err(|err| Failure::io(&origin, &err))?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(|err| Failure::io(&origin, &err))?;
    Ok(Outcome::Clean)
}
