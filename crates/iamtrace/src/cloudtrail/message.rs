//! AWS's access-denied messages, and how they compare with iamtrace's answer.
//!
//! The forms are those of "Troubleshoot access denied error messages"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>)
//! and "Troubleshoot access denied (403 Forbidden) errors in Amazon S3"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html>):
//! `User: <arn> is not authorized to perform: <action> [on resource: <arn>]`
//! followed by `because no <type> allows the <action> action` (implicit) or
//! `with an explicit deny in a(n) <type>` (explicit), optionally ending with
//! the denying policy's ARN. Both pages say that when several policy types
//! deny, the message names only one of them.

use serde::{Deserialize, Serialize};

use crate::policy::{Effect, PolicyKind};
use crate::span::{Location, Span};
use crate::trace::{Answer, Decision, Stage, Verdict};

use super::source::At;
use super::Out;

/// Error codes of an authorization failure.
const CODES: [&str; 5] = [
    "AccessDenied",
    "AccessDeniedException",
    "Client.UnauthorizedOperation",
    "UnauthorizedOperation",
    "AuthorizationError",
];

/// Explicit or implicit, as AWS's message says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenialKind {
    Explicit,
    Implicit,
    /// The message does not say (a bare `Access Denied`, an encoded EC2 message, ...).
    Unspecified,
}

/// The policy type an access-denied message names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyType {
    IdentityBased,
    ResourceBased,
    PermissionsBoundary,
    Session,
    ServiceControl,
    ResourceControl,
    VpcEndpoint,
    RoleTrust,
}

/// The phrases AWS writes, longest first where one contains another.
const PHRASES: [(&str, PolicyType); 10] = [
    ("identity-based policy", PolicyType::IdentityBased),
    ("resource-based policy", PolicyType::ResourceBased),
    ("permissions boundary", PolicyType::PermissionsBoundary),
    ("sessions policy", PolicyType::Session),
    ("session policy", PolicyType::Session),
    ("service control policy", PolicyType::ServiceControl),
    ("resource control policy", PolicyType::ResourceControl),
    ("vpc endpoint policy", PolicyType::VpcEndpoint),
    ("role trust policy", PolicyType::RoleTrust),
    ("trust policy", PolicyType::RoleTrust),
];

impl PolicyType {
    /// The phrase AWS uses: `service control policy`.
    pub fn phrase(self) -> &'static str {
        match self {
            PolicyType::IdentityBased => "identity-based policy",
            PolicyType::ResourceBased => "resource-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Session => "session policy",
            PolicyType::ServiceControl => "service control policy",
            PolicyType::ResourceControl => "resource control policy",
            PolicyType::VpcEndpoint => "VPC endpoint policy",
            PolicyType::RoleTrust => "role trust policy",
        }
    }

    /// The scenario's policy kind of this type (a role trust policy is the
    /// role's resource-based policy).
    pub fn policy_kind(self) -> PolicyKind {
        match self {
            PolicyType::IdentityBased => PolicyKind::Identity,
            PolicyType::ResourceBased | PolicyType::RoleTrust => PolicyKind::Resource,
            PolicyType::PermissionsBoundary => PolicyKind::Boundary,
            PolicyType::Session => PolicyKind::Session,
            PolicyType::ServiceControl => PolicyKind::Scp,
            PolicyType::ResourceControl => PolicyKind::Rcp,
            PolicyType::VpcEndpoint => PolicyKind::Vpce,
        }
    }
}

/// Where AWS's verdict was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenialSource {
    /// The record's `errorCode` and `errorMessage`.
    Message,
    /// A decoded authorization message (`allowed`, `explicitDeny`).
    DecodedMessage,
}

/// AWS's verdict on a denied request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwsDenial {
    pub source: DenialSource,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub kind: DenialKind,
    pub policy_type: Option<PolicyType>,
    /// `... in a VPC endpoint policy transitively through a service control policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<PolicyType>,
    /// The denying policy's ARN, when the message ends with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
    pub principal: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    /// Another reason the message gives (S3 Block Public Access, a blocked encryption type, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// JSON path and span of the message (or error code) in the pasted text.
    pub field: String,
    pub span: Span,
    pub location: Location,
}

/// Reads an access-denied `errorCode` and `errorMessage` from a record.
pub(super) fn from_record(rec: &At<'_, '_, '_>, out: &mut Out<'_>) -> Option<AwsDenial> {
    let code = rec.field("errorCode")?;
    if !CODES.contains(&code.value.as_str()) {
        out.note(format!("the call failed with `{}`, which is not an authorization failure", code.value));
        return None;
    }
    let message = rec.field("errorMessage");
    let mut d = parse_message(&code.value, message.as_ref().map_or("", |m| m.value.as_str()));
    let at = message.as_ref().unwrap_or(&code);
    d.field = at.path.clone();
    d.span = at.span;
    d.location = out.loc.location(at.span);
    if d.message.is_none() {
        out.note("the record has an access-denied error code but no `errorMessage`: AWS's reason is unknown");
    }
    if d.kind == DenialKind::Unspecified
        && d.message.as_deref().is_some_and(|m| m.contains("Encoded authorization failure"))
    {
        out.note("decode the message with `aws sts decode-authorization-message` and paste its output to import the context AWS evaluated");
    }
    Some(d)
}

/// Parses an access-denied message in AWS's documented forms.
pub fn parse_message(error_code: &str, message: &str) -> AwsDenial {
    let text = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut d = AwsDenial {
        source: DenialSource::Message,
        error_code: (!error_code.is_empty()).then(|| error_code.to_owned()),
        message: (!text.is_empty()).then(|| text.clone()),
        kind: DenialKind::Unspecified,
        policy_type: None,
        through: None,
        policy_arn: None,
        principal: None,
        action: None,
        resource: None,
        reason: None,
        field: String::new(),
        span: Span::default(),
        location: Location { start: zero(), end: zero() },
    };
    let Some((head, rest)) = text.split_once(" is not authorized to perform") else { return d };
    d.principal = head.rsplit_once("User: ").or_else(|| head.rsplit_once("User ")).map(|(_, p)| p.trim().to_owned());
    let rest = rest.trim_start_matches(':').trim_start();
    let (action, mut rest) = rest.split_once(' ').unwrap_or((rest, ""));
    d.action = Some(action.trim_end_matches(['.', ',']).to_owned()).filter(|a| a.contains(':'));
    if let Some(r) = rest.strip_prefix("on resource").map(|r| r.trim_start_matches(':').trim_start()) {
        let (resource, after) = match r.strip_prefix('"') {
            Some(q) => q.split_once('"').unwrap_or((q, "")),
            None => r.split_once(' ').unwrap_or((r, "")),
        };
        d.resource = Some(resource.to_owned());
        rest = after.trim_start();
    }
    let lower = rest.to_ascii_lowercase();
    if let Some(p) = lower.strip_prefix("because no ") {
        d.kind = DenialKind::Implicit;
        d.policy_type = phrase_at(p).map(|(t, _)| t);
    } else if let Some(p) = lower.strip_prefix("with an explicit deny") {
        d.kind = DenialKind::Explicit;
        let p = p.trim_start();
        let p = p.strip_prefix("in ").unwrap_or(p);
        let p = ["an ", "a ", "the "].iter().find_map(|a| p.strip_prefix(a)).unwrap_or(p);
        if let Some((t, after)) = phrase_at(p) {
            d.policy_type = Some(t);
            let after = after.trim_start();
            if let Some(via) = after.strip_prefix("transitively through ") {
                let via = ["an ", "a ", "the "].iter().find_map(|a| via.strip_prefix(a)).unwrap_or(via);
                d.through = phrase_at(via).map(|(t, _)| t);
            }
        }
        // The policy's ARN, as written (ARNs are case-sensitive).
        d.policy_arn = rest.find("arn:").and_then(|i| rest.get(i..)).map(|a| {
            a.split_once(|c: char| c.is_whitespace() || c == '"')
                .map_or(a, |(arn, _)| arn)
                .trim_end_matches('.')
                .to_owned()
        });
    } else if !rest.is_empty() {
        d.reason = Some(rest.to_owned());
    }
    d
}

fn zero() -> crate::span::Position {
    crate::span::Position { line: 1, column: 1, utf16_column: 1, offset: 0 }
}

/// The policy type whose phrase starts `s` (lowercase), and the text after the phrase.
fn phrase_at(s: &str) -> Option<(PolicyType, &str)> {
    PHRASES.iter().find_map(|(p, t)| s.strip_prefix(p).map(|rest| (*t, rest)))
}

/// AWS's verdict beside iamtrace's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// AWS's decision, `None` when its message does not say explicit or implicit.
    pub aws_decision: Option<Decision>,
    pub iamtrace_decision: Decision,
    /// Whether both deny in the same way (or, when AWS does not say how, whether both deny).
    pub decision_agrees: bool,
    pub aws_policy_type: Option<PolicyType>,
    /// The stage of iamtrace's decisive step.
    pub iamtrace_stage: Option<Stage>,
    /// The policy kinds that decided in iamtrace (the denying statements' kinds
    /// for an explicit deny, the decisive step's kind for an implicit one).
    pub iamtrace_policy_kinds: Vec<PolicyKind>,
    /// Whether the policy type AWS named denies in iamtrace's trace too;
    /// `None` when either side names none.
    pub policy_type_agrees: Option<bool>,
    pub summary: String,
    pub notes: Vec<String>,
}

/// Compares AWS's denial with iamtrace's answer for the same request.
pub fn compare(aws: &AwsDenial, answer: &Answer<'_>) -> Comparison {
    let aws_decision = match aws.kind {
        DenialKind::Explicit => Some(Decision::ExplicitDeny),
        DenialKind::Implicit => Some(Decision::ImplicitDeny),
        DenialKind::Unspecified => None,
    };
    let decision_agrees = match aws_decision {
        Some(d) => d == answer.decision,
        None => answer.decision != Decision::Allow,
    };
    let decisive = answer.trace.iter().find(|s| s.decisive);
    let stage = decisive.map(|s| s.stage);
    let mut kinds: Vec<PolicyKind> = Vec::new();
    if let Some(step) = decisive {
        if step.stage == Stage::ExplicitDeny {
            for st in step.statements.iter().filter(|s| s.applies && s.statement.effect == Effect::Deny) {
                if !kinds.contains(&st.statement.policy.kind) {
                    kinds.push(st.statement.policy.kind);
                }
            }
        } else if let Some(k) = stage_kind(step.stage) {
            kinds.push(k);
        }
    }
    let mut notes = vec![
        "AWS names only one policy type in its message, even when several deny the request; iamtrace's trace shows every layer".to_owned(),
    ];
    let named = aws.through.or(aws.policy_type);
    let policy_type_agrees = match (aws.policy_type, answer.decision) {
        (None, _) => None,
        (Some(_), Decision::Allow) => Some(false),
        (Some(t), _) => {
            let wanted: Vec<PolicyKind> =
                [Some(t), aws.through].into_iter().flatten().map(PolicyType::policy_kind).collect();
            let denies = match aws.kind {
                DenialKind::Explicit => answer.trace.iter().filter(|s| s.stage == Stage::ExplicitDeny).any(|s| {
                    s.statements.iter().any(|st| {
                        st.applies && st.statement.effect == Effect::Deny && wanted.contains(&st.statement.policy.kind)
                    })
                }),
                _ => answer.trace.iter().any(|s| {
                    stage_kind(s.stage).is_some_and(|k| wanted.contains(&k))
                        && matches!(s.verdict, Verdict::NoAllow | Verdict::ImplicitDeny)
                }),
            };
            if denies && !wanted.iter().any(|w| kinds.contains(w)) {
                notes.push(format!(
                    "iamtrace's decisive step is another layer, but the {} denies in its trace too",
                    named.map_or("policy", PolicyType::phrase)
                ));
            }
            Some(denies)
        }
    };
    if answer.decision == Decision::Allow {
        notes.push(
            "iamtrace allows what AWS denied: the scenario lacks a policy or a context key that AWS had (see the unknown keys), or iamtrace is wrong".into(),
        );
    }
    let aws_text = describe(aws);
    let summary = match (decision_agrees, policy_type_agrees) {
        (true, Some(false)) => format!("AWS: {aws_text}; iamtrace: {}, but not by that policy type", answer.decision),
        (true, _) => format!("AWS: {aws_text}; iamtrace agrees: {}", answer.decision),
        (false, _) => format!("AWS: {aws_text}; iamtrace disagrees: {}", answer.decision),
    };
    Comparison {
        aws_decision,
        iamtrace_decision: answer.decision,
        decision_agrees,
        aws_policy_type: named,
        iamtrace_stage: stage,
        iamtrace_policy_kinds: kinds,
        policy_type_agrees,
        summary,
        notes,
    }
}

/// `explicit deny in a service control policy`.
pub(super) fn describe(aws: &AwsDenial) -> String {
    let how = match aws.kind {
        DenialKind::Explicit => "explicit deny",
        DenialKind::Implicit => "implicit deny",
        DenialKind::Unspecified => "denied",
    };
    let mut s = match (aws.kind, aws.policy_type) {
        (DenialKind::Implicit, Some(t)) => format!("{how}: no {} allows", t.phrase()),
        (_, Some(t)) => format!("{how} in a {}", t.phrase()),
        (_, None) => how.to_owned(),
    };
    if let Some(t) = aws.through {
        s.push_str(&format!(" through a {}", t.phrase()));
    }
    s
}

fn stage_kind(stage: Stage) -> Option<PolicyKind> {
    match stage {
        Stage::Rcp => Some(PolicyKind::Rcp),
        Stage::Scp => Some(PolicyKind::Scp),
        Stage::VpcEndpoint => Some(PolicyKind::Vpce),
        Stage::ResourcePolicy => Some(PolicyKind::Resource),
        Stage::Identity => Some(PolicyKind::Identity),
        Stage::Boundary => Some(PolicyKind::Boundary),
        Stage::Session => Some(PolicyKind::Session),
        _ => None,
    }
}
