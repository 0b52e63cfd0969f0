//! Reading helpers for chain scenarios: typed values with their spans, and
//! policy slots (an object, a string holding the text, a managed policy
//! name, or a `{"name", "policy"}` wrapper), as the scenario format has them.

use std::borrow::Cow;

use super::model::{GivenKey, Number, Text};
use crate::diagnostic::{nearest, quote, Code, Diagnostic, DocId};
use crate::json::{Arr, Kind, Obj, Pull, PullResult, Scalar};
use crate::policy::{self, Policy, PolicyKind};
use crate::request::ContextValue;
use crate::scenario::{self, Document, Origin, PolicyLibrary};
use crate::span::Span;

/// The reader's state: the documents policies live in, and the diagnostics.
pub(crate) struct R<'d, 'a> {
    pub docs: Vec<Document<'a>>,
    pub diags: Vec<Diagnostic>,
    pub library: Option<&'d dyn PolicyLibrary>,
}

impl<'a> R<'_, 'a> {
    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::error(code, span, message);
        d.help = help.map(str::to_owned);
        self.diags.push(d);
    }

    pub fn unknown(&mut self, key: &str, span: Span, known: &[&str], place: &str) {
        let help = nearest(key, known.iter().copied()).map_or_else(
            || format!("the fields are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
            |n| format!("did you mean `{n}`?"),
        );
        self.error(Code::ScenarioUnknownField, span, format!("unknown field {} in {place}", quote(key)), Some(&help));
    }

    /// Reports a value of the wrong type and skips it.
    pub fn wrong(&mut self, pull: &mut Pull<'a>, what: &str, expected: &str) -> PullResult<()> {
        let kind = pull.peek()?;
        let span = pull.skip()?;
        self.error(
            Code::ScenarioWrongType,
            span,
            format!("{what} must be {expected}, found {}", kind.describe()),
            None,
        );
        Ok(())
    }

    pub fn object(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Obj>> {
        if pull.peek()? != Kind::Object {
            self.wrong(pull, what, "an object")?;
            return Ok(None);
        }
        pull.open_object().map(Some)
    }

    pub fn array(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Arr>> {
        if pull.peek()? != Kind::Array {
            self.wrong(pull, what, "an array")?;
            return Ok(None);
        }
        pull.open_array().map(Some)
    }

    pub fn string(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Text>> {
        if pull.peek()? != Kind::String {
            self.wrong(pull, what, "a string")?;
            return Ok(None);
        }
        let (text, span) = pull.string()?;
        Ok(Some(Text { text: text.into_owned(), span }))
    }

    /// A whole number, as a JSON number or a string of digits.
    pub fn number(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Number>> {
        if !matches!(pull.peek()?, Kind::Number | Kind::String) {
            self.wrong(pull, what, "a whole number")?;
            return Ok(None);
        }
        let (scalar, span) = pull.scalar()?;
        let text = scalar.into_text().unwrap_or_default();
        match text.parse::<i64>() {
            Ok(value) => Ok(Some(Number { value, span })),
            Err(_) => {
                self.error(Code::ScenarioWrongType, span, format!("{what} must be a whole number of seconds"), None);
                Ok(None)
            }
        }
    }

    pub fn boolean(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<bool>> {
        if pull.peek()? != Kind::Bool {
            self.wrong(pull, what, "true or false")?;
            return Ok(None);
        }
        Ok(match pull.scalar()?.0 {
            Scalar::Bool(b) => Some(b),
            _ => None,
        })
    }

    /// An array of strings (a single string is taken as a list of one).
    pub fn strings(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Vec<Text>> {
        if pull.peek()? == Kind::String {
            return Ok(self.string(pull, what)?.into_iter().collect());
        }
        let mut out = Vec::new();
        let Some(mut arr) = self.array(pull, what)? else { return Ok(out) };
        while pull.item(&mut arr)? {
            out.extend(self.string(pull, what)?);
        }
        Ok(out)
    }

    /// Tags as `{"key": "value"}`, or as the API's `[{"Key": .., "Value": ..}]`.
    pub fn tags(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Vec<(Text, Text)>> {
        let mut out = Vec::new();
        if pull.peek()? == Kind::Array {
            let mut arr = pull.open_array()?;
            while pull.item(&mut arr)? {
                let Some(mut obj) = self.object(pull, "a tag")? else { continue };
                let (mut key, mut value) = (None, None);
                while let Some((k, span)) = pull.key(&mut obj)? {
                    match k.as_ref() {
                        "Key" => key = self.string(pull, "the tag `Key`")?,
                        "Value" => value = self.string(pull, "the tag `Value`")?,
                        other => {
                            self.unknown(other, span, &["Key", "Value"], "a tag");
                            pull.skip()?;
                        }
                    }
                }
                match (key, value) {
                    (Some(k), Some(v)) => out.push((k, v)),
                    _ => self.error(
                        Code::ScenarioMissingField,
                        Span::from_range(obj.start, obj.start + 1),
                        "a tag needs `Key` and `Value`",
                        None,
                    ),
                }
            }
            return Ok(out);
        }
        let Some(mut obj) = self.object(pull, what)? else { return Ok(out) };
        while let Some((k, span)) = pull.key(&mut obj)? {
            if let Some(v) = self.string(pull, "a tag value")? {
                out.push((Text { text: k.into_owned(), span }, v));
            }
        }
        Ok(out)
    }

    /// Context keys, as in a scenario's `request.context`.
    pub fn context(&mut self, pull: &mut Pull<'a>) -> PullResult<Vec<GivenKey<'a>>> {
        let mut out = Vec::new();
        let Some(mut obj) = self.object(pull, "`context`")? else { return Ok(out) };
        while let Some((key, span)) = pull.key(&mut obj)? {
            let value = if pull.peek()? == Kind::Array {
                let mut arr = pull.open_array()?;
                let mut values = Vec::new();
                while pull.item(&mut arr)? {
                    values.extend(self.context_value(pull, &key)?);
                }
                ContextValue::Multi(values)
            } else {
                match self.context_value(pull, &key)? {
                    Some(v) => ContextValue::Single(v),
                    None => continue,
                }
            };
            out.push(GivenKey { key, value, span });
        }
        Ok(out)
    }

    fn context_value(&mut self, pull: &mut Pull<'a>, key: &str) -> PullResult<Option<Cow<'a, str>>> {
        if matches!(pull.peek()?, Kind::Object | Kind::Array | Kind::Null) {
            self.wrong(pull, &format!("values of {}", quote(key)), "strings, numbers or booleans")?;
            return Ok(None);
        }
        Ok(pull.scalar()?.0.into_text())
    }

    /// One policy slot; the name is the wrapper's or the managed policy's.
    pub fn policy(
        &mut self,
        pull: &mut Pull<'a>,
        kind: PolicyKind,
    ) -> PullResult<Option<(Policy<'a>, Option<String>)>> {
        match pull.peek()? {
            Kind::Object => {
                let mut obj = pull.open_object()?;
                let first = pull.key(&mut obj)?;
                if matches!(&first, Some((k, _)) if k == "name" || k == "policy") {
                    return self.wrapper(pull, obj, first, kind);
                }
                let parsed = policy::read_policy(pull, kind, DocId(0), Some((obj, first)))?;
                self.diags.extend(parsed.diagnostics);
                Ok(parsed.policy.map(|p| (p, None)))
            }
            Kind::String => {
                let (text, span) = pull.string()?;
                if scenario::names_managed_policy(&text) {
                    return Ok(self.managed(text.trim(), span, kind).map(|(p, n)| (p, Some(n))));
                }
                Ok(self.embedded(text, span, kind).map(|p| (p, None)))
            }
            _ => {
                self.wrong(pull, "a policy", "a JSON object or a string")?;
                Ok(None)
            }
        }
    }

    fn wrapper(
        &mut self,
        pull: &mut Pull<'a>,
        mut obj: Obj,
        first: Option<(Cow<'a, str>, Span)>,
        kind: PolicyKind,
    ) -> PullResult<Option<(Policy<'a>, Option<String>)>> {
        let (mut name, mut inner) = (None, None);
        let mut next = first;
        while let Some((key, span)) = next {
            match key.as_ref() {
                "name" => name = self.string(pull, "the policy `name`")?.map(|t| t.text),
                "policy" => inner = self.policy(pull, kind)?,
                other => {
                    self.unknown(other, span, &["name", "policy"], "a named policy");
                    pull.skip()?;
                }
            }
            next = pull.key(&mut obj)?;
        }
        Ok(inner.map(|(p, resolved)| (p, name.or(resolved))))
    }

    fn next_doc(&self) -> DocId {
        DocId(u32::try_from(self.docs.len()).unwrap_or(u32::MAX))
    }

    fn embedded(&mut self, text: Cow<'a, str>, literal: Span, kind: PolicyKind) -> Option<Policy<'a>> {
        let doc = self.next_doc();
        let origin = Origin::Embedded { literal };
        let (policy, diags) = match text {
            Cow::Borrowed(t) => {
                let parsed = policy::parse_policy(t, kind, doc);
                self.docs.push(Document { text: Cow::Borrowed(t), origin });
                (parsed.policy, parsed.diagnostics)
            }
            Cow::Owned(t) => {
                let parsed = policy::parse_policy(&t, kind, doc);
                let owned = parsed.policy.map(Policy::into_owned);
                let diags = parsed.diagnostics;
                self.docs.push(Document { text: Cow::Owned(t), origin });
                (owned, diags)
            }
        };
        self.diags.extend(diags);
        policy
    }

    /// A managed policy by name or ARN from the library: the policy and its name.
    pub fn managed(&mut self, name: &str, span: Span, kind: PolicyKind) -> Option<(Policy<'a>, String)> {
        let help = "paste the policy document itself, or use a build of iamtrace with the AWS data";
        let m = match scenario::resolve_managed(self.library, name, span, help) {
            Ok(m) => m,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let doc = self.next_doc();
        let Some(p) = policy::parse_policy(&m.text, kind, doc).policy.map(Policy::into_owned) else {
            self.error(
                Code::PolicyManagedInvalid,
                span,
                format!("the managed policy {} could not be read", quote(&m.name)),
                None,
            );
            return None;
        };
        let name = m.name.clone();
        self.docs.push(Document { text: m.text, origin: Origin::Managed { name: m.name, arn: m.arn } });
        Some((p, name))
    }

    /// The text a policy was read from (for the session-policy size check).
    pub fn policy_text(&self, p: &Policy<'_>) -> String {
        self.docs.get(p.doc.0 as usize).map(|d| p.span.slice(&d.text).to_owned()).unwrap_or_default()
    }
}
