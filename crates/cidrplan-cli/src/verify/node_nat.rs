//! The mapped model's `node-nat` export: an nftables ruleset every node loads as it is.
//!
//! The replica loads each cluster's part unchanged on each of its nodes (`nft -f`), in
//! place of NAT rules of its own. For the property test and the report, the part's
//! prefix-NAT rules are also read here: `ip saddr S ip daddr D snat ip prefix to ip saddr
//! map { A : B }` and `ip daddr D dnat ip prefix to ip daddr map { A : B }` (`S` and `D` a
//! CIDR or an anonymous set, `!=` allowed), so [`NodeNat::snat`] and [`NodeNat::dnat`]
//! say where a packet's address goes. Rules of any other shape are loaded, not evaluated.

use cidrplan::{Family, Prefix};

use super::cni::Invalid;
use super::exports::Part;

/// An address match: inside (or, negated, outside) a list of prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Match {
    negated: bool,
    prefixes: Vec<Prefix>,
}

impl Match {
    fn holds(&self, addr: &Prefix) -> bool {
        self.prefixes.iter().any(|p| p.contains(addr)) != self.negated
    }
}

/// One prefix-NAT rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    saddr: Option<Match>,
    daddr: Option<Match>,
    /// `map { from : to }` pairs.
    map: Vec<(Prefix, Prefix)>,
}

impl Rule {
    fn applies(&self, src: &Prefix, dst: &Prefix) -> bool {
        self.saddr.as_ref().is_none_or(|m| m.holds(src))
            && self.daddr.as_ref().is_none_or(|m| m.holds(dst))
    }
}

/// A cluster's node-nat ruleset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeNat {
    /// The ruleset as the export gives it (what each node loads).
    pub(crate) ruleset: String,
    snat: Vec<Rule>,
    dnat: Vec<Rule>,
}

impl NodeNat {
    /// Reads a node-nat part.
    pub(crate) fn parse(part: &Part) -> Result<NodeNat, Invalid> {
        let ruleset: String = part
            .text
            .lines()
            .filter(|l| l.trim() != "---")
            .map(|l| format!("{l}\n"))
            .collect();
        let mut snat = Vec::new();
        let mut dnat = Vec::new();
        for line in ruleset.lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            if line.contains(" snat ip prefix to ip saddr map ") {
                snat.push(rule(line)?);
            } else if line.contains(" dnat ip prefix to ip daddr map ") {
                dnat.push(rule(line)?);
            }
        }
        Ok(NodeNat {
            ruleset,
            snat,
            dnat,
        })
    }

    /// Whether the part loads anything (a cluster whose model maps nothing gets comments).
    pub(crate) fn is_empty(&self) -> bool {
        !self
            .ruleset
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    }

    /// The address a packet from `src` to `dst` leaves with, when a prefix SNAT rule
    /// translates it (the first rule that applies, as nftables' NAT takes it).
    pub(crate) fn snat(&self, src: &Prefix, dst: &Prefix) -> Option<Prefix> {
        let rule = self.snat.iter().find(|r| r.applies(src, dst))?;
        translate(&rule.map, src)
    }

    /// The address a packet to `dst` is delivered to, when a prefix DNAT rule translates
    /// it.
    pub(crate) fn dnat(&self, src: &Prefix, dst: &Prefix) -> Option<Prefix> {
        let rule = self.dnat.iter().find(|r| r.applies(src, dst))?;
        translate(&rule.map, dst)
    }
}

/// `addr` moved from the map entry holding it to the same offset in its target.
fn translate(map: &[(Prefix, Prefix)], addr: &Prefix) -> Option<Prefix> {
    let (from, to) = map.iter().find(|(from, _)| from.contains(addr))?;
    let offset = addr.first() - from.first();
    if to.len() != from.len() || to.family() != addr.family() {
        return None;
    }
    Prefix::new(addr.family(), to.first() + offset, addr.len()).ok()
}

/// Reads one rule line's `ip saddr`, `ip daddr` and `map { A : B, ... }`.
fn rule(line: &str) -> Result<Rule, Invalid> {
    let bad = |why: &str| Invalid(format!("node-nat rule {line:?}: {why}"));
    let tokens = tokenize(line);
    let mut rule = Rule {
        saddr: None,
        daddr: None,
        map: Vec::new(),
    };
    let mut i = 0;
    while i < tokens.len() {
        match (
            tokens.get(i).map(String::as_str),
            tokens.get(i + 1).map(String::as_str),
        ) {
            (Some("ip"), Some(word @ ("saddr" | "daddr")))
                if tokens.get(i.wrapping_sub(1)).map(String::as_str) != Some("to") =>
            {
                let mut j = i + 2;
                let negated = tokens.get(j).map(String::as_str) == Some("!=");
                if negated {
                    j += 1;
                }
                let (prefixes, next) =
                    addresses(&tokens, j).ok_or_else(|| bad("an address match"))?;
                let m = Match { negated, prefixes };
                if word == "saddr" {
                    rule.saddr = Some(m);
                } else {
                    rule.daddr = Some(m);
                }
                i = next;
            }
            (Some("map"), Some("{")) => {
                let mut j = i + 2;
                while tokens.get(j).map(String::as_str) != Some("}") {
                    let from = prefix(tokens.get(j)).ok_or_else(|| bad("a map key"))?;
                    if tokens.get(j + 1).map(String::as_str) != Some(":") {
                        return Err(bad("a map entry without ':'"));
                    }
                    let to = prefix(tokens.get(j + 2)).ok_or_else(|| bad("a map value"))?;
                    rule.map.push((from, to));
                    j += 3;
                    if tokens.get(j).map(String::as_str) == Some(",") {
                        j += 1;
                    }
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    if rule.map.is_empty() {
        return Err(bad("no map"));
    }
    Ok(rule)
}

fn prefix(token: Option<&String>) -> Option<Prefix> {
    let p = Prefix::parse(token?).ok()?;
    (p.family() == Family::V4).then_some(p)
}

/// A CIDR or `{ A, B }` at `tokens[j]`; the prefixes and the index after them.
fn addresses(tokens: &[String], j: usize) -> Option<(Vec<Prefix>, usize)> {
    if tokens.get(j).map(String::as_str) != Some("{") {
        return Some((vec![prefix(tokens.get(j))?], j + 1));
    }
    let mut out = Vec::new();
    let mut k = j + 1;
    loop {
        match tokens.get(k).map(String::as_str) {
            Some("}") => return Some((out, k + 1)),
            Some(",") => k += 1,
            Some(_) => {
                out.push(prefix(tokens.get(k))?);
                k += 1;
            }
            None => return None,
        }
    }
}

/// Words, with `{`, `}`, `,` and `:` (outside IPv6 addresses: followed by a space) apart.
fn tokenize(line: &str) -> Vec<String> {
    let spaced = line
        .replace('{', " { ")
        .replace('}', " } ")
        .replace(',', " , ")
        .replace(": ", " : ");
    spaced.split_whitespace().map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPED: &str = "# load on every node\n#   node 0: 10.0.0.0/24 <-> 10.2.0.0/24\ntable ip cidrplan_mapped {\n  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n    ip daddr 10.2.0.0/16 dnat ip prefix to ip daddr map { 10.2.0.0/16 : 10.0.0.0/16 }\n  }\n  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n    ip saddr 10.0.0.0/16 ip daddr { 10.1.0.0/16, 10.3.0.0/16 } snat ip prefix to ip saddr map { 10.0.0.0/16 : 10.2.0.0/16 }\n  }\n}\n";

    fn p(text: &str) -> Prefix {
        Prefix::parse(text).unwrap()
    }

    #[test]
    fn prefix_nat_is_read_offset_for_offset() {
        let nat = NodeNat::parse(&Part {
            cluster: "c".into(),
            text: MAPPED.into(),
        })
        .unwrap();
        assert!(!nat.is_empty());
        assert_eq!(
            nat.snat(&p("10.0.1.2"), &p("10.1.0.9")),
            Some(p("10.2.1.2"))
        );
        assert_eq!(
            nat.snat(&p("10.0.1.2"), &p("10.3.255.1")),
            Some(p("10.2.1.2"))
        );
        assert_eq!(nat.snat(&p("10.0.1.2"), &p("203.0.113.80")), None);
        assert_eq!(nat.snat(&p("10.9.1.2"), &p("10.1.0.9")), None);
        assert_eq!(
            nat.dnat(&p("10.1.0.9"), &p("10.2.1.2")),
            Some(p("10.0.1.2"))
        );
        assert_eq!(nat.dnat(&p("10.1.0.9"), &p("10.1.1.2")), None);
        let empty = NodeNat::parse(&Part {
            cluster: "c".into(),
            text: "# no 1:1 mapping\n".into(),
        })
        .unwrap();
        assert!(empty.is_empty());
    }
}
