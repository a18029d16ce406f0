//! Linux routing tables: `ip -j route` and `ip -j -6 route` (any table). Unicast and
//! blackhole routes are ranges in use; default routes, the host's own local and
//! broadcast addresses, multicast, loopback and link-local routes are skipped with the
//! reason.

use alloc::format;
use alloc::string::String;

use super::json::Value;

use super::path::{cidr, quote, str_of, Path};
use super::{RangeKind, Sink};
use crate::error::Result;
use crate::prefix::{Family, Prefix};

/// Loopback and link-local space: every host has it, no network routes it.
fn host_only(p: &Prefix) -> Option<&'static str> {
    let within = |text: &str| Prefix::parse(text).is_ok_and(|q| q.contains(p));
    if within("127.0.0.0/8") || within("::1/128") {
        Some("loopback")
    } else if within("169.254.0.0/16") || within("fe80::/10") {
        Some("link-local")
    } else {
        None
    }
}

pub(crate) fn read(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let Value::Array(routes) = doc else {
        return Err(out.bad(
            root,
            format!("expected a list of routes, found {}", quote(doc)),
        ));
    };
    for (i, route) in routes.iter().enumerate() {
        let at = root.index(i);
        let Some(dst) = route.get("dst") else {
            return Err(out.bad(&at, "a route without a dst"));
        };
        let kind = str_of(route, "type").unwrap_or("unicast");
        if dst.as_str() == Some("default") {
            out.skip(&at, "default route");
            continue;
        }
        if !matches!(kind, "unicast" | "blackhole" | "unreachable" | "prohibit") {
            out.skip(&at, format!("{kind} route"));
            continue;
        }
        let p = cidr(dst, out.source, &at.key("dst"), true)?;
        if let Some(why) = host_only(&p) {
            out.skip(&at, format!("{why} route {p}"));
            continue;
        }
        let dev = str_of(route, "dev");
        let name = match (kind, str_of(route, "gateway"), dev) {
            ("unicast", Some(gw), Some(dev)) => format!("via {gw} dev {dev}"),
            ("unicast", Some(gw), None) => format!("via {gw}"),
            ("unicast", None, Some(dev)) => format!("dev {dev}"),
            (kind, _, _) => String::from(kind),
        };
        let table = str_of(route, "table").unwrap_or("main");
        let family = if p.family() == Family::V6 {
            "ipv6"
        } else {
            "ipv4"
        };
        let r = out.range(
            &at,
            name,
            p,
            RangeKind::Route,
            Some(&format!("{table} {family}")),
        );
        for key in ["dev", "gateway", "protocol", "table"] {
            if let Some(v) = str_of(route, key) {
                r.labels.insert(String::from(key), String::from(v));
            }
        }
    }
    Ok(())
}
