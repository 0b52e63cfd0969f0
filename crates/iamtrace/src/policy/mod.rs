//! The policy model: documents, statements and their elements, each with the
//! span it was read from.

mod by_kind;
mod parse;
mod principal;
mod read_condition;
mod read_elements;
mod read_principal;

use serde::{Deserialize, Serialize};

pub use by_kind::{ByKind, Place, Shape};
pub use parse::{parse_policy, read_policy, ParsedPolicy, MAX_POLICY_BYTES};
pub use principal::{AwsForm, PrincipalEntry, PrincipalKey};

use crate::diagnostic::DocId;
use crate::operator::Operator;
use crate::span::{eq_ignoring_spans, Span, Str};

/// Where a policy is attached; decides which elements it may use and where
/// it enters the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    /// Identity-based policy of the acting user or role.
    Identity,
    /// Resource-based policy of the target (for `sts:AssumeRole*`, the role's trust policy).
    Resource,
    /// Permissions boundary.
    Boundary,
    /// Session policy passed to AssumeRole or GetFederationToken.
    Session,
    /// Service control policy.
    Scp,
    /// Resource control policy.
    Rcp,
    /// VPC endpoint policy.
    Vpce,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 7] = [
        PolicyKind::Identity,
        PolicyKind::Resource,
        PolicyKind::Boundary,
        PolicyKind::Session,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::Vpce,
    ];

    /// The key of this kind in a scenario's `policies` object.
    pub fn key(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::Vpce => "vpce",
        }
    }

    /// The kind whose scenario key is `key`.
    pub fn from_key(key: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// A name for people.
    pub fn title(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity-based policy",
            PolicyKind::Resource => "resource-based policy",
            PolicyKind::Boundary => "permissions boundary",
            PolicyKind::Session => "session policy",
            PolicyKind::Scp => "service control policy",
            PolicyKind::Rcp => "resource control policy",
            PolicyKind::Vpce => "VPC endpoint policy",
        }
    }

    /// Policies that IAM itself stores, with IAM's stricter grammar.
    pub fn is_iam(self) -> bool {
        matches!(self, PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session)
    }

    /// Whether statements name a principal (`Principal`/`NotPrincipal`).
    pub fn has_principal(self) -> bool {
        matches!(self, PolicyKind::Resource | PolicyKind::Vpce | PolicyKind::Rcp)
    }
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Version {
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

/// A parsed, valid policy document.
#[derive(Debug, Clone)]
pub struct Policy<'a> {
    pub kind: PolicyKind,
    pub doc: DocId,
    pub span: Span,
    pub version: Option<Version>,
    pub version_span: Option<Span>,
    pub id: Option<Str<'a>>,
    pub statements: Vec<Statement<'a>>,
}

impl Policy<'_> {
    /// Policy variables are substituted only under `2012-10-17`.
    pub fn variables_enabled(&self) -> bool {
        self.version == Some(Version::V2012_10_17)
    }

    pub fn into_owned(self) -> Policy<'static> {
        Policy {
            kind: self.kind,
            doc: self.doc,
            span: self.span,
            version: self.version,
            version_span: self.version_span,
            id: self.id.map(Str::into_owned),
            statements: self.statements.into_iter().map(Statement::into_owned).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action`/`NotAction`, `Resource`/`NotResource`: a list of patterns, maybe negated.
#[derive(Debug, Clone)]
pub struct PatternList<'a> {
    pub negated: bool,
    /// Span of the element's key (`"Action"`).
    pub key_span: Span,
    /// Span of the element's value.
    pub span: Span,
    pub values: Vec<Str<'a>>,
}

impl<'a> PatternList<'a> {
    /// The first pattern that matches `action` (case-insensitive, as AWS
    /// compares actions), ignoring whether the list is negated.
    pub fn find_action(&self, action: &str) -> Option<&Str<'a>> {
        self.values.iter().find(|p| crate::glob::matches_ignore_case(&crate::glob::escape(p.as_str()), action))
    }

    fn into_owned(self) -> PatternList<'static> {
        PatternList {
            negated: self.negated,
            key_span: self.key_span,
            span: self.span,
            values: self.values.into_iter().map(Str::into_owned).collect(),
        }
    }
}

/// `Principal`/`NotPrincipal`.
#[derive(Debug, Clone)]
pub struct PrincipalBlock<'a> {
    pub negated: bool,
    pub key_span: Span,
    pub span: Span,
    pub entries: Vec<PrincipalEntry<'a>>,
}

/// One `operator: { key: values }` test of a `Condition` block.
#[derive(Debug, Clone)]
pub struct Condition<'a> {
    pub operator: Operator,
    pub operator_text: Str<'a>,
    pub key: Str<'a>,
    pub values: Vec<Str<'a>>,
    /// Span of the value or value list.
    pub values_span: Span,
}

impl Condition<'_> {
    fn into_owned(self) -> Condition<'static> {
        Condition {
            operator: self.operator,
            operator_text: self.operator_text.into_owned(),
            key: self.key.into_owned(),
            values: self.values.into_iter().map(Str::into_owned).collect(),
            values_span: self.values_span,
        }
    }
}

/// One statement.
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// 0-based position in the policy.
    pub index: usize,
    pub span: Span,
    pub sid: Option<Str<'a>>,
    pub effect: Effect,
    pub effect_span: Span,
    pub principal: Option<PrincipalBlock<'a>>,
    pub action: PatternList<'a>,
    /// `None` when omitted (allowed in resource-based policies, where it
    /// means the resource the policy is attached to).
    pub resource: Option<PatternList<'a>>,
    pub conditions: Vec<Condition<'a>>,
    /// Span of the whole `Condition` element, if any.
    pub condition_span: Option<Span>,
}

impl Statement<'_> {
    pub fn into_owned(self) -> Statement<'static> {
        Statement {
            index: self.index,
            span: self.span,
            sid: self.sid.map(Str::into_owned),
            effect: self.effect,
            effect_span: self.effect_span,
            principal: self.principal.map(|p| PrincipalBlock {
                negated: p.negated,
                key_span: p.key_span,
                span: p.span,
                entries: p.entries.into_iter().map(PrincipalEntry::into_owned).collect(),
            }),
            action: self.action.into_owned(),
            resource: self.resource.map(PatternList::into_owned),
            conditions: self.conditions.into_iter().map(Condition::into_owned).collect(),
            condition_span: self.condition_span,
        }
    }
}

// Equality ignores spans (and the document they point into): two policies
// that differ only in formatting are equal.
eq_ignoring_spans!(Policy { kind, version, id, statements } ignoring { doc, span, version_span });
eq_ignoring_spans!(PatternList { negated, values } ignoring { key_span, span });
eq_ignoring_spans!(PrincipalBlock { negated, entries } ignoring { key_span, span });
eq_ignoring_spans!(Condition { operator, operator_text, key, values } ignoring { values_span });
eq_ignoring_spans!(
    Statement { index, sid, effect, principal, action, resource, conditions }
    ignoring { span, effect_span, condition_span }
);

#[cfg(test)]
mod tests;
