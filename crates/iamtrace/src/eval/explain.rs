//! The trace, built from the findings and the row of the decision table:
//! one step per stage in AWS's order, the statements each examined, exactly
//! one step marked decisive, the stages after an early decision marked not
//! reached. Nothing here decides; the sentences come from [`super::words`]
//! and [`super::paths`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::compile::CompiledSet;
use super::decide::Row;
use super::findings::{self, Findings, Found};
use super::paths;
use super::setup::Setup;
use super::statement::Target;
use super::words;
use crate::policy::PolicyKind;
use crate::request::Request;
use crate::text::cat;
use crate::trace::{
    Answer, Decision, ElementStatus, ElementTrace, KeyReference, MissingKey, Sentence, Side, Stage, StatementRef,
    Statements, Step, Verdict,
};

/// The canonical order of stages, for filling in stages not reached.
const ORDER: [Stage; 11] = [
    Stage::Request,
    Stage::ExplicitDeny,
    Stage::Credentials,
    Stage::Rcp,
    Stage::Scp,
    Stage::VpcEndpoint,
    Stage::ResourcePolicy,
    Stage::Identity,
    Stage::Boundary,
    Stage::Session,
    Stage::CrossAccount,
];

// Called from some forty places: one copy of it in wasm, where size counts.
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(super) fn step<'a>(stage: Stage, verdict: Verdict, summary: impl Into<Sentence<'a>>) -> Step<'a> {
    Step {
        stage,
        level: None,
        side: None,
        verdict,
        decisive: false,
        title: Cow::Borrowed(stage.title()),
        summary: summary.into(),
        notes: Vec::new(),
        request: None,
        statements: Statements::default(),
    }
}

/// An allow step over a group: `Allow` with the first applying statement,
/// or `NoAllow` saying `before`, the action, `after` (worded only then).
pub(super) fn allow_step<'a>(
    stage: Stage,
    found: &mut Found<'a>,
    (before, after): (&'static str, &'static str),
    action: &str,
) -> Step<'a> {
    let mut s = if found.any {
        step(stage, Verdict::Allow, Sentence::statement(None, found.first(), " allows the request"))
    } else {
        step(stage, Verdict::NoAllow, cat![before, action, after])
    };
    s.statements = std::mem::take(&mut found.traces);
    s
}

/// The trace under construction.
pub(super) struct Builder<'a> {
    pub steps: Vec<Step<'a>>,
    /// Allow statements of the gates passed (RCP and SCP levels, the VPC endpoint).
    pub gate_allows: Vec<StatementRef>,
    pub cross_account: bool,
    /// The first of the Deny statements that decided, for an explicit deny.
    pub denied_by: Option<&'a StatementRef>,
}

impl<'a> Builder<'a> {
    pub fn push(&mut self, s: Step<'a>) {
        self.steps.push(s);
    }

    /// Marks the last step with `stage` decisive.
    pub fn mark(&mut self, stage: Stage) {
        if let Some(s) = self.steps.iter_mut().rev().find(|s| s.stage == stage) {
            s.decisive = true;
        }
    }

    /// Marks the last step decisive and drops nothing: for rows where the
    /// evaluation stops at the step just built.
    pub fn mark_last(&mut self) {
        if let Some(s) = self.steps.last_mut() {
            s.decisive = true;
        }
    }
}

/// Builds the whole answer in trace mode.
pub(super) fn explain<'a>(
    cs: &CompiledSet<'_, 'a>,
    setup: &Setup<'a>,
    req: &Request<'a>,
    target: &Target<'_, 'a>,
    f: &mut Findings<'a>,
    row: Row,
) -> Answer<'a> {
    let set = cs.set;
    let facts = words::request_facts(setup, set, req);
    let mut b = Builder {
        steps: Vec::with_capacity(ORDER.len() + 4),
        gate_allows: Vec::new(),
        cross_account: setup.act.cross_account,
        denied_by: None,
    };
    let mut first = step(Stage::Request, Verdict::Info, words::request_summary(&facts));
    first.request = Some(Box::new(facts));
    b.push(first);

    // Explicit denies.
    let denies = &mut f.deny;
    let no_permission = setup.act.no_permission_needed.filter(|_| row == Row::NoPermissionNeeded);
    let mut s = if let Some(which) = no_permission {
        // Actions that need no permission: even a matching Deny does not stop them.
        let mut s = step(Stage::ExplicitDeny, Verdict::Pass, paths::no_permission_summary(target.action));
        s.notes.push(paths::no_permission_note(which).into());
        s
    } else if denies.any {
        step(
            Stage::ExplicitDeny,
            Verdict::ExplicitDeny,
            Sentence::count(
                "",
                denies.hits.as_slice().len(),
                ("Deny statement matches", "Deny statements match"),
                " the request",
            ),
        )
    } else if denies.traces.is_empty() {
        step(Stage::ExplicitDeny, Verdict::Pass, "no applicable policy has a Deny statement")
    } else {
        step(
            Stage::ExplicitDeny,
            Verdict::Pass,
            Sentence::count("none of the ", denies.traces.len(), ("Deny statement", "Deny statements"), " applies"),
        )
    };
    if setup.act.owner_root_bucket_policy && set.resource.is_some() {
        s.notes.push("the bucket owner's root user can always read, change and delete the bucket policy; its denies do not apply".into());
    }
    if without_resource_ignored(&denies.traces) {
        s.notes.push(paths::key_policy_without_resource_note().into());
    }
    s.statements = std::mem::take(&mut denies.traces);
    b.push(s);
    match row {
        Row::NoPermissionNeeded => {
            b.mark_last();
            return finish(b, Decision::Allow, Vec::new());
        }
        Row::ExplicitDeny => {
            b.mark_last();
            b.denied_by = f.deny.first();
            let refs = f.deny.refs().collect();
            return finish(b, Decision::ExplicitDeny, refs);
        }
        Row::CredentialsCannotCall => {
            if let Some(r) = setup.act.restriction {
                let mut s = step(Stage::Credentials, Verdict::NoAllow, paths::restriction_summary(r, target.action));
                if let Some(title) = paths::restriction_title(r) {
                    s.title = title.into();
                }
                s.notes.push(paths::restriction_note(r).into());
                b.push(s);
            }
            b.mark_last();
            return finish(b, Decision::ImplicitDeny, Vec::new());
        }
        _ => {}
    }

    // RCPs then SCPs: every level must allow.
    let (rcp_applies, scp_applies) = findings::org_policies_apply(cs, setup);
    for (stage, kind, applies, name) in
        [(Stage::Rcp, PolicyKind::Rcp, rcp_applies, "RCP"), (Stage::Scp, PolicyKind::Scp, scp_applies, "SCP")]
    {
        if set.count(kind) == 0 {
            b.push(step(stage, Verdict::NotApplicable, cat!["no ", name, "s in the scenario"]));
            continue;
        }
        if !applies {
            let reason =
                if kind == PolicyKind::Rcp { words::rcp_reason(setup, set) } else { words::scp_reason(setup, set) };
            b.push(step(stage, Verdict::Skipped, reason));
            continue;
        }
        let implicit_full_access = kind == PolicyKind::Rcp && setup.base.rcp_full_access;
        let levels = if kind == PolicyKind::Rcp { &mut f.rcp } else { &mut f.scp };
        for (level, found) in levels.iter_mut().enumerate() {
            let allowed = found.any || implicit_full_access;
            let mut s = if found.any {
                step(stage, Verdict::Allow, Sentence::statement(Some(level), found.first(), " allows the request"))
            } else if implicit_full_access {
                step(stage, Verdict::Allow, paths::rcp_full_access_summary(level))
            } else {
                step(
                    stage,
                    Verdict::NoAllow,
                    cat!["no ", name, " at level ", level + 1, " allows `", target.action, "`"],
                )
            };
            if implicit_full_access {
                s.notes.push(paths::rcp_full_access_note().into());
            } else if kind == PolicyKind::Rcp {
                s.notes.push(paths::rcp_detached_note().into());
            }
            if kind == PolicyKind::Scp && !allowed && !paths::level_has_allow(set, kind, level) {
                s.notes.push(paths::scp_without_allow_note().into());
            }
            s.level = Some(level);
            s.title = words::level_title(stage, level);
            b.gate_allows.extend(found.refs());
            s.statements = std::mem::take(&mut found.traces);
            b.push(s);
            if !allowed {
                b.mark_last();
                return finish(b, Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    // The VPC endpoint policy.
    match f.vpce.as_mut() {
        None => b.push(step(
            Stage::VpcEndpoint,
            Verdict::NotApplicable,
            "the request does not go through a VPC endpoint with a policy",
        )),
        Some(found) => {
            let no = ("the VPC endpoint policy does not allow `", "` for this caller");
            b.gate_allows.extend(found.refs());
            b.push(allow_step(Stage::VpcEndpoint, found, no, target.action));
            if row == Row::VpceNoAllow {
                b.mark_last();
                return finish(b, Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    // Console sign-in: allowed by default, no Allow needed.
    if row == Row::AllowedUnlessDenied {
        let resource = match set.resource.as_ref() {
            Some(_) => "not needed: no policy has to allow console sign-in",
            None => "no resource-based policy",
        };
        let verdict = if set.resource.is_some() { Verdict::Skipped } else { Verdict::NotApplicable };
        b.push(step(Stage::ResourcePolicy, verdict, resource));
        let mut s = step(Stage::Identity, Verdict::Allow, paths::allowed_unless_denied_summary(target.action));
        s.title = paths::allowed_unless_denied_title().into();
        s.notes.push(paths::allowed_unless_denied_note().into());
        b.push(s);
        b.mark_last();
        return finish(b, Decision::Allow, Vec::new());
    }

    // No policy can grant across partitions.
    if let Some((from, to)) = setup.base.cross_partition {
        b.push(step(
            Stage::ResourcePolicy,
            Verdict::NoAllow,
            format!("requests cannot cross partitions: the principal is in `{from}`, the resource in `{to}`"),
        ));
        b.mark_last();
        return finish(b, Decision::ImplicitDeny, Vec::new());
    }

    let (decision, deciding) = paths::explain_path(&mut b, cs, setup, target, f, row);
    if set.resource.is_some() && !findings::resource_policy_can_allow(setup) {
        if let Some(s) = b.steps.iter_mut().find(|s| s.stage == Stage::ResourcePolicy) {
            // The policy is there and does not allow (not "no such policy").
            if s.verdict == Verdict::NotApplicable {
                s.verdict = Verdict::NoAllow;
            }
            s.summary = paths::iam_resource_policy_summary(target.action).into();
            s.notes.push(paths::iam_resource_policy_note().into());
        }
    }
    if let Some(s) = b.steps.iter_mut().find(|s| s.stage == Stage::ResourcePolicy) {
        if without_resource_ignored(&s.statements) {
            s.notes.push(paths::key_policy_without_resource_note().into());
        }
    }
    if setup.act.assume_root {
        if let Some(s) = b.steps.iter_mut().find(|s| s.stage == Stage::Identity) {
            s.notes.push(paths::assume_root_note().into());
        }
    }
    finish(b, decision, deciding)
}

/// Whether a statement of `statements` matched the action but did not
/// apply for want of `Resource` (a KMS key policy's statement: no effect).
fn without_resource_ignored(statements: &Statements<'_>) -> bool {
    statements.examined().any(|t| t.resource.absent() && t.resource.status == ElementStatus::NotMatched)
}

/// Sides, stages not reached, the decision step and the missing keys.
fn finish(mut b: Builder<'_>, decision: Decision, deciding: Vec<StatementRef>) -> Answer<'_> {
    // Across accounts every stage belongs to one side: the resource's
    // account (RCPs, its resource-based policy) or the principal's (the rest).
    if b.cross_account {
        for s in &mut b.steps {
            s.side = match s.stage {
                Stage::Rcp | Stage::ResourcePolicy => Some(Side::Resource),
                Stage::Scp | Stage::VpcEndpoint | Stage::Identity | Stage::Boundary | Stage::Session => {
                    Some(Side::Principal)
                }
                _ => None,
            };
        }
    }
    let last_stage = b.steps.last().map_or(Stage::Request, |s| s.stage);
    let after = ORDER.iter().position(|s| *s == last_stage).unwrap_or(0);
    for stage in ORDER.iter().skip(after + 1) {
        if (*stage == Stage::CrossAccount && !b.cross_account) || *stage == Stage::Credentials {
            continue;
        }
        b.steps.push(step(*stage, Verdict::NotReached, "not evaluated: the decision was already made"));
    }
    let sentence = match decision {
        Decision::ExplicitDeny => Sentence::denied_by(b.denied_by, deciding.len().saturating_sub(1)),
        Decision::ImplicitDeny | Decision::Allow => {
            let prefix = if decision == Decision::Allow { "allowed: " } else { "implicitly denied: " };
            match b.steps.iter().find(|s| s.decisive) {
                Some(s) => s.summary.after(prefix),
                None => Sentence::from("").after(prefix),
            }
        }
    };
    let summary = cat![&sentence];
    let verdict = match decision {
        Decision::Allow => Verdict::Allow,
        Decision::ExplicitDeny => Verdict::ExplicitDeny,
        Decision::ImplicitDeny => Verdict::ImplicitDeny,
    };
    let missing = missing_keys(&b.steps);
    b.steps.push(step(Stage::Decision, verdict, sentence));
    Answer { decision, summary, trace: b.steps, deciding, missing_keys: missing }
}

/// How many missing keys, and references to one, are looked up one by one.
const FEW_KEYS: usize = 8;

/// The context keys and variables that statements in the trace looked up
/// and the request did not have, in the order they were met.
fn missing_keys(steps: &[Step<'_>]) -> Vec<MissingKey> {
    let mut missing: Vec<MissingKey> = Vec::new();
    // Keys (without case) to their place in `missing`, and the references
    // listed, once there are more than a few: thousands of missing keys or
    // references cost no more than a few.
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut listed: Option<HashSet<(usize, KeyReference)>> = None;
    let mut add = |key: &str, used_as: &'static str, sref: &StatementRef, span: crate::Span| {
        let found = if at.is_empty() {
            missing.iter().position(|m| m.key.eq_ignore_ascii_case(key))
        } else {
            at.get(&key.to_ascii_lowercase()).copied()
        };
        let i = found.unwrap_or_else(|| {
            missing.push(MissingKey { key: key.to_owned(), used_as, referenced_by: Vec::new() });
            if missing.len() > FEW_KEYS {
                if at.is_empty() {
                    at.extend(missing.iter().enumerate().map(|(i, m)| (m.key.to_ascii_lowercase(), i)));
                } else {
                    at.insert(key.to_ascii_lowercase(), missing.len() - 1);
                }
            }
            missing.len() - 1
        });
        let Some(m) = missing.get_mut(i) else { return };
        // A reference is listed once: looked for one by one while the key
        // has few, through a set of them past that.
        let reference = KeyReference { statement: sref.clone(), span };
        let listed_before = if m.referenced_by.len() < FEW_KEYS {
            m.referenced_by.contains(&reference)
        } else {
            let listed = listed.get_or_insert_with(HashSet::new);
            if m.referenced_by.len() == FEW_KEYS {
                listed.extend(m.referenced_by.iter().map(|r| (i, r.clone())));
            }
            !listed.insert((i, reference.clone()))
        };
        if !listed_before {
            m.referenced_by.push(reference);
        }
    };
    // A statement that stopped at its action looked nothing up.
    for trace in steps.iter().flat_map(|s| s.statements.examined()) {
        let sref: &StatementRef = &trace.statement;
        for c in &trace.conditions {
            if c.key_found.is_none() {
                add(&c.key, "condition", sref, c.key_span);
            }
            for v in c.policy_values.iter() {
                for r in v.resolutions.iter().filter(|r| r.how == "missing") {
                    add(&r.key, "variable", sref, v.span);
                }
            }
        }
        for (key, span) in variables_in_element(&trace.resource) {
            add(key, "variable", sref, span);
        }
    }
    missing
}

fn variables_in_element<'t>(e: &'t ElementTrace<'_>) -> impl Iterator<Item = (&'t str, crate::Span)> {
    e.dropped
        .iter()
        .chain(e.hit.iter())
        .flat_map(|v| v.resolutions.iter().filter(|r| r.how == "missing").map(move |r| (r.key.as_str(), v.span)))
}
