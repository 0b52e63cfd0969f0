//! Runs the core on the state and maps its answer back onto the page:
//! diagnostics and check findings to editors and request fields, trace
//! spans to editor positions. Pure: no browser APIs (the AWS knowledge comes
//! in as [`Checks`]), so it is tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use iamtrace::api::{self, Located, ResolvedPolicy, Slot};
use iamtrace::policy::Place;
use iamtrace::scenario::{ManagedPolicy, PolicyLibrary};
use iamtrace::trace::{Answer, DerivedKey, PolicyRef, StatementRef};
use iamtrace::{Decision, Diagnostic, DocId, LineIndex, Position, Severity, Span};
use serde::Serialize;

use crate::knowledge::wire::{LintFinding, LintRequest, LintResponse, LintSlot};
use crate::state::{EditorId, Field, State};

/// What the page knows about AWS once the knowledge module is loaded:
/// checks, and managed policies by name. In the browser the knowledge
/// module answers (`data::Bridge`); natively, `knowledge::Store` does.
pub trait Checks {
    /// `None` when the checks cannot run.
    fn lint(&self, request: &LintRequest) -> Option<LintResponse>;
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy>;
}

struct Library<'c>(&'c dyn Checks);

impl PolicyLibrary for Library<'_> {
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy> {
        self.0.managed_policy(name_or_arn)
    }
}

/// The read-only view of the document a managed-policy slot resolved to
/// has the slot's editor id with this bit set.
pub const MANAGED_VIEW: EditorId = 1 << 31;

/// The id of the read-only view of a managed policy's document.
pub fn managed_view(id: EditorId) -> EditorId {
    id | MANAGED_VIEW
}

/// Each evaluation gets a new stamp, so that components re-render when
/// anything in it changed (the texts, the data, the switched-off checks).
static STAMP: AtomicU64 = AtomicU64::new(1);

/// The evaluation of one revision of the state.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The state revision this was computed from.
    pub rev: u64,
    /// Unique per evaluation.
    pub stamp: u64,
    pub decision: Option<Decision>,
    pub answer: Option<Answer<'static>>,
    /// Errors and warnings of the policies and the request.
    pub diagnostics: Vec<Located>,
    /// Slots that name a managed policy, with the document it resolved to.
    pub managed: BTreeMap<EditorId, Rc<ResolvedPolicy>>,
    /// Each editor's diagnostics, as the editor bridge takes them (JSON),
    /// before the checks ran (see [`Annotations`]).
    pub editor_marks: BTreeMap<EditorId, String>,
    /// Each editor's (errors, warnings) of the policy reader.
    pub editor_counts: BTreeMap<EditorId, (usize, usize)>,
    /// What the request form shows of it.
    pub request: Rc<RequestFeedback>,
    pub errors: usize,
}

/// What the request form shows of an evaluation: messages about its fields
/// and the request as the evaluator read it. Compared by value, so the form
/// re-renders only when one of them changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFeedback {
    /// Messages about request fields.
    pub fields: BTreeMap<Field, Vec<String>>,
    /// Messages that belong to no field (`request` slot).
    pub other: Vec<String>,
    /// Who is asking, in a few words (`IAM user, same account`), once the
    /// request has been read.
    pub summary: Option<String>,
    /// Context keys the evaluator derived from the request.
    pub derived: Vec<DerivedKey<'static>>,
}

/// Results are compared by stamp: the same evaluation, the same results.
impl PartialEq for Evaluated {
    fn eq(&self, other: &Self) -> bool {
        self.stamp == other.stamp
    }
}

/// The checks' findings for one evaluation, and the editor marks with them.
/// Computed right after the evaluation is shown (the trace never waits for
/// the checks).
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// The state revision of the evaluation they belong to.
    pub rev: u64,
    pub stamp: u64,
    /// Findings of the checks, located in their slots.
    pub findings: Vec<Located>,
    /// Whether the checks ran, and whether with the AWS service reference.
    pub checked: bool,
    pub with_reference: bool,
    /// Milliseconds the checks took (in the knowledge module, and in all,
    /// with the way there and back).
    pub lint_ms: Option<(f64, f64)>,
    /// Each editor's diagnostics and findings, as the editor bridge takes them (JSON).
    pub editor_marks: BTreeMap<EditorId, String>,
    /// Each editor's findings by category: error, security warning, warning, suggestion.
    pub editor_findings: BTreeMap<EditorId, [usize; 4]>,
}

impl PartialEq for Annotations {
    fn eq(&self, other: &Self) -> bool {
        self.stamp == other.stamp
    }
}

/// A range in an editor, in the bridge's coordinates (1-based line, 1-based
/// UTF-16 column), optionally emphasised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub from: [u32; 2],
    pub to: [u32; 2],
    pub strong: bool,
}

/// A diagnostic or finding as the editor shows it.
#[derive(Serialize)]
pub(crate) struct Mark<'a> {
    from: [u32; 2],
    to: [u32; 2],
    /// CodeMirror's severity: `error`, `warning` or `info`.
    severity: &'static str,
    /// The category, for styling: `error`, `security`, `warning`, `suggestion`.
    category: &'static str,
    /// `check` (a finding of the checks) or `policy` (the policy reader).
    source: &'static str,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

impl<'a> Mark<'a> {
    /// A problem a reader found in a text (a chain scenario, a CloudTrail
    /// record): an error or a warning, from `from` to `to`.
    pub(crate) fn problem(
        from: Position,
        to: Position,
        error: bool,
        code: &'a str,
        message: &'a str,
        help: Option<&'a str>,
    ) -> Self {
        let category = if error { "error" } else { "warning" };
        Mark { from: lc(from), to: lc(to), severity: category, category, source: "policy", code, message, help }
    }
}

/// Marks as the editor bridge takes them: a JSON array.
pub(crate) fn marks_json(marks: &[Mark<'_>]) -> String {
    serde_json::to_string(marks).unwrap_or_else(|_| "[]".to_owned())
}

fn lc(p: Position) -> [u32; 2] {
    [p.line, p.utf16_column]
}

/// The editor severity of a core severity.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::SecurityWarning | Severity::Warning => "warning",
        Severity::Suggestion => "info",
    }
}

/// The category of a severity, for styling (`security` for security warnings).
pub fn category_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::SecurityWarning => "security",
        Severity::Warning => "warning",
        Severity::Suggestion => "suggestion",
    }
}

/// The category as AWS's policy validation names it, for people.
pub fn category_title(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::SecurityWarning => "Security warning",
        Severity::Warning => "Warning",
        Severity::Suggestion => "Suggestion",
    }
}

/// `message` plus its help, for tooltips.
pub fn full_message(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    }
}

/// A finding of the knowledge module as a located diagnostic.
fn located(f: LintFinding, slot: Slot, doc: usize) -> Located {
    let pos = |lc: [u32; 2], offset: u32| Position { line: lc[0], column: lc[1], utf16_column: lc[1], offset };
    Located {
        diagnostic: Diagnostic {
            code: f.code,
            severity: f.severity,
            message: f.message,
            help: f.help,
            doc: DocId(u32::try_from(doc).unwrap_or(u32::MAX)),
            span: Span { start: f.start, end: f.end },
            labels: Vec::new(),
        },
        slot,
        start: pos(f.from, f.start),
        end: pos(f.to, f.end),
    }
}

/// Evaluates an input that is not the state's (an imported request
/// against the state's policies); with [`Checks`], managed-policy names resolve.
pub fn evaluate_input(input: &api::Input, checks: Option<&dyn Checks>) -> api::Output<'static> {
    let library = checks.map(Library);
    api::evaluate_with(input, library.as_ref().map(|l| l as &dyn PolicyLibrary))
}

/// Evaluates the state's input without AWS knowledge.
pub fn evaluate(state: &State) -> Evaluated {
    evaluate_with(state, None)
}

/// The place of a slot's policy.
pub fn place_of(slot: &Slot) -> Option<Place> {
    match slot {
        Slot::Policy { kind, index, level } => Some(Place::new(*kind, *index, *level)),
        Slot::Request { .. } => None,
    }
}

/// The place of the policy a trace refers to.
pub fn place_of_ref(policy: &PolicyRef) -> Place {
    Place::new(policy.kind, policy.index, policy.level)
}

fn editor_of(state: &State, slot: &Slot) -> Option<EditorId> {
    state.policies.get(place_of(slot)?).map(|e| e.id)
}

/// Each editor's marks: its diagnostics (`policy`) and findings (`check`).
fn marks(state: &State, diagnostics: &[Located], findings: &[Located]) -> BTreeMap<EditorId, String> {
    let mut per_editor: BTreeMap<EditorId, Vec<(&Located, &'static str)>> = BTreeMap::new();
    let sources = diagnostics.iter().map(|d| (d, "policy")).chain(findings.iter().map(|f| (f, "check")));
    for (d, source) in sources {
        if let Some(id) = editor_of(state, &d.slot) {
            per_editor.entry(id).or_default().push((d, source));
        }
    }
    let mut out = BTreeMap::new();
    for (_, e) in state.policies.iter() {
        let list = per_editor.get(&e.id).map(Vec::as_slice).unwrap_or(&[]);
        let marks: Vec<Mark<'_>> = list
            .iter()
            .map(|(d, source)| Mark {
                from: lc(d.start),
                to: lc(d.end),
                severity: severity_name(d.diagnostic.severity),
                category: category_name(d.diagnostic.severity),
                source,
                code: &d.diagnostic.code,
                message: &d.diagnostic.message,
                help: d.diagnostic.help.as_deref(),
            })
            .collect();
        out.insert(e.id, marks_json(&marks));
    }
    out
}

/// Evaluates the state's input; with [`Checks`], managed-policy names
/// resolve to their documents.
pub fn evaluate_with(state: &State, checks: Option<&dyn Checks>) -> Evaluated {
    let input = state.to_input();
    let library = checks.map(Library);
    let out = api::evaluate_with(&input, library.as_ref().map(|l| l as &dyn PolicyLibrary));
    let diagnostics: Vec<Located> = out
        .diagnostics
        .into_iter()
        .filter(|d| d.diagnostic.is_error() || !state.lint_off.contains(d.diagnostic.code.as_str()))
        .collect();
    let mut request = RequestFeedback::default();
    let mut editor_counts: BTreeMap<EditorId, (usize, usize)> = BTreeMap::new();
    let mut errors = 0;
    for d in &diagnostics {
        let error = d.diagnostic.is_error();
        if error {
            errors += 1;
        }
        match &d.slot {
            Slot::Policy { .. } => {
                if let Some(id) = editor_of(state, &d.slot) {
                    let c = editor_counts.entry(id).or_default();
                    if error {
                        c.0 += 1;
                    } else {
                        c.1 += 1;
                    }
                }
            }
            Slot::Request { field } => match Field::from_key(field) {
                Some(f) => request.fields.entry(f).or_default().push(full_message(&d.diagnostic)),
                None => request.other.push(full_message(&d.diagnostic)),
            },
        }
    }
    let mut managed = BTreeMap::new();
    for m in out.managed {
        if let Some(id) = editor_of(state, &m.slot) {
            managed.insert(id, Rc::new(m));
        }
    }
    if let Some(f) = out.answer.as_ref().and_then(|a| a.trace.first()).and_then(|s| s.request.as_ref()) {
        let who = f.principal_kind.describe();
        request.summary = Some(match f.cross_account {
            Some(true) => format!("{who}, cross-account"),
            Some(false) => format!("{who}, same account"),
            None => who.to_owned(),
        });
        request.derived = f.derived_keys.clone();
    }
    Evaluated {
        rev: state.rev,
        stamp: STAMP.fetch_add(1, Ordering::Relaxed),
        decision: out.decision,
        answer: out.answer,
        editor_marks: marks(state, &diagnostics, &[]),
        diagnostics,
        managed,
        editor_counts,
        request: Rc::new(request),
        errors,
    }
}

/// An evaluation made elsewhere than from the state (a hop of a chain, a
/// request imported from CloudTrail), for the trace's components.
pub fn of_answer(answer: Option<Answer<'static>>, diagnostics: Vec<Located>) -> Evaluated {
    let errors = diagnostics.iter().filter(|d| d.diagnostic.is_error()).count();
    Evaluated {
        rev: 0,
        stamp: STAMP.fetch_add(1, Ordering::Relaxed),
        decision: answer.as_ref().map(|a| a.decision),
        answer,
        diagnostics,
        managed: BTreeMap::new(),
        editor_marks: BTreeMap::new(),
        editor_counts: BTreeMap::new(),
        request: Rc::new(RequestFeedback::default()),
        errors,
    }
}

/// Whether two evaluations have the same answer, so that a trace of one is
/// a trace of the other (its spans included), with the same managed
/// documents for its spans to point into.
pub fn same_answer(a: &Evaluated, b: &Evaluated) -> bool {
    if a.stamp == b.stamp {
        return true;
    }
    match (&a.answer, &b.answer) {
        (Some(x), Some(y)) => a.decision == b.decision && a.managed == b.managed && x == y,
        _ => false,
    }
}

/// Runs the checks on the state's policies (slots that name a managed
/// policy are not checked) and builds the editors' marks with the
/// evaluation's diagnostics. `now` is a clock in milliseconds.
pub fn annotate(
    state: &State,
    evaluated: &Evaluated,
    checks: Option<&dyn Checks>,
    now: &dyn Fn() -> f64,
) -> Annotations {
    let input = state.to_input();
    let slots = api::slots(&input);
    let mut findings = Vec::new();
    let mut lint_ms = None;
    let response = checks.and_then(|c| {
        let request = LintRequest {
            slots: slots
                .iter()
                .filter_map(|(slot, text, _)| match slot {
                    Slot::Policy { kind, .. } => Some(LintSlot { kind: *kind, text: (*text).to_owned() }),
                    Slot::Request { .. } => None,
                })
                .collect(),
            off: state.lint_off.iter().cloned().collect(),
        };
        let t0 = now();
        let r = c.lint(&request);
        lint_ms = r.as_ref().map(|r| (r.ms, now() - t0));
        r
    });
    let checked = response.is_some();
    let mut with_reference = false;
    if let Some(r) = response {
        with_reference = r.knowledge;
        for (i, (slot_findings, (slot, _, _))) in r.slots.into_iter().zip(slots.iter()).enumerate() {
            findings.extend(slot_findings.into_iter().map(|f| located(f, slot.clone(), i)));
        }
    }
    let mut editor_findings: BTreeMap<EditorId, [usize; 4]> = BTreeMap::new();
    for f in &findings {
        if let Some(id) = editor_of(state, &f.slot) {
            if let Some(n) = editor_findings.entry(id).or_default().get_mut(f.diagnostic.severity.index()) {
                *n += 1;
            }
        }
    }
    Annotations {
        rev: evaluated.rev,
        stamp: STAMP.fetch_add(1, Ordering::Relaxed),
        editor_marks: marks(state, &evaluated.diagnostics, &findings),
        findings,
        checked,
        with_reference,
        lint_ms,
        editor_findings,
    }
}

/// Spans to highlight, each in the policy the core names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanSet {
    pub items: Vec<(PolicyRef, Span, bool)>,
}

impl SpanSet {
    pub fn push(&mut self, policy: &PolicyRef, span: Span, strong: bool) {
        self.items.push((policy.clone(), span, strong));
    }

    pub fn statement(&mut self, s: &StatementRef, strong: bool) {
        self.push(&s.policy, s.span, strong);
    }
}

/// Ranges per editor for a set of spans, and the editor to scroll to (the
/// first span's). Spans of a slot that named a managed policy point into
/// the resolved document, shown in the slot's read-only view.
pub fn ranges(
    state: &State,
    evaluated: &Evaluated,
    spans: &SpanSet,
) -> (BTreeMap<EditorId, Vec<Range>>, Option<EditorId>) {
    let mut out: BTreeMap<EditorId, Vec<Range>> = BTreeMap::new();
    let mut first = None;
    let mut indexes: BTreeMap<EditorId, LineIndex> = BTreeMap::new();
    for (policy, span, strong) in &spans.items {
        let Some(e) = state.policies.get(place_of_ref(policy)) else { continue };
        let (id, text) = match evaluated.managed.get(&e.id) {
            Some(m) => (managed_view(e.id), m.text.as_str()),
            None => (e.id, e.text.as_str()),
        };
        let index = indexes.entry(id).or_insert_with(|| LineIndex::new(text));
        let from = index.position(text, span.start);
        let to = index.position(text, span.end);
        out.entry(id).or_default().push(Range { from: lc(from), to: lc(to), strong: *strong });
        first.get_or_insert(id);
    }
    (out, first)
}

/// Ranges for a diagnostic (already located by the core).
pub fn diagnostic_range(state: &State, d: &Located) -> Option<(EditorId, Range)> {
    let e = state.policies.get(place_of(&d.slot)?)?;
    Some((e.id, Range { from: lc(d.start), to: lc(d.end), strong: true }))
}

/// `Allow`, `Explicit deny`, `Implicit deny`.
pub fn decision_title(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "Explicit deny",
        Decision::ImplicitDeny => "Implicit deny",
    }
}

#[cfg(test)]
mod tests;
