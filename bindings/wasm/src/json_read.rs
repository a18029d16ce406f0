//! Reads an argument's JSON text (made by `JSON.stringify` in `js/shape.js`) into the
//! core's wire types.
//!
//! A self-describing reader, so serde's `deny_unknown_fields` works as it does for the CLI
//! and Python, and it keeps the path of the value being read so an error names where it
//! arose (`clusters[1].nodes`). Numbers follow JavaScript's: every number is a double, so
//! an integer reaches the types as an integer only below 2^53, as serde-wasm-bindgen did;
//! anything else is a floating-point number. The text comes from `JSON.stringify`, so it is
//! well-formed and bounded in depth; the reader still checks both rather than trust it.

use std::borrow::Cow;

use serde::de::value::StrDeserializer;
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use crate::json_error::Error;

/// The largest integer every double holds exactly, and its neighbours: 2^53 - 1.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Nesting the reader accepts; `js/shape.js` allows less, so this only guards the stack.
const MAX_NESTING: u32 = 64;

/// Reads one value of type `T` from `text`, which must hold nothing else.
pub(crate) fn from_text<'a, T: de::Deserialize<'a>>(text: &'a str) -> Result<T, Error> {
    read_text(text, |reader| T::deserialize(reader))
}

/// Reads one value from `text` with `read`, which may use serde or the reader's own
/// [`Reader::object`] and [`Reader::list`]; `text` must hold nothing else.
pub(crate) fn read_text<'a, T>(
    text: &'a str,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut reader = Reader {
        text,
        pos: 0,
        path: String::new(),
        failed_at: None,
        depth: 0,
    };
    let read = read(&mut reader).and_then(|value| {
        reader.skip_space();
        match reader.pos == text.len() {
            true => Ok(value),
            false => Err(Error::new(String::from(
                "trailing characters after the value",
            ))),
        }
    });
    // The error may have been replaced on its way out (a list names the entry that
    // failed in its message), but where it arose is kept apart.
    read.map_err(|e| e.locate(reader.failed_at.as_deref().unwrap_or_default()))
}

/// Reads a list of strings from `text`, as serde reads a `Vec<String>` (its words and
/// paths) without a copy of serde's sequence code.
pub(crate) fn string_list(text: &str) -> Result<Vec<String>, Error> {
    read_text(text, |reader| {
        let mut list = Vec::new();
        reader.list(&mut |r| {
            list.push(r.string_value()?);
            Ok(())
        })?;
        Ok(list)
    })
}

/// Reads a string from `text`, as serde reads a `String`.
pub(crate) fn string_text(text: &str) -> Result<String, Error> {
    read_text(text, |reader| reader.string_value())
}

/// A value read by serde, for the readers built on [`Reader::object`] and [`Reader::list`].
pub(crate) fn value<'a, T: Deserialize<'a>>(reader: &mut Reader<'a>) -> Result<T, Error> {
    T::deserialize(reader)
}

/// The text, where the next value starts, and the path of the value being read.
pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// The path of the value being read (`.clusters[1]`).
    path: String,
    /// The path of the deepest value that failed, once one has.
    failed_at: Option<String>,
    depth: u32,
}

/// A number as written: an integer JavaScript holds exactly, or anything else as a double.
enum Number {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl<'a> Reader<'a> {
    /// Notes the current path as where reading failed, unless a deeper value already
    /// failed (errors pass outward through every enclosing entry).
    #[inline(never)]
    fn note_failure(&mut self) {
        if self.failed_at.is_none() {
            self.failed_at = Some(self.path.clone());
        }
    }

    fn fail<T>(&self, message: &str) -> Result<T, Error> {
        Err(Error::new(format!("malformed JSON: {message}")))
    }

    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    /// The next byte that is not white space, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Reads a scalar whole, or enters the array or object that starts here. Not generic,
    /// so the one copy serves every type read.
    #[inline(never)]
    fn token(&mut self) -> Result<Token<'a>, Error> {
        match self.peek() {
            Some(b'n') => self.expect_word("null").map(|()| Token::Null),
            Some(b't') => self.expect_word("true").map(|()| Token::Bool(true)),
            Some(b'f') => self.expect_word("false").map(|()| Token::Bool(false)),
            Some(b'"') => self.string().map(Token::Str),
            Some(b'[') => self.enter().map(|()| Token::Array),
            Some(b'{') => self.enter().map(|()| Token::Object),
            Some(b'-' | b'0'..=b'9') => self.number().map(|(n, text)| Token::Number(n, text)),
            _ => self.fail("expected a value"),
        }
    }

    /// Consumes `word` (`null`, `true`, `false`) at the current position.
    fn expect_word(&mut self, word: &str) -> Result<(), Error> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.fail("unknown literal")
        }
    }

    /// Enters an array or object, refusing nesting past [`MAX_NESTING`].
    #[inline(never)]
    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Error::new(format!(
                "nested deeper than {MAX_NESTING} levels"
            )));
        }
        self.pos += 1;
        Ok(())
    }

    /// Leaves an array or object at its closing byte, after its visitor has read it.
    #[inline(never)]
    fn leave(&mut self, close: u8) -> Result<(), Error> {
        self.depth -= 1;
        if self.peek() == Some(close) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Error::new(String::from("more entries than expected")))
        }
    }

    /// Before the next entry of an array or object: `false` at its end.
    #[inline(never)]
    fn has_next(&mut self, first: bool, close: u8) -> Result<bool, Error> {
        match self.peek() {
            Some(b) if b == close => Ok(false),
            Some(b',') if !first => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) if first => Ok(true),
            _ => self.fail("expected `,` or the end of a list"),
        }
    }

    /// A string at the current position (after its opening quote has been seen).
    #[inline(never)]
    fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        let bytes = self.text.as_bytes();
        let start = self.pos + 1;
        let mut end = start;
        while end < bytes.len() && !matches!(bytes[end], b'"' | b'\\' | 0..=0x1f) {
            end += 1;
        }
        if bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Ok(Cow::Borrowed(&self.text[start..end]));
        }
        let mut out = String::from(&self.text[start..end]);
        let mut at = end;
        loop {
            match bytes.get(at) {
                Some(b'"') => break,
                Some(b'\\') => {
                    let escaped = bytes.get(at + 1).copied();
                    at += 2;
                    let c = match escaped {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, used) = self.unicode_escape(at)?;
                            at += used;
                            c
                        }
                        _ => return self.fail("invalid escape in a string"),
                    };
                    out.push(c);
                }
                Some(0..=0x1f) => return self.fail("control character in a string"),
                Some(_) => {
                    // Copy up to the next quote or escape in one piece (UTF-8 stays whole).
                    let from = at;
                    while at < bytes.len() && !matches!(bytes[at], b'"' | b'\\' | 0..=0x1f) {
                        at += 1;
                    }
                    out.push_str(&self.text[from..at]);
                }
                None => return self.fail("unterminated string"),
            }
        }
        self.pos = at + 1;
        Ok(Cow::Owned(out))
    }

    /// The character of a `\uXXXX` escape whose hex digits start at `at` (a surrogate pair
    /// takes two escapes), and how many bytes after `at` it used.
    fn unicode_escape(&self, at: usize) -> Result<(char, usize), Error> {
        let hex = |from: usize| -> Option<u32> {
            let digits = self.text.get(from..from + 4)?;
            u32::from_str_radix(digits, 16).ok()
        };
        let Some(high) = hex(at) else {
            return self.fail("invalid \\u escape in a string");
        };
        if !(0xD800..0xDC00).contains(&high) {
            return match char::from_u32(high) {
                Some(c) => Ok((c, 4)),
                None => Err(Error::new(String::from(
                    "a string holds a lone UTF-16 surrogate, which is not text",
                ))),
            };
        }
        let low = match self.text.get(at + 4..at + 6) {
            Some("\\u") => hex(at + 6),
            _ => None,
        };
        match low {
            Some(low @ 0xDC00..=0xDFFF) => {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                Ok((char::from_u32(code).unwrap_or('\u{FFFD}'), 10))
            }
            _ => Err(Error::new(String::from(
                "a string holds a lone UTF-16 surrogate, which is not text",
            ))),
        }
    }

    /// A number at the current position, and its text.
    #[inline(never)]
    fn number(&mut self) -> Result<(Number, &'a str), Error> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut at = start;
        let negative = bytes.get(at) == Some(&b'-');
        if negative {
            at += 1;
        }
        let digits_start = at;
        // Up to 19 significant digits are kept exactly; later ones only scale the value
        // (or, after the point, make it inexact: `lost`).
        let mut mantissa: u64 = 0;
        let mut kept = 0u32;
        let mut scale: i32 = 0;
        let mut lost = false;
        let mut push_digit = |d: u8, after_point: bool| {
            if kept < 19 {
                mantissa = mantissa * 10 + u64::from(d - b'0');
                if mantissa != 0 {
                    kept += 1;
                }
                if after_point {
                    scale -= 1;
                }
            } else if !after_point {
                scale += 1;
            } else {
                lost |= d != b'0';
            }
        };
        while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
            push_digit(d, false);
            at += 1;
        }
        if at == digits_start {
            return self.fail("expected a value");
        }
        if bytes[digits_start] == b'0' && at > digits_start + 1 {
            return self.fail("a number with a leading zero");
        }
        let digits_at = |at: usize| matches!(bytes.get(at), Some(b'0'..=b'9'));
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if !digits_at(at) {
                return self.fail("expected digits after `.`");
            }
            while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
                push_digit(d, true);
                at += 1;
            }
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            let exp_negative = bytes.get(at) == Some(&b'-');
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !digits_at(at) {
                return self.fail("expected digits in an exponent");
            }
            let mut exp: i32 = 0;
            while let Some(&d @ b'0'..=b'9') = bytes.get(at) {
                exp = (exp * 10 + i32::from(d - b'0')).min(10_000);
                at += 1;
            }
            scale += if exp_negative { -exp } else { exp };
        }
        self.pos = at;
        let text = &self.text[start..at];
        // Whether the text is an integer: a fraction of zeros only, and an exponent that
        // does not leave a fraction either.
        let mut integral = !lost;
        let mut whole = mantissa;
        for _ in scale..0 {
            integral &= whole % 10 == 0;
            whole /= 10;
        }
        // An integer JavaScript holds exactly crosses as one.
        if integral {
            for _ in 0..scale.max(0) {
                whole = whole.saturating_mul(10);
            }
            if whole <= MAX_SAFE_INTEGER {
                let number = if negative && whole != 0 {
                    Number::Signed(-(whole as i64))
                } else {
                    Number::Unsigned(whole)
                };
                return Ok((number, text));
            }
        }
        // Close enough for what a double that is not a safe integer is used for: refusing
        // it, or saying whether it is whole. (Two steps keep the power of ten a normal
        // double for the smallest numbers.)
        let mut value = if scale < -300 {
            mantissa as f64 * 10f64.powi(scale + 300) * 1e-300
        } else {
            mantissa as f64 * 10f64.powi(scale)
        };
        // A number `JSON.stringify` wrote with a fraction is not whole, even where the
        // estimate above rounded it to a whole one (4096.9999999999995): the next double up
        // is not. (One too small for a double is 0, as in JavaScript.)
        if !integral && value != 0.0 && value.fract() == 0.0 && value < (1u64 << 53) as f64 {
            value = f64::from_bits(value.to_bits() + 1);
        }
        Ok((Number::Float(if negative { -value } else { value }), text))
    }

    /// Runs `read` for the entry at `step` (`[3]`, `.name`), the path extended by it.
    fn at_step(
        &mut self,
        step: Step<'_>,
        read: &mut dyn FnMut(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let len = self.push_step(step);
        let result = read(self);
        self.pop_step(len, result.is_err());
        result
    }

    /// Leaves the step `push_step` entered: notes a failure there, then cuts the path
    /// back to `len`.
    #[inline(never)]
    fn pop_step(&mut self, len: usize, failed: bool) {
        if failed {
            self.note_failure();
        }
        self.path.truncate(len);
    }

    /// Extends the path by `step`; returns its length before.
    #[inline(never)]
    fn push_step(&mut self, step: Step<'_>) -> usize {
        let len = self.path.len();
        match step {
            Step::Index(i) => {
                self.path.push('[');
                self.path.push_str(&i.to_string());
                self.path.push(']');
            }
            Step::Key(key) => {
                self.path.push('.');
                self.path.push_str(key);
            }
        }
        len
    }
}

/// What a value starts with: a whole scalar, or the opening of an array or object.
enum Token<'a> {
    Null,
    Bool(bool),
    Str(Cow<'a, str>),
    Number(Number, &'a str),
    Array,
    Object,
}

/// One step of a path.
enum Step<'k> {
    Index(usize),
    Key(&'k str),
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Null => visitor.visit_unit(),
            Token::Bool(b) => visitor.visit_bool(b),
            // One call for both cases keeps each visitor's copy small; the wire types own
            // their strings anyway.
            Token::Str(s) => visitor.visit_str(&s),
            Token::Number(Number::Unsigned(n), _) => visitor.visit_u64(n),
            Token::Number(Number::Signed(n), _) => visitor.visit_i64(n),
            Token::Number(Number::Float(x), text) => visitor
                .visit_f64(x)
                .map_err(|e: Error| e.quote_number(text)),
            Token::Array => {
                let value = visitor.visit_seq(Entries::new(self))?;
                self.leave(b']')?;
                Ok(value)
            }
            Token::Object => {
                let value = visitor.visit_map(Entries::new(self))?;
                self.leave(b'}')?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek() == Some(b'n') {
            self.expect_word("null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // The wire's enums are all plain names (`"gcp"`, `"dual"`); anything else is the
        // error the visitor's defaults would give, without a copy of each default.
        if self.peek() == Some(b'"') {
            let name = self.string()?;
            visitor.visit_enum(UnitVariant(name))
        } else {
            let found = self.token()?;
            Err(unexpected(found, &visitor))
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Bool(b) => visitor.visit_bool(b),
            other => Err(unexpected(other, &visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            // One call for both cases keeps each visitor's copy small; the wire types own
            // their strings anyway.
            Token::Str(s) => visitor.visit_str(&s),
            other => Err(unexpected(other, &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Null => visitor.visit_unit(),
            other => Err(unexpected(other, &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Array => {
                let value = visitor.visit_seq(Entries::new(self))?;
                self.leave(b']')?;
                Ok(value)
            }
            other => Err(unexpected(other, &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Object => {
                let value = visitor.visit_map(Entries::new(self))?;
                self.leave(b'}')?;
                Ok(value)
            }
            other => Err(unexpected(other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_number(visitor)
    }

    forward_to_deserialize_any! { i128 u128 bytes byte_buf }
}

impl<'de> Reader<'de> {
    /// Any number: integers below 2^53 as integers, the rest as doubles.
    fn deserialize_number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        match self.token()? {
            Token::Number(Number::Unsigned(n), _) => visitor.visit_u64(n),
            Token::Number(Number::Signed(n), _) => visitor.visit_i64(n),
            Token::Number(Number::Float(x), text) => visitor
                .visit_f64(x)
                .map_err(|e: Error| e.quote_number(text)),
            other => Err(unexpected(other, &visitor)),
        }
    }

    /// A string value, as serde reads a `String`: one copy for every reader that wants one.
    #[inline(never)]
    pub(crate) fn string_value(&mut self) -> Result<String, Error> {
        String::deserialize(self)
    }

    /// Reads an object whose keys are among `fields`, calling `field` with each key's
    /// index to read its value; returns the set of indexes read (bit `i` for `fields[i]`).
    ///
    /// Serde's derived code without its per-type copies: the same order of reading, the
    /// same errors (an unknown key named by its own path, a repeated key by the object's)
    /// and the same words. Missing keys are the caller's to check, with `missing_field`.
    pub(crate) fn object(
        &mut self,
        expecting: &dyn de::Expected,
        fields: &'static [&'static str],
        field: &mut dyn FnMut(&mut Self, usize) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        use de::Error as _;
        match self.token()? {
            Token::Object => {}
            other => return Err(unexpected(other, expecting)),
        }
        let mut seen = 0u64;
        let mut first = true;
        while self.has_next(first, b'}')? {
            first = false;
            if self.peek() != Some(b'"') {
                return self.fail("expected a key");
            }
            let key = self.string()?;
            let Some(index) = fields.iter().position(|f| *f == key) else {
                // An unknown key is named by its own path; the other errors by the object's.
                let len = self.push_step(Step::Key(&key));
                self.pop_step(len, true);
                return Err(Error::unknown_field(&key, fields));
            };
            if self.peek() != Some(b':') {
                return self.fail("expected `:` after a key");
            }
            self.pos += 1;
            if seen & (1 << index) != 0 {
                return Err(Error::duplicate_field(fields[index]));
            }
            seen |= 1 << index;
            self.at_step(Step::Key(&key), &mut |r| field(r, index))?;
        }
        self.leave(b'}')?;
        Ok(seen)
    }

    /// Reads an array, calling `entry` for each of its entries, as serde's `Vec` does.
    pub(crate) fn list(
        &mut self,
        entry: &mut dyn FnMut(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.token()? {
            Token::Array => {}
            other => return Err(unexpected(other, &"a sequence")),
        }
        let mut index = 0;
        while self.has_next(index == 0, b']')? {
            self.at_step(Step::Index(index), entry)?;
            index += 1;
        }
        self.leave(b']')
    }

    /// Reads an array of exactly `len` entries, calling `entry` with each index, as serde
    /// reads a tuple: too few is "invalid length", too many "more entries than expected".
    pub(crate) fn tuple(
        &mut self,
        expecting: &dyn de::Expected,
        len: usize,
        entry: &mut dyn FnMut(&mut Self, usize) -> Result<(), Error>,
    ) -> Result<(), Error> {
        use de::Error as _;
        match self.token()? {
            Token::Array => {}
            other => return Err(unexpected(other, expecting)),
        }
        for index in 0..len {
            if !self.has_next(index == 0, b']')? {
                return Err(Error::invalid_length(index, expecting));
            }
            self.at_step(Step::Index(index), &mut |r| entry(r, index))?;
        }
        self.leave(b']')
    }

    /// Reads past one value without building anything.
    #[inline(never)]
    fn skip_value(&mut self) -> Result<(), Error> {
        let close = match self.token()? {
            Token::Array => b']',
            Token::Object => b'}',
            _ => return Ok(()),
        };
        let mut first = true;
        while self.has_next(first, close)? {
            if close == b'}' {
                self.string()?;
                if self.peek() != Some(b':') {
                    return self.fail("expected `:` after a key");
                }
                self.pos += 1;
            }
            self.skip_value()?;
            first = false;
        }
        self.leave(close)
    }
}

/// The error for a value of the wrong kind. Not generic: `expected` is the visitor, which
/// says what it wanted.
#[inline(never)]
fn unexpected(found: Token<'_>, expected: &dyn de::Expected) -> Error {
    use de::Error as _;
    let (unexpected, number) = match &found {
        Token::Null => (de::Unexpected::Unit, ""),
        Token::Bool(b) => (de::Unexpected::Bool(*b), ""),
        Token::Str(s) => (de::Unexpected::Str(s), ""),
        Token::Number(Number::Unsigned(n), _) => (de::Unexpected::Unsigned(*n), ""),
        Token::Number(Number::Signed(n), _) => (de::Unexpected::Signed(*n), ""),
        Token::Number(Number::Float(x), text) => (de::Unexpected::Float(*x), *text),
        Token::Array => (de::Unexpected::Seq, ""),
        Token::Object => (de::Unexpected::Map, ""),
    };
    Error::invalid_type(unexpected, expected).quote_number(number)
}

/// The entries of an array or an object being read, and how many were read.
struct Entries<'r, 'de> {
    reader: &'r mut Reader<'de>,
    index: usize,
    /// Where the last key read starts (its opening quote).
    key_at: usize,
}

impl<'r, 'de> Entries<'r, 'de> {
    fn new(reader: &'r mut Reader<'de>) -> Self {
        Entries {
            reader,
            index: 0,
            key_at: 0,
        }
    }
}

impl<'de> SeqAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    #[inline(never)]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.reader.has_next(self.index == 0, b']')? {
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        let len = self.reader.push_step(Step::Index(index));
        let read = seed.deserialize(&mut *self.reader);
        self.reader.pop_step(len, read.is_err());
        read.map(Some)
    }
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.reader.has_next(self.index == 0, b'}')? {
            return Ok(None);
        }
        self.index += 1;
        if self.reader.peek() != Some(b'"') {
            return self.reader.fail("expected a key");
        }
        self.key_at = self.reader.pos;
        let key = self.reader.string()?;
        let read = seed.deserialize(StrDeserializer::new(&key));
        // A refused key (an unknown field) is named by its own path.
        let key = match read {
            Ok(key) => key,
            Err(e) => {
                let len = self.push_key()?;
                self.reader.pop_step(len, true);
                return Err(e);
            }
        };
        if self.reader.peek() != Some(b':') {
            return self.reader.fail("expected `:` after a key");
        }
        self.reader.pos += 1;
        Ok(Some(key))
    }

    #[inline(never)]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let len = self.push_key()?;
        let read = seed.deserialize(&mut *self.reader);
        self.reader.pop_step(len, read.is_err());
        read
    }
}

impl<'de> Entries<'_, 'de> {
    /// Extends the path by the key last read; returns the path's length before.
    #[inline(never)]
    fn push_key(&mut self) -> Result<usize, Error> {
        let resume = self.reader.pos;
        self.reader.pos = self.key_at;
        let key = self.reader.string()?;
        self.reader.pos = resume;
        Ok(self.reader.push_step(Step::Key(&key)))
    }
}

/// An enum variant written as its name.
struct UnitVariant<'de>(Cow<'de, str>);

impl<'de> EnumAccess<'de> for UnitVariant<'de> {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly), Error> {
        let value = seed.deserialize(StrDeserializer::new(&self.0))?;
        Ok((value, UnitOnly))
    }
}

/// The content of a variant written as a bare name: none.
struct UnitOnly;

impl<'de> de::VariantAccess<'de> for UnitOnly {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a variant with a value",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a struct variant",
        ))
    }
}
