//! `sts:GetFederationToken`: a federated user session for an IAM user (or
//! the root user), limited by the session policies passed.

use super::assume_role::session_policies;
use super::checks::{
    self, cannot_call, merge_tags, request_tag_keys, API_FEDERATION, COMPARE, FEDERATION_PERMISSIONS, MFA_API,
};
use super::model::{Chain, FederationSpec};
use super::session_token::kind_words;
use super::state::{record, Call, HopBuilder, State};
use super::{CredentialKind, Hop, HopKind};
use crate::span::Span;

pub(crate) fn run<'a>(
    chain: &Chain<'a>,
    state: &State<'a>,
    spec: &FederationSpec<'a>,
    index: usize,
    span: Span,
) -> (Hop, Option<State<'a>>) {
    let name = spec.name.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    let mut b = HopBuilder::new(index, HopKind::GetFederationToken, format!("sts:GetFederationToken {name}"), span);
    let long_term = matches!(state.kind, CredentialKind::IamUser | CredentialKind::RootUser);
    b.check(
        "caller-long-term",
        long_term,
        if long_term {
            "called with a long-term access key, as GetFederationToken requires".to_owned()
        } else {
            format!(
                "GetFederationToken must be called with the long-term access key of an IAM user (or the root user), not with {}",
                kind_words(state.kind)
            )
        },
        COMPARE,
    );
    match &spec.name {
        Some(n) => {
            checks::name(&mut b, "federated-user-name", "federated user name", n, (2, 32), "_+=,.@-", API_FEDERATION);
        }
        None => {
            b.check("federated-user-name", false, "`name` is required", API_FEDERATION);
        }
    }
    let root = state.kind == CredentialKind::RootUser;
    let given = spec.params.duration.map(|d| d.value);
    let default = if root { 3600 } else { 43_200 };
    let mut seconds = checks::duration(&mut b, "duration-bounds", given, default, (900, 129_600), API_FEDERATION);
    if root && seconds.is_some_and(|s| s > 3600) {
        b.note(
            "sessions from root user credentials last at most 3,600 seconds: AWS shortens the session to one hour",
            Some(API_FEDERATION),
        );
        seconds = Some(3600);
    }
    checks::session_params(&mut b, &spec.params, &state.account, "the IAM user", API_FEDERATION);
    if b.failed_checks() {
        return (b.fail_on_checks(), None);
    }
    let resource = format!("arn:{}:sts::{}:federated-user/{name}", state.partition, state.account);
    let keys = request_tag_keys(&spec.params.tags);
    let mut actions = vec![(
        "sts:GetFederationToken",
        "the call itself: the IAM user's policies must allow `sts:GetFederationToken`".to_owned(),
    )];
    if !spec.params.tags.is_empty() {
        actions.push(("sts:TagSession", "session tags are passed: `sts:TagSession` must be allowed too".to_owned()));
    }
    for (action, why) in actions {
        let call = Call {
            action,
            resource: &resource,
            resource_account: None,
            resource_policy: None,
            vpce: None,
            keys: keys.clone(),
            given: &spec.params.context,
            why,
        };
        record(&mut b, chain, state, call);
    }
    if b.failed_checks() {
        return (b.fail_on_checks(), None);
    }
    if !b.decide() {
        return (b.hop, None);
    }
    let mut next = state.clone();
    next.kind = CredentialKind::FederatedUser;
    next.principal = resource;
    next.parent = if root { None } else { Some(state.principal.clone()) };
    next.session = session_policies(&spec.params);
    // The user's tags, overridden by the tags passed to the call.
    let user_tags: Vec<(String, String)> = state.tags.iter().map(|t| (t.key.clone(), t.value.clone())).collect();
    next.tags = merge_tags(&user_tags, "user", &[], &spec.params.tags, &[]);
    next.mfa_present = Some(false);
    next.mfa_age = None;
    next.mfa_from = "GetFederationToken does not support MFA";
    next.issued = chain.now.clone();
    next.duration = seconds;
    if next.session.is_empty() {
        b.note(
            "no session policy is passed: the federated session has no permissions except what resource-based policies grant its own ARN",
            Some(FEDERATION_PERMISSIONS),
        );
    }
    if root {
        b.note(
            "a federated session of the root user: AWS documents its permissions as the root user's limited by the session policies; iamtrace evaluates it with no identity policies, so it may deny what AWS allows (the reading that denies)",
            Some(FEDERATION_PERMISSIONS),
        );
    }
    b.note("MFA information cannot be passed to GetFederationToken", Some(MFA_API));
    b.hop.credential = Some(next.view(cannot_call(&next)));
    b.hop.summary = format!(
        "a federated user session `{}` for {} seconds: the IAM user's policies limited by {} session policies",
        next.principal,
        seconds.unwrap_or(0),
        next.session.len()
    );
    (b.hop, Some(next))
}
