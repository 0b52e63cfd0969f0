//! Where a value was read: its JSON path and its byte span in the pasted
//! text. A lookup-events result holds each event as a JSON string
//! (`CloudTrailEvent`), and `sts decode-authorization-message` prints its
//! answer as one (`DecodedMessage`): those documents are parsed from the
//! decoded string, and their spans are mapped back through the escapes to
//! the pasted text, so every span points at what the user pasted.

use crate::json::Node;
use crate::span::Span;

/// The document a node was parsed from: the pasted text itself, or the
/// body of one of its string literals.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Doc<'d> {
    /// For an embedded document: the string literal's body as written
    /// (escapes included, quotes excluded) and its offset in the pasted text.
    embedded: Option<(&'d str, u32)>,
}

impl<'d> Doc<'d> {
    /// The pasted text itself.
    pub(super) fn root() -> Doc<'static> {
        Doc { embedded: None }
    }

    /// A document decoded from the string literal at `literal` (quotes
    /// included) of `pasted`.
    pub(super) fn embedded(pasted: &'d str, literal: Span) -> Doc<'d> {
        let body = Span::new(literal.start.saturating_add(1), literal.end.saturating_sub(1).max(literal.start));
        Doc { embedded: Some((body.slice(pasted), body.start)) }
    }

    /// The span in the pasted text of `span` of this document.
    pub(super) fn outer(&self, span: Span) -> Span {
        match self.embedded {
            None => span,
            Some((raw, start)) => {
                let s = start as usize;
                Span::from_range(s + raw_offset(raw, span.start as usize), s + raw_offset(raw, span.end as usize))
            }
        }
    }
}

/// The offset in a string literal's body (as written) of the byte at
/// `decoded` in its decoded text.
fn raw_offset(raw: &str, decoded: usize) -> usize {
    let bytes = raw.as_bytes();
    let (mut r, mut d) = (0usize, 0usize);
    while d < decoded && r < bytes.len() {
        if bytes.get(r) == Some(&b'\\') {
            let (raw_len, decoded_len) = match bytes.get(r + 1) {
                Some(b'u') => {
                    let unit = raw.get(r + 2..r + 6).and_then(|h| u32::from_str_radix(h, 16).ok()).unwrap_or(0);
                    if (0xD800..0xDC00).contains(&unit) {
                        // A surrogate pair: two escapes, one four-byte character.
                        (12, 4)
                    } else {
                        (6, char::from_u32(unit).map_or(3, char::len_utf8))
                    }
                }
                _ => (2, 1),
            };
            r += raw_len;
            d += decoded_len;
        } else {
            r += 1;
            d += 1;
        }
    }
    r.min(bytes.len())
}

/// A node with its JSON path and document.
#[derive(Debug, Clone)]
pub(super) struct At<'n, 'a, 'd> {
    pub node: &'n Node<'a>,
    pub path: String,
    pub doc: Doc<'d>,
}

/// A string value read from the record: what it says and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    pub value: String,
    pub path: String,
    pub span: Span,
}

impl<'n, 'a, 'd> At<'n, 'a, 'd> {
    pub(super) fn new(node: &'n Node<'a>, path: impl Into<String>, doc: Doc<'d>) -> Self {
        At { node, path: path.into(), doc }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The member `key` of this object.
    pub(super) fn get(&self, key: &str) -> Option<At<'n, 'a, 'd>> {
        let members = self.node.as_object()?;
        let m = members.iter().find(|m| m.key == key)?;
        Some(At { node: &m.value, path: self.child_path(key), doc: self.doc })
    }

    /// The member at a dotted path such as `userIdentity.sessionContext.attributes`.
    pub(super) fn at(&self, dotted: &str) -> Option<At<'n, 'a, 'd>> {
        let mut cur = self.clone();
        for key in dotted.split('.') {
            cur = cur.get(key)?;
        }
        Some(cur)
    }

    /// The items of this array, with their paths.
    pub(super) fn items(&self) -> Vec<At<'n, 'a, 'd>> {
        self.node
            .as_array()
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, n)| At { node: n, path: format!("{}[{i}]", self.path), doc: self.doc })
            .collect()
    }

    /// The members of this object, with their keys and paths.
    pub(super) fn members(&self) -> Vec<(String, At<'n, 'a, 'd>)> {
        self.node
            .as_object()
            .unwrap_or(&[])
            .iter()
            .map(|m| (m.key.to_string(), At { node: &m.value, path: self.child_path(&m.key), doc: self.doc }))
            .collect()
    }

    /// This node's span in the pasted text.
    pub(super) fn span(&self) -> Span {
        self.doc.outer(self.node.span)
    }

    /// The span of this node's first byte: where to point at a whole
    /// record without underlining all of it.
    pub(super) fn start(&self) -> Span {
        let s = self.span();
        Span::new(s.start, s.start.saturating_add(1).min(s.end.max(s.start)))
    }

    /// This node as a field, when it is a non-empty string (numbers and
    /// booleans are read as their text: some records write flags as `true`).
    pub(super) fn as_field(&self) -> Option<Field> {
        let text = self.node.scalar_text()?;
        let value = text.trim();
        (!value.is_empty()).then(|| Field { value: value.to_owned(), path: self.path.clone(), span: self.span() })
    }

    /// The non-empty string at a dotted path.
    pub(super) fn field(&self, dotted: &str) -> Option<Field> {
        self.at(dotted)?.as_field()
    }

    /// Whether the member at a dotted path exists and is not `null`.
    pub(super) fn has(&self, dotted: &str) -> bool {
        self.at(dotted).is_some_and(|a| !matches!(a.node.value, crate::json::Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_offsets_map_through_escapes() {
        let raw = r#"{\"a\":\"\u00e9\ud83d\ude00x\"}"#;
        let decoded = "{\"a\":\"é😀x\"}";
        let x = decoded.find('x').unwrap();
        let r = raw_offset(raw, x);
        assert_eq!(&raw[r..r + 1], "x");
        assert_eq!(raw_offset(raw, 0), 0);
        assert_eq!(raw_offset(raw, 1), 1);
        assert_eq!(raw_offset(raw, 2), 3);
    }

    #[test]
    fn embedded_spans_point_into_the_pasted_text() {
        let pasted = r#"{"E": "{\"k\": \"v\"}"}"#;
        let literal_start = pasted.find("\"{").unwrap();
        let literal = Span::from_range(literal_start, pasted.len() - 1);
        let doc = Doc::embedded(pasted, literal);
        let inner = "{\"k\": \"v\"}";
        let v = inner.find("\"v\"").unwrap();
        let span = doc.outer(Span::from_range(v, v + 3));
        assert_eq!(span.slice(pasted), r#"\"v\""#);
    }
}
