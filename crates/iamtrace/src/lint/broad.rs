//! Patterns that match far more than their writer probably meant:
//! `action-wildcard-service` and `action-wildcard-permissions`.

use super::{covers_every_resource, finding, grants, list_some, AccessLevel, ActionPattern, Cx, Facts};
use crate::diagnostic::{quote, Code};
use crate::policy::{Effect, Statement};

/// Name stems of patterns meant for reading.
const READ_VERBS: [&str; 3] = ["get", "list", "describe"];

pub(super) fn check(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>, facts: &Facts<'_, '_>) {
    if stmt.effect != Effect::Allow || stmt.action.negated || !grants(cx.kind()) {
        return;
    }
    // IAM wildcards on `*` are reported as `admin-equivalent`.
    let admin_reported = cx.enabled(Code::AdminEquivalent) && facts.admin.is_some();
    let every_resource = covers_every_resource(stmt);
    for p in &facts.actions {
        let Some(service) = p.service else { continue };
        if service.contains(['*', '?']) || (admin_reported && service.eq_ignore_ascii_case("iam")) {
            continue;
        }
        if p.name == "*" && every_resource {
            service_wide(cx, p, service);
        } else if p.has_wildcard() {
            permissions(cx, p);
        }
    }
}

/// `action-wildcard-service` (WARNING): an `Allow` statement grants
/// `service:*` on every resource.
///
/// Why: it grants every action of the service, including deleting every
/// resource and changing who may access them, and every action the service
/// adds later. It is seldom what a task needs.
///
/// Example: `{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}`.
fn service_wide(cx: &mut Cx<'_, '_>, p: &ActionPattern<'_, '_>, service: &str) {
    let text = quote(p.value.as_str());
    let message = match (&p.expanded, p.known_service) {
        (Some(list), Some(s)) if !list.is_empty() => {
            let pm = list.iter().filter(|a| a.access == AccessLevel::PermissionsManagement).count();
            let writes = list.iter().filter(|a| a.access.is_write()).count();
            let mut m = format!(
                "{text} on every resource grants all {} actions of {}, {writes} of them writes",
                list.len(),
                s.name
            );
            if pm > 0 {
                m.push_str(&format!(" ({pm} permissions management)"));
            }
            m
        }
        _ => format!("{text} on every resource grants every action of `{service}`"),
    };
    cx.emit(
        finding(Code::ActionWildcardService, p.value.span, message)
            .with_help("list the actions the task needs, or narrow `Resource` to specific ARNs"),
    );
}

/// `action-wildcard-permissions` (WARNING): an `Allow` pattern with a
/// wildcard covers permissions-management actions (those that change who may
/// access a resource) along with others.
///
/// Why: `s3:Put*` reads like "upload objects" but also grants
/// `s3:PutBucketPolicy` and `s3:PutBucketAcl`, which let the holder open the
/// bucket to anyone. Patterns that cover only permissions-management
/// actions are taken as meant, and so are patterns that start with a read
/// verb (`Get`, `List`, `Describe`): the few permissions-management actions
/// they cover, such as `glue:ListEntities`, are reads in all but name.
///
/// Example: `{"Effect": "Allow", "Action": "s3:Put*", "Resource": "arn:aws:s3:::bucket/*"}`.
fn permissions(cx: &mut Cx<'_, '_>, p: &ActionPattern<'_, '_>) {
    let Some(list) = &p.expanded else { return };
    let stem = p.name.split_once(['*', '?']).map_or(p.name, |(stem, _)| stem).to_ascii_lowercase();
    if READ_VERBS.iter().any(|v| stem.starts_with(v)) {
        return;
    }
    let pm: Vec<String> = list
        .iter()
        .filter(|a| a.access == AccessLevel::PermissionsManagement)
        .map(|a| format!("`{}:{}`", a.service, a.name))
        .collect();
    if pm.is_empty() || pm.len() == list.len() {
        return;
    }
    let what = if pm.len() == 1 { "action" } else { "actions" };
    cx.emit(
        finding(
            Code::ActionWildcardPermissions,
            p.value.span,
            format!(
                "{} also grants {} permissions-management {what}: {}",
                quote(p.value.as_str()),
                pm.len(),
                list_some(&pm, 3)
            ),
        )
        .with_help("these change who may access resources; list the actions the task needs instead of the wildcard"),
    );
}
