//! The evaluation chain (SPEC §5.2 to §5.9): explicit denies, RCPs, SCPs,
//! the VPC endpoint policy, the resource-based policy, identity policies,
//! the boundary and session policies; for cross-account requests both
//! accounts. Each stage becomes one trace step; the decision is taken by
//! the first stage that leaves no way to allow, or after the last.

use super::principal::Who;
use super::setup::{is_kms_key, is_trust_action, Setup};
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

struct Run<'s, 'a> {
    set: &'s PolicySet<'a>,
    target: Target<'s, 'a>,
    steps: Vec<Step<'a>>,
    missing: Vec<MissingKey>,
    /// Allow statements of the gates passed so far (RCP, SCP, VPC endpoint).
    gate_allows: Vec<StatementRef>,
    cross_account: bool,
}

/// Statements of one stage and what they found.
struct Found<'a> {
    traces: Vec<StatementTrace<'a>>,
    /// Statements that apply, with the grant each made (resource-based policies).
    applying: Vec<(StatementRef, Option<Grant>)>,
}

impl Found<'_> {
    fn any(&self) -> bool {
        !self.applying.is_empty()
    }

    fn refs(&self) -> Vec<StatementRef> {
        self.applying.iter().map(|(r, _)| r.clone()).collect()
    }

    /// The strongest grant among applying statements.
    fn best_grant(&self) -> Option<Grant> {
        self.applying.iter().filter_map(|(_, g)| *g).max_by_key(|g| grant_rank(*g))
    }

    fn refs_with(&self, pred: impl Fn(Grant) -> bool) -> Vec<StatementRef> {
        self.applying.iter().filter(|(_, g)| g.is_some_and(&pred)).map(|(r, _)| r.clone()).collect()
    }
}

fn grant_rank(g: Grant) -> u8 {
    match g {
        Grant::Direct => 5,
        Grant::Everyone => 4,
        Grant::Service | Grant::Federated => 3,
        Grant::Entity => 2,
        Grant::Account => 1,
    }
}

fn step<'a>(stage: Stage, verdict: Verdict, summary: impl Into<String>) -> Step<'a> {
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
    fn statements(&mut self, policies: &[&Named<'a>], effect: Effect) -> Found<'a> {
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

    fn push(&mut self, s: Step<'a>) {
        self.steps.push(s);
    }

    /// Marks the last step decisive and closes the trace.
    fn decide(mut self, decision: Decision, deciding: Vec<StatementRef>) -> Answer<'a> {
        if let Some(last) = self.steps.last_mut() {
            last.decisive = true;
        }
        self.finish(decision, deciding)
    }

    /// Appends the stages not reached and the decision step.
    fn finish(mut self, decision: Decision, deciding: Vec<StatementRef>) -> Answer<'a> {
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
                    format!("explicitly denied by {first} (and {})", plural(more, "other statement", "other statements"))
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
    let Setup { caller, context, service, cross_account, scp_applies, rcp_applies, facts } = setup;
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
        && ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"].iter().any(|a| a.eq_ignore_ascii_case(action));
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
    for (stage, levels, applies, kind_name) in [
        (Stage::Rcp, &set.rcp, rcp_applies, "RCP"),
        (Stage::Scp, &set.scp, scp_applies, "SCP"),
    ] {
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
                step(
                    stage,
                    Verdict::NoAllow,
                    format!("no {kind_name} at level {} allows `{action}`", level + 1),
                )
            };
            s.level = Some(level);
            s.title = format!("{} (level {})", stage.title(), level + 1);
            run.gate_allows.extend(found.refs());
            s.statements = found.traces;
            if stage == Stage::Scp && allowed {
                s.side = cross_account.then_some(Side::Principal);
            }
            if stage == Stage::Rcp {
                s.side = cross_account.then_some(Side::Resource);
            }
            run.push(s);
            if !allowed {
                return run.decide(Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    // 5. VPC endpoint policy.
    match &set.vpce {
        None => run.push(step(Stage::VpcEndpoint, Verdict::NotApplicable, "the request does not go through a VPC endpoint with a policy")),
        Some(vpce) => {
            let found = run.statements(&[vpce], Effect::Allow);
            let allowed = found.any();
            let mut s = if allowed {
                step(Stage::VpcEndpoint, Verdict::Allow, format!("{} allows the request through the endpoint", first_label(&found)))
            } else {
                step(Stage::VpcEndpoint, Verdict::NoAllow, format!("the VPC endpoint policy does not allow `{action}` for this caller"))
            };
            run.gate_allows.extend(found.refs());
            s.statements = found.traces;
            run.push(s);
            if !allowed {
                return run.decide(Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    let trust = is_trust_action(action, resource);
    let kms_key_policy = is_kms_key(&service, resource) && set.resource.is_some();
    match kind {
        PrincipalKind::Service | PrincipalKind::Anonymous | PrincipalKind::WebIdentity => resource_only(run, kind),
        PrincipalKind::Root => root(run, trust, kms_key_policy),
        PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser => {
            identity_principal(run, kind, trust, kms_key_policy, &service, is_session)
        }
    }
}

fn first_label(found: &Found<'_>) -> String {
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

/// Callers without identity policies: only the resource-based policy can allow.
fn resource_only<'a>(mut run: Run<'_, 'a>, kind: PrincipalKind) -> Answer<'a> {
    let who = kind.describe();
    let set = run.set;
    let Some(rbp) = set.resource.as_ref() else {
        run.push(step(
            Stage::ResourcePolicy,
            Verdict::NoAllow,
            format!("{who} can only be allowed by a resource-based policy, and the scenario has none"),
        ));
        return run.decide(Decision::ImplicitDeny, Vec::new());
    };
    let found = run.statements(&[rbp], Effect::Allow);
    let allowed = found.any();
    let mut s = if allowed {
        step(Stage::ResourcePolicy, Verdict::Allow, format!("{} allows {who}", first_label(&found)))
    } else {
        step(Stage::ResourcePolicy, Verdict::NoAllow, format!("no statement of the resource-based policy allows {who}"))
    };
    let refs = found.refs();
    s.statements = found.traces;
    run.push(s);
    for stage in [Stage::Identity, Stage::Boundary, Stage::Session] {
        run.push(step(stage, Verdict::NotApplicable, format!("{who} has no identity-based, boundary or session policies")));
    }
    if let Some(last) = run.steps.iter_mut().rev().find(|s| s.stage == Stage::ResourcePolicy) {
        last.decisive = true;
    }
    if allowed {
        let mut deciding = run.gate_allows.clone();
        deciding.extend(refs);
        run.finish(Decision::Allow, deciding)
    } else {
        run.finish(Decision::ImplicitDeny, Vec::new())
    }
}

/// The account root user: full access to its own account by default.
fn root<'a>(mut run: Run<'_, 'a>, trust: bool, kms_key_policy: bool) -> Answer<'a> {
    if trust {
        run.push(step(Stage::ResourcePolicy, Verdict::NoAllow, "the root user cannot assume roles"));
        return run.decide(Decision::ImplicitDeny, Vec::new());
    }
    let cross = run.cross_account;
    if !cross && !kms_key_policy {
        let s = match run.set.resource.as_ref() {
            Some(_) => step(Stage::ResourcePolicy, Verdict::Skipped, "not needed: the root user has full access to its own account's resources"),
            None => step(Stage::ResourcePolicy, Verdict::NotApplicable, "no resource-based policy"),
        };
        run.push(s);
        run.push(step(Stage::Identity, Verdict::Allow, "the root user has full access to its own account's resources by default"));
        if let Some(last) = run.steps.last_mut() {
            last.decisive = true;
        }
        run.push(step(Stage::Boundary, Verdict::NotApplicable, "the root user cannot have a permissions boundary"));
        run.push(step(Stage::Session, Verdict::NotApplicable, "the root user has no session policies"));
        let deciding = run.gate_allows.clone();
        return run.finish(Decision::Allow, deciding);
    }
    // The key policy, or the other account's resource policy, must allow.
    let what = if kms_key_policy && !cross { "key policy" } else { "resource-based policy" };
    let set = run.set;
    let (allowed, refs) = match set.resource.as_ref() {
        None => {
            run.push(step(Stage::ResourcePolicy, Verdict::NoAllow, format!("the resource's account has no {what} that allows the caller")));
            (false, Vec::new())
        }
        Some(rbp) => {
            let found = run.statements(&[rbp], Effect::Allow);
            let allowed = found.any();
            let mut s = if allowed {
                step(Stage::ResourcePolicy, Verdict::Allow, format!("{} allows the root user", first_label(&found)))
            } else {
                step(Stage::ResourcePolicy, Verdict::NoAllow, format!("no statement of the {what} allows the root user"))
            };
            s.side = cross.then_some(Side::Resource);
            let refs = found.refs();
            s.statements = found.traces;
            run.push(s);
            (allowed, refs)
        }
    };
    if let Some(last) = run.steps.last_mut() {
        last.side = cross.then_some(Side::Resource);
    }
    if !allowed {
        if let Some(last) = run.steps.last_mut() {
            last.decisive = true;
        }
    }
    let mut id = step(Stage::Identity, Verdict::Allow, "the root user has full access within its own account");
    id.side = cross.then_some(Side::Principal);
    run.push(id);
    run.push(step(Stage::Boundary, Verdict::NotApplicable, "the root user cannot have a permissions boundary"));
    run.push(step(Stage::Session, Verdict::NotApplicable, "the root user has no session policies"));
    if cross {
        let summary = if allowed {
            "both accounts allow: the resource's account through its resource-based policy, the root user's own account by default"
        } else {
            "the resource's account does not allow the request"
        };
        let mut s = step(Stage::CrossAccount, if allowed { Verdict::Allow } else { Verdict::NoAllow }, summary);
        s.decisive = allowed;
        run.push(s);
    } else if allowed {
        if let Some(s) = run.steps.iter_mut().rev().find(|s| s.stage == Stage::ResourcePolicy) {
            s.decisive = true;
        }
    }
    let decision = if allowed { Decision::Allow } else { Decision::ImplicitDeny };
    let mut deciding = Vec::new();
    if allowed {
        deciding = run.gate_allows.clone();
        deciding.extend(refs);
    }
    run.finish(decision, deciding)
}

/// Users, role sessions and federated users.
fn identity_principal<'a>(
    mut run: Run<'_, 'a>,
    kind: PrincipalKind,
    trust: bool,
    kms_key_policy: bool,
    service: &str,
    is_session: bool,
) -> Answer<'a> {
    let cross = run.cross_account;
    // Must the resource-based policy itself allow? (trust policies, KMS key policies, other accounts)
    let requires_rbp = trust || kms_key_policy || cross;
    let rbp_name = if trust {
        "trust policy"
    } else if kms_key_policy {
        "key policy"
    } else {
        "resource-based policy"
    };

    // Resource-based policy.
    let mut rbp_refs_direct = Vec::new();
    let mut rbp_refs_entity = Vec::new();
    let mut rbp_refs_any = Vec::new();
    let set = run.set;
    let best = match set.resource.as_ref() {
        None => {
            let mut s = if trust {
                step(Stage::ResourcePolicy, Verdict::NoAllow, "a role can only be assumed when its trust policy allows the caller, and the scenario has no trust policy")
            } else if cross {
                step(Stage::ResourcePolicy, Verdict::NoAllow, "the resource's account has no resource-based policy that allows the caller")
            } else {
                step(Stage::ResourcePolicy, Verdict::NotApplicable, "no resource-based policy")
            };
            if service == "kms" && !trust {
                s.notes.push("no key policy given: assuming the default key policy, which lets IAM policies of the key's account grant access".to_owned());
            }
            s.side = cross.then_some(Side::Resource);
            run.push(s);
            None
        }
        Some(rbp) => {
            let found = run.statements(&[rbp], Effect::Allow);
            let best = found.best_grant();
            rbp_refs_direct = found.refs_with(|g| matches!(g, Grant::Direct | Grant::Everyone));
            rbp_refs_entity = found.refs_with(|g| g == Grant::Entity);
            rbp_refs_any = found.refs();
            let label = first_label(&found);
            let summary = match best {
                None => format!("no statement of the {rbp_name} allows the caller"),
                Some(_) if cross => format!("{label} allows the caller: the resource's account agrees"),
                Some(Grant::Direct) => format!("{label} names the caller directly, so no identity policy is needed"),
                Some(Grant::Everyone) => format!("{label} allows every principal (`*`), the caller included"),
                Some(Grant::Entity) => match kind {
                    PrincipalKind::FederatedUser => format!("{label} names the IAM user behind the federated session: the boundary and session policies still apply"),
                    _ => format!("{label} names the session's role: the boundary and session policies still apply"),
                },
                Some(Grant::Account) if requires_rbp => format!("{label} trusts the caller's account, which delegates to its IAM policies"),
                Some(Grant::Account) => format!("{label} names the caller's account, which only delegates to the account's IAM policies"),
                Some(Grant::Service | Grant::Federated) => format!("{label} names another kind of principal"),
            };
            let verdict = match best {
                Some(Grant::Account) if !requires_rbp => Verdict::NoAllow,
                Some(_) => Verdict::Allow,
                None => Verdict::NoAllow,
            };
            let mut s = step(Stage::ResourcePolicy, verdict, summary);
            s.side = cross.then_some(Side::Resource);
            if kms_key_policy && !matches!(best, Some(Grant::Direct | Grant::Everyone | Grant::Entity)) {
                s.notes.push("a key policy must allow: IAM policies count only when it allows the account (`arn:aws:iam::<account>:root`)".to_owned());
            }
            if trust && best.is_none() {
                s.notes.push("a role's trust policy must allow the caller; an identity-based policy alone is never enough".to_owned());
            }
            s.statements = found.traces;
            run.push(s);
            best
        }
    };
    let direct = !cross && matches!(best, Some(Grant::Direct | Grant::Everyone));
    if direct {
        let mut deciding = run.gate_allows.clone();
        deciding.extend(rbp_refs_direct);
        return run.decide(Decision::Allow, deciding);
    }
    let resource_side = best.is_some();
    let entity = !cross && best == Some(Grant::Entity);
    if requires_rbp && !resource_side && !cross {
        return run.decide(Decision::ImplicitDeny, Vec::new());
    }
    // With a trust or key policy that names only the role, the identity
    // policies are not needed.
    let identity_needed = cross || !requires_rbp || best == Some(Grant::Account);

    // Identity-based policies.
    let side = cross.then_some(Side::Principal);
    let identity_refs;
    let identity_ok;
    if !identity_needed && entity {
        identity_ok = false;
        identity_refs = Vec::new();
        let mut s = step(Stage::Identity, Verdict::Skipped, format!("not needed: the {rbp_name} names the caller's role or IAM user"));
        s.side = side;
        run.push(s);
    } else if run.set.identity.is_empty() {
        identity_ok = false;
        identity_refs = Vec::new();
        let mut s = step(Stage::Identity, Verdict::NoAllow, "the scenario has no identity-based policies, so none allows the request");
        s.side = side;
        run.push(s);
    } else {
        let policies: Vec<&Named<'a>> = run.set.identity.iter().collect();
        let found = run.statements(&policies, Effect::Allow);
        identity_ok = found.any();
        identity_refs = found.refs();
        let mut s = if identity_ok {
            step(Stage::Identity, Verdict::Allow, format!("{} allows the request", first_label(&found)))
        } else {
            step(Stage::Identity, Verdict::NoAllow, format!("no identity-based policy allows `{}`", run.target.action))
        };
        s.side = side;
        s.statements = found.traces;
        run.push(s);
    }
    let principal_path = identity_ok;
    if !cross && !entity && !principal_path {
        mark_decisive_last(&mut run);
        return run.finish(Decision::ImplicitDeny, Vec::new());
    }

    // Permissions boundary.
    let mut limit_refs = Vec::new();
    let mut limits_ok = true;
    match set.boundary.as_ref() {
        None => {
            let mut s = step(Stage::Boundary, Verdict::NotApplicable, "no permissions boundary");
            s.side = side;
            run.push(s);
        }
        Some(b) => {
            let found = run.statements(&[b], Effect::Allow);
            let ok = found.any();
            let mut s = if ok {
                step(Stage::Boundary, Verdict::Allow, format!("{} allows the request", first_label(&found)))
            } else {
                step(Stage::Boundary, Verdict::NoAllow, format!("the permissions boundary does not allow `{}`", run.target.action))
            };
            s.side = side;
            limit_refs.extend(found.refs());
            s.statements = found.traces;
            run.push(s);
            if !ok {
                limits_ok = false;
                if !cross {
                    return run.decide(Decision::ImplicitDeny, Vec::new());
                }
            }
        }
    }

    // Session policies.
    if !is_session {
        let mut s = step(Stage::Session, Verdict::NotApplicable, format!("{} has no session policies", kind.describe()));
        s.side = side;
        run.push(s);
    } else if run.set.session.is_empty() {
        let mut s = if kind == PrincipalKind::FederatedUser {
            limits_ok = false;
            step(
                Stage::Session,
                Verdict::NoAllow,
                "a federated user without a session policy has no permissions except what resource policies grant its own ARN",
            )
        } else {
            step(Stage::Session, Verdict::Pass, "no session policy was passed: the role's permissions apply unchanged")
        };
        s.side = side;
        run.push(s);
        if !limits_ok && !cross {
            return run.decide(Decision::ImplicitDeny, Vec::new());
        }
    } else {
        let policies: Vec<&Named<'a>> = run.set.session.iter().collect();
        let found = run.statements(&policies, Effect::Allow);
        let ok = found.any();
        let mut s = if ok {
            step(Stage::Session, Verdict::Allow, format!("{} allows the request", first_label(&found)))
        } else {
            step(Stage::Session, Verdict::NoAllow, format!("no session policy allows `{}`", run.target.action))
        };
        s.side = side;
        limit_refs.extend(found.refs());
        s.statements = found.traces;
        run.push(s);
        if !ok {
            limits_ok = false;
            if !cross {
                return run.decide(Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    if cross {
        let principal_ok = principal_path && limits_ok;
        let allowed = resource_side && principal_ok;
        let side_word = |ok: bool| if ok { "allows" } else { "does not allow" };
        let summary = format!(
            "the resource's account {} and the principal's account {}: {}",
            side_word(resource_side),
            side_word(principal_ok),
            if allowed { "both allow" } else { "both must allow" }
        );
        let mut s = step(Stage::CrossAccount, if allowed { Verdict::Allow } else { Verdict::NoAllow }, summary);
        if !allowed {
            // The first failing step decides.
            let first_fail = run.steps.iter_mut().find(|s| {
                matches!(s.stage, Stage::ResourcePolicy | Stage::Identity | Stage::Boundary | Stage::Session)
                    && s.verdict == Verdict::NoAllow
            });
            match first_fail {
                Some(f) => f.decisive = true,
                None => s.decisive = true,
            }
        } else {
            s.decisive = true;
        }
        run.push(s);
        if !allowed {
            return run.finish(Decision::ImplicitDeny, Vec::new());
        }
        let mut deciding = run.gate_allows.clone();
        deciding.extend(rbp_refs_any);
        deciding.extend(identity_refs);
        deciding.extend(limit_refs);
        return run.finish(Decision::Allow, deciding);
    }

    // Same account: the identity path, or a grant to the role / parent user.
    let mut deciding = run.gate_allows.clone();
    if entity {
        deciding.extend(rbp_refs_entity);
    }
    if principal_path {
        if best == Some(Grant::Account) {
            deciding.extend(rbp_refs_any);
        }
        deciding.extend(identity_refs);
    }
    deciding.extend(limit_refs);
    if let Some(s) = run.steps.iter_mut().rev().find(|s| {
        (principal_path && s.stage == Stage::Identity) || (!principal_path && s.stage == Stage::ResourcePolicy)
    }) {
        s.decisive = true;
    }
    run.finish(Decision::Allow, deciding)
}

fn mark_decisive_last(run: &mut Run<'_, '_>) {
    if let Some(last) = run.steps.last_mut() {
        last.decisive = true;
    }
}
