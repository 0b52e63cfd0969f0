//! A policy set compiled for many requests: every statement's patterns
//! prepared once, and an index from service prefix to the statements whose
//! `Action` can match an action of that service, so a request only looks at
//! statements that may apply to it.

use std::borrow::Cow;

use super::{Named, PolicySet};
use crate::arn;
use crate::condition;
use crate::glob::{self, Glob};
use crate::policy::{ByKind, Effect, Statement};
use crate::variables;

/// A `Resource`/`NotResource` pattern ready for matching.
#[derive(Debug, Clone)]
pub(crate) enum ResourcePattern {
    /// Compiled, when it has no variable to substitute.
    Fixed(arn::ResourcePattern),
    /// Holds a policy variable: substituted for each request.
    Variable,
}

/// One statement, prepared.
#[derive(Debug)]
pub(crate) struct Compiled<'s, 'a> {
    pub st: &'s Statement<'a>,
    /// `Action`/`NotAction` patterns, compiled (matched ignoring case).
    pub actions: Vec<Glob>,
    pub resources: Option<Vec<ResourcePattern>>,
    /// For each condition, its values ready for comparison when they do not
    /// depend on the request.
    pub conditions: Vec<Option<Vec<Option<Cow<'a, str>>>>>,
}

/// The statements of one effect in one policy, indexed by service prefix.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// `(lower-case service prefix, statement positions)`, sorted by prefix.
    by_service: Vec<(Box<str>, Vec<u32>)>,
    /// Statements every action may match: `NotAction`, `*`, wildcards in
    /// the service prefix.
    always: Vec<u32>,
}

impl Index {
    /// Positions of the statements that may match an action of `service`
    /// (any case), in statement order.
    pub(crate) fn candidates<'i>(&'i self, service: &str) -> Candidates<'i> {
        let specific = self
            .by_service
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(service))
            .map_or(&[][..], |(_, v)| v.as_slice());
        Candidates { a: specific, b: &self.always }
    }
}

/// Two sorted lists of statement positions, merged.
#[derive(Debug, Clone)]
pub(crate) struct Candidates<'i> {
    a: &'i [u32],
    b: &'i [u32],
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let next = match (self.a.first(), self.b.first()) {
            (Some(&x), Some(&y)) if x <= y => {
                self.a = self.a.get(1..).unwrap_or(&[]);
                x
            }
            (_, Some(&y)) => {
                self.b = self.b.get(1..).unwrap_or(&[]);
                y
            }
            (Some(&x), None) => {
                self.a = self.a.get(1..).unwrap_or(&[]);
                x
            }
            (None, None) => return None,
        };
        Some(next as usize)
    }
}

/// One policy, prepared.
#[derive(Debug)]
pub(crate) struct CompiledPolicy<'s, 'a> {
    pub named: &'s Named<'a>,
    pub statements: Vec<Compiled<'s, 'a>>,
    pub allow: Index,
    pub deny: Index,
}

impl<'s, 'a> CompiledPolicy<'s, 'a> {
    fn new(named: &'s Named<'a>) -> Self {
        let variables = named.policy.variables_enabled();
        let statements: Vec<Compiled<'s, 'a>> =
            named.policy.statements.iter().map(|st| compile_statement(st, variables)).collect();
        let services: Vec<Option<Vec<String>>> = named.policy.statements.iter().map(services).collect();
        let mut allow = Index::default();
        let mut deny = Index::default();
        for (i, c) in statements.iter().enumerate() {
            let index = if c.st.effect == Effect::Allow { &mut allow } else { &mut deny };
            let Ok(pos) = u32::try_from(i) else { continue };
            match services.get(i).cloned().flatten() {
                None => index.always.push(pos),
                Some(list) => {
                    for svc in list {
                        match index.by_service.binary_search_by(|(s, _)| s.as_ref().cmp(svc.as_str())) {
                            Ok(at) => {
                                if let Some((_, v)) = index.by_service.get_mut(at) {
                                    if v.last() != Some(&pos) {
                                        v.push(pos);
                                    }
                                }
                            }
                            Err(at) => index.by_service.insert(at, (svc.into_boxed_str(), vec![pos])),
                        }
                    }
                }
            }
        }
        CompiledPolicy { named, statements, allow, deny }
    }

    pub(crate) fn index(&self, effect: Effect) -> &Index {
        match effect {
            Effect::Allow => &self.allow,
            Effect::Deny => &self.deny,
        }
    }
}

/// The lower-case service prefixes a statement's `Action` can match, or
/// `None` when it may match any action.
fn services(st: &Statement<'_>) -> Option<Vec<String>> {
    if st.action.negated {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for p in &st.action.values {
        let (svc, _) = p.as_str().split_once(':')?;
        if glob::has_wildcard(svc) || svc.contains('\\') {
            return None;
        }
        let svc = svc.to_ascii_lowercase();
        if !out.contains(&svc) {
            out.push(svc);
        }
    }
    Some(out)
}

fn compile_statement<'s, 'a>(st: &'s Statement<'a>, variables: bool) -> Compiled<'s, 'a> {
    let escape = |text: &Cow<'a, str>| match glob::escape(text) {
        Cow::Borrowed(_) => text.clone(),
        Cow::Owned(o) => Cow::Owned(o),
    };
    let actions = st.action.values.iter().map(|p| Glob::new(&escape(&p.value))).collect();
    let resources = st.resource.as_ref().map(|list| {
        list.values
            .iter()
            .map(|p| {
                if variables && variables::has_variables(&p.value) {
                    ResourcePattern::Variable
                } else {
                    ResourcePattern::Fixed(arn::ResourcePattern::new(&escape(&p.value)))
                }
            })
            .collect()
    });
    let conditions = st.conditions.iter().map(|c| condition::constant_values(c, variables)).collect();
    Compiled { st, actions, resources, conditions }
}

/// A policy set compiled once for any number of requests: see
/// [`CompiledSet::decide`] (decision only) and [`CompiledSet::evaluate`]
/// (decision and the full trace).
#[derive(Debug)]
pub struct CompiledSet<'s, 'a> {
    pub(crate) set: &'s PolicySet<'a>,
    pub(crate) policies: ByKind<CompiledPolicy<'s, 'a>>,
}

impl<'s, 'a> CompiledSet<'s, 'a> {
    /// Prepares every statement of `set`.
    pub fn new(set: &'s PolicySet<'a>) -> Self {
        CompiledSet { set, policies: set.map_ref(|_, named| CompiledPolicy::new(named)) }
    }

    /// The policy set compiled.
    pub fn policies(&self) -> &'s PolicySet<'a> {
        self.set
    }
}
