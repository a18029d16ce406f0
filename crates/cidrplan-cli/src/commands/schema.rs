//! `schema`: the JSON Schemas the core derives for every wire input and output.

use std::io::Write;

use cidrplan::schema::{Direction, ALL};

use crate::failure::Failure;
use crate::Outcome;

/// Prints the schema `name`, or with `list` the name, direction and summary of each.
pub(crate) fn schema(
    name: Option<&str>,
    list: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    if list {
        let width = ALL.iter().map(|e| e.name.len()).max().unwrap_or(0);
        for entry in ALL {
            let direction = match entry.direction {
                Direction::Input => "input",
                Direction::Output => "output",
            };
            writeln!(
                out,
                "{:width$}  {direction:6}  {}",
                entry.name, entry.summary
            )?;
        }
        return Ok(Outcome::Clean);
    }
    // clap accepts only the names of `ALL`.
    let entry = name
        .and_then(cidrplan::schema::find)
        .ok_or_else(|| Failure::new("invalid_input", "no such schema (cidrplan schema --list)"))?;
    out.write_all(entry.text().as_bytes())?;
    Ok(Outcome::Clean)
}
