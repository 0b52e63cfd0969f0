//! `pass-role-any-resource`: `iam:PassRole` on every role.

use super::{covers_action, covers_every_resource, finding, Cx, Facts};
use crate::diagnostic::Code;
use crate::policy::{Effect, PolicyKind};

/// `pass-role-any-resource` (SECURITY_WARNING): an `Allow` statement of an
/// identity policy grants `iam:PassRole` (by name, wildcard or `NotAction`)
/// on `*` or with `NotResource`, without an `iam:PassedToService` condition.
///
/// Why: passing a role to a service (an EC2 instance, a Lambda function)
/// gives that service the role's permissions, which the caller can then use
/// through it. On every role, this includes administrator roles. Access
/// Analyzer: PASS_ROLE_WITH_STAR_IN_RESOURCE and its variants. Statements
/// already reported as `admin-equivalent` are not reported again.
///
/// Example: `{"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"}`.
pub(super) fn check(cx: &mut Cx<'_, '_>, facts: &Facts<'_, '_>) {
    let stmt = facts.stmt;
    if cx.kind() != PolicyKind::Identity || stmt.effect != Effect::Allow || !covers_every_resource(stmt) {
        return;
    }
    if stmt.conditions.iter().any(|c| c.key.as_str().eq_ignore_ascii_case("iam:PassedToService")) {
        return;
    }
    if cx.enabled(Code::AdminEquivalent) && facts.admin.is_some() {
        return;
    }
    let Some(span) = covers_action(&stmt.action, "iam:PassRole") else { return };
    cx.emit(
        finding(
            Code::PassRoleAnyResource,
            span,
            "this statement lets the holder pass any role, including administrator roles, to AWS services",
        )
        .with_help("name the roles in `Resource`, or add a condition on `iam:PassedToService`"),
    );
}
