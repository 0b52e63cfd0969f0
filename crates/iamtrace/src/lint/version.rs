//! The `Version` element: `missing-version` and `variable-in-old-version`.

use super::{finding, sub_span, Cx};
use crate::diagnostic::{quote, Code};
use crate::policy::Version;
use crate::span::{Span, Str};
use crate::variables::{self, Part};

pub(super) fn check(cx: &mut Cx<'_, '_>) {
    missing_version(cx);
    variable_in_old_version(cx);
}

/// `missing-version` (WARNING): the policy has no `Version` element.
///
/// Why: AWS then reads the policy under the legacy `2008-10-17` grammar, in
/// which policy variables such as `${aws:username}` are plain text. Access
/// Analyzer reports this as MISSING_VERSION.
///
/// Example: `{"Statement": [...]}`; fix: add `"Version": "2012-10-17"`.
fn missing_version(cx: &mut Cx<'_, '_>) {
    if cx.policy.version_span.is_some() {
        return;
    }
    let start = cx.policy.span.start;
    cx.emit(
        finding(Code::MissingVersion, Span::new(start, start + 1), "policy has no `Version`")
            .with_help("add `\"Version\": \"2012-10-17\"`; without it AWS reads the policy as `2008-10-17`, where policy variables are plain text"),
    );
}

/// `variable-in-old-version` (ERROR): a `${...}` policy variable in
/// `Resource` or in a string or ARN condition value of a policy whose
/// `Version` is `2008-10-17` or missing.
///
/// Why: only `2012-10-17` substitutes variables; under the older grammar
/// `arn:aws:s3:::home/${aws:username}/*` matches only a folder literally
/// named `${aws:username}`. Access Analyzer reports this as an error
/// (VARIABLE_UNSUPPORTED_IN_VERSION).
///
/// Example: `{"Statement": {"Effect": "Allow", "Action": "s3:*",
/// "Resource": "arn:aws:s3:::home/${aws:username}/*"}}` (no `Version`).
fn variable_in_old_version(cx: &mut Cx<'_, '_>) {
    if cx.policy.variables_enabled() {
        return;
    }
    let why = match cx.policy.version {
        Some(Version::V2008_10_17) => "under `\"Version\": \"2008-10-17\"`",
        _ => "in a policy without `Version`",
    };
    let mut found: Vec<(Span, String)> = Vec::new();
    for stmt in &cx.policy.statements {
        for value in stmt.resource.iter().flat_map(|r| &r.values) {
            found.extend(first_variable(value));
        }
        for cond in &stmt.conditions {
            if cond.operator.base.takes_variables() {
                for value in &cond.values {
                    found.extend(first_variable(value));
                }
            }
        }
    }
    for (span, var) in found {
        cx.emit(
            finding(Code::VariableInOldVersion, span, format!("policy variable {} is plain text {why}", quote(&var)))
                .with_help("set `\"Version\": \"2012-10-17\"` so that AWS substitutes policy variables"),
        );
    }
}

/// The first variable in a value: its span and text.
fn first_variable(value: &Str<'_>) -> Option<(Span, String)> {
    let text = value.as_str();
    if !variables::has_variables(text) {
        return None;
    }
    variables::parse(text).into_iter().find_map(|p| match p {
        Part::Var { start, end, .. } => {
            Some((sub_span(value, start, end), text.get(start..end).unwrap_or(text).to_owned()))
        }
        _ => None,
    })
}
