//! The stages of the evaluation collect what matched: for each group of
//! policies (the explicit-deny scan, each RCP and SCP level, the VPC
//! endpoint policy, the resource-based policy, identity policies, the
//! boundary, session policies), which statements apply and the grant each
//! made. Nothing here decides: [`super::decide`] does, from these findings.

use super::compile::{CompiledPolicy, CompiledSet};
use super::decide::{Caller as CallerClass, Facts, Gate, SessionGate};
use super::principal::rank;
use super::scope::{RcpScope, ScpScope};
use super::setup::Setup;
use super::statement::{self, Target};
use crate::few::Few;
use crate::policy::{Effect, PolicyKind};
use crate::request::PrincipalKind;

use crate::trace::statements::Against;
use crate::trace::{Grant, StatementRef, Statements};

/// Whether to keep the trace of every statement examined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Only whether statements apply: the statement index skips statements
    /// whose `Action` cannot match, and a group stops at its first match.
    Decision,
    /// Every statement of every group, with its trace.
    Trace,
}

/// What one group of policies found.
#[derive(Debug, Default)]
pub(crate) struct Found<'a> {
    /// Every statement examined, in order (trace mode only).
    pub traces: Statements<'a>,
    /// The statements that apply, in order, with the grant each made
    /// (trace mode only).
    pub hits: Hits<'a>,
    /// Whether any statement applies.
    pub any: bool,
    /// The strongest grant among applying statements (resource-based policies).
    pub best: Option<Grant>,
}

/// The statements of a group that apply, with the grant each made: most
/// groups have none or one.
pub(crate) type Hits<'a> = Few<(&'a StatementRef, Option<Grant>)>;

impl<'a> Found<'a> {
    /// The applying statements, in order.
    pub fn refs(&self) -> impl Iterator<Item = StatementRef> + '_ {
        self.hits.as_slice().iter().map(|&(r, _)| r.clone())
    }

    /// The applying statements whose grant `pred` accepts, in order.
    pub fn refs_with(&self, pred: impl Fn(Grant) -> bool) -> Vec<StatementRef> {
        self.hits.as_slice().iter().filter(|(_, g)| g.is_some_and(&pred)).map(|&(r, _)| r.clone()).collect()
    }

    /// The first applying statement, for sentences (a [`crate::text::Piece`]:
    /// its label, or nothing).
    pub fn first(&self) -> Option<&'a StatementRef> {
        self.hits.as_slice().first().map(|&(r, _)| r)
    }
}

/// The findings of every stage that takes part in the request.
#[derive(Debug, Default)]
pub(crate) struct Findings<'a> {
    /// Deny statements of every applicable policy.
    pub deny: Found<'a>,
    /// Allow statements of each RCP level (empty when RCPs do not apply;
    /// in decision mode, up to the first level without an Allow).
    pub rcp: Vec<Found<'a>>,
    /// The same for SCP levels.
    pub scp: Vec<Found<'a>>,
    pub vpce: Option<Found<'a>>,
    pub resource: Option<Found<'a>>,
    /// Identity-based policies (only for callers that can have them).
    pub identity: Found<'a>,
    pub boundary: Option<Found<'a>>,
    pub session: Found<'a>,
}

/// Whether the RCPs and SCPs of the set take part in the request.
pub(crate) fn org_policies_apply(cs: &CompiledSet<'_, '_>, setup: &Setup<'_>) -> (bool, bool) {
    let rcp = cs.set.count(PolicyKind::Rcp) > 0 && setup.rcp() == RcpScope::Applies;
    let scp = setup.act.scp == ScpScope::Applies && cs.set.count(PolicyKind::Scp) > 0;
    (rcp, scp)
}

/// Collects in one mode; the mode is a constant so that a shell which only
/// ever asks for the trace (the page) carries no decision-only code, and the
/// other way round.
struct Collector<'t, 'r, 'a, const TRACE: bool> {
    target: &'t Target<'r, 'a>,
    /// What the statements of every group are compared with (trace mode):
    /// borrowed texts, copied into each group's list.
    against: Option<Against<'a>>,
}

impl<'a, const TRACE: bool> Collector<'_, '_, 'a, TRACE> {
    const MODE: Mode = if TRACE { Mode::Trace } else { Mode::Decision };

    /// The statements of `effect` in `policies`.
    fn group<'p, I>(&self, policies: I, effect: Effect) -> Found<'a>
    where
        'a: 'p,
        I: IntoIterator<Item = &'p CompiledPolicy<'a, 'a>>,
        I::IntoIter: Clone,
    {
        let mut found = Found::default();
        let policies = policies.into_iter();
        // How many policies the group has (trace mode: a step's list of them).
        let in_group = if TRACE { policies.clone().count() } else { 0 };
        if TRACE {
            // Only candidates of the index can be examined past their action.
            let examined = policies.clone().map(|p| p.index(effect).candidates(self.target.service).len()).sum();
            if let Some(against) = &self.against {
                found.traces = Statements::new(*against, effect, examined);
            }
        }
        for p in policies {
            let variables = p.variables;
            match Self::MODE {
                Mode::Trace => {
                    // Statements the index rules out cannot match the action:
                    // the trace reads them from their shapes.
                    let base = found.traces.len();
                    found.traces.add_policy(p.shapes, p.count(effect), in_group);
                    for (i, patterns) in p.index(effect).candidates(self.target.service) {
                        let Some(c) = p.statements.get(i) else { continue };
                        let at = base + c.ordinal;
                        let (applies, grant) =
                            statement::evaluate(c, variables, patterns, self.target, &mut found.traces, at);
                        if applies {
                            found.any = true;
                            if grant.is_some_and(|g| found.best.is_none_or(|b| rank(g) > rank(b))) {
                                found.best = grant;
                            }
                            found.hits.push((c.shape.statement(), grant), 0);
                        }
                    }
                }
                Mode::Decision => {
                    for (i, patterns) in p.index(effect).candidates(self.target.service) {
                        let Some(c) = p.statements.get(i) else { continue };
                        let (applies, grant) = statement::applies(c, variables, patterns, self.target);
                        if applies {
                            found.any = true;
                            if grant.is_some_and(|g| found.best.is_none_or(|b| rank(g) > rank(b))) {
                                found.best = grant;
                            }
                            // Nothing beats a direct grant; other groups only ask for one match.
                            if grant.is_none() || grant == Some(Grant::Direct) {
                                return found;
                            }
                        }
                    }
                }
            }
        }
        found
    }

    /// One group per level, up to the first level without an Allow when the
    /// levels are a gate (every level must allow).
    fn levels(&self, levels: &[Vec<CompiledPolicy<'a, 'a>>], gate: bool) -> Vec<Found<'a>> {
        let mut out = Vec::with_capacity(levels.len());
        for level in levels {
            let found = self.group(level, Effect::Allow);
            let stop = !found.any && gate;
            out.push(found);
            if stop {
                break;
            }
        }
        out
    }
}

/// Collects the findings of every stage that takes part.
pub(crate) fn collect<'a>(
    cs: &CompiledSet<'a, 'a>,
    setup: &Setup<'a>,
    target: &Target<'_, 'a>,
    mode: Mode,
) -> Findings<'a> {
    match mode {
        Mode::Trace => collect_in::<true>(cs, setup, target),
        Mode::Decision => collect_in::<false>(cs, setup, target),
    }
}

fn collect_in<'a, const TRACE: bool>(
    cs: &CompiledSet<'a, 'a>,
    setup: &Setup<'a>,
    target: &Target<'_, 'a>,
) -> Findings<'a> {
    let mode = if TRACE { Mode::Trace } else { Mode::Decision };
    let against = TRACE.then(|| target.against());
    let c: Collector<'_, '_, 'a, TRACE> = Collector { target, against };
    let p = &cs.policies;
    let (rcp_applies, scp_applies) = org_policies_apply(cs, setup);
    let has_identity = setup.has_identity();
    let is_session = setup.has_session_policies();

    // The explicit-deny scan covers every policy that applies, in evaluation order.
    let applicable = p
        .scp
        .iter()
        .flatten()
        .filter(|_| scp_applies)
        .chain(p.rcp.iter().flatten().filter(|_| rcp_applies))
        .chain(p.vpce.iter())
        .chain(p.resource.iter().filter(|_| !setup.act.owner_root_bucket_policy))
        .chain(p.identity.iter().chain(p.boundary.iter()).filter(|_| has_identity))
        .chain(p.session.iter().filter(|_| is_session));
    let deny = c.group(applicable, Effect::Deny);
    // What the decision table reads first settles the rest: after an
    // explicit deny (rows 0 and 1 read nothing else), or a gate without an
    // Allow (rows 2 to 4), no later stage is read, in either mode.
    if deny.any {
        return Findings { deny, ..Findings::default() };
    }
    let implicit_full_access = setup.base.rcp_full_access;
    let rcp = if rcp_applies && (TRACE || !implicit_full_access) {
        c.levels(&p.rcp, !implicit_full_access)
    } else {
        Vec::new()
    };
    let scp = if scp_applies { c.levels(&p.scp, true) } else { Vec::new() };
    let gate_failed = |levels: &[Found<'_>], gate: bool| gate && levels.iter().any(|f| !f.any);
    if gate_failed(&rcp, !implicit_full_access) || gate_failed(&scp, true) {
        return Findings { deny, rcp, scp, ..Findings::default() };
    }
    // S3 and DynamoDB have gateway endpoints, whose policies grant an
    // account principal to the account's root user only (SPEC §5.9); a
    // scenario does not say which kind of endpoint, so the Allow statements
    // take the reading that grants less.
    let vpce = p.vpce.as_ref().map(|v| {
        if matches!(setup.act.service.as_ref(), "s3" | "dynamodb") {
            let mut t = *target;
            t.who.gateway_allow = true;
            Collector::<'_, '_, 'a, TRACE> { target: &t, against }.group([v], Effect::Allow)
        } else {
            c.group([v], Effect::Allow)
        }
    });
    if vpce.as_ref().is_some_and(|v| !v.any) {
        return Findings { deny, rcp, scp, vpce, ..Findings::default() };
    }
    let _ = mode;
    Findings {
        deny,
        rcp,
        scp,
        vpce,
        resource: p.resource.as_ref().filter(|_| resource_policy_can_allow(setup)).map(|r| c.group([r], Effect::Allow)),
        identity: if has_identity { c.group(&p.identity, Effect::Allow) } else { Found::default() },
        boundary: if has_identity { p.boundary.as_ref().map(|b| c.group([b], Effect::Allow)) } else { None },
        session: if is_session { c.group(&p.session, Effect::Allow) } else { Found::default() },
    }
}

/// Whether the resource-based policy's Allow statements can grant the
/// request. IAM's only resource-based policy is a role's trust policy,
/// which governs the STS calls that assume the role and nothing else (IAM
/// refuses a trust policy naming other actions), so it grants no IAM
/// action; its Deny statements are still read, as every applicable
/// policy's are.
pub(crate) fn resource_policy_can_allow(setup: &Setup<'_>) -> bool {
    setup.act.service != "iam"
}

/// Whether the session policies of a root session from AssumeRoot (its
/// task policy) have Deny statements and no Allow, as every task policy AWS
/// offers: they scope the session by what they deny. An empty one does
/// not count (it would leave the root user's access unscoped).
pub(crate) fn task_policy_denies_only(cs: &CompiledSet<'_, '_>) -> bool {
    let statements = || cs.set.session.iter().flat_map(|n| &n.policy().statements);
    statements().any(|st| st.effect == Effect::Deny) && !statements().any(|st| st.effect == Effect::Allow)
}

fn gate(levels: &[Found<'_>]) -> Gate {
    match levels.iter().position(|f| !f.any) {
        Some(level) => Gate::NoAllow(level),
        None if levels.is_empty() => Gate::Absent,
        None => Gate::Allows,
    }
}

fn single(found: Option<&Found<'_>>) -> Gate {
    match found {
        None => Gate::Absent,
        Some(f) if f.any => Gate::Allows,
        Some(_) => Gate::NoAllow(0),
    }
}

/// What the decision table looks at.
pub(crate) fn facts(cs: &CompiledSet<'_, '_>, setup: &Setup<'_>, f: &Findings<'_>) -> Facts {
    let caller = match setup.base.caller.kind {
        PrincipalKind::Root => CallerClass::Root,
        PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser => {
            CallerClass::WithIdentityPolicies
        }
        PrincipalKind::Service | PrincipalKind::Anonymous | PrincipalKind::WebIdentity => {
            CallerClass::WithoutIdentityPolicies
        }
    };
    let session = if !setup.has_session_policies() {
        SessionGate::NotSession
    } else if cs.set.session.is_empty() {
        if setup.base.caller.kind == PrincipalKind::FederatedUser {
            SessionGate::NonePassedFederated
        } else if setup.base.assumed_root {
            SessionGate::NoTaskPolicy
        } else {
            SessionGate::NonePassed
        }
    } else if setup.base.assumed_root && task_policy_denies_only(cs) {
        SessionGate::TaskPolicyDeniesOnly
    } else if f.session.any {
        SessionGate::Allows
    } else {
        SessionGate::NoAllow
    };
    Facts {
        no_permission_needed: setup.act.no_permission_needed.is_some(),
        allowed_unless_denied: setup.act.allowed_unless_denied,
        deny: f.deny.any,
        credentials_cannot_call: setup.act.restriction.is_some(),
        // Every RCP level holds `RCPFullAWSAccess`, which allows everything.
        rcp: if setup.base.rcp_full_access && !f.rcp.is_empty() { Gate::Allows } else { gate(&f.rcp) },
        scp: gate(&f.scp),
        vpce: single(f.vpce.as_ref()),
        cross_partition: setup.base.cross_partition.is_some(),
        caller,
        trust: setup.act.trust,
        key_policy: setup.act.kms_key && cs.set.resource.is_some(),
        cross_account: setup.act.cross_account,
        resource: f.resource.as_ref().and_then(|r| if r.any { r.best } else { None }),
        identity: f.identity.any,
        boundary: single(f.boundary.as_ref()),
        session,
    }
}
