//! What a step concluded, in a sentence. Most are fixed texts; the ones
//! that name a statement or count statements are kept as what they name
//! and written out when read: a trace asked for its decision and handed
//! to a program, or dropped, never pays for their words.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use super::StatementRef;
use crate::text::{cat, Piece, Plural};

/// A sentence of the trace: read it with [`Sentence::text`] or `Display`;
/// serialised as its text. Two sentences are equal when their texts are.
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    /// Written before the words: the decision step's `allowed: `.
    prefix: &'static str,
    words: Words<'a>,
}

#[derive(Debug, Clone)]
enum Words<'a> {
    Text(Cow<'static, str>),
    /// `level N: ` (0-based `level`), the statement's label, `then`:
    /// ``statement 2 `Read` of identity policy 1 allows the request``.
    Statement {
        level: Option<usize>,
        statement: Option<&'a StatementRef>,
        then: &'static str,
    },
    /// `before`, the count and its word, `after`: `none of the 12 Deny
    /// statements applies`.
    Count {
        before: &'static str,
        count: usize,
        one: &'static str,
        many: &'static str,
        after: &'static str,
    },
    /// `explicitly denied by` the first statement, and how many more.
    DeniedBy {
        first: Option<&'a StatementRef>,
        more: usize,
    },
}

impl<'a> Sentence<'a> {
    /// `level N: ` when at an SCP or RCP level (0-based), the statement's
    /// label, then `then`.
    pub(crate) fn statement(level: Option<usize>, statement: Option<&'a StatementRef>, then: &'static str) -> Self {
        Sentence { prefix: "", words: Words::Statement { level, statement, then } }
    }

    /// `before`, `count` with `one` or `many` after it, then `after`.
    pub(crate) fn count(
        before: &'static str,
        count: usize,
        (one, many): (&'static str, &'static str),
        after: &'static str,
    ) -> Self {
        Sentence { prefix: "", words: Words::Count { before, count, one, many, after } }
    }

    /// `explicitly denied by` the first of the deciding statements, and how
    /// many others.
    pub(crate) fn denied_by(first: Option<&'a StatementRef>, more: usize) -> Self {
        Sentence { prefix: "", words: Words::DeniedBy { first, more } }
    }

    /// The same sentence after `prefix` (which replaces any prefix it had).
    pub(crate) fn after(&self, prefix: &'static str) -> Self {
        Sentence { prefix, words: self.words.clone() }
    }

    /// The sentence's text: borrowed when it is a text as it is.
    pub fn text(&self) -> Cow<'_, str> {
        match (&self.words, self.prefix) {
            (Words::Text(text), "") => Cow::Borrowed(text),
            _ => Cow::Owned(cat![self]),
        }
    }

    /// Whether the sentence says nothing.
    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    /// The same sentence, owning what it names.
    pub fn into_owned(self) -> Sentence<'static> {
        let words = match self.words {
            Words::Text(text) if self.prefix.is_empty() => Words::Text(text),
            _ => Words::Text(Cow::Owned(cat![&self])),
        };
        Sentence { prefix: "", words }
    }

    /// The sentence's pieces, in order.
    fn pieces(&self, piece: &mut dyn FnMut(&dyn Piece)) {
        piece(&self.prefix);
        match &self.words {
            Words::Text(text) => piece(text),
            Words::Statement { level, statement, then } => {
                if let Some(level) = level {
                    piece(&"level ");
                    piece(&(level + 1));
                    piece(&": ");
                }
                piece(statement);
                piece(then);
            }
            Words::Count { before, count, one, many, after } => {
                piece(before);
                piece(&Plural(*count, one, many));
                piece(after);
            }
            Words::DeniedBy { first, more } => {
                piece(&"explicitly denied by ");
                piece(first);
                if *more > 0 {
                    piece(&" (and ");
                    piece(&Plural(*more, "other statement", "other statements"));
                    piece(&")");
                }
            }
        }
    }
}

/// A sentence as a piece of another (no copy of its own).
impl Piece for Sentence<'_> {
    fn size(&self) -> usize {
        let mut size = 0;
        self.pieces(&mut |p| size += p.size());
        size
    }

    fn push_to(&self, out: &mut String) {
        self.pieces(&mut |p| p.push_to(out));
    }
}

impl From<&'static str> for Sentence<'_> {
    fn from(text: &'static str) -> Self {
        Sentence { prefix: "", words: Words::Text(Cow::Borrowed(text)) }
    }
}

impl From<String> for Sentence<'_> {
    fn from(text: String) -> Self {
        Sentence { prefix: "", words: Words::Text(Cow::Owned(text)) }
    }
}

impl From<Cow<'static, str>> for Sentence<'_> {
    fn from(text: Cow<'static, str>) -> Self {
        Sentence { prefix: "", words: Words::Text(text) }
    }
}

impl fmt::Display for Sentence<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl PartialEq for Sentence<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Eq for Sentence<'_> {}

impl Serialize for Sentence<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::DocId;
    use crate::policy::{Effect, PolicyKind};
    use crate::trace::PolicyRef;

    fn statement(sid: Option<&str>) -> StatementRef {
        StatementRef {
            policy: PolicyRef { kind: PolicyKind::Identity, index: 0, level: None, name: None, doc: DocId(0) },
            statement: 1,
            sid: sid.map(Into::into),
            span: crate::Span::default(),
            effect: Effect::Allow,
        }
    }

    /// Every kind of sentence reads as the words `cat!` would write, and
    /// measures what it writes.
    #[test]
    fn sentences_read_as_their_words() {
        let read = statement(Some("Read"));
        let cases: Vec<(Sentence<'_>, String)> = vec![
            (Sentence::from("no RCPs in the scenario"), "no RCPs in the scenario".to_owned()),
            (Sentence::from(String::from("owned")), "owned".to_owned()),
            (Sentence::statement(None, Some(&read), " allows the request"), cat![&read, " allows the request"]),
            (
                Sentence::statement(Some(2), Some(&read), " allows the request"),
                cat!["level 3: ", &read, " allows the request"],
            ),
            (Sentence::statement(None, None, " allows the request"), " allows the request".to_owned()),
            (
                Sentence::count("none of the ", 1, ("Deny statement", "Deny statements"), " applies"),
                "none of the 1 Deny statement applies".to_owned(),
            ),
            (
                Sentence::count("", 12, ("Deny statement matches", "Deny statements match"), " the request"),
                "12 Deny statements match the request".to_owned(),
            ),
            (Sentence::denied_by(Some(&read), 0), cat!["explicitly denied by ", &read]),
            (Sentence::denied_by(Some(&read), 2), cat!["explicitly denied by ", &read, " (and 2 other statements)"]),
            (
                Sentence::statement(None, Some(&read), " allows the request").after("allowed: "),
                cat!["allowed: ", &read, " allows the request"],
            ),
            (Sentence::from("no Allow").after("implicitly denied: "), "implicitly denied: no Allow".to_owned()),
        ];
        for (sentence, words) in cases {
            assert_eq!(sentence.text(), words);
            assert_eq!(sentence.to_string(), words);
            assert_eq!(sentence.size(), words.len());
            assert_eq!(serde_json::to_value(&sentence).unwrap(), serde_json::Value::String(words.clone()));
            assert_eq!(sentence.is_empty(), words.is_empty());
            let owned = sentence.clone().into_owned();
            assert_eq!(owned, sentence);
            assert_eq!(owned.text(), words);
        }
    }
}
