//! The command line's diagnostic renderer: any bytes as the file (repeated
//! to make long lines and large files cheaply), any documents (the file,
//! policies embedded as strings, managed policies), any diagnostics (spans
//! inside, across and past their texts, labels, severities, messages).
//! Rendering never panics, stays within its bounds, keeps control
//! characters off the terminal, and puts the file's line and column in
//! every header.
#![no_main]

use std::borrow::Cow;

use iamtrace::diagnostic::Label;
use iamtrace::scenario::{Document, Origin};
use iamtrace::{Diagnostic, DocId, Severity, Span};
use iamtrace_cli::diagnostics::{self, Reporter};
use iamtrace_cli::input::Input;
use iamtrace_cli::style::Style;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Text output of one run: the byte budget plus the largest single diagnostic.
const MAX_TEXT: usize = 64 * 1024;
const MAX_JSON: usize = 64 * 1024;

fn text(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let len = u.int_in_range(0..=max)?.min(u.len());
    let bytes = u.bytes(len)?;
    let mut s = String::from_utf8_lossy(bytes).into_owned();
    // Sometimes long: the same text many times.
    if u.ratio(1, 8)? {
        s = s.repeat(u.int_in_range(1..=500)?);
    }
    Ok(s)
}

/// An offset: small, near the end of a text of `len` bytes, or anything.
fn offset(u: &mut Unstructured<'_>, len: usize) -> Result<u32> {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    Ok(match u.int_in_range(0..=3)? {
        0 => u.int_in_range(0..=64)?,
        1 => len.saturating_sub(u.int_in_range(0..=64)?),
        2 => u.int_in_range(0..=len.saturating_add(8))?,
        _ => u.arbitrary()?,
    })
}

fn span(u: &mut Unstructured<'_>, len: usize) -> Result<Span> {
    let a = offset(u, len)?;
    let b = if u.ratio(1, 4)? { u.arbitrary()? } else { a.saturating_add(u.int_in_range(0..=200)?) };
    Ok(Span::new(a, b))
}

fn severity(u: &mut Unstructured<'_>) -> Result<Severity> {
    Ok(*u.choose(&[Severity::Error, Severity::SecurityWarning, Severity::Warning, Severity::Suggestion])?)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let len = u.int_in_range(0..=512)?.min(u.len());
    let mut bytes = u.bytes(len)?.to_vec();
    if u.ratio(1, 4)? {
        bytes = bytes.repeat(u.int_in_range(1..=2000)?);
    }
    let input = Input::from_bytes("f.json".into(), bytes);
    let file = input.lossy();
    let mut docs = vec![Document { text: Cow::Borrowed(file), origin: Origin::Root { base: 0 } }];
    for _ in 0..u.int_in_range(0..=3)? {
        let t = text(u, 256)?;
        let origin = if u.arbitrary()? {
            Origin::Embedded { literal: span(u, file.len())? }
        } else {
            Origin::Managed { name: text(u, 64)?, arn: text(u, 16)? }
        };
        docs.push(Document { text: Cow::Owned(t), origin });
    }
    let count = if u.ratio(1, 16)? { u.int_in_range(0..=5000)? } else { u.int_in_range(0..=8)? };
    let message = text(u, 400)?;
    let mut diags = Vec::new();
    for i in 0..count {
        let doc = DocId(u.int_in_range(0..=docs.len() as u32)?);
        let len = docs.get(doc.0 as usize).map_or(file.len(), |d| d.text.len());
        let codes = iamtrace::diagnostic::Code::ALL;
        let code = codes
            .get(u.int_in_range(0..=codes.len().saturating_sub(1))?)
            .copied()
            .unwrap_or(iamtrace::diagnostic::Code::JsonSyntax);
        let mut d = Diagnostic::new(code, severity(u)?, span(u, len)?, message.clone()).in_doc(doc);
        if i < 16 {
            d.message = text(u, 400)?;
            if u.arbitrary()? {
                d.help = Some(text(u, 400)?);
            }
            for _ in 0..u.int_in_range(0..=6)? {
                let doc = DocId(u.int_in_range(0..=docs.len() as u32)?);
                let len = docs.get(doc.0 as usize).map_or(file.len(), |d| d.text.len());
                d.labels.push(Label { doc, span: span(u, len)?, message: text(u, 100)? });
            }
        }
        diags.push(d);
    }
    let color = u.arbitrary()?;
    let style = Style::new(color);

    let mut reporter = Reporter::new();
    let out = reporter.render(&input, &docs, &diags, style);
    let summary = reporter.summary(style).unwrap_or_default();
    assert!(out.len() + summary.len() <= MAX_TEXT, "{} bytes of text", out.len());
    if !color {
        assert!(!out.contains(['\u{1b}', '\u{7}', '\u{202e}']), "control characters in the snippet");
    }
    let (items, _) = Reporter::new().json(&input, &docs, &diags);
    let json = serde_json::Value::Array(items).to_string();
    assert!(json.len() <= MAX_JSON, "{} bytes of JSON", json.len());

    // Each of the first diagnostics alone: its header has the file's position.
    for d in diags.iter().take(4) {
        let one = diagnostics::one_line(&input, &docs, d);
        assert!(one.len() <= 4096, "{} bytes in one line", one.len());
        let alone = Reporter::new().render(&input, &docs, std::slice::from_ref(d), Style::new(false));
        if let Some(at) = one.strip_prefix("f.json:").and_then(|rest| rest.split(": ").next()) {
            let is_file = match docs.get(d.doc.0 as usize).map(|doc| &doc.origin) {
                Some(Origin::Managed { .. }) => false,
                _ => true,
            };
            if is_file {
                assert!(alone.contains(&format!("--> f.json:{at}\n")), "header is not at f.json:{at}: {alone}");
            }
        }
    }
    if let Err(d) = input.text() {
        let plain = diagnostics::render_plain(&input, &d, style);
        assert!(plain.len() <= 4096, "{} bytes for invalid UTF-8", plain.len());
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
