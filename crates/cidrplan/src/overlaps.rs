//! The overlap report: every pair of named prefixes that share an address.

use alloc::string::String;
use alloc::vec::Vec;

use crate::limits::DEFAULT_MAX_LISTED_OVERLAPS;
use crate::prefix::{host_mask, Family, Prefix};

/// A prefix with the name it is known by (a datacenter, a VPN, a cluster's pod range…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPrefix {
    /// The name.
    pub name: String,
    /// The prefix.
    pub prefix: Prefix,
}

impl NamedPrefix {
    /// Names a prefix.
    pub fn new(name: impl Into<String>, prefix: Prefix) -> Self {
        NamedPrefix {
            name: name.into(),
            prefix,
        }
    }
}

/// How the first prefix of an overlapping pair relates to the second.
///
/// Two CIDR prefixes that overlap always nest, so these three cases are all there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Relation {
    /// Both are the same prefix.
    Equal = 0,
    /// `a` contains `b`.
    Contains = 1,
    /// `a` lies within `b`.
    Within = 2,
}

impl Relation {
    /// `"equal"`, `"contains"` or `"within"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::Contains => "contains",
            Relation::Within => "within",
        }
    }
}

/// One overlapping pair, by input position (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Overlap {
    /// Index of the first prefix in the input.
    pub a: usize,
    /// Index of the second prefix in the input.
    pub b: usize,
    /// How `a` relates to `b`.
    pub relation: Relation,
}

/// Options of [`overlaps`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapOptions {
    /// Declared `(parent, child)` name pairs: a child inside its declared parent is expected
    /// (a subnet inside its site, say) and not reported.
    pub expected: Vec<(String, String)>,
    /// Most pairs listed; every pair is still counted in [`OverlapReport::total`].
    pub max_listed: usize,
}

impl Default for OverlapOptions {
    fn default() -> Self {
        OverlapOptions {
            expected: Vec::new(),
            max_listed: DEFAULT_MAX_LISTED_OVERLAPS,
        }
    }
}

/// The result of [`overlaps`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OverlapReport {
    /// The listed pairs in sweep order (see [`overlaps`]); when truncated, the first
    /// `max_listed` of that order.
    pub overlaps: Vec<Overlap>,
    /// Number of unexpected overlapping pairs, listed or not.
    pub total: u64,
    /// Number of pairs skipped because they were declared expected.
    pub expected: u64,
    /// Whether `total` exceeds what was listed.
    pub truncated: bool,
}

/// Every overlapping pair among `items`, in O(n log n + k).
///
/// Prefixes are sorted by address and swept with a stack of the prefixes that contain the
/// current one, so each pair is found once and no pair is compared that does not overlap.
/// IPv4 and IPv6 prefixes never overlap each other (IPv4-mapped IPv6 is IPv6).
///
/// **Order.** Pairs come in sweep order, as a routing table reads: by the contained
/// prefix, sorted like [`Prefix`] (IPv4 first, then by address, shorter first, ties by
/// input position), and for each one its containers from the outermost in. Listing in
/// input order instead would cost a sort of the k pairs, which O(n log n + k) leaves no
/// room for; each pair still names the earlier input item as `a`. A truncated report lists
/// the first `max_listed` pairs of this order.
///
/// ```
/// use cidrplan::{overlaps, NamedPrefix, OverlapOptions, Relation};
/// let items = [
///     NamedPrefix::new("network", "10.0.0.0/8".parse()?),
///     NamedPrefix::new("other", "10.128.1.1/32".parse()?),
///     NamedPrefix::new("vpn", "192.168.0.0/16".parse()?),
///     NamedPrefix::new("dc", "10.128.0.0/16".parse()?),
/// ];
/// let report = overlaps(&items, &OverlapOptions::default());
/// let found: Vec<_> = report.overlaps.iter().map(|o| (o.a, o.b, o.relation)).collect();
/// // 10.128.0.0/16 sorts before 10.128.1.1/32, so "dc" inside "network" comes first.
/// assert_eq!(found, [(0, 3, Relation::Contains), (0, 1, Relation::Contains), (1, 3, Relation::Within)]);
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn overlaps(items: &[NamedPrefix], options: &OverlapOptions) -> OverlapReport {
    // Declared pairs, sorted for binary search (duplicates are harmless).
    let mut expected: Vec<(&str, &str)> = options
        .expected
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    expected.sort();
    let mut sweep = Sweep {
        items,
        expected,
        max_listed: options.max_listed,
        // Most inputs list about as many pairs as they have items: reserving that much up
        // front (never more than the listing limit) saves the copies of a growing buffer.
        listed: Vec::with_capacity(items.len().min(options.max_listed)),
        report: OverlapReport::default(),
    };

    // Order: by first address, shorter prefix first, then input position. IPv4 entries
    // pack (first, len, index) into one u64 so the sort costs what an integer sort costs.
    // Entries that do not pack (IPv6, or IPv4 in a list too long for 24-bit positions)
    // sort as (first, len << 64 | index) pairs, one list per family.
    let packable = items.len() < (1 << INDEX_BITS);
    let mut v4_keys: Vec<u64> = Vec::new();
    let mut wide: [Vec<(u128, u128)>; 2] = [Vec::new(), Vec::new()];
    for (index, item) in items.iter().enumerate() {
        let p = item.prefix;
        if packable && p.family() == Family::V4 {
            v4_keys.push(
                ((p.first() as u64) << 32) | (u64::from(p.len()) << INDEX_BITS) | index as u64,
            );
        } else {
            let family = usize::from(p.family() == Family::V6);
            wide[family].push((p.first(), (u128::from(p.len()) << 64) | index as u128));
        }
    }
    crate::radix::sort_u64(&mut v4_keys);

    let mut stack: Vec<Entry> = Vec::new();
    for key in v4_keys {
        let index = (key & ((1 << INDEX_BITS) - 1)) as usize;
        let len = ((key >> INDEX_BITS) & 0xff) as u8;
        let first = u128::from((key >> 32) as u32);
        sweep.visit(
            &mut stack,
            Entry {
                first,
                last: first | host_mask(Family::V4, len),
                len,
                index,
            },
        );
    }
    for (family, mut keys) in [Family::V4, Family::V6].into_iter().zip(wide) {
        // IPv6 sorts after IPv4 and never overlaps it: the stack is cleared between them.
        stack.clear();
        // Keys are unique (they carry the index), so a stable sort orders them the same;
        // in the size-tuned wasm build it is a merge sort where the unstable one is a heapsort.
        keys.sort();
        for (first, rest) in keys {
            let len = (rest >> 64) as u8;
            sweep.visit(
                &mut stack,
                Entry {
                    first,
                    last: first | host_mask(family, len),
                    len,
                    index: rest as u64 as usize,
                },
            );
        }
    }
    sweep.finish()
}

/// Bits of a packed key that hold an input position.
const INDEX_BITS: u32 = 24;

/// One prefix during the sweep.
#[derive(Clone, Copy)]
struct Entry {
    first: u128,
    last: u128,
    len: u8,
    index: usize,
}

struct Sweep<'a> {
    items: &'a [NamedPrefix],
    /// Sorted.
    expected: Vec<(&'a str, &'a str)>,
    max_listed: usize,
    /// Listed pairs, in sweep order.
    listed: Vec<Overlap>,
    report: OverlapReport,
}

impl Sweep<'_> {
    fn visit(&mut self, stack: &mut Vec<Entry>, current: Entry) {
        while let Some(top) = stack.last() {
            if top.last >= current.first {
                break;
            }
            stack.pop();
        }
        // Every entry on the stack contains `current` (the stack is a chain of containment).
        if self.expected.is_empty() && self.listed_count() >= self.max_listed {
            self.report.total += stack.len() as u64;
        } else {
            for outer in stack.iter() {
                self.pair(outer, &current);
            }
        }
        stack.push(current);
    }

    fn pair(&mut self, outer: &Entry, inner: &Entry) {
        if !self.expected.is_empty() {
            let names = (
                self.items[outer.index].name.as_str(),
                self.items[inner.index].name.as_str(),
            );
            if self.expected.binary_search(&names).is_ok() {
                self.report.expected += 1;
                return;
            }
        }
        self.report.total += 1;
        if self.listed_count() >= self.max_listed {
            return;
        }
        let equal = outer.first == inner.first && outer.len == inner.len;
        let (a, b, relation) = match (equal, outer.index < inner.index) {
            (true, true) => (outer.index, inner.index, Relation::Equal),
            (true, false) => (inner.index, outer.index, Relation::Equal),
            (false, true) => (outer.index, inner.index, Relation::Contains),
            (false, false) => (inner.index, outer.index, Relation::Within),
        };
        self.listed.push(Overlap { a, b, relation });
    }

    fn listed_count(&self) -> usize {
        self.listed.len()
    }

    fn finish(mut self) -> OverlapReport {
        self.report.overlaps = self.listed;
        self.report.truncated = self.report.total > self.report.overlaps.len() as u64;
        self.report
    }
}
