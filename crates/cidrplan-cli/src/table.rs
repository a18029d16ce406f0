//! Aligned text tables, coloured only on a terminal and never under `NO_COLOR`.

use std::io::{IsTerminal, Write};

/// Whether to colour stdout: a terminal, and `NO_COLOR` unset or empty.
pub(crate) fn use_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

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

    /// For streamed tables: column widths known in advance (rows are not stored).
    pub(crate) fn set_min_widths(&mut self, widths: &[usize]) {
        self.min_widths = widths.to_vec();
        self.min_widths = self.widths();
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for (i, w) in self.min_widths.iter().enumerate() {
            if let Some(slot) = widths.get_mut(i) {
                *slot = (*slot).max(*w);
            }
        }
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        widths
    }

    /// Writes the header line (bold on a terminal).
    pub(crate) fn write_header(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        let header = pad(&headers, &self.widths());
        if use_colour() {
            writeln!(out, "\x1b[1m{header}\x1b[0m")
        } else {
            writeln!(out, "{header}")
        }
    }

    /// Writes one row padded to the table's widths, without storing it.
    pub(crate) fn write_row(&self, out: &mut dyn Write, cells: &[&str]) -> std::io::Result<()> {
        writeln!(out, "{}", pad(cells, &self.min_widths))
    }

    pub(crate) fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_header(out)?;
        let widths = self.widths();
        for row in &self.rows {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            writeln!(out, "{}", pad(&cells, &widths))?;
        }
        Ok(())
    }
}

fn pad(cells: &[&str], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(cell);
        if i + 1 < cells.len() {
            let width = widths.get(i).copied().unwrap_or(0);
            line.extend(std::iter::repeat_n(
                ' ',
                width.saturating_sub(cell.chars().count()),
            ));
        }
    }
    line
}
