//! Condition keys against the reference: `condition-key-unknown`,
//! `condition-key-not-applicable`, `condition-type-mismatch`,
//! `condition-missing-qualifier` and `condition-forallvalues-single-valued`.

use super::{finding, Cx, Facts, KeyInfo, Knowledge, ValueType};
use crate::condition;
use crate::diagnostic::{nearest, quote, Code, Severity};
use crate::operator::{BaseOp, Family, SetQualifier};
use crate::policy::{Condition, Statement};

pub(super) fn check(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>, facts: &Facts<'_, '_>) {
    let Some(k) = cx.knowledge else { return };
    let covered = facts.covered();
    for cond in &stmt.conditions {
        let key = cond.key.as_str();
        let Some(info) = k.condition_key(key) else {
            unknown(cx, k, cond);
            continue;
        };
        if let Some(actions) = covered {
            if !info.global && !actions.is_empty() && !actions.iter().any(|a| k.action_supports_key(a.id, key)) {
                cx.emit(
                    finding(
                        Code::ConditionKeyNotApplicable,
                        cond.key.span,
                        format!("condition key {} is never present for this statement's actions", quote(key)),
                    )
                    .with_help(missing_help(cond)),
                );
            }
        }
        types(cx, cond, &info);
    }
}

/// `condition-key-unknown` (WARNING): the key is neither a global key nor a
/// key of any service (compared case-insensitively; tag keys such as
/// `aws:ResourceTag/team` match their templates). The help names the
/// closest key of the same prefix.
///
/// Why: a key that never exists is missing in every request, so the
/// condition is false (true for negated operators and `...IfExists`), a
/// silent deny or a silent allow. Access Analyzer reports unknown keys as
/// errors; iamtrace warns, because its copy of the reference can lag behind
/// new keys. Keys of identity providers (a prefix with `.` or `/`, such as
/// `token.actions.githubusercontent.com:sub` or an EKS OIDC provider URL)
/// are open-ended and not reported.
///
/// Example: `"StringEquals": {"aws:PrincipalOrgId2": "o-123"}`.
fn unknown(cx: &mut Cx<'_, '_>, k: &dyn Knowledge, cond: &Condition<'_>) {
    let key = cond.key.as_str();
    let prefix = key.split_once(':').map_or(key, |(p, _)| p);
    if prefix.contains(['.', '/']) {
        return; // an identity provider's claim (`token.actions.githubusercontent.com:sub`): any provider may be used
    }
    let d = finding(Code::ConditionKeyUnknown, cond.key.span, format!("unknown condition key {}", quote(key)));
    let names = k.condition_key_names(prefix);
    let d = match cx.may_suggest().then(|| nearest(key, names.iter().copied())).flatten() {
        Some(n) => d.with_help(format!("did you mean `{n}`?")),
        None if names.is_empty() && prefix != "aws" => d.with_help(format!(
            "`{prefix}` is not a condition-key prefix; keys are written `aws:Name` or `service:Name`"
        )),
        None => d.with_help(missing_help(cond)),
    };
    cx.emit(d);
}

/// What a missing key means for the condition.
fn missing_help(cond: &Condition<'_>) -> String {
    let op = cond.operator;
    let result = if op.base == BaseOp::Null {
        "`Null` tests presence only"
    } else if condition::holds_when_missing(op) {
        "the condition is true whenever the key is missing"
    } else {
        "the condition is false whenever the key is missing"
    };
    format!("{result}; check the key against the service authorization reference")
}

/// `condition-type-mismatch` (WARNING): the operator's family does not fit
/// the key's type, e.g. a `Date` operator on a `String` key or
/// `StringEquals` on a `Bool` key. `String` operators are accepted on ARN
/// keys, and `Numeric` operators on `aws:EpochTime`.
///
/// Why: values are compared by the operator's rules, which rarely agree with
/// the key's format; `DateGreaterThan` on `s3:prefix` never matches a
/// prefix. Access Analyzer: TYPE_MISMATCH.
///
/// `condition-missing-qualifier` (ERROR): a single-value operator (no
/// `ForAllValues:`/`ForAnyValue:`) on a multivalued key such as
/// `aws:TagKeys`. Access Analyzer: MISSING_QUALIFIER. iamtrace evaluates
/// such a condition as not matching when the request has several values.
/// For the few keys that AWS's own managed policies use this way (such as
/// `events:detail-type`), the finding is a WARNING.
///
/// `condition-forallvalues-single-valued` (SECURITY_WARNING): `ForAllValues:`
/// on a single-valued key. Why: `ForAllValues` is true when the key is
/// missing, so an `Allow` also applies to requests without the key, e.g.
/// unsigned requests for `aws:PrincipalArn`. Access Analyzer:
/// FORALLVALUES_WITH_SINGLE_VALUED_KEY.
///
/// Example: `"DateGreaterThan": {"s3:prefix": "2020-01-01"}`,
/// `"StringEquals": {"aws:TagKeys": ["team"]}`,
/// `"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-123"}`.
fn types(cx: &mut Cx<'_, '_>, cond: &Condition<'_>, info: &KeyInfo<'_>) {
    let op = cond.operator;
    let family = op.base.family();
    if family == Family::Null {
        return;
    }
    let key = cond.key.as_str();
    let op_span = cond.operator_text.span;
    let op_text = cond.operator_text.as_str();
    if !fits(family, info.ty.value, key) {
        cx.emit(
            finding(
                Code::ConditionTypeMismatch,
                op_span,
                format!(
                    "{} compares {}, but {} is a key of type {}",
                    quote(op_text),
                    family_values(family),
                    quote(key),
                    info.ty
                ),
            )
            .with_help(format!("use {}", operators_for(info.ty.value))),
        );
    }
    match (info.ty.multivalued, op.set) {
        (true, None) => {
            let base = op.base.name();
            let suffix = if op.if_exists { "IfExists" } else { "" };
            let mut d = finding(Code::ConditionMissingQualifier, op_span, format!("{} can hold several values, but {} compares one value", quote(key), quote(op_text)))
                .with_help(format!("write `ForAnyValue:{base}{suffix}` (at least one value matches) or `ForAllValues:{base}{suffix}` (every value matches)"));
            if info.used_as_single_valued {
                // The reference's type and AWS's own managed policies disagree.
                d.severity = Severity::Warning;
                d.message.push_str(" (AWS managed policies use it this way too)");
            }
            cx.emit(d);
        }
        (false, Some(SetQualifier::ForAllValues)) => {
            let plain = format!("{}{}", op.base.name(), if op.if_exists { "IfExists" } else { "" });
            cx.emit(
                finding(
                    Code::ConditionForallvaluesSingleValued,
                    op_span,
                    format!(
                        "{} holds one value; with `ForAllValues:` the condition is also true when the key is missing",
                        quote(key)
                    ),
                )
                .with_help(format!("use `{plain}`; add `IfExists` only if a missing key should match")),
            );
        }
        _ => {}
    }
}

fn fits(family: Family, ty: ValueType, key: &str) -> bool {
    match ty {
        ValueType::String => family == Family::String,
        ValueType::Arn => matches!(family, Family::Arn | Family::String),
        ValueType::Bool => family == Family::Bool,
        // SPEC §6: aws:EpochTime is documented as "Date, Numeric".
        ValueType::Date => {
            family == Family::Date || (family == Family::Numeric && key.eq_ignore_ascii_case("aws:EpochTime"))
        }
        ValueType::Numeric => family == Family::Numeric,
        ValueType::IpAddress => family == Family::Ip,
        ValueType::Binary => family == Family::Binary,
    }
}

fn family_values(f: Family) -> &'static str {
    match f {
        Family::String => "strings",
        Family::Numeric => "numbers",
        Family::Date => "dates",
        Family::Bool => "booleans",
        Family::Binary => "binary values",
        Family::Ip => "IP addresses",
        Family::Arn => "ARNs",
        Family::Null => "presence",
    }
}

fn operators_for(ty: ValueType) -> &'static str {
    match ty {
        ValueType::String => "a `String` operator such as `StringEquals` or `StringLike`",
        ValueType::Arn => "an `Arn` operator such as `ArnEquals` or `ArnLike`",
        ValueType::Bool => "the `Bool` operator",
        ValueType::Date => "a `Date` operator such as `DateGreaterThan`",
        ValueType::Numeric => "a `Numeric` operator such as `NumericLessThan`",
        ValueType::IpAddress => "the `IpAddress` or `NotIpAddress` operator",
        ValueType::Binary => "the `BinaryEquals` operator",
    }
}
