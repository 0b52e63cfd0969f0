//! The first hop: a long-term credential, the access key of an IAM user or
//! of the root user.

use super::checks::{cannot_call, ACCESS_KEYS, CONDITION_KEYS, ROOT_USER};
use super::model::Chain;
use super::state::{HopBuilder, State};
use super::{CredentialKind, Hop, HopKind, SessionTag};
use crate::span::Span;

pub(crate) fn run<'a>(
    chain: &Chain<'a>,
    user: usize,
    key: Option<usize>,
    index: usize,
    span: Span,
) -> (Hop, Option<State<'a>>) {
    let (_, title) = super::state::title(chain, &super::model::HopSpec::Credential { user, key });
    let mut b = HopBuilder::new(index, HopKind::Credential, title, span);
    let Some(u) = chain.users.get(user) else {
        b.check("credential-unknown", false, "the credential names no described user", super::checks::SPEC);
        return (b.fail_on_checks(), None);
    };
    if u.root {
        b.note(
            "this is the root user: it has unrestricted access to the account. AWS recommends using it only for the tasks that require it (such as setting up the account), protecting it with MFA, and doing everyday work with IAM users or roles",
            Some(ROOT_USER),
        );
        if u.mfa.is_none() {
            b.note(
                "the scenario gives the root user no MFA device: AWS recommends enabling MFA on the root user",
                Some(ROOT_USER),
            );
        }
    }
    match key.and_then(|k| u.keys.get(k)) {
        Some(k) => {
            let what = format!("access key `{}`", k.id);
            if !b.check(
                "access-key-active",
                k.active,
                if k.active {
                    format!("{what} is Active")
                } else {
                    format!("{what} is Inactive: AWS rejects every request signed with an inactive key before any policy is read")
                },
                ACCESS_KEYS,
            ) {
                return (b.fail_on_checks(), None);
            }
        }
        None => {
            b.note("the scenario lists no access keys for this principal: an Active key is assumed", Some(ACCESS_KEYS))
        }
    }
    b.note(
        "long-term access keys carry no `aws:MultiFactorAuthPresent`, `aws:MultiFactorAuthAge` or `aws:TokenIssueTime`: AWS leaves these keys out of requests signed with them",
        Some(CONDITION_KEYS),
    );
    let state = State {
        kind: if u.root { CredentialKind::RootUser } else { CredentialKind::IamUser },
        principal: u.arn.clone(),
        parent: None,
        account: u.account.clone(),
        partition: u.partition.clone(),
        user: Some(user),
        identity: u.policies.clone(),
        boundary: u.boundary.clone(),
        session: Vec::new(),
        tags: u
            .tags
            .iter()
            .map(|(k, v)| SessionTag { key: k.clone(), value: v.clone(), transitive: false, from: "user" })
            .collect(),
        source_identity: None,
        mfa_present: None,
        mfa_age: None,
        mfa_from: "",
        issued: None,
        duration: None,
    };
    b.hop.credential = Some(state.view(cannot_call(&state)));
    b.hop.summary = if u.root {
        "the root user's long-term access key signs the next call".into()
    } else {
        format!("the long-term access key of IAM user `{}` signs the next call", u.name)
    };
    (b.hop, Some(state))
}
