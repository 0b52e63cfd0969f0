//! The last hop: a request made with the credential, evaluated as a plain
//! scenario is, after the restrictions AWS documents for the credential.

use super::checks::{API_CALLER_IDENTITY, API_FEDERATION, API_SESSION_TOKEN, COMPARE};
use super::model::{Chain, RequestSpec};
use super::state::{record, Call, HopBuilder, State};
use super::{CredentialKind, Hop, HopKind};
use crate::span::Span;

/// The documented restriction the credential puts on `action`, if any.
fn restriction(state: &State<'_>, action: &str) -> Option<(&'static str, String, &'static str)> {
    let a = action.to_ascii_lowercase();
    let iam = a.starts_with("iam:");
    let sts = a.starts_with("sts:");
    match state.kind {
        CredentialKind::SessionToken if iam && state.mfa_present != Some(true) => Some((
            "session-token-iam",
            "GetSessionToken credentials cannot call IAM operations unless MFA was passed to GetSessionToken".into(),
            API_SESSION_TOKEN,
        )),
        CredentialKind::SessionToken if sts && a != "sts:assumerole" => Some((
            "session-token-sts",
            "GetSessionToken credentials cannot call STS operations other than AssumeRole and GetCallerIdentity".into(),
            API_SESSION_TOKEN,
        )),
        CredentialKind::RoleSession if a == "sts:getfederationtoken" || a == "sts:getsessiontoken" => Some((
            "role-session-sts",
            "role session credentials cannot call GetFederationToken or GetSessionToken".into(),
            COMPARE,
        )),
        CredentialKind::FederatedUser if iam => Some((
            "federated-iam",
            "federated user credentials cannot call IAM operations through the CLI or API".into(),
            API_FEDERATION,
        )),
        CredentialKind::FederatedUser if sts => Some((
            "federated-sts",
            "federated user credentials cannot call STS operations other than GetCallerIdentity".into(),
            API_FEDERATION,
        )),
        _ => None,
    }
}

pub(crate) fn run<'a>(chain: &Chain<'a>, state: &State<'a>, spec: &RequestSpec<'a>, index: usize, span: Span) -> Hop {
    let action = spec.action.text.as_str();
    let title = format!("{action} {}", spec.resource.text);
    let mut b = HopBuilder::new(index, HopKind::Request, title, span);
    if action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        b.check(
            "no-permission-needed",
            true,
            "GetCallerIdentity needs no permission: even an explicit deny does not stop it",
            API_CALLER_IDENTITY,
        );
        b.hop.summary = format!("`{}` may always ask who it is", state.principal);
        return b.hop;
    }
    if let Some((code, why, source)) = restriction(state, action) {
        b.check(code, false, why, source);
        return b.fail_on_checks();
    }
    let call = Call {
        action,
        resource: &spec.resource.text,
        resource_account: spec.resource_account.as_ref().map(|r| r.text.as_str()),
        resource_policy: spec.resource_policy.clone(),
        vpce: spec.vpce.clone(),
        keys: Vec::new(),
        given: &spec.context,
        why: "the request made with the credential".into(),
    };
    record(&mut b, chain, state, call);
    if b.failed_checks() {
        return b.fail_on_checks();
    }
    if b.decide() {
        b.hop.summary = b.hop.authorizations.first().map(|a| a.answer.summary.clone()).unwrap_or_default();
    }
    b.hop
}
