//! The statements one step examined. Most statements of a real policy set
//! stop at their `Action` (it names another action), and the trace of such
//! a statement says nothing the policy and the request do not: the step
//! keeps no record of it. It keeps its policies' [`StatementShape`]s, and
//! the records of the statements examined further, each with its place in
//! the list; a statement without a record is written out from its shape
//! when read. Reading gives the same [`StatementTrace`] either way, and so
//! does serialising.

use std::borrow::Cow;

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::{ElementStatus, ElementTrace, PrincipalTrace, StatementRef, StatementTrace};
use crate::few::Few;
use crate::policy::Effect;
use crate::span::Span;

/// What a statement's trace shows before anything is matched: how the
/// trace names it, and which elements it has, where. Made once per
/// statement with the policy set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementShape {
    statement: StatementRef,
    /// `Action` or `NotAction`, and the element's span.
    action: (&'static str, Span),
    /// `Resource` or `NotResource` (`Resource` when absent), and the span.
    resource: (&'static str, Span),
    /// `Principal` or `NotPrincipal`, when the statement has one.
    principal: Option<(&'static str, Span)>,
    condition_span: Option<Span>,
}

impl StatementShape {
    pub(crate) fn new(
        statement: StatementRef,
        action: (&'static str, Span),
        resource: (&'static str, Span),
        principal: Option<(&'static str, Span)>,
        condition_span: Option<Span>,
    ) -> Self {
        StatementShape { statement, action, resource, principal, condition_span }
    }

    /// A shape for no statement, where one is looked up and not found
    /// (never happens: every statement has its shape, and a list is as
    /// long as its policies' statements of its effect; this keeps the
    /// lookups free of a panic).
    #[cold]
    pub(crate) fn missing() -> &'static StatementShape {
        &MISSING
    }

    /// How the trace names the statement.
    pub fn statement(&self) -> &StatementRef {
        &self.statement
    }

    /// The statement's trace before any element is looked at: the action
    /// not matched, every other element not evaluated, no condition
    /// evaluated; `against` is the request's action, resource and caller.
    // Written in place where it is kept (natively); a smaller page in wasm.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn unmatched<'a>(&'a self, against: &Against<'a>) -> StatementTrace<'a> {
        let element = |(element, span): (&'static str, Span), status, against: &'a str| ElementTrace {
            element,
            status,
            against: Cow::Borrowed(against),
            hit: None,
            dropped: Vec::new(),
            span,
        };
        StatementTrace {
            statement: Cow::Borrowed(&self.statement),
            applies: false,
            action: element(self.action, ElementStatus::NotMatched, against.action),
            resource: element(self.resource, ElementStatus::NotEvaluated, against.resource),
            principal: self.principal.map(|(element, span)| PrincipalTrace {
                element,
                status: ElementStatus::NotEvaluated,
                against: Cow::Borrowed(against.caller),
                hits: Vec::new(),
                grant: None,
                note: None,
                span,
            }),
            conditions_evaluated: false,
            conditions: Vec::new(),
            condition_span: self.condition_span,
        }
    }
}

/// The request's values the elements of every statement of a step are
/// compared with, borrowed from the request: statements kept in full (as
/// all of them are once owned or changed) hold their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Against<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub caller: &'a str,
}

/// The shape of no statement (see [`StatementShape::missing`]).
static MISSING: StatementShape = StatementShape {
    statement: StatementRef {
        policy: super::PolicyRef {
            kind: crate::policy::PolicyKind::Identity,
            index: 0,
            level: None,
            name: None,
            doc: crate::diagnostic::DocId(0),
        },
        statement: 0,
        sid: None,
        span: Span { start: 0, end: 0 },
        effect: Effect::Allow,
    },
    action: ("Action", Span { start: 0, end: 0 }),
    resource: ("Resource", Span { start: 0, end: 0 }),
    principal: None,
    condition_span: None,
};

/// A statement kept in full, and its place in the list.
#[derive(Debug, Clone)]
struct Kept<'a> {
    at: usize,
    trace: StatementTrace<'a>,
}

/// The statements a step examined, in order: a list of
/// [`StatementTrace`]s, each given by value when it is read (see the
/// module's documentation). Serialised as that list.
#[derive(Debug, Clone)]
pub struct Statements<'a> {
    /// What the statements are compared with: borrowed from the request,
    /// as each statement's trace borrows it.
    against: Against<'a>,
    /// The statements of the step's policies, by shape, in order: those
    /// with `effect` are the list.
    shapes: Few<&'a [StatementShape]>,
    effect: Effect,
    len: usize,
    /// The statements kept in full, in order.
    full: Vec<Kept<'a>>,
    /// How many can be kept in full at most: room for them is made with
    /// the first (most steps keep none).
    examined: usize,
}

impl Default for Statements<'_> {
    fn default() -> Self {
        Statements {
            against: Against::default(),
            shapes: Few::None,
            effect: Effect::Allow,
            len: 0,
            full: Vec::new(),
            examined: 0,
        }
    }
}

impl<'a> Statements<'a> {
    /// The `effect` statements of policies to come
    /// ([`Statements::add_policy`]), compared with `against`, of which up
    /// to `examined` are kept in full.
    pub(crate) fn new(against: Against<'a>, effect: Effect, examined: usize) -> Self {
        Statements { against, effect, examined, ..Statements::default() }
    }

    /// A policy's statements, `count` of them with the list's effect: each
    /// stopped at its `Action` unless kept in full
    /// ([`Statements::push_examined`]). `policies`: how many policies the
    /// list is made of in all.
    pub(crate) fn add_policy(&mut self, shapes: &'a [StatementShape], count: usize, policies: usize) {
        self.shapes.push(shapes, policies);
        self.len += count;
    }

    /// The statement at `at` in the list (after the last one kept),
    /// examined further: its trace as [`StatementShape::unmatched`] gives
    /// it, to be filled in. Written where it is kept (a trace is large:
    /// built aside, it would be copied).
    #[inline]
    pub(crate) fn push_examined(&mut self, shape: &'a StatementShape, at: usize) -> Option<&mut StatementTrace<'a>> {
        debug_assert!(at < self.len && self.full.last().is_none_or(|k| k.at < at), "kept in order, in the list");
        let against = &self.against;
        if self.full.capacity() == 0 {
            self.full.reserve_exact(self.examined.max(1));
        }
        self.full.extend(std::iter::once_with(|| Kept { at, trace: shape.unmatched(against) }));
        self.full.last_mut().map(|k| &mut k.trace)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The statement at `index` (a statement not kept in full is found by
    /// walking the step's policies: read them all with [`Statements::iter`]).
    pub fn get(&self, index: usize) -> Option<Cow<'_, StatementTrace<'a>>> {
        self.iter().nth(index)
    }

    fn listed(&self, shape: &StatementShape) -> bool {
        shape.statement.effect == self.effect
    }

    /// Every statement, in order.
    pub fn iter(&self) -> Iter<'_, 'a> {
        Iter { statements: self, at: 0, kept: self.full.iter(), policy: 0, index: 0 }
    }

    /// The statements examined past their action, in order: the only ones
    /// with anything matched, resolved or missing.
    pub(crate) fn examined(&self) -> impl Iterator<Item = &StatementTrace<'a>> {
        self.full.iter().map(|k| &k.trace)
    }

    /// Every statement, to change (each is written out in full first).
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = &mut StatementTrace<'a>> {
        if self.full.len() < self.len {
            let full: Vec<_> = self.iter().map(Cow::into_owned).collect();
            *self = Statements::from(full);
        }
        self.full.iter_mut().map(|k| &mut k.trace)
    }

    /// The same statements, owning their texts.
    pub fn into_owned(self) -> Statements<'static> {
        let full: Vec<_> = self.iter().map(|t| super::own_statement(t.into_owned())).collect();
        Statements::from(full)
    }
}

/// The statements of a step, in order (see [`Statements::iter`]).
#[derive(Debug, Clone)]
pub struct Iter<'s, 'a> {
    statements: &'s Statements<'a>,
    /// The place of the next statement in the list.
    at: usize,
    /// The statements kept in full not yet given.
    kept: std::slice::Iter<'s, Kept<'a>>,
    /// The next shape to look at: its policy, and its place in the policy.
    policy: usize,
    index: usize,
}

impl<'a> Iter<'_, 'a> {
    /// The shape of the next statement of the list.
    fn next_shape(&mut self) -> Option<&'a StatementShape> {
        let policies = self.statements.shapes.as_slice();
        loop {
            let shapes: &'a [StatementShape] = policies.get(self.policy)?;
            match shapes.get(self.index) {
                Some(shape) => {
                    self.index += 1;
                    if self.statements.listed(shape) {
                        return Some(shape);
                    }
                }
                None => {
                    self.policy += 1;
                    self.index = 0;
                }
            }
        }
    }
}

impl<'s, 'a> Iterator for Iter<'s, 'a> {
    type Item = Cow<'s, StatementTrace<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.statements.len {
            return None;
        }
        let at = self.at;
        self.at += 1;
        let shape = self.next_shape();
        if let Some(kept) = self.kept.as_slice().first().filter(|k| k.at == at) {
            self.kept.next();
            return Some(Cow::Borrowed(&kept.trace));
        }
        let shape = shape.unwrap_or_else(|| StatementShape::missing());
        Some(Cow::Owned(shape.unmatched(&self.statements.against)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.statements.len.saturating_sub(self.at);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_, '_> {}

impl<'s, 'a> IntoIterator for &'s Statements<'a> {
    type Item = Cow<'s, StatementTrace<'a>>;
    type IntoIter = Iter<'s, 'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Statements all kept in full, in order (what owning or changing them
/// leaves).
impl<'a> From<Vec<StatementTrace<'a>>> for Statements<'a> {
    fn from(full: Vec<StatementTrace<'a>>) -> Self {
        let len = full.len();
        Statements {
            len,
            examined: len,
            full: full.into_iter().enumerate().map(|(at, trace)| Kept { at, trace }).collect(),
            ..Statements::default()
        }
    }
}

impl PartialEq for Statements<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Statements<'_> {}

impl Serialize for Statements<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for trace in self.iter() {
            seq.serialize_element(&*trace)?;
        }
        seq.end()
    }
}
