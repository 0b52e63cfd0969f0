//! The credential walkthrough: a scenario may describe a chain of hops
//! (a long-term credential, STS calls, and a final request) instead of one
//! request. Each hop is checked and evaluated in order, the credential one
//! hop yields feeding the next. The rules and their sources are in
//! `docs/sts-walkthrough.md`.
//!
//! [`parse`] reads a chain scenario, [`Chain::walk`] runs it and returns
//! owned serde data ([`Walk`]): one [`Hop`] per step with its checks, the
//! evaluator's [`Answer`] for every authorization it needed, and the
//! credential it yields. Spans in the answers point into the documents of
//! [`ParsedChain::docs`].

mod assume_role;
mod assume_root;
mod checks;
mod credential;
mod federation;
mod file;
mod model;
mod read;
mod read_entities;
mod read_hops;
mod read_policy;
mod request;
mod session_token;
mod state;

use serde::Serialize;

use crate::api::{Input, Policies, RequestInput};
use crate::diagnostic::Diagnostic;
use crate::policy::Place;
use crate::scenario::{Document, PolicyLibrary, PolicyText};
use crate::span::Span;
use crate::trace::{Answer, Decision, PolicyRef};

pub use file::{has_chain, parse_file, Parsed};
pub use model::{Chain, HopExpectation};
pub use read::{parse, parse_at};

/// A chain scenario as read, with every diagnostic and the documents that
/// spans refer to.
#[derive(Debug, Clone)]
pub struct ParsedChain<'a> {
    /// `None` when any diagnostic is an error.
    pub chain: Option<Chain<'a>>,
    pub name: Option<String>,
    pub docs: Vec<Document<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedChain<'_> {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// How a hop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The credential is valid, the call succeeded, or the request is allowed.
    Allow,
    /// A policy explicitly denied the call or request.
    ExplicitDeny,
    /// No policy allowed the call or request.
    ImplicitDeny,
    /// A rule that is not policy evaluation failed (an inactive key, a
    /// duration out of bounds...); AWS refuses before or instead of evaluating.
    CheckFailed,
    /// An earlier hop failed.
    NotReached,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "Allow",
            Outcome::ExplicitDeny => "ExplicitDeny",
            Outcome::ImplicitDeny => "ImplicitDeny",
            Outcome::CheckFailed => "CheckFailed",
            Outcome::NotReached => "NotReached",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Allow, Outcome::ExplicitDeny, Outcome::ImplicitDeny, Outcome::CheckFailed, Outcome::NotReached]
            .into_iter()
            .find(|o| o.as_str() == s)
    }

    fn of(decision: Decision) -> Outcome {
        match decision {
            Decision::Allow => Outcome::Allow,
            Decision::ExplicitDeny => Outcome::ExplicitDeny,
            Decision::ImplicitDeny => Outcome::ImplicitDeny,
        }
    }
}

/// What a hop does: the first element of the row of steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HopKind {
    Credential,
    GetSessionToken,
    AssumeRole,
    GetFederationToken,
    AssumeRoot,
    Request,
}

/// A rule checked outside policy evaluation, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// A stable kebab-case code such as `duration-role-chaining`.
    pub code: &'static str,
    pub passed: bool,
    /// What was found, in words.
    pub summary: String,
    /// The AWS documentation page the rule comes from.
    pub source: &'static str,
}

/// A fact the walkthrough assumed or wants the reader to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
}

/// One policy evaluation of a hop (an STS call may need several actions
/// allowed: `sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`).
#[derive(Debug, Clone, Serialize)]
pub struct Authorization {
    pub action: String,
    pub resource: String,
    /// Why this action is evaluated.
    pub why: String,
    /// The evaluator's answer, with the ordered trace.
    pub answer: Answer<'static>,
    /// What was evaluated, for shells that show or re-run it (not serialized).
    #[serde(skip)]
    pub evaluated: Evaluated,
}

/// The policies and request of an [`Authorization`]: each policy by its
/// reference (kind, place, name, document) and its span in that document
/// of [`ParsedChain::docs`], and the request as plain strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluated {
    pub policies: Vec<(PolicyRef, Span)>,
    pub request: RequestInput,
}

impl Evaluated {
    /// The same evaluation as an [`Input`] of texts (each policy's text is
    /// its span of its document), which [`crate::api::evaluate`] answers
    /// exactly as the walk did, spans relative to each policy's own text.
    /// `None` when a span does not fit its document.
    pub fn input(&self, docs: &[Document<'_>]) -> Option<Input> {
        let mut policies = Policies::default();
        for (r, span) in &self.policies {
            let doc = docs.get(usize::try_from(r.doc.0).ok()?)?;
            let text = doc.text.get(usize::try_from(span.start).ok()?..usize::try_from(span.end).ok()?)?;
            let name = r.name.as_deref().map(str::to_owned);
            policies.put(Place::new(r.kind, r.index, r.level), PolicyText { name, text: text.to_owned() });
        }
        Some(Input { name: None, policies, request: self.request.clone(), expected: None })
    }
}

/// The kind of credential a hop yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// The root user's long-term access key.
    RootUser,
    /// An IAM user's long-term access key.
    IamUser,
    /// Temporary credentials from `GetSessionToken`.
    SessionToken,
    /// A role session from `AssumeRole`.
    RoleSession,
    /// A federated user session from `GetFederationToken`.
    FederatedUser,
    /// A privileged root session from `AssumeRoot`.
    RootSession,
}

/// A context key the credential puts into every request it signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextKey {
    pub key: String,
    pub values: Vec<String>,
    /// Where the value comes from.
    pub from: String,
}

/// A principal tag of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionTag {
    pub key: String,
    pub value: String,
    pub transitive: bool,
    /// `user`, `role`, `session` or `inherited`.
    pub from: &'static str,
}

/// The credential a hop yields, as the next hop sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    pub kind: CredentialKind,
    /// The principal ARN requests are made as.
    pub principal: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_parent_arn: Option<String>,
    pub account: String,
    /// Seconds the credential is valid; `None` for long-term keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// Labels of the policies that take part in its requests.
    pub identity_policies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
    pub session_policies: Vec<String>,
    pub tags: Vec<SessionTag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    pub context: Vec<ContextKey>,
    /// What AWS documents this credential cannot call.
    pub cannot_call: Vec<String>,
}

/// One step of the chain.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    /// 0-based position in the chain.
    pub index: usize,
    pub kind: HopKind,
    /// One line for people: `sts:AssumeRole AssumeRole_S3_jkcho`.
    pub title: String,
    pub outcome: Outcome,
    /// One sentence saying why.
    pub summary: String,
    pub checks: Vec<Check>,
    pub authorizations: Vec<Authorization>,
    pub notes: Vec<Note>,
    /// The credential this hop yields (credential and successful call hops).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<Credential>,
    /// The hop in the scenario text (document 0).
    pub span: Span,
}

/// The walkthrough of a chain: every hop, and the result.
#[derive(Debug, Clone, Serialize)]
pub struct Walk {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Allow` when every hop succeeded and the last allows; otherwise the
    /// failing hop's decision (`ImplicitDeny` for a failed check).
    pub decision: Decision,
    /// The first hop that did not succeed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_hop: Option<usize>,
    pub summary: String,
    pub hops: Vec<Hop>,
}

impl Chain<'_> {
    /// Runs every hop in order; hops after a failure are `NotReached`.
    pub fn walk(&self) -> Walk {
        state::run(self)
    }

    /// Compares a walk with `expected` and `expected_hops`: `None` when the
    /// scenario expects nothing, otherwise the mismatches (empty: passed).
    pub fn check(&self, walk: &Walk) -> Option<Vec<String>> {
        if self.expected.is_none() && self.expected_hops.is_none() {
            return None;
        }
        let mut out = Vec::new();
        if let Some(e) = self.expected {
            if e != walk.decision {
                out.push(format!("expected {e}, got {}", walk.decision));
            }
        }
        for (i, e) in self.expected_hops.iter().flatten().enumerate() {
            let Some(hop) = walk.hops.get(i) else { continue };
            if hop.outcome != e.outcome {
                out.push(format!("hop {}: expected {}, got {}", i + 1, e.outcome.as_str(), hop.outcome.as_str()));
            }
            if let Some(code) = &e.check {
                if !hop.checks.iter().any(|c| !c.passed && c.code == code) {
                    out.push(format!("hop {}: expected the check `{code}` to fail", i + 1));
                }
            }
        }
        Some(out)
    }
}

/// Reads and walks in one call, for shells that only need the output.
pub fn walk_text(text: &str, library: Option<&dyn PolicyLibrary>) -> Result<Walk, Vec<Diagnostic>> {
    let parsed = parse(text, library);
    match parsed.chain {
        Some(c) => Ok(c.walk()),
        None => Err(parsed.diagnostics),
    }
}

#[cfg(test)]
mod tests;
