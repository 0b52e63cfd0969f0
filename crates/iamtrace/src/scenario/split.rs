//! A file of scenarios cut into scenarios that can be read apart (by a
//! shell with threads), with exactly the result of [`parse_many`].
//!
//! Finding where each element of an array starts takes a quick pass over
//! the bytes (strings and brackets only, no checks); each element is then
//! read from there with the full reader, and its end checked against the
//! next start. When anything does not line up (the file is not one array
//! or JSON Lines, or an element fails to read), the shell reads the file
//! with [`parse_many`], which then gives the same errors as always.

use super::{line_spans, parse_at, parse_many, read_one, ParsedScenario, PolicyLibrary};
use crate::diagnostic::Code;
use crate::json::Pull;

/// The scenarios of a file, located and not yet read.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    text: &'a str,
    parts: Parts<'a>,
}

#[derive(Debug, Clone)]
enum Parts<'a> {
    /// A top-level array: where each element starts, and the offset of the closing `]`.
    Array { starts: Vec<usize>, end: usize },
    /// JSON Lines: the non-empty lines with their offsets.
    Lines(Vec<(usize, &'a str)>),
}

/// Cuts a file of scenarios (as [`parse_many`] reads it) into scenarios;
/// `None` when it is one scenario, or not a list that can be cut: read it
/// with [`parse_many`]. Reading every part with [`Split::read`] gives what
/// [`parse_many`] gives, or `None` for some part (read the file with
/// [`parse_many`] then).
pub fn split_many(text: &str) -> Option<Split<'_>> {
    let bytes = text.as_bytes();
    let first = skip_ws(bytes, 0);
    match bytes.get(first) {
        Some(b'[') => {
            let (starts, end) = array_elements(bytes, first)?;
            let after = bytes.get(end + 1..).unwrap_or(&[]);
            after.iter().all(|b| is_ws(*b)).then_some(Split { text, parts: Parts::Array { starts, end } })
        }
        Some(b'{') => {
            // One object followed by nothing: one scenario. Otherwise JSON
            // Lines, when `parse_many` takes it as such: its first value
            // reads and is followed by more, on more than one line.
            let end = value_end(bytes, first)?;
            if bytes.get(end..).unwrap_or(&[]).iter().all(|b| is_ws(*b)) {
                return None;
            }
            let mut pull = Pull::new(text);
            read_one(&mut pull, text, 0, None).ok()?;
            let trailing = pull.finish().err()?;
            let lines: Vec<(usize, &str)> = line_spans(text).filter(|(_, l)| !l.trim().is_empty()).collect();
            (trailing.code == Code::JsonTrailingCharacters && lines.len() > 1)
                .then_some(Split { text, parts: Parts::Lines(lines) })
        }
        _ => None,
    }
}

impl<'a> Split<'a> {
    /// How many scenarios.
    pub fn len(&self) -> usize {
        match &self.parts {
            Parts::Array { starts, .. } => starts.len(),
            Parts::Lines(lines) => lines.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads scenario `i`; `None` when it does not read as it would in
    /// sequence (a JSON error, or an end that is not the next start): the
    /// file is then to be read with [`parse_many`].
    pub fn read(&self, i: usize, library: Option<&dyn PolicyLibrary>) -> Option<ParsedScenario<'a>> {
        match &self.parts {
            Parts::Array { starts, end } => {
                let start = *starts.get(i)?;
                let mut pull = Pull::in_top_array(self.text, start);
                let parsed = read_one(&mut pull, self.text, 0, library).ok()?;
                // Between this element and the next: a comma; after the last: nothing.
                let next = starts.get(i + 1).copied().unwrap_or(*end);
                let between = self.text.get(pull.pos()..next)?.trim_matches(is_ws_char);
                let separator = if i + 1 < starts.len() { "," } else { "" };
                (between == separator).then_some(parsed)
            }
            Parts::Lines(lines) => {
                let (start, line) = *lines.get(i)?;
                Some(parse_at(line, u32::try_from(start).unwrap_or(u32::MAX), library))
            }
        }
    }

    /// Every scenario, read in sequence (what [`parse_many`] gives).
    pub fn read_all(&self, library: Option<&dyn PolicyLibrary>) -> Vec<ParsedScenario<'a>> {
        let read: Option<Vec<_>> = (0..self.len()).map(|i| self.read(i, library)).collect();
        read.unwrap_or_else(|| parse_many(self.text, library))
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_ws_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| is_ws(*b)) {
        i += 1;
    }
    i
}

/// The offset just past the string whose body starts at `i` (after its
/// opening quote), or `None` when it does not end.
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let at = i + memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        match bytes.get(at)? {
            b'\\' => i = at + 2,
            _ => return Some(at + 1),
        }
    }
}

/// Walks the bytes from the bracket at `open`: calls `at_top` with each
/// byte one level inside it (outside strings), and returns the offset of
/// the bracket that closes it. Brackets are counted, not matched: the
/// reader checks the text afterwards.
fn walk(bytes: &[u8], open: usize, mut at_top: impl FnMut(usize, u8)) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                if depth == 1 {
                    at_top(i, b);
                }
                i = string_end(bytes, i + 1)?;
                continue;
            }
            b'[' | b'{' => {
                if depth == 1 {
                    at_top(i, b);
                }
                depth += 1;
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ if depth == 1 => at_top(i, b),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Where each element of the array opened at `open` starts, and the offset of its `]`.
fn array_elements(bytes: &[u8], open: usize) -> Option<(Vec<usize>, usize)> {
    let mut starts = Vec::new();
    let mut expecting = true;
    let end = walk(bytes, open, |i, b| match b {
        b',' if !expecting => expecting = true,
        _ if is_ws(b) => {}
        // Where an element is expected, anything starts one, a stray comma
        // too: reading it then fails, as it does in sequence.
        _ if expecting => {
            starts.push(i);
            expecting = false;
        }
        _ => {}
    })?;
    // Brackets are counted, not matched: the one that closes must be `]`.
    (bytes.get(end) == Some(&b']')).then_some((starts, end))
}

/// The offset just past the object or array opened at `open`.
fn value_end(bytes: &[u8], open: usize) -> Option<usize> {
    walk(bytes, open, |_, _| {}).map(|end| end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"name":"a","request":{"principal":"anonymous","action":"s3:GetObject","resource":"*"}}"#;

    /// What the split reads, compared with `parse_many`: names, diagnostics, docs.
    fn same(text: &str) -> Option<usize> {
        let split = split_many(text)?;
        let apart = split.read_all(None);
        let whole = parse_many(text, None);
        assert_eq!(apart.len(), whole.len(), "{text}");
        for (a, w) in apart.iter().zip(&whole) {
            assert_eq!(a.name, w.name, "{text}");
            assert_eq!(a.diagnostics, w.diagnostics, "{text}");
            assert_eq!(a.docs, w.docs, "{text}");
            assert_eq!(a.scenario.is_some(), w.scenario.is_some(), "{text}");
        }
        Some(split.len())
    }

    #[test]
    fn arrays_split_into_their_elements() {
        assert_eq!(same(&format!("[{ONE},{ONE}]")), Some(2));
        assert_eq!(same(&format!(" \n[ {ONE} ,\n {ONE}\n]\n")), Some(2));
        assert_eq!(same("[]"), Some(0));
        // Strings holding brackets, commas and escaped quotes do not cut.
        let tricky = ONE.replace(r#""a""#, r#""x\"],{[ \\""#);
        assert_eq!(same(&format!("[{tricky},{ONE}]")), Some(2));
        // Elements that are not scenarios, or are invalid scenarios, are read as in sequence.
        assert_eq!(same(&format!("[{ONE}, 1, \"x\", [2], {{\"request\": 3}}]")), Some(5));
    }

    #[test]
    fn arrays_that_do_not_line_up_are_left_to_the_sequential_reader() {
        for text in [
            format!("[{ONE},]"),
            format!("[{ONE} {ONE}]"),
            format!("[{ONE},,{ONE}]"),
            format!("[{{\"a\":1],{ONE}}}"),
            format!("[{ONE}"),
            format!("[{ONE}] x"),
            format!("[{ONE}]\n[{ONE}]"),
            "[,\n]".to_owned(),
            "[}".to_owned(),
            format!("[{ONE}}}"),
            format!("[{}]", ONE.replace("\"name\"", "\"name\":1,\"name\"")),
        ] {
            let split = split_many(&text);
            let read: Option<Option<Vec<_>>> = split.as_ref().map(|s| (0..s.len()).map(|i| s.read(i, None)).collect());
            assert!(read.flatten().is_none(), "{text}");
            // `read_all` falls back to the sequential reader.
            if let Some(s) = split {
                assert_eq!(s.read_all(None).len(), parse_many(&text, None).len(), "{text}");
            }
        }
    }

    #[test]
    fn json_lines_split_into_lines() {
        assert_eq!(same(&format!("{ONE}\n\n{ONE}\n{{bad\n")), Some(3));
        assert_eq!(same(&format!("{ONE}\r\n{ONE}")), Some(2));
        // One object, or a broken first line: the sequential reader.
        assert!(split_many(ONE).is_none());
        assert!(split_many(&format!("{ONE}\n\n")).is_none());
        assert!(split_many(&format!("{{bad\n{ONE}\n")).is_none());
        assert!(split_many(&format!("{ONE} {ONE}")).is_none());
        assert!(split_many("").is_none());
        assert!(split_many("3").is_none());
    }

    mod props {
        use proptest::prelude::*;

        use super::same;

        /// Pieces scenario files are made of, including broken ones.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                Just(super::ONE.to_owned()),
                Just(r#"{"name":"q\"],[{","request":{}}"#.to_owned()),
                Just(r#"{"policies":{"identity":["{\"Statement\":[]}"]},"request":{"principal":"anonymous","action":"s3:GetObject","resource":"*"}}"#.to_owned()),
                Just("[1,{}]".to_owned()),
                Just("\"x\"".to_owned()),
                Just("{\"a\":1,\"a\":2}".to_owned()),
                Just("{".to_owned()),
                Just("}".to_owned()),
                Just(",".to_owned()),
                Just("]".to_owned()),
                Just("[".to_owned()),
                Just(r#""a\\\\""#.to_owned()),
            ]
        }

        fn separator() -> impl Strategy<Value = &'static str> {
            prop_oneof![Just(","), Just(", "), Just(",\n"), Just("\n"), Just(" "), Just(",,")]
        }

        proptest! {
            /// Whatever the file, reading it cut apart gives what reading it in
            /// sequence gives, or falls back to the sequential reader.
            #[test]
            fn cut_or_not_the_file_reads_the_same(
                parts in proptest::collection::vec((piece(), separator()), 0..6),
                array in any::<bool>(),
                cut in any::<u16>(),
            ) {
                let body: String = parts.iter().map(|(p, s)| format!("{p}{s}")).collect();
                let mut text = if array { format!("[{body}]") } else { body };
                // Now and then a file cut short.
                if cut % 5 == 0 && !text.is_empty() {
                    let at = usize::from(cut) % text.len();
                    if text.is_char_boundary(at) {
                        text.truncate(at);
                    }
                }
                let _ = same(&text);
            }
        }
    }
}
