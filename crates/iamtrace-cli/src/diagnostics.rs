//! Errors and warnings for people (compiler style, with the snippet
//! underlined) and for programs (JSON with file, line and column).
//!
//! Both are bounded, whatever the input: a [`Reporter`] shows at most
//! [`MAX_DIAGNOSTICS`] diagnostics and about [`MAX_BYTES`] of text in one
//! run and counts the rest; each snippet is a small window of the text
//! around the start of its span ([`crate::snippet`]); messages are cut to
//! [`iamtrace::diagnostic::MAX_MESSAGE_CHARS`] characters.

use std::borrow::Cow;
use std::io::Write;

use annotate_snippets::{Level, Renderer, Snippet};
use iamtrace::diagnostic::{cut, select_refs, shorten, thousands, Omitted, MAX_DIAGNOSTICS, OMITTED_CODE};
use iamtrace::scenario::{file_span, Document, Origin};
use iamtrace::{Diagnostic, DocId, LineIndex, Severity, Span};

use crate::input::{self, Input, Loc};
use crate::snippet::{self, Window, MAX_LINES};
use crate::style::Style;

/// Once a run has printed this much, further diagnostics are counted, not shown.
pub const MAX_BYTES: usize = 32 * 1024;
/// File and policy names in headers are cut to this many characters.
const MAX_NAME_CHARS: usize = 200;

/// A text that spans point into: the input file, or a managed policy.
struct Source<'s> {
    name: Cow<'s, str>,
    text: &'s str,
    file: Option<&'s Input>,
    index: Option<LineIndex>,
}

impl Source<'_> {
    fn locate(&self, offset: u32) -> Loc {
        match (self.file, &self.index) {
            (Some(input), _) => input.locate(offset as usize),
            (None, Some(index)) => input::locate(self.text, index, offset as usize),
            (None, None) => Loc { line: 1, column: 1, offset: 0, line_start: 0 },
        }
    }
}

/// Where a span of a document is: in the input file, or in a managed policy text.
fn place<'s>(input: &'s Input, docs: &'s [Document<'_>], doc: DocId, span: Span) -> (Source<'s>, Span) {
    let file = || Source { name: Cow::Borrowed(input.name()), text: input.lossy(), file: Some(input), index: None };
    if let Some(s) = file_span(docs, doc, span) {
        return (file(), s);
    }
    match docs.get(doc.0 as usize) {
        Some(d) => {
            let mut name = match &d.origin {
                Origin::Managed { name, .. } => format!("managed policy {}", snippet::clean(name)),
                _ => "policy".to_owned(),
            };
            cut(&mut name, MAX_NAME_CHARS);
            let text: &str = &d.text;
            (Source { name: Cow::Owned(name), text, file: None, index: Some(LineIndex::new(text)) }, span)
        }
        None => (file(), span),
    }
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::SecurityWarning | Severity::Warning => Level::Warning,
        Severity::Suggestion => Level::Note,
    }
}

/// Shows diagnostics within the bounds of one run, and counts those left out.
#[derive(Debug, Default)]
pub struct Reporter {
    shown: usize,
    bytes: usize,
    omitted: Omitted,
    /// File, line and column of the first diagnostic left out.
    first_omitted_at: Option<(String, u32, u32)>,
}

impl Reporter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Emits the diagnostics of one document set that still fit (the
    /// strictest first, shortened) and returns what was left out of them.
    /// `emit` is called for each one kept and returns the bytes it took.
    fn admit(
        &mut self,
        input: &Input,
        docs: &[Document<'_>],
        diags: &[Diagnostic],
        mut emit: impl FnMut(&Diagnostic) -> usize,
    ) -> Omitted {
        let (kept, mut omitted) = select_refs(diags, MAX_DIAGNOSTICS.saturating_sub(self.shown));
        let mut over = Omitted::default();
        for d in kept {
            if self.bytes >= MAX_BYTES {
                over.add(d);
                continue;
            }
            self.bytes += emit(&shorten(d.clone()));
            self.shown += 1;
        }
        // The first left out: the earlier of the two in the file.
        if let (Some(a), Some(b)) = (omitted.first, over.first) {
            let pos = |(doc, span): (DocId, Span)| {
                let (src, s) = place(input, docs, doc, span);
                let l = src.locate(s.start);
                (src.file.is_none(), l.line, l.column)
            };
            if pos(b) < pos(a) {
                omitted.first = Some(b);
            }
        }
        omitted.merge(&over);
        if let (None, Some((doc, span))) = (&self.first_omitted_at, omitted.first) {
            let (source, s) = place(input, docs, doc, span);
            let l = source.locate(s.start);
            self.first_omitted_at = Some((source.name.into_owned(), l.line, l.column));
        }
        self.omitted.merge(&omitted);
        omitted
    }

    /// Renders diagnostics with the offending text underlined, as many as fit.
    pub fn render(&mut self, input: &Input, docs: &[Document<'_>], diags: &[Diagnostic], style: Style) -> String {
        let renderer = if style.color { Renderer::styled() } else { Renderer::plain() };
        let mut out = String::new();
        self.admit(input, docs, diags, |d| {
            let before = out.len();
            render_one(&mut out, &renderer, input, docs, d);
            out.len() - before
        });
        out
    }

    /// Diagnostics as JSON with 1-based positions in the file, as many as
    /// fit, and how many were left out of them.
    pub fn json(
        &mut self,
        input: &Input,
        docs: &[Document<'_>],
        diags: &[Diagnostic],
    ) -> (Vec<serde_json::Value>, usize) {
        let mut items = Vec::new();
        let omitted = self.admit(input, docs, diags, |d| {
            let item = to_json(input, docs, d);
            let cost = item.to_string().len();
            items.push(item);
            cost
        });
        (items, omitted.total())
    }

    /// For a flat list of diagnostics: one more item (code
    /// `diagnostics-omitted`) saying how many the run left out, placed at
    /// the first of them.
    pub fn omitted_json(&self) -> Option<serde_json::Value> {
        let at = self.first_omitted_at.as_ref()?;
        Some(serde_json::json!({
            "code": OMITTED_CODE,
            "severity": self.omitted.severity(),
            "message": self.omitted.message(),
            "help": format!("iamtrace shows the first {MAX_DIAGNOSTICS} diagnostics of a run"),
            "file": at.0,
            "line": at.1,
            "column": at.2,
            "end_line": at.1,
            "end_column": at.2,
        }))
    }

    /// The last line of a run that left diagnostics out, saying how many.
    pub fn summary(&self, style: Style) -> Option<String> {
        if self.omitted.total() == 0 {
            return None;
        }
        let at = self
            .first_omitted_at
            .as_ref()
            .map(|(file, line, col)| format!("; the first one left out is at {file}:{line}:{col}"))
            .unwrap_or_default();
        Some(format!(
            "{}[{OMITTED_CODE}]: {} (iamtrace shows the first {MAX_DIAGNOSTICS} of a run{at})",
            style.bold("note"),
            self.omitted.message()
        ))
    }

    /// How many diagnostics were left out so far.
    pub fn omitted(&self) -> usize {
        self.omitted.total()
    }
}

/// One diagnostic, compiler style, from small excerpts of its text.
fn render_one(out: &mut String, renderer: &Renderer, input: &Input, docs: &[Document<'_>], d: &Diagnostic) {
    let lvl = level(d.severity);
    let title = snippet::clean(&match d.severity {
        Severity::SecurityWarning => format!("security warning: {}", d.message),
        _ => d.message.clone(),
    });
    let (source, span) = place(input, docs, d.doc, d.span);
    let loc = source.locate(span.start);
    let main =
        snippet::window(source.text, loc.line as usize, loc.line_start, loc.offset, span.end as usize, MAX_LINES);
    let length = (!main.whole).then(|| format!("span of {} bytes", thousands(span.len())));
    // Labels inside the main excerpt are drawn there; the others get their own.
    let mut inside: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut apart: Vec<(Window, Loc, String)> = Vec::new();
    for l in &d.labels {
        let (ls, lspan) = place(input, docs, l.doc, l.span);
        if !std::ptr::eq(ls.text, source.text) {
            continue;
        }
        let message = snippet::clean(&l.message);
        let ex = &main.excerpt;
        match (ex.map(source.text, lspan.start as usize), ex.map(source.text, lspan.end as usize)) {
            (Some(a), Some(b)) if a <= b => {
                // The renderer moves a repeated range over several lines back
                // by one byte, which can fall inside a character: point at its end.
                let repeated = main.span == (a..b) || inside.iter().any(|(r, _)| *r == (a..b));
                let lines = ex.text.get(a..b).is_some_and(|t| t.contains('\n'));
                inside.push(if repeated && lines { (b..b, message) } else { (a..b, message) });
            }
            _ => {
                let at = source.locate(lspan.start);
                let w = snippet::window(source.text, at.line as usize, at.line_start, at.offset, lspan.end as usize, 1);
                apart.push((w, at, message));
            }
        }
    }
    let mut origin = snippet::clean(&source.name);
    cut(&mut origin, MAX_NAME_CHARS);
    let mut annotation = lvl.span(main.span.clone());
    if let Some(text) = &length {
        annotation = annotation.label(text);
    }
    let mut first = Snippet::source(&main.excerpt.text)
        .line_start(main.excerpt.first_line)
        .origin(&origin)
        .fold(true)
        .annotation(annotation);
    for (range, message) in &inside {
        first = first.annotation(Level::Info.span(range.clone()).label(message));
    }
    let mut snippets = vec![first];
    for (w, _, message) in &apart {
        snippets.push(
            Snippet::source(&w.excerpt.text)
                .line_start(w.excerpt.first_line)
                .origin(&origin)
                .fold(true)
                .annotation(Level::Info.span(w.span.clone()).label(message)),
        );
    }
    let help = d.help.as_deref().map(snippet::clean);
    let mut message = lvl.title(&title).id(&d.code).snippets(snippets);
    if let Some(help) = &help {
        message = message.footer(Level::Help.title(help));
    }
    let rendered = renderer.render(message).to_string();
    // The renderer counts columns in the excerpts: put the file's back.
    let mut places = vec![(loc.line, loc.column)];
    places.extend(apart.iter().map(|(_, at, _)| (at.line, at.column)));
    out.push_str(&fix_columns(&rendered, &origin, &places));
    out.push_str("\n\n");
}

/// Puts the file's positions in the rendered headers: the renderer counts
/// lines and columns in the excerpts. `places` are the (line, column) of
/// each snippet's header, in order. A header is a line that reads
/// `--> origin:L:C` or `::: origin:L:C` once colour codes are left out
/// (source lines start with a line number and `|`, so none looks like one).
fn fix_columns(rendered: &str, origin: &str, places: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(rendered.len() + 16);
    let mut places = places.iter();
    for (i, line) in rendered.split_inclusive('\n').enumerate() {
        let plain = strip_ansi(line);
        let rest = plain.trim_start();
        let header = i > 0 && (rest.starts_with("--> ") || rest.starts_with("::: "));
        let at = line.rfind(&format!("{origin}:"));
        match (header, at) {
            (true, Some(at)) => match places.next() {
                Some((l, c)) => {
                    out.push_str(line.get(..at).unwrap_or(""));
                    let end = if line.ends_with('\n') { "\n" } else { "" };
                    out.push_str(&format!("{origin}:{l}:{c}{end}"));
                }
                None => out.push_str(line),
            },
            _ => out.push_str(line),
        }
    }
    out
}

/// `s` without ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A diagnostic about the file as a whole (such as invalid UTF-8).
pub fn render_plain(input: &Input, d: &Diagnostic, style: Style) -> String {
    let doc = Document { text: Cow::Borrowed(input.lossy()), origin: Origin::Root { base: 0 } };
    Reporter::new().render(input, std::slice::from_ref(&doc), std::slice::from_ref(d), style)
}

/// The file's text; when it is not UTF-8, `None` after printing why (with
/// its position) on standard error.
pub fn text_or_report(input: &Input, style: Style) -> Option<&str> {
    match input.text() {
        Ok(t) => Some(t),
        Err(d) => {
            let _ = write!(std::io::stderr(), "{}", render_plain(input, &d, style));
            None
        }
    }
}

/// `file:line:col` of a span.
fn location(input: &Input, docs: &[Document<'_>], doc: DocId, span: Span) -> String {
    let (source, s) = place(input, docs, doc, span);
    let l = source.locate(s.start);
    format!("{}:{}:{}", source.name, l.line, l.column)
}

/// `file:line:col: message` (the message shortened).
pub fn one_line(input: &Input, docs: &[Document<'_>], d: &Diagnostic) -> String {
    let mut message = snippet::clean(&d.message);
    cut(&mut message, iamtrace::diagnostic::MAX_MESSAGE_CHARS);
    format!("{}: {message}", location(input, docs, d.doc, d.span))
}

/// Renders one group of diagnostics on its own, bounded like a run (for
/// commands that report one document at a time).
pub fn render(input: &Input, docs: &[Document<'_>], diags: &[Diagnostic], style: Style) -> String {
    let mut r = Reporter::new();
    let mut out = r.render(input, docs, diags, style);
    if let Some(s) = r.summary(style) {
        out.push_str(&s);
        out.push('\n');
    }
    out
}

/// One group of diagnostics as a JSON array, bounded like a run.
pub fn to_json_all(input: &Input, docs: &[Document<'_>], diags: &[Diagnostic]) -> serde_json::Value {
    let mut r = Reporter::new();
    let (mut items, _) = r.json(input, docs, diags);
    items.extend(r.omitted_json());
    serde_json::Value::Array(items)
}

/// One diagnostic as JSON, with 1-based positions in the file.
fn to_json(input: &Input, docs: &[Document<'_>], d: &Diagnostic) -> serde_json::Value {
    let (source, s) = place(input, docs, d.doc, d.span);
    let (a, b) = (source.locate(s.start), source.locate(s.end));
    serde_json::json!({
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "help": d.help,
        "file": source.name,
        "line": a.line,
        "column": a.column,
        "end_line": b.line,
        "end_column": b.column,
    })
}

#[cfg(test)]
#[path = "diagnostics_tests.rs"]
mod tests;
