//! One test per row of the decision table: the facts that lead to it, and
//! the decision it gives.

use super::{decide, Caller, Facts, Gate, Row, SessionGate};
use crate::trace::{Decision, Grant, Stage};

/// A same-account IAM user whom an identity policy allows, nothing else.
fn base() -> Facts {
    Facts {
        no_permission_needed: false,
        allowed_unless_denied: false,
        deny: false,
        credentials_cannot_call: false,
        rcp: Gate::Absent,
        scp: Gate::Absent,
        vpce: Gate::Absent,
        cross_partition: false,
        caller: Caller::WithIdentityPolicies,
        trust: false,
        key_policy: false,
        cross_account: false,
        resource: None,
        identity: true,
        boundary: Gate::Absent,
        session: SessionGate::NotSession,
    }
}

fn row(f: Facts) -> (Row, Decision) {
    let r = decide(&f);
    (r, r.decision())
}

const ALLOW: Decision = Decision::Allow;
const IMPLICIT: Decision = Decision::ImplicitDeny;

#[rustfmt::skip]
mod rows {
    use super::*;

    #[test] fn r00_no_permission_needed() { assert_eq!(row(Facts { no_permission_needed: true, deny: true, identity: false, ..base() }), (Row::NoPermissionNeeded, ALLOW)); }
    #[test] fn r01_explicit_deny() { assert_eq!(row(Facts { deny: true, resource: Some(Grant::Direct), ..base() }), (Row::ExplicitDeny, Decision::ExplicitDeny)); }
    #[test] fn r01a_credentials_cannot_call() { assert_eq!(row(Facts { credentials_cannot_call: true, resource: Some(Grant::Direct), ..base() }), (Row::CredentialsCannotCall, IMPLICIT)); }
    #[test] fn r01a_explicit_deny_comes_first() { assert_eq!(row(Facts { credentials_cannot_call: true, deny: true, ..base() }), (Row::ExplicitDeny, Decision::ExplicitDeny)); }
    #[test] fn r02_rcp_level_without_allow() { assert_eq!(row(Facts { rcp: Gate::NoAllow(1), scp: Gate::NoAllow(0), ..base() }), (Row::RcpNoAllow(1), IMPLICIT)); }
    #[test] fn r03_scp_level_without_allow() { assert_eq!(row(Facts { rcp: Gate::Allows, scp: Gate::NoAllow(2), ..base() }), (Row::ScpNoAllow(2), IMPLICIT)); }
    #[test] fn r04_vpc_endpoint_without_allow() { assert_eq!(row(Facts { vpce: Gate::NoAllow(0), ..base() }), (Row::VpceNoAllow, IMPLICIT)); }
    #[test] fn r04a_allowed_unless_denied() { assert_eq!(row(Facts { allowed_unless_denied: true, identity: false, boundary: Gate::NoAllow(0), ..base() }), (Row::AllowedUnlessDenied, ALLOW)); }
    #[test] fn r04a_a_deny_still_denies() { assert_eq!(row(Facts { allowed_unless_denied: true, deny: true, ..base() }), (Row::ExplicitDeny, Decision::ExplicitDeny)); }
    #[test] fn r04a_after_the_scps() { assert_eq!(row(Facts { allowed_unless_denied: true, scp: Gate::NoAllow(0), ..base() }), (Row::ScpNoAllow(0), IMPLICIT)); }
    #[test] fn r05_cross_partition() { assert_eq!(row(Facts { cross_partition: true, resource: Some(Grant::Everyone), ..base() }), (Row::CrossPartition, IMPLICIT)); }
    #[test] fn r06_service_allowed_by_resource_policy() { assert_eq!(row(Facts { caller: Caller::WithoutIdentityPolicies, resource: Some(Grant::Service), ..base() }), (Row::ResourceOnlyAllow, ALLOW)); }
    #[test] fn r06_service_without_resource_policy() { assert_eq!(row(Facts { caller: Caller::WithoutIdentityPolicies, ..base() }), (Row::ResourceOnlyNoAllow, IMPLICIT)); }
    #[test] fn r07_root_cannot_assume_roles() { assert_eq!(row(Facts { caller: Caller::Root, trust: true, resource: Some(Grant::Account), ..base() }), (Row::RootCannotAssumeRole, IMPLICIT)); }
    #[test] fn r08_root_in_its_own_account() { assert_eq!(row(Facts { caller: Caller::Root, identity: false, ..base() }), (Row::RootOwnAccount, ALLOW)); }
    #[test] fn r08_assumed_root_session_outside_its_task_policy() { assert_eq!(row(Facts { caller: Caller::Root, identity: false, session: SessionGate::NoAllow, ..base() }), (Row::SessionNoAllow, IMPLICIT)); }
    #[test] fn r08_assumed_root_session_without_task_policy() { assert_eq!(row(Facts { caller: Caller::Root, identity: false, session: SessionGate::NoTaskPolicy, ..base() }), (Row::SessionNoAllow, IMPLICIT)); }
    #[test] fn r08_assumed_root_session_with_a_deny_only_task_policy() { assert_eq!(row(Facts { caller: Caller::Root, identity: false, session: SessionGate::TaskPolicyDeniesOnly, ..base() }), (Row::RootOwnAccount, ALLOW)); }
    #[test] fn r08_assumed_root_session_within_its_task_policy() { assert_eq!(row(Facts { caller: Caller::Root, identity: false, session: SessionGate::Allows, ..base() }), (Row::RootOwnAccount, ALLOW)); }
    #[test] fn r09_root_session_key_policy_allows_but_not_the_task_policy() { assert_eq!(row(Facts { caller: Caller::Root, key_policy: true, resource: Some(Grant::Account), session: SessionGate::NoAllow, ..base() }), (Row::SessionNoAllow, IMPLICIT)); }
    #[test] fn r09_root_allowed_by_the_other_accounts_policy() { assert_eq!(row(Facts { caller: Caller::Root, cross_account: true, resource: Some(Grant::Account), ..base() }), (Row::RootResourcePolicyAllow, ALLOW)); }
    #[test] fn r09_root_and_a_key_policy_that_does_not_allow() { assert_eq!(row(Facts { caller: Caller::Root, key_policy: true, ..base() }), (Row::RootResourcePolicyNoAllow, IMPLICIT)); }
    #[test] fn r10_resource_policy_names_the_caller() { assert_eq!(row(Facts { resource: Some(Grant::Direct), identity: false, boundary: Gate::NoAllow(0), ..base() }), (Row::DirectGrant, ALLOW)); }
    #[test] fn r10a_trust_policy_naming_the_caller_needs_the_boundary() { assert_eq!(row(Facts { trust: true, resource: Some(Grant::Direct), identity: false, boundary: Gate::NoAllow(0), ..base() }), (Row::BoundaryNoAllow, IMPLICIT)); }
    #[test] fn r10a_trust_policy_naming_the_caller_within_the_boundary() { assert_eq!(row(Facts { trust: true, resource: Some(Grant::Direct), identity: false, boundary: Gate::Allows, ..base() }), (Row::DirectGrant, ALLOW)); }
    #[test] fn r10_resource_policy_allows_everyone() { assert_eq!(row(Facts { resource: Some(Grant::Everyone), identity: false, ..base() }), (Row::DirectGrant, ALLOW)); }
    #[test] fn r10_everyone_is_not_a_federated_users_own_arn() { assert_eq!(row(Facts { resource: Some(Grant::Everyone), session: SessionGate::NonePassedFederated, ..base() }), (Row::SessionNoAllow, IMPLICIT)); }
    #[test] fn r10_federated_user_named_in_resource_policy() { assert_eq!(row(Facts { resource: Some(Grant::Direct), identity: false, session: SessionGate::NonePassedFederated, ..base() }), (Row::DirectGrant, ALLOW)); }
    #[test] fn r11_trust_policy_must_allow() { assert_eq!(row(Facts { trust: true, ..base() }), (Row::RequiredPolicyNoAllow, IMPLICIT)); }
    #[test] fn r11_key_policy_must_allow() { assert_eq!(row(Facts { key_policy: true, ..base() }), (Row::RequiredPolicyNoAllow, IMPLICIT)); }
    #[test] fn r12_no_identity_allow() { assert_eq!(row(Facts { identity: false, resource: Some(Grant::Account), ..base() }), (Row::NoIdentityAllow, IMPLICIT)); }
    #[test] fn r12_role_named_in_resource_policy_needs_no_identity_allow() { assert_eq!(row(Facts { identity: false, resource: Some(Grant::Entity), session: SessionGate::NonePassed, ..base() }), (Row::SameAccountAllow, ALLOW)); }
    #[test] fn r13_boundary_without_allow() { assert_eq!(row(Facts { boundary: Gate::NoAllow(0), ..base() }), (Row::BoundaryNoAllow, IMPLICIT)); }
    #[test] fn r14_session_policy_without_allow() { assert_eq!(row(Facts { session: SessionGate::NoAllow, boundary: Gate::Allows, ..base() }), (Row::SessionNoAllow, IMPLICIT)); }
    #[test] fn r14_federated_user_without_session_policy() { assert_eq!(row(Facts { session: SessionGate::NonePassedFederated, ..base() }), (Row::SessionNoAllow, IMPLICIT)); }
    #[test] fn r15_same_account_allow() { assert_eq!(row(Facts { boundary: Gate::Allows, session: SessionGate::Allows, ..base() }), (Row::SameAccountAllow, ALLOW)); }
    #[test] fn r16_cross_account_both_allow() { assert_eq!(row(Facts { cross_account: true, resource: Some(Grant::Account), ..base() }), (Row::CrossAccountAllow, ALLOW)); }
    #[test] fn r16_cross_account_direct_grant_still_needs_identity() { assert_eq!(row(Facts { cross_account: true, resource: Some(Grant::Direct), identity: false, ..base() }), (Row::CrossAccountNoAllow(Stage::Identity), IMPLICIT)); }
    #[test] fn r16_cross_account_without_resource_policy() { assert_eq!(row(Facts { cross_account: true, ..base() }), (Row::CrossAccountNoAllow(Stage::ResourcePolicy), IMPLICIT)); }
    #[test] fn r16_cross_account_boundary() { assert_eq!(row(Facts { cross_account: true, resource: Some(Grant::Account), boundary: Gate::NoAllow(0), ..base() }), (Row::CrossAccountNoAllow(Stage::Boundary), IMPLICIT)); }
    #[test] fn r16_cross_account_session() { assert_eq!(row(Facts { cross_account: true, resource: Some(Grant::Account), session: SessionGate::NoAllow, ..base() }), (Row::CrossAccountNoAllow(Stage::Session), IMPLICIT)); }
}
