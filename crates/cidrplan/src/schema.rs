//! JSON Schema of every wire input and output (feature `schema`).
//!
//! The schemas are derived by schemars from the same types, doc comments and serde
//! attributes as the wire format itself, so a field added to a type shows up here, in the
//! committed `schemas/*.json`, in the npm package's TypeScript declarations and in the
//! Python package's schemas without being written down again. Inputs are described as they
//! are read (defaults make a field optional), outputs as they are written.
//!
//! The few types whose serde code is written by hand (a prefix and an address count written
//! as strings, the lists that arrive as a mapping or as a list) describe their shapes below.

use alloc::borrow::Cow;
use alloc::string::String;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::count::AddrCount;
use crate::prefix::Prefix;
use crate::wire::{ItemEntry, NamedList, RequestEntry, SizeScalar, SizeValue};

/// Whether a schema describes what the surfaces read or what they write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// An input: what `plan`, `carve`, ... accept.
    Input,
    /// An output: what they return.
    Output,
}

/// One published schema: its name (`cidrplan schema NAME`, `schemas/NAME.json`), what it
/// describes and how it is made.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The schema's name, also its file name without `.json`.
    pub name: &'static str,
    /// One line saying what it describes.
    pub summary: &'static str,
    /// Input or output.
    pub direction: Direction,
    generate: fn(&mut SchemaGenerator) -> Schema,
}

fn root<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.root_schema_for::<T>()
}

/// Every published schema, in a stable order.
pub const ALL: &[Entry] = &[
    Entry {
        name: "plan-request",
        summary: "the spec of plan, recommend and export (network, clusters, requirements, model)",
        direction: Direction::Input,
        generate: root::<crate::k8s::PlanRequest>,
    },
    Entry {
        name: "plan",
        summary: "the result of plan: every range, reachability, holes, warnings, headroom",
        direction: Direction::Output,
        generate: root::<crate::k8s::Plan>,
    },
    Entry {
        name: "recommendation",
        summary: "the result of recommend: the models ranked, each with its reasons",
        direction: Direction::Output,
        generate: root::<crate::k8s::Recommendation>,
    },
    Entry {
        name: "previous-plan",
        summary: "a plan read back as the lock file of a fleet (plan's previous, diff's inputs)",
        direction: Direction::Input,
        generate: root::<crate::k8s::PreviousPlan>,
    },
    Entry {
        name: "plan-diff",
        summary: "the result of diff: what changed from one plan to the next",
        direction: Direction::Output,
        generate: root::<crate::k8s::PlanDiff>,
    },
    Entry {
        name: "sizing-request",
        summary: "the input of sizing: one cluster's sizes, without a network",
        direction: Direction::Input,
        generate: root::<crate::k8s::SizingRequest>,
    },
    Entry {
        name: "sizing",
        summary: "the result of sizing: per-node mask, pod, service and node-subnet lengths",
        direction: Direction::Output,
        generate: root::<crate::k8s::Sizing>,
    },
    Entry {
        name: "overlaps-input",
        summary: "the input of overlaps: named prefixes, expected pairs, max_listed",
        direction: Direction::Input,
        generate: root::<crate::wire::OverlapsInput>,
    },
    Entry {
        name: "overlaps-output",
        summary: "the result of overlaps: every overlapping pair and its relation",
        direction: Direction::Output,
        generate: root::<crate::wire::OverlapsOutput>,
    },
    Entry {
        name: "aggregate-input",
        summary: "the input of aggregate: a list of prefixes",
        direction: Direction::Input,
        generate: root::<crate::wire::AggregateInput>,
    },
    Entry {
        name: "aggregate-output",
        summary: "the result of aggregate: the minimal cover of the union",
        direction: Direction::Output,
        generate: root::<crate::wire::AggregateOutput>,
    },
    Entry {
        name: "exclude-input",
        summary: "the input of exclude: a parent and the prefixes used in it",
        direction: Direction::Input,
        generate: root::<crate::wire::ExcludeInput>,
    },
    Entry {
        name: "exclude-output",
        summary: "the result of exclude: the free space of the parent",
        direction: Direction::Output,
        generate: root::<crate::wire::ExcludeOutput>,
    },
    Entry {
        name: "carve-input",
        summary: "the input of carve: pools, requests, reserved ranges, strategy",
        direction: Direction::Input,
        generate: root::<crate::wire::CarveWireInput>,
    },
    Entry {
        name: "carve-output",
        summary: "the result of carve: allocations in request order, losses, free space",
        direction: Direction::Output,
        generate: root::<crate::wire::CarveOutput>,
    },
];

/// The schema named `name` (one of [`ALL`]), or `None`.
pub fn find(name: &str) -> Option<&'static Entry> {
    ALL.iter().find(|e| e.name == name)
}

impl Entry {
    /// The schema as a JSON value (draft 2020-12).
    pub fn schema(&self) -> Schema {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let settings = match self.direction {
            Direction::Input => settings.for_deserialize(),
            Direction::Output => settings.for_serialize(),
        };
        let mut generator = settings.into_generator();
        let mut schema = (self.generate)(&mut generator);
        schema.insert("title".into(), self.name.into());
        schema.insert("description".into(), self.summary.into());
        schema
    }

    /// The schema as the text committed in `schemas/NAME.json`: pretty JSON with keys in
    /// sorted order (whatever order `serde_json`'s features give its maps in this build)
    /// and a newline.
    pub fn text(&self) -> String {
        let schema = self.schema();
        let mut text = serde_json::to_string_pretty(&Sorted(schema.as_value())).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A JSON value written with every object's keys sorted.
struct Sorted<'a>(&'a serde_json::Value);

impl serde::Serialize for Sorted<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            serde_json::Value::Object(map) => {
                let mut keys: alloc::vec::Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = serializer.serialize_map(Some(keys.len()))?;
                for key in keys {
                    out.serialize_entry(key, &Sorted(&map[key]))?;
                }
                out.end()
            }
            serde_json::Value::Array(list) => {
                let mut out = serializer.serialize_seq(Some(list.len()))?;
                for value in list {
                    out.serialize_element(&Sorted(value))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// A carving strategy's name: a string on the wire, one of [`crate::Strategy::ALL`].
pub(crate) fn strategy(_: &mut SchemaGenerator) -> Schema {
    let names: alloc::vec::Vec<&str> = crate::Strategy::ALL.iter().map(|s| s.as_str()).collect();
    json_schema!({
        "type": "string",
        "enum": names,
        "description": "`first-fit` (lowest address), `best-fit` (smallest free block that fits; the default) or `sequential` (Terraform `cidrsubnets` placement).",
    })
}

impl JsonSchema for Prefix {
    fn schema_name() -> Cow<'static, str> {
        "Prefix".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A CIDR prefix, IPv4 or IPv6: `10.0.0.0/8`, `2001:db8::/32`.",
        })
    }
}

impl JsonSchema for AddrCount {
    fn schema_name() -> Cow<'static, str> {
        "AddrCount".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]+$",
            "description": "An address count as a decimal string (IPv6 counts exceed 2^53).",
        })
    }
}

impl JsonSchema for ItemEntry {
    fn schema_name() -> Cow<'static, str> {
        "ItemEntry".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A CIDR (named by itself), a `[name, cidr]` pair or `{name, cidr}`.",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "array",
                    "prefixItems": [{ "type": "string" }, { "type": "string" }],
                    "minItems": 2,
                    "maxItems": 2,
                },
                {
                    "type": "object",
                    "properties": { "name": { "type": "string" }, "cidr": { "type": "string" } },
                    "required": ["name", "cidr"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

impl JsonSchema for SizeScalar {
    fn schema_name() -> Cow<'static, str> {
        "SizeScalar".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`\"/LEN\"` (a prefix length), or an address count: a whole number below 2^53, or any count as a decimal string.",
            "anyOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string" },
            ],
        })
    }
}

impl JsonSchema for SizeValue {
    fn schema_name() -> Cow<'static, str> {
        "SizeValue".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let scalar = generator.subschema_for::<SizeScalar>();
        json_schema!({
            "description": "A request's size, or `{size, pinned}`: the exact prefix it must get (the size then defaults to its length).",
            "anyOf": [
                scalar,
                {
                    "type": "object",
                    "properties": { "size": scalar, "pinned": { "type": ["string", "null"] } },
                    "additionalProperties": false,
                },
            ],
        })
    }
}

impl JsonSchema for RequestEntry {
    fn schema_name() -> Cow<'static, str> {
        "RequestEntry".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let size = generator.subschema_for::<SizeValue>();
        let scalar = generator.subschema_for::<SizeScalar>();
        json_schema!({
            "description": "One request: `[name, size]` or `{name, size, pinned}`.",
            "anyOf": [
                {
                    "type": "array",
                    "prefixItems": [{ "type": "string" }, size],
                    "minItems": 2,
                    "maxItems": 2,
                },
                {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string" },
                        "size": scalar,
                        "pinned": { "type": ["string", "null"] },
                    },
                    "required": ["name"],
                    "additionalProperties": false,
                },
            ],
        })
    }
}

/// The two shapes of a [`NamedList`]: a list of entries, or a mapping of name to value
/// (order kept).
fn named_list(entry: Schema, value: Schema, what: &str) -> Schema {
    json_schema!({
        "description": what,
        "anyOf": [
            { "type": "array", "items": entry },
            { "type": "object", "additionalProperties": value },
        ],
    })
}

impl JsonSchema for NamedList<ItemEntry> {
    fn schema_name() -> Cow<'static, str> {
        "NamedItems".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        named_list(
            generator.subschema_for::<ItemEntry>(),
            json_schema!({ "type": "string" }),
            "A list of items, or a mapping of name to CIDR.",
        )
    }
}

impl JsonSchema for NamedList<RequestEntry> {
    fn schema_name() -> Cow<'static, str> {
        "NamedRequests".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        named_list(
            generator.subschema_for::<RequestEntry>(),
            generator.subschema_for::<SizeValue>(),
            "A list of requests, or a mapping of name to size (order kept).",
        )
    }
}
