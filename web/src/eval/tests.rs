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
    assert_eq!(col, u64::from(crate::knowledge::context::utf16_of_byte(text, byte)) + 1);
}

#[test]
fn answers_are_the_same_until_something_the_trace_shows_changes() {
    let mut s = State::initial();
    let first = evaluate(&s);
    assert!(same_answer(&first, &evaluate(&s)));
    // A context key no policy reads: a new evaluation, the same answer.
    s.apply(Action::AddContext { key: "test:Unused".into(), value: "1".into() });
    let unused = evaluate(&s);
    assert_ne!(unused.stamp, first.stamp);
    assert!(same_answer(&first, &unused));
    // A Sid shows in the trace.
    let id = s.policies.identity[0].id;
    let text = s.policies.identity[0].text.replace("\"ReadReports\"", "\"ReadAll\"");
    s.apply(Action::SetText { id, text });
    assert!(!same_answer(&first, &evaluate(&s)));
    // So does a value a condition compared, even when nothing else changes.
    let mut s = State::from_example("deny-non-tls").unwrap();
    let key = |s: &State| s.request.context.iter().find(|r| r.key == "aws:SecureTransport").map(|r| r.id);
    if key(&s).is_none() {
        s.apply(Action::AddContext { key: "aws:SecureTransport".into(), value: "false".into() });
    }
    let row = key(&s).unwrap();
    s.apply(Action::SetContextValue { row, index: 0, value: "false".into() });
    let before = evaluate(&s);
    s.apply(Action::SetContextValue { row, index: 0, value: "FALSE".into() });
    let after = evaluate(&s);
    assert_eq!(before.decision, after.decision);
    assert!(!same_answer(&before, &after));
    // No answer is never the same as one.
    s.apply(Action::SetField(Field::Principal, "arn:aws:iam:".into()));
    assert!(!same_answer(&before, &evaluate(&s)));
}

#[test]
fn spans_map_to_editor_ranges() {
    let s = State::initial();
    let e = evaluate(&s);
    let answer = e.answer.clone().unwrap();
    let deciding = &answer.deciding[0];
    let mut set = SpanSet::default();
    set.statement(deciding, true);
    let (r, first) = ranges(&s, &e, &set);
    let id = s.policies.identity[0].id;
    assert_eq!(first, Some(id));
    let range = r[&id][0];
    let text = &s.policies.identity[0].text;
    let line = text.lines().nth(range.from[0] as usize - 1).unwrap();
    assert!(line[(range.from[1] as usize - 1)..].starts_with('{'), "{line}");
}
