//! One statement against the request: action, resource, principal, conditions.

use std::borrow::Cow;

use super::compile::{Compiled, ResourcePattern};
use super::index::Patterns;
use super::principal::{self, Who};
use crate::arn::{self, Reach};
use crate::condition;
use crate::glob;
use crate::policy::{Effect, PolicyKind, Statement};
use crate::request::Keys;
use crate::span::Span;
use crate::span::Str;
use crate::trace::statements::Against;
use crate::trace::{
    ConditionResult, ElementStatus, ElementTrace, Grant, PolicyRef, PolicyValue, StatementRef, StatementShape,
    StatementTrace, Statements,
};
use crate::variables::{self, Mode};

/// The request as statements see it.
#[derive(Clone, Copy)]
pub(super) struct Target<'r, 'a> {
    pub action: &'a str,
    /// The id of the action's service prefix in the statement index.
    pub service: Option<u32>,
    pub resource: &'a str,
    /// Where the resource ARN's six parts start, when it is an ARN.
    pub resource_parts: Option<[usize; 6]>,
    /// The resource is a KMS key: its resource-based policy is a key policy.
    pub kms_key: bool,
    pub who: Who<'r, 'a>,
}

/// Whether a statement without `Resource` applies to the resource the
/// policy is attached to. In a KMS key policy it has no effect: "If either
/// of the required Resource or Action elements are missing from a key
/// policy statement, the policy statement has no effect" (AWS KMS API
/// Reference, PutKeyPolicy).
fn omitted_resource_applies(c: &Compiled<'_, '_>, target: &Target<'_, '_>) -> bool {
    !(target.kms_key && c.kind == PolicyKind::Resource)
}

fn context<'r, 'a>(t: &Target<'r, 'a>) -> &'r Keys<'r, 'a> {
    t.who.context
}

impl<'a> Target<'_, 'a> {
    /// What the elements of statements are compared with, for the trace.
    pub fn against(&self) -> Against<'a> {
        Against { action: self.action, resource: self.resource, caller: self.who.caller.text }
    }
}

pub(super) fn statement_ref(policy_ref: &PolicyRef, st: &Statement<'_>) -> StatementRef {
    StatementRef {
        policy: policy_ref.clone(),
        statement: st.index,
        sid: st.sid.as_ref().map(|s| s.value.as_ref().into()),
        span: st.span,
        effect: st.effect,
    }
}

/// The position of the first `Action`/`NotAction` pattern that matches
/// `action` (case-insensitive, as AWS compares actions), ignoring
/// negation, among those the statement index says can. Patterns not
/// compiled (a set prepared for one request) are matched from their text;
/// compiled ones without reading the statement's list of values (one block
/// of memory fewer per statement for a decision; `actions` is either empty
/// or as long as that list).
fn first_action_hit(c: &Compiled<'_, '_>, action: &str, patterns: Patterns<'_>) -> Option<usize> {
    let matches = |&i: &usize| match c.actions.get(i) {
        Some(pattern) => pattern.matches(action, true),
        None => c.st.action.values.get(i).is_some_and(|v| glob::matches_ignore_case(&glob::escape(&v.value), action)),
    };
    match patterns {
        Patterns::Only(only) => only.iter().map(|&i| i as usize).find(matches),
        Patterns::All => (0..c.st.action.values.len()).find(matches),
    }
}

/// The first `Action`/`NotAction` pattern that matches (see
/// [`first_action_hit`]), for the trace.
fn find_action<'s, 'a>(c: &Compiled<'s, 'a>, action: &str, patterns: Patterns<'_>) -> Option<&'s Str<'a>> {
    first_action_hit(c, action, patterns).and_then(|i| c.st.action.values.get(i))
}

/// The `Resource` pattern after variable substitution in its resource part.
/// `Err` carries the trace of a pattern whose variable had no value.
fn resource_pattern<'p, 'a>(
    p: &'p Str<'a>,
    variables: bool,
    ctx: &Keys<'_, '_>,
) -> Result<(Cow<'p, str>, PolicyValue<'a>), PolicyValue<'a>> {
    let raw = p.as_str();
    let mut trace = PolicyValue::as_written(p);
    if variables && variables::has_variables(raw) {
        // Only the part after the fifth colon is substituted.
        let cut = raw.match_indices(':').nth(4).map_or(0, |(i, _)| i + 1);
        let (prefix, rest) = raw.split_at(cut);
        let s = variables::substitute(rest, Mode::Glob, |k| ctx.variable(k));
        trace.resolutions = s.resolutions;
        match s.text {
            Some(t) => {
                let pattern = format!("{}{t}", glob::escape(prefix));
                trace.resolved = Some(glob::unescape(&pattern).into_owned());
                Ok((Cow::Owned(pattern), trace))
            }
            None => {
                trace.unresolved = true;
                Err(trace)
            }
        }
    } else {
        Ok((glob::escape(raw), trace))
    }
}

/// Matches the `Resource`/`NotResource` element, writing the outcome into
/// `t` (which names the element and the request's resource already).
fn resource<'a>(c: &Compiled<'a, 'a>, target: &Target<'_, 'a>, variables: bool, t: &mut ElementTrace<'a>) {
    let (resource, offsets, ctx) = (target.resource, target.resource_parts.as_ref(), context(target));
    let (Some(list), Some(patterns)) = (c.st.resource.as_ref(), c.resources.as_ref()) else {
        t.status = if omitted_resource_applies(c, target) { ElementStatus::Omitted } else { ElementStatus::NotMatched };
        return;
    };
    let reach = Reach::for_element(c.st.effect == Effect::Allow, list.negated);
    // Patterns not compiled (a set prepared for one request) are matched
    // from their text, as patterns with variables are.
    for (i, p) in list.values.iter().enumerate() {
        match patterns.get(i) {
            Some(ResourcePattern::Fixed(pattern)) => {
                if t.hit.is_none() && pattern.matches(resource, offsets, reach) {
                    t.hit = Some(PolicyValue::borrowed(p));
                }
            }
            Some(ResourcePattern::Variable { .. }) | None => match resource_pattern(p, variables, ctx) {
                Ok((pattern, trace)) => {
                    if t.hit.is_none() && arn::resource_matches(&pattern, resource, reach) {
                        t.hit = Some(trace);
                    }
                }
                Err(trace) => t.dropped.push(trace),
            },
        }
    }
    t.status = status(t.hit.is_some(), list.negated);
}

/// Whether the `Resource`/`NotResource` element lets the statement apply
/// (decision only).
fn resource_applies(c: &Compiled<'_, '_>, target: &Target<'_, '_>, variables: bool) -> bool {
    let (resource, offsets, ctx) = (target.resource, target.resource_parts.as_ref(), context(target));
    let (Some(list), Some(patterns)) = (c.st.resource.as_ref(), c.resources.as_ref()) else {
        return omitted_resource_applies(c, target);
    };
    let reach = Reach::for_element(c.st.effect == Effect::Allow, list.negated);
    let hit = list.values.iter().enumerate().any(|(i, p)| match patterns.get(i) {
        Some(ResourcePattern::Fixed(pattern)) => pattern.matches(resource, offsets, reach),
        // Substituting costs more than the literal start can rule out.
        Some(ResourcePattern::Variable { prefix }) if !resource.starts_with(prefix) => false,
        Some(ResourcePattern::Variable { .. }) | None => resource_pattern(p, variables, ctx)
            .is_ok_and(|(pattern, _)| arn::resource_matches(&pattern, resource, reach)),
    });
    hit != list.negated
}

/// Whether a statement applies to the request, and the grant it makes
/// (decision only: the same rules as [`evaluate`], without the trace).
pub(super) fn applies(
    c: &Compiled<'_, '_>,
    variables: bool,
    patterns: Patterns<'_>,
    target: &Target<'_, '_>,
) -> (bool, Option<Grant>) {
    let st = c.st;
    if first_action_hit(c, target.action, patterns).is_some() == st.action.negated {
        return (false, None);
    }
    if !resource_applies(c, target, variables) {
        return (false, None);
    }
    let ctx = context(target);
    let grant = match &st.principal {
        Some(block) => match principal::applies(block, st, &target.who) {
            (true, grant) => grant,
            (false, _) => return (false, None),
        },
        None => None,
    };
    let unsure = condition::Unsure::for_effect(st.effect);
    // Values not prepared (a set prepared for one request) are read here.
    let conditions_hold = st.conditions.iter().enumerate().all(|(j, cond)| {
        let prepared = c.conditions.get(j).and_then(Option::as_deref);
        condition::holds(cond, prepared, ctx, variables, unsure)
    });
    if conditions_hold {
        (true, grant)
    } else {
        (false, None)
    }
}

/// An `Action` or `Resource` element matches when one of its patterns hit;
/// a `NotAction` or `NotResource` when none did.
fn status(hit: bool, negated: bool) -> ElementStatus {
    if hit != negated {
        ElementStatus::Matched
    } else {
        ElementStatus::NotMatched
    }
}

fn passes(status: ElementStatus) -> bool {
    matches!(status, ElementStatus::Matched | ElementStatus::Omitted)
}

/// Evaluates one statement and appends its trace to `out`; returns whether
/// it applies and the grant it makes. Elements are checked in order (action,
/// resource, principal, conditions); after the first that fails the rest
/// are marked not evaluated. All conditions of a statement whose elements
/// matched are evaluated, so the trace shows every failing one.
///
/// A statement whose `Action` names another action (most of them) is not
/// recorded: `out` reads its trace from its shape. `at` is the statement's
/// place in `out`.
pub(super) fn evaluate<'a>(
    c: &Compiled<'a, 'a>,
    variables: bool,
    patterns: Patterns<'_>,
    target: &Target<'_, 'a>,
    out: &mut Statements<'a>,
    at: usize,
) -> (bool, Option<Grant>) {
    let negated = c.not_action;
    let hit = find_action(c, target.action, patterns);
    if hit.is_none() && !negated {
        return (false, None);
    }
    let Some(t) = out.push_examined(c.shape, at) else { return (false, None) };
    t.action.hit = hit.map(PolicyValue::borrowed);
    t.action.status = status(hit.is_some(), negated);
    if passes(t.action.status) {
        past_action(c, variables, target, t)
    } else {
        (false, None)
    }
}

/// The elements after the action, for a statement whose action matched
/// (most do not).
fn past_action<'a>(
    c: &Compiled<'a, 'a>,
    variables: bool,
    target: &Target<'_, 'a>,
    t: &mut StatementTrace<'a>,
) -> (bool, Option<Grant>) {
    let st = c.st;
    let ctx = context(target);
    resource(c, target, variables, &mut t.resource);
    if !passes(t.resource.status) {
        return (false, None);
    }
    let mut grant = None;
    if let Some(block) = &st.principal {
        let p = principal::matches(block, st, &target.who);
        let matched = p.status == ElementStatus::Matched;
        grant = p.grant;
        t.principal = Some(p);
        if !matched {
            return (false, None);
        }
    }
    let unsure = condition::Unsure::for_effect(st.effect);
    t.conditions_evaluated = true;
    // Values prepared with the set are compared as prepared; the others
    // (a set prepared for one request) are read here.
    t.conditions = st
        .conditions
        .iter()
        .enumerate()
        .map(|(j, cond)| {
            let constants = c.conditions.get(j).and_then(Option::as_deref);
            condition::evaluate_with(cond, constants, ctx, variables, unsure)
        })
        .collect();
    t.applies = t.conditions.iter().all(|c| c.result == ConditionResult::True);
    (t.applies, if t.applies { grant } else { None })
}

/// What the trace of `st` shows before anything is matched.
pub(super) fn shape(policy_ref: &PolicyRef, st: &Statement<'_>) -> StatementShape {
    StatementShape::new(
        statement_ref(policy_ref, st),
        (if st.action.negated { "NotAction" } else { "Action" }, st.action.span),
        match &st.resource {
            Some(r) => (if r.negated { "NotResource" } else { "Resource" }, r.span),
            None => ("Resource", Span::default()),
        },
        st.principal.as_ref().map(|b| (if b.negated { "NotPrincipal" } else { "Principal" }, b.span)),
        st.condition_span,
    )
}
