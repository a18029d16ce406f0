//! The committed JSON Schemas (`schemas/*.json` at the repository root, and the copy the
//! Python package ships in `bindings/python/python/cidrplan/schemas/`) are what the code
//! derives: a field added to a wire type must reach them, and through them the npm
//! package's TypeScript declarations and the Python package's checked types.

use std::path::PathBuf;

/// Regenerates every committed schema from the code.
const REGENERATE: &str = "CIDRPLAN_WRITE_SCHEMAS=1 cargo test -p cidrplan --test schemas";

fn dirs() -> [PathBuf; 2] {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        root.join("schemas"),
        root.join("bindings/python/python/cidrplan/schemas"),
    ]
}

#[test]
fn committed_schemas_are_what_the_code_derives() {
    let write = std::env::var_os("CIDRPLAN_WRITE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for dir in dirs() {
        if write {
            std::fs::create_dir_all(&dir).unwrap();
        }
        for entry in cidrplan::schema::ALL {
            let path = dir.join(format!("{}.json", entry.name));
            let derived = entry.text();
            if write {
                std::fs::write(&path, &derived).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(derived.as_str()) {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "these schemas differ from what the code derives: {stale:?}; regenerate with `{REGENERATE}`"
    );
}

#[test]
fn no_schema_is_committed_that_the_code_does_not_derive() {
    if std::env::var_os("CIDRPLAN_WRITE_SCHEMAS").is_some() {
        return; // being written by the test above
    }
    let mut derived: Vec<String> = cidrplan::schema::ALL
        .iter()
        .map(|e| format!("{}.json", e.name))
        .collect();
    derived.sort();
    for dir in dirs() {
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        assert_eq!(
            names,
            derived,
            "{}: remove the schemas the code no longer derives",
            dir.display()
        );
    }
}

#[test]
fn every_schema_is_a_2020_12_object_schema_with_a_title() {
    for entry in cidrplan::schema::ALL {
        let schema: serde_json::Value = serde_json::from_str(&entry.text()).unwrap();
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{}",
            entry.name
        );
        assert_eq!(schema["title"], entry.name);
        assert_eq!(schema["type"], "object", "{}", entry.name);
        assert!(cidrplan::schema::find(entry.name).is_some());
    }
    assert!(cidrplan::schema::find("no-such").is_none());
}

#[test]
fn plan_request_schema_says_what_the_reader_defaults() {
    // `clusters` defaults to empty in the core: it is not required (the hand-written
    // TypeScript declarations once said it was).
    let schema: serde_json::Value =
        serde_json::from_str(&cidrplan::schema::find("plan-request").unwrap().text()).unwrap();
    assert_eq!(schema["required"], serde_json::json!(["network"]));
    assert_eq!(schema["additionalProperties"], false);
    let cluster = &schema["$defs"]["ClusterSpec"];
    assert_eq!(cluster["additionalProperties"], false);
    assert_eq!(cluster["required"], serde_json::json!(["name", "nodes"]));
}
