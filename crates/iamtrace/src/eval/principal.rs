//! Matching `Principal` and `NotPrincipal` against the caller (SPEC §2.3, §1.6).

use std::borrow::Cow;

use crate::arn::Arn;
use crate::policy::{AwsForm, PrincipalBlock, PrincipalEntry, PrincipalKey, Statement};
use crate::request::{Caller, Keys, PrincipalKind, Source};
use crate::trace::{ElementStatus, Grant, PrincipalHit, PrincipalTrace};

/// What the caller looks like to principal matching.
#[derive(Clone, Copy)]
pub(super) struct Who<'r, 'a> {
    pub caller: &'r Caller<'a>,
    pub context: &'r Keys<'r, 'a>,
    /// The caller has a permissions boundary attached.
    pub has_boundary: bool,
    /// A GetFederationToken session created without session policies: only
    /// a `Principal` that names its ARN grants it anything.
    pub federated_without_session_policy: bool,
    /// Allow statements of a VPC endpoint policy for S3 or DynamoDB, whose
    /// endpoint may be a gateway endpoint: there an account principal
    /// (`123456789012` or its root ARN) names the account's root user only.
    pub gateway_allow: bool,
}

fn hit<'a>(e: &PrincipalEntry<'a>) -> PrincipalHit<'a> {
    PrincipalHit { key: e.key, form: e.form, value: e.value.value.clone(), span: e.value.span }
}

/// Whether an account-form entry (`123456789012` or the root ARN) names the
/// caller's account. Naming an account delegates to the IAM principals of
/// that account (its root user, users, role sessions and federated users);
/// a caller signed in through a SAML or OIDC provider is not one of them,
/// though the provider's ARN carries the account: such callers are named
/// only by `Federated` (the Principal element page).
fn names_account(e: &PrincipalEntry<'_>, caller: &Caller<'_>) -> bool {
    caller.is_account_principal() && names_callers_account(e, caller)
}

/// Whether an account-form entry names the account in the caller's ARN,
/// whatever the caller is.
fn names_callers_account(e: &PrincipalEntry<'_>, caller: &Caller<'_>) -> bool {
    let Some(account) = caller.account else { return false };
    match e.form {
        Some(AwsForm::AccountId) => e.value.as_str() == account,
        Some(AwsForm::AccountRoot) => {
            Arn::parse(e.value.as_str()).is_ok_and(|a| a.account == account && Some(a.partition) == caller.partition)
        }
        _ => false,
    }
}

/// Whether a role ARN names the role of the caller's session. When the
/// scenario does not give the role's ARN (so its path is unknown), the role
/// is recognised by account and name: role names are unique within an
/// account whatever their path (IAM `CreateRole`).
fn names_role(role_arn: &str, c: &Caller<'_>) -> bool {
    let Some(parent) = c.parent.as_deref() else { return false };
    if role_arn == parent {
        return true;
    }
    if c.parent_source != Source::Derived {
        return false;
    }
    match (Arn::parse(role_arn), c.name) {
        (Ok(a), Some(name)) => {
            Some(a.partition) == c.partition
                && Some(a.account) == c.account
                && a.resource.starts_with("role/")
                && a.resource.rsplit('/').next() == Some(name)
        }
        _ => false,
    }
}

/// How one entry names the caller, if it does.
fn entry_grant(e: &PrincipalEntry<'_>, who: &Who<'_, '_>) -> Option<Grant> {
    let c = who.caller;
    let v = e.value.as_str();
    match e.key {
        PrincipalKey::Any => Some(Grant::Everyone),
        PrincipalKey::Service => {
            (c.kind == PrincipalKind::Service && v.eq_ignore_ascii_case(c.text)).then_some(Grant::Service)
        }
        PrincipalKey::Federated => (c.kind == PrincipalKind::WebIdentity && v == c.text).then_some(Grant::Federated),
        PrincipalKey::CanonicalUser => None,
        // A gateway endpoint's policy names principals by `*` (narrowed with
        // `aws:PrincipalArn`); an account there is its root user only.
        PrincipalKey::Aws
            if who.gateway_allow
                && !matches!(e.form, Some(AwsForm::Everyone | AwsForm::AccountId | AwsForm::AccountRoot)) =>
        {
            None
        }
        PrincipalKey::Aws => match e.form? {
            AwsForm::Everyone => Some(Grant::Everyone),
            AwsForm::AccountId | AwsForm::AccountRoot => {
                let named = names_account(e, c) && (!who.gateway_allow || c.kind == PrincipalKind::Root);
                named.then_some(Grant::Account)
            }
            AwsForm::User => match c.kind {
                PrincipalKind::User if v == c.text => Some(Grant::Direct),
                PrincipalKind::FederatedUser if c.parent.as_deref() == Some(v) => Some(Grant::Entity),
                _ => None,
            },
            AwsForm::Role => (c.kind == PrincipalKind::RoleSession && names_role(v, c)).then_some(Grant::Entity),
            AwsForm::RoleSession => {
                (c.kind == PrincipalKind::RoleSession && c.session.is_some() && v == c.text).then_some(Grant::Direct)
            }
            AwsForm::FederatedUser => (c.kind == PrincipalKind::FederatedUser && v == c.text).then_some(Grant::Direct),
            AwsForm::UniqueId => {
                let userid = who.context.get("aws:userid")?;
                let userid = userid.value.iter().next()?;
                match c.kind {
                    PrincipalKind::User if userid == v => Some(Grant::Direct),
                    PrincipalKind::RoleSession if userid.split(':').next() == Some(v) => Some(Grant::Entity),
                    _ => None,
                }
            }
        },
    }
}

/// Ranks grants: the strongest one found decides what still limits it.
pub(super) fn rank(g: Grant) -> u8 {
    match g {
        Grant::Direct => 5,
        Grant::Everyone => 4,
        Grant::Service | Grant::Federated => 3,
        Grant::Entity => 2,
        Grant::Account => 1,
    }
}

/// Whether the statement narrows a `*` principal with `aws:PrincipalArn`.
fn has_principal_arn_condition(st: &Statement<'_>) -> bool {
    st.conditions.iter().any(|c| c.key.value.eq_ignore_ascii_case("aws:PrincipalArn"))
}

/// The strongest grant an entry of a `Principal` block makes to the caller
/// (a `*` narrowed by an `aws:PrincipalArn` condition is a direct grant),
/// and whether that narrowing happened.
fn best_grant(block: &PrincipalBlock<'_>, st: &Statement<'_>, who: &Who<'_, '_>) -> (Option<Grant>, bool) {
    let best = block.entries.iter().filter_map(|e| entry_grant(e, who)).fold(None, |best: Option<Grant>, g| {
        if best.is_none_or(|b| rank(g) > rank(b)) {
            Some(g)
        } else {
            best
        }
    });
    // A federated user without session policies needs a policy that names
    // it in the `Principal` element (the GetFederationToken page); a
    // condition does not name it there.
    if best == Some(Grant::Everyone) && has_principal_arn_condition(st) && !who.federated_without_session_policy {
        (Some(Grant::Direct), true)
    } else {
        (best, false)
    }
}

/// Whether a `Principal` or `NotPrincipal` block lets the statement apply
/// to the caller, and the grant it makes (decision only, no trace).
pub(super) fn applies(block: &PrincipalBlock<'_>, st: &Statement<'_>, who: &Who<'_, '_>) -> (bool, Option<Grant>) {
    if block.negated {
        let (exempt, _) = not_principal_layers(block, who);
        return (!exempt, None);
    }
    let (grant, _) = best_grant(block, st, who);
    (grant.is_some(), grant)
}

/// Matches a `Principal` or `NotPrincipal` block, with its trace.
pub(super) fn matches<'a>(block: &PrincipalBlock<'a>, st: &Statement<'a>, who: &Who<'_, 'a>) -> PrincipalTrace<'a> {
    if block.negated {
        return not_principal(block, who);
    }
    let hits: Vec<PrincipalHit<'a>> = block.entries.iter().filter(|e| entry_grant(e, who).is_some()).map(hit).collect();
    let (grant, narrowed) = best_grant(block, st, who);
    let note = if narrowed {
        Some("`*` narrowed by an `aws:PrincipalArn` condition: a direct grant to the caller".to_owned())
    } else if grant.is_none() {
        no_match_note(block, who)
    } else if grant == Some(Grant::Everyone) && who.federated_without_session_policy {
        Some(
            "`*` does not name the federated user: without a session policy only a `Principal` naming its ARN grants it anything"
                .to_owned(),
        )
    } else {
        None
    };
    PrincipalTrace {
        element: "Principal",
        status: if grant.is_some() { ElementStatus::Matched } else { ElementStatus::NotMatched },
        against: Cow::Borrowed(who.caller.text),
        hits,
        grant,
        note,
        span: block.span,
    }
}

fn no_match_note(block: &PrincipalBlock<'_>, who: &Who<'_, '_>) -> Option<String> {
    let c = who.caller;
    if block.entries.iter().any(|e| e.key == PrincipalKey::CanonicalUser) {
        return Some("canonical user IDs cannot be compared: the request has no canonical ID".to_owned());
    }
    if block.entries.iter().any(|e| e.form == Some(AwsForm::UniqueId)) && !who.context.contains("aws:userid") {
        return Some("unique IDs are compared with `aws:userid`, which the request does not have".to_owned());
    }
    if c.kind == PrincipalKind::RoleSession
        && c.session.is_none()
        && block.entries.iter().any(|e| e.form == Some(AwsForm::RoleSession))
    {
        return Some("the request names a role, not a session, so session ARNs cannot match".to_owned());
    }
    if who.gateway_allow && block.entries.iter().any(|e| e.key == PrincipalKey::Aws) {
        return Some(
            "S3 and DynamoDB have gateway endpoints, whose policies name principals by `\"*\"` with an `aws:PrincipalArn` condition; an account there is its root user only"
                .to_owned(),
        );
    }
    if c.kind == PrincipalKind::WebIdentity && block.entries.iter().any(|e| names_callers_account(e, c)) {
        return Some(
            "naming an account covers its IAM principals; a SAML or OIDC caller is named by `Federated` with its provider's ARN"
                .to_owned(),
        );
    }
    let user_case = block.entries.iter().find(|e| {
        e.form == Some(AwsForm::User) && e.value.as_str() != c.text && e.value.as_str().eq_ignore_ascii_case(c.text)
    });
    user_case.map(|e| {
        format!("`{}` differs from the caller only in case; principal names are case-sensitive", e.value.as_str())
    })
}

/// Which identity layers of the caller a `NotPrincipal` block lists:
/// whether the caller is exempt, the entries that list a layer and the
/// names of the layers not listed.
fn not_principal_layers<'b, 'a>(
    block: &'b PrincipalBlock<'a>,
    who: &Who<'_, '_>,
) -> (bool, (Vec<&'b PrincipalEntry<'a>>, Vec<&'static str>)) {
    let c = who.caller;
    let find = |pred: &dyn Fn(&PrincipalEntry<'a>) -> bool| block.entries.iter().find(|e| pred(e));
    let account = find(&|e| names_account(e, c));
    let exact =
        |form: AwsForm, value: &str| block.entries.iter().find(|e| e.form == Some(form) && e.value.as_str() == value);
    let layers: Vec<(&'static str, Option<&'b PrincipalEntry<'a>>)> = match c.kind {
        PrincipalKind::Root => vec![("account", account)],
        PrincipalKind::User => vec![("user", exact(AwsForm::User, c.text)), ("account", account)],
        PrincipalKind::RoleSession => vec![
            ("session", if c.session.is_some() { exact(AwsForm::RoleSession, c.text) } else { None }),
            ("role", block.entries.iter().find(|e| e.form == Some(AwsForm::Role) && names_role(e.value.as_str(), c))),
            ("account", account),
        ],
        PrincipalKind::FederatedUser => {
            vec![("federated user", exact(AwsForm::FederatedUser, c.text)), ("account", account)]
        }
        PrincipalKind::Service => {
            vec![(
                "service",
                find(&|e| e.key == PrincipalKey::Service && e.value.as_str().eq_ignore_ascii_case(c.text)),
            )]
        }
        PrincipalKind::WebIdentity => {
            vec![("identity provider", find(&|e| e.key == PrincipalKey::Federated && e.value.as_str() == c.text))]
        }
        PrincipalKind::Anonymous => vec![("anonymous caller", None)],
    };
    let listed: Vec<&PrincipalEntry<'a>> = layers.iter().filter_map(|(_, e)| *e).collect();
    let missing: Vec<&'static str> = layers.iter().filter(|(_, e)| e.is_none()).map(|(n, _)| *n).collect();
    // `has_boundary` already requires a caller that can have identity policies.
    let exempt = missing.is_empty() && !who.has_boundary;
    (exempt, (listed, missing))
}

/// `NotPrincipal` (only with `Deny`): the statement applies to every caller
/// not exempted. A caller is exempt only when each of its identity layers is
/// listed (user + account; session + role + account; federated user +
/// account), and never when it has a permissions boundary (SPEC §1.6).
fn not_principal<'a>(block: &PrincipalBlock<'a>, who: &Who<'_, 'a>) -> PrincipalTrace<'a> {
    let c = who.caller;
    let (exempt, (listed, missing)) = not_principal_layers(block, who);
    let note = if who.has_boundary {
        Some("a `NotPrincipal` deny always applies to IAM users and roles with a permissions boundary".to_owned())
    } else if exempt {
        Some("every identity layer of the caller is listed, so the deny does not apply".to_owned())
    } else {
        Some(format!("not exempt: no entry lists the caller's {}", missing.join(", ")))
    };
    PrincipalTrace {
        element: "NotPrincipal",
        status: if exempt { ElementStatus::NotMatched } else { ElementStatus::Matched },
        against: Cow::Borrowed(c.text),
        hits: listed.into_iter().map(hit).collect(),
        grant: None,
        note,
        span: block.span,
    }
}
