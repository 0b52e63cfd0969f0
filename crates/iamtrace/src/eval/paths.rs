//! The steps after the gates, by kind of caller (callers without identity
//! policies, the root user, IAM users and sessions), built from the findings
//! for the row the table chose. Each branch shows what AWS's flowchart
//! shows for that caller; the row says where the evaluation stopped.

use super::compile::CompiledSet;
use super::decide::Row;
use super::explain::{allow_step, step, Builder};
use super::findings::{Findings, Found};
use super::setup::{NoPermission, Restriction, Setup};
use super::statement::Target;
use crate::request::PrincipalKind;
use crate::text::cat;
use crate::trace::{Decision, Grant, Sentence, Stage, StatementRef, Verdict};

pub(super) fn no_permission_summary(action: &str) -> String {
    cat!["`", action, "` needs no permission: AWS answers it whatever the policies say"]
}

pub(super) fn no_permission_note(which: NoPermission) -> &'static str {
    match which {
        NoPermission::CallerIdentity => {
            "AWS documents that no permission is required to call GetCallerIdentity: it works even when a policy explicitly denies it (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)"
        }
        NoPermission::SessionToken => {
            "AWS documents that no permission is required for an IAM user (or the root user) to get a session token: policies cannot control this authentication operation, not even an explicit deny (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html)"
        }
    }
}

pub(super) fn allowed_unless_denied_summary(action: &str) -> String {
    cat!["`", action, "` is allowed by default: no policy needs to allow it, and no Deny matches"]
}

pub(super) fn allowed_unless_denied_title() -> &'static str {
    "Allowed by default"
}

pub(super) fn allowed_unless_denied_note() -> &'static str {
    "console sign-in is enabled by default: policies can only block it, with a Deny (https://docs.aws.amazon.com/signin/latest/userguide/console-access-control.html)"
}

pub(super) fn restriction_summary(r: Restriction, action: &str) -> String {
    match r {
        Restriction::FederatedIam => {
            format!("credentials from GetFederationToken cannot call IAM operations such as `{action}`")
        }
        Restriction::FederatedSts => format!(
            "credentials from GetFederationToken cannot call STS operations other than GetCallerIdentity, so not `{action}`"
        ),
        Restriction::RoleSessionToken => format!("credentials from AssumeRole cannot call `{action}`"),
        Restriction::RootAssumeRoot => format!("the root user cannot call `{action}`"),
        Restriction::AnonymousSts => format!("an anonymous caller has no credentials to call `{action}`"),
        Restriction::KmsOwnAccountOnly => {
            format!("`{action}` works only on KMS keys of the caller's own account, and this key is another account's")
        }
        Restriction::BucketPolicyOwnerAccount => {
            format!("S3 answers `{action}` only for identities of the bucket owner's account (405 Method Not Allowed)")
        }
        Restriction::DynamoDbOwnAccountOnly => format!(
            "DynamoDB's resource-based policies do not open `{action}` to other accounts, and this table is another account's"
        ),
        Restriction::SqsOwnAccountOnly => {
            format!("SQS answers `{action}` only for identities of the queue's own account: cross-account permissions do not apply to it")
        }
    }
}

/// The step's title when the restriction is the service's, not the
/// credentials' (the stage stays the same).
pub(super) fn restriction_title(r: Restriction) -> Option<&'static str> {
    match r {
        Restriction::KmsOwnAccountOnly
        | Restriction::BucketPolicyOwnerAccount
        | Restriction::DynamoDbOwnAccountOnly
        | Restriction::SqsOwnAccountOnly => Some("Service restrictions"),
        _ => None,
    }
}

pub(super) fn restriction_note(r: Restriction) -> &'static str {
    match r {
        Restriction::FederatedIam | Restriction::FederatedSts => {
            "whatever the policies allow (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html, Permissions)"
        }
        Restriction::RoleSessionToken => {
            "whatever the policies allow (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)"
        }
        Restriction::RootAssumeRoot => {
            "whatever the policies allow: AssumeRoot is called by a principal of the management account, never with root user credentials (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html)"
        }
        Restriction::AnonymousSts => {
            "whatever the policies allow: of STS's operations only AssumeRoleWithWebIdentity and AssumeRoleWithSAML take unsigned requests (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts-comparison.html)"
        }
        Restriction::KmsOwnAccountOnly => {
            "whatever the key policy and the caller's policies allow: cross-account permission is effective only for the cryptographic operations, DescribeKey, GetPublicKey, GetKeyRotationStatus and the grant operations (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html)"
        }
        Restriction::BucketPolicyOwnerAccount => {
            "whatever the bucket policy allows: the calling identity must belong to the bucket owner's account; S3 answers others with 405 Method Not Allowed rather than Access Denied (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html)"
        }
        Restriction::DynamoDbOwnAccountOnly => {
            "whatever the table's policy and the caller's policies allow: for cross-account access only the item operations, DescribeTable, UpdateTable, DeleteTable, the tag operations and the stream reads can be used through resource-based policies (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-iam-actions.html)"
        }
        Restriction::SqsOwnAccountOnly => {
            "whatever the queue policy and the caller's policies allow: SQS lists the operations to which cross-account permissions don't apply (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-limitations-of-custom-policies.html)"
        }
    }
}

pub(super) fn iam_resource_policy_summary(action: &str) -> String {
    cat![
        "IAM's only resource-based policy is a role's trust policy, which allows only the STS calls that assume the role: it cannot allow `",
        action,
        "`"
    ]
}

pub(super) fn iam_resource_policy_note() -> &'static str {
    "IAM refuses a trust policy naming other actions (MalformedPolicyDocument), and IAM users, groups and policies have no resource-based policy; the policy's Deny statements are still read (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-services-that-work-with-iam.html)"
}

pub(super) fn key_policy_without_resource_note() -> &'static str {
    "in a key policy a statement without `Resource` has no effect (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)"
}

pub(super) fn rcp_full_access_summary(level: usize) -> String {
    cat!["level ", level + 1, ": `RCPFullAWSAccess` (attached by AWS, implicit) allows the request"]
}

pub(super) fn rcp_full_access_note() -> &'static str {
    "`RCPFullAWSAccess` is attached to the root, every OU and every account and cannot be detached, so every level allows and only Deny statements of RCPs restrict (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html); it is implicit here, not part of the scenario"
}

pub(super) fn rcp_detached_note() -> &'static str {
    "what-if: evaluated as if `RCPFullAWSAccess` were detached (`request.flags.rcp_full_aws_access_detached`), which AWS does not allow"
}

pub(super) fn scp_without_allow_note() -> &'static str {
    "this level has no Allow statement at all: AWS attaches `FullAWSAccess` to every level by default, so if it is still attached here, add it to the level (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html)"
}

pub(super) fn assume_root_note() -> &'static str {
    "`sts:AssumeRoot` is authorized by the caller's identity-based policies in the management (or delegated administrator) account; the member account has no resource-based policy for it (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html)"
}

/// Whether any policy of this SCP/RCP level has an Allow statement.
pub(super) fn level_has_allow(set: &crate::eval::PolicySet<'_>, kind: crate::policy::PolicyKind, level: usize) -> bool {
    set.levels(kind)
        .get(level)
        .is_some_and(|l| l.iter().any(|n| n.policy.statements.iter().any(|s| s.effect == crate::policy::Effect::Allow)))
}

/// The steps for the caller's branch; returns the decision and the
/// statements that decided.
pub(super) fn explain_path<'a>(
    b: &mut Builder<'a>,
    cs: &CompiledSet<'_, 'a>,
    setup: &Setup<'a>,
    target: &Target<'_, 'a>,
    f: &mut Findings<'a>,
    row: Row,
) -> (Decision, Vec<StatementRef>) {
    match setup.base.caller.kind {
        PrincipalKind::Service | PrincipalKind::Anonymous | PrincipalKind::WebIdentity => {
            resource_only(b, setup.base.caller.kind, f, row)
        }
        PrincipalKind::Root => root(b, cs, setup, target, f, row),
        PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser => {
            identity_principal(b, cs, setup, target, f, row)
        }
    }
}

/// Callers without identity policies: only the resource-based policy can allow.
fn resource_only<'a>(
    b: &mut Builder<'a>,
    kind: PrincipalKind,
    f: &mut Findings<'a>,
    row: Row,
) -> (Decision, Vec<StatementRef>) {
    let who = kind.describe();
    let Some(found) = f.resource.as_mut() else {
        b.push(step(
            Stage::ResourcePolicy,
            Verdict::NoAllow,
            cat![who, " can only be allowed by a resource-based policy, and the scenario has none"],
        ));
        b.mark_last();
        return (Decision::ImplicitDeny, Vec::new());
    };
    let allowed = row == Row::ResourceOnlyAllow;
    let mut s = if allowed {
        step(Stage::ResourcePolicy, Verdict::Allow, cat![found.first(), " allows ", who])
    } else {
        step(Stage::ResourcePolicy, Verdict::NoAllow, cat!["no statement of the resource-based policy allows ", who])
    };
    let refs: Vec<_> = found.refs().collect();
    s.statements = std::mem::take(&mut found.traces);
    b.push(s);
    for stage in [Stage::Identity, Stage::Boundary, Stage::Session] {
        b.push(step(stage, Verdict::NotApplicable, cat![who, " has no identity-based, boundary or session policies"]));
    }
    b.mark(Stage::ResourcePolicy);
    if allowed {
        let mut deciding = std::mem::take(&mut b.gate_allows);
        deciding.extend(refs);
        (Decision::Allow, deciding)
    } else {
        (Decision::ImplicitDeny, Vec::new())
    }
}

pub(super) fn task_policy_denies_only_note() -> &'static str {
    "AWS's task policies only deny: the session keeps the root user's access within them (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html)"
}

/// The root user's identity, boundary and session steps. A root session
/// from AssumeRoot is limited by its task policy (the scenario's session
/// policies); returns the session policies' allowing statements.
fn root_identity_steps<'a>(
    b: &mut Builder<'a>,
    cs: &CompiledSet<'_, 'a>,
    setup: &Setup<'a>,
    target: &Target<'_, 'a>,
    f: &mut Findings<'a>,
    identity: &'static str,
) -> Vec<StatementRef> {
    b.push(step(Stage::Identity, Verdict::Allow, identity));
    b.push(step(Stage::Boundary, Verdict::NotApplicable, "the root user cannot have a permissions boundary"));
    if !setup.base.assumed_root {
        b.push(step(Stage::Session, Verdict::NotApplicable, "the root user has no session policies"));
        return Vec::new();
    }
    if cs.set.session.is_empty() {
        b.push(step(
            Stage::Session,
            Verdict::NoAllow,
            "a root session from AssumeRoot can only do what its task policy allows, and the scenario gives none: add the task policy as a session policy",
        ));
        return Vec::new();
    }
    if super::findings::task_policy_denies_only(cs) {
        // Every task policy AWS offers is a list of denies.
        let mut s = step(Stage::Session, Verdict::Pass, "the task policy only denies, and none of its denies applies");
        s.notes.push(task_policy_denies_only_note().into());
        s.statements = std::mem::take(&mut f.session.traces);
        b.push(s);
        return Vec::new();
    }
    let no = ("the task policy of the root session does not allow `", "`");
    let refs = f.session.refs().collect();
    b.push(allow_step(Stage::Session, &mut f.session, no, target.action));
    refs
}

/// The account root user: full access to its own account by default
/// (within the task policy, for a root session from AssumeRoot).
fn root<'a>(
    b: &mut Builder<'a>,
    cs: &CompiledSet<'_, 'a>,
    setup: &Setup<'a>,
    target: &Target<'_, 'a>,
    f: &mut Findings<'a>,
    row: Row,
) -> (Decision, Vec<StatementRef>) {
    let cross = b.cross_account;
    // Row 8's case: the root user's own account, no key policy to ask.
    let key_policy = setup.act.kms_key && cs.set.resource.is_some();
    let own_account = !cross && !key_policy;
    match row {
        Row::RootCannotAssumeRole => {
            b.push(step(Stage::ResourcePolicy, Verdict::NoAllow, "the root user cannot assume roles"));
            b.mark_last();
            return (Decision::ImplicitDeny, Vec::new());
        }
        Row::RootOwnAccount | Row::SessionNoAllow if own_account => {
            let s = match cs.set.resource.as_ref() {
                Some(_) => step(
                    Stage::ResourcePolicy,
                    Verdict::Skipped,
                    "not needed: the root user has full access to its own account's resources",
                ),
                None => step(Stage::ResourcePolicy, Verdict::NotApplicable, "no resource-based policy"),
            };
            b.push(s);
            let session = root_identity_steps(
                b,
                cs,
                setup,
                target,
                f,
                "the root user has full access to its own account's resources by default",
            );
            if row == Row::SessionNoAllow {
                b.mark(Stage::Session);
                return (Decision::ImplicitDeny, Vec::new());
            }
            b.mark(Stage::Identity);
            let mut deciding = std::mem::take(&mut b.gate_allows);
            deciding.extend(session);
            return (Decision::Allow, deciding);
        }
        _ => {}
    }
    // The key policy, or the other account's resource policy, must allow
    // (row 9, or the session gate after it).
    let what = if !cross { "key policy" } else { "resource-based policy" };
    let resource_allows = matches!(row, Row::RootResourcePolicyAllow | Row::SessionNoAllow);
    let allowed = row == Row::RootResourcePolicyAllow;
    let refs = match f.resource.as_mut() {
        None => {
            b.push(step(
                Stage::ResourcePolicy,
                Verdict::NoAllow,
                cat!["the resource's account has no ", what, " that allows the caller"],
            ));
            Vec::new()
        }
        Some(found) => {
            let mut s = if resource_allows {
                step(
                    Stage::ResourcePolicy,
                    Verdict::Allow,
                    Sentence::statement(None, found.first(), " allows the root user"),
                )
            } else {
                step(
                    Stage::ResourcePolicy,
                    Verdict::NoAllow,
                    cat!["no statement of the ", what, " allows the root user"],
                )
            };
            let refs = found.refs().collect();
            s.statements = std::mem::take(&mut found.traces);
            b.push(s);
            refs
        }
    };
    if !resource_allows {
        b.mark_last();
    }
    let session = root_identity_steps(b, cs, setup, target, f, "the root user has full access within its own account");
    if row == Row::SessionNoAllow {
        b.mark(Stage::Session);
        return (Decision::ImplicitDeny, Vec::new());
    }
    if cross {
        let summary = if allowed {
            "both accounts allow: the resource's account through its resource-based policy, the root user's own account by default"
        } else {
            "the resource's account does not allow the request"
        };
        let mut s = step(Stage::CrossAccount, if allowed { Verdict::Allow } else { Verdict::NoAllow }, summary);
        s.decisive = allowed;
        b.push(s);
    } else if allowed {
        b.mark(Stage::ResourcePolicy);
    }
    if allowed {
        let mut deciding = std::mem::take(&mut b.gate_allows);
        deciding.extend(refs);
        deciding.extend(session);
        (Decision::Allow, deciding)
    } else {
        (Decision::ImplicitDeny, Vec::new())
    }
}

/// The resource-based policy step for users and sessions.
fn resource_step<'a>(
    b: &mut Builder<'a>,
    setup: &Setup<'a>,
    kind: PrincipalKind,
    found: Option<&mut Found<'a>>,
    key_policy: bool,
) {
    let cross = b.cross_account;
    let trust = setup.act.trust;
    let requires_rbp = trust || key_policy || cross;
    let rbp_name = if trust {
        "trust policy"
    } else if key_policy {
        "key policy"
    } else {
        "resource-based policy"
    };
    let Some(found) = found else {
        let mut s = if trust {
            step(Stage::ResourcePolicy, Verdict::NoAllow, "a role can only be assumed when its trust policy allows the caller, and the scenario has no trust policy")
        } else if cross {
            step(
                Stage::ResourcePolicy,
                Verdict::NoAllow,
                "the resource's account has no resource-based policy that allows the caller",
            )
        } else {
            step(Stage::ResourcePolicy, Verdict::NotApplicable, "no resource-based policy")
        };
        if setup.act.service == "kms" && !trust {
            s.notes.push("no key policy given: assuming the default key policy, which lets IAM policies of the key's account grant access".into());
        }
        b.push(s);
        return;
    };
    let best = if found.any { found.best } else { None };
    let label = found.first();
    let then = |then| Sentence::statement(None, label, then);
    let summary = match best {
        None => Sentence::from(cat!["no statement of the ", rbp_name, " allows the caller"]),
        Some(_) if cross => then(" allows the caller: the resource's account agrees"),
        Some(Grant::Direct) => then(" names the caller directly, so no identity policy is needed"),
        Some(Grant::Everyone) => then(" allows every principal (`*`), the caller included"),
        Some(Grant::Entity) => match kind {
            PrincipalKind::FederatedUser => {
                then(" names the IAM user behind the federated session: the boundary and session policies still apply")
            }
            _ => then(" names the session's role: the boundary and session policies still apply"),
        },
        Some(Grant::Account) if requires_rbp => {
            then(" trusts the caller's account, which delegates to its IAM policies")
        }
        Some(Grant::Account) => then(" names the caller's account, which only delegates to the account's IAM policies"),
        Some(Grant::Service | Grant::Federated) => then(" names another kind of principal"),
    };
    let verdict = match best {
        Some(Grant::Account) if !requires_rbp => Verdict::NoAllow,
        Some(_) => Verdict::Allow,
        None => Verdict::NoAllow,
    };
    let mut s = step(Stage::ResourcePolicy, verdict, summary);
    if key_policy && !matches!(best, Some(Grant::Direct | Grant::Everyone | Grant::Entity)) {
        s.notes.push("a key policy must allow: IAM policies count only when it allows the account (`arn:aws:iam::<account>:root`)".into());
    }
    if trust && best.is_none() {
        s.notes
            .push("a role's trust policy must allow the caller; an identity-based policy alone is never enough".into());
    }
    s.statements = std::mem::take(&mut found.traces);
    b.push(s);
}

/// Users, role sessions and federated users.
fn identity_principal<'a>(
    b: &mut Builder<'a>,
    cs: &CompiledSet<'_, 'a>,
    setup: &Setup<'a>,
    target: &Target<'_, 'a>,
    f: &mut Findings<'a>,
    row: Row,
) -> (Decision, Vec<StatementRef>) {
    let set = cs.set;
    let kind = setup.base.caller.kind;
    let cross = b.cross_account;
    let key_policy = setup.act.kms_key && set.resource.is_some();
    let requires_rbp = setup.act.trust || key_policy || cross;
    let best = f.resource.as_ref().and_then(|r| if r.any { r.best } else { None });

    resource_step(b, setup, kind, f.resource.as_mut(), key_policy);
    let rbp = f.resource.as_ref();
    if row == Row::DirectGrant {
        b.mark_last();
        let mut deciding = std::mem::take(&mut b.gate_allows);
        deciding.extend(rbp.map(|r| r.refs_with(|g| matches!(g, Grant::Direct | Grant::Everyone))).unwrap_or_default());
        return (Decision::Allow, deciding);
    }
    if row == Row::RequiredPolicyNoAllow {
        b.mark_last();
        return (Decision::ImplicitDeny, Vec::new());
    }
    let rbp_any: Vec<_> = rbp.map(|r| r.refs().collect()).unwrap_or_default();
    let rbp_entity = rbp.map(|r| r.refs_with(|g| g == Grant::Entity)).unwrap_or_default();
    let entity = !cross && best == Some(Grant::Entity);
    let rbp_name = if setup.act.trust { "trust policy" } else { "key policy" };

    // Identity-based policies: not needed when a trust or key policy names
    // the role itself.
    let identity_needed = cross || !requires_rbp || best == Some(Grant::Account);
    let mut identity_refs = Vec::new();
    let principal_path;
    if !identity_needed && entity {
        principal_path = false;
        b.push(step(
            Stage::Identity,
            Verdict::Skipped,
            cat!["not needed: the ", rbp_name, " names the caller's role or IAM user"],
        ));
    } else if set.identity.is_empty() {
        principal_path = false;
        b.push(step(
            Stage::Identity,
            Verdict::NoAllow,
            "the scenario has no identity-based policies, so none allows the request",
        ));
    } else {
        principal_path = f.identity.any;
        identity_refs = f.identity.refs().collect();
        let no = ("no identity-based policy allows `", "`");
        b.push(allow_step(Stage::Identity, &mut f.identity, no, target.action));
    }
    if row == Row::NoIdentityAllow {
        b.mark_last();
        return (Decision::ImplicitDeny, Vec::new());
    }

    // Permissions boundary.
    let mut limit_refs = Vec::new();
    match f.boundary.as_mut() {
        None => b.push(step(Stage::Boundary, Verdict::NotApplicable, "no permissions boundary")),
        Some(found) => {
            let no = ("the permissions boundary does not allow `", "`");
            limit_refs.extend(found.refs());
            b.push(allow_step(Stage::Boundary, found, no, target.action));
        }
    }
    if row == Row::BoundaryNoAllow {
        b.mark_last();
        return (Decision::ImplicitDeny, Vec::new());
    }

    // Session policies.
    if !setup.base.caller.is_session() {
        b.push(step(Stage::Session, Verdict::NotApplicable, cat![kind.describe(), " has no session policies"]));
    } else if set.session.is_empty() {
        b.push(if kind == PrincipalKind::FederatedUser {
            step(
                Stage::Session,
                Verdict::NoAllow,
                "a federated user without a session policy has no permissions except what resource policies grant its own ARN",
            )
        } else {
            step(Stage::Session, Verdict::Pass, "no session policy was passed: the role's permissions apply unchanged")
        });
    } else {
        let no = ("no session policy allows `", "`");
        limit_refs.extend(f.session.refs());
        b.push(allow_step(Stage::Session, &mut f.session, no, target.action));
    }
    if row == Row::SessionNoAllow {
        b.mark_last();
        return (Decision::ImplicitDeny, Vec::new());
    }

    if cross {
        let allowed = row == Row::CrossAccountAllow;
        let resource_side = best.is_some();
        let boundary_ok = f.boundary.as_ref().is_none_or(|b| b.any);
        let session_ok = !setup.base.caller.is_session()
            || (set.session.is_empty() && kind != PrincipalKind::FederatedUser)
            || (!set.session.is_empty() && f.session.any);
        let principal_ok = principal_path && boundary_ok && session_ok;
        let side_word = |ok: bool| if ok { "allows" } else { "does not allow" };
        let summary = cat![
            "the resource's account ",
            side_word(resource_side),
            " and the principal's account ",
            side_word(principal_ok),
            ": ",
            if allowed { "both allow" } else { "both must allow" }
        ];
        let mut s = step(Stage::CrossAccount, if allowed { Verdict::Allow } else { Verdict::NoAllow }, summary);
        match row {
            Row::CrossAccountNoAllow(stage) => {
                if let Some(first) = b.steps.iter_mut().find(|s| s.stage == stage && s.verdict == Verdict::NoAllow) {
                    first.decisive = true;
                } else {
                    s.decisive = true;
                }
            }
            _ => s.decisive = true,
        }
        b.push(s);
        if !allowed {
            return (Decision::ImplicitDeny, Vec::new());
        }
        let mut deciding = std::mem::take(&mut b.gate_allows);
        deciding.extend(rbp_any);
        deciding.extend(identity_refs);
        deciding.extend(limit_refs);
        return (Decision::Allow, deciding);
    }

    // Same account: the identity path, or a grant to the role / parent user.
    let mut deciding = std::mem::take(&mut b.gate_allows);
    if entity {
        deciding.extend(rbp_entity);
    }
    if principal_path {
        if best == Some(Grant::Account) {
            deciding.extend(rbp_any);
        }
        deciding.extend(identity_refs);
    }
    deciding.extend(limit_refs);
    b.mark(if principal_path { Stage::Identity } else { Stage::ResourcePolicy });
    (Decision::Allow, deciding)
}
