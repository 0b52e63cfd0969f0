//! The answer to a request: a decision and the ordered trace that explains
//! it. Plain serde data; rendering is the caller's job.
//!
//! Spans refer to documents ([`DocId`]): the caller keeps the texts.

mod label;
mod reason;
mod sentence;
pub(crate) mod statements;
mod values;

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::DocId;
use crate::operator::Operator;
use crate::policy::{AwsForm, Effect, PolicyKind, PrincipalKey};
use crate::request::{ContextValue, PrincipalKind, Source};
use crate::span::{Span, Str};

pub use sentence::Sentence;
pub(crate) use statements::StatementShape;
pub use statements::{Iter as StatementsIter, Statements};
pub use values::{Iter as PolicyValuesIter, PolicyValues};

/// The final decision, as AWS's policy simulator names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "Allow" => Some(Decision::Allow),
            "ExplicitDeny" => Some(Decision::ExplicitDeny),
            "ImplicitDeny" => Some(Decision::ImplicitDeny),
            _ => None,
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The answer to one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer<'a> {
    pub decision: Decision,
    /// One sentence saying why.
    pub summary: String,
    /// The ordered steps of AWS's evaluation logic (SPEC §5.11).
    pub trace: Vec<Step<'a>>,
    /// The statements that decided: the matching denies for an explicit
    /// deny, the allows that made each required check pass for an allow.
    pub deciding: Vec<StatementRef>,
    /// Condition keys and variables that statements looked up but the
    /// request did not have: adding them could change the result.
    pub missing_keys: Vec<MissingKey>,
}

/// The stages of AWS's evaluation, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Who asks for what: principal kind, accounts, which policies apply.
    Request,
    /// Every applicable `Deny` statement.
    ExplicitDeny,
    /// APIs the caller's kind of temporary credentials cannot call at all
    /// (shown only when it decides).
    Credentials,
    /// Resource control policies of the resource's account, one step per level.
    Rcp,
    /// Service control policies of the principal's account, one step per level.
    Scp,
    /// The VPC endpoint policy.
    VpcEndpoint,
    /// The resource-based policy (for `sts:AssumeRole*`, the trust policy).
    ResourcePolicy,
    /// Identity-based policies.
    Identity,
    /// The permissions boundary.
    Boundary,
    /// Session policies.
    Session,
    /// Cross-account requests: both accounts must allow.
    CrossAccount,
    /// The final decision.
    Decision,
}

impl Stage {
    pub fn title(self) -> &'static str {
        match self {
            Stage::Request => "Request",
            Stage::ExplicitDeny => "Explicit deny check",
            Stage::Credentials => "Credential restrictions",
            Stage::Rcp => "Resource control policies",
            Stage::Scp => "Service control policies",
            Stage::VpcEndpoint => "VPC endpoint policy",
            Stage::ResourcePolicy => "Resource-based policy",
            Stage::Identity => "Identity-based policies",
            Stage::Boundary => "Permissions boundary",
            Stage::Session => "Session policies",
            Stage::CrossAccount => "Cross-account check",
            Stage::Decision => "Decision",
        }
    }
}

/// What one step concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Facts only (the request step).
    Info,
    /// The step's policies allow the request.
    Allow,
    /// No statement of the step's policies allows the request.
    NoAllow,
    /// A `Deny` statement matched.
    ExplicitDeny,
    /// Nothing here stops the request (no deny found, gate passed).
    Pass,
    /// The policies exist but do not apply to this request, or are not needed.
    Skipped,
    /// There are no such policies, or the principal cannot have them.
    NotApplicable,
    /// The decision was made before this step.
    NotReached,
    /// The final decision is an implicit deny.
    ImplicitDeny,
}

/// Which account's side of a cross-account request a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The account of the principal (trusted account).
    Principal,
    /// The account that owns the resource (trusting account).
    Resource,
}

/// One step of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step<'a> {
    pub stage: Stage,
    /// 0-based level for SCP/RCP steps (0 = organization root).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    pub verdict: Verdict,
    /// True on the step that decided the request.
    pub decisive: bool,
    pub title: Cow<'static, str>,
    /// What the step concluded, in a sentence (most are fixed texts; the
    /// others are written when read).
    pub summary: Sentence<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Cow<'static, str>>,
    /// The request step's facts (boxed: one step of a dozen has them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Box<RequestFacts<'a>>>,
    /// The statements the step examined, in order.
    #[serde(skip_serializing_if = "Statements::is_empty")]
    pub statements: Statements<'a>,
}

/// Identifies a policy of the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyRef {
    pub kind: PolicyKind,
    /// Position within its kind (and level, for SCPs and RCPs).
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Arc<str>>,
    pub doc: DocId,
}

/// Identifies a statement: its policy and position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatementRef {
    pub policy: PolicyRef,
    /// 0-based index in the policy's `Statement` list.
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<Arc<str>>,
    pub span: Span,
    pub effect: Effect,
}

/// Whether an element let the statement apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementStatus {
    Matched,
    NotMatched,
    /// Not looked at, because an earlier element already failed.
    NotEvaluated,
    /// The element is absent (a resource-based statement without `Resource`
    /// applies to the resource the policy is attached to).
    Omitted,
}

/// A pattern or value from the policy that took part in matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyValue<'a> {
    /// As written in the policy.
    pub text: Cow<'a, str>,
    pub span: Span,
    /// After variable substitution, when the text has variables; `None`
    /// inside `resolutions` means a variable had no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolutions: Vec<crate::variables::Resolution>,
    /// True when a variable had no value, so this value was dropped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
}

impl<'a> PolicyValue<'a> {
    /// A value as written in the policy, before any variable substitution.
    pub fn as_written(s: &Str<'a>) -> Self {
        PolicyValue { text: s.value.clone(), span: s.span, resolved: None, resolutions: Vec::new(), unresolved: false }
    }

    /// [`PolicyValue::as_written`], borrowing the text from the policy
    /// (no copy, whatever the policy holds).
    pub fn borrowed(s: &'a Str<'a>) -> Self {
        PolicyValue {
            text: Cow::Borrowed(&s.value),
            span: s.span,
            resolved: None,
            resolutions: Vec::new(),
            unresolved: false,
        }
    }
}

/// How `Action`/`NotAction` or `Resource`/`NotResource` matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementTrace<'a> {
    /// `Action`, `NotAction`, `Resource` or `NotResource`.
    pub element: &'static str,
    pub status: ElementStatus,
    /// The request value compared (the action, or the resource ARN).
    pub against: Cow<'a, str>,
    /// The pattern that matched the request value: why an `Action` applies,
    /// or why a `NotAction` does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit: Option<PolicyValue<'a>>,
    /// Patterns dropped because a variable in them had no value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<PolicyValue<'a>>,
    /// Span of the element's value in the policy.
    pub span: Span,
}

impl ElementTrace<'_> {
    /// Whether the element is not written in the statement (a statement
    /// without `Resource`: its span is empty). Absent and not matched, it
    /// is a key policy's statement, which has no effect.
    pub fn absent(&self) -> bool {
        self.span == Span::default()
    }
}

/// How a resource-based policy statement named the principal, which decides
/// what still limits its grant (SPEC §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grant {
    /// Names the calling IAM user, role session or federated user exactly,
    /// or is `*` (with an `aws:PrincipalArn` condition): not limited by
    /// implicit denies in identity policies, boundary or session policies.
    Direct,
    /// Names the role of a role session, or the IAM user behind a federated
    /// user: still limited by the boundary and session policies.
    Entity,
    /// Names the account: delegates to the account's IAM policies.
    Account,
    /// `*` without an `aws:PrincipalArn` condition.
    Everyone,
    /// Names the calling AWS service.
    Service,
    /// Names the identity provider of a web-identity or SAML caller.
    Federated,
}

/// How `Principal`/`NotPrincipal` matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalTrace<'a> {
    /// `Principal` or `NotPrincipal`.
    pub element: &'static str,
    pub status: ElementStatus,
    /// The request principal compared.
    pub against: Cow<'a, str>,
    /// The entry that named the caller (for `NotPrincipal`: the entries that
    /// exempt the caller, one per identity layer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hits: Vec<PrincipalHit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub span: Span,
}

/// A principal entry that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalHit<'a> {
    pub key: PrincipalKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<AwsForm>,
    pub value: Cow<'a, str>,
    pub span: Span,
}

/// The truth value of one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConditionResult {
    True,
    False,
}

/// Why a condition came out as it did: the decision, without words
/// ([`ConditionTrace::reason`] words it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `Null`: whether the key is present, and whether any value was `true`/`false`.
    Null { present: bool, any_valid: bool },
    /// The request does not have the key.
    Missing,
    /// A set operator over a key with no values.
    EmptySet,
    /// `ForAllValues`: every request value passes, or the one at this index fails.
    ForAll(Option<usize>),
    /// `ForAnyValue`: the request value at this index passes, or none does.
    ForAny(Option<usize>),
    /// A single-valued operator on a multivalued key.
    MultiWithoutQualifier,
    /// A single value compared: the index of the first policy value it matches.
    Single(Option<usize>),
}

/// One `operator: {key: values}` test and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionTrace<'a> {
    /// The operator as written.
    pub operator: Cow<'a, str>,
    /// The operator as parsed: set qualifier, base operator, `IfExists`.
    pub parsed: Operator,
    pub negated: bool,
    pub operator_span: Span,
    /// The key as written.
    pub key: Cow<'a, str>,
    pub key_span: Span,
    /// The context key actually used (key names match case-insensitively),
    /// or `None` when the request has no such key.
    pub key_found: Option<Cow<'a, str>>,
    /// Whether the key's value was derived from the principal or resource.
    pub derived: bool,
    /// The request's values for the key (`None`: the key is missing);
    /// serialised as a list.
    pub request_values: Option<ContextValue<'a>>,
    /// The policy's values, after variable substitution.
    pub policy_values: PolicyValues<'a>,
    pub values_span: Span,
    /// The whole `"key": values` entry.
    pub span: Span,
    pub result: ConditionResult,
    /// Why the result is what it is; [`ConditionTrace::reason`] words it.
    pub why: Why,
}

impl ConditionTrace<'_> {
    /// Why, in words: `key missing: ...IfExists is true`, `no value equals ...`.
    /// Serialised as `reason`.
    pub fn reason(&self) -> String {
        reason::reason(self)
    }
}

impl Serialize for ConditionTrace<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ConditionTrace", 14)?;
        s.serialize_field("operator", &self.operator)?;
        s.serialize_field("parsed", &self.parsed)?;
        s.serialize_field("negated", &self.negated)?;
        s.serialize_field("operator_span", &self.operator_span)?;
        s.serialize_field("key", &self.key)?;
        s.serialize_field("key_span", &self.key_span)?;
        match &self.key_found {
            Some(k) => s.serialize_field("key_found", k)?,
            None => s.skip_field("key_found")?,
        }
        if self.derived {
            s.serialize_field("derived", &self.derived)?;
        } else {
            s.skip_field("derived")?;
        }
        s.serialize_field("request_values", &self.request_values.as_ref().map(ContextValue::as_slice))?;
        s.serialize_field("policy_values", &self.policy_values)?;
        s.serialize_field("values_span", &self.values_span)?;
        s.serialize_field("span", &self.span)?;
        s.serialize_field("result", &self.result)?;
        s.serialize_field("reason", &self.reason())?;
        s.end()
    }
}

/// Everything known about one statement's match against the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementTrace<'a> {
    /// Borrowed from the policy set while the answer borrows it.
    #[serde(flatten)]
    pub statement: Cow<'a, StatementRef>,
    /// Whether every element matched and every condition is true.
    pub applies: bool,
    pub action: ElementTrace<'a>,
    pub resource: ElementTrace<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<PrincipalTrace<'a>>,
    /// Whether the conditions were evaluated (they are skipped once an
    /// element does not match).
    pub conditions_evaluated: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionTrace<'a>>,
    /// Span of the `Condition` element, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_span: Option<Span>,
}

/// What a derived context key was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DerivedFrom {
    /// The principal's ARN.
    PrincipalArn,
    /// The role of a role session (`session_parent_arn`, or the session ARN).
    SessionRole,
    /// The kind of principal.
    PrincipalKind,
    /// The IAM user's name.
    UserName,
    /// The root user's account.
    RootAccount,
    /// The federated user's name.
    FederatedUser,
    /// AWS's fixed value for anonymous callers.
    Anonymous,
    /// The resource's account.
    ResourceAccount,
    /// The principal's account, because the resource's account is not
    /// given and the request is taken to be same-account.
    SameAccountAssumed,
    /// The service principal's name.
    ServicePrincipal,
}

/// A context key filled in because the request did not give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DerivedKey<'a> {
    pub key: Cow<'static, str>,
    /// Borrowed from the request where it can be.
    pub value: Cow<'a, str>,
    /// What it was derived from, for programs.
    pub source: DerivedFrom,
    /// The same, in words.
    pub from: Cow<'static, str>,
}

/// Whether one policy kind takes part, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicability {
    pub kind: PolicyKind,
    /// How many policies of this kind the scenario has.
    pub count: usize,
    pub applies: bool,
    pub reason: Cow<'static, str>,
}

/// The normalised request (the first step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestFacts<'a> {
    pub principal: Cow<'a, str>,
    pub principal_kind: PrincipalKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_account: Option<Cow<'a, str>>,
    /// For role sessions, the role ARN; for federated users, the IAM user ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_parent: Option<Cow<'a, str>>,
    pub session_parent_source: Source,
    pub action: Cow<'a, str>,
    pub service: Cow<'a, str>,
    pub resource: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<Cow<'a, str>>,
    pub resource_account_source: Source,
    /// `None` when there is no account on one side (services, anonymous).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_account: Option<bool>,
    pub derived_keys: Vec<DerivedKey<'a>>,
    pub policies: Vec<Applicability>,
}

/// A context key that was referenced but missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingKey {
    /// The key as first written in a policy.
    pub key: String,
    /// `condition` (a condition tested it) or `variable` (a `${...}` used it).
    pub used_as: &'static str,
    pub referenced_by: Vec<KeyReference>,
}

/// Where a missing key was referenced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct KeyReference {
    pub statement: StatementRef,
    /// The span of the key or variable in the policy.
    pub span: Span,
}

fn own(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

fn own_facts(f: RequestFacts<'_>) -> RequestFacts<'static> {
    RequestFacts {
        principal: own(f.principal),
        principal_kind: f.principal_kind,
        principal_account: f.principal_account.map(own),
        session_parent: f.session_parent.map(own),
        session_parent_source: f.session_parent_source,
        action: own(f.action),
        service: own(f.service),
        resource: own(f.resource),
        resource_account: f.resource_account.map(own),
        resource_account_source: f.resource_account_source,
        cross_account: f.cross_account,
        derived_keys: f
            .derived_keys
            .into_iter()
            .map(|d| DerivedKey { key: d.key, value: own(d.value), source: d.source, from: d.from })
            .collect(),
        policies: f.policies,
    }
}

pub(crate) fn own_value(v: PolicyValue<'_>) -> PolicyValue<'static> {
    PolicyValue {
        text: own(v.text),
        span: v.span,
        resolved: v.resolved,
        resolutions: v.resolutions,
        unresolved: v.unresolved,
    }
}

fn own_element(e: ElementTrace<'_>) -> ElementTrace<'static> {
    ElementTrace {
        element: e.element,
        status: e.status,
        against: own(e.against),
        hit: e.hit.map(own_value),
        dropped: e.dropped.into_iter().map(own_value).collect(),
        span: e.span,
    }
}

fn own_statement(s: StatementTrace<'_>) -> StatementTrace<'static> {
    StatementTrace {
        statement: Cow::Owned(s.statement.into_owned()),
        applies: s.applies,
        action: own_element(s.action),
        resource: own_element(s.resource),
        principal: s.principal.map(|p| PrincipalTrace {
            element: p.element,
            status: p.status,
            against: own(p.against),
            hits: p
                .hits
                .into_iter()
                .map(|h| PrincipalHit { key: h.key, form: h.form, value: own(h.value), span: h.span })
                .collect(),
            grant: p.grant,
            note: p.note,
            span: p.span,
        }),
        conditions_evaluated: s.conditions_evaluated,
        conditions: s
            .conditions
            .into_iter()
            .map(|c| ConditionTrace {
                operator: own(c.operator),
                parsed: c.parsed,
                negated: c.negated,
                operator_span: c.operator_span,
                key: own(c.key),
                key_span: c.key_span,
                key_found: c.key_found.map(own),
                derived: c.derived,
                request_values: c.request_values.map(ContextValue::into_owned),
                policy_values: c.policy_values.into_owned(),
                values_span: c.values_span,
                span: c.span,
                result: c.result,
                why: c.why,
            })
            .collect(),
        condition_span: s.condition_span,
    }
}

/// Detaches an answer from the texts it borrows.
pub fn into_owned(a: Answer<'_>) -> Answer<'static> {
    Answer {
        decision: a.decision,
        summary: a.summary,
        trace: a
            .trace
            .into_iter()
            .map(|s| Step {
                stage: s.stage,
                level: s.level,
                side: s.side,
                verdict: s.verdict,
                decisive: s.decisive,
                title: s.title,
                summary: s.summary.into_owned(),
                notes: s.notes,
                request: s.request.map(|f| Box::new(own_facts(*f))),
                statements: s.statements.into_owned(),
            })
            .collect(),
        deciding: a.deciding,
        missing_keys: a.missing_keys,
    }
}
