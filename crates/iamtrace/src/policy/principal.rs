//! Principal entries of resource-based policies, and what each form names.

use serde::Serialize;

use crate::arn::{is_account_id, Arn};
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::span::Str;

/// The key of a principal map entry; `Any` is the bare `"Principal": "*"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PrincipalKey {
    Any,
    #[serde(rename = "AWS")]
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKey {
    pub fn name(self) -> &'static str {
        match self {
            PrincipalKey::Any => "*",
            PrincipalKey::Aws => "AWS",
            PrincipalKey::Service => "Service",
            PrincipalKey::Federated => "Federated",
            PrincipalKey::CanonicalUser => "CanonicalUser",
        }
    }

    pub(crate) fn from_name(s: &str) -> Option<PrincipalKey> {
        match s {
            "AWS" => Some(PrincipalKey::Aws),
            "Service" => Some(PrincipalKey::Service),
            "Federated" => Some(PrincipalKey::Federated),
            "CanonicalUser" => Some(PrincipalKey::CanonicalUser),
            _ => None,
        }
    }
}

/// What an `AWS` principal value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AwsForm {
    /// `*`: everyone, anonymous callers included.
    Everyone,
    /// A 12-digit account ID: the account.
    AccountId,
    /// `arn:...:iam::<account>:root`: the account.
    AccountRoot,
    /// An IAM user ARN.
    User,
    /// An IAM role ARN.
    Role,
    /// A role session ARN (`sts ... assumed-role/<role>/<session>`).
    RoleSession,
    /// An STS federated user ARN.
    FederatedUser,
    /// A unique ID such as `AIDA...` (user) or `AROA...` (role).
    UniqueId,
}

impl AwsForm {
    pub fn describe(self) -> &'static str {
        match self {
            AwsForm::Everyone => "everyone (`*`)",
            AwsForm::AccountId => "an account ID",
            AwsForm::AccountRoot => "an account (root ARN)",
            AwsForm::User => "an IAM user ARN",
            AwsForm::Role => "an IAM role ARN",
            AwsForm::RoleSession => "a role session ARN",
            AwsForm::FederatedUser => "a federated user ARN",
            AwsForm::UniqueId => "a unique ID",
        }
    }

    pub fn is_account(self) -> bool {
        matches!(self, AwsForm::AccountId | AwsForm::AccountRoot)
    }
}

/// One value of a principal map, e.g. one ARN under `AWS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry<'a> {
    pub key: PrincipalKey,
    pub value: Str<'a>,
    /// For `AWS` (and `Any`) entries: what the value names.
    pub form: Option<AwsForm>,
}

impl PrincipalEntry<'_> {
    pub fn into_owned(self) -> PrincipalEntry<'static> {
        PrincipalEntry { key: self.key, value: self.value.into_owned(), form: self.form }
    }

    /// The account an `AWS` entry refers to (for account, root, user, role and session forms).
    pub fn account(&self) -> Option<&str> {
        match self.form? {
            AwsForm::AccountId => Some(self.value.as_str()),
            AwsForm::AccountRoot | AwsForm::User | AwsForm::Role | AwsForm::RoleSession | AwsForm::FederatedUser => {
                Arn::parse(self.value.as_str()).ok().map(|a| a.account)
            }
            _ => None,
        }
    }
}

/// Classifies and validates the value of an `AWS` principal entry.
pub(crate) fn classify_aws(value: &Str<'_>) -> Result<AwsForm, Diagnostic> {
    let s = value.as_str();
    if s == "*" {
        return Ok(AwsForm::Everyone);
    }
    if s.contains(['*', '?']) {
        return Err(partial_wildcard(value));
    }
    if is_account_id(s) {
        return Ok(AwsForm::AccountId);
    }
    if let Ok(arn) = Arn::parse(s) {
        let bad = |what: &str| {
            Diagnostic::error(
                Code::PrincipalInvalid,
                value.span,
                format!("{} is not a valid AWS principal: {what}", quote(s)),
            )
        };
        if !is_account_id(arn.account) {
            return Err(bad("the account part must be a 12-digit account ID"));
        }
        if !arn.region.is_empty() {
            return Err(bad("IAM and STS principal ARNs have no region"));
        }
        let resource = arn.resource;
        let form =
            match arn.service {
                "iam" if resource == "root" => AwsForm::AccountRoot,
                "iam" if resource.starts_with("user/") => AwsForm::User,
                "iam" if resource.starts_with("role/") => AwsForm::Role,
                "iam" if resource.starts_with("group/") => {
                    return Err(Diagnostic::error(
                        Code::PrincipalGroup,
                        value.span,
                        format!("IAM groups cannot be principals: {}", quote(s)),
                    )
                    .with_help("name the users, or grant access with an identity-based policy attached to the group"))
                }
                "sts" if resource.starts_with("assumed-role/") => {
                    if resource.split('/').count() != 3 {
                        return Err(bad("a session ARN is `assumed-role/<role-name>/<session-name>`"));
                    }
                    AwsForm::RoleSession
                }
                "sts" if resource.starts_with("federated-user/") => AwsForm::FederatedUser,
                _ => return Err(bad(
                    "expected an account, `root`, `user/...`, `role/...`, `assumed-role/...` or `federated-user/...`",
                )),
            };
        if resource.ends_with('/') {
            return Err(bad("the name is missing after the last `/`"));
        }
        return Ok(form);
    }
    if is_unique_id(s) {
        return Ok(AwsForm::UniqueId);
    }
    Err(Diagnostic::error(Code::PrincipalInvalid, value.span, format!("{} is not a valid AWS principal", quote(s)))
        .with_help("use `*`, a 12-digit account ID, or an IAM/STS ARN such as `arn:aws:iam::111122223333:user/alice`"))
}

/// Validates a `Service`, `Federated` or `CanonicalUser` value.
pub(crate) fn check_other(key: PrincipalKey, value: &Str<'_>) -> Result<(), Diagnostic> {
    let s = value.as_str();
    if s == "*" && key == PrincipalKey::Service {
        return Err(Diagnostic::error(Code::PrincipalServiceStar, value.span, "`\"Service\": \"*\"` is not allowed")
            .with_help(
                "name the service principals, e.g. `ec2.amazonaws.com`, or use `\"AWS\": \"*\"` with conditions",
            ));
    }
    if s.contains(['*', '?']) {
        return Err(partial_wildcard(value));
    }
    if s.is_empty() {
        return Err(Diagnostic::error(Code::PrincipalInvalid, value.span, format!("empty `{}` principal", key.name())));
    }
    Ok(())
}

fn partial_wildcard(value: &Str<'_>) -> Diagnostic {
    Diagnostic::error(
        Code::PrincipalWildcard,
        value.span,
        format!("wildcards are not allowed inside a principal: {}", quote(value.as_str())),
    )
    .with_help("`*` is allowed only as the whole value; to match many principals use `\"AWS\": \"*\"` with an `aws:PrincipalArn` condition and `ArnLike`")
}

/// IAM unique IDs: four-letter prefix (AIDA user, AROA role, ...) and
/// uppercase letters and digits.
pub(crate) fn is_unique_id(s: &str) -> bool {
    const PREFIXES: [&str; 6] = ["AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ASIA"];
    s.len() >= 16
        && s.len() <= 128
        && PREFIXES.iter().any(|p| s.starts_with(p))
        && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}
