//! Byte spans inside documents, and their conversion to lines and columns.
//!
//! Everything inside the crate works with byte offsets. Line and column
//! numbers are computed once, at the boundary, by [`LineIndex`].

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` in one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// Builds a span from `usize` offsets; offsets beyond `u32::MAX` saturate.
    pub fn from_range(start: usize, end: usize) -> Self {
        Span { start: u32::try_from(start).unwrap_or(u32::MAX), end: u32::try_from(end).unwrap_or(u32::MAX) }
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// A sub-span, given offsets relative to this span's start.
    pub fn sub(self, from: usize, to: usize) -> Span {
        let start = (self.start as usize).saturating_add(from);
        let end = (self.start as usize).saturating_add(to);
        Span::from_range(start.min(self.end as usize), end.min(self.end as usize))
    }

    /// The text this span covers, or `""` when it does not fit `text`.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// A value with the span it was read from.
///
/// The span is metadata: equality and hashing look at the value only, so two
/// documents that differ only in formatting compare equal. Compare spans
/// explicitly (`a.span == b.span`) where they matter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub const fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }

    /// Transforms the value, keeping the span.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned { value: f(self.value), span: self.span }
    }

    /// Borrows the value, keeping the span.
    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned { value: &self.value, span: self.span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: Hash> Hash for Spanned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A string from a document with its span: borrowed from the text unless it
/// had escapes.
pub type Str<'a> = Spanned<Cow<'a, str>>;

impl<'a> Spanned<Cow<'a, str>> {
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Detaches the string from the text it borrows.
    pub fn into_owned(self) -> Str<'static> {
        Spanned { value: Cow::Owned(self.value.into_owned()), span: self.span }
    }
}

/// Implements `PartialEq` and `Eq` for a struct with a lifetime, comparing
/// the listed fields and ignoring the others (spans, and the document they
/// point into), like [`Spanned`] does. Every field must be named in one list
/// or the other, so a new field cannot be forgotten.
macro_rules! eq_ignoring_spans {
    ($ty:ident { $($field:ident),* $(,)? } ignoring { $($skip:ident),* $(,)? }) => {
        impl PartialEq for $ty<'_> {
            fn eq(&self, other: &Self) -> bool {
                let $ty { $($field,)* $($skip: _,)* } = self;
                $(*$field == other.$field)&&*
            }
        }

        impl Eq for $ty<'_> {}
    };
}
pub(crate) use eq_ignoring_spans;

/// A position for people (1-based line and column) and for browsers (UTF-16 column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
    /// 1-based column, counted in UTF-16 code units (what JavaScript editors use).
    pub utf16_column: u32,
    /// The byte offset this position was computed from.
    pub offset: u32,
}

/// Start and end positions of a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub start: Position,
    pub end: Position,
}

/// Line starts of one text, for converting byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0u32];
        line_starts
            .extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)));
        LineIndex { line_starts, len: u32::try_from(text.len()).unwrap_or(u32::MAX) }
    }

    /// The position of a byte offset in `text` (the same text the index was built from).
    /// Offsets inside a multi-byte character are moved back to its start.
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(self.len);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        #[expect(
            clippy::indexing_slicing,
            reason = "`line_starts` starts with 0: an exact hit is one of its indexes; otherwise the insertion \
                      point is between 1 (0 is always hit) and its length, so one less is an index too"
        )]
        let line_start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while end > line_start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = text.get(line_start..end).unwrap_or("");
        let column = prefix.chars().count();
        let utf16 = prefix.chars().map(char::len_utf16).sum::<usize>();
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
            utf16_column: u32::try_from(utf16 + 1).unwrap_or(u32::MAX),
            offset: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The 1-based line holding byte `offset`, and the offset where that line starts.
    pub fn line_of(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        (u32::try_from(line).unwrap_or(u32::MAX), start)
    }

    pub fn location(&self, text: &str, span: Span) -> Location {
        Location { start: self.position(text, span.start), end: self.position(text, span.end) }
    }

    /// The byte range of the 1-based line `line`, without its line break.
    pub fn line_range(&self, text: &str, line: u32) -> Option<(usize, usize)> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(i)? as usize;
        let end = self.line_starts.get(i + 1).map_or(text.len(), |&e| e as usize);
        let line_text = text.get(start..end)?;
        let trimmed = line_text.trim_end_matches(['\n', '\r']);
        Some((start, start + trimmed.len()))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_with_utf16_columns() {
        let text = "{\n  \"a\": \"é😀x\"\n}";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        let p = idx.position(text, x);
        assert_eq!(p.line, 2);
        // `  "a": "é😀` is 10 chars before x
        assert_eq!(p.column, 11);
        // 😀 takes two UTF-16 units
        assert_eq!(p.utf16_column, 12);
        assert_eq!(idx.position(text, 0).line, 1);
        assert_eq!(idx.position(text, 0).column, 1);
    }

    #[test]
    fn offsets_inside_a_char_move_back() {
        let text = "é";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 1).column, 1);
        assert_eq!(idx.position(text, 99).column, 2);
    }

    #[test]
    fn spanned_equality_and_hash_ignore_the_span() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |s: &Str<'_>| {
            let mut h = DefaultHasher::new();
            s.hash(&mut h);
            h.finish()
        };
        let a = Str::new("s3:GetObject".into(), Span::new(3, 15));
        let b = Str::new("s3:GetObject".into(), Span::new(40, 52));
        assert_eq!(a, b);
        assert_ne!(a.span, b.span);
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(a, Str::new("s3:PutObject".into(), Span::new(3, 15)));
        assert_eq!(a.as_str(), "s3:GetObject");
        assert!(a.starts_with("s3:"), "derefs to the value");
        let n = a.clone().map(|v| v.len());
        assert_eq!((n.value, n.span), (12, a.span));
        assert_eq!(a.into_owned().span, Span::new(3, 15));
    }

    #[test]
    fn line_of_gives_the_line_and_its_start() {
        let text = "ab\ncd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_of(0), (1, 0));
        assert_eq!(idx.line_of(2), (1, 0));
        assert_eq!(idx.line_of(3), (2, 3));
        assert_eq!(idx.line_of(6), (3, 6));
        assert_eq!(idx.line_of(99), (3, 6));
    }

    #[test]
    fn line_range_excludes_line_break() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_range(text, 1), Some((0, 2)));
        assert_eq!(idx.line_range(text, 2), Some((4, 6)));
        assert_eq!(idx.line_range(text, 3), None);
    }
}
