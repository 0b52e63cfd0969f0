//! What the user picked in the answer (a trace step, a statement, one of its
//! elements, a deciding statement, a missing key) and which policy spans
//! that highlights. Pure.

use iamtrace::trace::{Answer, ElementTrace, StatementTrace};

use crate::eval::SpanSet;

/// A part of a statement's trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Action,
    Resource,
    Principal,
    Condition(usize),
}

/// A selection in the answer, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Step(usize),
    Statement(usize, usize),
    Element(usize, usize, Part),
    /// `answer.deciding[i]`.
    Deciding(usize),
    /// `answer.missing_keys[i]`: every place that looks the key up.
    MissingKey(usize),
}

impl Pick {
    /// The step this pick belongs to, if any.
    pub fn step(self) -> Option<usize> {
        match self {
            Pick::Step(s) | Pick::Statement(s, _) | Pick::Element(s, _, _) => Some(s),
            _ => None,
        }
    }

    /// The statement this pick belongs to, if any.
    pub fn statement(self) -> Option<(usize, usize)> {
        match self {
            Pick::Statement(s, t) | Pick::Element(s, t, _) => Some((s, t)),
            _ => None,
        }
    }
}

fn element_span(e: &ElementTrace<'_>) -> iamtrace::Span {
    e.hit.as_ref().map_or(e.span, |h| h.span)
}

fn part_spans(st: &StatementTrace<'_>, part: Part, set: &mut SpanSet) {
    let policy = &st.statement.policy;
    match part {
        Part::Action => set.push(policy, element_span(&st.action), true),
        Part::Resource => set.push(policy, element_span(&st.resource), true),
        Part::Principal => {
            if let Some(p) = &st.principal {
                if p.hits.is_empty() {
                    set.push(policy, p.span, true);
                }
                for h in &p.hits {
                    set.push(policy, h.span, true);
                }
            }
        }
        Part::Condition(i) => {
            if let Some(c) = st.conditions.get(i) {
                set.push(policy, c.operator_span, true);
                set.push(policy, c.key_span.cover(c.values_span), true);
            }
        }
    }
}

/// The spans a pick highlights in the policy editors.
pub fn spans(answer: &Answer<'_>, pick: Pick) -> SpanSet {
    let mut set = SpanSet::default();
    match pick {
        Pick::Step(s) => {
            if let Some(step) = answer.trace.get(s) {
                let applying: Vec<_> = step.statements.iter().filter(|t| t.applies).collect();
                if applying.is_empty() {
                    for t in &step.statements {
                        set.statement(&t.statement, false);
                    }
                } else {
                    for t in applying {
                        set.statement(&t.statement, true);
                    }
                }
            }
        }
        Pick::Statement(s, t) => {
            if let Some(st) = answer.trace.get(s).and_then(|step| step.statements.get(t)) {
                set.statement(&st.statement, true);
            }
        }
        Pick::Element(s, t, part) => {
            if let Some(st) = answer.trace.get(s).and_then(|step| step.statements.get(t)) {
                set.statement(&st.statement, false);
                part_spans(&st, part, &mut set);
            }
        }
        Pick::Deciding(i) => {
            if let Some(r) = answer.deciding.get(i) {
                set.statement(r, true);
            }
        }
        Pick::MissingKey(i) => {
            if let Some(k) = answer.missing_keys.get(i) {
                for r in &k.referenced_by {
                    set.statement(&r.statement, false);
                    set.push(&r.statement.policy, r.span, true);
                }
            }
        }
    }
    set
}
