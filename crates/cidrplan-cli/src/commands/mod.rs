//! One module per subcommand; each writes the table or the JSON wire format.

mod carve;
mod generate;
mod import;
mod plan;
mod schema;
mod sets;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::failure::Failure;
use crate::Outcome;

/// Runs the parsed command, writing its output to `out`.
pub(crate) fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome, Failure> {
    match cli.command {
        Command::Plan {
            spec,
            format,
            force,
            previous,
            release,
            common,
        } => plan::plan(
            &spec,
            format,
            force,
            previous.as_deref(),
            &release,
            &common,
            out,
        ),
        Command::Diff { old, new, common } => plan::diff(&old, &new, &common, out),
        Command::Recommend { spec, common } => plan::recommend(&spec, &common, out),
        Command::Lint {
            spec,
            strict,
            allow,
            common,
        } => plan::lint(&spec, strict, &allow, &common, out),
        Command::Overlaps {
            file,
            expected,
            max_listed,
            common,
        } => sets::overlaps(file.as_deref(), &expected, max_listed, &common, out),
        Command::Aggregate { file, common } => sets::aggregate(file.as_deref(), &common, out),
        Command::Exclude {
            parent,
            file,
            common,
        } => sets::exclude(&parent, file.as_deref(), &common, out),
        Command::Carve {
            pools,
            requests,
            pins,
            reserved,
            strategy,
            common,
        } => carve::carve(&pools, &requests, &pins, &reserved, &strategy, &common, out),
        Command::Import {
            files,
            from,
            toml,
            common,
        } => import::import(&files, from.as_deref(), toml, &common, out),
        Command::Verify { args, common } => crate::verify::run(&args, &common, out),
        Command::Schema { name, list } => schema::schema(name.as_deref(), list, out),
        Command::Completions { shell } => generate::completions(shell, out),
        Command::ManPages { dir } => generate::man_pages(&dir),
        Command::VerifyHelper { helper } => crate::verify::helper(helper, out),
    }
}

/// Writes a wire-format value as pretty JSON and a final newline.
pub(crate) fn write_json(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> Result<(), Failure> {
    // serde_json writes a few bytes at a time: through a buffer of a known type those
    // writes are inlined copies, where through `dyn Write` each was a call (a fifth of the
    // time of a 10^6-allocation lock file).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    writeln!(buffered)?;
    buffered.flush()?;
    Ok(())
}

/// Splits `NAME=VALUE`, naming the flag in the error.
pub(crate) fn split_pair<'a>(flag: &str, text: &'a str) -> Result<(&'a str, &'a str), Failure> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
            Ok((name.trim(), value.trim()))
        }
        _ => Err(Failure::new(
            "invalid_input",
            format!("{flag} {text:?}: expected NAME=VALUE"),
        )),
    }
}
