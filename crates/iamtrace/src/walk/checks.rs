//! Rules that are not policy evaluation: parameter bounds, durations, tag
//! and session-policy limits. Each check names the AWS page it comes from
//! (see `docs/sts-walkthrough.md`).

use super::model::{SessionParams, Text};
use super::state::{HopBuilder, State};
use super::SessionTag;

pub(crate) const API_ASSUME_ROLE: &str = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html";
pub(crate) const API_SESSION_TOKEN: &str =
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html";
pub(crate) const API_FEDERATION: &str =
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html";
pub(crate) const API_ASSUME_ROOT: &str = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html";
pub(crate) const API_CALLER_IDENTITY: &str =
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html";
pub(crate) const COMPARE: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts-comparison.html";
pub(crate) const SESSION_TAGS: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html";
pub(crate) const SOURCE_IDENTITY: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html";
pub(crate) const ACCESS_KEYS: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html";
pub(crate) const ROOT_USER: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html";
pub(crate) const ROLE_CHAINING: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining";
pub(crate) const SESSION_TOKEN_PERMISSIONS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html";
pub(crate) const FEDERATION_PERMISSIONS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html";
pub(crate) const MFA_API: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html";
pub(crate) const CONDITION_KEYS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";
pub(crate) const STS_KEYS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html";
pub(crate) const PRIVILEGED_TASK: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html";
pub(crate) const SESSION_POLICIES: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session";
/// This project's own spec of the walkthrough (for checks of the scenario itself).
pub(crate) const SPEC: &str = "docs/sts-walkthrough.md";

/// The characters STS accepts in session names, source identities and
/// federated user names: letters, digits and `_+=,.@-`.
pub(crate) fn name_chars(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// A name parameter: length bounds and characters.
pub(crate) fn name(
    b: &mut HopBuilder,
    code: &'static str,
    what: &str,
    value: &Text,
    (min, max): (usize, usize),
    extra: &str,
    source: &'static str,
) -> bool {
    let n = value.text.chars().count();
    if n < min || n > max {
        return b.check(
            code,
            false,
            format!("{what} `{}` has {n} characters; STS accepts {min} to {max}", value.text),
            source,
        );
    }
    if !name_chars(&value.text) || !value.text.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c)) {
        return b.check(
            code,
            false,
            format!("{what} `{}` has a character STS does not accept (letters, digits and `{extra}`)", value.text),
            source,
        );
    }
    b.check(code, true, format!("{what} `{}` is valid", value.text), source)
}

/// `DurationSeconds` within `min..=max`; returns the duration used.
pub(crate) fn duration(
    b: &mut HopBuilder,
    code: &'static str,
    given: Option<i64>,
    default: u32,
    (min, max): (u32, u32),
    source: &'static str,
) -> Option<u32> {
    let Some(v) = given else {
        b.check(code, true, format!("no `duration_seconds`: the default of {default} seconds applies"), source);
        return Some(default);
    };
    if v < i64::from(min) || v > i64::from(max) {
        b.check(code, false, format!("`duration_seconds` {v} is outside {min} to {max} seconds"), source);
        return None;
    }
    b.check(code, true, format!("`duration_seconds` {v} is within {min} to {max} seconds"), source);
    u32::try_from(v).ok()
}

/// The characters of a policy's text without whitespace outside strings
/// (how long it is when passed minified).
pub(crate) fn minified_len(text: &str) -> usize {
    let mut n = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            n += 1;
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            n += 1;
            in_string = c == '"';
        }
    }
    n
}

/// Session policies and tags passed to AssumeRole or GetFederationToken.
/// `account` is where customer managed policies must live.
pub(crate) fn session_params(
    b: &mut HopBuilder,
    p: &SessionParams<'_>,
    account: &str,
    owner: &str,
    source: &'static str,
) {
    let n = p.policy_arns.len();
    b.check("policy-arns-count", n <= 10, format!("{n} managed session policy ARNs (up to 10)"), source);
    for a in &p.policy_arns {
        let acct = a.arn.text.split(':').nth(4).unwrap_or("");
        if acct != "aws" && acct != account {
            b.check(
                "policy-arn-account",
                false,
                format!("`{}` is in account {acct}; managed session policies must be in the same account as {owner} ({account})", a.arn.text),
                source,
            );
        }
    }
    let inline = p.policy.as_ref().map_or(0, |(_, text)| minified_len(text));
    let arns: usize = p.policy_arns.iter().map(|a| a.arn.text.chars().count()).sum();
    if p.policy.is_some() || n > 0 {
        b.check(
            "session-policy-size",
            inline + arns <= 2048,
            format!(
                "session policies: {inline} characters of inline policy (whitespace outside strings not counted) and {arns} of ARNs; the plaintext may not exceed 2,048"
            ),
            source,
        );
        b.note(
            "AWS also packs session policies and tags into a binary format with a separate, undocumented limit (`PackedPolicyTooLarge`); it is not checked",
            Some(source),
        );
    }
    if let Some((_, text)) = &p.policy {
        let ok = text.chars().all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'));
        b.check(
            "session-policy-characters",
            ok,
            if ok {
                "the inline session policy uses only the characters STS accepts".to_owned()
            } else {
                "the inline session policy has characters outside tab, line feed, carriage return and U+0020 to U+00FF"
                    .to_owned()
            },
            source,
        );
    }
    tags(b, &p.tags);
}

/// STS's tag pattern, `[\p{L}\p{Z}\p{N}_.:/=+\-@]`: letters, numbers,
/// separators (spaces, not tabs or line breaks) and seven symbols.
fn tag_chars(s: &str) -> bool {
    s.chars().all(|c| c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c))
}

/// Tag keys and values must not begin with `aws:`, reserved for AWS.
fn reserved_prefix(s: &str) -> bool {
    s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

const TAGS: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html";

/// Session tags: count, lengths, characters, no key twice ignoring case.
pub(crate) fn tags(b: &mut HopBuilder, tags: &[(Text, Text)]) {
    if tags.is_empty() {
        return;
    }
    let n = tags.len();
    b.check("session-tags-count", n <= 50, format!("{n} session tags (up to 50)"), SESSION_TAGS);
    for (k, v) in tags {
        let (kl, vl) = (k.text.chars().count(), v.text.chars().count());
        if !(1..=128).contains(&kl) || vl > 256 {
            b.check(
                "session-tag-length",
                false,
                format!("tag `{}`: keys have 1 to 128 characters and values up to 256 ({kl} and {vl} here)", k.text),
                SESSION_TAGS,
            );
        }
        if !tag_chars(&k.text) || !tag_chars(&v.text) {
            b.check(
                "session-tag-characters",
                false,
                format!("tag `{}` has a character STS does not accept in tags", k.text),
                API_ASSUME_ROLE,
            );
        }
        if reserved_prefix(&k.text) || reserved_prefix(&v.text) {
            b.check(
                "session-tag-reserved-prefix",
                false,
                format!("tag `{}`: tag keys and values cannot begin with `aws:`, which AWS reserves", k.text),
                TAGS,
            );
        }
    }
    for (i, (k, _)) in tags.iter().enumerate() {
        if tags.iter().skip(i + 1).any(|(o, _)| o.text.eq_ignore_ascii_case(&k.text)) {
            b.check(
                "session-tag-duplicate",
                false,
                format!("tag key `{}` is passed twice: tag keys are not case sensitive", k.text),
                SESSION_TAGS,
            );
        }
    }
}

/// The principal tags of a new session: the entity's tags, overridden by
/// inherited transitive tags, overridden by the tags passed to the call.
pub(crate) fn merge_tags(
    entity: &[(String, String)],
    entity_from: &'static str,
    inherited: &[SessionTag],
    passed: &[(Text, Text)],
    transitive: &[Text],
) -> Vec<SessionTag> {
    let mut out: Vec<SessionTag> = entity
        .iter()
        .map(|(k, v)| SessionTag { key: k.clone(), value: v.clone(), transitive: false, from: entity_from })
        .collect();
    let mut put = |t: SessionTag| {
        out.retain(|o| !o.key.eq_ignore_ascii_case(&t.key));
        out.push(t);
    };
    for t in inherited.iter().filter(|t| t.transitive) {
        put(SessionTag { from: "inherited", ..t.clone() });
    }
    for (k, v) in passed {
        let is_transitive = transitive.iter().any(|t| t.text.eq_ignore_ascii_case(&k.text));
        put(SessionTag { key: k.text.clone(), value: v.text.clone(), transitive: is_transitive, from: "session" });
    }
    out
}

/// The request tags a call adds to its context: `aws:RequestTag/*` and `aws:TagKeys`.
pub(crate) fn request_tag_keys(tags: &[(Text, Text)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> =
        tags.iter().map(|(k, v)| (format!("aws:RequestTag/{}", k.text), vec![v.text.clone()])).collect();
    if !tags.is_empty() {
        out.push(("aws:TagKeys".into(), tags.iter().map(|(k, _)| k.text.clone()).collect()));
    }
    out
}

/// What AWS documents a credential cannot call.
pub(crate) fn cannot_call(state: &State<'_>) -> Vec<String> {
    use super::CredentialKind as K;
    match state.kind {
        K::RoleSession => vec!["sts:GetFederationToken".into(), "sts:GetSessionToken".into()],
        K::SessionToken if state.mfa_present == Some(true) => {
            vec!["STS operations other than sts:AssumeRole and sts:GetCallerIdentity".into()]
        }
        K::SessionToken => vec![
            "IAM operations (the session was issued without MFA)".into(),
            "STS operations other than sts:AssumeRole and sts:GetCallerIdentity".into(),
        ],
        K::FederatedUser => {
            vec!["IAM operations".into(), "STS operations other than sts:GetCallerIdentity".into()]
        }
        K::RootUser => vec!["sts:AssumeRole".into(), "sts:AssumeRoot".into()],
        K::RootSession => vec!["anything outside its task policy".into()],
        K::IamUser => Vec::new(),
    }
}
