//! Evaluation: the request against every policy, in AWS's order (SPEC §5).

mod compile;
mod decide;
mod explain;
mod findings;
mod index;
mod paths;
mod principal;
mod scope;
mod setup;
mod statement;
mod words;

pub use compile::CompiledSet;

use crate::diagnostic::Diagnostic;
use crate::policy::{ByKind, Place, Policy, PolicyKind};
use crate::request::Request;
use crate::trace::{Answer, Decision, PolicyRef, StatementShape};

/// A policy with its place in the scenario. Made by [`Named::new`] and
/// read-only after: the trace's record of each statement is made with it.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    policy: Policy<'a>,
    reference: PolicyRef,
    /// What the trace of each statement shows before anything is matched,
    /// made once here so that traces borrow it rather than copying it
    /// statement by statement.
    statements: Vec<StatementShape>,
}

impl<'a> Named<'a> {
    /// Wraps a policy; `index` and `level` locate it within its kind.
    pub fn new(policy: Policy<'a>, index: usize, level: Option<usize>, name: Option<String>) -> Self {
        let reference = PolicyRef { kind: policy.kind, index, level, name: name.map(Into::into), doc: policy.doc };
        let statements = policy.statements.iter().map(|st| statement::shape(&reference, st)).collect();
        Named { policy, reference, statements }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy<'a> {
        &self.policy
    }

    /// Where the policy sits in the scenario, and its name.
    pub fn reference(&self) -> &PolicyRef {
        &self.reference
    }

    /// The shape of the statement at `index` in the policy's list.
    pub(crate) fn statement_shape(&self, index: usize) -> Option<&StatementShape> {
        self.statements.get(index)
    }
}

/// Every policy that may take part in a request, by kind.
pub type PolicySet<'a> = ByKind<Named<'a>>;

impl<'a> ByKind<Named<'a>> {
    /// Adds a policy of `kind` at the end of its list (SCPs and RCPs: to
    /// the last level, creating the first).
    pub fn push(&mut self, policy: Policy<'a>, name: Option<String>) {
        let place = self.next_place(policy.kind);
        self.insert(Named::new(policy, place.index, place.level, name));
    }

    /// Puts `named` where its reference says: at the end of its kind's list
    /// (SCPs and RCPs: of its level, adding levels up to it), or as its
    /// kind's one policy.
    pub fn insert(&mut self, named: Named<'a>) {
        let r = &named.reference;
        let place = Place::new(r.kind, r.index, r.level);
        self.put(place, named);
    }

    /// Every policy, in evaluation order: SCPs, RCPs, the VPC endpoint
    /// policy, the resource-based policy, identity policies, the boundary,
    /// session policies.
    pub fn in_evaluation_order(&self) -> impl Iterator<Item = &Named<'a>> {
        self.of_kinds(&EVALUATION_ORDER).map(|(_, n)| n)
    }
}

/// The order in which policies of each kind are examined.
pub const EVALUATION_ORDER: [PolicyKind; 7] = [
    PolicyKind::Scp,
    PolicyKind::Rcp,
    PolicyKind::Vpce,
    PolicyKind::Resource,
    PolicyKind::Identity,
    PolicyKind::Boundary,
    PolicyKind::Session,
];

/// Decides the request and explains the decision. Fails only when the
/// request itself is malformed (bad principal, action or resource). To
/// evaluate many requests against the same policies, compile them once
/// with [`CompiledSet::new`].
pub fn evaluate<'a>(policies: &'a PolicySet<'a>, request: &'a Request<'a>) -> Result<Answer<'a>, Vec<Diagnostic>> {
    CompiledSet::for_one_request(policies).evaluate(request)
}

/// A request checked and normalised once (its caller classified, its ARNs
/// read, the context keys AWS derives added), to be asked of any number of
/// policy sets: what a policy change newly allows asks the same requests
/// of two sets, who can do what asks one request of every principal's set.
/// Nothing in it depends on the policies.
///
/// ```
/// use iamtrace::{parse_scenario, CompiledSet, Decision, PreparedRequest};
///
/// let before = r#"{"policies": {"identity": [{"Statement": [
///     {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}]},
///   "request": {"principal": "arn:aws:iam::111122223333:user/alice",
///     "action": "s3:PutObject", "resource": "arn:aws:s3:::bucket/key"}}"#;
/// let after = before.replace("s3:Get*", "s3:*");
/// let (before, after) = (parse_scenario(before, None), parse_scenario(&after, None));
/// let (Some(before), Some(after)) = (before.scenario, after.scenario) else { panic!() };
/// let sets = [CompiledSet::new(&before.policies), CompiledSet::new(&after.policies)];
/// let request = PreparedRequest::new(&before.request).expect("a valid request");
/// let decisions = sets.each_ref().map(|set| set.decide_prepared(&request));
/// assert_eq!(decisions, [Decision::ImplicitDeny, Decision::Allow]);
/// ```
pub struct PreparedRequest<'r> {
    request: &'r Request<'r>,
    setup: setup::Setup<'r>,
}

impl<'r> PreparedRequest<'r> {
    /// Checks the request; fails only when it is malformed (bad principal,
    /// action or resource), with the errors [`CompiledSet::evaluate`] gives.
    pub fn new(request: &'r Request<'r>) -> Result<Self, Vec<Diagnostic>> {
        Ok(PreparedRequest { request, setup: setup::setup(request)? })
    }

    /// The request as given (its action is the one asked for, unless the
    /// request was prepared [for another action](PreparedRequest::with_action)).
    pub fn request(&self) -> &'r Request<'r> {
        self.request
    }

    /// The action this request asks for.
    pub fn action(&self) -> &'r str {
        self.setup.act.action
    }

    /// The same request for another action, without checking and
    /// normalising the rest again (the access overview asks one request
    /// for every action of a service). The decision and the trace are the
    /// ones of the request with its action replaced; `span` is where
    /// `action` is written, for the errors. Fails only when `action` is
    /// not an action, or when the caller is not valid for it.
    ///
    /// ```
    /// use iamtrace::{parse_scenario, CompiledSet, Decision, PreparedRequest, Span};
    ///
    /// let text = r#"{"policies": {"identity": [{"Statement": [
    ///     {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}]},
    ///   "request": {"principal": "arn:aws:iam::111122223333:user/alice",
    ///     "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"}}"#;
    /// let Some(scenario) = parse_scenario(text, None).scenario else { panic!() };
    /// let set = CompiledSet::new(&scenario.policies);
    /// let request = PreparedRequest::new(&scenario.request).expect("a valid request");
    /// let put = request.with_action("s3:PutObject", Span::default()).expect("an action");
    /// assert_eq!(set.decide_prepared(&put), Decision::ImplicitDeny);
    /// assert_eq!(set.decide_prepared(&request), Decision::Allow);
    /// ```
    pub fn with_action<'b>(&'b self, action: &'b str, span: crate::Span) -> Result<PreparedRequest<'b>, Vec<Diagnostic>>
    where
        'r: 'b,
    {
        Ok(PreparedRequest { request: self.request, setup: self.setup.for_action(action, span)? })
    }
}

impl std::fmt::Debug for PreparedRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRequest").field("request", &self.request).finish_non_exhaustive()
    }
}

impl<'s, 'a> CompiledSet<'s, 'a> {
    /// The decision alone: the fastest way to evaluate a request, with the
    /// same rules as [`CompiledSet::evaluate`] and no trace.
    pub fn decide<'r>(&self, request: &'r Request<'r>) -> Result<Decision, Vec<Diagnostic>>
    where
        'a: 'r,
    {
        // The set-up stays where it is built (a prepared request would be a copy of it).
        let setup = setup::setup(request)?;
        Ok(self.decide_in(request, &setup))
    }

    /// The decision and the full, ordered trace that explains it.
    pub fn evaluate<'r>(&self, request: &'r Request<'r>) -> Result<Answer<'r>, Vec<Diagnostic>>
    where
        'a: 'r,
        's: 'r,
    {
        let setup = setup::setup(request)?;
        Ok(self.evaluate_in(request, &setup))
    }

    /// [`CompiledSet::decide`] for a request prepared once.
    pub fn decide_prepared<'r>(&self, prepared: &PreparedRequest<'r>) -> Decision
    where
        'a: 'r,
    {
        self.decide_in(prepared.request, &prepared.setup)
    }

    /// [`CompiledSet::evaluate`] for a request prepared once.
    pub fn evaluate_prepared<'r>(&self, prepared: &PreparedRequest<'r>) -> Answer<'r>
    where
        'a: 'r,
        's: 'r,
    {
        self.evaluate_in(prepared.request, &prepared.setup)
    }

    fn decide_in<'r>(&self, request: &'r Request<'r>, setup: &setup::Setup<'r>) -> Decision
    where
        'a: 'r,
    {
        decide_with(self, request, setup)
    }

    fn evaluate_in<'r>(&self, request: &'r Request<'r>, setup: &setup::Setup<'r>) -> Answer<'r>
    where
        'a: 'r,
        's: 'r,
    {
        // The trace borrows the statements' names from the policy set.
        let cs: &CompiledSet<'r, 'r> = self;
        let target = target(cs, setup, request);
        let mut found = findings::collect(cs, setup, &target, findings::Mode::Trace);
        let row = decide::decide(&findings::facts(cs, setup, &found));
        explain::explain(cs, setup, request, &target, &mut found, row)
    }
}

/// The decision, on the lifetime the set and the request share (the
/// findings borrow from both; a decision keeps none of it).
fn decide_with<'r>(cs: &CompiledSet<'r, 'r>, request: &'r Request<'r>, setup: &setup::Setup<'r>) -> Decision {
    let target = target(cs, setup, request);
    let found = findings::collect(cs, setup, &target, findings::Mode::Decision);
    decide::decide(&findings::facts(cs, setup, &found)).decision()
}

/// The request as the statements of `cs` see it.
fn target<'t, 'a>(
    cs: &CompiledSet<'_, '_>,
    setup: &'t setup::Setup<'a>,
    request: &'a Request<'a>,
) -> statement::Target<'t, 'a> {
    statement::Target {
        action: setup.act.action,
        service: compile::service_id(&cs.services, &setup.act.service),
        resource: &request.resource.value,
        resource_parts: setup.base.resource_parts,
        kms_key: setup.act.kms_key,
        who: principal::Who {
            caller: &setup.base.caller,
            context: &setup.base.context,
            has_boundary: cs.set.boundary.is_some() && setup.has_identity(),
            federated_without_session_policy: setup.base.caller.kind == crate::request::PrincipalKind::FederatedUser
                && cs.set.session.is_empty(),
            gateway_allow: false,
        },
    }
}

#[cfg(test)]
mod tests;
