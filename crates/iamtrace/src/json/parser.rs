//! The tree reader: the whole document as a [`Node`], for the few places
//! that want one (reading a scenario into texts, tests). It is the pull
//! reader's [`Pull::node`], so both readers share one grammar.

use super::pull::Pull;
use super::value::Node;
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::span::Span;

/// Arrays and objects nested deeper than this are rejected. Policies need
/// about six levels and scenarios about nine.
pub const MAX_DEPTH: usize = 64;

/// Parses one JSON document. The whole input must be one value, optionally
/// surrounded by whitespace.
pub fn parse(text: &str) -> Result<Node<'_>, Diagnostic> {
    if text.len() > u32::MAX as usize {
        return Err(Diagnostic::error(
            Code::JsonTooLarge,
            Span::new(0, 0),
            format!("input is {} bytes, more than this reader accepts", text.len()),
        ));
    }
    let mut p = Pull::new(text);
    let node = p.node().map_err(|e| *e)?;
    p.finish().map_err(|e| *e)?;
    Ok(node)
}

/// Checks that `bytes` are UTF-8 and parses them.
pub fn parse_bytes(bytes: &[u8]) -> Result<Node<'_>, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => {
            let at = e.valid_up_to();
            Err(Diagnostic::error(
                Code::JsonInvalidUtf8,
                Span::from_range(at, at + e.error_len().unwrap_or(1)),
                format!("invalid UTF-8 at byte {at}"),
            )
            .with_help("save the file as UTF-8"))
        }
    }
}

/// The duplicate-key error: at the second key, with the first labelled.
pub(super) fn duplicate(key: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::error(Code::JsonDuplicateKey, span, format!("duplicate key {}", quote(key)))
        .with_label(first, "first defined here")
        .with_help("each key may appear once per object; merge the two entries")
}
