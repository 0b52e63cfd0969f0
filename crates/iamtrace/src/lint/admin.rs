//! `admin-equivalent`: grants of administrator access, directly or through
//! IAM actions that let the holder grant it to themself.

use super::{covers_action, covers_every_resource, finding, Cx, Facts};
use crate::diagnostic::{quote, Code};
use crate::policy::{Effect, PolicyKind, Statement};
use crate::span::Span;

/// IAM actions that, on every resource, let the holder give themself (or a
/// role they can use) any permission.
pub(super) const ESCALATION: [&str; 8] = [
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:UpdateAssumeRolePolicy",
];

/// What makes a statement administrator-equivalent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Admin {
    /// `Action: "*"` (or `NotAction`) on every resource.
    Everything(Span),
    /// An escalation action on every resource.
    Escalation(Span, &'static str),
}

/// Whether an identity-policy statement is administrator-equivalent.
pub(super) fn admin(kind: PolicyKind, stmt: &Statement<'_>) -> Option<Admin> {
    if kind != PolicyKind::Identity || stmt.effect != Effect::Allow || !covers_every_resource(stmt) {
        return None;
    }
    let list = &stmt.action;
    if !list.negated {
        if let Some(v) = list.values.iter().find(|v| matches!(v.as_str(), "*" | "*:*")) {
            return Some(Admin::Everything(v.span));
        }
    }
    ESCALATION.iter().find_map(|a| covers_action(list, a).map(|span| Admin::Escalation(span, a)))
}

/// `admin-equivalent` (SECURITY_WARNING): an `Allow` statement of an
/// identity policy grants every action on every resource, or an IAM action
/// that lets the holder attach or write any policy (such as
/// `iam:PutRolePolicy` or `iam:CreatePolicyVersion` on `*`), which amounts
/// to the same.
///
/// Why: administrator access should be deliberate and rare; a wildcard such
/// as `iam:*` or a `NotAction` that forgets IAM grants it by accident.
/// Conditions do not suppress the finding: they restrict when, not what.
///
/// Example: `{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}`.
pub(super) fn check(cx: &mut Cx<'_, '_>, facts: &Facts<'_, '_>) {
    let d = match facts.admin {
        None => return,
        Some(Admin::Everything(span)) => finding(
            Code::AdminEquivalent,
            span,
            "this statement grants every action on every resource: administrator access",
        )
        .with_help("grant the actions the identity needs; keep full access for a few break-glass roles"),
        Some(Admin::Escalation(span, action)) => finding(
            Code::AdminEquivalent,
            span,
            format!(
                "this statement grants {} on every resource, which lets the holder give themself administrator access",
                quote(action)
            ),
        )
        .with_help("limit `Resource` to specific users, groups, roles or policies, or use a permissions boundary"),
    };
    cx.emit(d);
}
