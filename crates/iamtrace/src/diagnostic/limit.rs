//! Bounds on what is reported for one document: a hostile text (a million
//! bad statements, a megabyte-long key) must not cost more to report than
//! to read. [`limit`] keeps the first diagnostics, the strictest first, each
//! with its texts shortened, and says how many were left out in one more
//! diagnostic (code [`OMITTED_CODE`]) placed where the first of them was.

use super::{Code, Diagnostic, DocId, Severity};
use crate::span::Span;

/// At most this many diagnostics are reported for one document.
pub const MAX_DIAGNOSTICS: usize = 50;
/// Messages and help texts are cut at this many characters.
pub const MAX_MESSAGE_CHARS: usize = 300;
/// The code of the diagnostic that stands for those left out.
pub const OMITTED_CODE: Code = Code::DiagnosticsOmitted;

/// The diagnostics left out: how many of each severity, and where the
/// first of them (in the given order) was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Omitted {
    /// Counts by [`Severity::index`].
    pub counts: [usize; 4],
    /// The document and span of the first diagnostic left out.
    pub first: Option<(DocId, Span)>,
}

impl Omitted {
    /// Counts one more diagnostic left out.
    pub fn add(&mut self, d: &Diagnostic) {
        if let Some(n) = self.counts.get_mut(d.severity.index()) {
            *n += 1;
        }
        if self.first.is_none() {
            self.first = Some((d.doc, d.span));
        }
    }

    /// Adds the counts of `other` (whose first comes after ours).
    pub fn merge(&mut self, other: &Omitted) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self.first = self.first.or(other.first);
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The strictest severity left out.
    pub fn severity(&self) -> Severity {
        let all = [Severity::Error, Severity::SecurityWarning, Severity::Warning, Severity::Suggestion];
        all.into_iter().find(|s| self.counts.get(s.index()).is_some_and(|&n| n > 0)).unwrap_or(Severity::Suggestion)
    }

    /// `12,345 more errors not shown`, or with the count of each category
    /// when several were left out.
    pub fn message(&self) -> String {
        let names = [
            ("error", "errors"),
            ("security warning", "security warnings"),
            ("warning", "warnings"),
            ("suggestion", "suggestions"),
        ];
        let parts: Vec<(usize, &str)> = self
            .counts
            .iter()
            .zip(names)
            .filter(|(n, _)| **n > 0)
            .map(|(&n, (one, many))| (n, if n == 1 { one } else { many }))
            .collect();
        match parts.as_slice() {
            [(n, noun)] => format!("{} more {noun} not shown", thousands(*n)),
            _ => {
                let list: Vec<String> = parts.iter().map(|(n, noun)| format!("{} {noun}", thousands(*n))).collect();
                format!("{} more diagnostics not shown: {}", thousands(self.total()), list.join(", "))
            }
        }
    }

    /// The diagnostic standing for those left out (`None` when none were).
    pub fn diagnostic(&self, max: usize) -> Option<Diagnostic> {
        let (doc, span) = self.first?;
        let d = Diagnostic::new(OMITTED_CODE, self.severity(), Span::new(span.start, span.start), self.message())
            .with_help(format!(
                "iamtrace reports the first {max} diagnostics of a document; the first one left out is here"
            ));
        Some(d.in_doc(doc))
    }
}

/// Keeps at most `max` diagnostics (the strictest first, then in the given
/// order) and returns them in the given order with their texts shortened,
/// with what was left out.
pub fn select(diags: Vec<Diagnostic>, max: usize) -> (Vec<Diagnostic>, Omitted) {
    let mut room = rooms(&diags, max);
    let mut omitted = Omitted::default();
    let mut kept = Vec::with_capacity(max.min(diags.len()));
    for d in diags {
        if take(&mut room, &d) {
            kept.push(shorten(d));
        } else {
            omitted.add(&d);
        }
    }
    (kept, omitted)
}

/// [`select`] without copying: the diagnostics to keep, as they are.
pub fn select_refs(diags: &[Diagnostic], max: usize) -> (Vec<&Diagnostic>, Omitted) {
    let mut room = rooms(diags, max);
    let mut omitted = Omitted::default();
    let mut kept = Vec::with_capacity(max.min(diags.len()));
    for d in diags {
        if take(&mut room, d) {
            kept.push(d);
        } else {
            omitted.add(d);
        }
    }
    (kept, omitted)
}

/// How many diagnostics of each severity fit in `max`, strictest first.
fn rooms(diags: &[Diagnostic], max: usize) -> [usize; 4] {
    let mut counts = [0usize; 4];
    for d in diags {
        if let Some(n) = counts.get_mut(d.severity.index()) {
            *n += 1;
        }
    }
    let mut left = max;
    counts.map(|n| {
        let r = n.min(left);
        left -= r;
        r
    })
}

fn take(room: &mut [usize; 4], d: &Diagnostic) -> bool {
    match room.get_mut(d.severity.index()) {
        Some(r) if *r > 0 => {
            *r -= 1;
            true
        }
        _ => false,
    }
}

/// [`select`] with [`MAX_DIAGNOSTICS`], and one more diagnostic saying how
/// many were left out: at most `MAX_DIAGNOSTICS + 1` diagnostics.
pub fn limit(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (mut kept, omitted) = select(diags, MAX_DIAGNOSTICS);
    kept.extend(omitted.diagnostic(MAX_DIAGNOSTICS));
    kept
}

/// The diagnostic with its message, help and labels cut to
/// [`MAX_MESSAGE_CHARS`] characters, and at most four labels.
pub fn shorten(mut d: Diagnostic) -> Diagnostic {
    const MAX_LABELS: usize = 4;
    cut(&mut d.message, MAX_MESSAGE_CHARS);
    if let Some(h) = &mut d.help {
        cut(h, MAX_MESSAGE_CHARS);
    }
    d.labels.truncate(MAX_LABELS);
    for l in &mut d.labels {
        cut(&mut l.message, MAX_MESSAGE_CHARS);
    }
    d
}

/// Cuts `s` to `max` characters, ending it with `…` when cut.
pub fn cut(s: &mut String, max: usize) {
    if let Some((at, _)) = s.char_indices().nth(max) {
        let mut end = at;
        // Leave room for the ellipsis within `max` characters.
        if let Some((i, _)) = s.get(..at).and_then(|head| head.char_indices().next_back()) {
            end = i;
        }
        s.truncate(end);
        s.push('…');
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(sev: Severity, at: u32) -> Diagnostic {
        Diagnostic::new(Code::JsonSyntax, sev, Span::new(at, at + 1), format!("d{at}"))
    }

    #[test]
    fn short_lists_pass_unchanged() {
        let ds = vec![d(Severity::Warning, 1), d(Severity::Error, 2)];
        assert_eq!(limit(ds.clone()), ds);
    }

    #[test]
    fn long_lists_keep_the_strictest_in_order_and_count_the_rest() {
        let mut ds: Vec<Diagnostic> = (0..100).map(|i| d(Severity::Warning, i)).collect();
        ds.push(d(Severity::Error, 500));
        ds.extend((0..99_899).map(|i| d(Severity::Error, 1000 + i)));
        let out = limit(ds);
        assert_eq!(out.len(), MAX_DIAGNOSTICS + 1);
        // All kept are errors (there are more errors than room), in order.
        let kept = &out[..MAX_DIAGNOSTICS];
        assert!(kept.iter().all(Diagnostic::is_error));
        assert_eq!(kept[0].span.start, 500);
        assert!(kept.windows(2).all(|w| w[0].span.start < w[1].span.start));
        let summary = out.last().unwrap();
        assert_eq!(summary.code, OMITTED_CODE);
        assert_eq!(summary.severity, Severity::Error);
        assert_eq!(summary.message, "99,950 more diagnostics not shown: 99,850 errors, 100 warnings");
        // Placed at the first one left out, in the given order.
        assert_eq!(summary.span, Span::new(0, 0));
    }

    #[test]
    fn one_category_is_named_once() {
        let ds: Vec<Diagnostic> = (0..100_000).map(|i| d(Severity::Error, i)).collect();
        let out = limit(ds);
        assert_eq!(out.last().unwrap().message, "99,950 more errors not shown");
        assert_eq!(out.last().unwrap().span.start, 50);
        let (kept, omitted) = select((0..3).map(|i| d(Severity::Suggestion, i)).collect(), 2);
        assert_eq!(kept.len(), 2);
        assert_eq!(omitted.message(), "1 more suggestion not shown");
        assert_eq!(omitted.severity(), Severity::Suggestion);
    }

    #[test]
    fn texts_are_shortened_on_char_boundaries() {
        let long = "é".repeat(10_000);
        let x = Diagnostic::error(Code::JsonSyntax, Span::default(), long.clone())
            .with_help(long.clone())
            .with_label(Span::default(), "😀".repeat(1000));
        let x = shorten(x);
        assert_eq!(x.message.chars().count(), MAX_MESSAGE_CHARS);
        assert!(x.message.ends_with('…'));
        assert_eq!(x.help.as_deref().map(|h| h.chars().count()), Some(MAX_MESSAGE_CHARS));
        assert_eq!(x.labels[0].message.chars().count(), MAX_MESSAGE_CHARS);
        let mut s = "abc".to_owned();
        cut(&mut s, 3);
        assert_eq!(s, "abc");
        cut(&mut s, 2);
        assert_eq!(s, "a…");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(99_950), "99,950");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
