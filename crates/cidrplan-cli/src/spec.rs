//! Reading plan requests from JSON, YAML or TOML files.

use cidrplan::k8s::PlanRequest;

use crate::failure::Failure;
use crate::input::origin;

/// The syntax of a plan request file.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InputFormat {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// TOML.
    Toml,
}

impl InputFormat {
    /// From the file extension; JSON when there is none (stdin).
    fn of(file: Option<&str>) -> InputFormat {
        let lower = file.unwrap_or_default().to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            InputFormat::Yaml
        } else if lower.ends_with(".toml") {
            InputFormat::Toml
        } else {
            InputFormat::Json
        }
    }
}

/// Reads and deserializes a plan request. Errors name the file, the field path (e.g.
/// `clusters[1].max_pods`) and, where the parser knows it, the line.
pub(crate) fn read_spec(
    file: Option<&str>,
    format: Option<InputFormat>,
) -> Result<PlanRequest, Failure> {
    let origin = origin(file);
    let text = read_text(file)?;
    if text.trim().is_empty() {
        return Err(Failure::new(
            "invalid_input",
            format!("{origin}: empty plan request"),
        ));
    }
    let format = format.unwrap_or_else(|| InputFormat::of(file));
    let bad = |path: String, message: String| {
        let at = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!(" at {path}")
        };
        Failure::new("invalid_input", format!("{origin}{at}: {message}"))
    };
    match format {
        InputFormat::Json => {
            let mut de = serde_json::Deserializer::from_str(&text);
            serde_path_to_error::deserialize(&mut de)
                .map_err(|e| bad(e.path().to_string(), e.into_inner().to_string()))
        }
        InputFormat::Yaml => {
            if !yaml_flow_depth_within(&text, MAX_YAML_FLOW_DEPTH) {
                return Err(bad(
                    String::new(),
                    format!(
                        "flow collections ([ ] and {{ }}) nest deeper than \
                         {MAX_YAML_FLOW_DEPTH} levels"
                    ),
                ));
            }
            let de = serde_yaml_ng::Deserializer::from_str(&text);
            serde_path_to_error::deserialize(de)
                .map_err(|e| bad(e.path().to_string(), e.into_inner().to_string()))
        }
        InputFormat::Toml => {
            let de =
                toml::Deserializer::parse(&text).map_err(|e| bad(String::new(), e.to_string()))?;
            serde_path_to_error::deserialize(de)
                .map_err(|e| bad(e.path().to_string(), e.into_inner().to_string()))
        }
    }
}

/// Deepest nesting of YAML flow collections read. The YAML scanner's work per token grows
/// with the flow depth, so two megabytes of `[` took minutes before serde's recursion limit
/// (also 128) could refuse the document; this refuses it in one linear pass.
const MAX_YAML_FLOW_DEPTH: usize = 128;

/// Whether `[`/`{` nest at most `limit` deep outside quoted scalars and comments. Brackets
/// inside plain scalars count too: a spec would need over a hundred of them unclosed.
fn yaml_flow_depth_within(text: &str, limit: usize) -> bool {
    let (mut depth, mut quote, mut previous) = (0usize, None, b'\n');
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match quote {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    bytes.next();
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'#' if previous.is_ascii_whitespace() => {
                    for c in bytes.by_ref() {
                        if c == b'\n' {
                            break;
                        }
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > limit {
                        return false;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = b;
    }
    true
}

fn read_text(file: Option<&str>) -> Result<String, Failure> {
    use std::io::Read;
    let mut text = String::new();
    crate::input::open(file)?
        .read_to_string(&mut text)
        .map_err(|e| Failure::io(&origin(file), &e))?;
    Ok(text)
}
