//! Where a cursor is in a policy being typed: inside which string, as a key
//! or a value, under which keys. A tolerant scanner, because while someone
//! types, the text is rarely valid JSON (`"Action": "s3:GetOb` has no
//! closing quote yet).

/// Whether a string is an object key or a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Key,
    Value,
}

/// The string a cursor is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The keys from the root to the string: the key of each enclosing
    /// object member (arrays add nothing), and for a value its own key.
    /// `"Statement": [{"Condition": {"StringEquals": {"aws:` is
    /// `["Statement", "Condition", "StringEquals"]` with [`Place::Key`].
    pub path: Vec<String>,
    pub place: Place,
    /// Byte offset of the string's first character (after the quote).
    pub start: usize,
    /// Byte offset of the closing quote, or of the end of the line when the
    /// string is not closed yet.
    pub end: usize,
    /// Byte offset of the cursor (`start <= cursor <= end`).
    pub cursor: usize,
}

impl Cursor {
    /// The path as string slices, for matching.
    pub fn keys(&self) -> Vec<&str> {
        self.path.iter().map(String::as_str).collect()
    }

    /// The string's text before the cursor.
    pub fn typed<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.cursor).unwrap_or("")
    }

    /// The whole string's text.
    pub fn word<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Key,
    Colon,
    Value,
    Comma,
}

#[derive(Debug)]
enum Frame {
    Object { key: Option<String>, expect: Expect },
    Array,
}

/// The end of the string that starts at `start` (the byte after its
/// opening quote): the closing quote, or the end of the line when it is not
/// closed, and whether it was closed.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return (i, true),
            b'\n' | b'\r' => return (i, false),
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

/// The string the cursor (a byte offset) is in, if any.
pub fn at(text: &str, cursor: usize) -> Option<Cursor> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // A value begins: the enclosing member is complete once it ends.
    fn value_started(stack: &mut [Frame]) {
        if let Some(Frame::Object { expect, .. }) = stack.last_mut() {
            if *expect == Expect::Value {
                *expect = Expect::Comma;
            }
        }
    }
    while i < cursor {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'{' => {
                value_started(&mut stack);
                stack.push(Frame::Object { key: None, expect: Expect::Key });
                i += 1;
            }
            b'[' => {
                value_started(&mut stack);
                stack.push(Frame::Array);
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { expect, .. }) = stack.last_mut() {
                    *expect = Expect::Value;
                }
                i += 1;
            }
            b',' => {
                if let Some(Frame::Object { expect, .. }) = stack.last_mut() {
                    *expect = Expect::Key;
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let (end, closed) = string_end(bytes, start);
                if start <= cursor && cursor <= end {
                    return Some(cursor_in(&stack, start, end, cursor));
                }
                match stack.last_mut() {
                    Some(Frame::Object { key, expect }) if matches!(*expect, Expect::Key | Expect::Comma) => {
                        *key = Some(text.get(start..end).unwrap_or("").to_owned());
                        *expect = Expect::Colon;
                    }
                    Some(Frame::Object { expect, .. }) if *expect == Expect::Value => *expect = Expect::Comma,
                    _ => {}
                }
                i = if closed { end + 1 } else { end };
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                // A number, `true`, `null` or a typo: one value.
                value_started(&mut stack);
                i += 1;
            }
        }
    }
    None
}

fn cursor_in(stack: &[Frame], start: usize, end: usize, cursor: usize) -> Cursor {
    let place = match stack.last() {
        Some(Frame::Object { expect: Expect::Key | Expect::Comma, .. }) => Place::Key,
        _ => Place::Value,
    };
    let mut path = Vec::new();
    let n = stack.len();
    for (depth, frame) in stack.iter().enumerate() {
        if let Frame::Object { key: Some(k), .. } = frame {
            let innermost = depth + 1 == n;
            if !innermost || place == Place::Value {
                path.push(k.clone());
            }
        }
    }
    Cursor { path, place, start, end, cursor }
}

/// Converts a UTF-16 offset (CodeMirror's) to a byte offset of `text`.
pub fn byte_of_utf16(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        if units >= utf16 {
            return byte;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Converts a byte offset of `text` to a UTF-16 offset.
pub fn utf16_of_byte(text: &str, byte: usize) -> u32 {
    let mut b = byte.min(text.len());
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    u32::try_from(text.get(..b).map_or(0, |p| p.encode_utf16().count())).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(text_with_bar: &str) -> Option<(Vec<String>, Place, String)> {
        let cursor = text_with_bar.find('|').unwrap();
        let text = text_with_bar.replace('|', "");
        at(&text, cursor).map(|c| (c.path.clone(), c.place, c.typed(&text).to_owned()))
    }

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn finds_values_keys_and_paths_in_unfinished_text() {
        assert_eq!(
            probe(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetOb|"#),
            Some((path(&["Statement", "Action"]), Place::Value, "s3:GetOb".into()))
        );
        assert_eq!(
            probe(r#"{"Statement": {"Action": ["s3:GetObject", "s3:Li|"]}}"#),
            Some((path(&["Statement", "Action"]), Place::Value, "s3:Li".into()))
        );
        assert_eq!(
            probe("{\"Statement\": [{\"Condition\": {\"StringEquals\": {\"aws:So|"),
            Some((path(&["Statement", "Condition", "StringEquals"]), Place::Key, "aws:So".into()))
        );
        assert_eq!(
            probe("{\"Statement\": [{\"Condition\": {\"Str|\"}}]}"),
            Some((path(&["Statement", "Condition"]), Place::Key, "Str".into()))
        );
        assert_eq!(probe(r#"{"Statement": [{"Eff|"#), Some((path(&["Statement"]), Place::Key, "Eff".into())));
        assert_eq!(
            probe(r#"{"Version": "2012-10-17", "Statement": [{"Sid": "a"}, {"Effect": "Al|"}]}"#),
            Some((path(&["Statement", "Effect"]), Place::Value, "Al".into()))
        );
        assert_eq!(probe(r#"{"Ver|"#), Some((vec![], Place::Key, "Ver".into())));
        // Outside any string, or after a closed one: nothing.
        assert_eq!(probe(r#"{"Statement": |"#), None);
        assert_eq!(probe(r#"{"Action": "s3:GetObject"|"#), None);
        // Escaped quotes stay inside the string.
        assert_eq!(
            probe(r#"{"Sid": "a\"b", "Action": "iam:Pa|"#),
            Some((path(&["Action"]), Place::Value, "iam:Pa".into()))
        );
    }

    #[test]
    fn a_key_after_a_nested_value_is_a_key_again() {
        assert_eq!(
            probe(r#"{"Statement": [{"Condition": {"Bool": {"aws:SecureTransport": "true"}}, "Reso|": "*"}]}"#),
            Some((path(&["Statement"]), Place::Key, "Reso".into()))
        );
    }

    #[test]
    fn utf16_offsets_round_trip() {
        let t = "a😀b";
        assert_eq!(byte_of_utf16(t, 3), 5);
        assert_eq!(utf16_of_byte(t, 5), 3);
        assert_eq!(byte_of_utf16(t, 99), t.len());
        assert_eq!(utf16_of_byte(t, 2), 1);
    }
}
