//! The request context: condition keys and their values.

use std::borrow::Cow;

use crate::span::{eq_ignoring_spans, Span};
use crate::variables::Found;

/// A context value: one string, or a set for multivalued keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue<'a> {
    Single(Cow<'a, str>),
    Multi(Vec<Cow<'a, str>>),
}

impl<'a> ContextValue<'a> {
    /// The values as a slice (one element for single values), without copying.
    pub fn as_slice(&self) -> &[Cow<'a, str>] {
        match self {
            ContextValue::Single(v) => std::slice::from_ref(v),
            ContextValue::Multi(vs) => vs,
        }
    }

    /// The same values, owning their texts.
    pub fn into_owned(self) -> ContextValue<'static> {
        match self {
            ContextValue::Single(v) => ContextValue::Single(Cow::Owned(v.into_owned())),
            ContextValue::Multi(vs) => {
                ContextValue::Multi(vs.into_iter().map(|v| Cow::Owned(v.into_owned())).collect())
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ContextValue::Single(_) => 1,
            ContextValue::Multi(vs) => vs.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (single, multi) = match self {
            ContextValue::Single(v) => (Some(v.as_ref()), [].iter()),
            ContextValue::Multi(vs) => (None, vs.iter()),
        };
        single.into_iter().chain(multi.map(AsRef::as_ref))
    }
}

/// One key of the context.
#[derive(Debug, Clone)]
pub struct ContextEntry<'a> {
    pub key: Cow<'a, str>,
    pub value: ContextValue<'a>,
    /// Filled in from the principal or resource rather than given.
    pub derived: bool,
    /// Where the key was given in the scenario, if it was.
    pub span: Option<Span>,
}

eq_ignoring_spans!(ContextEntry { key, value, derived } ignoring { span });

impl ContextEntry<'_> {
    /// The entry's value as a policy variable sees it.
    fn as_variable(&self) -> Found<'_> {
        match &self.value {
            ContextValue::Single(v) => Found::Single(v),
            ContextValue::Multi(_) => Found::Multi,
        }
    }
}

/// The condition keys of a request. Key names compare case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context<'a> {
    entries: Vec<ContextEntry<'a>>,
}

impl<'a> Context<'a> {
    pub fn new() -> Self {
        Context { entries: Vec::new() }
    }

    /// Looks a key up, ignoring ASCII case (`aws:SourceIP` finds `aws:SourceIp`).
    pub fn get(&self, key: &str) -> Option<&ContextEntry<'a>> {
        self.entries.iter().find(|e| crate::ascii::eq_ignore_case_str(&e.key, key))
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Adds a key given in the request. A later key with the same name
    /// (ignoring case) is kept beside the first; [`Context::get`] finds the first.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: ContextValue<'a>, span: Option<Span>) {
        self.entries.push(ContextEntry { key: key.into(), value, derived: false, span });
    }

    /// Adds a derived key unless the request already has it.
    pub fn derive(&mut self, key: &'static str, value: impl Into<Cow<'a, str>>) -> bool {
        if self.contains(key) {
            return false;
        }
        self.entries.push(ContextEntry {
            key: Cow::Borrowed(key),
            value: ContextValue::Single(value.into()),
            derived: true,
            span: None,
        });
        true
    }

    pub fn entries(&self) -> &[ContextEntry<'a>] {
        &self.entries
    }

    /// The value of a key for policy variables.
    pub fn variable(&self, key: &str) -> Found<'_> {
        self.get(key).map_or(Found::Missing, ContextEntry::as_variable)
    }
}

/// How many keys the evaluator derives at most.
const MAX_DERIVED: usize = 8;

/// The keys of one evaluation: the request's own keys, then the keys the
/// evaluator derived from the principal and resource (a key given in the
/// request always wins). Looked up like a [`Context`], without copying it.
#[derive(Debug, Clone)]
pub struct Keys<'r, 'a> {
    given: &'r Context<'a>,
    derived: [Option<ContextEntry<'a>>; MAX_DERIVED],
}

impl<'r, 'a> Keys<'r, 'a> {
    pub fn new(given: &'r Context<'a>) -> Self {
        Keys { given, derived: Default::default() }
    }

    /// Adds a derived key; returns whether there was room. A key the
    /// request gives still wins: lookups read the request's keys first, and
    /// [`Keys::is_given`] tells the two apart. (Checking here would cost a
    /// scan of the request's keys for every key derived, on every request.)
    pub fn derive(&mut self, key: &'static str, value: impl Into<Cow<'a, str>>) -> bool {
        let Some(slot) = self.derived.iter_mut().find(|e| e.is_none()) else { return false };
        *slot = Some(ContextEntry {
            key: Cow::Borrowed(key),
            value: ContextValue::Single(value.into()),
            derived: true,
            span: None,
        });
        true
    }

    /// The keys derived, in the order they were added.
    pub fn derived(&self) -> impl Iterator<Item = &ContextEntry<'a>> {
        self.derived.iter().flatten()
    }

    /// Looks a key up, ignoring ASCII case: the request's keys first.
    pub fn get(&self, key: &str) -> Option<&ContextEntry<'a>> {
        self.given
            .get(key)
            .or_else(|| self.derived.iter().flatten().find(|e| crate::ascii::eq_ignore_case_str(&e.key, key)))
    }

    /// Whether the request itself gives the key.
    pub fn is_given(&self, key: &str) -> bool {
        self.given.contains(key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value of a key for policy variables.
    pub fn variable(&self, key: &str) -> Found<'_> {
        self.get(key).map_or(Found::Missing, ContextEntry::as_variable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_given_keys_win() {
        let mut c = Context::new();
        c.insert("aws:SourceIp", ContextValue::Single("1.2.3.4".into()), None);
        assert!(c.get("AWS:SOURCEIP").is_some());
        assert!(!c.derive("aws:sourceip", "9.9.9.9"));
        assert_eq!(c.get("aws:SourceIp").unwrap().value, ContextValue::Single("1.2.3.4".into()));
        assert!(c.derive("aws:PrincipalType", "User"));
        assert!(c.get("aws:principaltype").unwrap().derived);
        assert_eq!(c.variable("aws:principaltype"), Found::Single("User"));
        c.insert("aws:TagKeys", ContextValue::Multi(vec!["a".into()]), None);
        assert_eq!(c.variable("aws:tagkeys"), Found::Multi);
        assert_eq!(c.variable("nope"), Found::Missing);
    }

    #[test]
    fn keys_given_in_the_request_win_over_derived_ones() {
        let mut given = Context::new();
        given.insert("aws:PrincipalType", ContextValue::Single("Given".into()), None);
        let mut keys = Keys::new(&given);
        assert!(keys.derive("aws:principaltype", "AssumedRole"));
        assert!(keys.derive("aws:userid", "AIDA"));
        assert_eq!(keys.get("AWS:PRINCIPALTYPE").unwrap().value, ContextValue::Single("Given".into()));
        assert!(!keys.get("aws:PrincipalType").unwrap().derived);
        assert!(keys.get("aws:UserId").unwrap().derived);
        assert!(keys.is_given("aws:principaltype") && !keys.is_given("aws:userid"));
    }
}
