#!/usr/bin/env python3
"""Check cidrplan's exports against the upstream tools' own schemas and rules.

    python tests/upstream/check_exports.py --format calico FILE     (FILE or - for stdin)

prints one line per check, ``PASS|FAIL|WARN|SKIP <check-id> <cluster/doc> <detail>``, then
the figures (documents checked, checks run, per check id), and exits 1 on any FAIL
(3 when the upstream data is missing, 2 on a usage error).

The upstream data is read, never copied, from ``../shared/upstream-schemas`` relative to the
repository root (or ``--schemas DIR`` / ``$CIDRPLAN_UPSTREAM_SCHEMAS``); its SOURCES.md says
where each file came from and RULES.md what each check id enforces. Importable: ``Checker``
and ``check_text(fmt, text)`` return lists of ``Result``.

Checks beyond RULES.md (each says where its rule comes from):

- ``<format>.parse``: the text parses as the tools read it (YAML as sigs.k8s.io/yaml reads
  it: a duplicate key is an error there, so it is one here; JSON for tfvars).
- ``kubeadm.kubelet`` [derived]: a KubeletConfiguration document next to the
  ClusterConfiguration (kubeadm reads ``kubelet.config.k8s.io/v1beta1`` from the same file)
  has ``maxPods`` as an int32 > 0. There is no KubeletConfiguration schema in ../shared, so
  only that field is checked.
- ``calico.overlap``: libcalico-go ``lib/clientv3/ippool.go`` ``validateAndSetDefaults``
  (projectcalico/calico): on create, "IPPool(x) CIDR overlaps with IPPool(y) CIDR" — the
  pools one cluster applies must not overlap one another. Not in ../shared; the rule was
  read in the upstream source (commit 3043e9094bfc99012d3597ce7a28401cb6f0c3ee).
- ``cilium.cluster-id`` [derived from values.yaml's comments]: ``cluster.id`` is 0 (no
  Cluster Mesh) or 1 to ``clustermesh.maxConnectedClusters`` (255 or 511).
- ``calico.name`` also requires the pool names within one cluster to be distinct (one
  object per name and kind in a cluster: a second apply would overwrite the first).
- ``cilium.declared-keys``: a key the schema does not declare but values.yaml documents in
  a commented-out block (e.g. ``ipMasqAgent.config``, which the chart renders into the
  agent's ip-masq-agent ConfigMap) is a WARN, not a FAIL: the schema cannot check it.
- ``node-nat.nft`` / ``node-nat.structure``: ``nft -c -f`` accepts the ruleset (SKIP with a
  notice when nft is missing or cannot run, even in a user+net namespace); one
  ``table ip`` per mapped cluster with ``snat``/``dnat ... ip prefix to`` rules whose
  prefixes parse. No upstream schema: nftables' own parser is the authority.
- ``policy.*``: Kubernetes ``networking.k8s.io/v1`` NetworkPolicy. **No upstream schema file
  in ../shared**: the structure is checked as documented by the API reference and
  ``pkg/apis/networking/validation/validation.go`` (ValidateNetworkPolicy): apiVersion/kind,
  metadata.name a DNS-1123 subdomain (namespace a DNS-1123 label), known fields with their
  types, ``spec.podSelector`` present and a valid LabelSelector, ``policyTypes`` a subset
  of Ingress/Egress without duplicates, each peer either ``ipBlock`` alone or pod/namespace
  selectors, ``ipBlock.cidr`` a CIDR and each ``except`` a strict subset of it in the same
  family, ports with a valid protocol and port.

CIDR parsing follows Go's strict parsers (``net.ParseCIDR`` / ``netip.ParsePrefix``: no
leading zeros, no zones); where upstream uses the sloppy parser (``netutils.ParseCIDRSloppy``:
kubeadm, kube-controller-manager, NetworkPolicy) leading zeros in IPv4 octets are accepted.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any, Callable, Iterable

import jsonschema
import yaml

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SCHEMAS = REPO.parent / "shared" / "upstream-schemas"

STATUSES = ("PASS", "FAIL", "WARN", "SKIP")

# The formats this checker knows. A format the CLI writes that is not here is reported by
# the test suite, so a new export cannot go unchecked.
FORMATS = ("kubeadm", "kcm-flags", "calico", "cilium", "ip-masq-agent", "tfvars", "node-nat", "policy")


@dataclasses.dataclass(frozen=True)
class Result:
    status: str  # PASS, FAIL, WARN or SKIP
    check: str  # check id
    where: str  # cluster/doc
    detail: str

    def line(self) -> str:
        return f"{self.status} {self.check} {self.where} {self.detail}"


class SchemasMissing(RuntimeError):
    pass


def schemas_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("CIDRPLAN_UPSTREAM_SCHEMAS")
    return Path(env) if env else DEFAULT_SCHEMAS


# --------------------------------------------------------------------------------------
# YAML as Kubernetes, kubeadm and Helm read it (sigs.k8s.io/yaml: duplicate keys are errors)


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    out: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=deep)
    return out


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass


# --------------------------------------------------------------------------------------
# Documents: YAML documents split at `---`, each cluster's headed by `# cluster "NAME" (...)`


@dataclasses.dataclass
class Doc:
    cluster: str
    model: str | None
    index: int  # 1-based within the cluster
    text: str
    line: int  # first line in the file (1-based)

    @property
    def where(self) -> str:
        return f"{show_name(self.cluster)}/{self.index}"


def show_name(name: str) -> str:
    """A cluster name as one token of the output line."""
    if name and re.fullmatch(r"[^\s\"\\]+", name) and name.isprintable():
        return name
    return json.dumps(name, ensure_ascii=False)


_HEADER = re.compile(r"^#\s*cluster\s+")


def parse_header(line: str) -> tuple[str, str | None] | None:
    """`# cluster "NAME" (flat model), ...` -> (NAME, model)."""
    m = _HEADER.match(line)
    if not m:
        return None
    rest = line[m.end():]
    try:
        name, end = json.JSONDecoder().raw_decode(rest)
    except ValueError:
        word = rest.split()[0] if rest.split() else ""
        name, end = word, len(word)
    if not isinstance(name, str):
        return None
    model = re.search(r"\((\w+) model", rest[end:])
    return name, (model.group(1) if model else None)


def split_yaml_documents(text: str) -> list[Doc]:
    docs: list[Doc] = []
    chunks: list[tuple[int, list[str]]] = [(1, [])]
    for n, line in enumerate(text.splitlines(keepends=True), 1):
        if re.fullmatch(r"---(\s.*)?\n?", line):
            chunks.append((n + 1, []))
        else:
            chunks[-1][1].append(line)
    cluster, model = "-", None
    per_cluster: Counter[str] = Counter()
    for start, lines in chunks:
        body = "".join(lines)
        if not body.strip():
            continue
        for line in lines:
            header = parse_header(line.strip())
            if header:
                cluster, model = header
                break
        per_cluster[cluster] += 1
        docs.append(Doc(cluster, model, per_cluster[cluster], body, start))
    return docs


# --------------------------------------------------------------------------------------
# Addresses as the Go parsers read them


class CidrError(ValueError):
    pass


_V4_SLOPPY = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.(\d+)$")


def parse_addr(text: str, sloppy: bool = False) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if not isinstance(text, str) or not text or "%" in text or text != text.strip():
        raise CidrError(f"invalid IP address {text!r}")
    if sloppy:
        m = _V4_SLOPPY.match(text)
        if m:
            text = ".".join(str(int(g, 10)) for g in m.groups())
    try:
        return ipaddress.ip_address(text)
    except ValueError as e:
        raise CidrError(f"invalid IP address {text!r}") from e


def parse_cidr(text: Any, sloppy: bool = False) -> tuple[Any, int, Any]:
    """(address, prefix length, network) of `text`, as Go's net.ParseCIDR (sloppy:
    netutils.ParseCIDRSloppy) reads it; raises CidrError."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise CidrError(f"invalid CIDR address: {text!r}")
    addr_text, bits = text.split("/")
    if not re.fullmatch(r"0|[1-9][0-9]{0,2}", bits):
        raise CidrError(f"invalid CIDR address: {text!r}")
    addr = parse_addr(addr_text, sloppy)
    plen = int(bits)
    if plen > addr.max_prefixlen:
        raise CidrError(f"invalid CIDR address: {text!r}")
    network = ipaddress.ip_network(f"{addr}/{plen}", strict=False)
    return addr, plen, network


def cidr_ok(text: Any, sloppy: bool = False) -> bool:
    try:
        parse_cidr(text, sloppy)
        return True
    except CidrError:
        return False


def range_size(network: Any) -> int:
    host_bits = network.max_prefixlen - network.prefixlen
    return 2**63 - 1 if host_bits >= 63 else 1 << host_bits


def parse_cidr_list(text: str, sloppy: bool = True) -> list[Any]:
    """netutils.ParseCIDRs(strings.Split(text, ",")): networks; raises CidrError."""
    return [parse_cidr(part, sloppy)[2] for part in text.split(",")]


def is_dual_stack(nets: list[Any]) -> bool:
    return {n.version for n in nets} == {4, 6}


# Go strconv parsing, as pflag does it


def go_parse_bool(text: str) -> bool:
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f"strconv.ParseBool: parsing {text!r}: invalid syntax")


_GO_INT = {
    16: re.compile(r"[0-9a-fA-F]+(_[0-9a-fA-F]+)*|(_[0-9a-fA-F]+)+"),
    8: re.compile(r"[0-7]+(_[0-7]+)*|(_[0-7]+)+"),
    2: re.compile(r"[01]+(_[01]+)*|(_[01]+)+"),
}


def go_parse_int(text: str, bits: int = 32) -> int:
    """strconv.ParseInt(text, 0, bits)."""
    err = ValueError(f"strconv.ParseInt: parsing {text!r}: invalid syntax")
    t, sign = text, 1
    if t[:1] in ("+", "-"):
        sign, t = (-1 if t[0] == "-" else 1), t[1:]
    if not t:
        raise err
    if len(t) > 1 and t[0] == "0":
        p = t[1].lower()
        base, digits = {"x": (16, t[2:]), "b": (2, t[2:]), "o": (8, t[2:])}.get(p, (8, t[1:]))
        if not digits or not _GO_INT[base].fullmatch(digits):
            raise err
        value = int(digits.replace("_", ""), base)
    else:
        if not re.fullmatch(r"[0-9]+", t):
            raise err
        value = int(t, 10)
    value *= sign
    if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        raise ValueError(f"strconv.ParseInt: parsing {text!r}: value out of range")
    return value


def plain_int(text: str) -> int | None:
    try:
        return go_atoi(text)
    except ValueError:
        return None


def go_atoi(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text, 10)


_GO_DURATION = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+|[+-]?0")


def go_duration_ok(text: Any) -> bool:
    return isinstance(text, str) and bool(_GO_DURATION.fullmatch(text))


# Kubernetes names

DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def dns1123_subdomain_errors(name: Any) -> list[str]:
    if not isinstance(name, str) or not name:
        return ["must be a non-empty string"]
    errs = []
    if len(name) > 253:
        errs.append(f"must be no more than 253 characters (has {len(name)})")
    if not DNS1123_SUBDOMAIN.fullmatch(name):
        errs.append("must consist of lower case alphanumeric characters, '-' or '.', and must "
                    "start and end with an alphanumeric character (DNS-1123 subdomain)")
    return errs


def dns1123_label_errors(name: Any) -> list[str]:
    if not isinstance(name, str) or not name:
        return ["must be a non-empty string"]
    errs = []
    if len(name) > 63:
        errs.append(f"must be no more than 63 characters (has {len(name)})")
    if not DNS1123_LABEL.fullmatch(name):
        errs.append("must be a DNS-1123 label")
    return errs


def schema_errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[str]:
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = ".".join(str(p) for p in err.absolute_path) or "(root)"
        out.append(f"{path}: {err.message}")
    return out


# --------------------------------------------------------------------------------------
# Calico CEL: the IPPool CRD's create-time x-kubernetes-validations, in Python.
# Kubernetes' CEL library (k8s.io/apiserver/pkg/cel/library: cidr(), ip()) parses with
# netip.ParsePrefix/ParseAddr and rejects IPv4-mapped IPv6 addresses and zones. `||` and
# `&&` are commutative in CEL: an error in one operand is absorbed when another decides.


class CelError(Exception):
    pass


class CelCidr:
    def __init__(self, text: Any):
        try:
            addr, plen, _ = parse_cidr(text)
        except CidrError as e:
            raise CelError(f"cidr({text!r}): {e}") from e
        if addr.version == 6 and addr.ipv4_mapped is not None:
            raise CelError(f"cidr({text!r}): IPv4-mapped IPv6 address is not allowed")
        self.addr, self.plen = addr, plen

    def ip(self) -> Any:
        return self.addr

    def masked(self) -> "CelCidr":
        net = ipaddress.ip_network(f"{self.addr}/{self.plen}", strict=False)
        return CelCidr(str(net))

    def prefix_length(self) -> int:
        return self.plen

    def contains_ip(self, ip: Any) -> bool:
        if isinstance(ip, str):
            try:
                ip = parse_addr(ip)
            except CidrError as e:
                raise CelError(str(e)) from e
        if ip.version != self.addr.version:
            return False
        return ip in ipaddress.ip_network(f"{self.addr}/{self.plen}", strict=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CelCidr) and (self.addr, self.plen) == (other.addr, other.plen)

    __hash__ = None  # type: ignore[assignment]


def family(ip: Any) -> int:
    return ip.version


def _eval(thunk: Callable[[], Any]) -> Any:
    try:
        return thunk()
    except CelError as e:
        return e
    except (KeyError, TypeError, AttributeError) as e:
        return CelError(f"evaluation error: {e!r}")


def cel_or(*thunks: Callable[[], Any]) -> bool:
    err = None
    for thunk in thunks:
        v = _eval(thunk)
        if isinstance(v, CelError):
            err = err or v
        elif v is True:
            return True
        elif v is not False:
            err = err or CelError(f"no such overload: {v!r} is not a bool")
    if err:
        raise err
    return False


def cel_and(*thunks: Callable[[], Any]) -> bool:
    err = None
    for thunk in thunks:
        v = _eval(thunk)
        if isinstance(v, CelError):
            err = err or v
        elif v is False:
            return False
        elif v is not True:
            err = err or CelError(f"no such overload: {v!r} is not a bool")
    if err:
        raise err
    return True


def cel_not(thunk: Callable[[], Any]) -> bool:
    v = thunk()
    if not isinstance(v, bool):
        raise CelError(f"no such overload: !{v!r}")
    return not v


def field(obj: dict, name: str) -> Any:
    if name not in obj:
        raise CelError(f"no such key: {name}")
    return obj[name]


def has(obj: dict, name: str) -> bool:
    return name in obj


def size(v: Any) -> int:
    if not isinstance(v, (str, list, dict)):
        raise CelError(f"no such overload: size({v!r})")
    return len(v)


def exists(items: Any, pred: Callable[[Any], bool]) -> bool:
    if not isinstance(items, list):
        raise CelError("no such overload: exists on a non-list")
    return any(pred(u) for u in items)


def ternary(cond: Callable[[], Any], yes: Callable[[], Any], no: Callable[[], Any]) -> Any:
    c = cond()
    if not isinstance(c, bool):
        raise CelError("ternary condition is not a bool")
    return yes() if c else no()


def _lb(s: dict) -> Callable[[], bool]:
    return lambda: cel_not(lambda: exists(field(s, "allowedUses"), lambda u: u == "LoadBalancer"))


# Keyed by (path of the object the rule sits on, the rule text with whitespace collapsed).
CEL_RULES: dict[tuple[str, str], Callable[[dict], bool]] = {
    ("spec", "!has(self.ipipMode) || !has(self.vxlanMode) || self.ipipMode == 'Never' || "
             "self.vxlanMode == 'Never' || size(self.ipipMode) == 0 || size(self.vxlanMode) == 0"):
        lambda s: cel_or(
            lambda: not has(s, "ipipMode"), lambda: not has(s, "vxlanMode"),
            lambda: field(s, "ipipMode") == "Never", lambda: field(s, "vxlanMode") == "Never",
            lambda: size(field(s, "ipipMode")) == 0, lambda: size(field(s, "vxlanMode")) == 0),
    ("spec", "!has(self.allowedUses) || !self.allowedUses.exists(u, u == 'LoadBalancer') || "
             "(!has(self.ipipMode) || size(self.ipipMode) == 0 || self.ipipMode == 'Never') && "
             "(!has(self.vxlanMode) || size(self.vxlanMode) == 0 || self.vxlanMode == 'Never')"):
        lambda s: cel_or(
            lambda: not has(s, "allowedUses"), _lb(s),
            lambda: cel_and(
                lambda: cel_or(lambda: not has(s, "ipipMode"), lambda: size(field(s, "ipipMode")) == 0,
                               lambda: field(s, "ipipMode") == "Never"),
                lambda: cel_or(lambda: not has(s, "vxlanMode"), lambda: size(field(s, "vxlanMode")) == 0,
                               lambda: field(s, "vxlanMode") == "Never"))),
    ("spec", "!has(self.allowedUses) || !self.allowedUses.exists(u, u == 'LoadBalancer') || "
             "!self.allowedUses.exists(u, u == 'Workload' || u == 'Tunnel')"):
        lambda s: cel_or(
            lambda: not has(s, "allowedUses"), _lb(s),
            lambda: cel_not(lambda: exists(field(s, "allowedUses"), lambda u: u in ("Workload", "Tunnel")))),
    ("spec", "cidr(self.cidr).ip().family() != 6 || !has(self.ipipMode) || "
             "self.ipipMode == 'Never' || size(self.ipipMode) == 0"):
        lambda s: cel_or(
            lambda: family(CelCidr(field(s, "cidr")).ip()) != 6, lambda: not has(s, "ipipMode"),
            lambda: field(s, "ipipMode") == "Never", lambda: size(field(s, "ipipMode")) == 0),
    ("spec", "!has(self.allowedUses) || !self.allowedUses.exists(u, u == 'LoadBalancer') || "
             "!has(self.disableBGPExport) || !self.disableBGPExport"):
        lambda s: cel_or(
            lambda: not has(s, "allowedUses"), _lb(s), lambda: not has(s, "disableBGPExport"),
            lambda: cel_not(lambda: field(s, "disableBGPExport"))),
    ("spec", "!has(self.allowedUses) || !self.allowedUses.exists(u, u == 'LoadBalancer') || "
             "self.nodeSelector == 'all()'"):
        lambda s: cel_or(
            lambda: not has(s, "allowedUses"), _lb(s), lambda: field(s, "nodeSelector") == "all()"),
    ("spec", "!has(self.allowedUses) || !self.allowedUses.exists(u, u == 'Tunnel') || "
             "!has(self.namespaceSelector) || size(self.namespaceSelector) == 0"):
        lambda s: cel_or(
            lambda: not has(s, "allowedUses"),
            lambda: cel_not(lambda: exists(field(s, "allowedUses"), lambda u: u == "Tunnel")),
            lambda: not has(s, "namespaceSelector"), lambda: size(field(s, "namespaceSelector")) == 0),
    ("spec", "!has(self.nodeSelector) || !self.nodeSelector.contains('global(')"):
        lambda s: cel_or(lambda: not has(s, "nodeSelector"),
                         lambda: "global(" not in _string(field(s, "nodeSelector"))),
    ("spec", "!has(self.namespaceSelector) || !self.namespaceSelector.contains('global(')"):
        lambda s: cel_or(lambda: not has(s, "namespaceSelector"),
                         lambda: "global(" not in _string(field(s, "namespaceSelector"))),
    ("spec", "cidr(self.cidr) == cidr(self.cidr).masked()"):
        lambda s: CelCidr(field(s, "cidr")) == CelCidr(field(s, "cidr")).masked(),
    ("spec", "!cidr('169.254.0.0/16').containsIP(cidr(self.cidr).ip()) && "
             "!cidr(self.cidr).containsIP('169.254.0.0')"):
        lambda s: cel_and(
            lambda: not CelCidr("169.254.0.0/16").contains_ip(CelCidr(field(s, "cidr")).ip()),
            lambda: not CelCidr(field(s, "cidr")).contains_ip("169.254.0.0")),
    ("spec", "!cidr('fe80::/10').containsIP(cidr(self.cidr).ip()) && "
             "!cidr(self.cidr).containsIP('fe80::')"):
        lambda s: cel_and(
            lambda: not CelCidr("fe80::/10").contains_ip(CelCidr(field(s, "cidr")).ip()),
            lambda: not CelCidr(field(s, "cidr")).contains_ip("fe80::")),
    ("spec", "!has(self.blockSize) || self.blockSize == 0 || (cidr(self.cidr).ip().family() == 4 ? "
             "self.blockSize >= 20 && self.blockSize <= 32 : self.blockSize >= 116 && self.blockSize <= 128)"):
        lambda s: cel_or(
            lambda: not has(s, "blockSize"), lambda: _int(field(s, "blockSize")) == 0,
            lambda: ternary(
                lambda: family(CelCidr(field(s, "cidr")).ip()) == 4,
                lambda: 20 <= _int(field(s, "blockSize")) <= 32,
                lambda: 116 <= _int(field(s, "blockSize")) <= 128)),
    ("spec", "(has(self.disabled) && self.disabled) || cidr(self.cidr).prefixLength() <= "
             "(has(self.blockSize) && self.blockSize != 0 ? self.blockSize : "
             "(cidr(self.cidr).ip().family() == 4 ? 26 : 122))"):
        lambda s: cel_or(
            lambda: cel_and(lambda: has(s, "disabled"), lambda: _bool(field(s, "disabled"))),
            lambda: CelCidr(field(s, "cidr")).prefix_length() <= ternary(
                lambda: cel_and(lambda: has(s, "blockSize"), lambda: _int(field(s, "blockSize")) != 0),
                lambda: _int(field(s, "blockSize")),
                lambda: ternary(lambda: family(CelCidr(field(s, "cidr")).ip()) == 4,
                                lambda: 26, lambda: 122))),
}


def _string(v: Any) -> str:
    if not isinstance(v, str):
        raise CelError(f"no such overload: {v!r} is not a string")
    return v


def _int(v: Any) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise CelError(f"no such overload: {v!r} is not an int")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise CelError(f"no such overload: {v!r} is not a bool")
    return v


def normalize_rule(rule: str) -> str:
    return " ".join(rule.split())


def crd_rules(schema: dict, path: str = "") -> list[tuple[str, dict]]:
    """Every x-kubernetes-validations entry of an openAPIV3Schema, with the path of the
    object it sits on (`spec`, `spec.cidr`, ...)."""
    out = [(path, rule) for rule in schema.get("x-kubernetes-validations", [])]
    for name, sub in (schema.get("properties") or {}).items():
        out += crd_rules(sub, f"{path}.{name}" if path else name)
    if isinstance(schema.get("items"), dict):
        out += crd_rules(schema["items"], f"{path}[]")
    return out


def is_transition_rule(rule: dict) -> bool:
    return "oldSelf" in rule.get("rule", "") and not rule.get("optionalOldSelf", False)


def crd_to_jsonschema(schema: Any) -> Any:
    """The openAPIV3Schema as the API server applies it with kubectl's strict field
    validation: unknown fields are rejected unless x-kubernetes-preserve-unknown-fields."""
    if isinstance(schema, list):
        return [crd_to_jsonschema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: crd_to_jsonschema(v) for k, v in schema.items()
           if not k.startswith("x-kubernetes-") and k not in ("description", "nullable")}
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if (schema.get("type") == "object" and "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def apply_crd_defaults(schema: dict, obj: Any) -> Any:
    """Structural defaulting: absent fields with a `default` take it, recursively."""
    if not isinstance(obj, dict) or not isinstance(schema, dict):
        return obj
    for name, sub in (schema.get("properties") or {}).items():
        if name not in obj and "default" in sub:
            obj[name] = copy.deepcopy(sub["default"])
        if name in obj:
            apply_crd_defaults(sub, obj[name])
    return obj


# --------------------------------------------------------------------------------------
# Helm: user values coalesced over the chart's values.yaml (chartutil.CoalesceTables)


def helm_coalesce(user: Any, defaults: Any) -> Any:
    """Maps merge key by key, the user's value wins otherwise (lists are replaced, not
    merged), and a null in the user's values deletes the chart's key."""
    if not isinstance(user, dict):
        return copy.deepcopy(user)
    out = {k: copy.deepcopy(v) for k, v in user.items()}
    if not isinstance(defaults, dict):
        return out
    for key, dv in defaults.items():
        if key not in out:
            out[key] = copy.deepcopy(dv)
        elif out[key] is None:
            del out[key]
        elif isinstance(out[key], dict) and isinstance(dv, dict):
            out[key] = helm_coalesce(out[key], dv)
    return out


def schema_declares(node: dict) -> tuple[dict, bool]:
    """(declared properties, open): the properties a schema node declares across its
    anyOf/oneOf/allOf branches, and whether it accepts any key (no properties at all,
    additionalProperties or patternProperties)."""
    props: dict = {}
    open_ = False
    branches = [node] + [b for k in ("anyOf", "oneOf", "allOf") for b in node.get(k, []) if isinstance(b, dict)]
    any_props = False
    for b in branches:
        if "properties" in b:
            any_props = True
            props.update(b["properties"])
        if b.get("additionalProperties") not in (None, False) or "patternProperties" in b:
            open_ = True
    if not any_props:
        open_ = True
    return props, open_


def values_comment_block(values_text: str, top_key: str) -> list[str]:
    lines = values_text.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if re.match(r"[A-Za-z_]", line):
            if inside:
                break
            inside = line.startswith(f"{top_key}:")
            continue
        if inside:
            out.append(line)
    return out


# --------------------------------------------------------------------------------------


class Checker:
    def __init__(self, schemas: str | os.PathLike[str] | None = None):
        self.dir = schemas_dir(schemas)
        if not (self.dir / "RULES.md").is_file():
            raise SchemasMissing(f"upstream schemas not found at {self.dir} (expected ../shared/upstream-schemas "
                                 "relative to the repository root; set --schemas or CIDRPLAN_UPSTREAM_SCHEMAS)")
        d = self.dir
        self.kubeadm_schema = json.loads((d / "kubeadm/v1beta4-clusterconfiguration.schema.json").read_text())
        self.kubeadm_validator = jsonschema.Draft7Validator(self.kubeadm_schema)
        self.kubeadm_consts = self.kubeadm_schema["x-validation-constants"]
        self.kcm_flags = json.loads((d / "kube-controller-manager/node-ipam-flags.json").read_text())["flags"]
        crd = load_yaml((d / "calico/projectcalico.org_ippools.yaml").read_text())
        self.set_calico_crd(crd)
        self.cilium_schema = json.loads((d / "cilium/values.schema.json").read_text())
        self.cilium_validator = jsonschema.validators.validator_for(self.cilium_schema)(self.cilium_schema)
        self.cilium_values_text = (d / "cilium/values.yaml").read_text()
        self.cilium_values = load_yaml(self.cilium_values_text)
        self.masq_schema = json.loads((d / "ip-masq-agent/config.schema.json").read_text())
        self.masq_validator = jsonschema.Draft7Validator(self.masq_schema)
        self.nft_status: tuple[str, list[str]] | None = None  # cached: how nft can run
        self.plan: dict | None = None

    def set_calico_crd(self, crd: dict) -> None:
        version = next(v for v in crd["spec"]["versions"] if v["name"] == "v3")
        self.calico_crd = crd
        self.calico_openapi = version["schema"]["openAPIV3Schema"]
        self.calico_schema = crd_to_jsonschema(self.calico_openapi)
        fc = jsonschema.FormatChecker()
        fc.checks("cidr", raises=CidrError)(lambda v: not isinstance(v, str) or bool(parse_cidr(v)))
        self.calico_validator = jsonschema.Draft7Validator(self.calico_schema, format_checker=fc)

    # ---- entry points

    def check_text(self, fmt: str, text: str, plan: dict | None = None) -> tuple[list[Result], int]:
        """(results, documents checked). `plan` (the CLI's `plan --json`), when given, says
        which clusters have an IPv4 range to map 1:1 (node-nat)."""
        self.plan = plan
        handler = {
            "kubeadm": self.check_kubeadm, "kcm-flags": self.check_kcm_flags, "calico": self.check_calico,
            "cilium": self.check_cilium, "ip-masq-agent": self.check_ip_masq_agent, "tfvars": self.check_tfvars,
            "node-nat": self.check_node_nat, "policy": self.check_policy,
        }.get(fmt)
        if handler is None:
            return [Result("FAIL", "format", "-", f"no checks for format {fmt!r} (known: {', '.join(FORMATS)})")], 0
        return handler(text)

    def _yaml_docs(self, fmt: str, text: str, out: list[Result], allow_empty: bool = False) -> list[tuple[Doc, Any]]:
        docs = []
        for doc in split_yaml_documents(text):
            try:
                obj = load_yaml(doc.text)
            except yaml.YAMLError as e:
                out.append(Result("FAIL", f"{fmt}.parse", doc.where, f"not YAML as Kubernetes reads it: {one_line(e)}"))
                continue
            if obj is None:
                continue
            docs.append((doc, obj))
        if not docs and not allow_empty and not any(r.status == "FAIL" for r in out):
            out.append(Result("FAIL", f"{fmt}.parse", "-", "no document"))
        return docs

    # ---- kubeadm

    def check_kubeadm(self, text: str) -> tuple[list[Result], int]:
        out: list[Result] = []
        docs = self._yaml_docs("kubeadm", text, out)
        known = {
            ("kubeadm.k8s.io/v1beta4", k) for k in
            ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "ResetConfiguration", "UpgradeConfiguration")
        } | {("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"),
             ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration")}
        per_cluster: Counter[str] = Counter()
        for doc, obj in docs:
            w = doc.where
            if not isinstance(obj, dict):
                out.append(Result("FAIL", "kubeadm.type", w, "document is not a mapping"))
                continue
            gvk = (obj.get("apiVersion"), obj.get("kind"))
            if gvk not in known:
                out.append(Result("FAIL", "kubeadm.type", w, f"apiVersion/kind {gvk[0]}/{gvk[1]} is not a kubeadm config document"))
                continue
            out.append(Result("PASS", "kubeadm.type", w, f"{gvk[0]} {gvk[1]}"))
            if gvk[1] == "ClusterConfiguration":
                per_cluster[doc.cluster] += 1
                out += self._kubeadm_cluster_configuration(w, obj)
            elif gvk[1] == "KubeletConfiguration":
                out += self._kubelet_configuration(w, obj)
        clusters = {doc.cluster for doc, _ in docs}
        for c in sorted(clusters):
            n = per_cluster[c]
            if n != 1:
                out.append(Result("FAIL", "kubeadm.type", show_name(c),
                                  f"{n} ClusterConfiguration documents for the cluster (kubeadm takes exactly one)"))
        return out, len(docs)

    def _kubelet_configuration(self, w: str, obj: dict) -> list[Result]:
        if "maxPods" not in obj:
            return [Result("PASS", "kubeadm.kubelet", w, "no maxPods (kubelet default 110)")]
        v = obj["maxPods"]
        if not isinstance(v, int) or isinstance(v, bool) or not 0 < v < 2**31:
            return [Result("FAIL", "kubeadm.kubelet", w, f"maxPods {v!r} is not a positive int32")]
        return [Result("PASS", "kubeadm.kubelet", w, f"maxPods {v} (only field checked: no KubeletConfiguration schema in ../shared)")]

    def _kubeadm_cluster_configuration(self, w: str, obj: dict) -> list[Result]:
        out: list[Result] = []
        errs = schema_errors(self.kubeadm_validator, obj)
        out.append(Result("FAIL", "kubeadm.fields", w, "; ".join(errs)) if errs
                   else Result("PASS", "kubeadm.fields", w, "fields and types of v1beta4 ClusterConfiguration"))
        c = self.kubeadm_consts
        net = obj.get("networking") if isinstance(obj.get("networking"), dict) else {}
        # SetDefaults_Networking (v1beta4 defaults.go): serviceSubnet defaults to 10.96.0.0/12.
        svc = net.get("serviceSubnet") or "10.96.0.0/12"
        pod = net.get("podSubnet") or ""
        cm = obj.get("controllerManager") if isinstance(obj.get("controllerManager"), dict) else {}
        cm_args = cm.get("extraArgs") if isinstance(cm.get("extraArgs"), list) else []
        cm_args = [a for a in cm_args if isinstance(a, dict)]

        def arg(name: str) -> str | None:  # GetArgValue(args, name, -1): the last one
            val = None
            for a in cm_args:
                if a.get("name") == name:
                    val = a.get("value")
            return val if isinstance(val, str) or val is None else str(val)

        # serviceSubnet
        errs = self._ip_net_from_string(svc, c["MinimumAddressesInServiceSubnet"])
        if not errs:
            for n in parse_cidr_list(svc):
                if n.max_prefixlen - n.prefixlen > c["MaximumBitsForServiceSubnet"]:
                    errs.append(f"{n}: specified service subnet is too large; for {n.max_prefixlen}-bit addresses, "
                                f"the mask must be >= {n.max_prefixlen - c['MaximumBitsForServiceSubnet']}")
        out.append(Result("FAIL", "kubeadm.serviceSubnet", w, "; ".join(errs)) if errs
                   else Result("PASS", "kubeadm.serviceSubnet", w, svc))
        # podSubnet
        if not pod:
            out.append(Result("PASS", "kubeadm.podSubnet", w, "no podSubnet (not validated)"))
        else:
            errs = self._ip_net_from_string(pod, c["MinimumAddressesInPodSubnet"])
            out.append(Result("FAIL", "kubeadm.podSubnet", w, "; ".join(errs)) if errs
                       else Result("PASS", "kubeadm.podSubnet", w, pod))
            if not errs:
                if arg("allocate-node-cidrs") == "false":
                    out.append(Result("PASS", "kubeadm.podSubnet-nodeMask", w, "allocate-node-cidrs=false: not validated"))
                else:
                    out.append(self._pod_subnet_node_mask(w, pod, arg))
        # extraArgs
        errs, notes = [], []
        for comp in ("apiServer", "controllerManager", "scheduler"):
            sect = obj.get(comp)
            args = sect.get("extraArgs") if isinstance(sect, dict) else None
            if isinstance(args, list):
                for i, a in enumerate(args):
                    if not isinstance(a, dict) or not a.get("name"):
                        errs.append(f"{comp}.extraArgs[{i}]: argument has no name")
        etcd_local = (obj.get("etcd") or {}).get("local") if isinstance(obj.get("etcd"), dict) else None
        if isinstance(etcd_local, dict) and isinstance(etcd_local.get("extraArgs"), list):
            for i, a in enumerate(etcd_local["extraArgs"]):
                if not isinstance(a, dict) or not a.get("name"):
                    errs.append(f"etcd.local.extraArgs[{i}]: argument has no name")
        for a in cm_args:
            name, value = a.get("name"), a.get("value")
            if not name:
                continue
            e = self._kcm_flag_value(str(name), value if isinstance(value, str) else "")
            if e:
                errs.append(f"controllerManager.extraArgs {name}: {e}")
            else:
                notes.append(f"{name}={value}")
        out.append(Result("FAIL", "kubeadm.extraArgs", w, "; ".join(errs)) if errs
                   else Result("PASS", "kubeadm.extraArgs", w, ", ".join(notes) or "none"))
        # the kube-controller-manager command kubeadm writes
        flags: "OrderedDict[str, str]" = OrderedDict()
        if pod:
            flags["allocate-node-cidrs"] = "true"
            flags["cluster-cidr"] = pod
            if svc:
                flags["service-cluster-ip-range"] = svc
        if obj.get("clusterName"):
            flags["cluster-name"] = str(obj["clusterName"])
        for a in cm_args:
            if a.get("name"):
                value = a.get("value")
                flags[str(a["name"])] = value if isinstance(value, str) else ("" if value is None else str(value))
        errs = [f"--{k}: {e}" for k, v in flags.items() if (e := self._kcm_flag_value(k, v))]
        if not errs:
            errs = self._kcm_startup(flags)
        out.append(Result("FAIL", "kubeadm.kcm-startup", w, "; ".join(errs)) if errs
                   else Result("PASS", "kubeadm.kcm-startup", w, " ".join(f"--{k}={v}" for k, v in flags.items())))
        return out

    @staticmethod
    def _ip_net_from_string(text: Any, min_addrs: int) -> list[str]:
        if not isinstance(text, str):
            return [f"{text!r} is not a string"]
        try:
            nets = parse_cidr_list(text)
        except CidrError:
            return [f"{text}: couldn't parse subnet"]
        errs = []
        if len(nets) > 2:
            errs.append(f"{text}: expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking")
        elif len(nets) == 2 and not is_dual_stack(nets):
            errs.append(f"{text}: expected one CIDR from each IP family for dual-stack networking")
        for n in nets:
            if range_size(n) < min_addrs:
                errs.append(f"{n}: subnet with {range_size(n)} address(es) is too small, the minimum is {min_addrs}")
        return errs

    def _pod_subnet_node_mask(self, w: str, pod: str, arg: Callable[[str], str | None]) -> Result:
        c = self.kubeadm_consts
        errs, notes, used = [], [], set()
        for n in parse_cidr_list(pod):
            v6 = n.version == 6
            mask_arg = c["nodeMaskArgs"]["ipv6" if v6 else "ipv4"]
            v = arg(mask_arg)
            if v:
                try:
                    node_mask = go_atoi(v)
                except ValueError as e:
                    errs.append(f"{n}: could not parse the value of the kube-controller-manager flag {mask_arg} as an integer: {e}")
                    continue
                src = mask_arg
            else:
                node_mask = c["defaultNodeMaskCIDRIPv6"] if v6 else c["defaultNodeMaskCIDRIPv4"]
                src = f"default (no {mask_arg}" + ("; node-cidr-mask-size is not read here)" if arg("node-cidr-mask-size") else ")")
            if n.prefixlen > node_mask:
                errs.append(f"{n}: the size of pod subnet with mask {n.prefixlen} is smaller than the size of node "
                            f"subnet with mask {node_mask} (node mask from {src})")
            elif node_mask - n.prefixlen > c["PodSubnetNodeMaskMaxDiff"]:
                errs.append(f"{n}: pod subnet mask ({n.prefixlen}) and node-mask ({node_mask}) difference is greater "
                            f"than {c['PodSubnetNodeMaskMaxDiff']}")
            else:
                notes.append(f"{n} node mask /{node_mask} ({src})")
                used.add(node_mask)
        if errs:
            return Result("FAIL", "kubeadm.podSubnet-nodeMask", w, "; ".join(errs))
        plain = arg("node-cidr-mask-size")
        if plain and not (arg(c["nodeMaskArgs"]["ipv4"]) or arg(c["nodeMaskArgs"]["ipv6"])) and used != {plain_int(plain)}:
            return Result("WARN", "kubeadm.podSubnet-nodeMask", w,
                          "; ".join(notes) + f"; kube-controller-manager will use node-cidr-mask-size={plain}, "
                          "which this validation never reads")
        return Result("PASS", "kubeadm.podSubnet-nodeMask", w, "; ".join(notes))

    # ---- kube-controller-manager

    def _kcm_flag_value(self, name: str, value: str | None) -> str | None:
        """Why pflag would reject `--name[=value]`, or None."""
        spec = self.kcm_flags.get(name)
        if spec is None:
            return "not a kube-controller-manager node-IPAM flag (node-ipam-flags.json)"
        t = spec["type"]
        if value is None:
            return None if t == "bool" else "flag needs an argument"
        try:
            if t == "bool":
                go_parse_bool(value)
            elif t == "int32":
                go_parse_int(value, 32)
        except ValueError as e:
            return f"invalid argument {value!r}: {e}"
        if name in ("cluster-cidr", "service-cluster-ip-range") and value.strip():
            try:
                parse_cidr_list(value)
            except CidrError as e:
                return f"invalid CIDR list {value!r}: {e}"
        return None

    def _kcm_startup(self, flags: dict[str, str | None]) -> list[str]:
        """NodeIPAMControllerOptions.Validate, startNodeIpamController, validateCIDRs,
        setNodeCIDRMaskSizes and NewCIDRSet; [] when kube-controller-manager starts."""
        errs = []
        svc = (flags.get("service-cluster-ip-range") or "").strip()
        svc_parts = [s for s in svc.split(",")] if svc else []
        if len(svc_parts) > 2:
            errs.append("--service-cluster-ip-range can not contain more than two entries")
        alloc = flags.get("allocate-node-cidrs", "false")
        if not go_parse_bool("true" if alloc is None else alloc):
            return errs  # node IPAM does not start
        try:
            cluster = parse_cidr_list(flags.get("cluster-cidr") or "")
        except CidrError as e:
            return errs + [f"--cluster-cidr: {e}"]
        if len(cluster) > 1 and not is_dual_stack(cluster):
            return errs + [f"len of ClusterCIDRs=={len(cluster)} and they are not configured as dual stack (at least one from each IPFamily"]
        if len(cluster) > 2:
            return errs + [f"len of clusters cidrs is:{len(cluster)} > more than max allowed of 2"]
        if len(svc_parts) == 2:
            try:
                nets = [parse_cidr(p, sloppy=True)[2] for p in svc_parts]
                if not is_dual_stack(nets):
                    errs.append("serviceCIDR and secondaryServiceCIDR are not dualstack (from different IPfamiles)")
            except CidrError:
                pass  # only logged by kube-controller-manager
        size = {k: go_parse_int(flags[k]) if flags.get(k) else 0
                for k in ("node-cidr-mask-size", "node-cidr-mask-size-ipv4", "node-cidr-mask-size-ipv6")}
        v4, v6 = 24, 64
        if len(cluster) > 1:
            if size["node-cidr-mask-size"]:
                return errs + ["usage of --node-cidr-mask-size is not allowed with dual-stack clusters"]
            v4 = size["node-cidr-mask-size-ipv4"] or v4
            v6 = size["node-cidr-mask-size-ipv6"] or v6
        elif size["node-cidr-mask-size"]:
            if size["node-cidr-mask-size-ipv4"] or size["node-cidr-mask-size-ipv6"]:
                return errs + ["usage of --node-cidr-mask-size-ipv4 and --node-cidr-mask-size-ipv6 is not allowed if "
                               "--node-cidr-mask-size is set"]
            v4 = v6 = size["node-cidr-mask-size"]
        else:
            single_v6 = cluster[0].version == 6
            if size["node-cidr-mask-size-ipv4"]:
                if single_v6:
                    return errs + ["usage of --node-cidr-mask-size-ipv4 is not allowed for a single-stack IPv6 cluster"]
                v4 = size["node-cidr-mask-size-ipv4"]
            if size["node-cidr-mask-size-ipv6"]:
                if not single_v6:
                    return errs + ["usage of --node-cidr-mask-size-ipv6 is not allowed for a single-stack IPv4 cluster"]
                v6 = size["node-cidr-mask-size-ipv6"]
        for n in cluster:
            mask = v6 if n.version == 6 else v4
            if n.version == 6 and mask - n.prefixlen > 16:
                errs.append(f"{n}: New CIDR set failed; the node CIDR size is too big (node mask /{mask} - cluster mask "
                            f"/{n.prefixlen} > 16)")
            if not n.prefixlen <= mask <= n.max_prefixlen:
                errs.append(f"{n}: node mask /{mask} is not between the cluster prefix /{n.prefixlen} and "
                            f"/{n.max_prefixlen} [derived]")
        return errs

    def check_kcm_flags(self, text: str) -> tuple[list[Result], int]:
        out: list[Result] = []
        blocks: list[tuple[str, list[tuple[int, str]]]] = []
        cluster = "-"
        for n, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#"):
                header = parse_header(line)
                if header:
                    cluster = header[0]
                    blocks.append((cluster, []))
                continue
            if not blocks:
                blocks.append((cluster, []))
            blocks[-1][1].append((n, line))
        for cluster, lines in blocks:
            w = show_name(cluster)
            flags: "OrderedDict[str, str | None]" = OrderedDict()
            name_errs, value_errs = [], []
            for n, line in lines:
                m = re.fullmatch(r"--([A-Za-z0-9][-A-Za-z0-9]*)(?:=(.*))?", line)
                if not m:
                    name_errs.append(f"line {n}: {line!r} is not a --flag[=value] line")
                    continue
                name, value = m.group(1), m.group(2)
                if name not in self.kcm_flags:
                    name_errs.append(f"--{name}: unknown flag (not in node-ipam-flags.json)")
                    continue
                e = self._kcm_flag_value(name, value)
                if e:
                    value_errs.append(f"--{name}: {e}")
                flags[name] = value
            out.append(Result("FAIL", "kcm.flag-names", w, "; ".join(name_errs)) if name_errs
                       else Result("PASS", "kcm.flag-names", w, " ".join(f"--{k}" for k in flags)))
            out.append(Result("FAIL", "kcm.values", w, "; ".join(value_errs)) if value_errs
                       else Result("PASS", "kcm.values", w, "every value parses"))
            if not value_errs:
                errs = self._kcm_startup(flags)
                out.append(Result("FAIL", "kcm.startup", w, "; ".join(errs)) if errs
                           else Result("PASS", "kcm.startup", w, "node IPAM starts"))
        if not blocks:
            out.append(Result("FAIL", "kcm-flags.parse", "-", "no flags"))
        return out, len(blocks)

    # ---- Calico

    def calico_cel_coverage(self) -> Result:
        rules = crd_rules(self.calico_openapi)
        create = [(p, normalize_rule(r["rule"])) for p, r in rules if not is_transition_rule(r)]
        transition = [(p, r["rule"]) for p, r in rules if is_transition_rule(r)]
        missing = [f"{p}: {r}" for p, r in create if (p, r) not in CEL_RULES]
        stale = [f"{p}: {r}" for p, r in CEL_RULES if (p, r) not in create]
        if missing:
            return Result("FAIL", "calico.cel-coverage", "-",
                          f"{len(missing)} create-time rule(s) of the CRD have no implementation: " + " | ".join(missing))
        detail = f"{len(create)} create-time rules implemented; {len(transition)} transition rules (updates only)"
        if stale:
            return Result("WARN", "calico.cel-coverage", "-", detail + "; implemented but not in the CRD: " + " | ".join(stale))
        return Result("PASS", "calico.cel-coverage", "-", detail)

    def check_calico_update(self, old_text: str, new_text: str) -> list[Result]:
        """Applying `new_text` over the pools `old_text` created: the CRD's transition rules
        (`self == oldSelf`, read from the CRD: today spec.cidr and spec.blockSize) hold for
        every pool both name, after the CRD's defaults."""
        fields = [p for p, r in crd_rules(self.calico_openapi) if is_transition_rule(r) and r["rule"].strip() == "self == oldSelf"]
        spec_schema = self.calico_openapi["properties"]["spec"]

        def pools(text: str) -> dict[str, dict]:
            out: dict[str, dict] = {}
            for doc in split_yaml_documents(text):
                obj = load_yaml(doc.text)
                if isinstance(obj, dict) and isinstance(obj.get("spec"), dict):
                    name = (obj.get("metadata") or {}).get("name")
                    out[name] = apply_crd_defaults(spec_schema, copy.deepcopy(obj["spec"]))
            return out

        def at(spec: dict, path: str) -> Any:
            value: Any = {"spec": spec}
            for key in path.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            return value

        old, new = pools(old_text), pools(new_text)
        out = []
        for name in sorted(set(old) & set(new), key=str):
            changed = [f"{f}: {at(old[name], f)} -> {at(new[name], f)}" for f in fields if at(old[name], f) != at(new[name], f)]
            out.append(Result("FAIL", "calico.update", show_name(name), "the CRD refuses the update: " + "; ".join(changed)) if changed
                       else Result("PASS", "calico.update", show_name(name), f"{', '.join(fields)} unchanged"))
        if not fields:
            out.append(Result("FAIL", "calico.update", "-", "the CRD has no self == oldSelf rule: the check reads nothing"))
        return out

    def _node_subnet_pods(self) -> set[str]:
        """Clusters of the plan whose pods take their addresses from the cloud's CNI (EKS VPC
        CNI with or without custom networking, flat Azure CNI): no export may give them IPAM
        of its own."""
        plan = self.plan or {}
        custom = ((plan.get("request") or {}).get("network") or {}).get("cni") == "custom_networking"
        return {c["name"] for c in plan.get("clusters", []) if c.get("pods_in_node_subnet") or custom}

    def check_calico(self, text: str) -> tuple[list[Result], int]:
        out: list[Result] = [self.calico_cel_coverage()]
        cloud_ipam = self._node_subnet_pods()
        every = bool(cloud_ipam) and cloud_ipam == {c["name"] for c in (self.plan or {}).get("clusters", [])}
        docs = self._yaml_docs("calico", text, out, allow_empty=every)
        for cluster in sorted(cloud_ipam):
            pools = [d for d, _ in docs if d.cluster == cluster]
            out.append(Result("FAIL", "calico.cloud-ipam", show_name(cluster), f"{len(pools)} IP pool(s) for a cluster whose pods take node-subnet addresses from the cloud's CNI")
                       if pools else Result("PASS", "calico.cloud-ipam", show_name(cluster), "no IP pool: the cloud's CNI assigns pod addresses"))
        spec_rules = [(p, r) for p, r in crd_rules(self.calico_openapi) if p == "spec" and not is_transition_rule(r)]
        pools_by_cluster: dict[str, list[tuple[str, str, Any]]] = {}
        for doc, obj in docs:
            w = doc.where
            if not isinstance(obj, dict):
                out.append(Result("FAIL", "calico.type", w, "document is not a mapping"))
                continue
            if (obj.get("apiVersion"), obj.get("kind")) != ("projectcalico.org/v3", "IPPool"):
                out.append(Result("FAIL", "calico.type", w, f"apiVersion/kind {obj.get('apiVersion')}/{obj.get('kind')}, "
                                                              "want projectcalico.org/v3 IPPool"))
                continue
            out.append(Result("PASS", "calico.type", w, "projectcalico.org/v3 IPPool"))
            errs = schema_errors(self.calico_validator, obj)
            out.append(Result("FAIL", "calico.crd-schema", w, "; ".join(errs)) if errs
                       else Result("PASS", "calico.crd-schema", w, "openAPIV3Schema, unknown fields rejected"))
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            name = meta.get("name")
            errs = []
            if not isinstance(name, str) or not name:
                errs.append("metadata.name is required")
            else:
                if len(name) > 253:
                    errs.append(f"name {name!r} longer than 253")
                if not DNS1123_SUBDOMAIN.fullmatch(name):
                    errs.append(f"name {name!r} does not match nameRegex")
            out.append(Result("FAIL", "calico.name", w, "; ".join(errs)) if errs
                       else Result("PASS", "calico.name", w, name))
            spec = obj.get("spec")
            if not isinstance(spec, dict):
                out.append(Result("FAIL", "calico.cel", w, "no spec"))
                continue
            defaulted = apply_crd_defaults(self.calico_openapi["properties"]["spec"], copy.deepcopy(spec))
            failed = []
            for _, rule in spec_rules:
                impl = CEL_RULES.get(("spec", normalize_rule(rule["rule"])))
                if impl is None:
                    continue  # reported by calico.cel-coverage
                try:
                    ok = impl(defaulted)
                except CelError as e:
                    failed.append(f"{rule['message']} (evaluation error: {e})")
                    continue
                if not ok:
                    failed.append(rule["message"])
            out.append(Result("FAIL", "calico.cel", w, "; ".join(failed)) if failed
                       else Result("PASS", "calico.cel", w, f"{len(spec_rules)} create-time rules hold after defaults"))
            try:
                net = parse_cidr(spec.get("cidr"))[2]
            except CidrError:
                net = None
            pools_by_cluster.setdefault(doc.cluster, []).append((w, str(name), net))
        for cluster, pools in pools_by_cluster.items():
            names = Counter(n for _, n, _ in pools)
            dup = [n for n, k in names.items() if k > 1]
            if dup:
                out.append(Result("FAIL", "calico.name", show_name(cluster),
                                  f"pool name(s) used twice in one cluster: {', '.join(dup)}"))
            overlaps = []
            for i, (wa, na, a) in enumerate(pools):
                for wb, nb, b in pools[i + 1:]:
                    if a is not None and b is not None and a.version == b.version and a.overlaps(b):
                        overlaps.append(f"IPPool({nb}) CIDR overlaps with IPPool({na}) CIDR {a}")
            out.append(Result("FAIL", "calico.overlap", show_name(cluster), "; ".join(overlaps)) if overlaps
                       else Result("PASS", "calico.overlap", show_name(cluster), f"{len(pools)} pool(s), none overlap"))
        return out, len(docs)

    # ---- Cilium

    def _possible_values(self, key: str) -> list[str] | None:
        lines = self.cilium_values_text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"{key}:"):
                values: list[str] = []
                j = i - 1
                while j >= 0 and lines[j].startswith("#"):
                    m = re.match(r"#\s+-\s+(.*?)\s*$", lines[j])
                    if m:
                        v = m.group(1)
                        values.append(json.loads(v) if v.startswith('"') else v)
                    elif "Possible values" in lines[j]:
                        return list(reversed(values))
                    j -= 1
        return None

    def check_cilium(self, text: str) -> tuple[list[Result], int]:
        out: list[Result] = []
        docs = self._yaml_docs("cilium", text, out)
        routing_modes = self._possible_values("routingMode")
        tunnel_protocols = self._possible_values("tunnelProtocol")
        for doc, obj in docs:
            w = doc.where
            if not isinstance(obj, dict):
                out.append(Result("FAIL", "cilium.schema", w, "values are not a mapping"))
                continue
            merged = helm_coalesce(obj, self.cilium_values)
            errs = schema_errors(self.cilium_validator, merged)
            out.append(Result("FAIL", "cilium.schema", w, "; ".join(errs)) if errs
                       else Result("PASS", "cilium.schema", w, "values.schema.json on the values merged over values.yaml"))
            out += self._cilium_declared(w, obj)
            out.append(self._cilium_cluster_name(w, merged))
            out.append(self._cilium_cluster_id(w, merged))
            out.append(self._cilium_chart_rules(w, merged, routing_modes, tunnel_protocols))
            out.append(self._cilium_cidrs(w, merged))
            if doc.cluster in self._node_subnet_pods():
                out.append(self._cilium_chained(w, merged))
            cni = (((self.plan or {}).get("request") or {}).get("network") or {}).get("cni")
            if cni in ("vpc_native", "overlay", "kubenet"):
                # The cloud gives each node its pod range: Cilium must read it, not allocate.
                mode = (merged.get("ipam") or {}).get("mode")
                out.append(Result("PASS", "cilium.cloud-node-ranges", w, "ipam kubernetes") if mode == "kubernetes"
                           else Result("FAIL", "cilium.cloud-node-ranges", w,
                                       f"ipam.mode {mode!r} with cni {cni}: want kubernetes (the cloud assigns node ranges)"))
        return out, len(docs)

    @staticmethod
    def _cilium_chained(w: str, merged: dict) -> Result:
        """A cluster whose pods take node-subnet addresses from the cloud's CNI: Cilium is
        chained to that CNI (Cilium's aws-cni / Azure CNI chaining guides), neither handing
        out addresses nor masquerading."""
        cni = merged.get("cni") or {}
        errs = []
        if cni.get("chainingMode") not in ("aws-cni", "generic-veth"):
            errs.append(f"cni.chainingMode {cni.get('chainingMode')!r}, want aws-cni or generic-veth")
        if merged.get("enableIPv4Masquerade") is not False:
            errs.append("enableIPv4Masquerade must be false (the cloud's CNI translates)")
        if merged.get("routingMode") != "native":
            errs.append(f"routingMode {merged.get('routingMode')!r}, want native")
        return (Result("FAIL", "cilium.chained", w, "; ".join(errs)) if errs
                else Result("PASS", "cilium.chained", w, f"chained ({cni.get('chainingMode')})"))

    def _cilium_declared(self, w: str, obj: dict) -> list[Result]:
        fails, warns = [], []

        def walk(value: Any, node: dict, path: list[str]) -> None:
            if not isinstance(value, dict):
                if isinstance(value, list) and isinstance(node.get("items"), dict):
                    for item in value:
                        if isinstance(item, dict):
                            walk(item, node["items"], path + ["[]"])
                return
            props, open_ = schema_declares(node)
            for key, sub in value.items():
                p = path + [str(key)]
                if key in props:
                    walk(sub, props[key], p)
                elif not open_:
                    undeclared = ".".join(p)
                    if self._documented_in_comment(p, len(path), sub):
                        warns.append(undeclared)
                    else:
                        fails.append(undeclared)

        walk(obj, self.cilium_schema, [])
        out = []
        if fails:
            out.append(Result("FAIL", "cilium.declared-keys", w,
                              "not declared in values.schema.json (Helm ignores them): " + ", ".join(fails)))
        if warns:
            out.append(Result("WARN", "cilium.declared-keys", w,
                              "not declared in values.schema.json, documented only in a values.yaml comment (the chart "
                              "reads it; the schema cannot check it): " + ", ".join(warns)))
        if not out:
            out.append(Result("PASS", "cilium.declared-keys", w, "every key is declared"))
        return out

    def _documented_in_comment(self, path: list[str], first_undeclared: int, value: Any) -> bool:
        """Whether values.yaml shows the undeclared part of `path` (and every key below it)
        in a commented-out block under its top-level key."""
        block = values_comment_block(self.cilium_values_text, path[0])
        commented = [m.group(1) for line in block if (m := re.match(r"\s*#\s*([A-Za-z0-9_]+):", line))]
        wanted = path[first_undeclared:]

        def keys_below(v: Any) -> list[str]:
            if isinstance(v, dict):
                return [k for key, sub in v.items() for k in [str(key)] + keys_below(sub)]
            return []

        return all(k in commented for k in wanted + keys_below(value))

    @staticmethod
    def _cilium_cluster_name(w: str, merged: dict) -> Result:
        cluster = merged.get("cluster") if isinstance(merged.get("cluster"), dict) else {}
        name, cid = cluster.get("name"), cluster.get("id", 0)
        errs = []
        if not isinstance(name, str) or not name:
            errs.append("The cluster name must not be empty")
        else:
            if len(name) > 32:
                errs.append(f"The cluster name {name!r} must not exceed 32 characters (has {len(name)})")
            if not re.fullmatch(r"([a-z0-9][-a-z0-9]*)?[a-z0-9]", name):
                errs.append(f"The cluster name {name!r} is invalid: must consist of lower case alphanumeric characters "
                            "and '-', and must start and end with an alphanumeric character")
            if name == "default" and cid not in (0, None):
                errs.append(f"The cluster name must be set to a non-default value when cluster.id ({cid}) is not zero")
        return (Result("FAIL", "cilium.cluster-name", w, "; ".join(errs)) if errs
                else Result("PASS", "cilium.cluster-name", w, f"{name} (id {cid})"))

    @staticmethod
    def _cilium_cluster_id(w: str, merged: dict) -> Result:
        """[derived from values.yaml's comments] cluster.id is 0 (no Cluster Mesh) or 1 to
        clustermesh.maxConnectedClusters (255 or 511, "Supported values")."""
        cluster = merged.get("cluster") if isinstance(merged.get("cluster"), dict) else {}
        cid = cluster.get("id", 0)
        mesh = merged.get("clustermesh") if isinstance(merged.get("clustermesh"), dict) else {}
        limit = mesh.get("maxConnectedClusters", 255)
        errs = []
        if limit not in (255, 511):
            errs.append(f"clustermesh.maxConnectedClusters {limit!r} is not 255 or 511")
        if not isinstance(cid, int) or isinstance(cid, bool) or not 0 <= cid <= (limit if isinstance(limit, int) else 255):
            errs.append(f"cluster.id {cid!r} is not 0 or 1 to {limit}")
        return (Result("FAIL", "cilium.cluster-id", w, "; ".join(errs)) if errs
                else Result("PASS", "cilium.cluster-id", w, f"{cid} (0 or 1..{limit})"))

    @staticmethod
    def _cilium_chart_rules(w: str, v: dict, routing_modes: list[str] | None, tunnel_protocols: list[str] | None) -> Result:
        errs, notes = [], []
        rm, tp = v.get("routingMode", ""), v.get("tunnelProtocol", "")
        if routing_modes is None or tunnel_protocols is None:
            errs.append("could not read the possible values of routingMode/tunnelProtocol from values.yaml")
        else:
            if rm not in routing_modes:
                errs.append(f"routingMode {rm!r} is not one of {routing_modes}")
            if tp not in tunnel_protocols:
                errs.append(f"tunnelProtocol {tp!r} is not one of {tunnel_protocols}")
        ipam = (v.get("ipam") or {}).get("mode") if isinstance(v.get("ipam"), dict) else None
        masq_agent = bool((v.get("ipMasqAgent") or {}).get("enabled")) if isinstance(v.get("ipMasqAgent"), dict) else False
        from_pool = bool(v.get("nativeRoutingCIDRFromClusterPool"))
        for fam in ("4", "6"):
            enabled = bool((v.get(f"ipv{fam}") or {}).get("enabled")) if isinstance(v.get(f"ipv{fam}"), dict) else False
            masq = v.get(f"enableIPv{fam}Masquerade")
            if masq is None:
                masq = ipam != "eni"  # "`true` unless ipam eni mode is active"
            if (rm == "native" and enabled and masq and not masq_agent and ipam not in ("eni", "alibabacloud")
                    and not from_pool and not v.get(f"ipv{fam}NativeRoutingCIDR")):
                errs.append(f"routingMode native with IPv{fam} masquerading needs ipv{fam}NativeRoutingCIDR "
                            "(or nativeRoutingCIDRFromClusterPool / ipMasqAgent)")
            elif enabled:
                notes.append(f"IPv{fam} masquerade {bool(masq)}")
        return (Result("FAIL", "cilium.chart-rules", w, "; ".join(errs)) if errs
                else Result("PASS", "cilium.chart-rules", w, f"routingMode {rm or '(default tunnel)'}; " + ", ".join(notes)))

    @staticmethod
    def _cilium_cidrs(w: str, v: dict) -> Result:
        errs = []
        op = ((v.get("ipam") or {}).get("operator") or {}) if isinstance(v.get("ipam"), dict) else {}
        for fam, version, bits in (("4", 4, 32), ("6", 6, 128)):
            if not (isinstance(v.get(f"ipv{fam}"), dict) and v[f"ipv{fam}"].get("enabled")):
                continue
            pools = op.get(f"clusterPoolIPv{fam}PodCIDRList") or []
            if isinstance(pools, str):
                pools = [p for p in pools.split(",") if p]  # the schema allows a comma string
            mask = op.get(f"clusterPoolIPv{fam}MaskSize")
            for p in pools:
                try:
                    net = parse_cidr(p)[2]
                except CidrError as e:
                    errs.append(f"clusterPoolIPv{fam}PodCIDRList {p!r}: {e}")
                    continue
                if net.version != version:
                    errs.append(f"clusterPoolIPv{fam}PodCIDRList {p} is not IPv{fam}")
                elif isinstance(mask, int) and not net.prefixlen <= mask <= bits:
                    errs.append(f"clusterPoolIPv{fam}MaskSize {mask} is not between {p}'s /{net.prefixlen} and /{bits}")
            nr = v.get(f"ipv{fam}NativeRoutingCIDR")
            if nr:
                try:
                    if parse_cidr(nr)[2].version != version:
                        errs.append(f"ipv{fam}NativeRoutingCIDR {nr} is not IPv{fam}")
                except CidrError as e:
                    errs.append(f"ipv{fam}NativeRoutingCIDR {nr!r}: {e}")
        cfg = (v.get("ipMasqAgent") or {}).get("config") if isinstance(v.get("ipMasqAgent"), dict) else None
        if isinstance(cfg, dict):
            for c in cfg.get("nonMasqueradeCIDRs") or []:
                if not cidr_ok(c):
                    errs.append(f"ipMasqAgent.config.nonMasqueradeCIDRs {c!r} does not parse")
        return (Result("FAIL", "cilium.cidr-values", w, "; ".join(errs)) if errs
                else Result("PASS", "cilium.cidr-values", w, "pool and native-routing CIDRs parse, right family, mask fits"))

    # ---- ip-masq-agent

    def check_ip_masq_agent(self, text: str) -> tuple[list[Result], int]:
        out: list[Result] = []
        docs = self._yaml_docs("ip-masq-agent", text, out)
        cm = self.masq_schema["x-configmap"]
        for doc, obj in docs:
            w = doc.where
            errs = []
            if not isinstance(obj, dict):
                out.append(Result("FAIL", "ip-masq-agent.configmap", w, "document is not a mapping"))
                continue
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            data = obj.get("data")
            if (obj.get("apiVersion"), obj.get("kind")) != (cm["apiVersion"], cm["kind"]):
                errs.append(f"apiVersion/kind {obj.get('apiVersion')}/{obj.get('kind')}, want {cm['apiVersion']} {cm['kind']}")
            if (meta.get("namespace"), meta.get("name")) != (cm["namespace"], cm["name"]):
                errs.append(f"{meta.get('namespace')}/{meta.get('name')}, want {cm['namespace']}/{cm['name']} "
                            "(the name the upstream DaemonSet mounts)")
            if not isinstance(data, dict):
                errs.append("no data")
                data = {}
            for k, val in data.items():
                if not isinstance(val, str):
                    errs.append(f"data.{k} is not a string (ConfigMap data is map[string]string)")
            if not isinstance(data.get(cm["key"]), str):
                errs.append(f"no data.{cm['key']} (mounted at {cm['mountedAt']})")
            out.append(Result("FAIL", "ip-masq-agent.configmap", w, "; ".join(errs)) if errs
                       else Result("PASS", "ip-masq-agent.configmap", w, f"{cm['namespace']}/{cm['name']} data.{cm['key']}"))
            if isinstance(data.get(cm["key"]), str):
                out += self.check_masq_config(w, data[cm["key"]])
        return out, len(docs)

    def check_masq_config(self, w: str, text: str) -> list[Result]:
        out: list[Result] = []
        try:
            cfg = load_yaml(text)
        except yaml.YAMLError as e:
            return [Result("FAIL", "ip-masq-agent.fields", w, f"config is not YAML: {one_line(e)}")]
        if cfg is None:
            cfg = {}
        if not isinstance(cfg, dict):
            return [Result("FAIL", "ip-masq-agent.fields", w, "config is not a mapping")]
        # encoding/json matches keys case-insensitively: a case-only match takes effect.
        tags = list(self.masq_schema["properties"])
        folded, case_only = {}, []
        for k, val in cfg.items():
            exact = k if k in tags else next((t for t in tags if isinstance(k, str) and t.lower() == k.lower()), None)
            if exact and exact != k:
                case_only.append(f"{k} (read as {exact})")
            folded[exact or k] = val
        errs = schema_errors(self.masq_validator, folded)
        out.append(Result("FAIL", "ip-masq-agent.fields", w, "; ".join(errs)) if errs
                   else Result("PASS", "ip-masq-agent.fields", w, "MasqConfig json tags with their types"))
        if case_only:
            out.append(Result("WARN", "ip-masq-agent.key-case", w, "keys matched only case-insensitively: " + ", ".join(case_only)))
        defaults = self.masq_schema["x-defaults"]
        eff = {**defaults, **{k: v for k, v in folded.items() if k in tags}}
        cidrs = eff.get("nonMasqueradeCIDRs") or []
        limit = eff.get("cidrLimit")
        errs, v6 = [], []
        if isinstance(limit, int) and isinstance(cidrs, list) and len(cidrs) > limit:
            errs.append(f"The daemon can not accept more than {limit} CIDRs (has {len(cidrs)})")
        for c in cidrs if isinstance(cidrs, list) else []:
            try:
                addr, _, net = parse_cidr(c)
            except CidrError as e:
                errs.append(f"CIDR {c!r} could not be parsed, {e}")
                continue
            if addr != net.network_address:
                errs.append(f"CIDR {c!r} is not aligned to a CIDR block, ip: {addr} network: {net}")
            if net.version == 6:
                v6.append(str(c))
        if not go_duration_ok(eff.get("resyncInterval")):
            errs.append(f"resyncInterval {eff.get('resyncInterval')!r} is not a Go duration")
        out.append(Result("FAIL", "ip-masq-agent.validate", w, "; ".join(errs)) if errs
                   else Result("PASS", "ip-masq-agent.validate", w, f"{len(cidrs)} CIDR(s) <= cidrLimit {limit}, aligned"))
        out.append(Result("WARN", "ip-masq-agent.ipv6-flag", w,
                          f"IPv6 CIDR(s) {', '.join(v6)} need the agent's --enable-ipv6 (default false; not settable from the ConfigMap)")
                   if v6 else Result("PASS", "ip-masq-agent.ipv6-flag", w, "no IPv6 CIDR"))
        return out

    # ---- Terraform

    def check_tfvars(self, text: str) -> tuple[list[Result], int]:
        def no_dups(pairs: list[tuple[str, Any]]) -> dict:
            keys = [k for k, _ in pairs]
            dup = [k for k, n in Counter(keys).items() if n > 1]
            if dup:
                raise ValueError(f"duplicate key(s) {dup}")
            return dict(pairs)

        try:
            obj = json.loads(text, object_pairs_hook=no_dups)
        except ValueError as e:
            return [Result("FAIL", "tfvars.json", "-", f"not JSON (or duplicate keys): {one_line(e)}")], 1
        if not isinstance(obj, dict):
            return [Result("FAIL", "tfvars.json", "-", f"top level is a {type(obj).__name__}, a .tfvars.json file is an object")], 1
        return [Result("PASS", "tfvars.json", "-", f"JSON object with variables {', '.join(sorted(obj))}")], 1

    # ---- node-nat (nftables)

    def _nft_runner(self) -> tuple[str, list[str]]:
        """('ok', argv prefix) when `nft -c` can run, else ('skip', [reason])."""
        if self.nft_status is not None:
            return self.nft_status
        nft = shutil.which("nft")
        if not nft:
            self.nft_status = ("skip", ["nft is not installed"])
            return self.nft_status
        probe = "table ip cidrplan_probe {\n}\n"
        tries = [[nft, "-c", "-f"]]
        if shutil.which("unshare"):
            tries.append(["unshare", "-rn", nft, "-c", "-f"])
        reasons = []
        for argv in tries:
            with tempfile.NamedTemporaryFile("w", suffix=".nft", delete=False) as f:
                f.write(probe)
            try:
                p = subprocess.run(argv + [f.name], capture_output=True, text=True, timeout=20)
            except (OSError, subprocess.TimeoutExpired) as e:
                reasons.append(f"{' '.join(argv[:-2])}: {e}")
                continue
            finally:
                os.unlink(f.name)
            if p.returncode == 0:
                self.nft_status = ("ok", argv)
                return self.nft_status
            reasons.append(f"{' '.join(argv)}: {one_line(p.stderr)}")
        self.nft_status = ("skip", ["nft -c cannot run here: " + " | ".join(reasons)])
        return self.nft_status

    def _nft_check(self, text: str) -> tuple[str, str]:
        """('PASS'|'FAIL'|'SKIP', detail) of `nft -c -f` on `text`."""
        status, argv = self._nft_runner()
        if status != "ok":
            return "SKIP", argv[0]
        with tempfile.NamedTemporaryFile("w", suffix=".nft", delete=False) as f:
            f.write(text)
        try:
            p = subprocess.run(argv + [f.name], capture_output=True, text=True, timeout=60)
        finally:
            os.unlink(f.name)
        if p.returncode == 0:
            return "PASS", f"{' '.join(Path(a).name for a in argv[:-1])} accepts it"
        return "FAIL", f"nft -c rejects it: {one_line(p.stderr.replace(f.name, 'FILE'))}"

    def _maps_ipv4(self, cluster: str) -> bool | None:
        """Whether the plan maps the cluster's IPv4 pod range 1:1 (None: no plan given)."""
        if not self.plan:
            return None
        for c in self.plan.get("clusters", []):
            if c.get("name") == cluster:
                entries = c.get("datapath") or [c]
                return any(e.get("external_pod_cidr") for e in entries)
        return None

    def check_node_nat(self, text: str) -> tuple[list[Result], int]:
        """One section per cluster (what that cluster's nodes load): a mapped cluster's is one
        `table ip` with snat/dnat `ip prefix to` rules, and nft -c accepts it; any other
        cluster's section loads nothing."""
        out: list[Result] = []
        sections: list[tuple[str, str | None, list[str]]] = []
        for raw in text.splitlines():
            header = parse_header(raw.strip())
            if header:
                sections.append((header[0], header[1], []))
            elif sections:
                sections[-1][2].append(raw)
            elif raw.strip() and not raw.strip().startswith("#"):
                sections.append(("-", None, [raw]))
        notice_given = False
        for cluster, model, lines in sections:
            w = show_name(cluster)
            body = "\n".join(l.split("#", 1)[0] for l in lines)
            tables = re.findall(r"^\s*table\s+(\S+)\s+(\S+)", body, re.M)
            if model not in (None, "mapped"):
                out.append(Result("FAIL", "node-nat.structure", w, f"a {model} cluster's section loads {len(tables)} table(s)")
                           if body.strip() else
                           Result("PASS", "node-nat.structure", w, f"{model} cluster: nothing to load"))
                continue
            mapped = self._maps_ipv4(cluster)
            if not body.strip():
                if mapped is None:
                    out.append(Result("WARN", "node-nat.structure", w, "mapped cluster with nothing to load: right only "
                                      "for an IPv6-only cluster (pass the plan to know)"))
                elif mapped:
                    out.append(Result("FAIL", "node-nat.structure", w, "mapped cluster with an IPv4 mapping but no table"))
                else:
                    out.append(Result("PASS", "node-nat.structure", w, "mapped cluster without IPv4 mapping (IPv6 is "
                                      "unique): nothing to load"))
                continue
            if mapped is False:
                out.append(Result("FAIL", "node-nat.structure", w, "the plan maps nothing for this cluster, yet it loads rules"))
                continue
            status, detail = self._nft_check("\n".join(lines) + "\n")
            if status == "SKIP" and not notice_given:
                print(f"NOTICE: node-nat.nft skipped: {detail}", file=sys.stderr)
                notice_given = True
            out.append(Result(status, "node-nat.nft", w, detail))
            errs = []
            ip_tables = [t for t in tables if t[0] == "ip"]
            if len(ip_tables) != 1:
                errs.append(f"{len(ip_tables)} 'table ip' (want one per mapped cluster)")
            snat = re.findall(r"\bsnat\s+ip\s+prefix\s+to\s+(.+)", body)
            dnat = re.findall(r"\bdnat\s+ip\s+prefix\s+to\s+(.+)", body)
            if not snat:
                errs.append("no 'snat ip prefix to' rule")
            if not dnat:
                errs.append("no 'dnat ip prefix to' rule")
            for c in re.findall(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*/\d+", body):
                try:
                    if parse_cidr(c)[2].version != 4:
                        errs.append(f"{c} is not an IPv4 prefix (table ip)")
                except CidrError:
                    errs.append(f"{c} does not parse")
            out.append(Result("FAIL", "node-nat.structure", w, "; ".join(dict.fromkeys(errs))) if errs
                       else Result("PASS", "node-nat.structure", w,
                                   f"table ip {ip_tables[0][1]}: {len(snat)} snat, {len(dnat)} dnat prefix rule(s)"))
        if not sections:
            out.append(Result("FAIL", "node-nat.structure", "-", "no cluster section"))
        return out, len(sections)

    # ---- NetworkPolicy (no upstream schema in ../shared: documented structure)

    def check_policy(self, text: str) -> tuple[list[Result], int]:
        out: list[Result] = []
        docs = self._yaml_docs("policy", text, out, allow_empty=True)
        # [cidrplan's contract, docs/datapath.md; not an upstream rule] an isolated cluster's
        # edge is enforced by policies; other models apply none.
        models = {d.cluster: d.model for d in split_yaml_documents(text)}
        with_policy = {doc.cluster for doc, _ in docs}
        for cluster, model in models.items():
            if model == "isolated" and cluster not in with_policy:
                out.append(Result("FAIL", "policy.sections", show_name(cluster), "isolated cluster without a NetworkPolicy"))
            elif model not in (None, "isolated") and cluster in with_policy:
                out.append(Result("FAIL", "policy.sections", show_name(cluster), f"NetworkPolicy for a {model} cluster"))
            else:
                out.append(Result("PASS", "policy.sections", show_name(cluster),
                                  "policies present" if cluster in with_policy else f"{model} cluster: no policy"))
        for doc, obj in docs:
            w = doc.where
            if not isinstance(obj, dict):
                out.append(Result("FAIL", "policy.type", w, "document is not a mapping"))
                continue
            if (obj.get("apiVersion"), obj.get("kind")) != ("networking.k8s.io/v1", "NetworkPolicy"):
                out.append(Result("FAIL", "policy.type", w, f"apiVersion/kind {obj.get('apiVersion')}/{obj.get('kind')}, "
                                                              "want networking.k8s.io/v1 NetworkPolicy"))
                continue
            out.append(Result("PASS", "policy.type", w, "networking.k8s.io/v1 NetworkPolicy"))
            errs = schema_errors(POLICY_VALIDATOR, obj)
            out.append(Result("FAIL", "policy.fields", w, "; ".join(errs)) if errs
                       else Result("PASS", "policy.fields", w, "documented NetworkPolicy fields and types"))
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            errs = [f"metadata.name: {e}" for e in dns1123_subdomain_errors(meta.get("name"))]
            if "namespace" in meta:
                errs += [f"metadata.namespace: {e}" for e in dns1123_label_errors(meta.get("namespace"))]
            out.append(Result("FAIL", "policy.name", w, "; ".join(errs)) if errs
                       else Result("PASS", "policy.name", w, str(meta.get("name"))))
            spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
            out += self._policy_spec(w, spec)
        return out, len(docs)

    def _policy_spec(self, w: str, spec: dict) -> list[Result]:
        out = []
        errs = []
        if "podSelector" not in spec:
            errs.append("spec.podSelector is required ({} selects every pod)")
        else:
            errs += label_selector_errors(spec["podSelector"], "spec.podSelector")
        peers_errs: list[str] = []
        for direction, peer_key in (("ingress", "from"), ("egress", "to")):
            for i, rule in enumerate(spec.get(direction) or []):
                if not isinstance(rule, dict):
                    continue
                for j, peer in enumerate(rule.get(peer_key) or []):
                    p = f"spec.{direction}[{i}].{peer_key}[{j}]"
                    if not isinstance(peer, dict):
                        continue
                    kinds = [k for k in ("podSelector", "namespaceSelector", "ipBlock") if peer.get(k) is not None]
                    if not kinds:
                        peers_errs.append(f"{p}: must specify a peer")
                    if "ipBlock" in kinds and len(kinds) > 1:
                        peers_errs.append(f"{p}: may not specify both ipBlock and another peer")
                    for k in ("podSelector", "namespaceSelector"):
                        if peer.get(k) is not None:
                            errs += label_selector_errors(peer[k], f"{p}.{k}")
                    if isinstance(peer.get("ipBlock"), dict):
                        peers_errs += ip_block_errors(peer["ipBlock"], f"{p}.ipBlock")
                for j, port in enumerate(rule.get("ports") or []):
                    if isinstance(port, dict):
                        peers_errs += port_errors(port, f"spec.{direction}[{i}].ports[{j}]")
        out.append(Result("FAIL", "policy.selectors", w, "; ".join(errs)) if errs
                   else Result("PASS", "policy.selectors", w, "podSelector and peer selectors are valid label selectors"))
        types = spec.get("policyTypes")
        errs = []
        if types is not None:
            if not isinstance(types, list):
                errs.append("policyTypes is not a list")
            else:
                if len(types) > 2:
                    errs.append("may not specify more than two policyTypes")
                for t in types:
                    if t not in ("Ingress", "Egress"):
                        errs.append(f"policyTypes {t!r} is not Ingress or Egress")
                if len(set(map(str, types))) != len(types):
                    errs.append("policyTypes has duplicates")
        out.append(Result("FAIL", "policy.policyTypes", w, "; ".join(errs)) if errs
                   else Result("PASS", "policy.policyTypes", w, ",".join(types or []) or "(defaulted)"))
        n_blocks = sum(1 for d, k in (("ingress", "from"), ("egress", "to")) for r in (spec.get(d) or [])
                       if isinstance(r, dict) for p in (r.get(k) or []) if isinstance(p, dict) and "ipBlock" in p)
        out.append(Result("FAIL", "policy.peers", w, "; ".join(peers_errs)) if peers_errs
                   else Result("PASS", "policy.peers", w, f"{n_blocks} ipBlock(s) parse; peers and ports valid"))
        return out


# The documented structure of networking.k8s.io/v1 NetworkPolicy (k8s.io/api/networking/v1
# types.go json tags); hand-written because ../shared has no upstream schema for it.
_LABEL_SELECTOR = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "matchExpressions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["key", "operator"],
            "properties": {"key": {"type": "string"}, "operator": {"type": "string"},
                           "values": {"type": "array", "items": {"type": "string"}}}}},
    },
}
_PEER = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "podSelector": _LABEL_SELECTOR, "namespaceSelector": _LABEL_SELECTOR,
        "ipBlock": {"type": "object", "additionalProperties": False, "required": ["cidr"],
                    "properties": {"cidr": {"type": "string"}, "except": {"type": "array", "items": {"type": "string"}}}},
    },
}
_PORT = {
    "type": "object", "additionalProperties": False,
    "properties": {"protocol": {"type": "string"}, "port": {"type": ["integer", "string"]}, "endPort": {"type": "integer"}},
}
POLICY_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object", "additionalProperties": False, "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
        "metadata": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "namespace": {"type": "string"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "annotations": {"type": "object", "additionalProperties": {"type": "string"}}}},
        "spec": {
            "type": "object", "additionalProperties": False, "required": ["podSelector"],
            "properties": {
                "podSelector": _LABEL_SELECTOR,
                "policyTypes": {"type": "array", "items": {"type": "string"}},
                "ingress": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"from": {"type": "array", "items": _PEER}, "ports": {"type": "array", "items": _PORT}}}},
                "egress": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"to": {"type": "array", "items": _PEER}, "ports": {"type": "array", "items": _PORT}}}},
            },
        },
    },
}
POLICY_VALIDATOR = jsonschema.Draft7Validator(POLICY_SCHEMA)

_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


def label_key_errors(key: Any) -> list[str]:
    if not isinstance(key, str) or not key:
        return [f"label key {key!r} is empty"]
    prefix, _, name = key.rpartition("/")
    errs = []
    if key.count("/") > 1:
        return [f"label key {key!r}: a qualified name has at most one '/'"]
    if "/" in key:
        errs += [f"label key prefix {prefix!r}: {e}" for e in dns1123_subdomain_errors(prefix)]
    if not name or len(name) > 63 or not _QUALIFIED_NAME.fullmatch(name):
        errs.append(f"label key {key!r}: name part must be 63 characters or less, alphanumeric, '-', '_' or '.'")
    return errs


def label_selector_errors(sel: Any, path: str) -> list[str]:
    """metav1validation.ValidateLabelSelector."""
    if not isinstance(sel, dict):
        return [f"{path}: not a label selector"]
    errs = []
    for k, v in (sel.get("matchLabels") or {}).items():
        errs += [f"{path}.matchLabels: {e}" for e in label_key_errors(k)]
        if not isinstance(v, str) or len(v) > 63 or not _LABEL_VALUE.fullmatch(v):
            errs.append(f"{path}.matchLabels[{k}]: invalid label value {v!r}")
    for i, expr in enumerate(sel.get("matchExpressions") or []):
        if not isinstance(expr, dict):
            continue
        op, values = expr.get("operator"), expr.get("values") or []
        errs += [f"{path}.matchExpressions[{i}]: {e}" for e in label_key_errors(expr.get("key"))]
        if op in ("In", "NotIn"):
            if not values:
                errs.append(f"{path}.matchExpressions[{i}]: values must be non-empty for {op}")
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(f"{path}.matchExpressions[{i}]: values must be empty for {op}")
        else:
            errs.append(f"{path}.matchExpressions[{i}]: operator {op!r} is not In, NotIn, Exists or DoesNotExist")
    return errs


def ip_block_errors(block: dict, path: str) -> list[str]:
    """ValidateIPBlock: cidr required and a CIDR; each except a strict subset of it."""
    cidr = block.get("cidr")
    if not cidr:
        return [f"{path}.cidr: Required value"]
    try:
        _, _, net = parse_cidr(cidr, sloppy=True)
    except CidrError as e:
        return [f"{path}.cidr: {e}"]
    errs = []
    for i, ex in enumerate(block.get("except") or []):
        try:
            _, _, exn = parse_cidr(ex, sloppy=True)
        except CidrError as e:
            errs.append(f"{path}.except[{i}]: {e}")
            continue
        if exn.version != net.version or exn.network_address not in net or exn.prefixlen <= net.prefixlen:
            errs.append(f"{path}.except[{i}]: {ex} must be a strict subset of `cidr` {cidr}")
    return errs


def port_errors(port: dict, path: str) -> list[str]:
    errs = []
    proto = port.get("protocol", "TCP")
    if proto not in ("TCP", "UDP", "SCTP"):
        errs.append(f"{path}.protocol: {proto!r} is not TCP, UDP or SCTP")
    p = port.get("port")
    if isinstance(p, int) and not isinstance(p, bool):
        if not 1 <= p <= 65535:
            errs.append(f"{path}.port: {p} is not between 1 and 65535")
    elif isinstance(p, str):
        if not re.fullmatch(r"(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?", p) or len(p) > 15 or "--" in p:
            errs.append(f"{path}.port: {p!r} is not an IANA service name")
    if "endPort" in port:
        if not isinstance(p, int):
            errs.append(f"{path}.endPort: may not be specified without a numeric port")
        elif not isinstance(port["endPort"], int) or port["endPort"] < p or port["endPort"] > 65535:
            errs.append(f"{path}.endPort: must be >= port and <= 65535")
    return errs


def one_line(e: Any) -> str:
    return " ".join(str(e).split())


# --------------------------------------------------------------------------------------
# Figures and the command line


def figures(results: Iterable[Result], documents: int) -> list[str]:
    results = list(results)
    per: dict[str, Counter[str]] = {}
    for r in results:
        per.setdefault(r.check, Counter())[r.status] += 1
    lines = [f"documents checked: {documents}", f"checks run: {len(results)}"]
    for check in sorted(per):
        c = per[check]
        lines.append(f"  {check}: " + " ".join(f"{s}={c[s]}" for s in STATUSES if c[s]))
    totals = Counter(r.status for r in results)
    lines.append("totals: " + " ".join(f"{s}={totals[s]}" for s in STATUSES))
    return lines


class Tally:
    """Figures over many exports (the pytest suite keeps one for the session)."""

    def __init__(self) -> None:
        self.exports = 0
        self.documents = 0
        self.checks = 0
        self.per_check: dict[str, Counter[str]] = {}
        self.per_format: Counter[str] = Counter()
        self.failing: dict[str, list[str]] = {}  # check id -> first examples
        self.notices: list[str] = []

    def record(self, label: str, fmt: str, results: list[Result], documents: int) -> None:
        self.exports += 1
        self.documents += documents
        self.checks += len(results)
        self.per_format[fmt] += 1
        for r in results:
            self.per_check.setdefault(r.check, Counter())[r.status] += 1
            if r.status == "SKIP" and f"{r.check} skipped: {r.detail}" not in self.notices:
                self.notices.append(f"{r.check} skipped: {r.detail}")
            if r.status == "FAIL":
                bucket = self.failing.setdefault(r.check, [])
                if len(bucket) < 3:
                    bucket.append(f"{label} [{fmt}] {r.where}: {r.detail[:300]}")

    def as_json(self) -> dict[str, Any]:
        return {"exports": self.exports, "documents": self.documents, "checks": self.checks,
                "per_format": dict(self.per_format), "per_check": {k: dict(v) for k, v in self.per_check.items()},
                "failing": self.failing, "notices": self.notices}


TALLY = Tally()

_default_checker: Checker | None = None


def check_text(fmt: str, text: str, schemas: str | None = None, plan: dict | None = None) -> list[Result]:
    """The results of checking `text` (an export in format `fmt`)."""
    global _default_checker
    if schemas is not None:
        return Checker(schemas).check_text(fmt, text, plan)[0]
    if _default_checker is None:
        _default_checker = Checker()
    return _default_checker.check_text(fmt, text, plan)[0]


def detect_format(text: str) -> str | None:
    s = text.lstrip()
    if s.startswith("{"):
        return "tfvars"
    if re.search(r"^\s*--[a-z]", text, re.M):
        return "kcm-flags"
    if re.search(r"^\s*table\s+(ip|ip6|inet)\s", text, re.M):
        return "node-nat"
    for pattern, fmt in ((r"kind:\s*ClusterConfiguration", "kubeadm"), (r"kind:\s*IPPool", "calico"),
                         (r"kind:\s*NetworkPolicy", "policy"), (r"name:\s*ip-masq-agent", "ip-masq-agent"),
                         (r"^ipam:|^routingMode:|^cluster:", "cilium")):
        if re.search(pattern, text, re.M):
            return fmt
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", "-f", choices=FORMATS, help="the export format (guessed from the text when omitted)")
    ap.add_argument("--schemas", help=f"upstream schemas directory (default {DEFAULT_SCHEMAS})")
    ap.add_argument("--plan", help="the plan (`cidrplan plan --json`) the export was made from: says which clusters "
                                   "have an IPv4 range to map (node-nat)")
    ap.add_argument("--quiet", "-q", action="store_true", help="print only FAIL, WARN and SKIP lines and the figures")
    ap.add_argument("file", nargs="?", default="-", help="the export (default: stdin)")
    args = ap.parse_args(argv)
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    fmt = args.format or detect_format(text)
    if fmt is None:
        print("cannot tell the format; pass --format", file=sys.stderr)
        return 2
    try:
        checker = Checker(args.schemas)
    except SchemasMissing as e:
        print(f"SKIP: {e}", file=sys.stderr)
        print("=" * 78 + "\nNOTICE: upstream checks NOT RUN (no upstream data)\n" + "=" * 78, file=sys.stderr)
        return 3
    plan = json.loads(Path(args.plan).read_text(encoding="utf-8")) if args.plan else None
    results, docs = checker.check_text(fmt, text, plan)
    for r in results:
        if not args.quiet or r.status != "PASS":
            print(r.line())
    print("\n".join(figures(results, docs)))
    return 1 if any(r.status == "FAIL" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
