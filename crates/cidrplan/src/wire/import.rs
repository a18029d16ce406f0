//! `import_allocations(format, text)`: one source in, a plan request fragment out.

use crate::error::Result;
use crate::import::{import, merge_owned, Format, Fragment};

/// Imports one text of `format` (a [`Format`] name, or `auto` to recognise the shape) and
/// returns its [`Fragment`]: `network.pools`, `network.allocations` (with origins),
/// `clusters` (kept clusters), `sources`, `ranges`, `skipped`, `overlaps`.
///
/// ```
/// let out = cidrplan::wire::import_allocations("ip-route", r#"[{"dst":"10.1.0.0/16","dev":"eth0"}]"#)?;
/// assert_eq!(out.network.allocations[0].cidr.to_string(), "10.1.0.0/16");
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn import_allocations(format: &str, text: &str) -> Result<Fragment> {
    let format = Format::parse_arg(format)?;
    let inventory = import(format, text, "")?;
    Ok(merge_owned(alloc::vec![inventory]))
}
