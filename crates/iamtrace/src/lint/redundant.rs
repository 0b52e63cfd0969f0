//! Values that add nothing: `action-redundant` and `resource-redundant`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use super::{finding, ActionPattern, Cx, Facts, MAX_COMPARISONS};
use crate::arn;
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::glob;
use crate::policy::Statement;
use crate::span::Str;

pub(super) fn check(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>, facts: &Facts<'_, '_>) {
    actions(cx, facts);
    resources(cx, stmt);
}

/// `action-redundant` (SUGGESTION): an `Action` or `NotAction` value is
/// already covered by another value of the same list: a repeated action, an
/// action inside a wildcard (`s3:GetObject` next to `s3:Get*`), or, with the
/// reference, a wildcard covering a subset of another's actions.
///
/// Why: redundant values make a policy longer (policies have size limits)
/// and harder to review. Access Analyzer: REDUNDANT_ACTION.
///
/// Example: `"Action": ["s3:Get*", "s3:GetObject"]`.
fn actions(cx: &mut Cx<'_, '_>, facts: &Facts<'_, '_>) {
    let list = &facts.actions;
    // Only patterns of the same service (or `*`, or a wildcard service) can
    // cover each other: compare within groups, so that policies with
    // thousands of patterns stay linear.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut everywhere: Vec<usize> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        match p.service {
            Some(s) if !s.contains(['*', '?']) => groups.entry(s.to_ascii_lowercase()).or_default().push(i),
            _ => everywhere.push(i),
        }
    }
    // Within a group, a value can only be covered by a repeat of itself or by a wildcard.
    for members in groups.values_mut() {
        members.retain(|&i| list.get(i).is_some_and(ActionPattern::has_wildcard));
    }
    let mut first: HashMap<String, usize> = HashMap::new();
    let escaped: Vec<Cow<'_, str>> = list.iter().map(|p| glob::escape(p.value.as_str())).collect();
    let empty = Vec::new();
    let mut compared = 0usize;
    for (j, b) in list.iter().enumerate() {
        let lower = b.value.as_str().to_ascii_lowercase();
        let repeat = *first.entry(lower).or_insert(j);
        let same = b
            .service
            .filter(|s| !s.contains(['*', '?']))
            .map_or(&empty, |s| groups.get(&s.to_ascii_lowercase()).unwrap_or(&empty));
        let mut candidates: Vec<usize> = same.iter().chain(&everywhere).copied().collect();
        if repeat != j {
            candidates.push(repeat);
        }
        candidates.sort_unstable();
        // Thousands of wildcards of one service compare pairwise: stop at the budget.
        compared += candidates.len();
        if compared > MAX_COMPARISONS {
            return;
        }
        let covering = candidates.into_iter().find(|&i| {
            let Some(a) = list.get(i) else { return false };
            if i == j {
                return false;
            }
            let (at, bt) = (a.value.as_str(), b.value.as_str());
            if at.eq_ignore_ascii_case(bt) {
                return i < j;
            }
            if at == "*" {
                return true;
            }
            if !b.has_wildcard() && bt != "*" {
                return a.has_wildcard() && escaped.get(i).is_some_and(|e| glob::matches_ignore_case(e, bt));
            }
            match (&a.expanded, &b.expanded) {
                (Some(ea), Some(eb)) if !eb.is_empty() && eb.len() <= ea.len() => {
                    let subset = eb.iter().all(|x| ea.binary_search_by_key(&x.id, |y| y.id).is_ok());
                    subset && (eb.len() < ea.len() || i < j)
                }
                _ => false,
            }
        });
        if let Some(a) = covering.and_then(|i| list.get(i)) {
            cx.emit(redundant(Code::ActionRedundant, b.value, a.value));
        }
    }
}

/// The finding for `value`, covered by `by`.
fn redundant(code: Code, value: &Str<'_>, by: &Str<'_>) -> Diagnostic {
    let (v, b) = (value.as_str(), by.as_str());
    if v.eq_ignore_ascii_case(b) {
        finding(code, value.span, format!("{} is listed twice", quote(v)))
            .with_label(by.span, "first listed here")
            .with_help("remove one of them")
    } else {
        finding(code, value.span, format!("{} is already covered by {}", quote(v), quote(b)))
            .with_label(by.span, "covers it")
            .with_help("remove it")
    }
}

/// `resource-redundant` (SUGGESTION): a `Resource` or `NotResource` value is
/// already covered by another value of the same list (`*`, a repeated ARN,
/// or an ARN inside another's wildcard).
///
/// Why: as for actions, it only makes the policy longer. Access Analyzer:
/// REDUNDANT_RESOURCE.
///
/// Example: `"Resource": ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/report.csv"]`.
fn resources(cx: &mut Cx<'_, '_>, stmt: &Statement<'_>) {
    let Some(list) = &stmt.resource else { return };
    let escaped: Vec<Cow<'_, str>> = list.values.iter().map(|v| glob::escape(v.as_str())).collect();
    // Every value is compared with every other: a list long enough to pass
    // the budget is not checked past it.
    let per_value = list.values.len();
    for (j, b) in list.values.iter().enumerate() {
        if j.saturating_mul(per_value) > MAX_COMPARISONS {
            return;
        }
        let bt = b.as_str();
        let literal = !bt.contains(['*', '?']) && !bt.contains("${");
        let covering = list.values.iter().enumerate().find(|&(i, a)| {
            let at = a.as_str();
            if i == j {
                return false;
            }
            if at == bt {
                return i < j;
            }
            // Covered under either reach: a segment match is a glob match too.
            at == "*"
                || (literal
                    && at.contains(['*', '?'])
                    && escaped.get(i).is_some_and(|e| arn::resource_matches(e, bt, arn::Reach::Segments)))
        });
        if let Some((_, a)) = covering {
            cx.emit(redundant(Code::ResourceRedundant, b, a));
        }
    }
}
