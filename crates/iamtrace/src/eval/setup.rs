//! Request normalisation: the caller, accounts, derived context keys, and
//! which policy kinds apply (trace step 1).

use std::borrow::Cow;

use super::PolicySet;
use crate::arn::{is_account_id, Arn};
use crate::diagnostic::{quote, Diagnostic};
use crate::policy::PolicyKind;
use crate::request::{Caller, Context, Request};
use crate::trace::{Applicability, DerivedFrom, DerivedKey, PrincipalKind, RequestFacts, Source};

/// Services whose resources RCPs govern (Organizations user guide, RCP page,
/// as of September 2026).
const RCP_SERVICES: &[&str] = &[
    "aoss",
    "appconfig",
    "appstream",
    "autoscaling",
    "autoscaling-plans",
    "budgets",
    "clouddirectory",
    "cloudfront",
    "cloudsearch",
    "cloudtrail-data",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codepipeline",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "comprehendmedical",
    "compute-optimizer",
    "cost-optimization-hub",
    "dax",
    "dsql",
    "dynamodb",
    "ecr",
    "ecr-public",
    "events",
    "firehose",
    "fis",
    "fms",
    "gamelift",
    "health",
    "inspector-scan",
    "kendra",
    "kinesisvideo",
    "kms",
    "logs",
    "memorydb",
    "networkmonitor",
    "notifications",
    "opensearch",
    "pca-connector-ad",
    "personalize",
    "polly",
    "pricing",
    "resource-groups",
    "rolesanywhere",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "signin",
    "sqs",
    "sts",
    "support",
    "swf",
    "textract",
    "timestream-influxdb",
    "transcribe",
    "transfer",
    "translate",
    "wafv2",
    "workspaces",
    "xray",
];

/// Everything the stages need to know about the request.
pub(super) struct Setup<'a> {
    pub caller: Caller<'a>,
    pub context: Context<'a>,
    pub service: String,
    /// Both accounts known and different.
    pub cross_account: bool,
    /// The principal's and the resource's partitions, when they differ.
    pub cross_partition: Option<(String, String)>,
    pub scp_applies: bool,
    pub rcp_applies: bool,
    /// The action is decided by a role's trust policy (`sts:AssumeRole*`
    /// and friends on a role).
    pub trust: bool,
    /// A KMS key operation, where the key policy must allow.
    pub kms_key: bool,
    pub facts: RequestFacts,
}

fn err(code: &str, span: crate::Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(code, span, message).with_help(help)
}

/// Validates the request and derives what AWS derives.
pub(super) fn setup<'a>(set: &PolicySet<'a>, req: &'a Request<'a>) -> Result<Setup<'a>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let action: &str = &req.action.text;
    let parent = req.session_parent_arn.as_ref().map(|s| s.text.as_ref());
    let caller = match Caller::classify(&req.principal.text, action, parent) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(err("request-invalid-principal", req.principal.span, e.message, e.help));
            None
        }
    };
    let action_ok = match action.split_once(':') {
        Some((svc, name)) => {
            !svc.is_empty()
                && !name.is_empty()
                && svc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        None => false,
    };
    if !action_ok {
        let help = if action.contains(['*', '?']) {
            "a request is for one action; wildcards belong in policies"
        } else {
            "write the action as `service:Operation`, e.g. `s3:GetObject`"
        };
        errors.push(err(
            "request-invalid-action",
            req.action.span,
            format!("{} is not an action", quote(action)),
            help,
        ));
    }
    let resource: &str = &req.resource.text;
    let resource_arn = Arn::parse(resource);
    if resource != "*" {
        if let Err(e) = &resource_arn {
            errors.push(err(
                "request-invalid-resource",
                req.resource.span,
                format!("{} is not an ARN: {e}", quote(resource)),
                "give the resource's ARN, or `*` for actions that take no resource",
            ));
        }
    }
    if let (Some(c), Some(p)) = (&caller, &req.session_parent_arn) {
        let expected = match c.kind {
            PrincipalKind::RoleSession => {
                Some(("role/", "a role ARN such as `arn:aws:iam::111122223333:role/path/RoleName`"))
            }
            PrincipalKind::FederatedUser => Some(("user/", "the ARN of the IAM user who called GetFederationToken")),
            _ => None,
        };
        match expected {
            Some((prefix, help)) => match Arn::parse(&p.text) {
                Ok(a) if a.service == "iam" && a.resource.starts_with(prefix) => {
                    // A role session's role must be the role named in the session ARN.
                    let name = a.resource.rsplit('/').next();
                    let same_role = c.kind != PrincipalKind::RoleSession || c.session.is_none() || name == c.name;
                    if Some(a.account) != c.account || Some(a.partition) != c.partition || !same_role {
                        errors.push(err(
                            "request-inconsistent-session-parent",
                            p.span,
                            format!("{} does not belong to the principal `{}`", quote(&p.text), c.text),
                            "the role (or IAM user) must be in the principal's account and, for a role session, have the session's role name",
                        ));
                    }
                }
                _ => errors.push(err(
                    "request-invalid-session-parent",
                    p.span,
                    format!("{} is not {help}", quote(&p.text)),
                    help,
                )),
            },
            None => errors.push(Diagnostic::warning(
                "request-unused-session-parent",
                p.span,
                format!(
                    "`session_parent_arn` is only used for role sessions and federated users, not for {}",
                    c.kind.describe()
                ),
            )),
        }
    }
    if let Some(ra) = &req.resource_account {
        if !is_account_id(&ra.text) && ra.text != "aws" {
            errors.push(err(
                "request-invalid-account",
                ra.span,
                format!("{} is not a 12-digit account ID", quote(&ra.text)),
                "give the ID of the account that owns the resource",
            ));
        }
    }
    let Some(caller) = caller else { return Err(errors) };
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors);
    }

    // Accounts.
    let resource_arn = resource_arn.ok();
    let (resource_account, resource_account_source) = match (&req.resource_account, resource_arn) {
        (Some(ra), _) => (Some(ra.text.clone()), Source::Given),
        (None, Some(arn)) if !arn.account.is_empty() => (Some(Cow::Owned(arn.account.to_owned())), Source::Derived),
        _ => (None, Source::Unknown),
    };
    let cross_partition = match (caller.partition, resource_arn.map(|a| a.partition)) {
        (Some(p), Some(r)) if p != r => Some((p.to_owned(), r.to_owned())),
        _ => None,
    };
    let cross_account = match (caller.account, resource_account.as_deref()) {
        (Some(p), Some(r)) => p != r,
        _ => false,
    };
    let cross_known = match (caller.account, resource_account.as_deref()) {
        (Some(_), Some(_)) => Some(cross_account),
        (Some(_), None) => Some(false),
        _ => None,
    };

    // Derived context keys (a key given in the request always wins).
    let mut context = req.context.clone();
    let mut derived = Vec::new();
    let mut derive = |key: &'static str, value: Cow<'a, str>, source: DerivedFrom| {
        let shown = value.to_string();
        if context.derive(key, value) {
            let from = match source {
                DerivedFrom::PrincipalArn => "the principal ARN",
                DerivedFrom::SessionRole => "the session's role",
                DerivedFrom::PrincipalKind => "the principal kind",
                DerivedFrom::UserName => "the IAM user name",
                DerivedFrom::RootAccount => "the root user's account",
                DerivedFrom::FederatedUser => "the federated user name",
                DerivedFrom::Anonymous => "anonymous callers",
                DerivedFrom::ResourceAccount => "the resource's account",
            };
            derived.push(DerivedKey { key: key.to_owned(), value: shown, source, from: from.to_owned() });
        }
    };
    if let Some(arn) = caller.principal_arn() {
        let from = if caller.kind == PrincipalKind::RoleSession {
            DerivedFrom::SessionRole
        } else {
            DerivedFrom::PrincipalArn
        };
        derive("aws:PrincipalArn", arn, from);
    }
    if let Some(a) = caller.account {
        derive("aws:PrincipalAccount", Cow::Borrowed(a), DerivedFrom::PrincipalArn);
    } else if caller.kind == PrincipalKind::Anonymous {
        derive("aws:PrincipalAccount", Cow::Borrowed("anonymous"), DerivedFrom::Anonymous);
    }
    if let Some(t) = caller.principal_type() {
        derive("aws:PrincipalType", Cow::Borrowed(t), DerivedFrom::PrincipalKind);
    }
    if caller.kind == PrincipalKind::User {
        if let Some(n) = caller.name {
            derive("aws:username", Cow::Borrowed(n), DerivedFrom::UserName);
        }
    }
    match caller.kind {
        PrincipalKind::Root => {
            if let Some(a) = caller.account {
                derive("aws:userid", Cow::Borrowed(a), DerivedFrom::RootAccount);
            }
        }
        PrincipalKind::Anonymous => derive("aws:userid", Cow::Borrowed("anonymous"), DerivedFrom::Anonymous),
        PrincipalKind::FederatedUser => {
            if let (Some(a), Some(n)) = (caller.account, caller.name) {
                derive("aws:userid", Cow::Owned(format!("{a}:{n}")), DerivedFrom::FederatedUser);
            }
        }
        _ => {}
    }
    if let Some(ra) = &resource_account {
        if is_account_id(ra) {
            derive("aws:ResourceAccount", ra.clone(), DerivedFrom::ResourceAccount);
        }
    }

    // Which policies apply.
    let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
    let flags = req.flags;
    let mut policies = Vec::new();
    let mut add = |kind: PolicyKind, count: usize, applies: bool, reason: String| {
        if count > 0 {
            policies.push(Applicability { kind, count, applies, reason });
        }
    };
    let scp_count: usize = set.scp.iter().map(Vec::len).sum();
    let (scp_applies, scp_reason) = if !caller.is_account_principal() {
        (false, format!("SCPs apply to principals of member accounts, not to {}", caller.kind.describe()))
    } else if flags.service_linked_role {
        (false, "SCPs do not restrict service-linked roles".to_owned())
    } else if flags.principal_in_management_account {
        (false, "SCPs do not apply to principals in the management account".to_owned())
    } else {
        (true, format!("{} SCP level(s) of the principal's account", set.scp.len()))
    };
    add(PolicyKind::Scp, scp_count, scp_applies, scp_reason);
    let rcp_count: usize = set.rcp.iter().map(Vec::len).sum();
    let resource_in_mgmt =
        flags.resource_in_management_account.unwrap_or(flags.principal_in_management_account && !cross_account);
    let (rcp_applies, rcp_reason) = if flags.service_linked_role {
        (false, "RCPs do not restrict service-linked roles".to_owned())
    } else if resource_in_mgmt {
        (false, "RCPs do not apply to resources in the management account".to_owned())
    } else if action.eq_ignore_ascii_case("kms:RetireGrant") {
        (false, "RCPs never restrict `kms:RetireGrant`".to_owned())
    } else if !RCP_SERVICES.contains(&service.as_str()) {
        (false, format!("RCPs do not cover `{service}` (not in the list of services RCPs support)"))
    } else {
        (true, format!("{} RCP level(s) of the resource's account; they apply to every caller", set.rcp.len()))
    };
    add(PolicyKind::Rcp, rcp_count, rcp_applies, rcp_reason);
    add(
        PolicyKind::Vpce,
        usize::from(set.vpce.is_some()),
        true,
        "the request goes through the VPC endpoint".to_owned(),
    );
    let trust = is_trust_action(action, resource_arn);
    let kms_key = is_kms_key(&service, resource_arn);
    let rbp_reason = if trust {
        "the role's trust policy must allow the caller".to_owned()
    } else {
        "the resource's own policy".to_owned()
    };
    add(PolicyKind::Resource, usize::from(set.resource.is_some()), true, rbp_reason);
    let (id_applies, id_reason) = match caller.kind {
        PrincipalKind::User => (true, "the user's policies".to_owned()),
        PrincipalKind::RoleSession => (true, "the role's policies".to_owned()),
        PrincipalKind::FederatedUser => (true, "the policies of the IAM user who federated".to_owned()),
        PrincipalKind::Root => (false, "the root user cannot have identity-based policies".to_owned()),
        k => (false, format!("{} has no identity-based policies", k.describe())),
    };
    add(PolicyKind::Identity, set.identity.len(), id_applies, id_reason.clone());
    add(
        PolicyKind::Boundary,
        usize::from(set.boundary.is_some()),
        id_applies,
        if id_applies { "limits the identity's permissions".to_owned() } else { id_reason },
    );
    let (sess_applies, sess_reason) = if caller.is_session() {
        (true, "passed when the session was created".to_owned())
    } else {
        (
            false,
            format!(
                "session policies only exist for role sessions and federated users, not for {}",
                caller.kind.describe()
            ),
        )
    };
    add(PolicyKind::Session, set.session.len(), sess_applies, sess_reason);

    let facts = RequestFacts {
        principal: caller.text.to_owned(),
        principal_kind: caller.kind,
        principal_account: caller.account.map(str::to_owned),
        session_parent: caller.parent.as_deref().map(str::to_owned),
        session_parent_source: caller.parent_source,
        action: action.to_owned(),
        service: service.clone(),
        resource: resource.to_owned(),
        resource_account: resource_account.as_deref().map(str::to_owned),
        resource_account_source,
        cross_account: cross_known,
        derived_keys: derived,
        policies,
    };
    Ok(Setup {
        caller,
        context,
        service,
        cross_account,
        cross_partition,
        scp_applies: scp_applies && scp_count > 0,
        rcp_applies: rcp_applies && rcp_count > 0,
        trust,
        kms_key,
        facts,
    })
}

/// Actions decided by a role's trust policy.
fn is_trust_action(action: &str, resource: Option<Arn<'_>>) -> bool {
    let a = action.to_ascii_lowercase();
    let trust = a.starts_with("sts:assumerole")
        || a == "sts:tagsession"
        || a == "sts:setsourceidentity"
        || a == "sts:setcontext";
    trust && resource.is_some_and(|r| r.service == "iam" && r.resource.starts_with("role/"))
}

/// KMS key operations, where the key policy must allow (IAM policies only
/// count when the key policy delegates to the account).
fn is_kms_key(service: &str, resource: Option<Arn<'_>>) -> bool {
    service == "kms" && resource.is_some_and(|r| r.service == "kms" && r.resource.starts_with("key/"))
}
