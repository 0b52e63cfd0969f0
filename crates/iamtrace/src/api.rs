//! An owned, serde-friendly front door for shells that hold texts (the web
//! playground, the wasm module): policy texts per slot, a request with
//! plain strings, and an output whose diagnostics carry line/column
//! positions (UTF-16 columns for browsers).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{limit, Code, Diagnostic, DocId};
use crate::eval::{self, Named, PolicySet};
use crate::policy::{self, ByKind, PolicyKind};
use crate::request::{Context, ContextValue, Flags, Request};
use crate::scenario::{self, ManagedPolicy, PolicyLibrary};
use crate::span::{LineIndex, Position, Span, Str};
use crate::trace::{Answer, Decision};

pub use crate::scenario::PolicyText;

/// The policies of a scenario, as texts.
pub type Policies = ByKind<PolicyText>;

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
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rcp_full_aws_access_detached: bool,
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
pub type PoliciesDoc<'i> = ByKind<PolicyDoc<'i>>;

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
    ScenarioDoc {
        name: input.name.as_deref(),
        policies: input.policies.map_ref(|_, t| PolicyDoc::from(t)),
        request: &input.request,
        expected: input.expected,
    }
}

/// Every policy text of an input, with its slot, in document order.
pub fn slots(input: &Input) -> Vec<(Slot, &str, Option<&str>)> {
    input
        .policies
        .iter()
        .map(|(p, t)| {
            (Slot::Policy { kind: p.kind, index: p.index, level: p.level }, t.text.as_str(), t.name.as_deref())
        })
        .collect()
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
                            Code::PolicyManagedInvalid,
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
    set.keep_levels_of(&input.policies);
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
    // Condition keys compare without case: two spellings of one key are an
    // error here as in the scenario reader.
    let keys: Vec<&String> = input.request.context.keys().collect();
    for (i, k) in keys.iter().enumerate() {
        if let Some(first) = keys.iter().take(i).find(|f| f.eq_ignore_ascii_case(k)) {
            let d = Diagnostic::error(
                Code::RequestDuplicateContextKey,
                Span::from_range(0, k.len()),
                format!("context key {} repeats {}", crate::diagnostic::quote(k), crate::diagnostic::quote(first)),
            )
            .with_help("condition keys compare without case: give each key once");
            diagnostics.push(locate(d, Slot::Request { field: "context".to_owned() }, k, &LineIndex::new(k)));
        }
    }
    if let Some(d) = request.resource_account_conflict() {
        diagnostics.push(request_located(d, &input.request));
    }
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
    let field = match d.code {
        Code::RequestInvalidPrincipal => "principal",
        Code::RequestInvalidAction => "action",
        Code::RequestInvalidResource => "resource",
        Code::RequestInvalidAccount | Code::RequestInconsistentResourceAccount => "resource_account",
        Code::RequestInvalidSessionParent | Code::RequestUnusedSessionParent => "session_parent_arn",
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
        Str::new(t.into(), Span::from_range(0, t.len()))
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
            rcp_full_aws_access_detached: r.flags.rcp_full_aws_access_detached,
        },
        context,
        span: Span::default(),
    }
}

/// Reads a scenario in the SCENARIO.md format into texts, with the same
/// reader, and the same errors, as the command line ([`scenario::parse`]):
/// the first error, with its span in `text`. Policies given as JSON objects
/// keep their exact source text; strings are taken as they are; policy
/// errors show when the input is evaluated.
pub fn input_from_scenario(text: &str) -> Result<Input, Diagnostic> {
    let read = scenario::parse_texts(text);
    let first_error = read.diagnostics.iter().find(|d| d.is_error()).cloned();
    let (Some(request), None) = (read.request, first_error.clone()) else {
        return Err(first_error.unwrap_or_else(|| {
            Diagnostic::error(Code::ScenarioMissingRequest, Span::default(), "scenario has no `request`")
        }));
    };
    Ok(Input { name: read.name, policies: read.policies, request: request_input(&request), expected: read.expected })
}

/// The plain-string form of a request.
pub fn request_input(r: &Request<'_>) -> RequestInput {
    let mut context = BTreeMap::new();
    for e in r.context.entries() {
        // The first of two keys that differ only in case is the one that counts.
        context.entry(e.key.to_string()).or_insert_with(|| match &e.value {
            ContextValue::Single(s) => ContextInput::One(s.to_string()),
            ContextValue::Multi(vs) => ContextInput::Many(vs.iter().map(|v| v.to_string()).collect()),
        });
    }
    RequestInput {
        principal: r.principal.value.to_string(),
        action: r.action.value.to_string(),
        resource: r.resource.value.to_string(),
        resource_account: r.resource_account.as_ref().map(|s| s.value.to_string()),
        session_parent_arn: r.session_parent_arn.as_ref().map(|s| s.value.to_string()),
        flags: FlagsInput {
            principal_in_management_account: r.flags.principal_in_management_account,
            service_linked_role: r.flags.service_linked_role,
            resource_in_management_account: r.flags.resource_in_management_account,
            rcp_full_aws_access_detached: r.flags.rcp_full_aws_access_detached,
        },
        context,
    }
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
    fn a_resource_account_must_agree_with_the_arn() {
        let mut input = Input::default();
        input.policies.identity.push(PolicyText {
            name: None,
            text: "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}}".into(),
        });
        input.request = RequestInput {
            principal: "arn:aws:iam::444455556666:user/bob".into(),
            action: "sqs:SendMessage".into(),
            resource: "arn:aws:sqs:us-east-1:111122223333:q".into(),
            resource_account: Some("444455556666".into()),
            ..Default::default()
        };
        let out = evaluate(&input);
        assert_eq!(out.decision, None, "the queue would have moved to the caller's account");
        let d = &out.diagnostics[0];
        assert_eq!(d.diagnostic.code, Code::RequestInconsistentResourceAccount);
        assert_eq!(d.slot, Slot::Request { field: "resource_account".into() });
        // S3 ARNs carry no account: the field is what says it.
        input.request.resource = "arn:aws:s3:::b/k".into();
        input.request.action = "s3:GetObject".into();
        input.policies.identity[0].text =
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}".into();
        assert_eq!(evaluate(&input).decision, Some(Decision::Allow));
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
        assert_eq!(without.diagnostics[0].diagnostic.code, Code::PolicyManagedUnavailable);
        input.policies.identity[0].text = "NoSuchPolicy".into();
        assert_eq!(evaluate_with(&input, Some(&Lib)).diagnostics[0].diagnostic.code, Code::PolicyManagedUnknown);
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
