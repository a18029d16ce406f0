//! Reading inventory files for `cidrplan import` and for a plan request's
//! `network.import` list: the CLI reads the files, the core reads the texts.

use std::path::Path;

use cidrplan::import::{import, merge_for_request, merge_owned, Format, Fragment, Inventory};

use crate::failure::Failure;

/// Reads one inventory file (`-`: stdin, named `<stdin>`). A YAML file (`kubectl ... -o
/// yaml`) is read as the JSON it stands for, so every JSON shape may also come as YAML.
pub(crate) fn read_source(file: &str, format: Option<Format>) -> Result<Inventory, Failure> {
    let (file, text) = if file == "-" {
        let name = crate::input::origin(Some(file));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Failure::io(&name, &e))?;
        (name, text)
    } else {
        let text = std::fs::read_to_string(file).map_err(|e| Failure::io(file, &e))?;
        (file.to_string(), text)
    };
    let file = file.as_str();
    let lower = file.to_ascii_lowercase();
    let text = if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let value: serde_json::Value = serde_yaml_ng::from_str(&text)
            .map_err(|e| Failure::new("invalid_input", format!("{file}: not valid YAML: {e}")))?;
        serde_json::to_string(&value)?
    } else {
        text
    };
    import(format, &text, file).map_err(Failure::from)
}

/// Reads and merges files; `report` keeps every range and the overlaps among them
/// (`cidrplan import`), which a plan request naming its sources does not use.
pub(crate) fn read_sources(
    files: &[(String, Option<Format>)],
    report: bool,
) -> Result<Fragment, Failure> {
    let inventories = files
        .iter()
        .map(|(file, format)| read_source(file, *format))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if report {
        merge_owned(inventories)
    } else {
        merge_for_request(inventories)
    })
}

/// Whether a plan request text may name import sources (a cheap test before parsing twice).
pub(crate) fn may_name_sources(text: &str) -> bool {
    text.contains("import")
}

/// Takes `network.import` out of a request document and reads the sources it names
/// (`[{from: FORMAT, file: PATH}]`, `from` optional; paths relative to the request's
/// folder). Returns the merged sources, or `None` when there is no `network.import`.
pub(crate) fn take_sources(
    doc: &mut serde_json::Value,
    request_file: &str,
) -> Result<Option<Fragment>, Failure> {
    let Some(list) = doc
        .get_mut("network")
        .and_then(|n| n.as_object_mut())
        .and_then(|n| n.remove("import"))
    else {
        return Ok(None);
    };
    let bad = |at: String, msg: &str| {
        Failure::new(
            "invalid_input",
            format!("{request_file} at network.import{at}: {msg}"),
        )
    };
    let serde_json::Value::Array(entries) = list else {
        return Err(bad(String::new(), "expected a list of {from, file}"));
    };
    let base = Path::new(request_file).parent().unwrap_or(Path::new(""));
    let mut files = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("[{i}]");
        let Some(obj) = entry.as_object() else {
            return Err(bad(at, "expected {from, file}"));
        };
        if let Some(key) = obj.keys().find(|k| *k != "from" && *k != "file") {
            return Err(bad(
                at,
                &format!("unknown field {key:?}; expected from, file"),
            ));
        }
        let Some(file) = obj.get("file").and_then(|f| f.as_str()) else {
            return Err(bad(at, "no file"));
        };
        let format = match obj.get("from") {
            None => None,
            Some(serde_json::Value::String(name)) => {
                Format::parse_arg(name).map_err(|e| bad(format!("{at}.from"), &e.to_string()))?
            }
            Some(_) => return Err(bad(format!("{at}.from"), "expected a format name")),
        };
        files.push((base.join(file).to_string_lossy().into_owned(), format));
    }
    read_sources(&files, false).map(Some)
}
