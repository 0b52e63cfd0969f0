//! `sts:GetSessionToken`: temporary credentials for an IAM user (or the
//! root user), optionally authenticated with MFA.

use super::checks::{
    cannot_call, duration, API_SESSION_TOKEN, COMPARE, CONDITION_KEYS, MFA_API, SESSION_TOKEN_PERMISSIONS,
};
use super::model::{Chain, SessionTokenSpec, Text};
use super::state::{HopBuilder, State};
use super::{CredentialKind, Hop, HopKind};
use crate::span::Span;

/// MFA parameters of a call: both or neither; the serial must be the
/// caller's device; the code six digits. Returns whether MFA was used.
pub(crate) fn mfa(
    b: &mut HopBuilder,
    chain: &Chain<'_>,
    state: &State<'_>,
    serial: Option<&Text>,
    token: Option<&Text>,
    source: &'static str,
) -> bool {
    let (serial, token) = match (serial, token) {
        (None, None) => return false,
        (Some(s), Some(t)) => (s, t),
        _ => {
            b.check("mfa-parameters", false, "`serial_number` and `token_code` must be passed together", source);
            return false;
        }
    };
    let device = state.user.and_then(|u| chain.users.get(u)).and_then(|u| u.mfa.as_deref());
    let ok = device == Some(serial.text.as_str());
    b.check(
        "mfa-device",
        ok,
        match device {
            Some(d) if ok => format!("`{d}` is the caller's MFA device"),
            Some(d) => format!("`{}` is not the caller's MFA device (`{d}`): AWS denies the call", serial.text),
            None => format!("the caller has no MFA device `{}` in the scenario: AWS denies the call", serial.text),
        },
        source,
    );
    let digits = token.text.len() == 6 && token.text.chars().all(|c| c.is_ascii_digit());
    b.check(
        "mfa-token-code",
        digits,
        if digits {
            "the token code has six digits; iamtrace cannot verify a one-time code and assumes it is the device's current one".to_owned()
        } else {
            format!("token code `{}` is not six digits", token.text)
        },
        source,
    );
    ok && digits
}

pub(crate) fn run<'a>(
    chain: &Chain<'a>,
    state: &State<'a>,
    spec: &SessionTokenSpec,
    index: usize,
    span: Span,
) -> (Hop, Option<State<'a>>) {
    let mut b = HopBuilder::new(index, HopKind::GetSessionToken, "sts:GetSessionToken".into(), span);
    let long_term = matches!(state.kind, CredentialKind::IamUser | CredentialKind::RootUser);
    b.check(
        "caller-long-term",
        long_term,
        if long_term {
            "called with a long-term access key, as GetSessionToken requires".to_owned()
        } else {
            format!("GetSessionToken must be called with the long-term access key of an IAM user or the root user, not with {}", kind_words(state.kind))
        },
        COMPARE,
    );
    let root = state.kind == CredentialKind::RootUser;
    let used_mfa = mfa(&mut b, chain, state, spec.serial_number.as_ref(), spec.token_code.as_ref(), API_SESSION_TOKEN);
    let given = spec.duration.map(|d| d.value);
    let mut seconds =
        duration(&mut b, "duration-bounds", given, if root { 3600 } else { 43200 }, (900, 129_600), API_SESSION_TOKEN);
    if root && seconds.is_some_and(|s| s > 3600) {
        b.note(
            "root user sessions last at most 3,600 seconds: AWS shortens the session to one hour",
            Some(API_SESSION_TOKEN),
        );
        seconds = Some(3600);
    }
    if b.failed_checks() {
        return (b.fail_on_checks(), None);
    }
    b.check(
        "no-permission-needed",
        true,
        "GetSessionToken needs no permission: it authenticates the caller, and policies cannot control authentication operations",
        SESSION_TOKEN_PERMISSIONS,
    );
    let mfa_present = used_mfa && !root;
    if used_mfa && root {
        b.note("MFA-protected API access is not available with root user credentials: the session is treated as not MFA-authenticated", Some(MFA_API));
    }
    let mut next = state.clone();
    next.kind = CredentialKind::SessionToken;
    next.mfa_present = Some(mfa_present);
    next.mfa_from =
        if mfa_present { "GetSessionToken was called with MFA" } else { "GetSessionToken was called without MFA" };
    if mfa_present {
        next.mfa_age = Some("0".into());
        b.note(
            "`aws:MultiFactorAuthAge` is assumed to be 0 seconds: the scenario gives no time between hops (give the key in a later hop's `context` to test another age)",
            Some(CONDITION_KEYS),
        );
    }
    next.issued = chain.now.clone();
    if chain.now.is_none() {
        b.note("`aws:TokenIssueTime` is left out: the scenario gives no `now`", Some(CONDITION_KEYS));
    }
    next.duration = seconds;
    b.hop.credential = Some(next.view(cannot_call(&next)));
    b.hop.summary = format!(
        "temporary credentials with the same permissions as the caller, valid for {} seconds{}",
        seconds.unwrap_or(0),
        if mfa_present { ", authenticated with MFA" } else { "" }
    );
    (b.hop, Some(next))
}

/// `a role session`, `a federated user session`...
pub(crate) fn kind_words(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::RootUser => "the root user's access key",
        CredentialKind::IamUser => "an IAM user's access key",
        CredentialKind::SessionToken => "GetSessionToken credentials",
        CredentialKind::RoleSession => "a role session",
        CredentialKind::FederatedUser => "a federated user session",
        CredentialKind::RootSession => "a privileged root session",
    }
}
