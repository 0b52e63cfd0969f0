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
    /// None: the index rules the statement out.
    Ruled,
    /// Only these, by position in the statement's list, in order (the
    /// others name other services).
    Only(&'i [u16]),
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
    by_service: Vec<(u16, Vec<Entry>)>,
    /// Statements every action may match, all of their patterns.
    always: Vec<u32>,
    /// Pattern positions, referred to by the entries' ranges.
    patterns: Vec<u16>,
}

/// The service prefix of each of a statement's `Action` patterns, or
/// `None` when the statement may match any action (`NotAction`, `*`, a
/// wildcard or an escape in the prefix).
pub(crate) fn services_of<'s>(st: &'s Statement<'_>) -> Option<impl Iterator<Item = &'s str> + Clone> {
    let prefix = |p: &'s str| p.get(..p.bytes().position(|b| b == b':')?);
    let specific = !st.action.negated
        && st
            .action
            .values
            .iter()
            .all(|p| prefix(&p.value).is_some_and(|svc| !glob::has_wildcard(svc) && !svc.contains('\\')));
    specific.then(|| st.action.values.iter().filter_map(move |p| prefix(&p.value)))
}

impl Index {
    /// Indexes the statements of `effect`; `id` gives a service prefix's id
    /// in the set's table.
    pub(crate) fn build(statements: &[Compiled<'_, '_>], effect: Effect, id: impl Fn(&str) -> Option<u16>) -> Index {
        let mut index = Index::default();
        let mut ids: Vec<Option<u16>> = Vec::new();
        for (i, c) in statements.iter().enumerate().filter(|(_, c)| c.st.effect == effect) {
            let Ok(pos) = u32::try_from(i) else { continue };
            let Some(services) = services_of(c.st) else {
                index.always.push(pos);
                continue;
            };
            ids.clear();
            ids.extend(services.map(&id));
            // Positions beyond u16 cannot be listed: match every pattern.
            if u16::try_from(ids.len()).is_err() {
                index.always.push(pos);
                continue;
            }
            // Each service the statement names, in the order of first
            // mention, with the positions of its patterns.
            for (first, service) in ids.iter().enumerate() {
                let Some(service) = *service else { continue };
                if ids.get(..first).is_some_and(|before| before.contains(&Some(service))) {
                    continue;
                }
                let start = index.patterns.len();
                let same = ids.iter().enumerate().skip(first).filter(|(_, s)| **s == Some(service));
                index.patterns.extend(same.filter_map(|(j, _)| u16::try_from(j).ok()));
                let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(index.patterns.len())) else {
                    continue;
                };
                let entry = Entry { statement: pos, start, end };
                match index.by_service.binary_search_by_key(&service, |(s, _)| *s) {
                    Ok(at) => {
                        if let Some((_, entries)) = index.by_service.get_mut(at) {
                            entries.push(entry);
                        }
                    }
                    Err(at) => index.by_service.insert(at, (service, vec![entry])),
                }
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
    pub(crate) fn candidates(&self, service: Option<u16>) -> Candidates<'_> {
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
    patterns: &'i [u16],
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
}

#[cfg(test)]
mod tests {
    use super::Patterns;
    use crate::eval::compile::{service_id, CompiledSet};
    use crate::policy::Effect;
    use crate::scenario::parse;

    /// The candidates of each service in the first identity policy, as
    /// `(statement, patterns)`, patterns `None` for all of them.
    fn candidates(statements: &str, service: &str) -> Vec<(usize, Option<Vec<u16>>)> {
        let text = format!(
            r#"{{"policies": {{"identity": [{{"Statement": {statements}}}]}},
               "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*"}}}}"#
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        let set = CompiledSet::new(&scenario.policies);
        let policy = set.policies.identity.first().unwrap();
        let id = service_id(&set.services, service);
        policy
            .index(Effect::Allow)
            .candidates(id)
            .map(|(i, p)| match p {
                Patterns::Only(only) => (i, Some(only.to_vec())),
                Patterns::All => (i, None),
                Patterns::Ruled => panic!("a ruled-out statement is not a candidate"),
            })
            .collect()
    }

    #[test]
    fn a_service_gets_the_statements_and_the_patterns_that_name_it() {
        let statements = r#"[
            {"Effect": "Allow", "Action": ["s3:GetObject", "ec2:Describe*", "S3:List*"], "Resource": "*"},
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": ["ec2:*", "s3*:Get*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "EC2:StartInstances", "Resource": "*"}]"#;
        assert_eq!(candidates(statements, "s3"), [(0, Some(vec![0, 2])), (1, None), (3, None)]);
        assert_eq!(candidates(statements, "ec2"), [(0, Some(vec![1])), (1, None), (3, None), (4, Some(vec![0]))]);
        // A service no statement names: only the statements any action may match.
        assert_eq!(candidates(statements, "iam"), [(1, None), (3, None)]);
    }
}
