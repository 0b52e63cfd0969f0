//! An owned, serde-friendly front door for shells that hold texts (the web
//! playground, the wasm module): policy texts per slot, a request with
//! plain strings, and an output whose diagnostics carry line/column
//! positions (UTF-16 columns for browsers).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{limit, Diagnostic, DocId};
use crate::eval::{self, Named, PolicySet};
use crate::json::{self, Value};
use crate::policy::{self, PolicyKind, Str};
use crate::request::{Context, ContextValue, Flags, Request};
use crate::scenario::{self, ManagedPolicy, PolicyLibrary};
use crate::span::{LineIndex, Position, Span};
use crate::trace::{Answer, Decision};

/// A policy as text, with an optional display name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub text: String,
}

/// The policies of a scenario, as texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policies {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identity: Vec<PolicyText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<PolicyText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<PolicyText>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub session: Vec<PolicyText>,
    /// Levels from the organization root down.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scp: Vec<Vec<PolicyText>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rcp: Vec<Vec<PolicyText>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpce: Option<PolicyText>,
}

/// A context value: one string or several. Numbers and booleans are read
/// as their text (`300`, `true`), as in the scenario format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ContextInput {
    One(String),
    Many(Vec<String>),
}

/// A context scalar: string, number or boolean, kept as text.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Text)
    }
}

struct ScalarVisitor;

impl serde::de::Visitor<'_> for ScalarVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl<'de> Deserialize<'de> for ContextInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ContextInput;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number, boolean, or an array of them")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ContextInput, E> {
                Ok(ContextInput::One(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<ContextInput, E> {
                Ok(ContextInput::One(v))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ContextInput, E> {
                Ok(ContextInput::One(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ContextInput, E> {
                Ok(ContextInput::One(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ContextInput, E> {
                Ok(ContextInput::One(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ContextInput, E> {
                Ok(ContextInput::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<ContextInput, A::Error> {
                let mut out = Vec::new();
                while let Some(Text(t)) = seq.next_element()? {
                    out.push(t);
                }
                Ok(ContextInput::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Request flags (all default to false).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagsInput {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub principal_in_management_account: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub service_linked_role: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_in_management_account: Option<bool>,
}

/// The request, as plain strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestInput {
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_parent_arn: Option<String>,
    #[serde(skip_serializing_if = "is_default_flags")]
    pub flags: FlagsInput,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, ContextInput>,
}

fn is_default_flags(f: &FlagsInput) -> bool {
    *f == FlagsInput::default()
}

/// A scenario of texts: what the playground edits and shares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Input {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub policies: Policies,
    pub request: RequestInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Decision>,
}

/// Which input a diagnostic or document belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "kebab-case")]
pub enum Slot {
    /// A policy editor: kind, position, and level for SCPs/RCPs.
    Policy {
        kind: PolicyKind,
        index: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<usize>,
    },
    /// A request field: `principal`, `action`, `resource`, `resource_account`, `session_parent_arn`.
    Request { field: String },
}

/// A diagnostic with its input and positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    pub slot: Slot,
    pub start: Position,
    pub end: Position,
}

/// The answer to an [`Input`].
#[derive(Debug, Clone, Serialize)]
pub struct Output<'a> {
    /// `None` when an input has errors.
    pub decision: Option<Decision>,
    pub answer: Option<Answer<'a>>,
    /// Errors and warnings, each located in its input.
    pub diagnostics: Vec<Located>,
    /// The slot of each document id used by spans in the answer.
    pub documents: Vec<Slot>,
    /// Slots that named a managed policy, with the document it resolved to
    /// (spans of their statements point into that text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub managed: Vec<ResolvedPolicy>,
}

/// A managed policy named in a slot, and its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedPolicy {
    pub slot: Slot,
    pub name: String,
    pub arn: String,
    pub text: String,
}

pub use crate::scenario::names_managed_policy;

/// A policy in the scenario format: its text as a JSON string, or a
/// `{"name", "policy"}` wrapper when it has a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PolicyDoc<'i> {
    Text(&'i str),
    Named { name: &'i str, policy: &'i str },
}

impl<'i> From<&'i PolicyText> for PolicyDoc<'i> {
    fn from(t: &'i PolicyText) -> Self {
        match &t.name {
            Some(name) => PolicyDoc::Named { name, policy: &t.text },
            None => PolicyDoc::Text(&t.text),
        }
    }
}

/// The `policies` object of the scenario format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PoliciesDoc<'i> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identity: Vec<PolicyDoc<'i>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<PolicyDoc<'i>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<PolicyDoc<'i>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub session: Vec<PolicyDoc<'i>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scp: Vec<Vec<PolicyDoc<'i>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rcp: Vec<Vec<PolicyDoc<'i>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpce: Option<PolicyDoc<'i>>,
}

/// An [`Input`] in the scenario format (SCENARIO.md), ready to serialise:
/// policies are JSON strings holding their exact texts, SCPs and RCPs are
/// written as levels. [`input_from_scenario`] reads it back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioDoc<'i> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'i str>,
    pub policies: PoliciesDoc<'i>,
    pub request: &'i RequestInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Decision>,
}

/// The scenario-format view of an input.
pub fn scenario_doc(input: &Input) -> ScenarioDoc<'_> {
    let p = &input.policies;
    fn list(v: &[PolicyText]) -> Vec<PolicyDoc<'_>> {
        v.iter().map(PolicyDoc::from).collect()
    }
    ScenarioDoc {
        name: input.name.as_deref(),
        policies: PoliciesDoc {
            identity: list(&p.identity),
            resource: p.resource.as_ref().map(PolicyDoc::from),
            boundary: p.boundary.as_ref().map(PolicyDoc::from),
            session: list(&p.session),
            scp: p.scp.iter().map(|l| list(l)).collect(),
            rcp: p.rcp.iter().map(|l| list(l)).collect(),
            vpce: p.vpce.as_ref().map(PolicyDoc::from),
        },
        request: &input.request,
        expected: input.expected,
    }
}

/// Every policy text of an input, with its slot, in document order.
pub fn slots(input: &Input) -> Vec<(Slot, &str, Option<&str>)> {
    let p = &input.policies;
    let mut out = Vec::new();
    let slot = |kind, index, level| Slot::Policy { kind, index, level };
    for (i, t) in p.identity.iter().enumerate() {
        out.push((slot(PolicyKind::Identity, i, None), t.text.as_str(), t.name.as_deref()));
    }
    for (kind, t) in [(PolicyKind::Resource, &p.resource), (PolicyKind::Boundary, &p.boundary)] {
        if let Some(t) = t {
            out.push((slot(kind, 0, None), t.text.as_str(), t.name.as_deref()));
        }
    }
    for (i, t) in p.session.iter().enumerate() {
        out.push((slot(PolicyKind::Session, i, None), t.text.as_str(), t.name.as_deref()));
    }
    for (kind, levels) in [(PolicyKind::Scp, &p.scp), (PolicyKind::Rcp, &p.rcp)] {
        for (l, level) in levels.iter().enumerate() {
            for (i, t) in level.iter().enumerate() {
                out.push((slot(kind, i, Some(l)), t.text.as_str(), t.name.as_deref()));
            }
        }
    }
    if let Some(t) = &p.vpce {
        out.push((slot(PolicyKind::Vpce, 0, None), t.text.as_str(), t.name.as_deref()));
    }
    out
}

fn locate(d: Diagnostic, slot: Slot, text: &str, index: &LineIndex) -> Located {
    let start = index.position(text, d.span.start);
    let end = index.position(text, d.span.end);
    Located { diagnostic: d, slot, start, end }
}

/// The policies of an input, parsed: the set (with the valid policies),
/// every diagnostic located in its slot, and the slot of each document id.
/// For evaluating many requests against the same policies.
pub fn policy_set(input: &Input) -> (PolicySet<'_>, Vec<Located>, Vec<Slot>) {
    let (set, diagnostics, documents, _) = policy_set_with(input, None);
    (set, diagnostics, documents)
}

/// Like [`policy_set`], resolving managed-policy names and ARNs given in
/// place of a document through `library`.
pub fn policy_set_with<'i>(
    input: &'i Input,
    library: Option<&dyn PolicyLibrary>,
) -> (PolicySet<'i>, Vec<Located>, Vec<Slot>, Vec<ResolvedPolicy>) {
    let mut diagnostics = Vec::new();
    let mut documents = Vec::new();
    let mut managed = Vec::new();
    let mut set = PolicySet::default();
    for (i, (slot, text, name)) in slots(input).into_iter().enumerate() {
        let doc = DocId(u32::try_from(i).unwrap_or(u32::MAX));
        let Slot::Policy { kind, index, level } = slot.clone() else { continue };
        let line_index = LineIndex::new(text);
        let mut name = name.map(str::to_owned);
        let policy = if names_managed_policy(text) {
            match resolve(text, library) {
                Ok(m) => {
                    let parsed = policy::parse_policy(&m.text, kind, doc);
                    let p = parsed.policy.map(policy::Policy::into_owned);
                    if p.is_none() {
                        let d = Diagnostic::error(
                            "policy-managed-invalid",
                            whole(text),
                            format!("the managed policy `{}` could not be read", m.name),
                        );
                        diagnostics.push(locate(d.in_doc(doc), slot.clone(), text, &line_index));
                    }
                    name = name.or_else(|| Some(m.name.clone()));
                    managed.push(ResolvedPolicy {
                        slot: slot.clone(),
                        name: m.name,
                        arn: m.arn,
                        text: m.text.into_owned(),
                    });
                    p
                }
                Err(d) => {
                    diagnostics.push(locate(d.in_doc(doc), slot.clone(), text, &line_index));
                    None
                }
            }
        } else {
            let parsed = policy::parse_policy(text, kind, doc);
            diagnostics
                .extend(limit(parsed.diagnostics).into_iter().map(|d| locate(d, slot.clone(), text, &line_index)));
            parsed.policy
        };
        if let Some(p) = policy {
            set.insert(Named::new(p, index, level, name));
        }
        documents.push(slot);
    }
    // Keep empty SCP/RCP levels (a level with no policies allows nothing).
    for (levels, given) in [(&mut set.scp, &input.policies.scp), (&mut set.rcp, &input.policies.rcp)] {
        while levels.len() < given.len() {
            levels.push(Vec::new());
        }
    }
    (set, diagnostics, documents, managed)
}

fn whole(text: &str) -> Span {
    Span::from_range(0, text.len())
}

fn resolve(text: &str, library: Option<&dyn PolicyLibrary>) -> Result<ManagedPolicy, Diagnostic> {
    let help = "paste the policy document itself, or wait for the AWS data to load";
    scenario::resolve_managed(library, text.trim(), whole(text), help)
}

/// Parses every policy and evaluates the request.
pub fn evaluate(input: &Input) -> Output<'static> {
    evaluate_with(input, None)
}

/// Like [`evaluate`], resolving managed-policy names and ARNs given in
/// place of a policy document through `library`.
pub fn evaluate_with(input: &Input, library: Option<&dyn PolicyLibrary>) -> Output<'static> {
    let (set, mut diagnostics, documents, managed) = policy_set_with(input, library);
    let request = request(&input.request);
    let policy_errors = diagnostics.iter().any(|d| d.diagnostic.is_error());
    let (decision, answer) = if policy_errors {
        (None, None)
    } else {
        // `set` and `request` live in this frame; the answer must not borrow them.
        match eval::evaluate(&set, &request) {
            Ok(a) => (Some(a.decision), Some(crate::trace::into_owned(a))),
            Err(ds) => {
                diagnostics.extend(ds.into_iter().map(|d| request_located(d, &input.request)));
                (None, None)
            }
        }
    };
    Output { decision, answer, diagnostics, documents, managed }
}

fn request_located(d: Diagnostic, r: &RequestInput) -> Located {
    let field = match d.code.as_str() {
        "request-invalid-principal" => "principal",
        "request-invalid-action" => "action",
        "request-invalid-resource" => "resource",
        "request-invalid-account" => "resource_account",
        "request-invalid-session-parent" | "request-unused-session-parent" => "session_parent_arn",
        _ => "request",
    };
    let text = match field {
        "principal" => r.principal.as_str(),
        "action" => r.action.as_str(),
        "resource" => r.resource.as_str(),
        "resource_account" => r.resource_account.as_deref().unwrap_or(""),
        "session_parent_arn" => r.session_parent_arn.as_deref().unwrap_or(""),
        _ => "",
    };
    let index = LineIndex::new(text);
    locate(d, Slot::Request { field: field.to_owned() }, text, &index)
}

/// Builds a [`Request`] whose field spans cover each whole field.
pub fn request(r: &RequestInput) -> Request<'_> {
    fn s(t: &str) -> Str<'_> {
        Str { text: t.into(), span: Span::from_range(0, t.len()) }
    }
    let mut context = Context::new();
    for (k, v) in &r.context {
        let value = match v {
            ContextInput::One(s) => ContextValue::Single(s.as_str().into()),
            ContextInput::Many(vs) => ContextValue::Multi(vs.iter().map(|s| s.as_str().into()).collect()),
        };
        context.insert(k.as_str(), value, None);
    }
    Request {
        principal: s(&r.principal),
        action: s(&r.action),
        resource: s(&r.resource),
        resource_account: r.resource_account.as_deref().map(s),
        session_parent_arn: r.session_parent_arn.as_deref().map(s),
        flags: Flags {
            principal_in_management_account: r.flags.principal_in_management_account,
            service_linked_role: r.flags.service_linked_role,
            resource_in_management_account: r.flags.resource_in_management_account,
        },
        context,
        span: Span::default(),
    }
}

/// Reads a scenario in the SCENARIO.md format into texts. Policies given as
/// JSON objects keep their exact source text; strings are taken as they are.
pub fn input_from_scenario(text: &str) -> Result<Input, Diagnostic> {
    let node = json::parse(text)?;
    let root = node.as_object().ok_or_else(|| {
        Diagnostic::error(
            "scenario-wrong-type",
            node.span,
            format!("a scenario must be a JSON object, found {}", node.value.kind()),
        )
    })?;
    let mut input = Input::default();
    let str_of = |n: &json::Node<'_>| n.scalar_text().map(|c| c.into_owned());
    let policy_text = |n: &json::Node<'_>| -> Option<PolicyText> {
        match &n.value {
            Value::String(s) => Some(PolicyText { name: None, text: s.to_string() }),
            Value::Object(m) if m.iter().any(|m| m.key == "policy") && !m.iter().any(|m| m.key == "Statement") => {
                let name = n.get("name").and_then(|v| v.as_str()).map(str::to_owned);
                let inner = n.get("policy")?;
                let text = match &inner.value {
                    Value::String(s) => s.to_string(),
                    _ => inner.span.slice(text).to_owned(),
                };
                Some(PolicyText { name, text })
            }
            Value::Object(_) => Some(PolicyText { name: None, text: n.span.slice(text).to_owned() }),
            _ => None,
        }
    };
    for m in root {
        match m.key.as_ref() {
            "name" => input.name = str_of(&m.value),
            "expected" => input.expected = m.value.as_str().and_then(Decision::parse),
            "policies" => {
                for p in m.value.as_object().unwrap_or(&[]) {
                    let list = |n: &json::Node<'_>| -> Vec<PolicyText> {
                        n.as_array().unwrap_or(&[]).iter().filter_map(policy_text).collect()
                    };
                    let levels = |n: &json::Node<'_>| -> Vec<Vec<PolicyText>> {
                        let items = n.as_array().unwrap_or(&[]);
                        if items.first().is_some_and(|i| i.as_array().is_some()) {
                            items.iter().map(list).collect()
                        } else if items.is_empty() {
                            Vec::new()
                        } else {
                            vec![list(&p.value)]
                        }
                    };
                    match p.key.as_ref() {
                        "identity" => input.policies.identity = list(&p.value),
                        "session" => input.policies.session = list(&p.value),
                        "resource" => input.policies.resource = policy_text(&p.value),
                        "boundary" => input.policies.boundary = policy_text(&p.value),
                        "vpce" => input.policies.vpce = policy_text(&p.value),
                        "scp" => input.policies.scp = levels(&p.value),
                        "rcp" => input.policies.rcp = levels(&p.value),
                        _ => {}
                    }
                }
            }
            "request" => {
                let r = &m.value;
                let get = |k: &str| r.get(k).and_then(str_of);
                input.request.principal = get("principal").unwrap_or_default();
                input.request.action = get("action").unwrap_or_default();
                input.request.resource = get("resource").unwrap_or_default();
                input.request.resource_account = get("resource_account");
                input.request.session_parent_arn = get("session_parent_arn");
                if let Some(f) = r.get("flags") {
                    let flag =
                        |k: &str| f.get(k).map(|v| matches!(v.value, Value::Bool(true)) || v.as_str() == Some("true"));
                    input.request.flags.principal_in_management_account =
                        flag("principal_in_management_account").unwrap_or(false);
                    input.request.flags.service_linked_role = flag("service_linked_role").unwrap_or(false);
                    input.request.flags.resource_in_management_account = flag("resource_in_management_account");
                }
                for c in r.get("context").and_then(|c| c.as_object()).unwrap_or(&[]) {
                    let v = match c.value.as_array() {
                        Some(items) => ContextInput::Many(items.iter().filter_map(str_of).collect()),
                        None => match str_of(&c.value) {
                            Some(s) => ContextInput::One(s),
                            None => continue,
                        },
                    };
                    input.request.context.insert(c.key.to_string(), v);
                }
            }
            _ => {}
        }
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_texts_and_locates_errors() {
        let mut input = Input::default();
        input.policies.identity.push(PolicyText {
            name: Some("Read".into()),
            text: "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}".into(),
        });
        input.request = RequestInput {
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            ..Default::default()
        };
        let out = evaluate(&input);
        assert_eq!(out.decision, Some(Decision::Allow));
        input.policies.identity[0].text = "{\n  \"Statement\": {\"Effect\": \"allow\"}\n}".into();
        let out = evaluate(&input);
        assert_eq!(out.decision, None);
        let d = &out.diagnostics[0];
        assert_eq!(d.slot, Slot::Policy { kind: PolicyKind::Identity, index: 0, level: None });
        assert_eq!((d.start.line, d.start.column), (2, 27));
        input.policies.identity.clear();
        input.request.principal = "bob".into();
        let out = evaluate(&input);
        assert_eq!(out.diagnostics[0].slot, Slot::Request { field: "principal".into() });
    }

    #[test]
    fn reads_scenarios_keeping_policy_text() {
        let text = r#"{"name":"n","policies":{"identity":[{ "Statement" : [] }],"scp":[[{"Statement":[]}],[]]},
            "request":{"principal":"p","action":"a","resource":"r","context":{"k":["a",1]}},"expected":"Allow"}"#;
        let input = input_from_scenario(text).unwrap();
        assert_eq!(input.policies.identity[0].text, r#"{ "Statement" : [] }"#);
        assert_eq!(input.policies.scp.len(), 2);
        assert_eq!(input.request.context["k"], ContextInput::Many(vec!["a".into(), "1".into()]));
        assert_eq!(input.expected, Some(Decision::Allow));
        let json = serde_json::to_string(&input).unwrap();
        let back: Input = serde_json::from_str(&json).unwrap();
        assert_eq!(back, input);
    }

    #[test]
    fn scenario_doc_round_trips_through_the_scenario_reader() {
        let mut input = Input { name: Some("n".into()), expected: Some(Decision::Allow), ..Default::default() };
        input.policies.identity = vec![
            PolicyText { name: None, text: "{\r\n \"Statement\": [] }\u{1F600}".into() },
            PolicyText { name: Some("Named".into()), text: "{}".into() },
        ];
        input.policies.scp = vec![vec![PolicyText { name: None, text: "{\"Statement\": []}".into() }], vec![]];
        input.policies.resource = Some(PolicyText { name: None, text: "{ }".into() });
        input.request = RequestInput {
            principal: "p".into(),
            action: "a".into(),
            resource: "r".into(),
            resource_account: Some("111122223333".into()),
            context: [("k".to_owned(), ContextInput::Many(vec!["x".into()]))].into(),
            ..Default::default()
        };
        let json = serde_json::to_string(&scenario_doc(&input)).unwrap();
        assert_eq!(input_from_scenario(&json).unwrap(), input);
        assert!(json.contains(r#""name":"Named","policy":"{}""#), "{json}");
    }

    #[test]
    fn managed_policy_names_resolve_through_a_library() {
        struct Lib;
        impl PolicyLibrary for Lib {
            fn managed_policy(&self, name: &str) -> Option<ManagedPolicy> {
                (name == "ReadS3" || name == "arn:aws:iam::aws:policy/ReadS3").then(|| ManagedPolicy {
                    name: "ReadS3".into(),
                    arn: "arn:aws:iam::aws:policy/ReadS3".into(),
                    text:
                        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#
                            .into(),
                })
            }
        }
        let mut input = Input::default();
        input.policies.identity.push(PolicyText { name: None, text: " arn:aws:iam::aws:policy/ReadS3 ".into() });
        input.request = RequestInput {
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            ..Default::default()
        };
        let out = evaluate_with(&input, Some(&Lib));
        assert_eq!(out.decision, Some(Decision::Allow));
        assert_eq!(out.managed[0].name, "ReadS3");
        let answer = out.answer.unwrap();
        assert_eq!(answer.deciding[0].policy.name.as_deref(), Some("ReadS3"));
        let without = evaluate(&input);
        assert_eq!(without.decision, None);
        assert_eq!(without.diagnostics[0].diagnostic.code, "policy-managed-unavailable");
        input.policies.identity[0].text = "NoSuchPolicy".into();
        assert_eq!(evaluate_with(&input, Some(&Lib)).diagnostics[0].diagnostic.code, "policy-managed-unknown");
    }

    #[test]
    fn context_values_accept_numbers_and_booleans() {
        let r: RequestInput =
            serde_json::from_str(r#"{"context":{"a":true,"b":300,"c":["x",1,false],"d":"s"}}"#).unwrap();
        assert_eq!(r.context["a"], ContextInput::One("true".into()));
        assert_eq!(r.context["b"], ContextInput::One("300".into()));
        assert_eq!(r.context["c"], ContextInput::Many(vec!["x".into(), "1".into(), "false".into()]));
        assert!(serde_json::from_str::<RequestInput>(r#"{"context":{"a":null}}"#).is_err());
        assert!(serde_json::from_str::<RequestInput>(r#"{"context":{"a":{"b":1}}}"#).is_err());
    }
}
