//! A condition's values from the policy, as the trace shows them: most
//! have no variable to substitute, and are read from the policy's text
//! rather than copied into every trace.

use std::borrow::Cow;

use serde::Serialize;

use super::PolicyValue;
use crate::span::Str;

/// A condition's values from the policy, after variable substitution,
/// read as [`PolicyValue`]s. Values without a variable to substitute are
/// the policy's own text: kept as a reference to it, and read as written.
/// Serialised as the list of values.
#[derive(Debug, Clone)]
pub struct PolicyValues<'a>(Values<'a>);

#[derive(Debug, Clone)]
enum Values<'a> {
    Written(&'a [Str<'a>]),
    Resolved(Vec<PolicyValue<'a>>),
}

impl<'a> PolicyValues<'a> {
    /// The values as written in the policy.
    pub fn as_written(values: &'a [Str<'a>]) -> Self {
        PolicyValues(Values::Written(values))
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Values::Written(values) => values.len(),
            Values::Resolved(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `index`.
    pub fn get(&self, index: usize) -> Option<Cow<'_, PolicyValue<'a>>> {
        match &self.0 {
            Values::Written(values) => values.get(index).map(|v| Cow::Owned(PolicyValue::borrowed(v))),
            Values::Resolved(values) => values.get(index).map(Cow::Borrowed),
        }
    }

    /// Every value, in the policy's order.
    pub fn iter(&self) -> Iter<'_, 'a> {
        Iter { values: self, at: 0 }
    }

    /// The same values, owning their texts.
    pub fn into_owned(self) -> PolicyValues<'static> {
        let values = match self.0 {
            Values::Written(values) => values.iter().map(|v| super::own_value(PolicyValue::as_written(v))).collect(),
            Values::Resolved(values) => values.into_iter().map(super::own_value).collect(),
        };
        PolicyValues(Values::Resolved(values))
    }
}

/// The values of a condition, in order (see [`PolicyValues::iter`]).
#[derive(Debug, Clone)]
pub struct Iter<'s, 'a> {
    values: &'s PolicyValues<'a>,
    at: usize,
}

impl<'s, 'a> Iterator for Iter<'s, 'a> {
    type Item = Cow<'s, PolicyValue<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let value = self.values.get(self.at)?;
        self.at += 1;
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.values.len().saturating_sub(self.at);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_, '_> {}

impl<'a> From<Vec<PolicyValue<'a>>> for PolicyValues<'a> {
    fn from(values: Vec<PolicyValue<'a>>) -> Self {
        PolicyValues(Values::Resolved(values))
    }
}

impl PartialEq for PolicyValues<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for PolicyValues<'_> {}

impl Serialize for PolicyValues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for value in self.iter() {
            seq.serialize_element(&*value)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    /// Values read from the policy and values resolved read alike: as
    /// written, in order, equal, serialised the same, and owned alike.
    #[test]
    fn written_values_read_as_resolved_ones() {
        let text = [
            Str { value: Cow::Borrowed("a"), span: Span { start: 1, end: 4 } },
            Str { value: Cow::Borrowed("b*"), span: Span { start: 6, end: 10 } },
        ];
        let written = PolicyValues::as_written(&text);
        let resolved = PolicyValues::from(text.iter().map(PolicyValue::as_written).collect::<Vec<_>>());
        assert_eq!(written.len(), 2);
        assert!(!written.is_empty() && PolicyValues::from(Vec::new()).is_empty());
        assert_eq!(written, resolved);
        assert_eq!(written.iter().len(), 2);
        let read: Vec<_> = written.iter().map(|v| (v.text.to_string(), v.span)).collect();
        assert_eq!(read, [("a".to_owned(), text[0].span), ("b*".to_owned(), text[1].span)]);
        assert_eq!(written.get(1).as_deref(), resolved.get(1).as_deref());
        assert!(written.get(2).is_none());
        assert_eq!(serde_json::to_string(&written).unwrap(), serde_json::to_string(&resolved).unwrap());
        let owned = written.clone().into_owned();
        assert_eq!(owned, resolved);
        let mut other = resolved.clone().into_owned();
        assert_eq!(other, written);
        other = PolicyValues::from(vec![PolicyValue::as_written(&text[0])]);
        assert_ne!(other, written);
    }
}
