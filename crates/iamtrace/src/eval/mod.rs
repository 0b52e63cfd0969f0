//! Evaluation: the request against every policy, in AWS's order (SPEC §5).

mod chain;
mod paths;
mod principal;
mod setup;
mod statement;

use crate::diagnostic::Diagnostic;
use crate::policy::{Policy, PolicyKind};
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

/// Every policy that may take part in a request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    pub identity: Vec<Named<'a>>,
    pub resource: Option<Named<'a>>,
    pub boundary: Option<Named<'a>>,
    pub session: Vec<Named<'a>>,
    /// Levels from the organization root down to the principal's account.
    pub scp: Vec<Vec<Named<'a>>>,
    /// Levels from the organization root down to the resource's account.
    pub rcp: Vec<Vec<Named<'a>>>,
    pub vpce: Option<Named<'a>>,
}

impl<'a> PolicySet<'a> {
    /// Every policy, in evaluation order.
    pub fn iter(&self) -> impl Iterator<Item = &Named<'a>> {
        self.scp
            .iter()
            .flatten()
            .chain(self.rcp.iter().flatten())
            .chain(self.vpce.iter())
            .chain(self.resource.iter())
            .chain(self.identity.iter())
            .chain(self.boundary.iter())
            .chain(self.session.iter())
    }

    /// Adds a policy of `kind` at the end of its list (SCPs and RCPs: to
    /// the last level, creating the first).
    pub fn push(&mut self, policy: Policy<'a>, name: Option<String>) {
        let (index, level) = match policy.kind {
            PolicyKind::Identity => (self.identity.len(), None),
            PolicyKind::Session => (self.session.len(), None),
            PolicyKind::Resource | PolicyKind::Boundary | PolicyKind::Vpce => (0, None),
            PolicyKind::Scp => (self.scp.last().map_or(0, Vec::len), Some(self.scp.len().saturating_sub(1))),
            PolicyKind::Rcp => (self.rcp.last().map_or(0, Vec::len), Some(self.rcp.len().saturating_sub(1))),
        };
        self.insert(Named::new(policy, index, level, name));
    }

    /// Puts `named` where its reference says: at the end of its kind's list
    /// (SCPs and RCPs: of its level, adding levels up to it), or as its
    /// kind's one policy.
    pub fn insert(&mut self, named: Named<'a>) {
        let kind = named.reference.kind;
        match kind {
            PolicyKind::Identity => self.identity.push(named),
            PolicyKind::Session => self.session.push(named),
            PolicyKind::Resource => self.resource = Some(named),
            PolicyKind::Boundary => self.boundary = Some(named),
            PolicyKind::Vpce => self.vpce = Some(named),
            PolicyKind::Scp | PolicyKind::Rcp => {
                let levels = if kind == PolicyKind::Scp { &mut self.scp } else { &mut self.rcp };
                let level = named.reference.level.unwrap_or(0);
                if levels.len() <= level {
                    levels.resize_with(level + 1, Vec::new);
                }
                if let Some(v) = levels.get_mut(level) {
                    v.push(named);
                }
            }
        }
    }
}

/// Decides the request and explains the decision. Fails only when the
/// request itself is malformed (bad principal, action or resource).
pub fn evaluate<'a>(policies: &'a PolicySet<'a>, request: &'a Request<'a>) -> Result<Answer<'a>, Vec<Diagnostic>> {
    let setup = setup::setup(policies, request)?;
    Ok(chain::run(policies, request, setup))
}

#[cfg(test)]
mod tests;
