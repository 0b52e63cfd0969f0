//! Condition evaluation: missing keys, set qualifiers, `IfExists`, and
//! policy variables in condition values (SPEC §3). The operators themselves
//! (names, value syntax, comparing two values) are in [`crate::operator`].

use std::borrow::Cow;

use crate::glob;
use crate::operator::{boolean, parsed_matches, BaseOp, Family, Operator, Parsed, SetQualifier};
use crate::policy::Condition;
use crate::request::{ContextValue, Keys};
use crate::trace::{ConditionResult, ConditionTrace, PolicyValue, PolicyValues, Why};
use crate::variables::{self, Mode};

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

fn prepare<'a>(cond: &Condition<'a>, ctx: &Keys<'_, '_>, variables: bool, unsure: Unsure) -> Vec<Prepared<'a>> {
    let base = cond.operator.base;
    let substitute = substitutes(cond.operator, variables, unsure);
    let mode = if uses_glob(base) { Mode::Glob } else { Mode::Plain };
    cond.values
        .iter()
        .map(|v| {
            let raw: &str = &v.value;
            let mut trace = PolicyValue::as_written(v);
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
                        Cow::Borrowed(_) => v.value.clone(),
                        Cow::Owned(o) => Cow::Owned(o),
                    },
                    Mode::Plain => v.value.clone(),
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

/// A policy value ready for comparison: `None` when a variable in it had no
/// value (the value is dropped).
pub(crate) trait Candidate {
    fn value(&self) -> Option<&str>;

    /// The value parsed ahead for its operator, if it was.
    fn parsed(&self) -> Parsed {
        Parsed::Text
    }
}

/// A policy value that does not depend on the request, prepared once.
#[derive(Debug, Clone)]
pub(crate) struct Constant<'a> {
    text: Cow<'a, str>,
    parsed: Parsed,
}

impl Candidate for Constant<'_> {
    fn value(&self) -> Option<&str> {
        Some(&self.text)
    }

    fn parsed(&self) -> Parsed {
        self.parsed
    }
}

impl Candidate for Option<Cow<'_, str>> {
    fn value(&self) -> Option<&str> {
        self.as_deref()
    }
}

impl Candidate for Prepared<'_> {
    fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// Whether a condition's values have policy variables substituted, in a
/// policy whose version has them (`variables`). String and ARN operators
/// take variables (SPEC §4). Where AWS's pages leave it open, the reading
/// that denies decides:
/// - `Bool`: the pages disagree (SPEC §9.6: the condition operators page
///   says a policy variable may be used, the policy variables page says
///   not); substituted in a `Deny` statement, where a match denies, and
///   left as written in an `Allow`, where `${...}` is neither `true` nor
///   `false` and matches nothing.
/// - A set operator (`ForAllValues:`, `ForAnyValue:`) with a string
///   operator other than `StringLike`/`StringNotLike`: a multivalued key
///   compared with variables "must" use `StringLike` (SPEC §3.11), and the
///   page does not say what the other operators do. Substituted where that
///   denies (a positive operator in a `Deny`, a negated one in an
///   `Allow`), left as written otherwise.
fn substitutes(op: Operator, variables: bool, unsure: Unsure) -> bool {
    let base = op.base;
    if op.is_set_without_like() {
        return variables && unsure.0 != base.is_negated();
    }
    variables && (base.takes_variables() || (base.family() == Family::Bool && unsure.0))
}

/// Where AWS's documentation leaves a condition's outcome open, the
/// outcome that denies: false in an `Allow` statement, true in a `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsure(pub bool);

impl Unsure {
    pub fn for_effect(effect: crate::policy::Effect) -> Unsure {
        Unsure(effect == crate::policy::Effect::Deny)
    }
}

/// Decides one condition (SPEC §3): the same rules for the trace and for
/// decision-only evaluation. `policy_values` are the prepared values.
pub(crate) fn decide<C: Candidate>(
    cond: &Condition<'_>,
    entry: Option<&ContextValue<'_>>,
    policy_values: &[C],
    unsure: Unsure,
) -> (bool, Why) {
    let op = cond.operator;
    if op.base == BaseOp::Null {
        return null(cond, entry);
    }
    let Some(value) = entry else { return (holds_when_missing(op), Why::Missing) };
    let base = op.base;
    match op.set {
        Some(set) => {
            let null_set = match value {
                ContextValue::Single(s) => s.is_empty(),
                ContextValue::Multi(vs) => vs.is_empty() || (vs.len() == 1 && vs.first().is_some_and(|v| v.is_empty())),
            };
            if null_set {
                return (set == SetQualifier::ForAllValues, Why::EmptySet);
            }
            // Many request values against `...Like` patterns: each pattern
            // compiled once, not read again for every value.
            let many_like = matches!(base, BaseOp::StringLike | BaseOp::StringNotLike)
                && matches!(value, ContextValue::Multi(vs) if vs.len() > 4);
            let globs: Option<Vec<Option<glob::Glob<'_>>>> =
                many_like.then(|| policy_values.iter().map(|p| p.value().map(glob::Glob::new)).collect());
            let test = |v: &str| {
                let hit = match &globs {
                    Some(globs) => globs.iter().any(|g| g.as_ref().is_some_and(|g| g.matches(v, false))),
                    None => first_match(base, v, policy_values).is_some(),
                };
                hit != op.negated()
            };
            match set {
                SetQualifier::ForAllValues => match value.iter().position(|v| !test(v)) {
                    None => (true, Why::ForAll(None)),
                    Some(i) => (false, Why::ForAll(Some(i))),
                },
                SetQualifier::ForAnyValue => match value.iter().position(test) {
                    Some(i) => (true, Why::ForAny(Some(i))),
                    None => (false, Why::ForAny(None)),
                },
            }
        }
        None => match value {
            // SPEC §9.15: a single-valued operator on a multivalued key.
            // AWS documents only that multivalued keys need a set operator;
            // the outcome without one is open, so the condition takes the
            // value that denies: false in an Allow, true in a Deny.
            ContextValue::Multi(_) => (unsure.0, Why::MultiWithoutQualifier),
            ContextValue::Single(v) => {
                let hit = first_match(base, v, policy_values);
                (hit.is_some() != op.negated(), Why::Single(hit))
            }
        },
    }
}

/// Whether one condition holds, without a trace. `prepared` holds the
/// condition's values ready for comparison when they do not depend on the
/// request (no variables); otherwise they are substituted here.
pub(crate) fn holds(
    cond: &Condition<'_>,
    prepared: Option<&[Constant<'_>]>,
    ctx: &Keys<'_, '_>,
    variables: bool,
    unsure: Unsure,
) -> bool {
    let entry = ctx.get(&cond.key.value).map(|e| &e.value);
    match prepared {
        Some(values) => decide(cond, entry, values, unsure).0,
        None => {
            let values: Vec<Option<Cow<'_, str>>> =
                prepare(cond, ctx, variables, unsure).into_iter().map(|p| p.value).collect();
            decide(cond, entry, &values, unsure).0
        }
    }
}

/// The condition's values ready for comparison, when they do not depend on
/// the request (`None` when a value has a variable to substitute).
pub(crate) fn constant_values<'a>(cond: &Condition<'a>, variables: bool, unsure: Unsure) -> Option<Vec<Constant<'a>>> {
    let substitute = substitutes(cond.operator, variables, unsure);
    if substitute && cond.values.iter().any(|v| variables::has_variables(&v.value)) {
        return None;
    }
    let glob_mode = uses_glob(cond.operator.base);
    Some(
        cond.values
            .iter()
            .map(|v| {
                let text = if glob_mode {
                    match glob::escape(&v.value) {
                        Cow::Borrowed(_) => v.value.clone(),
                        Cow::Owned(o) => Cow::Owned(o),
                    }
                } else {
                    v.value.clone()
                };
                Constant { parsed: Parsed::new(cond.operator.base, &text), text }
            })
            .collect(),
    )
}

/// Evaluates one condition against the request context, with its trace.
pub fn evaluate<'a>(
    cond: &'a Condition<'a>,
    ctx: &Keys<'_, 'a>,
    variables: bool,
    unsure: Unsure,
) -> ConditionTrace<'a> {
    evaluate_with(cond, None, ctx, variables, unsure)
}

/// [`evaluate`] with the condition's values prepared once when they do not
/// depend on the request (`constants`, from [`constant_values`]); without
/// them the values are prepared here.
pub(crate) fn evaluate_with<'a>(
    cond: &'a Condition<'a>,
    constants: Option<&[Constant<'_>]>,
    ctx: &Keys<'_, 'a>,
    variables: bool,
    unsure: Unsure,
) -> ConditionTrace<'a> {
    let op = cond.operator;
    let entry = ctx.get(&cond.key.value);
    let (result, why, policy_values) = match constants {
        // Values without a variable to substitute are traced as written.
        Some(constants) => {
            let (result, why) = decide(cond, entry.map(|e| &e.value), constants, unsure);
            (result, why, PolicyValues::as_written(&cond.values))
        }
        None => {
            let prepared = prepare(cond, ctx, variables, unsure);
            let (result, why) = decide(cond, entry.map(|e| &e.value), &prepared, unsure);
            (result, why, PolicyValues::from(prepared.into_iter().map(|p| p.trace).collect::<Vec<_>>()))
        }
    };
    ConditionTrace {
        operator: Cow::Borrowed(&cond.operator_text.value),
        parsed: op,
        negated: op.negated(),
        operator_span: cond.operator_text.span,
        key: Cow::Borrowed(&cond.key.value),
        key_span: cond.key.span,
        key_found: entry.map(|e| e.key.clone()),
        derived: entry.is_some_and(|e| e.derived),
        request_values: entry.map(|e| e.value.clone()),
        policy_values,
        values_span: cond.values_span,
        span: cond.key.span.cover(cond.values_span),
        result: if result { ConditionResult::True } else { ConditionResult::False },
        why,
    }
}

/// `Null`: `true` tests that the key is absent, `false` that it is present.
/// An empty string or an empty set counts as absent.
fn null(cond: &Condition<'_>, value: Option<&ContextValue<'_>>) -> (bool, Why) {
    let present = match value {
        None => false,
        Some(ContextValue::Single(s)) => !s.is_empty(),
        Some(ContextValue::Multi(vs)) => !vs.is_empty(),
    };
    let mut any_valid = false;
    let mut result = false;
    for v in &cond.values {
        match boolean::parse(&v.value) {
            Some(true) => {
                any_valid = true;
                result |= !present;
            }
            Some(false) => {
                any_valid = true;
                result |= present;
            }
            None => {}
        }
    }
    (result, Why::Null { present, any_valid })
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

/// Index of the first policy value matching `v`, if any.
fn first_match<C: Candidate>(base: BaseOp, v: &str, prepared: &[C]) -> Option<usize> {
    prepared.iter().position(|p| p.value().is_some_and(|pv| parsed_matches(base, p.parsed(), pv, v)))
}

#[cfg(test)]
mod tests;
