//! The statement index of a compiled policy: for each service prefix, the
//! statements whose `Action` can match an action of that service, and which
//! of their patterns can. A statement listing `s3:GetObject` and
//! `ec2:Describe*` is a candidate for both services, and for an EC2 action
//! only its EC2 pattern is matched: a pattern whose service prefix is a
//! literal other than the action's can never match it.

use super::compile::Compiled;
use crate::glob;
use crate::policy::{Effect, Statement};

/// Which of a statement's `Action` patterns can match the request's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Patterns<'i> {
    /// Only these, by position in the statement's list, in order (the
    /// others name other services).
    Only(&'i [u32]),
    /// Any of them (`NotAction`, `*`, a wildcard in a service prefix, or a
    /// set prepared for one request, which has no index).
    All,
}

/// A statement that may match actions of one service, and which of its
/// patterns can (a range of [`Index::patterns`]).
#[derive(Debug, Clone, Copy)]
struct Entry {
    statement: u32,
    start: u32,
    end: u32,
}

/// The statements of one effect in one policy, indexed by service prefix.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// `(service id, entries in statement order)`, sorted by id; ids index
    /// the set's table of lower-case service prefixes.
    by_service: Vec<(u32, Vec<Entry>)>,
    /// Statements every action may match, all of their patterns.
    always: Vec<u32>,
    /// Pattern positions, referred to by the entries' ranges.
    patterns: Vec<u32>,
}

/// The service prefix of an `Action` pattern, when it is a literal (no
/// wildcard, no escape): an action of another service cannot match it.
fn literal_service(pattern: &str) -> Option<&str> {
    let svc = pattern.get(..pattern.bytes().position(|b| b == b':')?)?;
    (!glob::has_wildcard(svc) && !svc.contains('\\')).then_some(svc)
}

/// The service prefix of each of a statement's `Action` patterns, or
/// `None` when the statement may match any action (`NotAction`, `*`, a
/// wildcard or an escape in a prefix).
pub(crate) fn services_of<'s>(st: &'s Statement<'_>) -> Option<impl Iterator<Item = &'s str> + Clone> {
    let specific = !st.action.negated && st.action.values.iter().all(|p| literal_service(&p.value).is_some());
    specific.then(|| st.action.values.iter().filter_map(|p| literal_service(&p.value)))
}

impl Index {
    /// Indexes the statements of `effect`; `id` gives a service prefix's id
    /// in the set's table. A statement with a prefix that has no id is
    /// matched on all its patterns, whatever the action.
    pub(crate) fn build(statements: &[Compiled<'_, '_>], effect: Effect, id: impl Fn(&str) -> Option<u32>) -> Index {
        let mut index = Index::default();
        // `(service, entry)` in statement order; grouped by service at the end.
        let mut entries: Vec<(u32, Entry)> = Vec::new();
        // `(service, pattern position)` of one statement.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (i, c) in statements.iter().enumerate().filter(|(_, c)| c.st.effect == effect) {
            let Ok(pos) = u32::try_from(i) else { continue };
            pairs.clear();
            // Patterns next to each other mostly name the same service.
            let mut last: Option<(&str, Option<u32>)> = None;
            let listed = !c.st.action.negated
                && c.st.action.values.iter().enumerate().all(|(j, p)| {
                    let Some(svc) = literal_service(&p.value) else { return false };
                    let service = match last {
                        Some((text, service)) if text == svc => service,
                        _ => id(svc),
                    };
                    last = Some((svc, service));
                    match (service, u32::try_from(j)) {
                        (Some(service), Ok(j)) => {
                            pairs.push((service, j));
                            true
                        }
                        _ => false,
                    }
                });
            if !listed {
                index.always.push(pos);
                continue;
            }
            // Each service the statement names, with the positions of its
            // patterns in order.
            pairs.sort_unstable();
            for group in pairs.chunk_by(|a, b| a.0 == b.0) {
                let start = index.patterns.len();
                index.patterns.extend(group.iter().map(|&(_, j)| j));
                let (Ok(start), Ok(end), Some(&(service, _))) =
                    (u32::try_from(start), u32::try_from(index.patterns.len()), group.first())
                else {
                    continue;
                };
                entries.push((service, Entry { statement: pos, start, end }));
            }
        }
        // Stable: each service's entries stay in statement order.
        entries.sort_by_key(|&(service, _)| service);
        for group in entries.chunk_by(|a, b| a.0 == b.0) {
            if let Some(&(service, _)) = group.first() {
                index.by_service.push((service, group.iter().map(|&(_, e)| e).collect()));
            }
        }
        index
    }

    /// Every statement of the effect, all patterns (a set prepared for one
    /// request: an index would cost more than it saves).
    pub(crate) fn every(statements: &[Compiled<'_, '_>], effect: Effect) -> Index {
        let always = statements
            .iter()
            .enumerate()
            .filter(|(_, c)| c.st.effect == effect)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        Index { always, ..Index::default() }
    }

    /// The statements that may match an action of the service with this
    /// id (`None`: a service no statement names), in statement order, with
    /// the patterns that can.
    pub(crate) fn candidates(&self, service: Option<u32>) -> Candidates<'_> {
        let specific = service
            .and_then(|id| self.by_service.binary_search_by_key(&id, |(s, _)| *s).ok())
            .and_then(|at| self.by_service.get(at))
            .map_or(&[][..], |(_, v)| v.as_slice());
        Candidates { specific, always: &self.always, patterns: &self.patterns }
    }
}

/// Two sorted lists of statements, merged.
#[derive(Debug, Clone)]
pub(crate) struct Candidates<'i> {
    specific: &'i [Entry],
    always: &'i [u32],
    patterns: &'i [u32],
}

impl<'i> Iterator for Candidates<'i> {
    type Item = (usize, Patterns<'i>);

    fn next(&mut self) -> Option<(usize, Patterns<'i>)> {
        let take_specific = match (self.specific.first(), self.always.first()) {
            (Some(e), Some(&a)) => e.statement <= a,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        if take_specific {
            let (e, rest) = self.specific.split_first()?;
            self.specific = rest;
            let only = self.patterns.get(e.start as usize..e.end as usize).unwrap_or(&[]);
            Some((e.statement as usize, Patterns::Only(only)))
        } else {
            let (&a, rest) = self.always.split_first()?;
            self.always = rest;
            Some((a as usize, Patterns::All))
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.specific.len() + self.always.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for Candidates<'_> {}

#[cfg(test)]
mod tests {
    use super::{Candidates, Index, Patterns};
    use crate::eval::compile::{id_of, service_id, CompiledSet};
    use crate::policy::Effect;
    use crate::scenario::parse;

    fn listed(candidates: Candidates<'_>) -> Vec<(usize, Option<Vec<u32>>)> {
        candidates
            .map(|(i, p)| match p {
                Patterns::Only(only) => (i, Some(only.to_vec())),
                Patterns::All => (i, None),
            })
            .collect()
    }

    /// The candidates of each service in the first identity policy, as
    /// `(statement, patterns)`, patterns `None` for all of them; with
    /// `without`, that service has no id.
    fn candidates(statements: &str, service: &str, without: Option<&str>) -> Vec<(usize, Option<Vec<u32>>)> {
        let text = format!(
            r#"{{"policies": {{"identity": [{{"Statement": {statements}}}]}},
               "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*"}}}}"#
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        let set = CompiledSet::new(&scenario.policies);
        let policy = set.policies.identity.first().unwrap();
        let id = |svc: &str| id_of(&set.services, svc).filter(|_| Some(svc) != without);
        let index = Index::build(&policy.statements, Effect::Allow, id);
        listed(index.candidates(id(service)))
    }

    #[test]
    fn a_service_gets_the_statements_and_the_patterns_that_name_it() {
        let statements = r#"[
            {"Effect": "Allow", "Action": ["s3:GetObject", "ec2:Describe*", "S3:List*"], "Resource": "*"},
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": ["ec2:*", "*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "EC2:StartInstances", "Resource": "*"}]"#;
        assert_eq!(candidates(statements, "s3", None), [(0, Some(vec![0, 2])), (1, None), (3, None)]);
        assert_eq!(candidates(statements, "ec2", None), [(0, Some(vec![1])), (1, None), (3, None), (4, Some(vec![0]))]);
        // A service no statement names: only the statements any action may match.
        assert_eq!(candidates(statements, "iam", None), [(1, None), (3, None)]);
        // The compiled set's own index is the one built here.
        let text = format!(
            r#"{{"policies": {{"identity": [{{"Statement": {statements}}}]}},
               "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*"}}}}"#
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap();
        let set = CompiledSet::new(&scenario.policies);
        let own = set.policies.identity.first().unwrap().index(Effect::Allow);
        assert_eq!(listed(own.candidates(service_id(&set.services, "s3"))), candidates(statements, "s3", None));
    }

    /// A statement naming a service the table has no id for (past the
    /// table's range) cannot be ruled out by service: all its patterns are
    /// matched, for every action.
    #[test]
    fn a_service_without_an_id_makes_its_statement_match_every_pattern() {
        let statements = r#"[
            {"Effect": "Allow", "Action": ["s3:GetObject", "ec2:Describe*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]"#;
        assert_eq!(candidates(statements, "s3", Some("ec2")), [(0, None), (1, Some(vec![0]))]);
        assert_eq!(candidates(statements, "iam", Some("ec2")), [(0, None)]);
    }
}
