//! Reading scenario files (or standard input) and locating spans in them.

use std::io::Read;
use std::sync::Mutex;

use iamtrace::diagnostic::Code;
use iamtrace::{Diagnostic, LineIndex, Span};

use crate::error::{Error, Result};

#[derive(Debug)]
pub struct Input {
    name: String,
    /// The file as text: itself when it is UTF-8, or with each invalid
    /// sequence replaced by U+FFFD (offsets agree up to the first one).
    text: String,
    index: LineIndex,
    /// Where the bytes stop being UTF-8, when they do (checked once, when read).
    invalid_at: Option<usize>,
    /// The last position located, to go on from when the next offset is
    /// further on the same line: locating spans in file order on one long
    /// line then costs the line once, not once per span. (A mutex, not a
    /// cell: scenarios of a batch are rendered on several threads.)
    last: Mutex<Option<Loc>>,
}

/// A position in a text: 1-based line and column (in characters), the byte
/// offset it was computed for, and the offset where its line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub line_start: usize,
}

impl Input {
    pub fn read(path: &str) -> Result<Input> {
        let read = if path == "-" {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map(|_| b)
        } else {
            std::fs::read(path)
        };
        let bytes = read.map_err(|source| Error::Read { path: path.to_owned(), source })?;
        let name = if path == "-" { "<stdin>".to_owned() } else { path.to_owned() };
        Ok(Input::from_bytes(name, bytes))
    }

    /// An input named `name` holding `bytes`.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Input {
        let (text, invalid_at) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
            }
        };
        let index = LineIndex::new(&text);
        Input { name, text, index, invalid_at, last: Mutex::new(None) }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file as UTF-8 text.
    pub fn text(&self) -> Result<&str, Diagnostic> {
        match self.invalid_at {
            None => Ok(&self.text),
            Some(at) => Err(Diagnostic::error(
                Code::JsonInvalidUtf8,
                Span::from_range(at, at + 1),
                format!("invalid UTF-8 at byte {at}"),
            )
            .with_help("save the file as UTF-8")),
        }
    }

    /// The text to show snippets of (invalid UTF-8 replaced).
    pub fn lossy(&self) -> &str {
        &self.text
    }

    /// 1-based line and column of a byte offset of the file.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let l = self.locate(offset as usize);
        (l.line, l.column)
    }

    /// The position of a byte offset of the file.
    pub fn locate(&self, offset: usize) -> Loc {
        let offset = floor(&self.text, offset);
        let (line, start) = self.index.line_of(u32::try_from(offset).unwrap_or(u32::MAX));
        let line_start = start as usize;
        let last = self.last.lock().ok().and_then(|l| *l);
        let (from, column) = match last {
            Some(l) if l.line == line && l.offset <= offset => (l.offset, l.column),
            _ => (line_start, 1),
        };
        let column = column.saturating_add(chars(self.text.get(from..offset).unwrap_or("")));
        let loc = Loc { line, column, offset, line_start };
        if let Ok(mut l) = self.last.lock() {
            *l = Some(loc);
        }
        loc
    }
}

/// The position of byte `offset` of `text`, indexed by `index`.
pub fn locate(text: &str, index: &LineIndex, offset: usize) -> Loc {
    let offset = floor(text, offset);
    let (line, start) = index.line_of(u32::try_from(offset).unwrap_or(u32::MAX));
    let line_start = start as usize;
    let column = 1u32.saturating_add(chars(text.get(line_start..offset).unwrap_or("")));
    Loc { line, column, offset, line_start }
}

/// `offset` clamped to `text` and moved back to a character boundary.
pub fn floor(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// `offset` clamped to `text` and moved on to a character boundary.
pub fn ceil(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o < text.len() && !text.is_char_boundary(o) {
        o += 1;
    }
    o
}

/// The number of characters of `s` (counting the bytes that start one).
fn chars(s: &str) -> u32 {
    let n = s.bytes().filter(|b| (b & 0xC0) != 0x80).count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_agree_with_the_core_in_any_order() {
        let text = "{\n  \"é😀\": [1,\n\n 2]}\r\nx";
        let input = Input::from_bytes("t".into(), text.as_bytes().to_vec());
        let index = LineIndex::new(text);
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len()).rev());
        for o in offsets {
            let p = index.position(text, o as u32);
            assert_eq!(input.line_col(o as u32), (p.line, p.column), "offset {o}");
            let l = locate(text, &index, o);
            assert_eq!((l.line, l.column), (p.line, p.column), "offset {o}");
            assert!(text.get(l.line_start..l.offset).is_some_and(|s| !s.contains('\n')));
        }
    }

    #[test]
    fn invalid_utf8_is_located_up_to_its_first_bad_byte() {
        let input = Input::from_bytes("t".into(), b"{\n  \"a\": \"\xff\xfe\"}".to_vec());
        let d = input.text().unwrap_err();
        assert_eq!(d.span.start, 10);
        assert_eq!(input.line_col(10), (2, 9));
        assert!(input.lossy().contains('\u{FFFD}'));
    }

    #[test]
    fn boundaries_stay_inside_the_text() {
        let s = "aé";
        assert_eq!(floor(s, 2), 1);
        assert_eq!(ceil(s, 2), 3);
        assert_eq!(floor(s, 99), 3);
        assert_eq!(ceil(s, 99), 3);
    }
}
