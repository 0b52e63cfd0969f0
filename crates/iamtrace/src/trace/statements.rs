//! The statements one step examined. Most statements of a real policy set
//! stop at their `Action` (it names another action), and the trace of such
//! a statement says nothing the policy and the request do not: it is kept
//! as a reference to the statement's [`StatementShape`], and written out in
//! full only when read. The others are kept in full. Reading gives the same
//! [`StatementTrace`] either way, and so does serialising.

use std::borrow::Cow;
use std::sync::Arc;

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::{ElementStatus, ElementTrace, PrincipalTrace, StatementRef, StatementTrace};
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
    /// (never happens: every statement has its shape, and every examined
    /// entry its record; this keeps the lookups free of a panic).
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
        let element = |(element, span): (&'static str, Span), status, against: &Cow<'a, str>| ElementTrace {
            element,
            status,
            against: against.clone(),
            hit: None,
            dropped: Vec::new(),
            span,
        };
        StatementTrace {
            statement: Cow::Borrowed(&self.statement),
            applies: false,
            action: element(self.action, ElementStatus::NotMatched, &against.action),
            resource: element(self.resource, ElementStatus::NotEvaluated, &against.resource),
            principal: self.principal.map(|(element, span)| PrincipalTrace {
                element,
                status: ElementStatus::NotEvaluated,
                against: against.caller.clone(),
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
/// compared with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Against<'a> {
    pub action: Cow<'a, str>,
    pub resource: Cow<'a, str>,
    pub caller: Cow<'a, str>,
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
        effect: crate::policy::Effect::Allow,
    },
    action: ("Action", Span { start: 0, end: 0 }),
    resource: ("Resource", Span { start: 0, end: 0 }),
    principal: None,
    condition_span: None,
};

/// What statements of a step without any are compared with: nothing.
static NOTHING: Against<'static> =
    Against { action: Cow::Borrowed(""), resource: Cow::Borrowed(""), caller: Cow::Borrowed("") };

fn against_of<'s, 'a>(against: &'s Option<Arc<Against<'a>>>) -> &'s Against<'a> {
    against.as_deref().unwrap_or(&NOTHING)
}

#[derive(Debug, Clone, Copy)]
enum Entry<'a> {
    /// An `Action` element none of whose patterns names the action:
    /// nothing after it was looked at.
    Stopped(&'a StatementShape),
    /// Everything else, in full: its place in `full`.
    Examined(usize),
}

/// The statements a step examined, in order: a list of
/// [`StatementTrace`]s, each given by value when it is read (see the
/// module's documentation). Serialised as that list.
#[derive(Debug, Clone, Default)]
pub struct Statements<'a> {
    /// Shared by the steps of a trace; absent from the statements of a
    /// decision (which keeps none), whose groups are moved around as they are.
    against: Option<Arc<Against<'a>>>,
    entries: Vec<Entry<'a>>,
    /// The statements kept in full, in order.
    full: Vec<StatementTrace<'a>>,
    /// How many can be kept in full at most: room for them is made with
    /// the first (most steps keep none).
    examined: usize,
}

impl<'a> Statements<'a> {
    /// Room for `capacity` statements compared with `against`, of which
    /// up to `examined` are kept in full.
    pub(crate) fn with_capacity(against: Arc<Against<'a>>, capacity: usize, examined: usize) -> Self {
        Statements { against: Some(against), entries: Vec::with_capacity(capacity), full: Vec::new(), examined }
    }

    /// A statement that stopped at its `Action`.
    pub(crate) fn push_unmatched(&mut self, shape: &'a StatementShape) {
        self.entries.push(Entry::Stopped(shape));
    }

    /// A statement examined further: its trace as [`StatementShape::unmatched`]
    /// gives it, to be filled in. Written where it is kept (a trace is
    /// large: built aside, it would be copied).
    #[inline]
    pub(crate) fn push_examined(&mut self, shape: &'a StatementShape) -> Option<&mut StatementTrace<'a>> {
        let against = against_of(&self.against);
        if self.full.capacity() == 0 {
            self.full.reserve_exact(self.examined.max(1));
        }
        self.entries.push(Entry::Examined(self.full.len()));
        self.full.extend(std::iter::once_with(|| shape.unmatched(against)));
        self.full.last_mut()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn read<'s>(&'s self, entry: &'s Entry<'a>) -> Cow<'s, StatementTrace<'a>> {
        match *entry {
            Entry::Stopped(shape) => Cow::Owned(shape.unmatched(against_of(&self.against))),
            Entry::Examined(i) => match self.full.get(i) {
                Some(trace) => Cow::Borrowed(trace),
                None => Cow::Owned(StatementShape::missing().unmatched(against_of(&self.against))),
            },
        }
    }

    /// The statement at `index`.
    pub fn get(&self, index: usize) -> Option<Cow<'_, StatementTrace<'a>>> {
        self.entries.get(index).map(|e| self.read(e))
    }

    /// Every statement, in order.
    pub fn iter(&self) -> Iter<'_, 'a> {
        Iter { statements: self, entries: self.entries.iter() }
    }

    /// The statements examined past their action, in order: the only ones
    /// with anything matched, resolved or missing.
    pub(crate) fn examined(&self) -> impl Iterator<Item = &StatementTrace<'a>> {
        self.full.iter()
    }

    /// Every statement, to change (each is written out in full first).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, StatementTrace<'a>> {
        if self.full.len() < self.entries.len() {
            let full: Vec<_> = self.iter().map(Cow::into_owned).collect();
            *self = Statements { against: self.against.take(), ..Statements::from(full) };
        }
        self.full.iter_mut()
    }

    /// The same statements, owning their texts.
    pub fn into_owned(self) -> Statements<'static> {
        let full: Vec<_> = self.iter().map(|t| super::own_statement(t.into_owned())).collect();
        let against = self.against.map(|a| {
            Arc::new(Against {
                action: super::own(a.action.clone()),
                resource: super::own(a.resource.clone()),
                caller: super::own(a.caller.clone()),
            })
        });
        Statements { against, ..Statements::from(full) }
    }
}

/// The statements of a step, in order (see [`Statements::iter`]).
#[derive(Debug, Clone)]
pub struct Iter<'s, 'a> {
    statements: &'s Statements<'a>,
    entries: std::slice::Iter<'s, Entry<'a>>,
}

impl<'s, 'a> Iterator for Iter<'s, 'a> {
    type Item = Cow<'s, StatementTrace<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next().map(|e| self.statements.read(e))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
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
        Statements {
            against: None,
            entries: (0..full.len()).map(Entry::Examined).collect(),
            examined: full.len(),
            full,
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
