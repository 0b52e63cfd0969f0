//! The principal, from `userIdentity`, and the context keys it carries.
//!
//! The identity types and fields are those of AWS's page "CloudTrail
//! userIdentity element"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html>);
//! the key values follow the IAM global condition keys page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).

use crate::arn::Arn;
use crate::diagnostic::{Code, Diagnostic};

use super::source::{At, Field};
use super::Out;

/// `userIdentity.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Root,
    IamUser,
    AssumedRole,
    Role,
    FederatedUser,
    AwsAccount,
    AwsService,
    IdentityCenterUser,
    SamlUser,
    WebIdentityUser,
    Directory,
    Unknown,
}

const TYPES: [(&str, Kind); 12] = [
    ("Root", Kind::Root),
    ("IAMUser", Kind::IamUser),
    ("AssumedRole", Kind::AssumedRole),
    ("Role", Kind::Role),
    ("FederatedUser", Kind::FederatedUser),
    ("AWSAccount", Kind::AwsAccount),
    ("AWSService", Kind::AwsService),
    ("IdentityCenterUser", Kind::IdentityCenterUser),
    ("SAMLUser", Kind::SamlUser),
    ("WebIdentityUser", Kind::WebIdentityUser),
    ("Directory", Kind::Directory),
    ("Unknown", Kind::Unknown),
];

/// What the rest of the import needs to know about the caller.
#[derive(Debug, Clone)]
pub(super) struct Who {
    pub kind: Kind,
    /// The partition of the caller's ARN.
    pub partition: Option<String>,
    /// `userIdentity.accountId`: the account whose credentials made the call.
    pub account: Option<Field>,
    /// `userIdentity.invokedBy`: the AWS service that made the request.
    pub invoked_by: Option<Field>,
    /// The `userIdentity` element itself, for keys read from what it lacks.
    pub element: Field,
}

impl Who {
    /// IAM principals: users, role sessions, federated users, root.
    pub(super) fn is_iam_principal(&self) -> bool {
        matches!(self.kind, Kind::Root | Kind::IamUser | Kind::AssumedRole | Kind::Role | Kind::FederatedUser)
    }
}

/// Reads `userIdentity`: sets the principal (and session parent) and the
/// identity's context keys. `None` when there is no usable identity.
pub(super) fn read(rec: &At<'_, '_, '_>, out: &mut Out<'_>) -> Option<Who> {
    let Some(ui) = rec.get("userIdentity") else {
        out.error(
            Diagnostic::error(Code::CloudtrailMissingField, rec.start(), "this record has no `userIdentity`")
                .with_help(
                    "the principal of a request comes from `userIdentity`; CloudTrail writes it for every API call",
                ),
        );
        out.missing("principal", "the record has no `userIdentity`");
        return None;
    };
    if ui.node.as_object().is_none() {
        out.error(Diagnostic::error(
            Code::CloudtrailWrongType,
            ui.span(),
            format!("`{}` must be an object, found {}", ui.path, ui.node.value.kind()),
        ));
        return None;
    }
    let Some(ty) = ui.field("type") else {
        out.error(
            Diagnostic::error(Code::CloudtrailMissingField, ui.start(), "`userIdentity` has no `type`")
                .with_help("CloudTrail always writes `userIdentity.type`: `IAMUser`, `AssumedRole`, `Root`, ..."),
        );
        out.missing("principal", "`userIdentity.type` is missing");
        return None;
    };
    let Some(kind) = TYPES.iter().find(|(name, _)| *name == ty.value).map(|(_, k)| *k) else {
        let names: Vec<&str> = TYPES.iter().map(|(n, _)| *n).collect();
        out.error(
            Diagnostic::error(
                Code::CloudtrailUnknownIdentityType,
                ty.span,
                format!("unknown identity type `{}`", ty.value),
            )
            .with_help(format!("CloudTrail documents these types: {}", names.join(", "))),
        );
        out.missing("principal", format!("the identity type `{}` is not one CloudTrail documents", ty.value));
        return None;
    };
    let arn = ui.field("arn");
    let who = Who {
        kind,
        partition: arn.as_ref().and_then(|a| Arn::parse(&a.value).ok().map(|p| p.partition.to_owned())),
        account: ui.field("accountId"),
        invoked_by: ui.field("invokedBy"),
        element: Field { value: String::new(), path: ui.path.clone(), span: ui.span() },
    };
    principal(&ui, &who, &ty, rec, out);
    if who.is_iam_principal() {
        credentials(&ui, &who, out);
        session(&ui, &who, out);
        out.key1("aws:PrincipalIsAWSService", "false", &ty, Some("an IAM principal, not a service principal".into()));
    }
    Some(who)
}

/// The principal and the keys that name it.
fn principal(ui: &At<'_, '_, '_>, who: &Who, ty: &Field, rec: &At<'_, '_, '_>, out: &mut Out<'_>) {
    let arn = ui.field("arn");
    let principal_id = ui.field("principalId");
    let account = who.account.clone();
    let issuer = ui.field("sessionContext.sessionIssuer.arn");
    let principal_type = |out: &mut Out<'_>, value: &str| {
        out.key1("aws:PrincipalType", value, ty, Some(format!("AWS reports `{value}` for this identity type")));
    };
    let principal_account = |out: &mut Out<'_>| {
        if let Some(a) = &account {
            out.key1("aws:PrincipalAccount", a.value.clone(), a, None);
        }
    };
    match who.kind {
        Kind::Root => {
            let (value, from, note) = match (&arn, &account) {
                (Some(a), _) => (a.value.clone(), a.clone(), None),
                (None, Some(acct)) => (
                    format!("arn:{}:iam::{}:root", who.partition.as_deref().unwrap_or("aws"), acct.value),
                    acct.clone(),
                    Some("the root user's ARN, from the account".to_owned()),
                ),
                (None, None) => {
                    out.missing("principal", "the root identity has neither `arn` nor `accountId`");
                    return;
                }
            };
            out.set("principal", value.clone(), &from, note.clone());
            out.key1("aws:PrincipalArn", value, &from, note);
            principal_type(out, "Account");
            principal_account(out);
            // AWS gives the root user's account ID as aws:userid.
            if let Some(a) = &account {
                out.key1("aws:userid", a.value.clone(), a, Some("the root user's aws:userid is its account ID".into()));
            }
        }
        Kind::IamUser => {
            let built = match (&arn, &account, ui.field("userName")) {
                (Some(a), _, _) => Some((a.value.clone(), a.clone(), None)),
                (None, Some(acct), Some(name)) => Some((
                    format!(
                        "arn:{}:iam::{}:user/{}",
                        who.partition.as_deref().unwrap_or("aws"),
                        acct.value,
                        name.value
                    ),
                    name,
                    Some("built from `accountId` and `userName`; a user path is not in the record".to_owned()),
                )),
                _ => None,
            };
            match built {
                Some((value, from, note)) => {
                    out.set("principal", value.clone(), &from, note.clone());
                    out.key1("aws:PrincipalArn", value, &from, note);
                }
                None => out.missing("principal", "the IAM user identity has no `arn`"),
            }
            principal_type(out, "User");
            principal_account(out);
            if let Some(id) = &principal_id {
                out.key1("aws:userid", id.value.clone(), id, None);
            }
            if let Some(name) = ui.field("userName") {
                out.key1("aws:username", name.value.clone(), &name, None);
            }
        }
        Kind::AssumedRole | Kind::Role => {
            match &arn {
                Some(a) => out.set("principal", a.value.clone(), a, None),
                None => out.missing("principal", "the role session has no `arn`"),
            }
            match &issuer {
                Some(i) => {
                    out.set("session_parent_arn", i.value.clone(), i, Some("the role, with its path".into()));
                    out.key1(
                        "aws:PrincipalArn",
                        i.value.clone(),
                        i,
                        Some("for a role session AWS reports the role's ARN, not the session's".into()),
                    );
                }
                None => out.note(
                    "`sessionContext.sessionIssuer.arn` is missing: the role's ARN is derived from the session ARN, which does not show a role path",
                ),
            }
            principal_type(out, "AssumedRole");
            principal_account(out);
            if let Some(id) = &principal_id {
                out.key1("aws:userid", id.value.clone(), id, Some("role ID and session name".into()));
            }
            if who.kind == Kind::Role {
                out.note("identity type `Role`: CloudTrail names a role rather than a role session; iamtrace treats it as a session of that role");
            }
        }
        Kind::FederatedUser => {
            match &arn {
                Some(a) => {
                    out.set("principal", a.value.clone(), a, None);
                    out.key1("aws:PrincipalArn", a.value.clone(), a, None);
                }
                None => out.missing("principal", "the federated user has no `arn`"),
            }
            if let Some(i) = &issuer {
                out.set(
                    "session_parent_arn",
                    i.value.clone(),
                    i,
                    Some("the IAM user (or root) that called GetFederationToken".into()),
                );
            }
            principal_type(out, "FederatedUser");
            principal_account(out);
            if let Some(id) = &principal_id {
                out.key1("aws:userid", id.value.clone(), id, None);
            }
        }
        Kind::AwsAccount => {
            out.missing(
                "principal",
                "`AWSAccount`: the caller is a principal of another account, and CloudTrail does not say which",
            );
            principal_account(out);
            if let Some(id) = &principal_id {
                out.key1("aws:userid", id.value.clone(), id, Some("the unique ID of the unnamed caller".into()));
            }
        }
        Kind::AwsService => match &who.invoked_by {
            Some(svc) => {
                out.set(
                    "principal",
                    svc.value.clone(),
                    svc,
                    Some("the service principal that made the request".into()),
                );
                out.key1("aws:PrincipalIsAWSService", "true", ty, Some("a service principal".into()));
                out.key1("aws:PrincipalServiceName", svc.value.clone(), svc, None);
                for key in ["aws:SourceArn", "aws:SourceAccount"] {
                    out.unknown(key, "present when a service acts for a resource; the record does not name it");
                }
            }
            None => out.missing("principal", "`AWSService` without `invokedBy`: the service is not named"),
        },
        Kind::IdentityCenterUser => {
            out.missing(
                "principal",
                "`IdentityCenterUser`: the call was made with an IAM Identity Center token, not by an IAM principal",
            );
            if let Some(u) = ui.field("onBehalfOf.userId") {
                out.note(format!("on behalf of IAM Identity Center user `{}`", u.value));
            }
        }
        Kind::SamlUser => {
            // AssumeRoleWithSAML: the identity provider is the caller.
            match rec.field("requestParameters.principalArn") {
                Some(p) => out.set(
                    "principal",
                    p.value.clone(),
                    &p,
                    Some("the SAML provider that vouched for the user".into()),
                ),
                None => out.missing(
                    "principal",
                    "`SAMLUser` without `requestParameters.principalArn`: the SAML provider is not named",
                ),
            }
            if let Some(sub) = ui.field("userName") {
                out.key1("saml:sub", sub.value.clone(), &sub, Some("`userName` is the assertion's subject".into()));
            }
            if let Some(q) = ui.field("identityProvider") {
                out.key1("saml:namequalifier", q.value.clone(), &q, None);
            }
        }
        Kind::WebIdentityUser => match ui.field("identityProvider") {
            Some(p) => {
                out.set("principal", p.value.clone(), &p, Some("the identity provider that issued the token".into()))
            }
            None => out.missing("principal", "`WebIdentityUser` without `identityProvider`"),
        },
        Kind::Directory => {
            out.missing("principal", "`Directory`: a directory service made the request; its identity type is unknown")
        }
        Kind::Unknown => out.missing("principal", "CloudTrail could not determine the identity type (`Unknown`)"),
    }
}

/// MFA and token issue time, which exist only for temporary credentials.
fn credentials(ui: &At<'_, '_, '_>, who: &Who, out: &mut Out<'_>) {
    const MFA: &str = "aws:MultiFactorAuthPresent";
    const ISSUED: &str = "aws:TokenIssueTime";
    const AGE: &str = "aws:MultiFactorAuthAge";
    let key_id = ui.field("accessKeyId");
    let session_kind = matches!(who.kind, Kind::AssumedRole | Kind::Role | Kind::FederatedUser);
    let prefix = key_id.as_ref().map(|k| k.value.get(..4).unwrap_or("").to_ascii_uppercase());
    let temporary = match prefix.as_deref() {
        Some("ASIA") => Some(true),
        Some("AKIA") if !session_kind => Some(false),
        _ if session_kind => Some(true),
        _ => None,
    };
    match temporary {
        Some(true) => {
            match ui.field("sessionContext.attributes.mfaAuthenticated") {
                Some(m) => out.key1(MFA, m.value.to_ascii_lowercase(), &m, None),
                None => out.unknown(MFA, "the session's `mfaAuthenticated` attribute is not in the record"),
            }
            match ui.field("sessionContext.attributes.creationDate") {
                Some(c) => match extended_date(&c.value) {
                    Some((date, converted)) => {
                        let note = converted.then(|| format!("`{}` in ISO 8601 extended form", c.value));
                        out.key1(ISSUED, date, &c, note);
                    }
                    None => out.unknown(ISSUED, format!("`creationDate` `{}` is not a date", c.value)),
                },
                None => out.unknown(ISSUED, "the session's `creationDate` is not in the record"),
            }
            out.unknown(AGE, "seconds since MFA sign-in: the record does not show when MFA was used");
        }
        // A service calling on with the caller's credentials (forward access
        // sessions) uses temporary credentials: the keys page says the MFA
        // key is then present, and false.
        Some(false) if who.invoked_by.is_some() => {
            let why = "a service made this request for a caller signed in with a long-term access key: AWS forwards it with temporary credentials, whose MFA key is false";
            if let Some(svc) = &who.invoked_by {
                out.key1(MFA, "false", svc, Some(why.into()));
            }
            let why = "the service's forward request uses temporary credentials the record does not describe";
            out.unknown(ISSUED, why);
            out.unknown(AGE, why);
        }
        Some(false) => {
            let why = "the request was signed with a long-term access key (`AKIA...`): AWS includes this key only for temporary credentials";
            out.absent(MFA, why);
            out.absent(ISSUED, why);
            out.absent(AGE, why);
            if ui.has("sessionContext.attributes") {
                out.note("`sessionContext.attributes` is not used: the request was signed with a long-term access key");
            }
        }
        None => {
            let why = "`accessKeyId` is empty or missing, so the record does not show whether the credentials were temporary (only then does AWS include this key)";
            out.unknown(MFA, why);
            out.unknown(ISSUED, why);
            out.unknown(AGE, why);
        }
    }
}

/// Keys of a session: source identity, sign-in session, EC2 role delivery, AssumeRoot.
fn session(ui: &At<'_, '_, '_>, who: &Who, out: &mut Out<'_>) {
    if let Some(s) = ui.field("sessionContext.sourceIdentity") {
        out.key1("aws:SourceIdentity", s.value.clone(), &s, None);
    } else if matches!(who.kind, Kind::AssumedRole | Kind::Role) {
        out.absent(
            "aws:SourceIdentity",
            "CloudTrail writes `sessionContext.sourceIdentity` whenever a session has one",
        );
    }
    if let Some(s) = ui.field("sessionContext.signInSessionArn") {
        out.key1("aws:SignInSessionArn", s.value.clone(), &s, None);
    }
    if let Some(d) = ui.field("sessionContext.ec2RoleDelivery") {
        out.key1("ec2:RoleDelivery", d.value.clone(), &d, Some("1.0: IMDSv1, 2.0: IMDSv2".into()));
    }
    if let Some(r) = ui.field("sessionContext.assumedRoot") {
        out.key1("aws:AssumedRoot", r.value.to_ascii_lowercase(), &r, None);
    }
    if who.kind == Kind::AssumedRole {
        if let Some(u) = ui.field("onBehalfOf.userId") {
            out.key1("identitystore:UserId", u.value.clone(), &u, Some("an identity-enhanced role session".into()));
        }
        if let Some(p) = ui.field("sessionContext.webIdFederationData.federatedProvider") {
            out.unknown(
                "aws:FederatedProvider",
                format!("the session came from identity provider `{}`, but the record does not show the value in the form AWS gives the key", p.value),
            );
        }
    }
    for key in ["aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalTag/*"] {
        out.unknown(key, "organization and tags of the principal are not in CloudTrail records");
    }
}

/// A date in the ISO 8601 extended form AWS's date operators read, and
/// whether it had to be converted from the basic form (`20131102T010628Z`).
pub(super) fn extended_date(s: &str) -> Option<(String, bool)> {
    let b = s.as_bytes();
    let basic = b.len() == 16
        && b.get(8) == Some(&b'T')
        && b.get(15) == Some(&b'Z')
        && b.iter().enumerate().all(|(i, c)| i == 8 || i == 15 || c.is_ascii_digit());
    if basic {
        let part = |a: usize, z: usize| s.get(a..z).unwrap_or("");
        let date =
            format!("{}-{}-{}T{}:{}:{}Z", part(0, 4), part(4, 6), part(6, 8), part(9, 11), part(11, 13), part(13, 15));
        return crate::operator::date::parse(&date).map(|_| (date, true));
    }
    crate::operator::date::parse(s).map(|_| (s.to_owned(), false))
}
