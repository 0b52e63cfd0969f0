//! The credential walkthrough for the page: a chain scenario walked hop by
//! hop (`iamtrace::walk`), as the page shows it.
//!
//! The walk runs in the panels module (its code would not fit the page's
//! first download), with the knowledge module's managed policies.
//! [`ChainView`] is what the walk view shows: what each hop checked,
//! concluded and yields, and for each evaluation the scenario it evaluated
//! (policies as their exact texts, and the request). The view evaluates that
//! scenario with the page's evaluator, which gives the walk's answer (tested
//! below and in the core), and shows it with the trace panel's components;
//! [`PolicyOrigin`] maps the trace's spans back into the chain text.

use iamtrace::api;
use iamtrace::policy::PolicyKind;
use iamtrace::scenario::{self, Document, Origin, PolicyLibrary};
use iamtrace::walk::{self, Authorization, Credential, Hop};
use iamtrace::{Decision, Diagnostic, DocId, Span};
use serde::{Deserialize, Serialize};

/// A walked chain, or why it could not be walked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChainView {
    /// The scenario's errors and warnings; with an error there are no hops.
    pub problems: Vec<ChainProblem>,
    pub name: Option<String>,
    /// The chain's decision (`None` when it could not be walked).
    pub decision: Option<Decision>,
    /// The first hop that did not succeed.
    pub failed_hop: Option<usize>,
    pub summary: String,
    pub hops: Vec<HopView>,
    /// Whether `expected` and `expected_hops` hold: `None` when the
    /// scenario expects nothing; otherwise the mismatches (empty: as expected).
    pub expected: Option<Vec<String>>,
    /// Milliseconds the walk took in the knowledge module.
    pub ms: f64,
}

/// A diagnostic of the chain scenario, in bytes of the chain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainProblem {
    pub error: bool,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
    pub start: u32,
    pub end: u32,
}

/// One hop of the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HopView {
    /// `credential`, `get-session-token`, `assume-role`,
    /// `get-federation-token`, `assume-root` or `request`.
    pub kind: String,
    pub title: String,
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny`, `CheckFailed` or `NotReached`.
    pub outcome: String,
    pub summary: String,
    pub checks: Vec<CheckView>,
    pub notes: Vec<NoteView>,
    pub authorizations: Vec<AuthView>,
    #[serde(default)]
    pub credential: Option<CredentialView>,
    /// The hop in the chain text (bytes).
    pub start: u32,
    pub end: u32,
}

/// A rule checked outside policy evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub code: String,
    pub passed: bool,
    pub summary: String,
    /// The AWS documentation page of the rule.
    pub source: String,
}

/// A fact the walk assumed or wants known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub text: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// One policy evaluation of a hop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthView {
    pub action: String,
    pub resource: String,
    pub why: String,
    /// The walk's decision (the page checks its own evaluation against it).
    pub decision: Decision,
    pub summary: String,
    /// What was evaluated, in the scenario format (policies as strings);
    /// empty when it could not be rebuilt.
    pub scenario: String,
    /// Where each policy of `scenario` is, in scenario order.
    pub origins: Vec<PolicyOrigin>,
}

/// Where a policy of an evaluation comes from: the chain text (at byte
/// `start`), or a managed policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyOrigin {
    pub kind: PolicyKind,
    pub index: usize,
    #[serde(default)]
    pub level: Option<usize>,
    #[serde(default)]
    pub name: Option<String>,
    /// Byte offset of the policy's text in the chain text, when it is a
    /// part of it (not a managed policy, not a JSON string).
    #[serde(default)]
    pub start: Option<u32>,
    /// The managed policy's ARN, when it is one.
    #[serde(default)]
    pub managed: Option<String>,
}

/// The credential a hop yields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialView {
    pub kind: String,
    pub principal: String,
    #[serde(default)]
    pub session_parent_arn: Option<String>,
    pub account: String,
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    pub identity_policies: Vec<String>,
    #[serde(default)]
    pub boundary: Option<String>,
    pub session_policies: Vec<String>,
    /// `(key, value, transitive, from)`.
    pub tags: Vec<(String, String, bool, String)>,
    #[serde(default)]
    pub source_identity: Option<String>,
    /// `(key, values, where it comes from)`.
    pub context: Vec<(String, Vec<String>, String)>,
    pub cannot_call: Vec<String>,
}

/// A serde enum's kebab-case name (`assume-role`).
fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn problem(docs: &[Document<'_>], d: &Diagnostic) -> ChainProblem {
    let span = scenario::file_span(docs, d.doc, d.span).unwrap_or_default();
    ChainProblem {
        error: d.is_error(),
        code: d.code.to_string(),
        message: d.message.clone(),
        help: d.help.clone(),
        start: span.start,
        end: span.end,
    }
}

fn credential(c: &Credential) -> CredentialView {
    CredentialView {
        kind: name_of(&c.kind),
        principal: c.principal.clone(),
        session_parent_arn: c.session_parent_arn.clone(),
        account: c.account.clone(),
        duration_seconds: c.duration_seconds,
        identity_policies: c.identity_policies.clone(),
        boundary: c.boundary.clone(),
        session_policies: c.session_policies.clone(),
        tags: c.tags.iter().map(|t| (t.key.clone(), t.value.clone(), t.transitive, t.from.to_owned())).collect(),
        source_identity: c.source_identity.clone(),
        context: c.context.iter().map(|k| (k.key.clone(), k.values.clone(), k.from.clone())).collect(),
        cannot_call: c.cannot_call.clone(),
    }
}

fn authorization(a: &Authorization, docs: &[Document<'_>]) -> AuthView {
    let scenario = a
        .evaluated
        .input(docs)
        .and_then(|input| serde_json::to_string(&api::scenario_doc(&input)).ok())
        .unwrap_or_default();
    let origins = a
        .evaluated
        .policies
        .iter()
        .map(|(r, span)| {
            let doc = usize::try_from(r.doc.0).ok().and_then(|i| docs.get(i));
            let (start, managed) = match doc.map(|d| &d.origin) {
                Some(Origin::Root { .. }) if r.doc == DocId(0) => (Some(span.start), None),
                Some(Origin::Managed { arn, .. }) => (None, Some(arn.clone())),
                _ => (None, None),
            };
            PolicyOrigin {
                kind: r.kind,
                index: r.index,
                level: r.level,
                name: r.name.as_deref().map(str::to_owned),
                start,
                managed,
            }
        })
        .collect();
    AuthView {
        action: a.action.clone(),
        resource: a.resource.clone(),
        why: a.why.clone(),
        decision: a.answer.decision,
        summary: a.answer.summary.clone(),
        scenario,
        origins,
    }
}

fn hop(h: &Hop, docs: &[Document<'_>]) -> HopView {
    let span: Span = scenario::file_span(docs, DocId(0), h.span).unwrap_or(h.span);
    HopView {
        kind: name_of(&h.kind),
        title: h.title.clone(),
        outcome: h.outcome.as_str().to_owned(),
        summary: h.summary.clone(),
        checks: h
            .checks
            .iter()
            .map(|c| CheckView {
                code: c.code.to_owned(),
                passed: c.passed,
                summary: c.summary.clone(),
                source: c.source.to_owned(),
            })
            .collect(),
        notes: h.notes.iter().map(|n| NoteView { text: n.text.clone(), source: n.source.map(str::to_owned) }).collect(),
        authorizations: h.authorizations.iter().map(|a| authorization(a, docs)).collect(),
        credential: h.credential.as_ref().map(credential),
        start: span.start,
        end: span.end,
    }
}

/// Reads and walks a chain scenario; managed policies resolve through `library`.
pub fn walk_view(text: &str, library: Option<&dyn PolicyLibrary>) -> ChainView {
    let parsed = walk::parse(text, library);
    let problems = parsed.diagnostics.iter().map(|d| problem(&parsed.docs, d)).collect();
    let Some(chain) = &parsed.chain else {
        return ChainView { problems, name: parsed.name.clone(), ..ChainView::default() };
    };
    let w = chain.walk();
    ChainView {
        problems,
        name: w.name.clone(),
        decision: Some(w.decision),
        failed_hop: w.failed_hop,
        summary: w.summary.clone(),
        hops: w.hops.iter().map(|h| hop(h, &parsed.docs)).collect(),
        expected: chain.check(&w),
        ms: 0.0,
    }
}

/// Whether a text is a chain scenario (a JSON object with `chain`).
pub fn is_chain(text: &str) -> bool {
    walk::has_chain(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLES: [&str; 4] = [
        include_str!("../../../examples/sts-course-assume-role.json"),
        include_str!("../../../examples/sts-leaked-key-inactive.json"),
        include_str!("../../../examples/sts-missing-tag-session.json"),
        include_str!("../../../examples/sts-role-chaining-over-one-hour.json"),
    ];

    fn library() -> Option<&'static dyn PolicyLibrary> {
        crate::knowledge::tests::store().managed.as_ref().map(|m| m as &dyn PolicyLibrary)
    }

    #[test]
    fn every_example_walks_as_it_expects_and_its_evaluations_replay() {
        for text in EXAMPLES {
            let v = walk_view(text, library());
            assert!(v.problems.iter().all(|p| !p.error), "{:?}", v.problems);
            assert_eq!(v.expected.as_deref(), Some(&[][..]), "{:?}", v.name);
            // The page re-evaluates each authorization's scenario: the same decision and summary.
            for a in v.hops.iter().flat_map(|h| &h.authorizations) {
                let input = api::input_from_scenario(&a.scenario).unwrap();
                let out = api::evaluate(&input);
                let answer = out.answer.unwrap();
                assert_eq!((answer.decision, &answer.summary), (a.decision, &a.summary), "{}", a.action);
                assert_eq!(a.origins.len(), input.policies.iter().count());
            }
            // Hops point into the text.
            for h in &v.hops {
                assert!(text.get(h.start as usize..h.end as usize).is_some_and(|s| s.starts_with('{')), "{}", h.title);
            }
        }
    }

    #[test]
    fn the_failed_hop_and_its_check_are_reported() {
        let v = walk_view(EXAMPLES[3], library());
        assert_eq!(v.decision, Some(Decision::ImplicitDeny));
        assert_eq!(v.failed_hop, Some(2));
        let outcomes: Vec<&str> = v.hops.iter().map(|h| h.outcome.as_str()).collect();
        assert_eq!(outcomes, ["Allow", "Allow", "CheckFailed", "NotReached"]);
        let failed = v.hops[2].checks.iter().find(|c| !c.passed).unwrap();
        assert_eq!(failed.code, "duration-role-chaining");
        assert!(failed.source.starts_with("https://docs.aws.amazon.com/"), "{}", failed.source);
        // An inline policy is found in the text; a managed one by its ARN.
        let course = walk_view(EXAMPLES[0], library());
        let last = &course.hops[2].authorizations[0];
        assert!(last
            .origins
            .iter()
            .any(|o| o.managed.as_deref() == Some("arn:aws:iam::aws:policy/AmazonS3FullAccess")));
        let first = &course.hops[1].authorizations[0];
        let inline = first.origins.iter().find(|o| o.start.is_some()).unwrap();
        assert!(EXAMPLES[0][inline.start.unwrap() as usize..].starts_with('{'));
    }

    #[test]
    fn a_broken_chain_says_where() {
        let v = walk_view("{\"chain\": [ {\"credential\": 3} ]}", None);
        assert!(v.hops.is_empty());
        let e = v.problems.iter().find(|p| p.error).unwrap();
        assert!(e.start > 0, "{e:?}");
        assert!(is_chain("{\"chain\": []}"));
        assert!(!is_chain("{\"request\": {}}"));
    }
}
