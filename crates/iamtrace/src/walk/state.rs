//! The credential carried from hop to hop, the walk loop, and the one
//! place that turns a credential plus a call into a `PolicySet` and a
//! `Request` for the evaluator.

use std::borrow::Cow;

use super::model::{Chain, GivenKey, HopSpec};
use super::{
    assume_role, assume_root, credential, federation, request, session_token, Authorization, Check, ContextKey,
    Credential, CredentialKind, Hop, HopKind, Note, Outcome, SessionTag, Walk,
};
use crate::eval::{self, Named, PolicySet};
use crate::request::{Context, ContextValue, Request};
use crate::span::{Span, Str};
use crate::trace::{self, Decision};

/// The credential a hop hands to the next.
#[derive(Debug, Clone)]
pub(crate) struct State<'a> {
    pub kind: CredentialKind,
    pub principal: String,
    pub parent: Option<String>,
    pub account: String,
    pub partition: String,
    /// The IAM user (or root user) behind the credential, if any.
    pub user: Option<usize>,
    pub identity: Vec<Named<'a>>,
    pub boundary: Option<Named<'a>>,
    pub session: Vec<Named<'a>>,
    pub tags: Vec<SessionTag>,
    pub source_identity: Option<String>,
    /// `aws:MultiFactorAuthPresent`: `None` when AWS leaves the key out.
    pub mfa_present: Option<bool>,
    pub mfa_age: Option<String>,
    /// Where the MFA values come from, in words.
    pub mfa_from: &'static str,
    pub issued: Option<String>,
    pub duration: Option<u32>,
}

impl State<'_> {
    /// The context keys AWS puts into every request signed with this credential.
    pub fn context(&self) -> Vec<ContextKey> {
        let mut out = Vec::new();
        for t in &self.tags {
            let from = match t.from {
                "user" => "a tag of the IAM user",
                "role" => "a tag of the role",
                "inherited" => "a transitive session tag inherited from the calling session",
                _ => "a session tag passed to the call",
            };
            out.push(key(format!("aws:PrincipalTag/{}", t.key), vec![t.value.clone()], from));
        }
        if let Some(p) = self.mfa_present {
            out.push(key("aws:MultiFactorAuthPresent".into(), vec![p.to_string()], self.mfa_from));
        }
        if let Some(a) = &self.mfa_age {
            out.push(key("aws:MultiFactorAuthAge".into(), vec![a.clone()], self.mfa_from));
        }
        if let Some(t) = &self.issued {
            out.push(key("aws:TokenIssueTime".into(), vec![t.clone()], "the time the credential was issued (`now`)"));
        }
        if let Some(s) = &self.source_identity {
            out.push(key("aws:SourceIdentity".into(), vec![s.clone()], "the source identity set on the session"));
        }
        if self.kind == CredentialKind::RootSession {
            out.push(key("aws:AssumedRoot".into(), vec!["true".into()], "a session from sts:AssumeRoot"));
        }
        out
    }

    /// The credential as the output shows it.
    pub fn view(&self, cannot_call: Vec<String>) -> Credential {
        Credential {
            kind: self.kind,
            principal: self.principal.clone(),
            session_parent_arn: self.parent.clone(),
            account: self.account.clone(),
            duration_seconds: self.duration,
            identity_policies: self.identity.iter().map(|n| n.reference().label()).collect(),
            boundary: self.boundary.as_ref().map(|n| n.reference().label()),
            session_policies: self.session.iter().map(|n| n.reference().label()).collect(),
            tags: self.tags.clone(),
            source_identity: self.source_identity.clone(),
            context: self.context(),
            cannot_call,
        }
    }
}

fn key(key: String, values: Vec<String>, from: &str) -> ContextKey {
    ContextKey { key, values, from: from.to_owned() }
}

/// Collects a hop's checks, notes and authorizations.
#[derive(Debug)]
pub(crate) struct HopBuilder {
    pub hop: Hop,
}

impl HopBuilder {
    pub fn new(index: usize, kind: HopKind, title: String, span: Span) -> Self {
        HopBuilder {
            hop: Hop {
                index,
                kind,
                title,
                outcome: Outcome::Allow,
                summary: String::new(),
                checks: Vec::new(),
                authorizations: Vec::new(),
                notes: Vec::new(),
                credential: None,
                span,
            },
        }
    }

    /// Records a check; returns whether it passed.
    pub fn check(
        &mut self,
        code: &'static str,
        passed: bool,
        summary: impl Into<String>,
        source: &'static str,
    ) -> bool {
        self.hop.checks.push(Check { code, passed, summary: summary.into(), source });
        passed
    }

    pub fn note(&mut self, text: impl Into<String>, source: Option<&'static str>) {
        self.hop.notes.push(Note { text: text.into(), source });
    }

    pub fn failed_checks(&self) -> bool {
        self.hop.checks.iter().any(|c| !c.passed)
    }

    /// Ends the hop on its first failed check.
    pub fn fail_on_checks(mut self) -> Hop {
        let first = self.hop.checks.iter().find(|c| !c.passed).map(|c| c.summary.clone()).unwrap_or_default();
        self.hop.outcome = Outcome::CheckFailed;
        self.hop.summary = format!("AWS refuses before evaluating any policy: {first}");
        self.hop
    }

    /// Decides the hop from its authorizations: the first that is not an
    /// allow decides. Returns whether every one allows (the caller then
    /// sets the summary).
    pub fn decide(&mut self) -> bool {
        let denied = self.hop.authorizations.iter().find(|a| a.answer.decision != Decision::Allow);
        match denied {
            Some(a) => {
                self.hop.outcome = Outcome::of(a.answer.decision);
                self.hop.summary = format!("`{}` is not allowed: {}", a.action, a.answer.summary);
                false
            }
            None => {
                self.hop.outcome = Outcome::Allow;
                true
            }
        }
    }
}

/// One evaluation of `action` on `resource` by the credential.
#[derive(Debug)]
pub(crate) struct Call<'c, 'a> {
    pub action: &'c str,
    pub resource: &'c str,
    pub resource_account: Option<&'c str>,
    pub resource_policy: Option<Named<'a>>,
    pub vpce: Option<Named<'a>>,
    /// Keys the call itself adds (request tags, session name...).
    pub keys: Vec<(String, Vec<String>)>,
    pub given: &'c [GivenKey<'a>],
    pub why: String,
}

/// Builds the policy set and request of `call` made with `state`, and
/// evaluates them. Keys given in the scenario win over the call's keys,
/// which win over the credential's.
pub(crate) fn authorize<'a>(chain: &Chain<'a>, state: &State<'a>, call: Call<'_, 'a>) -> Result<Authorization, String> {
    let mut set = PolicySet::default();
    for n in &state.identity {
        set.insert(n.clone());
    }
    if let Some(b) = &state.boundary {
        set.insert(b.clone());
    }
    for n in &state.session {
        set.insert(n.clone());
    }
    if let Some(r) = call.resource_policy {
        set.insert(r);
    }
    if let Some(v) = call.vpce {
        set.insert(v);
    }
    set.scp = chain.scp.clone();
    set.rcp = chain.rcp.clone();
    let mut context = Context::new();
    for g in call.given {
        context.insert(g.key.clone(), g.value.clone(), Some(g.span));
    }
    let mut derived: Vec<(String, Vec<String>)> = call.keys;
    derived.extend(state.context().into_iter().map(|k| (k.key, k.values)));
    if let Some(now) = &chain.now {
        derived.push(("aws:CurrentTime".into(), vec![now.clone()]));
    }
    for (k, vs) in derived {
        if context.contains(&k) {
            continue;
        }
        let value = match vs.as_slice() {
            [one] if !k.eq_ignore_ascii_case("aws:TagKeys") && !k.eq_ignore_ascii_case("sts:TransitiveTagKeys") => {
                ContextValue::Single(Cow::Owned(one.clone()))
            }
            _ => ContextValue::Multi(vs.into_iter().map(Cow::Owned).collect()),
        };
        context.insert(k, value, None);
    }
    let owned = |s: &str| Str::new(Cow::Owned(s.to_owned()), Span::default());
    let mut req = Request::new("", "", "");
    req.principal = owned(&state.principal);
    req.action = owned(call.action);
    req.resource = owned(call.resource);
    req.session_parent_arn = state.parent.as_deref().map(owned);
    req.resource_account = call.resource_account.map(owned);
    req.context = context;
    // SCPs do not affect the management account's principals, nor RCPs its
    // resources: the organization says which account that is.
    if let Some(management) = chain.organization.management_account.as_deref() {
        req.flags.principal_in_management_account = state.account == management;
        let resource_account = call
            .resource_account
            .or_else(|| crate::arn::Arn::parse(call.resource).ok().map(|a| a.account).filter(|a| !a.is_empty()));
        req.flags.resource_in_management_account = resource_account.map(|a| a == management);
    }
    let evaluated = super::Evaluated {
        policies: set.iter().map(|(_, n)| (n.reference().clone(), n.policy().span)).collect(),
        request: crate::api::request_input(&req),
    };
    match eval::evaluate(&set, &req) {
        Ok(answer) => Ok(Authorization {
            action: call.action.to_owned(),
            resource: call.resource.to_owned(),
            why: call.why,
            answer: trace::into_owned(answer),
            evaluated,
        }),
        Err(diags) => Err(diags.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ")),
    }
}

/// Evaluates `call` and records the result on `b`; a request the evaluator
/// cannot read becomes a failed check.
pub(crate) fn record<'a>(b: &mut HopBuilder, chain: &Chain<'a>, state: &State<'a>, call: Call<'_, 'a>) {
    let action = call.action.to_owned();
    match authorize(chain, state, call) {
        Ok(a) => b.hop.authorizations.push(a),
        Err(e) => {
            b.check("request-invalid", false, format!("`{action}` cannot be evaluated: {e}"), super::checks::SPEC);
        }
    }
}

/// The title a hop shows before (or without) running it.
pub(crate) fn title(chain: &Chain<'_>, spec: &HopSpec<'_>) -> (HopKind, String) {
    match spec {
        HopSpec::Credential { user, .. } => {
            let u = chain.users.get(*user);
            let who = u.map_or_else(String::new, |u| if u.root { "root user".into() } else { u.name.clone() });
            (HopKind::Credential, format!("access key of {who}"))
        }
        HopSpec::SessionToken(_) => (HopKind::GetSessionToken, "sts:GetSessionToken".into()),
        HopSpec::AssumeRole(s) => {
            let role = chain.roles.get(s.role).map_or("", |r| r.name.as_str());
            (HopKind::AssumeRole, format!("sts:AssumeRole {role}"))
        }
        HopSpec::Federation(s) => {
            let name = s.name.as_ref().map_or("", |n| n.text.as_str());
            (HopKind::GetFederationToken, format!("sts:GetFederationToken {name}"))
        }
        HopSpec::AssumeRoot(s) => {
            let target = s.target.as_ref().map_or("", |n| n.text.as_str());
            (HopKind::AssumeRoot, format!("sts:AssumeRoot {target}"))
        }
        HopSpec::Request(r) => (HopKind::Request, format!("{} {}", r.action.text, r.resource.text)),
    }
}

/// Runs every hop in order.
pub(crate) fn run(chain: &Chain<'_>) -> Walk {
    let mut hops = Vec::new();
    let mut state: Option<State<'_>> = None;
    let mut failed: Option<usize> = None;
    for (i, (spec, span)) in chain.hops.iter().enumerate() {
        if failed.is_some() {
            let (kind, title) = title(chain, spec);
            let mut b = HopBuilder::new(i, kind, title, *span);
            b.hop.outcome = Outcome::NotReached;
            b.hop.summary = "not reached: an earlier hop failed".into();
            hops.push(b.hop);
            continue;
        }
        let (hop, next) = match (spec, state.as_ref()) {
            (HopSpec::Credential { user, key }, _) => credential::run(chain, *user, *key, i, *span),
            (HopSpec::SessionToken(s), Some(st)) => session_token::run(chain, st, s, i, *span),
            (HopSpec::AssumeRole(s), Some(st)) => assume_role::run(chain, st, s, i, *span),
            (HopSpec::Federation(s), Some(st)) => federation::run(chain, st, s, i, *span),
            (HopSpec::AssumeRoot(s), Some(st)) => assume_root::run(chain, st, s, i, *span),
            (HopSpec::Request(r), Some(st)) => (request::run(chain, st, r, i, *span), None),
            // The reader guarantees a credential first; stay total anyway.
            (_, None) => {
                let (kind, title) = title(chain, spec);
                let mut b = HopBuilder::new(i, kind, title, *span);
                b.check("chain-no-credential", false, "no credential signs this call", super::checks::SPEC);
                (b.fail_on_checks(), None)
            }
        };
        if hop.outcome != Outcome::Allow {
            failed = Some(i);
        }
        hops.push(hop);
        if next.is_some() {
            state = next;
        }
    }
    let (decision, summary) = match failed.and_then(|i| hops.get(i)) {
        Some(h) => {
            let d = if h.outcome == Outcome::ExplicitDeny { Decision::ExplicitDeny } else { Decision::ImplicitDeny };
            (d, format!("hop {} ({}) failed: {}", h.index + 1, h.title, h.summary))
        }
        None => {
            let last = hops.last().map(|h| h.summary.clone()).unwrap_or_default();
            (Decision::Allow, format!("every hop succeeded: {last}"))
        }
    };
    Walk { name: chain.name.clone(), decision, failed_hop: failed, summary, hops }
}
