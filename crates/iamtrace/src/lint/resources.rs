//! Resources against the resource types of the statement's actions:
//! `resource-mismatch` and `action-takes-no-resource`.

use super::{finding, list_some, ActionInfo, Cx, Facts, Knowledge, ResourceTypeInfo};
use crate::arn;
use crate::diagnostic::{quote, Code};
use crate::policy::{PatternList, Statement};

pub(super) fn check(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>, facts: &Facts<'_, '_>) {
    let Some(k) = cx.knowledge else { return };
    let Some(resources) = stmt.resource.as_ref().filter(|r| !r.negated) else { return };
    let Some(covered) = facts.covered() else { return };
    if covered.is_empty() {
        return;
    }
    takes_no_resource(cx, facts, resources);
    mismatch(cx, k, covered, resources);
}

/// `action-takes-no-resource` (WARNING): an action (or every action a
/// wildcard covers) takes no resource, but the statement lists only
/// specific ARNs.
///
/// Why: actions without a resource type, such as `s3:ListAllMyBuckets` or
/// `ec2:DescribeInstances`, are authorized against `"Resource": "*"` only,
/// so this statement never applies to them.
///
/// Example: `{"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetObject"], "Resource": "arn:aws:s3:::bucket/*"}`.
fn takes_no_resource(cx: &mut Cx<'_, '_>, facts: &Facts<'_, '_>, resources: &PatternList<'_>) {
    if resources.values.iter().any(|v| v.as_str() == "*") {
        return;
    }
    for p in &facts.actions {
        let Some(list) = &p.expanded else { continue };
        if list.is_empty() || list.iter().any(|a| a.takes_resource) {
            continue;
        }
        let what = if p.has_wildcard() {
            format!("no action {} covers takes a resource", quote(p.value.as_str()))
        } else {
            format!("{} takes no resource", quote(p.value.as_str()))
        };
        cx.emit(
            finding(
                Code::ActionTakesNoResource,
                p.value.span,
                format!("{what}, so it is allowed or denied only with `\"Resource\": \"*\"`"),
            )
            .with_label(resources.span, "only specific resources here")
            .with_help("move the action to a statement with `\"Resource\": \"*\"`"),
        );
    }
}

/// `resource-mismatch` (WARNING): a `Resource` ARN pattern fits the ARN
/// format of no resource type that the statement's actions act on.
///
/// Why: the pattern can never match a request of these actions, so the
/// statement does less than it seems. The classic case is an object action
/// on a bucket ARN: `s3:GetObject` on `arn:aws:s3:::bucket` (it needs
/// `arn:aws:s3:::bucket/*`). Patterns are compared with each format's
/// placeholders (`${BucketName}`) standing for any non-empty text, so only
/// clear mismatches are reported. Statements with `*`, `NotAction` or an
/// unknown service are not checked.
///
/// Example: `{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"}`.
fn mismatch(cx: &mut Cx<'_, '_>, k: &dyn Knowledge, covered: &[ActionInfo<'_>], resources: &PatternList<'_>) {
    let mut ids: Vec<_> = covered.iter().flat_map(|a| k.resource_types(a.id)).map(|u| u.id).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return;
    }
    let types: Vec<ResourceTypeInfo<'_>> = ids.iter().filter_map(|id| k.resource_type(*id)).collect();
    let mut services: Vec<&str> = covered.iter().map(|a| a.service).collect();
    services.dedup();
    for v in &resources.values {
        let pattern = v.as_str();
        if pattern == "*" {
            continue;
        }
        let fits = types
            .iter()
            .any(|t| t.arn_formats.is_empty() || t.arn_formats.iter().any(|f| k.arn_pattern_fits(pattern, f)));
        if fits {
            continue;
        }
        let arn_service = arn::split6(pattern).map(|p| p[2]).filter(|s| !s.contains(['*', '?']));
        let message = match arn_service {
            Some(s) if !services.iter().any(|a| a.eq_ignore_ascii_case(s)) => format!(
                "{} is a resource of `{s}`, but the statement's actions are of {}",
                quote(pattern),
                list_some(&services.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>(), 3)
            ),
            _ => format!("{} fits no resource type of the statement's actions", quote(pattern)),
        };
        // Show the formats of the pattern's service first.
        let mut shown: Vec<&ResourceTypeInfo<'_>> = types.iter().collect();
        shown.sort_by_key(|t| arn_service.is_none_or(|s| !t.service.eq_ignore_ascii_case(s)));
        let formats: Vec<String> =
            shown.iter().flat_map(|t| t.arn_formats.iter().map(move |f| format!("`{}` (`{f}`)", t.name))).collect();
        cx.emit(
            finding(Code::ResourceMismatch, v.span, message)
                .with_help(format!("the actions act on {}", list_some(&formats, 3))),
        );
    }
}
