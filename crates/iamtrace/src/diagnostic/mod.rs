//! One error and warning type for everything that reads user input.
//!
//! Messages are lowercase, without a trailing period, with user input in
//! backticks; `help` carries the hint. Every diagnostic points at a span of a
//! document (see [`DocId`]).

use serde::{Deserialize, Serialize};

mod code;

pub use code::Code;

use crate::span::Span;

mod limit;

pub use limit::{
    cut, limit, select, select_refs, shorten, thousands, Omitted, MAX_DIAGNOSTICS, MAX_MESSAGE_CHARS, OMITTED_CODE,
};

/// Which document a span refers to. Document 0 is the text that was parsed
/// first (the scenario file, or the policy text when a policy is parsed on its
/// own); policies embedded as JSON strings get their own documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub u32);

/// The four finding categories of AWS's policy validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    /// The document is invalid; AWS would reject it.
    Error,
    /// The document grants more than it probably should.
    SecurityWarning,
    /// Valid, but probably not what was meant.
    Warning,
    /// Valid; could be written better.
    Suggestion,
}

impl Severity {
    /// Position from the strictest: 0 for errors, 3 for suggestions (the
    /// order `Ord` also follows).
    pub fn index(self) -> usize {
        match self {
            Severity::Error => 0,
            Severity::SecurityWarning => 1,
            Severity::Warning => 2,
            Severity::Suggestion => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::SecurityWarning => "SECURITY_WARNING",
            Severity::Warning => "WARNING",
            Severity::Suggestion => "SUGGESTION",
        }
    }

    /// Parses `error`, `security_warning`, `security-warning`, ... (any case).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "error" => Some(Severity::Error),
            "security_warning" => Some(Severity::SecurityWarning),
            "warning" => Some(Severity::Warning),
            "suggestion" => Some(Severity::Suggestion),
            _ => None,
        }
    }
}

/// A secondary location attached to a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub doc: DocId,
    pub span: Span,
    pub message: String,
}

/// An error or finding, with the span it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A stable code such as `json-duplicate-key` (serialised as that string).
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub doc: DocId,
    pub span: Span,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
}

impl Diagnostic {
    pub fn new(code: Code, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { code, severity, message: message.into(), help: None, doc: DocId(0), span, labels: Vec::new() }
    }

    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, span, message)
    }

    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, span, message)
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { doc: self.doc, span, message: message.into() });
        self
    }

    /// Moves this diagnostic (and its labels) into document `doc`.
    #[must_use]
    pub fn in_doc(mut self, doc: DocId) -> Self {
        self.doc = doc;
        for label in &mut self.labels {
            label.doc = doc;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Puts `s` in backticks for a message, shortened when long; control
/// characters and those that reorder text are written as `\u{1b}`, so a
/// message never carries them to a terminal or a page.
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 80;
    let long = s.chars().nth(MAX).is_some();
    let mut out = String::from("`");
    for c in s.chars().take(if long { MAX - 1 } else { MAX }) {
        if c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out.push_str(if long { "…`" } else { "`" });
    out
}

/// The candidate closest to `input` by edit distance, if it is close enough
/// to be a plausible typo.
pub(crate) fn nearest<'c>(input: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = input.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (input.chars().count() / 3).max(2);
    (d <= limit).then_some(c)
}

/// Levenshtein distance over chars, with two rows of memory.
#[expect(
    clippy::indexing_slicing,
    reason = "both rows have `b.len() + 1` entries and `j < b.len()`, so `j` and `j + 1` are in bounds"
)]
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn nearest_suggests_plausible_typos_only() {
        let ops = ["StringEquals", "StringLike", "NumericEquals"];
        assert_eq!(nearest("StringEqual", ops), Some("StringEquals"));
        assert_eq!(nearest("stringlike", ops), Some("StringLike"));
        assert_eq!(nearest("Completely", ops), None);
    }

    #[test]
    fn quote_writes_control_characters_out() {
        assert_eq!(quote("a\u{1b}[2J\u{202e}\tb"), "`a\\u{1b}[2J\\u{202e}\\u{9}b`");
        assert_eq!(quote("plain"), "`plain`");
    }

    #[test]
    fn quote_shortens_long_input() {
        let long = "x".repeat(200);
        let q = quote(&long);
        assert!(q.chars().count() < 90);
        assert!(q.ends_with("…`"));
    }
}
