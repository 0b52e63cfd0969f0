//! Evaluation: the request against every policy, in AWS's order (SPEC §5).

mod compile;
mod decide;
mod explain;
mod findings;
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
use crate::trace::{Answer, Decision, PolicyRef};

/// A policy with its place in the scenario.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub policy: Policy<'a>,
    pub reference: PolicyRef,
}

impl<'a> Named<'a> {
    /// Wraps a policy; `index` and `level` locate it within its kind.
    pub fn new(policy: Policy<'a>, index: usize, level: Option<usize>, name: Option<String>) -> Self {
        let reference = PolicyRef { kind: policy.kind, index, level, name: name.map(Into::into), doc: policy.doc };
        Named { policy, reference }
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

impl<'s, 'a> CompiledSet<'s, 'a> {
    /// The decision alone: the fastest way to evaluate a request, with the
    /// same rules as [`CompiledSet::evaluate`] and no trace.
    pub fn decide<'r>(&self, request: &'r Request<'r>) -> Result<Decision, Vec<Diagnostic>>
    where
        'a: 'r,
    {
        let cs: &CompiledSet<'_, 'r> = self;
        let setup = setup::setup(request)?;
        let target = target(cs, &setup, request);
        let found = findings::collect(cs, &setup, &target, findings::Mode::Decision);
        Ok(decide::decide(&findings::facts(cs, &setup, &found)).decision())
    }

    /// The decision and the full, ordered trace that explains it.
    pub fn evaluate<'r>(&self, request: &'r Request<'r>) -> Result<Answer<'r>, Vec<Diagnostic>>
    where
        'a: 'r,
    {
        let cs: &CompiledSet<'_, 'r> = self;
        let setup = setup::setup(request)?;
        let target = target(cs, &setup, request);
        let found = findings::collect(cs, &setup, &target, findings::Mode::Trace);
        let row = decide::decide(&findings::facts(cs, &setup, &found));
        Ok(explain::explain(cs, &setup, request, &target, found, row))
    }
}

/// The request as statements see it.
fn target<'t, 'a>(
    cs: &CompiledSet<'_, '_>,
    setup: &'t setup::Setup<'a>,
    request: &'a Request<'a>,
) -> statement::Target<'t, 'a> {
    statement::Target {
        action: &request.action.value,
        service: compile::service_id(&cs.services, &setup.service),
        resource: &request.resource.value,
        resource_parts: crate::arn::part_offsets(&request.resource.value),
        who: principal::Who {
            caller: &setup.caller,
            context: &setup.context,
            has_boundary: cs.set.boundary.is_some() && setup.has_identity(),
        },
    }
}

#[cfg(test)]
mod tests;
