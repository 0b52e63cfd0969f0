use std::borrow::Cow;

use super::value::{Member, Node, Value};
use crate::diagnostic::{quote, Diagnostic};
use crate::span::Span;

/// Arrays and objects nested deeper than this are rejected. Policies need
/// about six levels and scenarios about nine.
pub const MAX_DEPTH: usize = 64;

/// Parses one JSON document. The whole input must be one value, optionally
/// surrounded by whitespace.
pub fn parse(text: &str) -> Result<Node<'_>, Diagnostic> {
    if text.len() > u32::MAX as usize {
        return Err(*Box::new(Diagnostic::error(
            "json-too-large",
            Span::new(0, 0),
            format!("input is {} bytes, more than this reader accepts", text.len()),
        )));
    }
    let mut p = Parser { src: text, bytes: text.as_bytes(), pos: 0, items: Vec::new(), members: Vec::new() };
    p.skip_ws();
    let node = p.value(0).map_err(|e| *e)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        let start = p.pos;
        return Err(*Box::new(Diagnostic::error(
            "json-trailing-characters",
            Span::from_range(start, text.len().min(start + 16)),
            "unexpected characters after the end of the JSON value",
        )
        .with_help("a document holds exactly one JSON value; remove what follows it")));
    }
    Ok(node)
}

/// Checks that `bytes` are UTF-8 and parses them.
pub fn parse_bytes(bytes: &[u8]) -> Result<Node<'_>, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let at = e.valid_up_to();
            Err(*Box::new(Diagnostic::error(
                "json-invalid-utf8",
                Span::from_range(at, at + e.error_len().unwrap_or(1)),
                format!("invalid UTF-8 at byte {at}"),
            )
            .with_help("save the file as UTF-8")))
        }
    }
}

/// Errors are boxed inside the reader so that results stay small: every
/// value returns through several frames.
type R<T> = Result<T, Box<Diagnostic>>;

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Scratch stacks: elements of the arrays and objects being read are
    /// collected here, then moved into one exactly sized vector each.
    items: Vec<Node<'a>>,
    members: Vec<Member<'a>>,
}

fn describe(b: Option<u8>, src: &str, pos: usize) -> String {
    match b {
        None => "the end of the input".to_owned(),
        Some(_) => {
            let ch = src.get(pos..).and_then(|s| s.chars().next()).unwrap_or('\u{fffd}');
            quote(&ch.to_string())
        }
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn here(&self) -> Span {
        let end = self.src.get(self.pos..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8);
        Span::from_range(self.pos, self.pos + end)
    }

    fn unexpected(&self, expected: &str) -> Box<Diagnostic> {
        Box::new({
        let found = describe(self.peek(), self.src, self.pos);
        Diagnostic::error("json-syntax", self.here(), format!("expected {expected}, found {found}"))
        })
    }

    fn value(&mut self, depth: usize) -> R<Node<'a>> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => {
                return Err(Box::new(self.unexpected("a JSON value").with_help("JSON strings use double quotes")))
            }
            _ => return Err(self.unexpected("a JSON value")),
        };
        Ok(Node { value, span: Span::from_range(start, self.pos) })
    }

    fn enter(&self, depth: usize) -> R<usize> {
        if depth >= MAX_DEPTH {
            return Err(Box::new(Diagnostic::error(
                "json-too-deep",
                self.here(),
                format!("arrays and objects are nested more than {MAX_DEPTH} levels deep"),
            )
            .with_help("IAM policies need no more than a handful of levels")));
        }
        Ok(depth + 1)
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> R<Value<'a>> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            let end = self
                .bytes
                .get(self.pos..)
                .unwrap_or(&[])
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(self.bytes.len(), |n| self.pos + n);
            let found = self.src.get(self.pos..end.max(self.pos + 1)).unwrap_or("");
            Err(Box::new(Diagnostic::error(
                "json-syntax",
                Span::from_range(self.pos, end.max(self.pos + 1)),
                format!("expected a JSON value, found {}", quote(found)),
            )
            .with_help("strings must be in double quotes")))
        }
    }

    fn array(&mut self, depth: usize) -> R<Value<'a>> {
        let depth = self.enter(depth)?;
        self.pos += 1; // [
        let base = self.items.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(Vec::new()));
        }
        loop {
            self.skip_ws();
            let item = self.value(depth)?;
            self.items.push(item);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(Box::new(Diagnostic::error(
                            "json-trailing-comma",
                            Span::from_range(self.pos - 1, self.pos),
                            "trailing comma before `]`",
                        )
                        .with_help("remove the comma after the last element")));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(self.items.drain(base..).collect()));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> R<Value<'a>> {
        let depth = self.enter(depth)?;
        self.pos += 1; // {
        let base = self.members.len();
        let mut seen: Option<std::collections::HashMap<Cow<'a, str>, Span>> = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Vec::new()));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                let err = self.unexpected("a key in double quotes");
                return Err(if self.peek() == Some(b'}') {
                    Box::new(err.with_help("remove the comma after the last member"))
                } else {
                    err
                });
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::from_range(key_start, self.pos);
            // Duplicates are reported where the second key stands, before
            // anything after it (large objects use a hash map).
            let earlier = self.members.get(base..).unwrap_or(&[]);
            let first = if earlier.len() < 16 {
                earlier.iter().find(|m| m.key == key).map(|m| m.key_span)
            } else {
                let set = seen.get_or_insert_with(|| earlier.iter().map(|m| (m.key.clone(), m.key_span)).collect());
                set.get(&key).copied()
            };
            if let Some(first) = first {
                return Err(Box::new(duplicate(&key, key_span, first)));
            }
            if let Some(set) = seen.as_mut() {
                set.insert(key.clone(), key_span);
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("`:` after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            self.members.push(Member { key, key_span, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(self.members.drain(base..).collect()));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn string(&mut self) -> R<Cow<'a, str>> {
        let open = self.pos;
        self.pos += 1; // "
        let start = self.pos;
        // Fast path: jump to the next quote or backslash, then check that the
        // run holds no control characters.
        let rest = self.bytes.get(start..).unwrap_or(&[]);
        match memchr::memchr2(b'"', b'\\', rest) {
            None => {
                self.pos = start + rest.iter().position(|&b| b < 0x20).unwrap_or(rest.len());
                return Err(if self.pos < self.bytes.len() { self.control_char(open) } else { self.unterminated(open) });
            }
            Some(n) => {
                let run = rest.get(..n).unwrap_or(&[]);
                if let Some(bad) = run.iter().position(|&b| b < 0x20) {
                    self.pos = start + bad;
                    return Err(self.control_char(open));
                }
                self.pos = start + n;
                if self.peek() == Some(b'"') {
                    let s = self.src.get(start..self.pos).unwrap_or("");
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
            }
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(self.src.get(start..self.pos).unwrap_or(""));
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.src.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                None => return Err(self.unterminated(open)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err(self.control_char(open)),
            }
        }
    }

    fn unterminated(&self, open: usize) -> Box<Diagnostic> {
        Box::new({
        Diagnostic::error("json-syntax", Span::from_range(open, open + 1), "unterminated string")
            .with_help("add the closing `\"`")
        })
    }

    fn control_char(&self, _open: usize) -> Box<Diagnostic> {
        Box::new({
        let what = match self.peek() {
            Some(b'\n') => "a line break".to_owned(),
            Some(b'\t') => "a tab".to_owned(),
            Some(b) => format!("control character U+{b:04X}"),
            None => "a control character".to_owned(),
        };
        Diagnostic::error("json-syntax", Span::from_range(self.pos, self.pos + 1), format!("{what} inside a string"))
            .with_help("write it as an escape such as `\\n` or `\\t`, or close the string first")
        })
    }

    fn escape(&mut self, out: &mut String) -> R<()> {
        let at = self.pos;
        self.pos += 1; // backslash
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.bad_surrogate(at));
                    }
                    self.pos += 2;
                    let lo = self.hex4(at)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.bad_surrogate(at));
                    }
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                } else if (0xDC00..0xE000).contains(&hi) {
                    None
                } else {
                    char::from_u32(hi)
                };
                let c = c.ok_or_else(|| self.bad_surrogate(at))?;
                out.push(c);
                return Ok(());
            }
            _ => {
                return Err(Box::new(Diagnostic::error(
                    "json-syntax",
                    Span::from_range(at, (self.pos + 1).min(self.bytes.len())),
                    format!("invalid escape {}", quote(self.src.get(at..(self.pos + 1).min(self.bytes.len())).unwrap_or("\\"))),
                )
                .with_help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")))
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> R<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).unwrap_or(&[]);
        let ok = digits.len() == 4 && digits.iter().all(u8::is_ascii_hexdigit);
        let text = if ok { std::str::from_utf8(digits).ok() } else { None };
        let value = text.and_then(|t| u32::from_str_radix(t, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(Box::new(Diagnostic::error(
                "json-syntax",
                Span::from_range(at, (self.pos + 4).min(self.bytes.len())),
                "`\\u` must be followed by four hexadecimal digits",
            ))),
        }
    }

    fn bad_surrogate(&self, at: usize) -> Box<Diagnostic> {
        Box::new({
        Diagnostic::error(
            "json-syntax",
            Span::from_range(at, self.pos.min(self.bytes.len())),
            "invalid unicode escape: unpaired surrogate",
        )
        })
    }

    fn number(&mut self) -> R<Value<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.bad_number(start)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.bad_number(start));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.bad_number(start));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.bad_number(start));
        }
        Ok(Value::Number(self.src.get(start..self.pos).unwrap_or("0")))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn bad_number(&self, start: usize) -> Box<Diagnostic> {
        Box::new({
        let end = (self.pos + 1).min(self.bytes.len()).max(start + 1);
        Diagnostic::error(
            "json-syntax",
            Span::from_range(start, end),
            format!("invalid number {}", quote(self.src.get(start..end).unwrap_or(""))),
        )
        .with_help("put the value in double quotes if it is text")
        })
    }
}

/// The duplicate-key error: at the second key, with the first labelled.
pub(super) fn duplicate(key: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::error("json-duplicate-key", span, format!("duplicate key {}", quote(key)))
        .with_label(first, "first defined here")
        .with_help("each key may appear once per object; merge the two entries")
}
