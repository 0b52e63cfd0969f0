//! Condition evaluation: operators, missing keys, set qualifiers, `IfExists`,
//! and policy variables in condition values (SPEC §3).
//!
//! One file per operator family; this file holds the rules every family
//! shares.

mod binary;
mod boolean;
pub mod date;
mod ip;
pub mod numeric;
mod operator;
mod string;

use std::borrow::Cow;

pub use operator::{BaseOp, Family, Operator, SetQualifier};

use crate::arn;
use crate::glob;
use crate::policy::Condition;
use crate::request::{Context, ContextValue};
use crate::trace::{ConditionResult, ConditionTrace, PolicyValue};
use crate::variables::{self, Mode};

/// Checks a policy value against its operator's value syntax.
pub fn check_value(base: BaseOp, value: &str) -> Result<(), String> {
    match base.family() {
        Family::Numeric => numeric::check(value),
        Family::Date => date::check(value),
        Family::Bool => boolean::check(value),
        Family::Binary => binary::check(value),
        Family::Ip => ip::check(value),
        Family::Null => boolean::check(value),
        Family::String | Family::Arn => Ok(()),
    }
}

/// Positive comparison of one request value with one prepared policy value
/// (negated operators compare the same way; the caller negates).
fn value_matches(base: BaseOp, policy: &str, request: &str) -> bool {
    match base.family() {
        Family::String => string::matches(base, policy, request),
        Family::Numeric => numeric::matches(base, policy, request),
        Family::Date => date::matches(base, policy, request),
        Family::Bool => boolean::matches(policy, request),
        Family::Binary => binary::matches(policy, request),
        Family::Ip => ip::matches(policy, request),
        Family::Arn => arn::arn_like(policy, request),
        Family::Null => false,
    }
}

/// Whether the family compares policy values as [`glob`] patterns.
fn uses_glob(base: BaseOp) -> bool {
    matches!(base, BaseOp::StringLike | BaseOp::StringNotLike) || base.family() == Family::Arn
}

/// A policy value ready for comparison.
struct Prepared<'a> {
    trace: PolicyValue<'a>,
    /// What is compared; `None` when a variable had no value (dropped).
    value: Option<Cow<'a, str>>,
}

fn prepare<'a>(cond: &Condition<'a>, ctx: &Context<'_>, variables: bool) -> Vec<Prepared<'a>> {
    let base = cond.operator.base;
    let substitute = variables && base.takes_variables();
    let mode = if uses_glob(base) { Mode::Glob } else { Mode::Plain };
    cond.values
        .iter()
        .map(|v| {
            let raw: &str = &v.text;
            let mut trace = PolicyValue {
                text: v.text.clone(),
                span: v.span,
                resolved: None,
                resolutions: Vec::new(),
                unresolved: false,
            };
            if substitute && variables::has_variables(raw) {
                let s = variables::substitute(raw, mode, |k| ctx.variable(k));
                trace.resolutions = s.resolutions;
                trace.unresolved = s.text.is_none();
                trace.resolved = s.text.as_deref().map(|t| match mode {
                    Mode::Glob => display_glob(t),
                    Mode::Plain => t.to_owned(),
                });
                Prepared { trace, value: s.text.map(Cow::Owned) }
            } else {
                let value = match mode {
                    Mode::Glob => match glob::escape(raw) {
                        Cow::Borrowed(_) => v.text.clone(),
                        Cow::Owned(o) => Cow::Owned(o),
                    },
                    Mode::Plain => v.text.clone(),
                };
                Prepared { trace, value: Some(value) }
            }
        })
        .collect()
}

/// Shows a substituted glob pattern to people: escapes removed.
fn display_glob(pattern: &str) -> String {
    glob::unescape(pattern).into_owned()
}

/// Evaluates one condition against the request context.
pub fn evaluate<'a>(cond: &Condition<'a>, ctx: &Context<'a>, variables: bool) -> ConditionTrace<'a> {
    let op = cond.operator;
    let entry = ctx.get(&cond.key.text);
    let prepared = prepare(cond, ctx, variables);
    let (result, reason) = match entry {
        _ if op.base == BaseOp::Null => null(cond, entry.map(|e| &e.value)),
        None => missing(op),
        Some(e) => present(op, &e.value, &prepared),
    };
    ConditionTrace {
        operator: cond.operator_text.text.clone(),
        parsed: op,
        negated: op.negated(),
        operator_span: cond.operator_text.span,
        key: cond.key.text.clone(),
        key_span: cond.key.span,
        key_found: entry.map(|e| e.key.to_string()),
        derived: entry.is_some_and(|e| e.derived),
        request_values: entry.map(|e| e.value.values()),
        policy_values: prepared.into_iter().map(|p| p.trace).collect(),
        values_span: cond.values_span,
        span: cond.key.span.cover(cond.values_span),
        result: if result { ConditionResult::True } else { ConditionResult::False },
        reason,
    }
}

fn name(op: Operator) -> String {
    let mut s = String::new();
    match op.set {
        Some(SetQualifier::ForAllValues) => s.push_str("ForAllValues:"),
        Some(SetQualifier::ForAnyValue) => s.push_str("ForAnyValue:"),
        None => {}
    }
    s.push_str(op.base.name());
    if op.if_exists {
        s.push_str("IfExists");
    }
    s
}

/// `Null`: `true` tests that the key is absent, `false` that it is present.
/// An empty string or an empty set counts as absent.
fn null(cond: &Condition<'_>, value: Option<&ContextValue<'_>>) -> (bool, String) {
    let present = match value {
        None => false,
        Some(ContextValue::Single(s)) => !s.is_empty(),
        Some(ContextValue::Multi(vs)) => !vs.is_empty(),
    };
    let wanted: Vec<Option<bool>> = cond.values.iter().map(|v| boolean::parse(&v.text)).collect();
    let result = wanted.iter().any(|w| match w {
        Some(true) => !present,
        Some(false) => present,
        None => false,
    });
    let state = if present { "present" } else { "absent" };
    let reason = if result {
        format!("the key is {state}, as `Null` asks")
    } else if wanted.iter().all(Option::is_none) {
        "`Null` takes `true` or `false`; no value is either, so it is false".to_owned()
    } else {
        format!("the key is {state}, so `Null` is false")
    };
    (result, reason)
}

/// Whether a condition with `op` (other than `Null`) holds when the
/// request does not have its key (SPEC §3.2): a set qualifier decides
/// first (an empty set), then `...IfExists`, then negation.
pub(crate) fn holds_when_missing(op: Operator) -> bool {
    match op.set {
        Some(SetQualifier::ForAllValues) => true,
        Some(SetQualifier::ForAnyValue) => false,
        None => op.if_exists || op.negated(),
    }
}

/// The rules for a key the request does not have, with the reason.
fn missing(op: Operator) -> (bool, String) {
    let n = name(op);
    let reason = match op.set {
        Some(SetQualifier::ForAllValues) => format!("key missing: `{n}` is true for a missing key (an empty set)"),
        Some(SetQualifier::ForAnyValue) => format!("key missing: `{n}` is false for a missing key (an empty set)"),
        None if op.if_exists => format!("key missing: `{n}` is true when the key is missing"),
        None if op.negated() => format!("key missing: negated operator `{n}` is true when the key is missing"),
        None => format!("key missing: `{n}` is false when the key is missing"),
    };
    (holds_when_missing(op), reason)
}

/// Index of the first policy value matching `v`, if any.
fn first_match(base: BaseOp, v: &str, prepared: &[Prepared<'_>]) -> Option<usize> {
    prepared.iter().position(|p| p.value.as_deref().is_some_and(|pv| value_matches(base, pv, v)))
}

fn show(p: &Prepared<'_>) -> String {
    match &p.trace.resolved {
        Some(r) => format!("`{r}`"),
        None => format!("`{}`", p.trace.text),
    }
}

fn present(op: Operator, value: &ContextValue<'_>, prepared: &[Prepared<'_>]) -> (bool, String) {
    let n = name(op);
    let base = op.base;
    let dropped = prepared.iter().filter(|p| p.value.is_none()).count();
    let note =
        if dropped > 0 { format!(" ({dropped} value(s) dropped: a variable had no value)") } else { String::new() };
    match op.set {
        Some(set) => {
            let values: Vec<&str> = value.iter().collect();
            let null_set = values.is_empty() || (values.len() == 1 && values.first().is_some_and(|v| v.is_empty()));
            let test = |v: &str| first_match(base, v, prepared).is_some() != op.negated();
            match set {
                SetQualifier::ForAllValues => {
                    if null_set {
                        return (true, format!("the request has no values for the key: `{n}` is true{note}"));
                    }
                    match values.iter().find(|v| !test(v)) {
                        None => (true, format!("every request value passes `{}`{note}", base.name())),
                        Some(v) => {
                            (false, format!("request value `{v}` fails `{}`, so `{n}` is false{note}", base.name()))
                        }
                    }
                }
                SetQualifier::ForAnyValue => {
                    if null_set {
                        return (false, format!("the request has no values for the key: `{n}` is false{note}"));
                    }
                    match values.iter().find(|v| test(v)) {
                        Some(v) => (true, format!("request value `{v}` passes `{}`{note}", base.name())),
                        None => (false, format!("no request value passes `{}`, so `{n}` is false{note}", base.name())),
                    }
                }
            }
        }
        None => match value {
            ContextValue::Multi(_) => {
                // SPEC §9.15: a single-valued operator on a multivalued key.
                // Access Analyzer calls this an error and real requests have
                // been seen not to match; we treat the comparison as never
                // matching, so positive operators are false and negated ones true.
                let result = op.negated();
                (
                    result,
                    format!(
                        "the key is multivalued but `{n}` has no `ForAllValues:`/`ForAnyValue:` qualifier: it never matches, so the condition is {result} (AWS leaves this undocumented)"
                    ),
                )
            }
            ContextValue::Single(v) => match first_match(base, v, prepared) {
                Some(i) => {
                    let p = prepared.get(i).map(show).unwrap_or_default();
                    if op.negated() {
                        (false, format!("`{v}` matches {p}, so `{n}` is false{note}"))
                    } else {
                        (true, format!("`{v}` matches {p}{note}"))
                    }
                }
                None => {
                    let listed = prepared.len() - dropped;
                    let what = match listed {
                        0 => "no value is left to compare".to_owned(),
                        1 => format!(
                            "`{v}` does not match {}",
                            prepared.iter().find(|p| p.value.is_some()).map(show).unwrap_or_default()
                        ),
                        k => format!("`{v}` matches none of the {k} values"),
                    };
                    if op.negated() {
                        (true, format!("{what}, so `{n}` is true{note}"))
                    } else {
                        (false, format!("{what}{note}"))
                    }
                }
            },
        },
    }
}

#[cfg(test)]
mod tests;
