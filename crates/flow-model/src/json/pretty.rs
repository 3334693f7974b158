//! The pretty style (two spaces, one member per line) exactly as `serde_json::to_string_pretty`
//! writes it, with each indentation written at once: serde_json writes it two spaces at a time,
//! which was a sixth of the time to write a large flow. Strings, numbers and the rest are
//! serde_json's own (the formatter's defaults).
use std::io;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::Formatter;

/// Enough for most indentation in one write (deeper levels take a few).
const SPACES: &[u8; 64] = b"                                                                ";

/// `value` in the pretty style; `capacity` is a guess of the length (e.g. of the text read).
pub(crate) fn to_string(value: &Value, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let written = value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Pretty::default()));
    // Writing a `Value` cannot fail (its map keys are strings), and serde_json writes UTF-8.
    if written.is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// `serde_json::ser::PrettyFormatter` with an indentation of two spaces.
#[derive(Default)]
struct Pretty {
    current_indent: usize,
    has_value: bool,
}

fn indent<W: ?Sized + io::Write>(writer: &mut W, depth: usize) -> io::Result<()> {
    let mut left = depth * 2;
    while left > 0 {
        let chunk = left.min(SPACES.len());
        writer.write_all(SPACES.get(..chunk).unwrap_or_default())?;
        left -= chunk;
    }
    Ok(())
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.current_indent += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.current_indent -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            indent(writer, self.current_indent)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        indent(writer, self.current_indent)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.current_indent += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.current_indent -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            indent(writer, self.current_indent)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        indent(writer, self.current_indent)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_text_as_serde_json() {
        let mut deep = json!("bottom");
        for level in 0..70 {
            deep = if level % 2 == 0 { json!([deep, {}]) } else { json!({"k": deep, "e": []}) };
        }
        let values = [
            json!({}),
            json!([]),
            json!({"a": [], "b": {}, "c": [1, 2.5, -3, 1e300, null, true], "d": {"x": "é\u{1}\"\\\n😀"}}),
            json!([[[]], [{}], {"": ""}]),
            json!("plain"),
            deep,
        ];
        for value in values {
            assert_eq!(to_string(&value, 0), serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
