//! A pull reader: the caller walks the document value by value, so policy
//! and scenario readers build their own types directly, without an
//! intermediate tree. Same grammar, limits and messages as [`super::parse`].

use std::borrow::Cow;

use super::parser::MAX_DEPTH;
use super::{Member, Node, Value};
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::span::Span;

/// Errors are boxed so that results stay small.
pub type PullResult<T> = Result<T, Box<Diagnostic>>;

/// The JSON type of the next value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    /// For messages: `an object`, `a string`...
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
        }
    }
}

/// An object being read: pass it to [`Pull::key`] until that returns `None`.
#[derive(Debug)]
pub struct Obj {
    pub start: usize,
    first: bool,
    keys_base: usize,
    /// Keys seen so far, once the object is large (decoded text).
    large: Option<std::collections::HashMap<String, Span>>,
}

/// An array being read: pass it to [`Pull::item`] until that returns `false`.
#[derive(Debug)]
pub struct Arr {
    pub start: usize,
    first: bool,
}

/// A scalar value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    String(Cow<'a, str>),
    Number(&'a str),
    Bool(bool),
    Null,
}

impl<'a> Scalar<'a> {
    /// The scalar as text, as IAM reads condition and context values:
    /// strings as they are, numbers as written, booleans as `true` or
    /// `false`; `None` for null.
    pub fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::String(t) => Some(t),
            Scalar::Number(t) => Some(Cow::Borrowed(t)),
            Scalar::Bool(true) => Some(Cow::Borrowed("true")),
            Scalar::Bool(false) => Some(Cow::Borrowed("false")),
            Scalar::Null => None,
        }
    }
}

#[derive(Debug)]
pub struct Pull<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Keys of the objects being read, for the duplicate check: the key's
    /// text between the quotes as written (escapes compared decoded).
    keys: Vec<(&'a str, Span, bool)>,
}

impl<'a> Pull<'a> {
    pub fn new(src: &'a str) -> Self {
        Pull { src, bytes: src.as_bytes(), pos: 0, depth: 0, keys: Vec::new() }
    }

    /// A reader at byte `pos` of `src`, in the state a reader of the whole
    /// text is in at an element of a top-level array (one level deep, no
    /// object open): reading the element from here gives what reading it in
    /// sequence gives, so the elements can be read apart (in parallel).
    pub fn in_top_array(src: &'a str, pos: usize) -> Self {
        Pull { src, bytes: src.as_bytes(), pos, depth: 1, keys: Vec::new() }
    }

    pub fn src(&self) -> &'a str {
        self.src
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    fn peek_byte(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        // Common case first: the next byte is not whitespace.
        match rest.first() {
            Some(b' ' | b'\t' | b'\n' | b'\r') => {}
            _ => return,
        }
        let n = rest.iter().position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')).unwrap_or(rest.len());
        self.pos += n;
    }

    fn here(&self) -> Span {
        let len = self.src.get(self.pos..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8);
        Span::from_range(self.pos, self.pos + len)
    }

    fn unexpected(&self, expected: &str) -> Box<Diagnostic> {
        let found = match self.peek_byte() {
            None => "the end of the input".to_owned(),
            Some(_) => {
                let ch = self.src.get(self.pos..).and_then(|s| s.chars().next()).unwrap_or('\u{fffd}');
                quote(&ch.to_string())
            }
        };
        Box::new(Diagnostic::error(Code::JsonSyntax, self.here(), format!("expected {expected}, found {found}")))
    }

    /// The kind of the next value, after whitespace.
    pub fn peek(&mut self) -> PullResult<Kind> {
        self.skip_ws();
        match self.peek_byte() {
            Some(b'{') => Ok(Kind::Object),
            Some(b'[') => Ok(Kind::Array),
            Some(b'"') => Ok(Kind::String),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'n') => Ok(Kind::Null),
            Some(b'\'') => Err(Box::new(self.unexpected("a JSON value").with_help("JSON strings use double quotes"))),
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn enter(&mut self) -> PullResult<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Box::new(
                Diagnostic::error(
                    Code::JsonTooDeep,
                    self.here(),
                    format!("arrays and objects are nested more than {MAX_DEPTH} levels deep"),
                )
                .with_help("IAM policies need no more than a handful of levels"),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads the `open` byte of an object or array (one level deeper);
    /// returns its offset.
    fn open(&mut self, open: u8, expected: &str) -> PullResult<usize> {
        self.skip_ws();
        if self.peek_byte() != Some(open) {
            return Err(self.unexpected(expected));
        }
        self.enter()?;
        let start = self.pos;
        self.pos += 1;
        Ok(start)
    }

    /// Reads `{`. The next value must be an object.
    pub fn open_object(&mut self) -> PullResult<Obj> {
        let start = self.open(b'{', "`{`")?;
        Ok(Obj { start, first: true, keys_base: self.keys.len(), large: None })
    }

    /// The next key of `obj` (the value follows), or `None` after the closing `}`.
    pub fn key(&mut self, obj: &mut Obj) -> PullResult<Option<(Cow<'a, str>, Span)>> {
        self.skip_ws();
        if obj.first {
            obj.first = false;
            if self.peek_byte() == Some(b'}') {
                return Ok(self.close_object(obj));
            }
        } else {
            match self.peek_byte() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek_byte() == Some(b'}') {
                        return Err(Box::new(
                            self.unexpected("a key in double quotes")
                                .with_help("remove the comma after the last member"),
                        ));
                    }
                }
                Some(b'}') => return Ok(self.close_object(obj)),
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
        if self.peek_byte() != Some(b'"') {
            return Err(self.unexpected("a key in double quotes"));
        }
        let (key, span) = self.string()?;
        let raw = self.src.get(span.start as usize + 1..(span.end as usize).saturating_sub(1)).unwrap_or("");
        let escaped = matches!(key, Cow::Owned(_));
        let base = obj.keys_base;
        let earlier = self.keys.get(base..).unwrap_or(&[]);
        let first = if earlier.len() < 16 {
            let same = |&(other, _, other_escaped): &(&str, Span, bool)| {
                if other_escaped || escaped {
                    decode(other) == key
                } else {
                    other == raw
                }
            };
            earlier.iter().find(|k| same(k)).map(|(_, s, _)| *s)
        } else {
            // Large objects: a hash map of decoded keys, built once.
            let set =
                obj.large.get_or_insert_with(|| earlier.iter().map(|(k, s, _)| (decode(k).into_owned(), *s)).collect());
            let first = set.get(key.as_ref()).copied();
            set.insert(key.to_string(), span);
            first
        };
        if let Some(first) = first {
            return Err(Box::new(super::parser::duplicate(&key, span, first)));
        }
        self.keys.push((raw, span, escaped));
        self.skip_ws();
        if self.peek_byte() != Some(b':') {
            return Err(self.unexpected("`:` after the key"));
        }
        self.pos += 1;
        Ok(Some((key, span)))
    }

    fn close_object(&mut self, obj: &Obj) -> Option<(Cow<'a, str>, Span)> {
        self.pos += 1; // }
        self.keys.truncate(obj.keys_base);
        self.depth = self.depth.saturating_sub(1);
        None
    }

    /// Reads `[`. The next value must be an array.
    pub fn open_array(&mut self) -> PullResult<Arr> {
        let start = self.open(b'[', "`[`")?;
        Ok(Arr { start, first: true })
    }

    /// Whether another element of `arr` follows (read it next); `false`
    /// after the closing `]`.
    pub fn item(&mut self, arr: &mut Arr) -> PullResult<bool> {
        self.skip_ws();
        if arr.first {
            arr.first = false;
            if self.peek_byte() == Some(b']') {
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                return Ok(false);
            }
            return Ok(true);
        }
        match self.peek_byte() {
            Some(b',') => {
                self.pos += 1;
                self.skip_ws();
                if self.peek_byte() == Some(b']') {
                    return Err(Box::new(
                        Diagnostic::error(
                            Code::JsonTrailingComma,
                            Span::from_range(self.pos - 1, self.pos),
                            "trailing comma before `]`",
                        )
                        .with_help("remove the comma after the last element"),
                    ));
                }
                Ok(true)
            }
            Some(b']') => {
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                Ok(false)
            }
            _ => Err(self.unexpected("`,` or `]`")),
        }
    }

    /// The span from `start` to the current position.
    pub fn span_from(&self, start: usize) -> Span {
        Span::from_range(start, self.pos)
    }

    /// Reads a string; the next value must be one.
    #[expect(
        clippy::expect_used,
        reason = "the text is cut right after the opening quote, where `scan_string` stops (at a quote, a backslash \
                  or a control character) and after an escape: next to ASCII bytes, so at char boundaries"
    )]
    pub fn string(&mut self) -> PullResult<(Cow<'a, str>, Span)> {
        self.skip_ws();
        if self.peek_byte() != Some(b'"') {
            return Err(self.unexpected("a string"));
        }
        let open = self.pos;
        let start = open + 1;
        // Fast path: scan to the first quote, backslash or control character.
        let rest = self.bytes.get(start..).unwrap_or(&[]);
        self.pos = start + scan_string(rest);
        match self.peek_byte() {
            None => return Err(self.unterminated(open)),
            Some(b'"') => {
                let s = self.src.get(start..self.pos).expect("a string without escapes");
                self.pos += 1;
                return Ok((Cow::Borrowed(s), Span::from_range(open, self.pos)));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.control_char()),
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(self.src.get(start..self.pos).expect("the text before the first escape"));
        loop {
            let run = self.pos;
            let rest = self.bytes.get(run..).unwrap_or(&[]);
            self.pos += scan_string(rest);
            out.push_str(self.src.get(run..self.pos).expect("the text between escapes"));
            match self.peek_byte() {
                None => return Err(self.unterminated(open)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((Cow::Owned(out), Span::from_range(open, self.pos)));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err(self.control_char()),
            }
        }
    }

    fn unterminated(&self, open: usize) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(Code::JsonSyntax, Span::from_range(open, open + 1), "unterminated string")
                .with_help("add the closing `\"`"),
        )
    }

    fn control_char(&self) -> Box<Diagnostic> {
        let what = match self.peek_byte() {
            Some(b'\n') => "a line break".to_owned(),
            Some(b'\t') => "a tab".to_owned(),
            Some(b) => format!("control character U+{b:04X}"),
            None => "a control character".to_owned(),
        };
        Box::new(
            Diagnostic::error(
                Code::JsonSyntax,
                Span::from_range(self.pos, self.pos + 1),
                format!("{what} inside a string"),
            )
            .with_help("write it as an escape such as `\\n` or `\\t`, or close the string first"),
        )
    }

    fn escape(&mut self, out: &mut String) -> PullResult<()> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek_byte() {
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
                out.push(c.ok_or_else(|| self.bad_surrogate(at))?);
                return Ok(());
            }
            _ => {
                let end = (self.pos + 1).min(self.bytes.len());
                return Err(Box::new(
                    Diagnostic::error(
                        Code::JsonSyntax,
                        Span::from_range(at, end),
                        format!("invalid escape {}", quote(self.src.get(at..end).unwrap_or("\\"))),
                    )
                    .with_help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"),
                ));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> PullResult<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4).unwrap_or(&[]);
        let ok = digits.len() == 4 && digits.iter().all(u8::is_ascii_hexdigit);
        let value =
            if ok { std::str::from_utf8(digits).ok().and_then(|t| u32::from_str_radix(t, 16).ok()) } else { None };
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(Box::new(Diagnostic::error(
                Code::JsonSyntax,
                Span::from_range(at, (self.pos + 4).min(self.bytes.len())),
                "`\\u` must be followed by four hexadecimal digits",
            ))),
        }
    }

    fn bad_surrogate(&self, at: usize) -> Box<Diagnostic> {
        Box::new(Diagnostic::error(
            Code::JsonSyntax,
            Span::from_range(at, self.pos.min(self.bytes.len())),
            "invalid unicode escape: unpaired surrogate",
        ))
    }

    fn number(&mut self) -> PullResult<&'a str> {
        let start = self.pos;
        let bad = |p: &Self| {
            let end = (p.pos + 1).min(p.bytes.len()).max(start + 1);
            Box::new(
                Diagnostic::error(
                    Code::JsonSyntax,
                    Span::from_range(start, end),
                    format!("invalid number {}", quote(p.src.get(start..end).unwrap_or(""))),
                )
                .with_help("put the value in double quotes if it is text"),
            )
        };
        if self.peek_byte() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek_byte() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(bad(self)),
        }
        if self.peek_byte() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek_byte(), Some(b'0'..=b'9')) {
                return Err(bad(self));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek_byte() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek_byte() {
                self.pos += 1;
            }
            if !matches!(self.peek_byte(), Some(b'0'..=b'9')) {
                return Err(bad(self));
            }
            self.digits();
        }
        if matches!(self.peek_byte(), Some(b'0'..=b'9')) {
            return Err(bad(self));
        }
        Ok(self.src.get(start..self.pos).unwrap_or("0"))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek_byte() {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str) -> PullResult<()> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            return Ok(());
        }
        let end = self
            .bytes
            .get(self.pos..)
            .unwrap_or(&[])
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(self.bytes.len(), |n| self.pos + n)
            .max(self.pos + 1);
        let found = self.src.get(self.pos..end).unwrap_or("");
        Err(Box::new(
            Diagnostic::error(
                Code::JsonSyntax,
                Span::from_range(self.pos, end),
                format!("expected a JSON value, found {}", quote(found)),
            )
            .with_help("strings must be in double quotes"),
        ))
    }

    /// Reads a scalar; the next value must not be an object or array.
    pub fn scalar(&mut self) -> PullResult<(Scalar<'a>, Span)> {
        let kind = self.peek()?;
        let start = self.pos;
        let value = match kind {
            Kind::String => return self.string().map(|(s, span)| (Scalar::String(s), span)),
            Kind::Number => Scalar::Number(self.number()?),
            Kind::Bool => {
                if self.peek_byte() == Some(b't') {
                    self.literal("true")?;
                    Scalar::Bool(true)
                } else {
                    self.literal("false")?;
                    Scalar::Bool(false)
                }
            }
            Kind::Null => {
                self.literal("null")?;
                Scalar::Null
            }
            Kind::Object | Kind::Array => return Err(self.unexpected("a string, number, boolean or null")),
        };
        Ok((value, Span::from_range(start, self.pos)))
    }

    /// Reads and checks any value without keeping it; returns its span.
    pub fn skip(&mut self) -> PullResult<Span> {
        match self.peek()? {
            Kind::Object => {
                let mut obj = self.open_object()?;
                while self.key(&mut obj)?.is_some() {
                    self.skip()?;
                }
                Ok(self.span_from(obj.start))
            }
            Kind::Array => {
                let mut arr = self.open_array()?;
                while self.item(&mut arr)? {
                    self.skip()?;
                }
                Ok(self.span_from(arr.start))
            }
            _ => self.scalar().map(|(_, span)| span),
        }
    }

    /// Reads any value into a tree (for the rare places that need one).
    pub fn node(&mut self) -> PullResult<Node<'a>> {
        match self.peek()? {
            Kind::Object => {
                let mut obj = self.open_object()?;
                let mut members = Vec::new();
                while let Some((key, key_span)) = self.key(&mut obj)? {
                    let value = self.node()?;
                    members.push(Member { key, key_span, value });
                }
                Ok(Node { value: Value::Object(members), span: self.span_from(obj.start) })
            }
            Kind::Array => {
                let mut arr = self.open_array()?;
                let mut items = Vec::new();
                while self.item(&mut arr)? {
                    items.push(self.node()?);
                }
                Ok(Node { value: Value::Array(items), span: self.span_from(arr.start) })
            }
            _ => {
                let (s, span) = self.scalar()?;
                let value = match s {
                    Scalar::String(s) => Value::String(s),
                    Scalar::Number(n) => Value::Number(n),
                    Scalar::Bool(b) => Value::Bool(b),
                    Scalar::Null => Value::Null,
                };
                Ok(Node { value, span })
            }
        }
    }

    /// Checks that only whitespace follows.
    pub fn finish(&mut self) -> PullResult<()> {
        self.skip_ws();
        if self.pos < self.bytes.len() {
            let start = self.pos;
            return Err(Box::new(
                Diagnostic::error(
                    Code::JsonTrailingCharacters,
                    Span::from_range(start, self.bytes.len().min(start + 16)),
                    "unexpected characters after the end of the JSON value",
                )
                .with_help("a document holds exactly one JSON value; remove what follows it"),
            ));
        }
        Ok(())
    }
}

/// Length of the run of plain string bytes at the start of `rest`: up to
/// the first quote, backslash or control character. Eight bytes are tested
/// at a time with word arithmetic (a zero-byte test for each special byte;
/// its lowest flagged byte is always exact).
fn scan_string(rest: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut done = 0;
    let mut chunks = rest.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        let quote = zero(w ^ (ONES * u64::from(b'"')));
        let backslash = zero(w ^ (ONES * u64::from(b'\\')));
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let hits = quote | backslash | control;
        if hits != 0 {
            return done + (hits.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let tail = chunks.remainder();
    done + tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(tail.len())
}

/// Decodes the body of a string literal (for comparing escaped keys).
fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let quoted = format!("\"{raw}\"");
    let mut p = Pull::new(&quoted);
    match p.string() {
        Ok((s, _)) => Cow::Owned(s.into_owned()),
        Err(_) => Cow::Borrowed(raw),
    }
}

#[cfg(test)]
#[path = "pull_tests.rs"]
mod tests;
