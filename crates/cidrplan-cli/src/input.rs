//! Reading prefix lists from files or stdin.

use std::io::{BufRead, BufReader};

use cidrplan::{ParseMode, Prefix};

use crate::failure::Failure;

/// One prefix read from a line, with its name (the CIDR itself when unnamed).
pub(crate) struct Line {
    pub(crate) name: String,
    pub(crate) prefix: Prefix,
}

/// Where input comes from, for messages: the file name or `<stdin>`.
pub(crate) fn origin(file: Option<&str>) -> String {
    match file {
        Some("-") | None => "<stdin>".to_string(),
        Some(path) => path.to_string(),
    }
}

/// Opens FILE, or stdin when FILE is absent or `-`.
pub(crate) fn open(file: Option<&str>) -> Result<Box<dyn BufRead>, Failure> {
    match file {
        Some("-") | None => Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            std::io::stdin(),
        ))),
        Some(path) => std::fs::File::open(path)
            .map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as Box<dyn BufRead>)
            .map_err(|e| Failure::io(path, &e)),
    }
}

/// Reads lines of `NAME CIDR` or `CIDR`; `#` starts a comment; blank lines are skipped.
/// A name may contain spaces (everything before the last word) and a trailing colon,
/// as in `Other: 10.128.1.1`.
pub(crate) fn read_lines(file: Option<&str>, mode: ParseMode) -> Result<Vec<Line>, Failure> {
    let origin = origin(file);
    let mut reader = open(file)?;
    let mut lines = Vec::new();
    let mut buffer = String::new();
    let mut number = 0usize;
    loop {
        buffer.clear();
        let read = reader
            .read_line(&mut buffer)
            .map_err(|e| Failure::io(&origin, &e))?;
        if read == 0 {
            break;
        }
        number += 1;
        let text = buffer.split('#').next().unwrap_or("").trim();
        if text.is_empty() {
            continue;
        }
        let (name, cidr) = match text.rsplit_once(char::is_whitespace) {
            Some((name, cidr)) => (name.trim().trim_end_matches(':').trim().to_string(), cidr),
            None => (text.to_string(), text),
        };
        let prefix = Prefix::parse_with(cidr, mode)
            .map_err(|e| Failure::at(&format!("{origin}:{number}"), &e))?;
        lines.push(Line { name, prefix });
    }
    Ok(lines)
}
