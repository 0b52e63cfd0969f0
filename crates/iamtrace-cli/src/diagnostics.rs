//! Errors and warnings for people (compiler style, with the snippet
//! underlined) and for programs (JSON with file, line and column).

use annotate_snippets::{Level, Renderer, Snippet};
use iamtrace::scenario::{file_span, Document, Origin};
use iamtrace::{Diagnostic, DocId, LineIndex, Severity, Span};

use crate::input::Input;
use crate::style::Style;

/// Where a diagnostic's span is: in the input file, or in a managed policy text.
enum Place<'d> {
    File(Span),
    Doc { name: String, text: &'d str, span: Span },
}

fn place<'d>(docs: &'d [Document<'_>], doc: DocId, span: Span) -> Place<'d> {
    if let Some(s) = file_span(docs, doc, span) {
        return Place::File(s);
    }
    match docs.get(doc.0 as usize) {
        Some(d) => {
            let name = match &d.origin {
                Origin::Managed { name, .. } => format!("managed policy {name}"),
                _ => "policy".to_owned(),
            };
            Place::Doc { name, text: &d.text, span }
        }
        None => Place::File(span),
    }
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::SecurityWarning | Severity::Warning => Level::Warning,
        Severity::Suggestion => Level::Note,
    }
}

/// The byte range of `span` in `source`, clamped to it and widened to whole
/// characters (the renderer slices the text there).
fn range(span: Span, source: &str) -> std::ops::Range<usize> {
    let len = source.len();
    let mut start = (span.start as usize).min(len);
    let mut end = (span.end as usize).clamp(start, len);
    while start > 0 && !source.is_char_boundary(start) {
        start -= 1;
    }
    while end < len && !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Renders diagnostics with the offending text underlined.
pub fn render(input: &Input, docs: &[Document<'_>], diags: &[Diagnostic], style: Style) -> String {
    let file_text = input.lossy();
    let file_text: &str = &file_text;
    let renderer = if style.color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for d in diags {
        let lvl = level(d.severity);
        let title = match d.severity {
            Severity::SecurityWarning => format!("security warning: {}", d.message),
            _ => d.message.clone(),
        };
        let (source, origin, span) = match place(docs, d.doc, d.span) {
            Place::File(s) => (file_text, input.name().to_owned(), s),
            Place::Doc { name, text, span } => (text, name, span),
        };
        let mut snippet = Snippet::source(source).origin(&origin).fold(true).annotation(lvl.span(range(span, source)));
        let labels: Vec<(Span, &str)> = d
            .labels
            .iter()
            .filter_map(|l| match place(docs, l.doc, l.span) {
                Place::File(s) if std::ptr::eq(source, file_text) => Some((s, l.message.as_str())),
                Place::Doc { span, text, .. } if std::ptr::eq(source, text) => Some((span, l.message.as_str())),
                _ => None,
            })
            .collect();
        for (s, msg) in &labels {
            snippet = snippet.annotation(Level::Info.span(range(*s, source)).label(msg));
        }
        let mut message = lvl.title(&title).id(&d.code).snippet(snippet);
        if let Some(help) = &d.help {
            message = message.footer(Level::Help.title(help));
        }
        out.push_str(&renderer.render(message).to_string());
        out.push_str("\n\n");
    }
    out
}

/// A diagnostic about the file as a whole (such as invalid UTF-8).
pub fn render_plain(input: &Input, d: &Diagnostic, style: Style) -> String {
    let doc = Document { text: input.lossy(), origin: Origin::Root { base: 0 } };
    render(input, std::slice::from_ref(&doc), std::slice::from_ref(d), style)
}

/// `file:line:col: message`.
pub fn one_line(input: &Input, docs: &[Document<'_>], d: &Diagnostic) -> String {
    match place(docs, d.doc, d.span) {
        Place::File(s) => {
            let (line, col) = input.line_col(s.start);
            format!("{}:{line}:{col}: {}", input.name(), d.message)
        }
        Place::Doc { name, text, span } => {
            let p = LineIndex::new(text).position(text, span.start);
            format!("{name}:{}:{}: {}", p.line, p.column, d.message)
        }
    }
}

/// Diagnostics as JSON, with 1-based positions in the file.
pub fn to_json(input: &Input, docs: &[Document<'_>], diags: &[Diagnostic]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (file, start, end) = match place(docs, d.doc, d.span) {
                Place::File(s) => (input.name().to_owned(), input.line_col(s.start), input.line_col(s.end)),
                Place::Doc { name, text, span } => {
                    let idx = LineIndex::new(text);
                    let (a, b) = (idx.position(text, span.start), idx.position(text, span.end));
                    (name, (a.line, a.column), (b.line, b.column))
                }
            };
            serde_json::json!({
                "code": d.code,
                "severity": d.severity,
                "message": d.message,
                "help": d.help,
                "file": file,
                "line": start.0,
                "column": start.1,
                "end_line": end.0,
                "end_column": end.1,
            })
        })
        .collect();
    serde_json::Value::Array(items)
}
