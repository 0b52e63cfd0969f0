//! `sts:AssumeRole`: the caller's identity side and the role's trust policy
//! are both evaluated; the session that results has the role's policies,
//! the session policies and the keys AWS sets for it.

use super::checks::{
    self, cannot_call, merge_tags, request_tag_keys, API_ASSUME_ROLE, API_FEDERATION, COMPARE, MFA_API, ROLE_CHAINING,
    SESSION_POLICIES, SESSION_TAGS, SOURCE_IDENTITY, STS_KEYS,
};
use super::model::{AssumeRoleSpec, Chain, Role, Text};
use super::session_token::{kind_words, mfa};
use super::state::{record, Call, HopBuilder, State};
use super::{CredentialKind, Hop, HopKind};
use crate::eval::Named;
use crate::policy::PolicyKind;
use crate::span::Span;

/// Who may call AssumeRole: IAM users and sessions, but not the root user
/// nor federated users. Shared with AssumeRoot.
pub(crate) fn caller_kind(b: &mut HopBuilder, state: &State<'_>, api: &str) -> bool {
    let (ok, why, source) = match state.kind {
        CredentialKind::RootUser | CredentialKind::RootSession => {
            (false, format!("the root user cannot call {api}: use an IAM user or role"), COMPARE)
        }
        // GetSessionToken credentials are their caller's: the root user's
        // stay the root user's.
        CredentialKind::SessionToken if state.principal.ends_with(":root") => (
            false,
            format!("the root user cannot call {api}, with its session token either: use an IAM user or role"),
            COMPARE,
        ),
        CredentialKind::FederatedUser => (
            false,
            "a federated user session cannot call STS operations other than GetCallerIdentity".to_owned(),
            API_FEDERATION,
        ),
        k => (true, format!("{} may call {api}", kind_words(k)), COMPARE),
    };
    let why = if ok { why } else { format!("{why} ({} signs this call)", kind_words(state.kind)) };
    b.check("caller-kind", ok, why, source)
}

/// Source identity: its format, and that a session's value never changes.
fn source_identity(b: &mut HopBuilder, state: &State<'_>, passed: Option<&Text>) -> Option<String> {
    let inherited = state.source_identity.clone();
    let Some(p) = passed else { return inherited };
    if checks::name(b, "source-identity", "source identity", p, (2, 64), "_+=,.@-", SOURCE_IDENTITY)
        && p.text.to_ascii_lowercase().starts_with("aws:")
    {
        b.check("source-identity", false, "a source identity may not begin with `aws:`", SOURCE_IDENTITY);
    }
    if let Some(i) = &inherited {
        b.check(
            "source-identity-immutable",
            *i == p.text,
            if *i == p.text {
                format!("the source identity `{i}` of the calling session is passed unchanged")
            } else {
                format!("the calling session's source identity is `{i}`; once set it cannot be changed to `{}`", p.text)
            },
            SOURCE_IDENTITY,
        );
    }
    Some(p.text.clone())
}

/// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (the role path is not part of it).
fn session_arn(role: &Role<'_>, session: &str) -> String {
    format!("arn:{}:sts::{}:assumed-role/{}/{session}", role.partition, role.account, role.name)
}

pub(crate) fn run<'a>(
    chain: &Chain<'a>,
    state: &State<'a>,
    spec: &AssumeRoleSpec<'a>,
    index: usize,
    span: Span,
) -> (Hop, Option<State<'a>>) {
    let Some(role) = chain.roles.get(spec.role) else {
        let mut b = HopBuilder::new(index, HopKind::AssumeRole, "sts:AssumeRole".into(), span);
        b.check("role-unknown", false, "the role is not described in the scenario", checks::SPEC);
        return (b.fail_on_checks(), None);
    };
    let mut b = HopBuilder::new(index, HopKind::AssumeRole, format!("sts:AssumeRole {}", role.name), span);
    caller_kind(&mut b, state, "AssumeRole");
    let session = match &spec.session_name {
        Some(n) => {
            checks::name(&mut b, "role-session-name", "role session name", n, (2, 64), "_+=,.@-", API_ASSUME_ROLE);
            n.text.clone()
        }
        None => {
            b.check("role-session-name", false, "`role_session_name` is required", API_ASSUME_ROLE);
            String::new()
        }
    };
    let given = spec.params.duration.map(|d| d.value);
    let seconds = checks::duration(&mut b, "duration-bounds", given, 3600, (900, 43_200), API_ASSUME_ROLE);
    if let Some(s) = seconds {
        let max = role.max_session_duration.unwrap_or(3600);
        if role.max_session_duration.is_none() {
            b.note(
                "the role's `max_session_duration` is not given: IAM's default of one hour is assumed",
                Some(API_ASSUME_ROLE),
            );
        }
        b.check(
            "duration-role-maximum",
            s <= max,
            format!("{s} seconds against the role's maximum session duration of {max}"),
            API_ASSUME_ROLE,
        );
        if state.kind == CredentialKind::RoleSession {
            b.check(
                "duration-role-chaining",
                s <= 3600,
                if s <= 3600 {
                    format!("role chaining (a role session assumes a role): {s} seconds is within the one-hour limit")
                } else {
                    format!("role chaining (a role session assumes a role) limits the session to one hour; {s} seconds were asked")
                },
                ROLE_CHAINING,
            );
        }
    }
    checks::session_params(&mut b, &spec.params, &role.account, "the role", API_ASSUME_ROLE);
    let nt = spec.transitive.len();
    if nt > 0 {
        b.check("transitive-tag-keys-count", nt <= 50, format!("{nt} transitive tag keys (up to 50)"), API_ASSUME_ROLE);
    }
    for (k, _) in &spec.params.tags {
        if let Some(t) = state.tags.iter().find(|t| t.transitive && t.key.eq_ignore_ascii_case(&k.text)) {
            b.check(
                "session-tag-inherited",
                false,
                format!(
                    "tag `{}` is a transitive tag inherited from the calling session (`{}`): passing it again fails",
                    k.text, t.key
                ),
                API_ASSUME_ROLE,
            );
        }
    }
    let source = source_identity(&mut b, state, spec.source_identity.as_ref());
    if let Some(e) = &spec.external_id {
        checks::name(&mut b, "external-id", "external ID", e, (2, 1224), "_+=,.@:/-", API_ASSUME_ROLE);
    }
    let used_mfa = mfa(&mut b, chain, state, spec.serial_number.as_ref(), spec.token_code.as_ref(), API_ASSUME_ROLE);
    if b.failed_checks() {
        return (b.fail_on_checks(), None);
    }

    // The call's own context keys.
    let mut keys: Vec<(String, Vec<String>)> = vec![("sts:RoleSessionName".into(), vec![session.clone()])];
    if let Some(e) = &spec.external_id {
        keys.push(("sts:ExternalId".into(), vec![e.text.clone()]));
    }
    if let Some(s) = &source {
        keys.push(("sts:SourceIdentity".into(), vec![s.clone()]));
    }
    keys.extend(request_tag_keys(&spec.params.tags));
    if !spec.transitive.is_empty() {
        keys.push(("sts:TransitiveTagKeys".into(), spec.transitive.iter().map(|t| t.text.clone()).collect()));
    }
    for (k, v) in &role.tags {
        keys.push((format!("aws:ResourceTag/{k}"), vec![v.clone()]));
        keys.push((format!("iam:ResourceTag/{k}"), vec![v.clone()]));
    }
    if used_mfa {
        keys.push(("aws:MultiFactorAuthPresent".into(), vec!["true".into()]));
        keys.push(("aws:MultiFactorAuthAge".into(), vec!["0".into()]));
        b.note("the call passes MFA: `aws:MultiFactorAuthPresent` is true and `aws:MultiFactorAuthAge` is assumed 0 for it", Some(MFA_API));
    }
    let inherited_tags = state.tags.iter().any(|t| t.transitive);
    let mut actions =
        vec![("sts:AssumeRole", "the call itself: the caller's policies and the role's trust policy".to_owned())];
    if !spec.params.tags.is_empty() || !spec.transitive.is_empty() || inherited_tags {
        let why = if spec.params.tags.is_empty() && spec.transitive.is_empty() {
            "the calling session carries transitive tags into the new session (iamtrace requires `sts:TagSession` then, the reading that denies)"
        } else {
            "session tags are passed: `sts:TagSession` must be allowed too, by the caller's policies and the trust policy"
        };
        actions.push(("sts:TagSession", why.to_owned()));
    }
    if source.is_some() {
        let why = if spec.source_identity.is_some() {
            "a source identity is passed: `sts:SetSourceIdentity` must be allowed too"
        } else {
            "the calling session has a source identity, which persists through role chaining: `sts:SetSourceIdentity` must be allowed"
        };
        actions.push(("sts:SetSourceIdentity", why.to_owned()));
    }
    for (action, why) in actions {
        let call = Call {
            action,
            resource: &role.arn,
            resource_account: None,
            resource_policy: role.trust.clone(),
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
    next.kind = CredentialKind::RoleSession;
    next.principal = session_arn(role, &session);
    next.parent = Some(role.arn.clone());
    next.account = role.account.clone();
    next.partition = role.partition.clone();
    next.user = None;
    next.identity = role.policies.clone();
    next.boundary = role.boundary.clone();
    next.session = session_policies(&spec.params);
    next.tags = merge_tags(&role.tags, "role", &state.tags, &spec.params.tags, &spec.transitive);
    next.source_identity = source;
    next.mfa_present = Some(false);
    next.mfa_age = None;
    next.mfa_from = "AssumeRole credentials carry no MFA information (AWS documents this; the reading that denies)";
    next.issued = chain.now.clone();
    next.duration = seconds;
    b.note(
        format!("the session acts as `{}`; `aws:PrincipalArn` is the role ARN `{}`", next.principal, role.arn),
        Some(STS_KEYS),
    );
    b.note(
        "the role's MFA keys: AWS documents that AssumeRole credentials do not include MFA information, so `aws:MultiFactorAuthPresent` is false in the session",
        Some(MFA_API),
    );
    if !next.session.is_empty() {
        b.note(
            "the session's permissions are the intersection of the role's identity-based policies and the session policies: session policies never grant more",
            Some(SESSION_POLICIES),
        );
    }
    if !next.tags.is_empty() {
        b.note(
            "session tags override the role's tags with the same key (ignoring case); only transitive tags pass to a later role session",
            Some(SESSION_TAGS),
        );
    }
    b.hop.credential = Some(next.view(cannot_call(&next)));
    b.hop.summary = format!(
        "the caller may assume `{}`: a {}-second session `{}` with the role's policies{}",
        role.name,
        seconds.unwrap_or(0),
        next.principal,
        if next.session.is_empty() {
            String::new()
        } else {
            format!(" limited by {} session policies", next.session.len())
        }
    );
    (b.hop, Some(next))
}

/// The inline policy and the managed policies of `policy_arns`, as session policies.
pub(crate) fn session_policies<'a>(p: &super::model::SessionParams<'a>) -> Vec<Named<'a>> {
    let mut out = Vec::new();
    if let Some((policy, _)) = &p.policy {
        out.push(Named::new(policy.clone(), 0, None, Some("inline session policy".into())));
    }
    for a in &p.policy_arns {
        let mut policy = a.policy.clone();
        policy.kind = PolicyKind::Session;
        out.push(Named::new(policy, out.len(), None, Some(a.name.clone())));
    }
    out
}
