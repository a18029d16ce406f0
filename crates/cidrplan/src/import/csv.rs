//! CSV records with csv-core (no_std): one `Vec<String>` per record.

use alloc::string::String;
use alloc::vec::Vec;

use csv_core::{ReadFieldResult, Reader};

/// Splits `text` into records of fields (RFC 4180: quoted fields, doubled quotes, CRLF or
/// LF). Blank lines give no record. Work and memory are linear in the text.
pub(crate) fn records(text: &str) -> Vec<Vec<String>> {
    let mut reader = Reader::new();
    let mut input = text.as_bytes();
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let (result, read, written) = reader.read_field(input, &mut buf);
        input = &input[read..];
        field.extend_from_slice(&buf[..written]);
        match result {
            ReadFieldResult::InputEmpty => {
                if input.is_empty() {
                    // Tell the reader the input is over: it ends the last field.
                    let (result, _, written) = reader.read_field(&[], &mut buf);
                    field.extend_from_slice(&buf[..written]);
                    if let ReadFieldResult::Field { record_end } = result {
                        record.push(String::from_utf8_lossy(&field).into_owned());
                        field.clear();
                        if record_end {
                            push(&mut records, core::mem::take(&mut record));
                        }
                        continue;
                    }
                    break;
                }
            }
            ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                record.push(String::from_utf8_lossy(&field).into_owned());
                field.clear();
                if record_end {
                    push(&mut records, core::mem::take(&mut record));
                }
            }
            ReadFieldResult::End => break,
        }
    }
    if !record.is_empty() {
        push(&mut records, record);
    }
    records
}

fn push(records: &mut Vec<Vec<String>>, record: Vec<String>) {
    if !(record.len() == 1 && record[0].trim().is_empty()) {
        records.push(record);
    }
}

#[cfg(test)]
mod tests {
    use super::records;

    #[test]
    fn quoted_fields_and_line_endings() {
        let r = records("prefix,description\r\n10.0.0.0/8,\"a, \"\"b\"\"\"\n\n192.168.0.0/16,x");
        assert_eq!(r.len(), 3);
        assert_eq!(r[1], ["10.0.0.0/8", "a, \"b\""]);
        assert_eq!(r[2], ["192.168.0.0/16", "x"]);
    }
}
