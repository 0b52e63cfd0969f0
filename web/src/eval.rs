//! Runs the core on the state and maps its answer back onto the page:
//! diagnostics to editors and request fields, trace spans to editor
//! positions. Pure: no browser APIs, so it is tested natively.

use std::collections::BTreeMap;

use iamtrace::api::{self, Located, Slot};
use iamtrace::policy::PolicyKind;
use iamtrace::trace::{Answer, PolicyRef, StatementRef};
use iamtrace::{Decision, LineIndex, Position, Severity, Span};
use serde::Serialize;

use crate::state::{EditorId, Field, State};

/// The evaluation of one revision of the state.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The state revision this was computed from.
    pub rev: u64,
    pub decision: Option<Decision>,
    pub answer: Option<Answer<'static>>,
    pub diagnostics: Vec<Located>,
    /// Each editor's diagnostics, as the editor bridge takes them (JSON).
    pub editor_marks: BTreeMap<EditorId, String>,
    /// Each editor's (errors, warnings).
    pub editor_counts: BTreeMap<EditorId, (usize, usize)>,
    /// Messages about request fields.
    pub field_messages: BTreeMap<Field, Vec<String>>,
    /// Messages that belong to no field (`request` slot).
    pub request_messages: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// Results are compared by revision: the same revision, the same results.
impl PartialEq for Evaluated {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev
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

#[derive(Serialize)]
struct Mark<'a> {
    from: [u32; 2],
    to: [u32; 2],
    severity: &'static str,
    message: &'a str,
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

/// `message` plus its help, for tooltips.
pub fn full_message(d: &iamtrace::Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    }
}

/// Evaluates the state's input.
pub fn evaluate(state: &State) -> Evaluated {
    let input = state.to_input();
    let out = api::evaluate(&input);
    let mut per_editor: BTreeMap<EditorId, Vec<(Located, String)>> = BTreeMap::new();
    let mut field_messages: BTreeMap<Field, Vec<String>> = BTreeMap::new();
    let mut request_messages = Vec::new();
    let (mut errors, mut warnings) = (0, 0);
    for d in &out.diagnostics {
        if d.diagnostic.is_error() {
            errors += 1;
        } else {
            warnings += 1;
        }
        match &d.slot {
            Slot::Policy { kind, index, level } => {
                if let Some(e) = state.entry_at(*kind, *index, *level) {
                    per_editor.entry(e.id).or_default().push((d.clone(), full_message(&d.diagnostic)));
                }
            }
            Slot::Request { field } => match Field::from_key(field) {
                Some(f) => field_messages.entry(f).or_default().push(full_message(&d.diagnostic)),
                None => request_messages.push(full_message(&d.diagnostic)),
            },
        }
    }
    let mut editor_marks = BTreeMap::new();
    let mut editor_counts = BTreeMap::new();
    for e in state.entries() {
        if let Some(v) = per_editor.get(&e.id) {
            let errors = v.iter().filter(|(d, _)| d.diagnostic.is_error()).count();
            editor_counts.insert(e.id, (errors, v.len() - errors));
        }
        let marks: Vec<Mark<'_>> = per_editor
            .get(&e.id)
            .map(|v| {
                v.iter()
                    .map(|(d, m)| Mark {
                        from: lc(d.start),
                        to: lc(d.end),
                        severity: severity_name(d.diagnostic.severity),
                        message: m,
                    })
                    .collect()
            })
            .unwrap_or_default();
        editor_marks.insert(e.id, serde_json::to_string(&marks).unwrap_or_else(|_| "[]".to_owned()));
    }
    Evaluated {
        rev: state.rev,
        decision: out.decision,
        answer: out.answer.map(iamtrace::trace::into_owned),
        diagnostics: out.diagnostics,
        editor_marks,
        editor_counts,
        field_messages,
        request_messages,
        errors,
        warnings,
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
/// first span's).
pub fn ranges(state: &State, spans: &SpanSet) -> (BTreeMap<EditorId, Vec<Range>>, Option<EditorId>) {
    let mut out: BTreeMap<EditorId, Vec<Range>> = BTreeMap::new();
    let mut first = None;
    let mut indexes: BTreeMap<EditorId, LineIndex> = BTreeMap::new();
    for (policy, span, strong) in &spans.items {
        let Some(e) = state.entry_at(policy.kind, policy.index, policy.level) else { continue };
        let index = indexes.entry(e.id).or_insert_with(|| LineIndex::new(&e.text));
        let from = index.position(&e.text, span.start);
        let to = index.position(&e.text, span.end);
        out.entry(e.id).or_default().push(Range { from: lc(from), to: lc(to), strong: *strong });
        first.get_or_insert(e.id);
    }
    (out, first)
}

/// Ranges for a diagnostic (already located by the core).
pub fn diagnostic_range(state: &State, d: &Located) -> Option<(EditorId, Range)> {
    let Slot::Policy { kind, index, level } = &d.slot else { return None };
    let e = state.entry_at(*kind, *index, *level)?;
    Some((e.id, Range { from: lc(d.start), to: lc(d.end), strong: true }))
}

/// A short name for a policy kind, for people.
pub fn kind_title(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "Identity-based policies",
        PolicyKind::Resource => "Resource-based policy",
        PolicyKind::Boundary => "Permissions boundary",
        PolicyKind::Session => "Session policies",
        PolicyKind::Scp => "Service control policies (SCPs)",
        PolicyKind::Rcp => "Resource control policies (RCPs)",
        PolicyKind::Vpce => "VPC endpoint policy",
    }
}

/// `Allow`, `Explicit deny`, `Implicit deny`.
pub fn decision_title(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "Explicit deny",
        Decision::ImplicitDeny => "Implicit deny",
    }
}

/// Converts a byte offset of `text` to a UTF-16 offset (for tests and for
/// anything that needs flat positions).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    text.get(..b).map_or(0, |p| p.encode_utf16().count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;

    #[test]
    fn default_example_allows_and_has_a_trace() {
        let s = State::initial();
        let e = evaluate(&s);
        assert_eq!(e.decision, Some(Decision::Allow));
        assert!(e.answer.as_ref().is_some_and(|a| a.trace.len() > 3));
        assert_eq!(e.errors, 0);
    }

    #[test]
    fn errors_land_in_their_editor_with_utf16_columns() {
        let mut s = State::initial();
        let id = s.policies.identity[0].id;
        s.apply(Action::SetText { id, text: "{\"😀\": 1, \"Statement\": {\"Effect\": \"allow\"}}".into() });
        let e = evaluate(&s);
        assert_eq!(e.decision, None);
        assert!(e.errors > 0);
        let marks = &e.editor_marks[&id];
        assert!(marks.contains("\"severity\":\"error\""), "{marks}");
        // The emoji is two UTF-16 units: a column after it is off by one from chars.
        let v: serde_json::Value = serde_json::from_str(marks).unwrap();
        let col = v[0]["from"][1].as_u64().unwrap();
        let text = &s.policies.identity[0].text;
        let byte = e.diagnostics[0].start.offset as usize;
        assert_eq!(col as usize, utf16_offset(text, byte) + 1);
    }

    #[test]
    fn spans_map_to_editor_ranges() {
        let s = State::initial();
        let e = evaluate(&s);
        let answer = e.answer.unwrap();
        let deciding = &answer.deciding[0];
        let mut set = SpanSet::default();
        set.statement(deciding, true);
        let (r, first) = ranges(&s, &set);
        let id = s.policies.identity[0].id;
        assert_eq!(first, Some(id));
        let range = r[&id][0];
        let text = &s.policies.identity[0].text;
        let line = text.lines().nth(range.from[0] as usize - 1).unwrap();
        assert!(line[(range.from[1] as usize - 1)..].starts_with('{'), "{line}");
    }
}
