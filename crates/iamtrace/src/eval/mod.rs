//! Evaluation: the request against every policy, in AWS's order (SPEC §5).

mod chain;
mod paths;
mod principal;
mod setup;
mod statement;

use crate::diagnostic::Diagnostic;
use crate::policy::{ByKind, Place, Policy, PolicyKind};
use crate::request::Request;
use crate::trace::{Answer, PolicyRef};

/// A policy with its place in the scenario.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub policy: Policy<'a>,
    pub reference: PolicyRef,
}

impl<'a> Named<'a> {
    /// Wraps a policy; `index` and `level` locate it within its kind.
    pub fn new(policy: Policy<'a>, index: usize, level: Option<usize>, name: Option<String>) -> Self {
        let reference = PolicyRef { kind: policy.kind, index, level, name, doc: policy.doc };
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
/// request itself is malformed (bad principal, action or resource).
pub fn evaluate<'a>(policies: &'a PolicySet<'a>, request: &'a Request<'a>) -> Result<Answer<'a>, Vec<Diagnostic>> {
    let setup = setup::setup(policies, request)?;
    Ok(chain::run(policies, request, setup))
}

#[cfg(test)]
mod tests;
