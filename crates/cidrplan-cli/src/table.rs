//! Aligned text tables, coloured only on a terminal and never under `NO_COLOR`.
//!
//! Tables are laid out by comfy-table, with no borders and two spaces between columns;
//! widths are display widths (a CJK character or an emoji takes two columns), so names in
//! any script line up. Streamed tables (the overlap report, up to millions of rows) are
//! padded row by row to widths known in advance, measured the same way (unicode-width,
//! which comfy-table uses too).

use std::io::{IsTerminal, Write};

use comfy_table::{presets, ContentArrangement};
use unicode_width::UnicodeWidthStr;

/// Whether to colour stdout: a terminal, and `NO_COLOR` unset or empty.
pub(crate) fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Columns are separated by this many spaces.
const GAP: u16 = 2;

/// A table printed with columns padded to their widest cell.
pub(crate) struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    min_widths: Vec<usize>,
}

impl Table {
    pub(crate) fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            min_widths: Vec::new(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// For streamed tables: column widths known in advance (rows are not stored), in
    /// display columns ([`display_width`]).
    pub(crate) fn set_min_widths(&mut self, widths: &[usize]) {
        self.min_widths = widths
            .iter()
            .zip(&self.headers)
            .map(|(w, h)| (*w).max(display_width(h)))
            .collect();
    }

    /// The lines of the table laid out by comfy-table, trailing spaces trimmed.
    fn lines(&self) -> Vec<String> {
        let mut table = comfy_table::Table::new();
        table
            .load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.headers.clone());
        for row in &self.rows {
            table.add_row(row.clone());
        }
        let last = self.headers.len().saturating_sub(1);
        for (i, column) in table.column_iter_mut().enumerate() {
            column.set_padding((0, if i == last { 0 } else { GAP }));
        }
        table.lines().map(|l| l.trim_end().to_string()).collect()
    }

    /// Writes the header line (bold on a terminal).
    pub(crate) fn write_header(&self, out: &mut dyn Write) -> std::io::Result<()> {
        // A streamed table's header is padded as its rows will be.
        let header = if self.rows.is_empty() && !self.min_widths.is_empty() {
            let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
            pad(&headers, &self.min_widths)
        } else {
            self.lines().into_iter().next().unwrap_or_default()
        };
        write_header_line(out, &header)
    }

    /// Writes one row padded to the table's widths, without storing it.
    pub(crate) fn write_row(&self, out: &mut dyn Write, cells: &[&str]) -> std::io::Result<()> {
        writeln!(out, "{}", pad(cells, &self.min_widths))
    }

    pub(crate) fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let lines = self.lines();
        let mut lines = lines.iter();
        if let Some(header) = lines.next() {
            write_header_line(out, header)?;
        }
        for line in lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

fn write_header_line(out: &mut dyn Write, header: &str) -> std::io::Result<()> {
    if use_colour() {
        writeln!(out, "\x1b[1m{header}\x1b[0m")
    } else {
        writeln!(out, "{header}")
    }
}

/// How many terminal columns `text` takes.
pub(crate) fn display_width(text: &str) -> usize {
    text.width()
}

/// One streamed line: each cell but the last padded to its column's width.
fn pad(cells: &[&str], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.extend(std::iter::repeat_n(' ', usize::from(GAP)));
        }
        line.push_str(cell);
        if i + 1 < cells.len() {
            let width = widths.get(i).copied().unwrap_or(0);
            line.extend(std::iter::repeat_n(
                ' ',
                width.saturating_sub(display_width(cell)),
            ));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(table: &Table) -> String {
        let mut out = Vec::new();
        table.write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The display column at which each cell after the first starts, per line.
    fn starts(text: &str) -> Vec<Vec<usize>> {
        text.lines()
            .map(|line| {
                let mut starts = Vec::new();
                let mut col = 0;
                let mut prev_space = 0;
                for ch in line.chars() {
                    if ch == ' ' {
                        prev_space += 1;
                    } else {
                        if prev_space >= 2 {
                            starts.push(col);
                        }
                        prev_space = 0;
                    }
                    col += ch.to_string().width();
                }
                starts
            })
            .collect()
    }

    #[test]
    fn wide_unicode_names_keep_columns_aligned() {
        let mut table = Table::new(&["CLUSTER", "POD CIDR", "NODES"]);
        table.row(vec!["東京-prod".into(), "10.0.0.0/16".into(), "3".into()]);
        table.row(vec!["🚀-edge".into(), "10.1.0.0/16".into(), "12".into()]);
        table.row(vec!["paris".into(), "10.2.0.0/16".into(), "7".into()]);
        let text = render(&table);
        // 東京 and 🚀 take two columns each: the widest name is 東京-prod (9 columns).
        assert_eq!(
            text,
            "CLUSTER    POD CIDR     NODES\n\
             東京-prod  10.0.0.0/16  3\n\
             🚀-edge    10.1.0.0/16  12\n\
             paris      10.2.0.0/16  7\n"
        );
        let starts = starts(&text);
        assert!(starts.iter().all(|s| s == &starts[0]), "{starts:?}");
    }

    #[test]
    fn streamed_rows_align_with_their_header() {
        let mut table = Table::new(&["A", "B"]);
        table.set_min_widths(&[display_width("東京東京"), 1]);
        let mut out = Vec::new();
        table.write_header(&mut out).unwrap();
        table.write_row(&mut out, &["東京東京", "x"]).unwrap();
        table.write_row(&mut out, &["ab", "y"]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A         B\n東京東京  x\nab        y\n"
        );
    }
}
