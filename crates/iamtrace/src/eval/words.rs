//! The English of the trace: the request facts and every sentence a step
//! says. Decisions are taken elsewhere ([`super::decide`]); this file only
//! words them.

use super::scope::{RcpScope, ScpScope};
use super::setup::Setup;
use super::PolicySet;
use crate::policy::PolicyKind;
use crate::request::{PrincipalKind, Request};
use crate::text::cat;
use crate::trace::{Applicability, DerivedFrom, DerivedKey, RequestFacts};

fn derived_from(source: DerivedFrom) -> &'static str {
    match source {
        DerivedFrom::PrincipalArn => "the principal ARN",
        DerivedFrom::SessionRole => "the session's role",
        DerivedFrom::PrincipalKind => "the principal kind",
        DerivedFrom::UserName => "the IAM user name",
        DerivedFrom::RootAccount => "the root user's account",
        DerivedFrom::FederatedUser => "the federated user name",
        DerivedFrom::Anonymous => "anonymous callers",
        DerivedFrom::ResourceAccount => "the resource's account",
        DerivedFrom::SameAccountAssumed => {
            "the principal's account (the resource's account is not given; the request is taken to be same-account)"
        }
    }
}

pub(super) fn scp_reason(setup: &Setup<'_>, set: &PolicySet<'_>) -> String {
    match setup.scp {
        ScpScope::NotAnAccountPrincipal => {
            cat!["SCPs apply to principals of member accounts, not to ", setup.caller.kind.describe()]
        }
        ScpScope::ServiceLinkedRole => "SCPs do not restrict service-linked roles".to_owned(),
        ScpScope::ManagementAccount => "SCPs do not apply to principals in the management account".to_owned(),
        ScpScope::Applies => cat![set.scp.len(), " SCP level(s) of the principal's account"],
    }
}

pub(super) fn rcp_reason(setup: &Setup<'_>, set: &PolicySet<'_>) -> String {
    match setup.rcp() {
        RcpScope::ServiceLinkedRole => "RCPs do not restrict service-linked roles".to_owned(),
        RcpScope::ManagementAccount => "RCPs do not apply to resources in the management account".to_owned(),
        RcpScope::RetireGrant => "RCPs never restrict `kms:RetireGrant`".to_owned(),
        RcpScope::UnsupportedService => {
            cat!["RCPs do not cover `", setup.service, "` (not in the list of services RCPs support)"]
        }
        RcpScope::Applies => {
            cat![set.rcp.len(), " RCP level(s) of the resource's account; they apply to every caller"]
        }
    }
}

/// Which policy kinds take part, and why (for the kinds the scenario has).
fn applicability(setup: &Setup<'_>, set: &PolicySet<'_>) -> Vec<Applicability> {
    let mut policies = Vec::new();
    let mut add = |kind: PolicyKind, applies: bool, reason: String| {
        let count = set.count(kind);
        if count > 0 {
            policies.push(Applicability { kind, count, applies, reason });
        }
    };
    add(PolicyKind::Scp, setup.scp == ScpScope::Applies, scp_reason(setup, set));
    add(PolicyKind::Rcp, setup.rcp() == RcpScope::Applies, rcp_reason(setup, set));
    add(PolicyKind::Vpce, true, "the request goes through the VPC endpoint".to_owned());
    let rbp_reason =
        if setup.trust { "the role's trust policy must allow the caller" } else { "the resource's own policy" };
    add(PolicyKind::Resource, true, rbp_reason.to_owned());
    let kind = setup.caller.kind;
    let (id_applies, id_reason) = match kind {
        PrincipalKind::User => (true, "the user's policies".to_owned()),
        PrincipalKind::RoleSession => (true, "the role's policies".to_owned()),
        PrincipalKind::FederatedUser => (true, "the policies of the IAM user who federated".to_owned()),
        PrincipalKind::Root => (false, "the root user cannot have identity-based policies".to_owned()),
        k => (false, cat![k.describe(), " has no identity-based policies"]),
    };
    add(PolicyKind::Identity, id_applies, id_reason.clone());
    let boundary_reason = if id_applies { "limits the identity's permissions".to_owned() } else { id_reason };
    add(PolicyKind::Boundary, id_applies, boundary_reason);
    let (sess_applies, sess_reason) = if setup.caller.is_session() {
        (true, "passed when the session was created".to_owned())
    } else {
        (false, cat!["session policies only exist for role sessions and federated users, not for ", kind.describe()])
    };
    add(PolicyKind::Session, sess_applies, sess_reason);
    policies
}

/// The normalised request, for the first step.
pub(super) fn request_facts(setup: &Setup<'_>, set: &PolicySet<'_>, req: &Request<'_>) -> RequestFacts {
    let c = &setup.caller;
    let derived_keys = setup
        .derived_keys()
        .map(|(key, source)| DerivedKey {
            key: std::borrow::Cow::Borrowed(key),
            value: match setup.context.get(key).map(|e| &e.value) {
                Some(crate::request::ContextValue::Single(v)) => v.to_string(),
                Some(v) => v.iter().collect::<Vec<_>>().join(","),
                None => String::new(),
            },
            source,
            from: std::borrow::Cow::Borrowed(derived_from(source)),
        })
        .collect();
    RequestFacts {
        principal: c.text.to_owned(),
        principal_kind: c.kind,
        principal_account: c.account.map(str::to_owned),
        session_parent: c.parent.as_deref().map(str::to_owned),
        session_parent_source: c.parent_source,
        action: req.action.value.to_string(),
        service: setup.service.to_string(),
        resource: req.resource.value.to_string(),
        resource_account: setup.resource_account.as_deref().map(str::to_owned),
        resource_account_source: setup.resource_account_source,
        cross_account: setup.cross_known,
        derived_keys,
        policies: applicability(setup, set),
    }
}

/// The first step's one-line summary.
pub(super) fn request_summary(f: &RequestFacts) -> String {
    let who = f.principal_kind.describe();
    let head = [who, " asks for `", &f.action, "` on `", &f.resource, "`"];
    match (&f.principal_account, &f.resource_account, f.cross_account) {
        (Some(p), Some(r), Some(true)) => cat![head, "; cross-account: principal in ", p, ", resource in ", r],
        (Some(p), Some(_), _) => cat![head, "; same account (", p, ")"],
        (Some(p), None, _) => cat![head, "; resource account unknown, taken to be the principal's (", p, ")"],
        _ => cat![head],
    }
}
