//! `carve`.

use std::io::Write;

use cidrplan::wire::{self, CarveWireInput, NamedList, RequestEntry, SizeScalar};

use super::{split_pair, write_json};
use crate::cli::Common;
use crate::failure::Failure;
use crate::table::Table;
use crate::Outcome;

/// Builds the wire input from the flags, so the CLI and the libraries share one code path.
pub(crate) fn carve(
    pools: &[String],
    requests: &[String],
    pins: &[String],
    reserved: &[String],
    strategy: &str,
    common: &Common,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let mut entries = Vec::with_capacity(requests.len() + pins.len());
    for pin in pins {
        let (name, cidr) = split_pair("--pin", pin)?;
        entries.push(RequestEntry::Named {
            name: name.to_string(),
            size: None,
            pinned: Some(cidr.to_string()),
        });
    }
    for request in requests {
        let (name, size) = split_pair("--request", request)?;
        entries.push(RequestEntry::Named {
            name: name.to_string(),
            size: Some(SizeScalar::Text(size.to_string())),
            pinned: None,
        });
    }
    if entries.is_empty() {
        return Err(Failure::new(
            "invalid_input",
            "carve needs at least one --request NAME=SIZE or --pin NAME=CIDR",
        ));
    }
    let input = CarveWireInput {
        pools: pools.to_vec(),
        requests: NamedList(entries),
        reserved: reserved.to_vec(),
        strategy: strategy.to_string(),
        lenient: common.lenient,
    };
    let output = wire::carve(&input)?;
    if common.json {
        write_json(out, &output)?;
        return Ok(Outcome::Clean);
    }
    let mut table = Table::new(&["NAME", "CIDR", "ADDRESSES"]);
    for a in &output.allocations {
        table.row(vec![
            a.name.clone(),
            a.cidr.clone(),
            a.addresses.to_string(),
        ]);
    }
    table.write(out)?;
    writeln!(out)?;
    let mut pools = Table::new(&["POOL", "FREE", "LARGEST FREE"]);
    for p in &output.pools {
        pools.row(vec![
            p.pool.clone(),
            p.free.to_string(),
            p.largest_free.clone().unwrap_or_else(|| "-".to_string()),
        ]);
    }
    pools.write(out)?;
    writeln!(
        out,
        "\nstrategy {}; free {}; lost to rounding {}; lost to alignment {}",
        output.strategy, output.free_total, output.lost_to_rounding, output.lost_to_alignment
    )?;
    Ok(Outcome::Clean)
}
