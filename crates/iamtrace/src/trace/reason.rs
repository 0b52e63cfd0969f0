//! The sentence that says why a condition is true or false, for the trace.
//! The decision itself is taken in `condition::decide`; this file only words it.

use super::{ConditionResult, ConditionTrace, PolicyValue, Why};
use crate::operator::{BaseOp, Operator, SetQualifier};

/// The operator's name as AWS writes it (`ForAnyValue:StringLikeIfExists`).
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

fn show(p: &PolicyValue<'_>) -> String {
    match &p.resolved {
        Some(r) => format!("`{r}`"),
        None => format!("`{}`", p.text),
    }
}

/// Words the outcome of a condition, from its trace.
pub fn reason(c: &ConditionTrace<'_>) -> String {
    let op = c.parsed;
    let n = name(op);
    let base: BaseOp = op.base;
    let result = c.result == ConditionResult::True;
    let prepared = &c.policy_values;
    let dropped = prepared.iter().filter(|p| p.unresolved).count();
    let note =
        if dropped > 0 { format!(" ({dropped} value(s) dropped: a variable had no value)") } else { String::new() };
    let request_value =
        |i: usize| c.request_values.as_ref().and_then(|v| v.as_slice().get(i)).map(|v| v.as_ref()).unwrap_or_default();
    match c.why {
        Why::Null { present, any_valid } => {
            let state = if present { "present" } else { "absent" };
            if result {
                format!("the key is {state}, as `Null` asks")
            } else if !any_valid {
                "`Null` takes `true` or `false`; no value is either, so it is false".to_owned()
            } else {
                format!("the key is {state}, so `Null` is false")
            }
        }
        Why::Missing => match op.set {
            Some(SetQualifier::ForAllValues) => format!("key missing: `{n}` is true for a missing key (an empty set)"),
            Some(SetQualifier::ForAnyValue) => format!("key missing: `{n}` is false for a missing key (an empty set)"),
            None if op.if_exists => format!("key missing: `{n}` is true when the key is missing"),
            None if op.negated() => format!("key missing: negated operator `{n}` is true when the key is missing"),
            None => format!("key missing: `{n}` is false when the key is missing"),
        },
        Why::EmptySet => match op.set {
            Some(SetQualifier::ForAllValues) => format!("the request has no values for the key: `{n}` is true{note}"),
            _ => format!("the request has no values for the key: `{n}` is false{note}"),
        },
        Why::ForAll(None) => format!("every request value passes `{}`{note}", base.name()),
        Why::ForAll(Some(i)) => {
            format!("request value `{}` fails `{}`, so `{n}` is false{note}", request_value(i), base.name())
        }
        Why::ForAny(Some(i)) => format!("request value `{}` passes `{}`{note}", request_value(i), base.name()),
        Why::ForAny(None) => format!("no request value passes `{}`, so `{n}` is false{note}", base.name()),
        Why::MultiWithoutQualifier => format!(
            "the key is multivalued but `{n}` has no `ForAllValues:`/`ForAnyValue:` qualifier; AWS does not document the outcome, so the condition takes the value that denies: {result} (false in an Allow, true in a Deny)"
        ),
        Why::Single(Some(i)) => {
            let v = request_value(0);
            let p = prepared.get(i).map(|p| show(&p)).unwrap_or_default();
            if op.negated() {
                format!("`{v}` matches {p}, so `{n}` is false{note}")
            } else {
                format!("`{v}` matches {p}{note}")
            }
        }
        Why::Single(None) => {
            let v = request_value(0);
            let listed = prepared.len() - dropped;
            // The trace is public data: stay graceful even if it was built by hand.
            let what = match listed {
                0 => "no value is left to compare".to_owned(),
                1 => format!(
                    "`{v}` does not match {}",
                    prepared.iter().find(|p| !p.unresolved).map(|p| show(&p)).unwrap_or_default()
                ),
                k => format!("`{v}` matches none of the {k} values"),
            };
            if op.negated() {
                format!("{what}, so `{n}` is true{note}")
            } else {
                format!("{what}{note}")
            }
        }
    }
}
