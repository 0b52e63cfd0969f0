//! `sts:AssumeRoot`: a short privileged session as the root user of a
//! member account, scoped by an AWS managed task policy. Modelled as a
//! call: the chain ends with the session it yields.

use super::assume_role::caller_kind;
use super::checks::{self, cannot_call, API_ASSUME_ROOT, COMPARE, PRIVILEGED_TASK};
use super::model::{AssumeRootSpec, Chain};
use super::state::{record, Call, HopBuilder, State};
use super::{CredentialKind, Hop, HopKind};
use crate::arn::is_account_id;
use crate::eval::Named;
use crate::policy::PolicyKind;
use crate::span::Span;

/// The task policies AWS accepts for AssumeRoot.
const TASK_POLICIES: [&str; 5] = [
    "IAMAuditRootUserCredentials",
    "IAMCreateRootUserPassword",
    "IAMDeleteRootUserCredentials",
    "S3UnlockBucketPolicy",
    "SQSUnlockQueuePolicy",
];

/// The account of `target_principal`: an account ID or `arn:...:iam::ACCOUNT:root`.
fn target_account(t: &str) -> Option<String> {
    if is_account_id(t) {
        return Some(t.to_owned());
    }
    let parts: Vec<&str> = t.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", acct, "root"] if is_account_id(acct) => Some((*acct).to_owned()),
        _ => None,
    }
}

pub(crate) fn run<'a>(
    chain: &Chain<'a>,
    state: &State<'a>,
    spec: &AssumeRootSpec<'a>,
    index: usize,
    span: Span,
) -> (Hop, Option<State<'a>>) {
    let target_text = spec.target.as_ref().map(|t| t.text.clone()).unwrap_or_default();
    let mut b = HopBuilder::new(index, HopKind::AssumeRoot, format!("sts:AssumeRoot {target_text}"), span);
    if caller_kind(&mut b, state, "AssumeRoot") && state.kind == CredentialKind::SessionToken {
        b.check(
            "caller-kind",
            false,
            "GetSessionToken credentials cannot call STS operations other than AssumeRole and GetCallerIdentity",
            COMPARE,
        );
    }
    let org = &chain.organization;
    let admin = org.management_account.as_deref() == Some(state.account.as_str())
        || org.delegated_admins.contains(&state.account);
    b.check(
        "caller-account",
        admin,
        if admin {
            format!("account {} is the organization's management account or a delegated administrator for IAM", state.account)
        } else {
            format!(
                "AssumeRoot must be called from the management account or a delegated administrator account for IAM; the scenario's `organization` does not say account {} is either",
                state.account
            )
        },
        API_ASSUME_ROOT,
    );
    b.check(
        "centralized-root-access",
        org.centralized_root_access == Some(true),
        if org.centralized_root_access == Some(true) {
            "centralized root access is enabled in the organization"
        } else {
            "centralized root access must be enabled in the organization (`organization.centralized_root_access`)"
        },
        PRIVILEGED_TASK,
    );
    let target = target_account(&target_text);
    match &target {
        Some(t) => {
            let member = org.management_account.as_deref() != Some(t.as_str());
            b.check(
                "target-principal",
                member,
                if member {
                    format!("the target is member account {t}")
                } else {
                    format!("{t} is the management account; AssumeRoot works on member accounts")
                },
                API_ASSUME_ROOT,
            );
        }
        None => {
            b.check(
                "target-principal",
                false,
                format!("`target_principal` `{target_text}` is neither an account ID nor a root user ARN"),
                API_ASSUME_ROOT,
            );
        }
    }
    let task = spec.task_policy_arn.as_ref().map(|t| t.text.clone()).unwrap_or_default();
    let known = task.strip_prefix("arn:aws:iam::aws:policy/root-task/").is_some_and(|n| TASK_POLICIES.contains(&n));
    b.check(
        "task-policy-arn",
        known,
        if known {
            format!("`{task}` is one of the AWS managed task policies")
        } else {
            format!(
                "`task_policy_arn` `{task}` is not one of the five AWS managed task policies ({})",
                TASK_POLICIES.join(", ")
            )
        },
        API_ASSUME_ROOT,
    );
    let given = spec.duration.map(|d| d.value);
    let seconds = checks::duration(&mut b, "duration-bounds", given, 900, (0, 900), API_ASSUME_ROOT);
    if b.failed_checks() {
        return (b.fail_on_checks(), None);
    }
    let target = target.unwrap_or_default();
    let resource = format!("arn:{}:iam::{target}:root", state.partition);
    b.note(
        "AWS documents only that the caller needs `sts:AssumeRoot`: the member account's root user has no resource-based policy, so iamtrace evaluates the call within the caller's account",
        Some(PRIVILEGED_TASK),
    );
    let call = Call {
        action: "sts:AssumeRoot",
        resource: &resource,
        // Authorized on the caller's side alone (see `eval::setup`): no account to override.
        resource_account: None,
        resource_policy: None,
        vpce: None,
        keys: vec![("sts:TaskPolicyArn".into(), vec![task.clone()])],
        given: &spec.context,
        why: "the call itself: the caller's policies must allow `sts:AssumeRoot`".into(),
    };
    record(&mut b, chain, state, call);
    if b.failed_checks() {
        return (b.fail_on_checks(), None);
    }
    if !b.decide() {
        return (b.hop, None);
    }
    let mut next = state.clone();
    next.kind = CredentialKind::RootSession;
    next.principal = resource;
    next.parent = None;
    next.account = target;
    next.user = None;
    next.identity = Vec::new();
    next.boundary = None;
    next.session = spec
        .task_policy
        .iter()
        .map(|p| {
            let mut policy = p.policy.clone();
            policy.kind = PolicyKind::Session;
            Named::new(policy, 0, None, Some(p.name.clone()))
        })
        .collect();
    next.tags = Vec::new();
    next.mfa_present = None;
    next.mfa_age = None;
    next.issued = chain.now.clone();
    next.duration = seconds;
    b.note(
        "the session acts as the member account's root user, scoped to the task policy; its requests carry `aws:AssumedRoot`. iamtrace models AssumeRoot up to this session: a chain ends here",
        Some(PRIVILEGED_TASK),
    );
    b.hop.credential = Some(next.view(cannot_call(&next)));
    b.hop.summary = format!("a {}-second privileged root session in account {}", seconds.unwrap_or(0), next.account);
    (b.hop, Some(next))
}
