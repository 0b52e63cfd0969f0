//! A policy set compiled for many requests: every statement's patterns
//! prepared once, and an index from service prefix to the statements whose
//! `Action` can match an action of that service, so a request only looks at
//! statements that may apply to it.

use super::index::{services_of, Index};
use super::{Named, PolicySet};
use crate::arn;
use crate::condition;
use crate::glob::{self, Glob};
use crate::policy::{ByKind, Effect, PolicyKind, Statement};
use crate::trace::StatementShape;
use crate::variables;

/// A `Resource`/`NotResource` pattern ready for matching.
#[derive(Debug, Clone)]
// Large only where pointers take eight bytes (not in wasm32).
#[cfg_attr(
    target_pointer_width = "64",
    expect(
        clippy::large_enum_variant,
        reason = "compiled patterns live in one vector per statement; boxing would allocate per pattern"
    )
)]
pub(crate) enum ResourcePattern<'s> {
    /// Compiled, when it has no variable to substitute.
    Fixed(arn::ResourcePattern<'s>),
    /// Holds a policy variable: substituted for each request. `prefix` is
    /// the literal text before the first variable (up to any wildcard or
    /// escape): a resource that does not start with it cannot match,
    /// whatever the variables stand for.
    Variable { prefix: &'s str },
}

/// The literal start of a pattern with variables: its text before the
/// first `${`, cut at the first wildcard or escape.
fn literal_prefix(pattern: &str) -> &str {
    let end = pattern.find("${").unwrap_or(pattern.len());
    let head = pattern.get(..end).unwrap_or("");
    let cut = head.find(['*', '?', '\\']).unwrap_or(head.len());
    head.get(..cut).unwrap_or("")
}

/// One statement, prepared.
#[derive(Debug)]
pub(crate) struct Compiled<'s, 'a> {
    pub st: &'s Statement<'a>,
    /// How the trace names the statement and what its trace shows before
    /// anything is matched (kept by the policy set; for the trace only:
    /// what decides is read from the statement, below).
    pub shape: &'s StatementShape,
    /// Whether the statement has `NotAction`, and its policy's kind, as
    /// the statement says: kept here, beside what is read for every
    /// statement of a request, rather than behind `st`.
    pub not_action: bool,
    pub kind: PolicyKind,
    /// The statement's place among its policy's statements of its effect
    /// (its place in a trace step's list of them).
    pub ordinal: usize,
    /// `Action`/`NotAction` patterns, compiled (matched ignoring case);
    /// empty when the set is prepared for one request (each pattern is then
    /// matched from its text).
    pub actions: Vec<Glob<'s>>,
    /// `Resource`/`NotResource` patterns, compiled; empty likewise.
    pub resources: Option<Vec<ResourcePattern<'s>>>,
    /// For each condition, its values ready for comparison when they do not
    /// depend on the request (empty when prepared for one request).
    pub conditions: Vec<Option<Vec<condition::Constant<'a>>>>,
}

/// One policy, prepared.
#[derive(Debug)]
pub(crate) struct CompiledPolicy<'s, 'a> {
    pub statements: Vec<Compiled<'s, 'a>>,
    /// What the trace of each statement shows before anything is matched.
    pub shapes: &'s [StatementShape],
    pub allow: Index,
    pub deny: Index,
    /// How many statements of each effect (Allow, Deny) the policy has.
    pub counts: [usize; 2],
    /// Whether the policy's version has policy variables (read on every
    /// request: kept here rather than in the parsed policy).
    pub variables: bool,
}

/// How much work goes into a statement's patterns ahead of the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prepare {
    /// Compiled: worth it from a few requests on.
    Compile,
    /// Kept as text and matched as it is: for a single request, where
    /// compiling every pattern would cost more than matching it once.
    Text,
}

impl<'s, 'a> CompiledPolicy<'s, 'a> {
    fn new(named: &'s Named<'a>, table: &[Box<str>], prepare: Prepare) -> Self {
        let variables = named.policy.variables_enabled();
        let mut counts = [0, 0];
        let statements: Vec<Compiled<'s, 'a>> = named
            .policy
            .statements
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let [allows, denies] = &mut counts;
                let count = if st.effect == Effect::Allow { allows } else { denies };
                let ordinal = *count;
                *count += 1;
                Compiled { ordinal, ..compile_statement(named, i, st, variables, prepare) }
            })
            .collect();
        // For one request an index costs more than it saves: every
        // statement is a candidate, and its patterns tell.
        let (allow, deny) = match prepare {
            Prepare::Compile => {
                let id = |svc: &str| id_of(table, svc);
                (Index::build(&statements, Effect::Allow, id), Index::build(&statements, Effect::Deny, id))
            }
            Prepare::Text => (Index::every(&statements, Effect::Allow), Index::every(&statements, Effect::Deny)),
        };
        CompiledPolicy { statements, shapes: &named.statements, allow, deny, counts, variables }
    }

    pub(crate) fn count(&self, effect: Effect) -> usize {
        let [allows, denies] = self.counts;
        match effect {
            Effect::Allow => allows,
            Effect::Deny => denies,
        }
    }

    pub(crate) fn index(&self, effect: Effect) -> &Index {
        match effect {
            Effect::Allow => &self.allow,
            Effect::Deny => &self.deny,
        }
    }
}

/// The id of a service prefix in the set's table, in any case.
pub(crate) fn id_of(table: &[Box<str>], svc: &str) -> Option<u32> {
    if svc.bytes().any(|b| b.is_ascii_uppercase()) {
        service_id(table, &svc.to_ascii_lowercase())
    } else {
        service_id(table, svc)
    }
}

fn compile_statement<'s, 'a>(
    named: &'s Named<'a>,
    position: usize,
    st: &'s Statement<'a>,
    variables: bool,
    prepare: Prepare,
) -> Compiled<'s, 'a> {
    let (actions, resources) = match prepare {
        Prepare::Compile => (
            st.action.values.iter().map(|p| Glob::from_cow(glob::escape(&p.value))).collect(),
            st.resource.as_ref().map(|list| {
                list.values
                    .iter()
                    .map(|p| {
                        if variables && variables::has_variables(&p.value) {
                            ResourcePattern::Variable { prefix: literal_prefix(&p.value) }
                        } else {
                            ResourcePattern::Fixed(arn::ResourcePattern::from_cow(glob::escape(&p.value)))
                        }
                    })
                    .collect()
            }),
        ),
        Prepare::Text => (Vec::new(), st.resource.as_ref().map(|_| Vec::new())),
    };
    let conditions = match prepare {
        Prepare::Compile => {
            let unsure = condition::Unsure::for_effect(st.effect);
            st.conditions.iter().map(|c| condition::constant_values(c, variables, unsure)).collect()
        }
        Prepare::Text => Vec::new(),
    };
    // Built with the policy, one for each of its statements.
    let shape = match named.statement_shape(position) {
        Some(shape) => shape,
        None => StatementShape::missing(),
    };
    Compiled {
        st,
        shape,
        not_action: st.action.negated,
        kind: named.policy.kind,
        ordinal: 0,
        actions,
        resources,
        conditions,
    }
}

/// A policy set compiled once for any number of requests: see
/// [`CompiledSet::decide`] (decision only) and [`CompiledSet::evaluate`]
/// (decision and the full trace).
#[derive(Debug)]
pub struct CompiledSet<'s, 'a> {
    pub(crate) set: &'s PolicySet<'a>,
    pub(crate) policies: ByKind<CompiledPolicy<'s, 'a>>,
    /// Every service prefix a statement names, in lower case, sorted: the
    /// statement index refers to services by their position here.
    pub(crate) services: Vec<Box<str>>,
}

/// The id of a lower-case service prefix in the set's table.
pub(crate) fn service_id(table: &[Box<str>], service: &str) -> Option<u32> {
    table.binary_search_by(|s| s.as_ref().cmp(service)).ok().and_then(|i| u32::try_from(i).ok())
}

/// Every service prefix the statements of `set` name, in lower case,
/// sorted.
fn service_table(set: &PolicySet<'_>) -> Vec<Box<str>> {
    // A set names few services: a linear check keeps the list short. Past
    // `FEW`, every name is kept, and sorting removes the repeats.
    const FEW: usize = 32;
    let mut services: Vec<Box<str>> = Vec::new();
    let mut last: Option<&str> = None;
    for (_, named) in set.iter() {
        for svc in named.policy.statements.iter().filter_map(services_of).flatten() {
            // Patterns of one statement mostly name one service.
            if last == Some(svc) {
                continue;
            }
            last = Some(svc);
            if services.len() > FEW || !services.iter().any(|s| s.len() == svc.len() && s.eq_ignore_ascii_case(svc)) {
                services.push(svc.to_ascii_lowercase().into_boxed_str());
            }
        }
    }
    services.sort_unstable();
    services.dedup();
    services
}

impl<'s, 'a> CompiledSet<'s, 'a> {
    /// Prepares every statement of `set` for any number of requests.
    pub fn new(set: &'s PolicySet<'a>) -> Self {
        Self::prepare(set, Prepare::Compile)
    }

    /// Prepares `set` for one request: no statement index, and patterns
    /// are matched from their text instead of being compiled (compiling
    /// every pattern, or indexing them, costs more than matching them
    /// once). Answers exactly as [`CompiledSet::new`] does.
    pub fn for_one_request(set: &'s PolicySet<'a>) -> Self {
        Self::prepare(set, Prepare::Text)
    }

    fn prepare(set: &'s PolicySet<'a>, prepare: Prepare) -> Self {
        // Prepared for one request, statements are not indexed by service.
        let services = match prepare {
            Prepare::Compile => service_table(set),
            Prepare::Text => Vec::new(),
        };
        let policies = set.map_ref(|_, named| CompiledPolicy::new(named, &services, prepare));
        CompiledSet { set, policies, services }
    }

    /// The policy set compiled.
    pub fn policies(&self) -> &'s PolicySet<'a> {
        self.set
    }
}
