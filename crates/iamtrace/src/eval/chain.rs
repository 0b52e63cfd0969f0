//! The evaluation chain (SPEC §5.2 to §5.9): explicit denies, RCPs, SCPs,
//! the VPC endpoint policy, the resource-based policy, identity policies,
//! the boundary and session policies; for cross-account requests both
//! accounts. Each stage becomes one trace step; the decision is taken by
//! the first stage that leaves no way to allow, or after the last.

use super::paths;
use super::principal::{self, Who};
use super::setup::Setup;
use super::statement::{self, Target};
use super::{Named, PolicySet};
use crate::policy::{Effect, PolicyKind};
use crate::request::Request;
use crate::trace::{
    Answer, ConditionTrace, Decision, ElementTrace, Grant, KeyReference, MissingKey, PrincipalKind, Side, Stage,
    StatementRef, StatementTrace, Step, Verdict,
};

/// The canonical order of stages, for filling in stages not reached.
const ORDER: [Stage; 10] = [
    Stage::Request,
    Stage::ExplicitDeny,
    Stage::Rcp,
    Stage::Scp,
    Stage::VpcEndpoint,
    Stage::ResourcePolicy,
    Stage::Identity,
    Stage::Boundary,
    Stage::Session,
    Stage::CrossAccount,
];

pub(super) struct Run<'s, 'a> {
    pub(super) set: &'s PolicySet<'a>,
    pub(super) target: Target<'s, 'a>,
    pub(super) steps: Vec<Step<'a>>,
    pub(super) missing: Vec<MissingKey>,
    /// Allow statements of the gates passed so far (RCP, SCP, VPC endpoint).
    pub(super) gate_allows: Vec<StatementRef>,
    pub(super) cross_account: bool,
}

/// Statements of one stage and what they found.
pub(super) struct Found<'a> {
    pub(super) traces: Vec<StatementTrace<'a>>,
    /// Statements that apply, with the grant each made (resource-based policies).
    pub(super) applying: Vec<(StatementRef, Option<Grant>)>,
}

impl Found<'_> {
    pub(super) fn any(&self) -> bool {
        !self.applying.is_empty()
    }

    pub(super) fn refs(&self) -> Vec<StatementRef> {
        self.applying.iter().map(|(r, _)| r.clone()).collect()
    }

    /// The strongest grant among applying statements.
    pub(super) fn best_grant(&self) -> Option<Grant> {
        self.applying.iter().filter_map(|(_, g)| *g).max_by_key(|g| principal::rank(*g))
    }

    pub(super) fn refs_with(&self, pred: impl Fn(Grant) -> bool) -> Vec<StatementRef> {
        self.applying.iter().filter(|(_, g)| g.is_some_and(&pred)).map(|(r, _)| r.clone()).collect()
    }
}

pub(super) fn step<'a>(stage: Stage, verdict: Verdict, summary: impl Into<String>) -> Step<'a> {
    Step {
        stage,
        level: None,
        side: None,
        verdict,
        decisive: false,
        title: stage.title().to_owned(),
        summary: summary.into(),
        notes: Vec::new(),
        request: None,
        statements: Vec::new(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl<'s, 'a> Run<'s, 'a> {
    /// Evaluates the statements of `policies` with the given effect.
    pub(super) fn statements(&mut self, policies: &[&Named<'a>], effect: Effect) -> Found<'a> {
        let mut traces = Vec::new();
        let mut applying = Vec::new();
        for named in policies {
            for st in named.policy.statements.iter().filter(|s| s.effect == effect) {
                let (trace, grant) = statement::evaluate(&named.policy, &named.reference, st, &self.target);
                self.note_missing(&trace);
                if trace.applies {
                    applying.push((trace.statement.clone(), grant));
                }
                traces.push(trace);
            }
        }
        Found { traces, applying }
    }

    fn note_missing(&mut self, trace: &StatementTrace<'a>) {
        let sref = &trace.statement;
        for c in &trace.conditions {
            if c.key_found.is_none() {
                self.add_missing(&c.key, "condition", sref, c.key_span);
            }
            self.missing_variables_in_condition(c, sref);
        }
        self.missing_variables_in_element(&trace.resource, sref);
    }

    fn missing_variables_in_condition(&mut self, c: &ConditionTrace<'a>, sref: &StatementRef) {
        for v in &c.policy_values {
            for r in v.resolutions.iter().filter(|r| r.how == "missing") {
                self.add_missing(&r.key, "variable", sref, v.span);
            }
        }
    }

    fn missing_variables_in_element(&mut self, e: &ElementTrace<'a>, sref: &StatementRef) {
        for v in e.dropped.iter().chain(e.hit.iter()) {
            for r in v.resolutions.iter().filter(|r| r.how == "missing") {
                self.add_missing(&r.key, "variable", sref, v.span);
            }
        }
    }

    fn add_missing(&mut self, key: &str, used_as: &'static str, sref: &StatementRef, span: crate::Span) {
        let reference = KeyReference { statement: sref.clone(), span };
        match self.missing.iter_mut().find(|m| m.key.eq_ignore_ascii_case(key)) {
            Some(m) => {
                if !m.referenced_by.contains(&reference) {
                    m.referenced_by.push(reference);
                }
            }
            None => self.missing.push(MissingKey { key: key.to_owned(), used_as, referenced_by: vec![reference] }),
        }
    }

    pub(super) fn push(&mut self, s: Step<'a>) {
        self.steps.push(s);
    }

    /// A stage that needs an Allow among `policies`: evaluates their Allow
    /// statements and records the step. Returns whether one applies, and
    /// the ones that do.
    pub(super) fn allow_step(
        &mut self,
        stage: Stage,
        policies: &[&Named<'a>],
        no_allow: String,
    ) -> (bool, Vec<StatementRef>) {
        let found = self.statements(policies, Effect::Allow);
        let ok = found.any();
        let mut s = if ok {
            step(stage, Verdict::Allow, format!("{} allows the request", first_label(&found)))
        } else {
            step(stage, Verdict::NoAllow, no_allow)
        };
        let refs = found.refs();
        s.statements = found.traces;
        self.push(s);
        (ok, refs)
    }

    /// Marks the last step so far as the one that decided.
    pub(super) fn mark_last_decisive(&mut self) {
        if let Some(last) = self.steps.last_mut() {
            last.decisive = true;
        }
    }

    /// Marks the last step decisive and closes the trace.
    pub(super) fn decide(mut self, decision: Decision, deciding: Vec<StatementRef>) -> Answer<'a> {
        self.mark_last_decisive();
        self.finish(decision, deciding)
    }

    /// Appends the stages not reached and the decision step.
    pub(super) fn finish(mut self, decision: Decision, deciding: Vec<StatementRef>) -> Answer<'a> {
        // Across accounts every stage belongs to one side: the resource's
        // account (RCPs, its resource-based policy) or the principal's (the rest).
        if self.cross_account {
            for s in &mut self.steps {
                s.side = match s.stage {
                    Stage::Rcp | Stage::ResourcePolicy => Some(Side::Resource),
                    Stage::Scp | Stage::VpcEndpoint | Stage::Identity | Stage::Boundary | Stage::Session => {
                        Some(Side::Principal)
                    }
                    _ => None,
                };
            }
        }
        let last_stage = self.steps.last().map_or(Stage::Request, |s| s.stage);
        let after = ORDER.iter().position(|s| *s == last_stage).unwrap_or(0);
        for stage in ORDER.iter().skip(after + 1) {
            if *stage == Stage::CrossAccount && !self.cross_account {
                continue;
            }
            self.steps.push(step(*stage, Verdict::NotReached, "not evaluated: the decision was already made"));
        }
        let summary = match decision {
            Decision::ExplicitDeny => {
                let first = deciding.first().map(StatementRef::label).unwrap_or_default();
                let more = deciding.len().saturating_sub(1);
                if more > 0 {
                    format!(
                        "explicitly denied by {first} (and {})",
                        plural(more, "other statement", "other statements")
                    )
                } else {
                    format!("explicitly denied by {first}")
                }
            }
            Decision::ImplicitDeny => {
                let why = self.steps.iter().find(|s| s.decisive).map(|s| s.summary.clone()).unwrap_or_default();
                format!("implicitly denied: {why}")
            }
            Decision::Allow => {
                let why = self.steps.iter().find(|s| s.decisive).map(|s| s.summary.clone()).unwrap_or_default();
                format!("allowed: {why}")
            }
        };
        let verdict = match decision {
            Decision::Allow => Verdict::Allow,
            Decision::ExplicitDeny => Verdict::ExplicitDeny,
            Decision::ImplicitDeny => Verdict::ImplicitDeny,
        };
        self.steps.push(step(Stage::Decision, verdict, summary.clone()));
        Answer { decision, summary, trace: self.steps, deciding, missing_keys: self.missing }
    }
}

/// Runs the chain.
pub(super) fn run<'a>(set: &'a PolicySet<'a>, req: &'a Request<'a>, setup: Setup<'a>) -> Answer<'a> {
    let Setup {
        caller,
        context,
        service,
        cross_account,
        cross_partition,
        scp_applies,
        rcp_applies,
        trust,
        kms_key,
        facts,
    } = setup;
    let action: &str = &req.action.text;
    let resource: &str = &req.resource.text;
    let has_boundary = set.boundary.is_some() && caller.has_identity_policies();
    let mut run = Run {
        set,
        target: Target { action, resource, who: Who { caller: &caller, context: &context, has_boundary } },
        steps: Vec::new(),
        missing: Vec::new(),
        gate_allows: Vec::new(),
        cross_account,
    };
    let kind = caller.kind;
    let is_session = caller.is_session();

    // 1. The request.
    let mut first = step(Stage::Request, Verdict::Info, request_summary(&facts));
    first.request = Some(facts);
    run.push(first);

    // Which policies take part.
    let has_identity = caller.has_identity_policies();
    let mut applicable: Vec<&Named<'a>> = Vec::new();
    if scp_applies {
        applicable.extend(set.scp.iter().flatten());
    }
    if rcp_applies {
        applicable.extend(set.rcp.iter().flatten());
    }
    applicable.extend(set.vpce.iter());
    let owner_root_bucket_policy = kind == PrincipalKind::Root
        && !cross_account
        && ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]
            .iter()
            .any(|a| a.eq_ignore_ascii_case(action));
    if !owner_root_bucket_policy {
        applicable.extend(set.resource.iter());
    }
    if has_identity {
        applicable.extend(set.identity.iter());
        applicable.extend(set.boundary.iter());
    }
    if is_session {
        applicable.extend(set.session.iter());
    }

    // 2. Explicit denies.
    let denies = run.statements(&applicable, Effect::Deny);
    let mut s = if denies.any() {
        step(
            Stage::ExplicitDeny,
            Verdict::ExplicitDeny,
            format!("{} the request", plural(denies.applying.len(), "Deny statement matches", "Deny statements match")),
        )
    } else if denies.traces.is_empty() {
        step(Stage::ExplicitDeny, Verdict::Pass, "no applicable policy has a Deny statement")
    } else {
        step(
            Stage::ExplicitDeny,
            Verdict::Pass,
            format!("none of the {} applies", plural(denies.traces.len(), "Deny statement", "Deny statements")),
        )
    };
    if owner_root_bucket_policy && set.resource.is_some() {
        s.notes.push("the bucket owner's root user can always read, change and delete the bucket policy; its denies do not apply".to_owned());
    }
    let deny_refs = denies.refs();
    s.statements = denies.traces;
    run.push(s);
    if !deny_refs.is_empty() {
        return run.decide(Decision::ExplicitDeny, deny_refs);
    }

    // 3, 4. RCPs then SCPs: every level must allow.
    for (stage, levels, applies, kind_name) in
        [(Stage::Rcp, &set.rcp, rcp_applies, "RCP"), (Stage::Scp, &set.scp, scp_applies, "SCP")]
    {
        let policy_kind = if stage == Stage::Rcp { PolicyKind::Rcp } else { PolicyKind::Scp };
        if levels.iter().all(Vec::is_empty) {
            run.push(step(stage, Verdict::NotApplicable, format!("no {kind_name}s in the scenario")));
            continue;
        }
        if !applies {
            let reason = run
                .steps
                .first()
                .and_then(|s| s.request.as_ref())
                .and_then(|f| f.policies.iter().find(|p| p.kind == policy_kind))
                .map(|p| p.reason.clone())
                .unwrap_or_default();
            run.push(step(stage, Verdict::Skipped, reason));
            continue;
        }
        for (level, policies) in levels.iter().enumerate() {
            let refs: Vec<&Named<'a>> = policies.iter().collect();
            let found = run.statements(&refs, Effect::Allow);
            let allowed = found.any();
            let mut s = if allowed {
                step(stage, Verdict::Allow, format!("level {}: {} allows the request", level + 1, first_label(&found)))
            } else {
                step(stage, Verdict::NoAllow, format!("no {kind_name} at level {} allows `{action}`", level + 1))
            };
            s.level = Some(level);
            s.title = format!("{} (level {})", stage.title(), level + 1);
            run.gate_allows.extend(found.refs());
            s.statements = found.traces;
            run.push(s);
            if !allowed {
                return run.decide(Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    // 5. VPC endpoint policy.
    match &set.vpce {
        None => run.push(step(
            Stage::VpcEndpoint,
            Verdict::NotApplicable,
            "the request does not go through a VPC endpoint with a policy",
        )),
        Some(vpce) => {
            let no = format!("the VPC endpoint policy does not allow `{action}` for this caller");
            let (allowed, refs) = run.allow_step(Stage::VpcEndpoint, &[vpce], no);
            run.gate_allows.extend(refs);
            if !allowed {
                return run.decide(Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    // No policy can grant across partitions (`aws` to `aws-cn`, ...).
    if let Some((from, to)) = cross_partition {
        run.push(step(
            Stage::ResourcePolicy,
            Verdict::NoAllow,
            format!("requests cannot cross partitions: the principal is in `{from}`, the resource in `{to}`"),
        ));
        return run.decide(Decision::ImplicitDeny, Vec::new());
    }

    let kms_key_policy = kms_key && set.resource.is_some();
    match kind {
        PrincipalKind::Service | PrincipalKind::Anonymous | PrincipalKind::WebIdentity => {
            paths::resource_only(run, kind)
        }
        PrincipalKind::Root => paths::root(run, trust, kms_key_policy),
        PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser => {
            paths::identity_principal(run, kind, trust, kms_key_policy, &service, is_session)
        }
    }
}

pub(super) fn first_label(found: &Found<'_>) -> String {
    found.applying.first().map(|(r, _)| r.label()).unwrap_or_default()
}

fn request_summary(f: &crate::trace::RequestFacts) -> String {
    let who = f.principal_kind.describe();
    let accounts = match (&f.principal_account, &f.resource_account, f.cross_account) {
        (Some(p), Some(r), Some(true)) => format!("; cross-account: principal in {p}, resource in {r}"),
        (Some(p), Some(_), _) => format!("; same account ({p})"),
        (Some(p), None, _) => format!("; resource account unknown, taken to be the principal's ({p})"),
        _ => String::new(),
    };
    format!("{who} asks for `{}` on `{}`{accounts}", f.action, f.resource)
}
