//! Reading plan requests from JSON, YAML or TOML files.

use std::borrow::Cow;

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
/// `clusters[1].max_pods`) and, where the parser knows it, the line; whatever they quote
/// of the input is shortened (see [`MAX_MESSAGE_LINE`]).
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
            format!(" at {}", shorten(&path, MAX_MESSAGE_LINE / 2))
        };
        Failure::new(
            "invalid_input",
            format!("{origin}{at}: {}", shorten_lines(&message)),
        )
    };
    if crate::imports::may_name_sources(&text) {
        if let Some(request) = read_with_sources(&text, format, file.unwrap_or("-"), &bad)? {
            return Ok(request);
        }
    }
    // Read once without tracking paths (a tenth of the time for 10^6 allocations), and
    // again with them only to word an error.
    let fast = match format {
        InputFormat::Json => serde_json::from_str(&text).ok(),
        InputFormat::Yaml if yaml_flow_depth_within(&text, MAX_YAML_FLOW_DEPTH) => {
            serde_yaml_ng::from_str(&text).ok()
        }
        _ => None,
    };
    if let Some(request) = fast {
        return Ok(request);
    }
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
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                // serde_yaml_ng starts its message with the path (up to the struct that
                // failed), which the error already names.
                let message = match message.split_once(": ") {
                    Some((prefix, rest)) if !prefix.is_empty() && path.starts_with(prefix) => {
                        rest.to_owned()
                    }
                    _ => message,
                };
                bad(path, message)
            })
        }
        InputFormat::Toml => {
            let de = toml::Deserializer::parse(&text)
                .map_err(|e| bad(String::new(), toml_message(&text, &e)))?;
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                bad(path, toml_message(&text, &e.into_inner()))
            })
        }
    }
}

/// A request whose `network.import` names inventory files: the sources are read and
/// merged into it. `None` when the request names none (it is then read as usual, with
/// line numbers in errors).
fn read_with_sources(
    text: &str,
    format: InputFormat,
    file: &str,
    bad: &dyn Fn(String, String) -> Failure,
) -> Result<Option<PlanRequest>, Failure> {
    let parsed: Result<serde_json::Value, String> = match format {
        InputFormat::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        InputFormat::Yaml => serde_yaml_ng::from_str(text).map_err(|e| e.to_string()),
        InputFormat::Toml => toml::from_str(text).map_err(|e| e.to_string()),
    };
    // Unreadable documents are reported by the usual reader, with its positions.
    let Ok(mut doc) = parsed else {
        return Ok(None);
    };
    let Some(fragment) = crate::imports::take_sources(&mut doc, file)? else {
        return Ok(None);
    };
    let mut request: PlanRequest = serde_path_to_error::deserialize(doc)
        .map_err(|e| bad(e.path().to_string(), e.into_inner().to_string()))?;
    // A cluster the sources describe but could not keep (a range of it unknown) is said
    // here, as `cidrplan import` says it: its observed ranges are only allocations.
    for w in &fragment.warnings {
        eprintln!("cidrplan: {file} network.import: warning: {}", w.message);
    }
    fragment.apply_to(&mut request);
    Ok(Some(request))
}

/// Longest line of an error message about a plan request, in characters. Parsers quote the
/// input (a string value, an unknown key, TOML the whole offending line): one 100 KB line
/// made a 200 KB message. Longer lines keep their start and their end (where JSON and YAML
/// put the line and column) around an ellipsis.
const MAX_MESSAGE_LINE: usize = 200;

/// Characters of a TOML line shown before the error's column, and at most in all.
const TOML_BEFORE: usize = 60;
const TOML_WIDTH: usize = 120;

/// Every line of `message` cut to [`MAX_MESSAGE_LINE`] characters.
fn shorten_lines(message: &str) -> String {
    message
        .lines()
        .map(|line| shorten(line, MAX_MESSAGE_LINE))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` cut to `max` characters (on character boundaries): its first two thirds and its
/// last third around an ellipsis.
fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return Cow::Borrowed(text);
    }
    let head = max * 2 / 3;
    let tail = max - head - 1;
    let head_end = byte_at(text, head);
    let tail_start = byte_at(text, count - tail);
    Cow::Owned(format!(
        "{}\u{2026}{}",
        &text[..head_end],
        &text[tail_start..]
    ))
}

/// The byte offset of the `n`th character of `text` (its length past the end).
fn byte_at(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(at, _)| at)
}

/// A TOML error as `toml` renders it (the position, the line with a caret under the column,
/// the message), but with the line cut to a window around the column and the underline to
/// that window: `toml` echoes the whole line and underlines the whole token.
fn toml_message(text: &str, err: &toml::de::Error) -> String {
    let Some(span) = err.span() else {
        return err.to_string();
    };
    let start = span.start.min(text.len());
    // Like `toml`, an error at the very end is one past the last character of its line.
    let past_end = start == text.len();
    let mut at = if past_end {
        start.saturating_sub(1)
    } else {
        start
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |nl| nl + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |nl| at + nl);
    let content = &text[line_start..line_end];
    let content = content.strip_suffix('\r').unwrap_or(content);
    let line = text.as_bytes()[..line_start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    let column = text[line_start..at].chars().count() + usize::from(past_end);
    let length = content.chars().count();

    let first = column.saturating_sub(TOML_BEFORE);
    let last = (first + TOML_WIDTH).min(length);
    let mut shown = String::new();
    if first > 0 {
        shown.push('\u{2026}');
    }
    shown.push_str(&content[byte_at(content, first)..byte_at(content, last)]);
    if last < length {
        shown.push('\u{2026}');
    }
    let offset = column - first + usize::from(first > 0);
    let end = span.end.min(line_start + content.len()).max(start);
    let underline = text
        .get(start..end)
        .unwrap_or_default()
        .chars()
        .count()
        .min(last.saturating_sub(column))
        .max(1);

    let gutter = " ".repeat(line.to_string().len() + 1);
    format!(
        "TOML parse error at line {line}, column {column}\n{gutter}|\n{line} | {shown}\n\
         {gutter}|{} {}\n{}",
        " ".repeat(offset),
        "^".repeat(underline),
        err.message(),
        column = column + 1,
    )
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

/// Reads a plan file (`plan --json` output) as the previous plan of a re-plan or a side of
/// a diff. Errors name the file and the field path.
pub(crate) fn read_plan(file: &str) -> Result<cidrplan::k8s::PreviousPlan, Failure> {
    let origin = origin(Some(file));
    let text = read_text(Some(file))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let plan = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!(" at {}", shorten(&path, MAX_MESSAGE_LINE / 2))
        };
        Failure::new(
            "invalid_input",
            format!(
                "{origin}{at}: {} (a plan file, as `cidrplan plan --json` writes it)",
                shorten_lines(&e.into_inner().to_string())
            ),
        )
    })?;
    de.end()
        .map_err(|e| Failure::new("invalid_input", format!("{origin}: {e}")))?;
    Ok(plan)
}

fn read_text(file: Option<&str>) -> Result<String, Failure> {
    use std::io::Read;
    let mut text = String::new();
    crate::input::open(file)?
        .read_to_string(&mut text)
        .map_err(|e| Failure::io(&origin(file), &e))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml_error(text: &str) -> toml::de::Error {
        match toml::Deserializer::parse(text) {
            Err(err) => err,
            Ok(de) => serde_path_to_error::deserialize::<_, PlanRequest>(de)
                .expect_err("a bad document")
                .into_inner(),
        }
    }

    #[test]
    fn short_toml_errors_read_as_toml_renders_them() {
        for text in [
            "a = [1, 2",
            "a = [1, 2\n",
            "network = { pools = [\"10.0.0.0/8\"] }\nclusters = [{ name = \"a\", nodes = \"x\" }]\n",
            "network = 1\n",
            "x = 1\ny = = 2\n",
            "[network]\npools = [\"10.0.0.0/8\"]\n[network]\n",
        ] {
            let err = toml_error(text);
            assert_eq!(toml_message(text, &err), err.to_string().trim_end(), "{text:?}");
        }
        // The column counts characters (`toml` counts bytes when the bad character is not
        // ASCII, and its caret lands two places late here).
        let text = "name = \"\u{e9}t\u{e9}\" \u{fc}\n";
        let message = toml_message(text, &toml_error(text));
        assert!(
            message.starts_with("TOML parse error at line 1, column 14\n"),
            "{message}"
        );
        assert!(message.contains("\n  |              ^\n"), "{message}");
    }

    #[test]
    fn a_long_toml_line_is_shown_around_the_column() {
        let text = format!("a = [{}oops]\n", "1, ".repeat(50_000));
        let message = toml_message(&text, &toml_error(&text));
        assert!(message.len() < 600, "{message}");
        assert!(
            message.starts_with("TOML parse error at line 1, column 150006\n"),
            "{message}"
        );
        let lines: Vec<&str> = message.lines().collect();
        let caret = lines[3].find('^').unwrap();
        let shown: Vec<char> = lines[2].chars().collect();
        assert_eq!(shown[caret], 'o', "{message}");
    }

    #[test]
    fn shorten_keeps_both_ends_on_character_boundaries() {
        assert_eq!(shorten("short", 10), "short");
        let long = "\u{e9}".repeat(100) + " at line 1 column 7";
        let cut = shorten(&long, 60);
        assert_eq!(cut.chars().count(), 60);
        assert!(cut.starts_with("\u{e9}\u{e9}"));
        assert!(cut.ends_with("at line 1 column 7"));
        assert!(cut.contains('\u{2026}'));
    }
}
