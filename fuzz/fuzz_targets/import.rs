//! The inventory importers (JSON shapes and NetBox's CSV reader): never panic; errors carry
//! a documented code; every range found is counted once in the merge; merging twice the
//! same inventories in reverse order gives the same fragment.
#![no_main]

use cidrplan::import::{import, merge, Format};
use cidrplan_fuzz::check_error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = Format::ALL
        .get(usize::from(selector) % (Format::ALL.len() + 1))
        .copied();
    match import(format, text, "fuzz") {
        Err(e) => check_error(&e),
        Ok(inv) => {
            let again =
                import(Some(inv.format), text, "fuzz").expect("a recognised shape reads again");
            assert_eq!(again, inv);
            let a = merge(&[inv.clone(), again.clone()]);
            let b = merge(&[again, inv.clone()]);
            assert_eq!(a.network, b.network);
            assert_eq!(a.ranges.len(), 2 * inv.ranges.len());
            for alloc in &a.network.allocations {
                assert!(inv.ranges.iter().any(|r| r.cidr == alloc.cidr));
            }
        }
    }
});
