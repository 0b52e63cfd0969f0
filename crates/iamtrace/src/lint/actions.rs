//! Action names against the service authorization reference:
//! `action-unknown-service`, `action-unknown`, `action-matches-nothing` and
//! `action-undocumented`.

use super::{finding, sub_span, ActionPattern, Cx, Facts, Knowledge};
use crate::diagnostic::{nearest, quote, Code};

pub(super) fn check(cx: &mut Cx<'_, '_>, facts: &Facts<'_, '_>) {
    let Some(k) = cx.knowledge else { return };
    for p in &facts.actions {
        let Some(service) = p.service else { continue };
        if service.contains(['*', '?']) {
            continue; // the policy reader already warns about wildcards in service prefixes
        }
        match &p.expanded {
            None => unknown_service(cx, k, p, service),
            Some(list) if list.is_empty() => unknown_action(cx, k, p, service),
            Some(_) => {}
        }
    }
}

/// `action-unknown-service` (ERROR): the service prefix of an action is not
/// in the service authorization reference. The help names the closest
/// prefix.
///
/// Why: a statement about a service that does not exist matches nothing;
/// when it is an `Allow`, the access it was written for is silently denied.
/// Access Analyzer: INVALID_SERVICE_IN_ACTION.
///
/// Example: `"Action": "s3x:GetObject"` (did you mean `s3`?).
///
/// `action-undocumented` (WARNING): the prefix or action is missing from the
/// reference but AWS managed policies use it (a retired service such as
/// `deepracer`, or an undocumented action). IAM accepts it; it may grant
/// nothing.
fn unknown_service(cx: &mut Cx<'_, '_>, k: &dyn Knowledge, p: &ActionPattern<'_, '_>, service: &str) {
    let span = sub_span(p.value, 0, service.len());
    if k.is_undocumented(service, "") {
        cx.emit(
            finding(Code::ActionUndocumented, span, format!("service {} is not in the service authorization reference", quote(service)))
                .with_help("AWS managed policies still name it, but the service may be retired: the statement may grant nothing for it"),
        );
        return;
    }
    let d = finding(
        Code::ActionUnknownService,
        span,
        format!("unknown service {} in {}", quote(service), quote(p.value.as_str())),
    );
    let d = match cx.may_suggest().then(|| nearest(service, k.service_prefixes())).flatten() {
        Some(n) => d.with_help(format!("did you mean `{n}`?")),
        None => d.with_help(
            "the service prefixes are listed in the service authorization reference, e.g. `s3`, `ec2`, `iam`",
        ),
    };
    cx.emit(d);
}

/// `action-unknown` (ERROR): the service exists but has no action of this
/// name (compared case-insensitively, as AWS does). The help names the
/// closest action.
///
/// Why: a misspelt action never matches, so an `Allow` silently grants
/// nothing and a `Deny` silently protects nothing. Access Analyzer:
/// INVALID_ACTION.
///
/// Example: `"Action": "s3:GetObjekt"` (did you mean `s3:GetObject`?).
///
/// `action-matches-nothing` (ERROR): the same for a pattern with wildcards
/// that covers no action, such as `s3:Gett*`.
fn unknown_action(cx: &mut Cx<'_, '_>, k: &dyn Knowledge, p: &ActionPattern<'_, '_>, service: &str) {
    let text = p.value.as_str();
    let prefix = p.known_service.map_or(service, |s| s.prefix);
    if !p.has_wildcard() && k.is_undocumented(prefix, p.name) {
        cx.emit(
            finding(
                Code::ActionUndocumented,
                p.value.span,
                format!("{} is not in the service authorization reference", quote(text)),
            )
            .with_help(
                "AWS managed policies still name it, but it may be retired or undocumented: it may grant nothing",
            ),
        );
        return;
    }
    if p.has_wildcard() {
        let d = finding(
            Code::ActionMatchesNothing,
            p.value.span,
            format!("{} matches no action of `{prefix}`", quote(text)),
        );
        let d = match cx.may_suggest().then(|| shorter_stem(k, prefix, p.name)).flatten() {
            Some(fixed) => d.with_help(format!("did you mean `{prefix}:{fixed}`?")),
            None => d.with_help(format!(
                "`*` and `?` match inside the action name; check the spelling against the actions of `{prefix}`"
            )),
        };
        cx.emit(d);
        return;
    }
    let d = finding(Code::ActionUnknown, p.value.span, format!("unknown action {}", quote(text)));
    let nearest = cx.may_suggest().then(|| {
        let names: Vec<&str> = k.actions(prefix, "*").iter().map(|a| a.name).collect();
        nearest(p.name, names.iter().copied())
    });
    let d = match nearest.flatten() {
        Some(n) => d.with_help(format!("did you mean `{prefix}:{n}`?")),
        None => d.with_help(format!(
            "`{prefix}` has no action of this name; see its actions in the service authorization reference"
        )),
    };
    cx.emit(d);
}

/// For a pattern that matches nothing because of a typo at the end of its
/// literal start (`Gett*`), the pattern with that start shortened until it
/// matches (`Get*`), when at most two characters go.
fn shorter_stem(k: &dyn Knowledge, prefix: &str, name: &str) -> Option<String> {
    let stem_len = name.find(['*', '?'])?;
    let rest = name.get(stem_len..)?;
    (stem_len.saturating_sub(2)..stem_len).rev().filter(|&n| n >= 2).find_map(|n| {
        let candidate = format!("{}{rest}", name.get(..n)?);
        (!k.actions(prefix, &candidate).is_empty()).then_some(candidate)
    })
}
