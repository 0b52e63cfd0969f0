//! `principal-public`: a resource policy open to everyone.

use super::{finding, Cx};
use crate::diagnostic::Code;
use crate::policy::{AwsForm, Effect, PolicyKind, PrincipalKey, Statement};

/// `aws:` condition keys that narrow who can call: the caller's identity,
/// organization or network, or the resource a service acts for. Other
/// `aws:` keys (time, region, transport, tags the caller chooses, the
/// spoofable `aws:Referer` and `aws:UserAgent`) do not. Service keys count
/// as narrowing: they are often about the caller (`kms:CallerAccount`,
/// `s3:DataAccessPointAccount`), and the linter cannot tell.
const NARROWING: [&str; 21] = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:userid",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourcevpcarn",
    "aws:vpcsourceip",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
];

/// `principal-public` (SECURITY_WARNING): an `Allow` statement of a
/// resource-based policy names `"Principal": "*"` (or `{"AWS": "*"}`) and
/// has no condition that narrows the callers (such as `aws:PrincipalOrgID`,
/// `aws:PrincipalAccount`, `aws:SourceArn`, `aws:SourceVpce` or a service
/// key).
///
/// Why: `*` means everyone: every AWS account and, for services that allow
/// it, anonymous callers on the internet.
///
/// Example: a bucket policy `{"Effect": "Allow", "Principal": "*",
/// "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}`.
pub(super) fn check(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>) {
    if cx.kind() != PolicyKind::Resource || stmt.effect != Effect::Allow {
        return;
    }
    let Some(block) = stmt.principal.as_ref().filter(|p| !p.negated) else { return };
    let Some(star) = block
        .entries
        .iter()
        .find(|e| matches!(e.key, PrincipalKey::Any | PrincipalKey::Aws) && e.form == Some(AwsForm::Everyone))
    else {
        return;
    };
    let narrowed = stmt.conditions.iter().any(|c| {
        let key = c.key.as_str().to_ascii_lowercase();
        !key.starts_with("aws:") || NARROWING.contains(&key.as_str())
    });
    if narrowed {
        return;
    }
    cx.emit(
        finding(Code::PrincipalPublic, star.value.span, "`Principal: \"*\"` lets anyone call, every AWS account and possibly anonymous users")
            .with_help("add a condition such as `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceArn` or `aws:SourceVpce`, or name the principals"),
    );
}
