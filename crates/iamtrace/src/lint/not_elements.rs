//! The negated elements: `allow-with-not-action`, `allow-with-not-resource`
//! and `deny-with-not-principal`.

use super::{finding, grants, Cx};
use crate::diagnostic::Code;
use crate::policy::{Effect, Statement};

pub(super) fn check(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>) {
    allow_with_not(cx, stmt);
    deny_with_not_principal(cx, stmt);
}

/// `allow-with-not-action` and `allow-with-not-resource` (SECURITY_WARNING):
/// an `Allow` statement of an identity or resource policy uses `NotAction`
/// or `NotResource`.
///
/// Why: the statement grants everything it does not list, including every
/// action of every other service and every action AWS adds later. In
/// boundaries, SCPs and session policies, which only limit access, this is
/// a common pattern and is not reported.
///
/// Example: `{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}`
/// grants every non-IAM action.
fn allow_with_not(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>) {
    if stmt.effect != Effect::Allow || !grants(cx.kind()) {
        return;
    }
    if stmt.action.negated {
        cx.emit(
            finding(Code::AllowWithNotAction, stmt.action.key_span, "`Allow` with `NotAction` grants every action that is not listed")
                .with_help("that includes every other service and actions AWS adds later; list the allowed actions in `Action`, or put the exceptions in a `Deny` statement"),
        );
    }
    if let Some(r) = stmt.resource.as_ref().filter(|r| r.negated) {
        cx.emit(
            finding(Code::AllowWithNotResource, r.key_span, "`Allow` with `NotResource` grants every resource that is not listed")
                .with_help("that includes resources in other accounts and of other services; list the allowed resources in `Resource`"),
        );
    }
}

/// `deny-with-not-principal` (SECURITY_WARNING): a `Deny` statement with
/// `NotPrincipal`.
///
/// Why: it denies everyone not listed, and the list must name every form a
/// caller can take: a role session is matched by its session ARN, not by
/// the role's ARN, so forgetting one locks out the intended caller, and
/// adding one lets it through everywhere. AWS recommends a condition on
/// `aws:PrincipalArn` instead.
///
/// Example: `{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, ...}`.
fn deny_with_not_principal(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>) {
    let Some(p) = stmt.principal.as_ref().filter(|p| p.negated) else { return };
    if stmt.effect != Effect::Deny {
        return;
    }
    cx.emit(
        finding(
            Code::DenyWithNotPrincipal,
            p.key_span,
            "`Deny` with `NotPrincipal` denies every principal not listed, matching role sessions by their session ARN",
        )
        .with_help("use `\"Principal\": \"*\"` with an `ArnNotEquals` or `ArnNotLike` condition on `aws:PrincipalArn`"),
    );
}
