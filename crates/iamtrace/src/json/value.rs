use std::borrow::Cow;

use crate::span::{Span, Spanned};

/// A JSON value with the span it was read from (equality ignores the span).
pub type Node<'a> = Spanned<Value<'a>>;

/// A JSON value. Strings borrow from the input unless they contained escapes;
/// numbers keep their source text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

/// One `"key": value` pair of an object, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Node<'a>,
}

impl<'a> Value<'a> {
    /// The JSON type name, for messages: `a string`, `an array`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

impl<'a> Node<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'a>]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The member named `key` (exact match), if this is an object.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.as_object()?.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// A scalar rendered as text (strings as-is, numbers as written,
    /// booleans as `true`/`false`); `None` for null, arrays and objects.
    pub fn scalar_text(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(Cow::Borrowed(n)),
            Value::Bool(true) => Some(Cow::Borrowed("true")),
            Value::Bool(false) => Some(Cow::Borrowed("false")),
            _ => None,
        }
    }

    /// Takes the value out by value, leaving `Null`.
    pub fn take(&mut self) -> Node<'a> {
        Node { value: std::mem::replace(&mut self.value, Value::Null), span: self.span }
    }
}
