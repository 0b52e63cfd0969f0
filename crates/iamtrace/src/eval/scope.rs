//! Which organization policies govern a request (SPEC §5.6): SCPs apply to
//! principals of member accounts, RCPs to resources of member accounts for
//! the services that support them.

use crate::request::{Caller, Flags};

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

/// Whether the SCPs of the scenario take part, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScpScope {
    Applies,
    /// Only principals of an AWS account are governed.
    NotAnAccountPrincipal,
    ServiceLinkedRole,
    ManagementAccount,
}

/// Whether the RCPs of the scenario take part, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RcpScope {
    Applies,
    ServiceLinkedRole,
    ManagementAccount,
    RetireGrant,
    /// The service is not in the list of services RCPs support.
    UnsupportedService,
}

#[cfg(test)]
#[test]
fn the_service_list_is_sorted_for_binary_search() {
    assert!(RCP_SERVICES.windows(2).all(|w| w[0] < w[1]));
}

pub(crate) fn scp_scope(caller: &Caller<'_>, flags: Flags) -> ScpScope {
    if !caller.is_account_principal() {
        ScpScope::NotAnAccountPrincipal
    } else if flags.service_linked_role {
        ScpScope::ServiceLinkedRole
    } else if flags.principal_in_management_account {
        ScpScope::ManagementAccount
    } else {
        ScpScope::Applies
    }
}

pub(crate) fn rcp_scope(flags: Flags, cross_account: bool, action: &str, service: &str) -> RcpScope {
    let resource_in_mgmt =
        flags.resource_in_management_account.unwrap_or(flags.principal_in_management_account && !cross_account);
    if flags.service_linked_role {
        RcpScope::ServiceLinkedRole
    } else if resource_in_mgmt {
        RcpScope::ManagementAccount
    } else if action.eq_ignore_ascii_case("kms:RetireGrant") {
        RcpScope::RetireGrant
    } else if RCP_SERVICES.binary_search(&service).is_err() {
        RcpScope::UnsupportedService
    } else {
        RcpScope::Applies
    }
}
