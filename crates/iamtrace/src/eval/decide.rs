//! The decision: one table, read top to bottom in the order of AWS's policy
//! evaluation flowchart
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>,
//! cross-account: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>).
//! The stages before it only collect what matched ([`super::findings`]);
//! the trace is built from the row chosen here ([`super::explain`]). The
//! same table is written out in `docs/semantics.md`.

use crate::trace::{Decision, Grant, Stage};

/// What a gate (RCP levels, SCP levels, the VPC endpoint policy, the
/// boundary) concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// No such policies take part in this request.
    Absent,
    /// Every level (or the one policy) allows.
    Allows,
    /// This level (0 for single policies) has no applicable Allow.
    NoAllow(usize),
}

/// What the session policies concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionGate {
    /// The caller is not a session (no session policies can exist).
    NotSession,
    /// A role session created without session policies: the role's
    /// permissions apply unchanged.
    NonePassed,
    /// A federated user without session policies: no permissions except
    /// what resource policies grant its own ARN (SPEC §9.1).
    NonePassedFederated,
    /// A root session from AssumeRoot whose task policy the scenario does
    /// not give: nothing is known to be allowed.
    NoTaskPolicy,
    /// A root session from AssumeRoot whose task policies have only Deny
    /// statements, as every task policy AWS offers does: they scope the
    /// root user's access by what they deny (read by the explicit-deny
    /// check), not by what they allow.
    TaskPolicyDeniesOnly,
    Allows,
    NoAllow,
}

/// Who is asking, for the branches of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    /// AWS services, anonymous callers and identity providers: no
    /// identity-based policies; only a resource-based policy can allow.
    WithoutIdentityPolicies,
    /// The account root user: full access to its own account by default.
    Root,
    /// IAM users, role sessions and federated users.
    WithIdentityPolicies,
}

/// Everything the table looks at, taken from the findings and the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The action is one AWS authorizes without any policy (`sts:GetCallerIdentity`).
    pub no_permission_needed: bool,
    /// The action is allowed unless a policy denies it (console sign-in):
    /// no Allow is needed.
    pub allowed_unless_denied: bool,
    /// An applicable Deny statement matched.
    pub deny: bool,
    /// The call fails whatever the policies allow: the caller's kind of
    /// credentials cannot call the action (GetFederationToken sessions and
    /// IAM or STS; AssumeRole sessions and GetFederationToken or
    /// GetSessionToken; ...), or the service answers it only within one
    /// account (KMS key operations without cross-account use, S3's bucket
    /// policy operations).
    pub credentials_cannot_call: bool,
    pub rcp: Gate,
    pub scp: Gate,
    pub vpce: Gate,
    /// The principal and the resource are in different partitions.
    pub cross_partition: bool,
    pub caller: Caller,
    /// The resource-based policy is a role's trust policy (`sts:AssumeRole*` on a role).
    pub trust: bool,
    /// The resource-based policy is a KMS key policy.
    pub key_policy: bool,
    /// The principal's account differs from the resource's.
    pub cross_account: bool,
    /// The strongest grant among the resource-based policy's applicable
    /// Allow statements (`None`: no such policy, or no statement applies).
    pub resource: Option<Grant>,
    /// An identity-based policy allows.
    pub identity: bool,
    pub boundary: Gate,
    pub session: SessionGate,
}

/// One row of the table: the decision and the stage that took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    NoPermissionNeeded,
    ExplicitDeny,
    CredentialsCannotCall,
    RcpNoAllow(usize),
    ScpNoAllow(usize),
    VpceNoAllow,
    AllowedUnlessDenied,
    CrossPartition,
    ResourceOnlyAllow,
    ResourceOnlyNoAllow,
    RootCannotAssumeRole,
    RootOwnAccount,
    RootResourcePolicyAllow,
    RootResourcePolicyNoAllow,
    DirectGrant,
    RequiredPolicyNoAllow,
    NoIdentityAllow,
    BoundaryNoAllow,
    SessionNoAllow,
    SameAccountAllow,
    CrossAccountAllow,
    /// Across accounts one side does not allow; the stage is the first that
    /// failed (resource-based policy, identity, boundary, session).
    CrossAccountNoAllow(Stage),
}

/// A grant that stands on its own in the same account (SPEC §5.4): a
/// statement naming the user, the role session or the federated user
/// itself, or `*` (narrowed by `aws:PrincipalArn` or not).
fn direct(g: Option<Grant>) -> bool {
    matches!(g, Some(Grant::Direct | Grant::Everyone))
}

/// Picks the row. Each arm is one row of the table in `docs/semantics.md`,
/// in AWS's order; the first that fits decides.
pub(crate) fn decide(f: &Facts) -> Row {
    use Caller::{Root, WithIdentityPolicies as Identity, WithoutIdentityPolicies as NoIdentity};
    let limits_ok = !matches!(f.boundary, Gate::NoAllow(_))
        && matches!(
            f.session,
            SessionGate::NotSession | SessionGate::NonePassed | SessionGate::Allows | SessionGate::TaskPolicyDeniesOnly
        );
    match f {
        // 0. Actions that need no permission at all: AWS answers them even
        //    when a policy denies them explicitly.
        Facts { no_permission_needed: true, .. } => Row::NoPermissionNeeded,
        // 1. An explicit deny in any applicable policy ends the evaluation.
        Facts { deny: true, .. } => Row::ExplicitDeny,
        // 1a. Some credentials cannot call some APIs at all, and some
        //     operations work only within one account, whatever the
        //     policies allow.
        Facts { credentials_cannot_call: true, .. } => Row::CredentialsCannotCall,
        // 2. Resource control policies: every level must allow.
        Facts { rcp: Gate::NoAllow(level), .. } => Row::RcpNoAllow(*level),
        // 3. Service control policies: every level must allow.
        Facts { scp: Gate::NoAllow(level), .. } => Row::ScpNoAllow(*level),
        // 4. The VPC endpoint policy must allow requests through the endpoint.
        Facts { vpce: Gate::NoAllow(_), .. } => Row::VpceNoAllow,
        // 4a. Console sign-in is allowed by default: past the denies and
        //     the organization's gates, no Allow is needed.
        Facts { allowed_unless_denied: true, .. } => Row::AllowedUnlessDenied,
        // 5. No policy grants across partitions.
        Facts { cross_partition: true, .. } => Row::CrossPartition,
        // 6. Services, anonymous callers, identity providers: only the
        //    resource-based policy can allow.
        Facts { caller: NoIdentity, resource: Some(_), .. } => Row::ResourceOnlyAllow,
        Facts { caller: NoIdentity, .. } => Row::ResourceOnlyNoAllow,
        // 7. The root user cannot assume roles.
        Facts { caller: Root, trust: true, .. } => Row::RootCannotAssumeRole,
        // 8. The root user has full access to its own account (a KMS key
        //    policy must still allow it); a root session from AssumeRoot
        //    only within its task policy.
        Facts { caller: Root, cross_account: false, key_policy: false, .. } => {
            if limits_ok {
                Row::RootOwnAccount
            } else {
                Row::SessionNoAllow
            }
        }
        // 9. Otherwise (another account's resource, a key policy) the
        //    resource-based policy must allow the root user (and the task
        //    policy a root session).
        Facts { caller: Root, resource: Some(_), .. } => {
            if limits_ok {
                Row::RootResourcePolicyAllow
            } else {
                Row::SessionNoAllow
            }
        }
        Facts { caller: Root, .. } => Row::RootResourcePolicyNoAllow,
        // 10. Same account: a resource-based policy naming the caller itself
        //     (or `*`) allows whatever the identity side says; a federated
        //     user without session policies only through a grant to its own
        //     ARN, which `*` is not.
        Facts {
            caller: Identity,
            cross_account: false,
            session: SessionGate::NonePassedFederated,
            resource: Some(Grant::Everyone),
            ..
        } => Row::SessionNoAllow,
        // 10a. A trust policy naming the caller still needs the caller's
        //      permissions boundary to allow `sts:AssumeRole`.
        Facts { caller: Identity, cross_account: false, trust: true, boundary: Gate::NoAllow(_), resource, .. }
            if direct(*resource) =>
        {
            Row::BoundaryNoAllow
        }
        Facts { caller: Identity, cross_account: false, resource, .. } if direct(*resource) => Row::DirectGrant,
        // 11. Same account: a trust policy or key policy must itself allow.
        Facts { caller: Identity, cross_account: false, trust: true, resource: None, .. }
        | Facts { caller: Identity, cross_account: false, key_policy: true, resource: None, .. } => {
            Row::RequiredPolicyNoAllow
        }
        // 12. Same account: an identity-based policy must allow, unless the
        //     resource-based policy names the session's role or the
        //     federated user's IAM user.
        Facts { caller: Identity, cross_account: false, identity: false, resource, .. }
            if *resource != Some(Grant::Entity) =>
        {
            Row::NoIdentityAllow
        }
        // 13. The permissions boundary must allow.
        Facts { caller: Identity, cross_account: false, boundary: Gate::NoAllow(_), .. } => Row::BoundaryNoAllow,
        // 14. Session policies must allow (a federated user needs one).
        Facts { caller: Identity, cross_account: false, .. } if !limits_ok => Row::SessionNoAllow,
        // 15. Same account: allowed.
        Facts { caller: Identity, cross_account: false, .. } => Row::SameAccountAllow,
        // 16. Across accounts both sides must allow: the resource's account
        //     through its resource-based policy, the principal's through
        //     identity policies within the boundary and session policies.
        Facts { resource: Some(_), identity: true, .. } if limits_ok => Row::CrossAccountAllow,
        Facts { resource: None, .. } => Row::CrossAccountNoAllow(Stage::ResourcePolicy),
        Facts { identity: false, .. } => Row::CrossAccountNoAllow(Stage::Identity),
        Facts { boundary: Gate::NoAllow(_), .. } => Row::CrossAccountNoAllow(Stage::Boundary),
        Facts { .. } => Row::CrossAccountNoAllow(Stage::Session),
    }
}

impl Row {
    pub(crate) fn decision(self) -> Decision {
        match self {
            Row::NoPermissionNeeded
            | Row::AllowedUnlessDenied
            | Row::ResourceOnlyAllow
            | Row::RootOwnAccount
            | Row::RootResourcePolicyAllow
            | Row::DirectGrant
            | Row::SameAccountAllow
            | Row::CrossAccountAllow => Decision::Allow,
            Row::ExplicitDeny => Decision::ExplicitDeny,
            Row::CredentialsCannotCall
            | Row::RcpNoAllow(_)
            | Row::ScpNoAllow(_)
            | Row::VpceNoAllow
            | Row::CrossPartition
            | Row::ResourceOnlyNoAllow
            | Row::RootCannotAssumeRole
            | Row::RootResourcePolicyNoAllow
            | Row::RequiredPolicyNoAllow
            | Row::NoIdentityAllow
            | Row::BoundaryNoAllow
            | Row::SessionNoAllow
            | Row::CrossAccountNoAllow(_) => Decision::ImplicitDeny,
        }
    }
}

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;
