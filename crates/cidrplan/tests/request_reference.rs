//! `docs/request-reference.md`, the reference of every plan request field, is rendered
//! from the plan request's JSON Schema (`schemas/plan-request.json`, derived from the
//! code), so it cannot drift: this test fails when the committed page differs and
//! rewrites it with `CIDRPLAN_WRITE_SCHEMAS=1 cargo test -p cidrplan --test request_reference`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Map, Value};

const REGENERATE: &str = "CIDRPLAN_WRITE_SCHEMAS=1 cargo test -p cidrplan --test request_reference";

/// One line of a schema description: rustdoc links become code, line breaks spaces, and
/// table pipes are escaped.
fn prose(text: &str) -> String {
    let mut out = text.replace('\n', " ").replace('|', "\\|");
    while let Some(start) = out.find("[`") {
        let Some(end) = out[start..].find("`]") else {
            break;
        };
        let inner = out[start + 1..start + end + 1].to_string();
        out.replace_range(start..start + end + 2, &inner);
    }
    out
}

fn def_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// The type of a property in words, with definitions linked to their section.
fn type_of(schema: &Value, defs: &Map<String, Value>) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = def_name(r);
        return match defs.get(name) {
            Some(d) if d.get("properties").is_some() || d.get("oneOf").is_some() => {
                format!("[{name}](#{})", name.to_lowercase())
            }
            Some(d) => d
                .get("description")
                .and_then(Value::as_str)
                .map(|_| format!("{name} (string)"))
                .unwrap_or_else(|| name.to_string()),
            None => name.to_string(),
        };
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        return any
            .iter()
            .map(|s| type_of(s, defs))
            .collect::<Vec<_>>()
            .join(" or ");
    }
    let one = |t: &str| match t {
        "array" => format!(
            "list of {}",
            schema
                .get("items")
                .map_or("values".to_string(), |i| type_of(i, defs))
        ),
        "object" => "mapping".to_string(),
        other => other.to_string(),
    };
    match schema.get("type") {
        Some(Value::String(t)) => one(t),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(one)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_string(),
    }
}

/// The definitions the request uses, in order of first reference from the top.
fn reachable(root: &Value, defs: &Map<String, Value>) -> Vec<String> {
    fn walk(v: &Value, defs: &Map<String, Value>, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    let name = def_name(r).to_string();
                    if !out.contains(&name) {
                        out.push(name.clone());
                        if let Some(d) = defs.get(&name) {
                            walk(d, defs, out);
                        }
                    }
                }
                for (k, x) in m {
                    if k != "$defs" {
                        walk(x, defs, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, defs, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, defs, &mut out);
    out
}

fn fields(out: &mut String, object: &Value, defs: &Map<String, Value>) {
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str("| field | type | default | what it is |\n|---|---|---|---|\n");
    let Some(props) = object.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, p) in props {
        let default = match p.get("default") {
            Some(d) => format!("`{}`", serde_json::to_string(d).unwrap()),
            None if required.contains(&name.as_str()) => "required".to_string(),
            None => "not set".to_string(),
        };
        let what = p.get("description").and_then(Value::as_str).unwrap_or("");
        writeln!(
            out,
            "| `{name}` | {} | {default} | {} |",
            type_of(p, defs),
            prose(what)
        )
        .unwrap();
    }
}

fn render() -> String {
    let schema: Value =
        serde_json::from_str(&cidrplan::schema::find("plan-request").unwrap().text()).unwrap();
    let empty = Map::new();
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut out = String::new();
    out.push_str(
        "# Plan request reference\n\n\
         <!-- Rendered from schemas/plan-request.json by crates/cidrplan/tests/request_reference.rs; \
         do not edit by hand. -->\n\n\
         Every field of the request `cidrplan plan` reads (YAML, JSON or TOML), the npm \
         package's `plan()` and the Python module's `plan()` take. The JSON Schema is \
         `schemas/plan-request.json` (`cidrplan schema plan-request`); the README shows how \
         to get completion and validation from it in an editor. Unknown fields are errors \
         that name the field.\n\n\
         The built-in example, which `cidrplan plan` plans when given no file:\n\n```json\n",
    );
    let example = serde_json::to_string_pretty(&cidrplan::k8s::example()).unwrap();
    out.push_str(&example);
    out.push_str("\n```\n\n## PlanRequest\n\n");
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        writeln!(out, "{}\n", prose(d)).unwrap();
    }
    fields(&mut out, &schema, defs);
    for name in reachable(&schema, defs) {
        let Some(def) = defs.get(&name) else { continue };
        if def.get("properties").is_none() && def.get("oneOf").is_none() {
            continue; // a scalar (a CIDR string): described where it is used
        }
        write!(out, "\n## {name}\n\n").unwrap();
        if let Some(d) = def.get("description").and_then(Value::as_str) {
            writeln!(out, "{}\n", prose(d)).unwrap();
        }
        if def.get("properties").is_some() {
            fields(&mut out, def, defs);
        } else if let Some(cases) = def.get("oneOf").and_then(Value::as_array) {
            out.push_str("| value | meaning |\n|---|---|\n");
            for c in cases {
                let value = c
                    .get("const")
                    .or_else(|| c.get("enum").and_then(|e| e.get(0)))
                    .map(|v| serde_json::to_string(v).unwrap())
                    .unwrap_or_else(|| type_of(c, defs));
                let what = c.get("description").and_then(Value::as_str).unwrap_or("");
                writeln!(out, "| `{value}` | {} |", prose(what)).unwrap();
            }
        }
    }
    out
}

#[test]
fn the_request_reference_is_rendered_from_the_schema() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/request-reference.md");
    let rendered = render();
    if std::env::var_os("CIDRPLAN_WRITE_SCHEMAS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/request-reference.md differs from what the plan request's schema renders; \
         regenerate with `{REGENERATE}`"
    );
}

#[test]
fn every_request_field_is_in_the_reference() {
    let schema: Value =
        serde_json::from_str(&cidrplan::schema::find("plan-request").unwrap().text()).unwrap();
    let page = render();
    let mut missing = Vec::new();
    let mut check = |props: &Value| {
        for name in props.as_object().into_iter().flat_map(|m| m.keys()) {
            if !page.contains(&format!("| `{name}` |")) {
                missing.push(name.clone());
            }
        }
    };
    check(&schema["properties"]);
    for def in schema["$defs"].as_object().unwrap().values() {
        check(&def["properties"]);
    }
    assert!(
        missing.is_empty(),
        "fields missing from the reference: {missing:?}"
    );
}
