//! Classifying the request principal, and the context keys AWS derives from it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::arn::{is_account_id, Arn};
use crate::ascii;

/// Kinds of request principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalKind {
    /// The account root user.
    Root,
    User,
    /// A session of an IAM role (AssumeRole, web identity, SAML, EC2...).
    RoleSession,
    /// An STS federated user (GetFederationToken).
    FederatedUser,
    /// An AWS service principal such as `sns.amazonaws.com`.
    Service,
    /// An identity provider calling `AssumeRoleWithWebIdentity`/`WithSAML`.
    WebIdentity,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalKind {
    pub fn describe(self) -> &'static str {
        match self {
            PrincipalKind::Root => "the account root user",
            PrincipalKind::User => "an IAM user",
            PrincipalKind::RoleSession => "an IAM role session",
            PrincipalKind::FederatedUser => "an STS federated user",
            PrincipalKind::Service => "an AWS service principal",
            PrincipalKind::WebIdentity => "a web identity or SAML caller",
            PrincipalKind::Anonymous => "an anonymous caller",
        }
    }
}

/// Where a fact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Given in the scenario.
    Given,
    /// Derived from an ARN.
    Derived,
    /// Not known.
    Unknown,
}

/// The request principal, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller<'a> {
    pub kind: PrincipalKind,
    /// The principal as given.
    pub text: &'a str,
    pub partition: Option<&'a str>,
    pub account: Option<&'a str>,
    /// For role sessions the role ARN (with path); for federated users the
    /// ARN of the IAM user who called GetFederationToken.
    pub parent: Option<Cow<'a, str>>,
    pub parent_source: Source,
    /// User name, role name or federated user name.
    pub name: Option<&'a str>,
    /// Session name of a role session, when known.
    pub session: Option<&'a str>,
}

/// Why a principal string is not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerError {
    pub message: String,
    pub help: &'static str,
}

/// Identity providers that call `AssumeRoleWithWebIdentity`.
const WEB_IDENTITY_PROVIDERS: [&str; 4] =
    ["accounts.google.com", "www.amazon.com", "graph.facebook.com", "cognito-identity.amazonaws.com"];

/// The actions an identity provider calls, the one way the action changes
/// who the caller is.
pub(crate) fn is_web_identity_action(action: &str) -> bool {
    action.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity")
        || action.eq_ignore_ascii_case("sts:AssumeRoleWithSAML")
}

impl<'a> Caller<'a> {
    /// Classifies `principal`. `action` decides whether an identity provider
    /// is the caller (`sts:AssumeRoleWithWebIdentity`/`WithSAML`).
    /// `parent` is `request.session_parent_arn`.
    pub fn classify(principal: &'a str, action: &str, parent: Option<&'a str>) -> Result<Caller<'a>, CallerError> {
        let web_identity_action = is_web_identity_action(action);
        let mut c = Caller {
            kind: PrincipalKind::Anonymous,
            text: principal,
            partition: None,
            account: None,
            parent: None,
            parent_source: Source::Unknown,
            name: None,
            session: None,
        };
        if principal.eq_ignore_ascii_case("anonymous") || principal == "*" {
            return Ok(c);
        }
        if let Ok(arn) = Arn::parse(principal) {
            c.partition = Some(arn.partition);
            if !is_account_id(arn.account) {
                return Err(err(format!("the account part of `{principal}` is not a 12-digit account ID")));
            }
            c.account = Some(arn.account);
            let res = arn.resource;
            match arn.service {
                "iam" if res == "root" => c.kind = PrincipalKind::Root,
                "iam" if res.starts_with("user/") => {
                    c.kind = PrincipalKind::User;
                    c.name = Some(ascii::after_last(res, b'/'));
                }
                "iam" if res.starts_with("role/") => {
                    c.kind = PrincipalKind::RoleSession;
                    c.name = Some(ascii::after_last(res, b'/'));
                    c.parent = Some(Cow::Borrowed(principal));
                    c.parent_source = Source::Given;
                }
                "iam" if res.starts_with("saml-provider/") || res.starts_with("oidc-provider/") => {
                    c.kind = PrincipalKind::WebIdentity;
                }
                "sts" if res.starts_with("assumed-role/") => {
                    // `assumed-role/ROLE/SESSION`, the session keeping any further `/`.
                    let parts = res.get("assumed-role/".len()..).and_then(|rest| ascii::split_once(rest, b'/'));
                    let Some((role, session)) = parts else {
                        return Err(err(format!("`{principal}` is not a role session ARN")));
                    };
                    if role.is_empty() || session.is_empty() {
                        return Err(err(format!("`{principal}` is not a role session ARN")));
                    }
                    c.kind = PrincipalKind::RoleSession;
                    c.name = Some(role);
                    c.session = Some(session);
                    match parent {
                        Some(p) => {
                            c.parent = Some(Cow::Borrowed(p));
                            c.parent_source = Source::Given;
                        }
                        None => {
                            c.parent = Some(Cow::Owned(format!("arn:{}:iam::{}:role/{role}", arn.partition, arn.account)));
                            c.parent_source = Source::Derived;
                        }
                    }
                }
                "sts" if res.starts_with("federated-user/") => {
                    c.kind = PrincipalKind::FederatedUser;
                    c.name = res.strip_prefix("federated-user/");
                    if let Some(p) = parent {
                        c.parent = Some(Cow::Borrowed(p));
                        c.parent_source = Source::Given;
                    }
                }
                _ => {
                    return Err(err(format!(
                        "`{principal}` is not a principal ARN: expected `root`, `user/...`, `role/...`, `assumed-role/...` or `federated-user/...`"
                    )))
                }
            }
            return Ok(c);
        }
        if principal.starts_with("arn:") {
            return Err(err(format!("`{principal}` is not a valid ARN")));
        }
        if web_identity_action && (WEB_IDENTITY_PROVIDERS.contains(&principal) || principal.contains('.')) {
            c.kind = PrincipalKind::WebIdentity;
            return Ok(c);
        }
        if principal.contains('.') && !principal.contains(char::is_whitespace) && !principal.contains('*') {
            c.kind = PrincipalKind::Service;
            return Ok(c);
        }
        if is_account_id(principal) {
            return Err(CallerError {
                message: format!("`{principal}` is an account, not a principal"),
                help: "for the account's root user write `arn:aws:iam::<account>:root`",
            });
        }
        Err(err(format!("`{principal}` is not a principal")))
    }

    /// Principals that have identity-based policies (users, role sessions,
    /// federated users through their IAM user).
    pub fn has_identity_policies(&self) -> bool {
        matches!(self.kind, PrincipalKind::User | PrincipalKind::RoleSession | PrincipalKind::FederatedUser)
    }

    /// Session principals, which may carry session policies.
    pub fn is_session(&self) -> bool {
        matches!(self.kind, PrincipalKind::RoleSession | PrincipalKind::FederatedUser)
    }

    /// Principals of an AWS account (subject to the account's SCPs).
    pub fn is_account_principal(&self) -> bool {
        self.account.is_some() && self.kind != PrincipalKind::WebIdentity
    }

    /// The ARN that `aws:PrincipalArn` reports.
    pub fn principal_arn(&self) -> Option<Cow<'a, str>> {
        match self.kind {
            PrincipalKind::Root | PrincipalKind::User | PrincipalKind::FederatedUser => Some(Cow::Borrowed(self.text)),
            PrincipalKind::RoleSession => self.parent.clone(),
            _ => None,
        }
    }

    /// The value of `aws:PrincipalType`.
    pub fn principal_type(&self) -> Option<&'static str> {
        match self.kind {
            PrincipalKind::Root => Some("Account"),
            PrincipalKind::User => Some("User"),
            PrincipalKind::RoleSession => Some("AssumedRole"),
            PrincipalKind::FederatedUser => Some("FederatedUser"),
            PrincipalKind::Anonymous => Some("Anonymous"),
            _ => None,
        }
    }
}

#[cold]
fn err(message: String) -> CallerError {
    CallerError {
        message,
        help: "a principal is an IAM or STS ARN (`arn:aws:iam::111122223333:user/alice`, `arn:aws:sts::111122223333:assumed-role/Role/session`), `anonymous`, or a service principal such as `sns.amazonaws.com`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(p: &str) -> PrincipalKind {
        Caller::classify(p, "s3:GetObject", None).unwrap().kind
    }

    #[test]
    fn classifies_principals() {
        assert_eq!(kind("arn:aws:iam::111122223333:root"), PrincipalKind::Root);
        assert_eq!(kind("arn:aws:iam::111122223333:user/a/b/alice"), PrincipalKind::User);
        assert_eq!(kind("arn:aws:sts::111122223333:federated-user/x"), PrincipalKind::FederatedUser);
        assert_eq!(kind("anonymous"), PrincipalKind::Anonymous);
        assert_eq!(kind("sns.amazonaws.com"), PrincipalKind::Service);
        assert_eq!(
            Caller::classify("accounts.google.com", "sts:AssumeRoleWithWebIdentity", None).unwrap().kind,
            PrincipalKind::WebIdentity
        );
        assert!(Caller::classify("111122223333", "s3:GetObject", None).is_err());
        assert!(Caller::classify("arn:aws:iam::1:user/x", "s3:GetObject", None).is_err());
        assert!(Caller::classify("bob", "s3:GetObject", None).is_err());
    }

    #[test]
    fn role_sessions_derive_the_role_arn() {
        let c = Caller::classify("arn:aws:sts::111122223333:assumed-role/App/w1", "s3:GetObject", None).unwrap();
        assert_eq!(c.parent.as_deref(), Some("arn:aws:iam::111122223333:role/App"));
        assert_eq!(c.parent_source, Source::Derived);
        assert_eq!(c.session, Some("w1"));
        let c = Caller::classify(
            "arn:aws:sts::111122223333:assumed-role/App/w1",
            "s3:GetObject",
            Some("arn:aws:iam::111122223333:role/path/App"),
        )
        .unwrap();
        assert_eq!(c.principal_arn().as_deref(), Some("arn:aws:iam::111122223333:role/path/App"));
    }
}
