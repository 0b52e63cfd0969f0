//! Request normalisation: the caller, accounts, derived context keys, and
//! which policy kinds apply (trace step 1).

use std::borrow::Cow;

use super::scope::{self, RcpScope, ScpScope};
use crate::arn::{is_account_id, Arn};
use crate::ascii;
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::request::{is_web_identity_action, Caller, ContextValue, Flags, Keys, PrincipalKind, Request, Source};
use crate::span::Span;
use crate::trace::DerivedFrom;

/// The account part of resources AWS owns itself (AWS managed policies).
pub(crate) const AWS_OWNED: &str = "aws";

/// Everything the stages need to know about the request.
pub(super) struct Setup<'a> {
    /// What does not depend on the action (borrowed when the same request
    /// is asked for another action).
    pub base: BaseRef<'a>,
    /// What does.
    pub act: Act<'a>,
}

/// The action-independent part of a set-up, owned or borrowed. Not a `Cow`:
/// a `Cow<'a, Base<'a>>` would make a set-up (and a prepared request)
/// invariant in `'a`, so that a request prepared once could not be asked
/// of policy sets that live shorter than it.
#[expect(
    clippy::large_enum_variant,
    reason = "the layout of the Cow it replaces; boxing would allocate for every request"
)]
pub(super) enum BaseRef<'a> {
    Owned(Base<'a>),
    Borrowed(&'a Base<'a>),
}

impl<'a> std::ops::Deref for BaseRef<'a> {
    type Target = Base<'a>;

    fn deref(&self) -> &Base<'a> {
        match self {
            BaseRef::Owned(b) => b,
            BaseRef::Borrowed(b) => b,
        }
    }
}

/// What the set-up works out from the action.
pub(super) struct Act<'a> {
    /// The action, as the request gives it (or as [`Setup::for_action`] asks).
    pub action: &'a str,
    /// The action's service prefix, in lower case.
    pub service: Cow<'a, str>,
    /// Both accounts known and different, except for `sts:AssumeRoot`
    /// (authorized on the principal's side alone).
    pub cross_account: bool,
    pub scp: ScpScope,
    /// The request's flags, the service-linked flag kept only where it
    /// means something (what [`Setup::rcp`] reads, with the action).
    flags: Flags,
    /// The action is decided by a role's trust policy (`sts:AssumeRole*`
    /// and friends on a role).
    pub trust: bool,
    /// A KMS key operation, where the key policy must allow.
    pub kms_key: bool,
    /// The bucket owner's root user managing the bucket policy: the bucket
    /// policy's denies do not apply.
    pub owner_root_bucket_policy: bool,
    /// The action needs no permission at all, and which one it is.
    pub no_permission_needed: Option<NoPermission>,
    /// The action is allowed unless a policy denies it (console sign-in).
    pub allowed_unless_denied: bool,
    /// The call fails whatever the policies say (the caller's kind of
    /// credentials, or a service's one-account operations).
    pub restriction: Option<Restriction>,
    /// `sts:AssumeRoot`: authorized on the principal's side alone.
    pub assume_root: bool,
}

/// What the set-up knows before it looks at the action: the caller, the
/// resource, the accounts, the context keys AWS derives. The same request
/// asked for another action keeps all of it (the access overview asks one
/// request for every action of a service), unless the caller is who it is
/// because of the action (an identity provider calling
/// `AssumeRoleWithWebIdentity` or `AssumeRoleWithSAML`).
#[derive(Clone)]
pub(super) struct Base<'a> {
    request: &'a Request<'a>,
    /// Whether the caller was classified for `AssumeRoleWithWebIdentity`
    /// or `AssumeRoleWithSAML`.
    web_identity_action: bool,
    pub caller: Caller<'a>,
    /// The request's context keys, with the keys AWS derives added.
    pub context: Keys<'a, 'a>,
    /// The keys derived, in the order they were added (a key the request
    /// gives is among them but wins: see [`Setup::derived_keys`]).
    derived: Derived,
    pub resource_account: Option<Cow<'a, str>>,
    pub resource_account_source: Source,
    /// Both accounts known and different.
    accounts_differ: bool,
    /// Whether the request is cross-account, when the principal has an account.
    pub cross_known: Option<bool>,
    /// The principal's and the resource's partitions, when they differ.
    pub cross_partition: Option<(&'a str, &'a str)>,
    resource_arn: Option<Arn<'a>>,
    /// Where the resource ARN's six parts start, when the resource is an
    /// ARN (for the resource patterns of every statement). A resource that
    /// is neither `*` nor an ARN never gets this far: it is an error.
    pub resource_parts: Option<[usize; 6]>,
    /// The caller is a root user session from AssumeRoot (the root ARN with
    /// `aws:AssumedRoot` true in the context): its task policy, given as a
    /// session policy, limits it.
    pub assumed_root: bool,
    /// Every RCP level holds `RCPFullAWSAccess` (unless the scenario asks
    /// what happens without it).
    pub rcp_full_access: bool,
}

/// The keys derived for a request, in the order they were added (at most
/// a handful: no allocation).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Derived {
    keys: [Option<(&'static str, DerivedFrom)>; 8],
}

impl Derived {
    fn push(&mut self, key: &'static str, from: DerivedFrom) {
        if let Some(slot) = self.keys.iter_mut().find(|k| k.is_none()) {
            *slot = Some((key, from));
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, DerivedFrom)> + '_ {
        self.keys.iter().flatten().copied()
    }
}

/// Calls that fail whatever the policies say: APIs a kind of credentials
/// cannot call, and operations a service answers only within one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Restriction {
    /// GetFederationToken credentials and IAM operations.
    FederatedIam,
    /// GetFederationToken credentials and STS operations other than GetCallerIdentity.
    FederatedSts,
    /// AssumeRole credentials and `GetFederationToken`/`GetSessionToken`.
    RoleSessionToken,
    /// The root user and `sts:AssumeRoot`.
    RootAssumeRoot,
    /// An anonymous caller and STS operations that need signed credentials
    /// (all but `AssumeRoleWithWebIdentity` and `AssumeRoleWithSAML`).
    AnonymousSts,
    /// A KMS key operation that works only in the key's own account
    /// (its API reference says "Cross-account use: No").
    KmsOwnAccountOnly,
    /// The bucket policy operations, which S3 answers only for identities
    /// of the bucket owner's account (405 Method Not Allowed otherwise).
    BucketPolicyOwnerAccount,
    /// A DynamoDB operation on another account's table, index or stream
    /// that is not among those resource-based policies open to other
    /// accounts.
    DynamoDbOwnAccountOnly,
    /// An SQS operation to which cross-account permissions do not apply,
    /// by a caller of another account or of none (anonymous callers,
    /// services: the reading that denies, as for the bucket policy).
    SqsOwnAccountOnly,
}

/// KMS key operations that principals of other accounts can call: "Cross-account
/// permission is effective only for the following operations"
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html>;
/// the "Cross-account use" column of
/// <https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html>).
const KMS_CROSS_ACCOUNT: [&str; 20] = [
    "CreateGrant",
    "Decrypt",
    "DeriveSharedSecret",
    "DescribeKey",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GetKeyRotationStatus",
    "GetPublicKey",
    "ListGrants",
    "ReEncryptFrom",
    "ReEncryptTo",
    "RetireGrant",
    "RevokeGrant",
    "Sign",
    "Verify",
    "VerifyMac",
];

/// The S3 operations on a bucket's policy: "If you are using an identity
/// other than the root user of the AWS account that owns the bucket, the
/// calling identity must ... belong to the bucket owner's account"
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html>,
/// the same on `GetBucketPolicy` and `DeleteBucketPolicy`).
const BUCKET_POLICY_ACTIONS: [&str; 3] = ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"];

/// The SQS operations to which "cross-account permissions don't apply"
/// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-limitations-of-custom-policies.html>,
/// and the note on each of them in the SQS API reference).
const SQS_OWN_ACCOUNT_ONLY: [&str; 12] = [
    "sqs:AddPermission",
    "sqs:CancelMessageMoveTask",
    "sqs:CreateQueue",
    "sqs:DeleteQueue",
    "sqs:ListMessageMoveTasks",
    "sqs:ListQueues",
    "sqs:ListQueueTags",
    "sqs:RemovePermission",
    "sqs:SetQueueAttributes",
    "sqs:StartMessageMoveTask",
    "sqs:TagQueue",
    "sqs:UntagQueue",
];

/// The DynamoDB operations that resource-based policies open to other
/// accounts ("for cross-account access, you can only use a certain set of
/// DynamoDB APIs through resource-based policies": the "Cross-account
/// support: Yes" rows of
/// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-iam-actions.html>;
/// `TransactGetItems` and `TransactWriteItems` are authorized as the item
/// actions and `ConditionCheckItem`). Any other action on another account's
/// table, index or stream fails whatever the policies allow.
const DYNAMODB_CROSS_ACCOUNT: [&str; 18] = [
    "BatchGetItem",
    "BatchWriteItem",
    "ConditionCheckItem",
    "DeleteItem",
    "DeleteTable",
    "DescribeStream",
    "DescribeTable",
    "GetItem",
    "GetRecords",
    "GetShardIterator",
    "ListTagsOfResource",
    "PutItem",
    "Query",
    "Scan",
    "TagResource",
    "UntagResource",
    "UpdateItem",
    "UpdateTable",
];

/// Whether `action` is one of `actions` (whole names, compared without case).
fn listed(actions: &[&str], action: &str) -> bool {
    actions.iter().any(|a| a.eq_ignore_ascii_case(action))
}

/// Whether `action`'s operation, the part after the service prefix, is one
/// of `operations` (compared without case).
fn operation_listed(operations: &[&str], action: &str) -> bool {
    listed(operations, ascii::split_once(action, b':').map_or(action, |(_, name)| name))
}

fn is_bucket_policy_action(action: &str) -> bool {
    listed(&BUCKET_POLICY_ACTIONS, action)
}

/// The restriction on `action` for `caller`, if any: the credentials'
/// first, then the services' (`kms_key` and `cross_account` as in [`Act`]).
fn restriction(
    caller: &Caller<'_>,
    service: &str,
    action: &str,
    kms_key: bool,
    cross_account: bool,
) -> Option<Restriction> {
    let is = |a: &str| action.eq_ignore_ascii_case(a);
    match caller.kind {
        PrincipalKind::FederatedUser if service == "iam" => Some(Restriction::FederatedIam),
        PrincipalKind::FederatedUser if service == "sts" && !is("sts:GetCallerIdentity") => {
            Some(Restriction::FederatedSts)
        }
        PrincipalKind::RoleSession if is("sts:GetFederationToken") || is("sts:GetSessionToken") => {
            Some(Restriction::RoleSessionToken)
        }
        PrincipalKind::Root if is("sts:AssumeRoot") => Some(Restriction::RootAssumeRoot),
        PrincipalKind::Anonymous if service == "sts" && !is_web_identity_action(action) => {
            Some(Restriction::AnonymousSts)
        }
        _ if kms_key && cross_account && !operation_listed(&KMS_CROSS_ACCOUNT, action) => {
            Some(Restriction::KmsOwnAccountOnly)
        }
        _ if is_bucket_policy_action(action) && (cross_account || !caller.is_account_principal()) => {
            Some(Restriction::BucketPolicyOwnerAccount)
        }
        _ if service == "dynamodb" && cross_account && !operation_listed(&DYNAMODB_CROSS_ACCOUNT, action) => {
            Some(Restriction::DynamoDbOwnAccountOnly)
        }
        _ if listed(&SQS_OWN_ACCOUNT_ONLY, action) && (cross_account || !caller.is_account_principal()) => {
            Some(Restriction::SqsOwnAccountOnly)
        }
        _ => None,
    }
}

/// Actions AWS answers whatever the policies say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NoPermission {
    /// `sts:GetCallerIdentity`, for every signed caller.
    CallerIdentity,
    /// `sts:GetSessionToken`, for the IAM users and root users who may call
    /// it: an authentication operation that policies cannot control.
    SessionToken,
}

fn no_permission_needed(kind: PrincipalKind, action: &str) -> Option<NoPermission> {
    if action.eq_ignore_ascii_case("sts:GetCallerIdentity") && kind != PrincipalKind::Anonymous {
        Some(NoPermission::CallerIdentity)
    } else if action.eq_ignore_ascii_case("sts:GetSessionToken")
        && matches!(kind, PrincipalKind::User | PrincipalKind::Root)
    {
        Some(NoPermission::SessionToken)
    } else {
        None
    }
}

/// Console sign-in (`signin:Authenticate`, which AWS Sign-In evaluates and
/// nobody calls) is allowed by default: "Console sign-in access is enabled
/// by default", and IAM policies "that deny the relevant sign-in actions"
/// can block it
/// (<https://docs.aws.amazon.com/signin/latest/userguide/console-access-control.html>).
/// No Allow is needed; a Deny still denies. For the principals that sign
/// in to the console: root users, IAM users, role sessions, federated users.
fn allowed_unless_denied(kind: PrincipalKind, action: &str) -> bool {
    action.eq_ignore_ascii_case("signin:Authenticate")
        && matches!(
            kind,
            PrincipalKind::Root | PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser
        )
}

impl<'a> Setup<'a> {
    /// Whether the caller can have identity-based policies (and a boundary).
    pub fn has_identity(&self) -> bool {
        self.base.caller.has_identity_policies()
    }

    /// Whether session policies limit the caller: role sessions, federated
    /// users, and root sessions from AssumeRoot (whose task policy is one).
    pub fn has_session_policies(&self) -> bool {
        self.base.caller.is_session() || self.base.assumed_root
    }

    /// The keys AWS derives that the request does not give, in order, with
    /// where each came from.
    pub fn derived_keys(&self) -> impl Iterator<Item = (&'static str, DerivedFrom, &ContextValue<'a>)> + '_ {
        let base: &Base<'a> = &self.base;
        // Both list the keys derived in the order they were added.
        base.derived
            .iter()
            .zip(base.context.derived())
            .filter(|((key, _), _)| !base.context.is_given(key))
            .map(|((key, source), entry)| (key, source, &entry.value))
    }

    /// Whether and why RCPs govern the request: worked out when asked (the
    /// trace always asks; a decision only when the set has RCPs).
    pub fn rcp(&self) -> RcpScope {
        scope::rcp_scope(self.act.flags, self.base.accounts_differ, self.act.action, &self.act.service)
    }

    /// The same request for `action`: what does not depend on the action
    /// is kept (see [`Base`]), the rest worked out for `action`. Fails as
    /// [`setup`] fails for the request with that action (`span`: where the
    /// action is written).
    pub fn for_action<'b>(&'b self, action: &'b str, span: Span) -> Result<Setup<'b>, Vec<Diagnostic>>
    where
        'a: 'b,
    {
        match check_action(action, span) {
            Ok(parts) if self.base.web_identity_action == is_web_identity_action(action) => {
                let act = act(&Facts::of(&self.base), action, parts);
                Ok(Setup { base: BaseRef::Borrowed(&self.base), act })
            }
            _ => setup_with(self.base.request, action, span),
        }
    }
}

#[cold]
fn err(code: Code, span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(code, span, message).with_help(help)
}

/// Validates the request and derives what AWS derives.
pub(super) fn setup<'a>(req: &'a Request<'a>) -> Result<Setup<'a>, Vec<Diagnostic>> {
    setup_with(req, &req.action.value, req.action.span)
}

/// An action is `service:Name`: returns the two.
fn check_action(action: &str, span: Span) -> Result<(&str, &str), Diagnostic> {
    let parts = ascii::split_once(action, b':').filter(|(svc, name)| {
        !svc.is_empty()
            && !name.is_empty()
            && svc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    parts.ok_or_else(|| {
        let help = if action.contains(['*', '?']) {
            "a request is for one action; wildcards belong in policies"
        } else {
            "write the action as `service:Operation`, e.g. `s3:GetObject`"
        };
        err(Code::RequestInvalidAction, span, format!("{} is not an action", quote(action)), help)
    })
}

/// [`setup`] for `req` asking for `action` (written at `span`): checks the
/// principal (classified for `action`: see [`is_web_identity_action`]), the
/// action, the resource, the session's parent and the resource account,
/// and derives the context keys. One function, so that the set-up is built
/// where it is returned (it is large).
fn setup_with<'a>(req: &'a Request<'a>, action: &'a str, span: Span) -> Result<Setup<'a>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let parent = req.session_parent_arn.as_ref().map(|s| s.value.as_ref());
    let caller = match Caller::classify(&req.principal.value, action, parent) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(err(Code::RequestInvalidPrincipal, req.principal.span, e.message, e.help));
            None
        }
    };
    let parts = match check_action(action, span) {
        Ok(parts) => Some(parts),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let resource: &str = &req.resource.value;
    let resource_arn = Arn::parse_at(resource);
    if resource != "*" {
        if let Err(e) = &resource_arn {
            errors.push(err(
                Code::RequestInvalidResource,
                req.resource.span,
                format!("{} is not an ARN: {e}", quote(resource)),
                "give the resource's ARN, or `*` for actions that take no resource",
            ));
        }
    }
    if let (Some(c), Some(p)) = (&caller, &req.session_parent_arn) {
        let expected = match c.kind {
            PrincipalKind::RoleSession => {
                Some(("role/", "a role ARN such as `arn:aws:iam::111122223333:role/path/RoleName`"))
            }
            PrincipalKind::FederatedUser => Some(("user/", "the ARN of the IAM user who called GetFederationToken")),
            _ => None,
        };
        match expected {
            Some((prefix, help)) => match Arn::parse(&p.value) {
                Ok(a) if a.service == "iam" && a.resource.starts_with(prefix) => {
                    // A role session's role must be the role named in the session ARN.
                    let name = Some(ascii::after_last(a.resource, b'/'));
                    let same_role = c.kind != PrincipalKind::RoleSession || c.session.is_none() || name == c.name;
                    if Some(a.account) != c.account || Some(a.partition) != c.partition || !same_role {
                        errors.push(err(
                            Code::RequestInconsistentSessionParent,
                            p.span,
                            format!("{} does not belong to the principal `{}`", quote(&p.value), c.text),
                            "the role (or IAM user) must be in the principal's account and, for a role session, have the session's role name",
                        ));
                    }
                }
                _ => errors.push(err(
                    Code::RequestInvalidSessionParent,
                    p.span,
                    format!("{} is not {help}", quote(&p.value)),
                    help,
                )),
            },
            None => errors.push(Diagnostic::warning(
                Code::RequestUnusedSessionParent,
                p.span,
                format!(
                    "`session_parent_arn` is only used for role sessions and federated users, not for {}",
                    c.kind.describe()
                ),
            )),
        }
    }
    if let Some(ra) = &req.resource_account {
        if !is_account_id(&ra.value) && ra.value != AWS_OWNED {
            errors.push(err(
                Code::RequestInvalidAccount,
                ra.span,
                format!("{} is not a 12-digit account ID", quote(&ra.value)),
                "give the ID of the account that owns the resource",
            ));
        }
    }
    let (Some(caller), Some(parts)) = (caller, parts) else { return Err(errors) };
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors);
    }

    // Accounts.
    let (resource_arn, resource_parts) = match resource_arn {
        Ok((arn, offsets)) => (Some(arn), Some(offsets)),
        Err(_) => (None, None),
    };
    let (resource_account, resource_account_source) = match (&req.resource_account, resource_arn) {
        (Some(ra), _) => (Some(ra.value.clone()), Source::Given),
        (None, Some(arn)) if !arn.account.is_empty() => (Some(Cow::Borrowed(arn.account)), Source::Derived),
        _ => (None, Source::Unknown),
    };
    let cross_partition = match (caller.partition, resource_arn.map(|a| a.partition)) {
        (Some(p), Some(r)) if p != r => Some((p, r)),
        _ => None,
    };
    // AWS managed policies carry `aws` for an account
    // (`arn:aws:iam::aws:policy/...`): no customer account owns them and IAM
    // has no resource-based policies, so the caller's policies decide.
    let aws_owned = resource_account.as_deref() == Some(AWS_OWNED) && resource_arn.is_some_and(|a| a.service == "iam");
    let owner = resource_account.as_deref().filter(|_| !aws_owned);
    let cross_account = match (caller.account, owner) {
        (Some(p), Some(r)) => p != r,
        _ => false,
    };
    let cross_known = match (caller.account, owner) {
        (Some(_), Some(_)) => Some(cross_account),
        (Some(_), None) => Some(false),
        _ => None,
    };

    // Derived context keys (a key given in the request always wins).
    let mut context = Keys::new(&req.context);
    let mut derived = Derived::default();
    let mut derive = |key: &'static str, value: Cow<'a, str>, source: DerivedFrom| {
        if context.derive(key, value) {
            derived.push(key, source);
        }
    };
    if let Some(arn) = caller.principal_arn() {
        let from = if caller.kind == PrincipalKind::RoleSession {
            DerivedFrom::SessionRole
        } else {
            DerivedFrom::PrincipalArn
        };
        derive("aws:PrincipalArn", arn, from);
    }
    // Only signed requests carry `aws:PrincipalAccount`: anonymous ones do
    // not, nor do AssumeRoleWithWebIdentity and AssumeRoleWithSAML, whose
    // callers sign in through a provider (the account in its ARN is not
    // theirs).
    if let Some(a) = caller.account.filter(|_| caller.kind != PrincipalKind::WebIdentity) {
        derive("aws:PrincipalAccount", Cow::Borrowed(a), DerivedFrom::PrincipalArn);
    }
    if let Some(t) = caller.principal_type() {
        derive("aws:PrincipalType", Cow::Borrowed(t), DerivedFrom::PrincipalKind);
    }
    if caller.kind == PrincipalKind::User {
        if let Some(n) = caller.name {
            derive("aws:username", Cow::Borrowed(n), DerivedFrom::UserName);
        }
    }
    // Every signed request carries `aws:PrincipalIsAWSService`: true for a
    // service principal, false for IAM principals; requests by a service
    // principal also carry `aws:PrincipalServiceName` (global condition
    // keys). Anonymous, web-identity and SAML requests are unsigned.
    match caller.kind {
        PrincipalKind::Root | PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser => {
            derive("aws:PrincipalIsAWSService", Cow::Borrowed("false"), DerivedFrom::PrincipalKind);
        }
        PrincipalKind::Service => {
            derive("aws:PrincipalIsAWSService", Cow::Borrowed("true"), DerivedFrom::PrincipalKind);
            derive("aws:PrincipalServiceName", Cow::Borrowed(caller.text), DerivedFrom::ServicePrincipal);
        }
        PrincipalKind::Anonymous | PrincipalKind::WebIdentity => {}
    }
    match caller.kind {
        PrincipalKind::Root => {
            if let Some(a) = caller.account {
                derive("aws:userid", Cow::Borrowed(a), DerivedFrom::RootAccount);
            }
        }
        PrincipalKind::Anonymous => derive("aws:userid", Cow::Borrowed("anonymous"), DerivedFrom::Anonymous),
        PrincipalKind::FederatedUser => {
            if let (Some(a), Some(n)) = (caller.account, caller.name) {
                derive("aws:userid", Cow::Owned(format!("{a}:{n}")), DerivedFrom::FederatedUser);
            }
        }
        _ => {}
    }
    match (&resource_account, caller.account) {
        (Some(ra), _) if is_account_id(ra) => derive("aws:ResourceAccount", ra.clone(), DerivedFrom::ResourceAccount),
        (None, Some(a)) if resource != "*" => {
            derive("aws:ResourceAccount", Cow::Borrowed(a), DerivedFrom::SameAccountAssumed)
        }
        _ => {}
    }

    // AssumeRoot sessions carry `aws:AssumedRoot` (global condition keys).
    let assumed_root = caller.kind == PrincipalKind::Root
        && context.get("aws:AssumedRoot").is_some_and(|e| match &e.value {
            ContextValue::Single(v) => crate::operator::boolean::parse(v) == Some(true),
            ContextValue::Multi(_) => false,
        });
    let act =
        act(&Facts { caller: &caller, resource_arn, given: req.flags, accounts_differ: cross_account }, action, parts);
    // Built where it is returned (a set-up is large).
    Ok(Setup {
        base: BaseRef::Owned(Base {
            request: req,
            web_identity_action: is_web_identity_action(action),
            caller,
            context,
            derived,
            resource_account,
            resource_account_source,
            accounts_differ: cross_account,
            cross_known,
            cross_partition,
            resource_arn,
            resource_parts,
            assumed_root,
            rcp_full_access: !req.flags.rcp_full_aws_access_detached,
        }),
        act,
    })
}

/// What [`act`] reads of the request.
struct Facts<'f, 'a> {
    caller: &'f Caller<'a>,
    resource_arn: Option<Arn<'a>>,
    given: Flags,
    accounts_differ: bool,
}

impl<'f, 'a> Facts<'f, 'a> {
    fn of(base: &'f Base<'a>) -> Self {
        Facts {
            caller: &base.caller,
            resource_arn: base.resource_arn,
            given: base.request.flags,
            accounts_differ: base.accounts_differ,
        }
    }
}

/// What depends on the action (valid: `service:Name`, given as `parts`).
#[inline(always)]
fn act<'a>(base: &Facts<'_, 'a>, action: &'a str, (prefix, _): (&'a str, &'a str)) -> Act<'a> {
    let caller = base.caller;
    // Which organization policies govern the request.
    let service = if prefix.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(prefix.to_ascii_lowercase())
    } else {
        Cow::Borrowed(prefix)
    };
    let trust = is_trust_action(action, base.resource_arn);
    // Only roles are service-linked: the flag exempts a role session, or the
    // service assuming the role, and nobody else, from SCPs and RCPs.
    let given = base.given;
    let flags = Flags {
        service_linked_role: given.service_linked_role
            && (caller.kind == PrincipalKind::RoleSession || (caller.kind == PrincipalKind::Service && trust)),
        ..given
    };
    let scp = scope::scp_scope(caller, flags);
    let kms_key = is_kms_key(&service, base.resource_arn);
    let no_permission_needed = no_permission_needed(caller.kind, action);
    let allowed_unless_denied = allowed_unless_denied(caller.kind, action);
    // AssumeRoot is granted by the management (or delegated administrator)
    // account's IAM policies; the member account has no policy to agree.
    let assume_root = action.eq_ignore_ascii_case("sts:AssumeRoot")
        && matches!(caller.kind, PrincipalKind::User | PrincipalKind::RoleSession);
    let cross_account = base.accounts_differ && !assume_root;
    let restriction = restriction(caller, &service, action, kms_key, cross_account);
    let owner_root_bucket_policy =
        caller.kind == PrincipalKind::Root && !cross_account && is_bucket_policy_action(action);
    Act {
        action,
        service,
        cross_account,
        scp,
        flags,
        trust,
        kms_key,
        owner_root_bucket_policy,
        no_permission_needed,
        allowed_unless_denied,
        restriction,
        assume_root,
    }
}

/// Actions decided by a role's trust policy.
fn is_trust_action(action: &str, resource: Option<Arn<'_>>) -> bool {
    let is = |a: &str| action.eq_ignore_ascii_case(a);
    let assume_role = action.get(..14).is_some_and(|p| p.eq_ignore_ascii_case("sts:assumerole"));
    let trust = assume_role || is("sts:TagSession") || is("sts:SetSourceIdentity") || is("sts:SetContext");
    trust && resource.is_some_and(|r| r.service == "iam" && r.resource.starts_with("role/"))
}

/// KMS key operations, where the key policy must allow (IAM policies only
/// count when the key policy delegates to the account).
fn is_kms_key(service: &str, resource: Option<Arn<'_>>) -> bool {
    service == "kms" && resource.is_some_and(|r| r.service == "kms" && r.resource.starts_with("key/"))
}
