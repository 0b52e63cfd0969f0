//! The English of the trace: the request facts and every sentence a step
//! says. Decisions are taken elsewhere ([`super::decide`]); this file only
//! words them.

use super::scope::{RcpScope, ScpScope};
use super::setup::Setup;
use super::PolicySet;
use crate::policy::PolicyKind;
use crate::request::{PrincipalKind, Request};
use std::borrow::Cow;

use crate::text::cat;
use crate::trace::{Applicability, DerivedFrom, DerivedKey, RequestFacts, Stage};

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
        DerivedFrom::ServicePrincipal => "the service principal",
        DerivedFrom::SameAccountAssumed => {
            "the principal's account (the resource's account is not given; the request is taken to be same-account)"
        }
    }
}

/// How many SCP or RCP levels take part, in words: fixed texts for the
/// counts most organizations have, and the words after any count.
type Levels = ([&'static str; 3], &'static str);

const SCP_LEVELS: Levels = (
    [
        "1 SCP level(s) of the principal's account",
        "2 SCP level(s) of the principal's account",
        "3 SCP level(s) of the principal's account",
    ],
    " SCP level(s) of the principal's account",
);

const RCP_LEVELS: Levels = (
    [
        "1 RCP level(s) of the resource's account; they apply to every caller",
        "2 RCP level(s) of the resource's account; they apply to every caller",
        "3 RCP level(s) of the resource's account; they apply to every caller",
    ],
    " RCP level(s) of the resource's account; they apply to every caller",
);

fn levels(n: usize, (fixed, text): Levels) -> Cow<'static, str> {
    match n.checked_sub(1).and_then(|i| fixed.get(i)) {
        Some(fixed) => Cow::Borrowed(fixed),
        None => Cow::Owned(cat![n, text]),
    }
}

pub(super) fn scp_reason(setup: &Setup<'_>, set: &PolicySet<'_>) -> Cow<'static, str> {
    match setup.act.scp {
        ScpScope::NotAnAccountPrincipal => {
            Cow::Owned(cat!["SCPs apply to principals of member accounts, not to ", setup.base.caller.kind.describe()])
        }
        ScpScope::ServiceLinkedRole => Cow::Borrowed("SCPs do not restrict service-linked roles"),
        ScpScope::ManagementAccount => Cow::Borrowed("SCPs do not apply to principals in the management account"),
        ScpScope::Applies => levels(set.scp.len(), SCP_LEVELS),
    }
}

pub(super) fn rcp_reason(setup: &Setup<'_>, set: &PolicySet<'_>) -> Cow<'static, str> {
    match setup.rcp() {
        RcpScope::ServiceLinkedRole => Cow::Borrowed("RCPs do not restrict service-linked roles"),
        RcpScope::ManagementAccount => Cow::Borrowed("RCPs do not apply to resources in the management account"),
        RcpScope::RetireGrant => Cow::Borrowed("RCPs never restrict `kms:RetireGrant`"),
        RcpScope::UnsupportedService => {
            Cow::Owned(cat!["RCPs do not cover `", setup.act.service, "` (not in the list of services RCPs support)"])
        }
        RcpScope::Applies => levels(set.rcp.len(), RCP_LEVELS),
    }
}

/// Which policy kinds take part, and why (for the kinds the scenario has).
fn applicability(setup: &Setup<'_>, set: &PolicySet<'_>) -> Vec<Applicability> {
    let mut policies = Vec::with_capacity(super::EVALUATION_ORDER.len());
    let mut add = |kind: PolicyKind, applies: bool, reason: Cow<'static, str>| {
        let count = set.count(kind);
        if count > 0 {
            policies.push(Applicability { kind, count, applies, reason });
        }
    };
    // The org policies' reasons are worded only for a set that has them.
    if set.count(PolicyKind::Scp) > 0 {
        add(PolicyKind::Scp, setup.act.scp == ScpScope::Applies, scp_reason(setup, set));
    }
    if set.count(PolicyKind::Rcp) > 0 {
        add(PolicyKind::Rcp, setup.rcp() == RcpScope::Applies, rcp_reason(setup, set));
    }
    add(PolicyKind::Vpce, true, Cow::Borrowed("the request goes through the VPC endpoint"));
    let rbp_reason = if setup.act.trust {
        "the role's trust policy must allow the caller"
    } else if !super::findings::resource_policy_can_allow(setup) {
        "only its Deny statements count: IAM's only resource-based policy, a role's trust policy, allows only STS calls"
    } else {
        "the resource's own policy"
    };
    add(PolicyKind::Resource, true, Cow::Borrowed(rbp_reason));
    let kind = setup.base.caller.kind;
    let (id_applies, id_reason) = match kind {
        PrincipalKind::User => (true, Cow::Borrowed("the user's policies")),
        PrincipalKind::RoleSession => (true, Cow::Borrowed("the role's policies")),
        PrincipalKind::FederatedUser => (true, Cow::Borrowed("the policies of the IAM user who federated")),
        PrincipalKind::Root => (false, Cow::Borrowed("the root user cannot have identity-based policies")),
        k => (false, Cow::Owned(cat![k.describe(), " has no identity-based policies"])),
    };
    add(PolicyKind::Identity, id_applies, id_reason);
    let boundary_reason = match kind {
        _ if id_applies => Cow::Borrowed("limits the identity's permissions"),
        PrincipalKind::Root => Cow::Borrowed("the root user cannot have a permissions boundary"),
        k => Cow::Owned(cat![k.describe(), " has no permissions boundary"]),
    };
    add(PolicyKind::Boundary, id_applies, boundary_reason);
    let (sess_applies, sess_reason) = if setup.base.assumed_root {
        (true, Cow::Borrowed("the task policy of a root session from AssumeRoot"))
    } else if setup.base.caller.is_session() {
        (true, Cow::Borrowed("passed when the session was created"))
    } else {
        (
            false,
            Cow::Owned(cat![
                "session policies only exist for role sessions and federated users, not for ",
                kind.describe()
            ]),
        )
    };
    add(PolicyKind::Session, sess_applies, sess_reason);
    policies
}

/// The title of the step of an SCP or RCP level (0-based): a fixed text
/// for the levels an organization can have (a root, at most five levels
/// of organizational units, the account).
pub(super) fn level_title(stage: Stage, level: usize) -> Cow<'static, str> {
    const SCP: [&str; 7] = [
        "Service control policies (level 1)",
        "Service control policies (level 2)",
        "Service control policies (level 3)",
        "Service control policies (level 4)",
        "Service control policies (level 5)",
        "Service control policies (level 6)",
        "Service control policies (level 7)",
    ];
    const RCP: [&str; 7] = [
        "Resource control policies (level 1)",
        "Resource control policies (level 2)",
        "Resource control policies (level 3)",
        "Resource control policies (level 4)",
        "Resource control policies (level 5)",
        "Resource control policies (level 6)",
        "Resource control policies (level 7)",
    ];
    let fixed = match stage {
        Stage::Scp => SCP.get(level),
        Stage::Rcp => RCP.get(level),
        _ => None,
    };
    match fixed {
        Some(title) => Cow::Borrowed(title),
        None => Cow::Owned(cat![stage.title(), " (level ", level + 1, ")"]),
    }
}

/// The normalised request, for the first step.
pub(super) fn request_facts<'a>(setup: &Setup<'a>, set: &PolicySet<'_>, req: &Request<'a>) -> RequestFacts<'a> {
    let c = &setup.base.caller;
    // At most a handful: room for all of them at once.
    let mut derived_keys = Vec::with_capacity(setup.derived_keys().count());
    derived_keys.extend(setup.derived_keys().map(|(key, source, value)| DerivedKey {
        key: Cow::Borrowed(key),
        value: match value {
            crate::request::ContextValue::Single(v) => v.clone(),
            v => Cow::Owned(v.iter().collect::<Vec<_>>().join(",")),
        },
        source,
        from: Cow::Borrowed(derived_from(source)),
    }));
    RequestFacts {
        principal: Cow::Borrowed(c.text),
        principal_kind: c.kind,
        principal_account: c.account.map(Cow::Borrowed),
        session_parent: c.parent.clone(),
        session_parent_source: c.parent_source,
        action: Cow::Borrowed(setup.act.action),
        service: setup.act.service.clone(),
        resource: req.resource.value.clone(),
        resource_account: setup.base.resource_account.clone(),
        resource_account_source: setup.base.resource_account_source,
        cross_account: setup.base.cross_known,
        derived_keys,
        policies: applicability(setup, set),
    }
}

/// The first step's one-line summary.
pub(super) fn request_summary(f: &RequestFacts<'_>) -> String {
    let who = f.principal_kind.describe();
    let head = [who, " asks for `", &f.action, "` on `", &f.resource, "`"];
    match (&f.principal_account, &f.resource_account, f.cross_account) {
        (Some(p), Some(r), Some(true)) => cat![head, "; cross-account: principal in ", p, ", resource in ", r],
        (Some(_), Some(r), Some(false)) if r == super::setup::AWS_OWNED => {
            cat![head, "; the resource is AWS's own (an AWS managed policy): the caller's policies decide"]
        }
        (Some(p), Some(_), _) => cat![head, "; same account (", p, ")"],
        (Some(p), None, _) => cat![head, "; resource account unknown, taken to be the principal's (", p, ")"],
        _ => cat![head],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed texts say what the formatted ones would.
    #[test]
    fn fixed_texts_are_the_formatted_ones() {
        for level in 0..10 {
            for stage in [Stage::Scp, Stage::Rcp] {
                assert_eq!(level_title(stage, level), cat![stage.title(), " (level ", level + 1, ")"]);
            }
        }
        for n in 0..10 {
            for words in [SCP_LEVELS, RCP_LEVELS] {
                assert_eq!(levels(n, words), cat![n, words.1]);
            }
        }
    }
}
