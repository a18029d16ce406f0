//! The trailing `options` argument of `aggregate`, `exclude`, `carve` and `overlaps`: the
//! wire format's optional fields, read by the reader's object walker rather than derived
//! code (about 4 KB of the module), with the derived code's words and paths.

use crate::json_error::Error;
use crate::json_read::{read_text, value};

/// The options of `aggregate`, `exclude` and `carve`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ParseOptions {
    /// Mask host bits (`10.0.0.1/8` -> `10.0.0.0/8`) instead of rejecting them.
    pub(crate) lenient: bool,
}

/// The options of `overlaps`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct OverlapsOptions {
    /// `[parent, child]` name pairs that are intended and not reported.
    pub(crate) expected: Vec<(String, String)>,
    /// List at most this many pairs (all are counted).
    pub(crate) max_listed: Option<u64>,
    /// Mask host bits instead of rejecting them.
    pub(crate) lenient: bool,
}

/// The options of `exportConfig`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ExportOptions {
    /// Render even when the plan's ranges collide.
    pub(crate) force: bool,
}

pub(crate) const EXPORT_OPTIONS_FIELDS: &[&str] = &["force"];

/// Reads [`ExportOptions`] from JSON text.
pub(crate) fn export_options(text: &str) -> Result<ExportOptions, Error> {
    read_text(text, |reader| {
        let mut options = ExportOptions::default();
        reader.object(
            &"struct ExportOptions",
            EXPORT_OPTIONS_FIELDS,
            &mut |r, _| {
                options.force = value(r)?;
                Ok(())
            },
        )?;
        Ok(options)
    })
}

pub(crate) const PARSE_OPTIONS_FIELDS: &[&str] = &["lenient"];

/// Reads [`ParseOptions`] from JSON text.
pub(crate) fn parse_options(text: &str) -> Result<ParseOptions, Error> {
    read_text(text, |reader| {
        let mut options = ParseOptions::default();
        reader.object(&"struct ParseOptions", PARSE_OPTIONS_FIELDS, &mut |r, _| {
            options.lenient = value(r)?;
            Ok(())
        })?;
        Ok(options)
    })
}

pub(crate) const OVERLAPS_OPTIONS_FIELDS: &[&str] = &["expected", "max_listed", "lenient"];

/// Reads [`OverlapsOptions`] from JSON text.
pub(crate) fn overlaps_options(text: &str) -> Result<OverlapsOptions, Error> {
    read_text(text, |reader| {
        let mut options = OverlapsOptions::default();
        reader.object(
            &"struct OverlapsOptions",
            OVERLAPS_OPTIONS_FIELDS,
            &mut |r, field| {
                match field {
                    0 => {
                        r.list(&mut |r| {
                            let mut pair = (String::new(), String::new());
                            r.tuple(&"a tuple of size 2", 2, &mut |r, i| {
                                match i {
                                    0 => pair.0 = r.string_value()?,
                                    _ => pair.1 = r.string_value()?,
                                }
                                Ok(())
                            })?;
                            options.expected.push(pair);
                            Ok(())
                        })?;
                    }
                    1 => options.max_listed = value(r)?,
                    _ => options.lenient = value(r)?,
                }
                Ok(())
            },
        )?;
        Ok(options)
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::json_read::from_text;
    use crate::spec_read_tests::outcome;

    /// The same options as derived code reads them.
    mod derived {
        use serde::Deserialize;

        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        pub struct ParseOptions {
            #[serde(default)]
            pub lenient: bool,
        }

        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        pub struct OverlapsOptions {
            #[serde(default)]
            pub expected: Vec<(String, String)>,
            #[serde(default)]
            pub max_listed: Option<u64>,
            #[serde(default)]
            pub lenient: bool,
        }
    }

    fn derived_outcome<T: for<'a> Deserialize<'a> + std::fmt::Debug>(
        text: &str,
    ) -> Result<String, (String, Option<String>)> {
        outcome(from_text::<T>(text)).map(|debug| debug.replace("derived::", ""))
    }

    #[test]
    fn options_read_and_fail_as_derived_code_reads_them() {
        for text in [
            "{}",
            r#"{"lenient": true}"#,
            r#"{"lenient": false, "lenient": true}"#,
            r#"{"lenint": true}"#,
            r#"{"lenient": 1}"#,
            r#"{"lenient": null}"#,
            "5",
            "null",
            "[]",
            r#"{"expected": [["a", "b"]], "max_listed": 3}"#,
            r#"{"expected": [["a", "b", "c"]]}"#,
            r#"{"expected": [["a"]]}"#,
            r#"{"expected": "a"}"#,
            r#"{"expected": [["a", 1]]}"#,
            r#"{"expected": [[]]}"#,
            r#"{"expected": [5]}"#,
            r#"{"expected": [["a", "b"], ["c", "d"]], "lenient": true}"#,
            r#"{"expected": null}"#,
            r#"{"expected": [["a", "b"] ["c", "d"]]}"#,
            r#"{"max_listed": -1}"#,
            r#"{"max_listed": null, "lenient": true}"#,
            r#"{"max_listed": 2.5}"#,
        ] {
            assert_eq!(
                outcome(parse_options(text)),
                derived_outcome::<derived::ParseOptions>(text),
                "{text}"
            );
            assert_eq!(
                outcome(overlaps_options(text)),
                derived_outcome::<derived::OverlapsOptions>(text),
                "{text}"
            );
        }
    }
}
