use iamtrace::api::ContextInput;
use iamtrace::policy::PolicyKind;

use super::*;

#[test]
fn round_trips_through_input() {
    let s = State::initial();
    let input = s.to_input();
    let back = State::from_input(input.clone(), s.example.clone());
    assert_eq!(back.to_input(), input);
}

#[test]
fn ids_stay_stable_when_removing() {
    let mut s = State::default();
    s.apply(Action::Add(PolicyKind::Identity));
    s.apply(Action::Add(PolicyKind::Identity));
    let second = s.policies.identity[1].id;
    s.apply(Action::Remove { id: s.policies.identity[0].id });
    assert_eq!(s.policies.identity.len(), 1);
    assert_eq!(s.policies.identity[0].id, second);
    assert!(s.apply(Action::SetText { id: second, text: "{}".into() }));
    assert_eq!(s.policies.identity[0].text, "{}");
}

#[test]
fn levels_are_added_filled_and_removed_by_id() {
    let mut s = State::default();
    s.apply(Action::Add(PolicyKind::Scp));
    s.apply(Action::Add(PolicyKind::Scp));
    s.apply(Action::Add(PolicyKind::Rcp));
    let levels: Vec<LevelId> = s.policies.levels_of(PolicyKind::Scp).map(|l| l.id).collect();
    assert_eq!(levels.len(), 2);
    assert!(s.apply(Action::AddToLevel { level: levels[0] }));
    assert_eq!(s.policies.levels(PolicyKind::Scp)[0].len(), 2);
    assert!(s.policies.levels(PolicyKind::Scp)[0][1].text.contains("FullAWSAccess"));
    let rev = s.rev;
    assert!(s.apply(Action::RemoveLevel { level: levels[0] }));
    assert!(s.rev > rev);
    assert_eq!(s.policies.levels_of(PolicyKind::Scp).map(|l| l.id).collect::<Vec<_>>(), [levels[1]]);
    assert_eq!(s.policies.count(PolicyKind::Rcp), 1, "the other kind's levels stay");
    assert!(!s.apply(Action::RemoveLevel { level: levels[0] }), "an unknown level changes nothing");
}

#[test]
fn templates_trust_the_principals_account() {
    let mut s = State::initial();
    s.apply(Action::Add(PolicyKind::Resource));
    let text = &s.policies.resource.as_ref().unwrap().text;
    assert!(text.contains("arn:aws:iam::111122223333:root"), "{text}");
    s.apply(Action::SetField(Field::Principal, "arn:aws:iam::444455556666:user/bob".into()));
    let id = s.policies.resource.as_ref().unwrap().id;
    s.apply(Action::Remove { id });
    s.apply(Action::Add(PolicyKind::Resource));
    assert!(s.policies.resource.as_ref().unwrap().text.contains("arn:aws:iam::444455556666:root"));
}

#[test]
fn context_rows_and_multivalue() {
    let mut s = State::default();
    s.apply(Action::AddContext { key: "aws:TagKeys".into(), value: "a".into() });
    let row = s.request.context[0].id;
    s.apply(Action::AddContextValue { row });
    s.apply(Action::SetContextValue { row, index: 1, value: "b".into() });
    let input = s.to_input();
    assert_eq!(input.request.context["aws:TagKeys"], ContextInput::Many(vec!["a".into(), "b".into()]));
    s.apply(Action::SetContextMulti { row, multi: false });
    assert_eq!(s.to_input().request.context["aws:TagKeys"], ContextInput::One("a".into()));
}

#[test]
fn lint_codes_switch_without_changing_inputs() {
    let mut s = State::initial();
    let rev = s.rev;
    assert!(!s.apply(Action::SetLint { code: "missing-version".into(), on: false }));
    assert!(s.lint_off.contains("missing-version"));
    assert_eq!(s.rev, rev);
    s.apply(Action::SetLint { code: "missing-version".into(), on: true });
    assert!(s.lint_off.is_empty());
}

#[test]
fn panel_sets_parse_and_print() {
    let p = PanelSet::parse_list("trace, decision,bogus");
    assert_eq!(p.to_list(), "decision,trace");
    assert!(PanelSet::parse_list("").is_empty());
    assert!(!PanelSet::default_open().contains(Panel::Overview));
    assert!(!PanelSet::default_open().contains(Panel::CloudTrail));
    assert_eq!(PanelSet::default_open().with(Panel::Overview, true).with(Panel::CloudTrail, true), PanelSet::all());
    // The panels of one request keep their order in links.
    assert_eq!(
        PanelSet::parse_list("diagram,walk,policies,cloudtrail,chain").to_list(),
        "chain,policies,cloudtrail,walk,diagram"
    );
}

#[test]
fn chains_load_edit_and_share() {
    let s = State::from_example("sts-course-assume-role").unwrap();
    assert!(s.chain.as_deref().is_some_and(|c| c.contains("\"chain\"")));
    assert_eq!(s.example.as_deref(), Some("sts-course-assume-role"));
    let mut t = s.clone();
    assert!(!t.apply(Action::SetChain(s.chain.clone().unwrap())));
    assert!(t.apply(Action::SetChain("{\"chain\": []}".into())));
    assert!(t.edited && t.rev > s.rev);
    // A v1 link carries the chain's exact text; a state without one writes no `chain`.
    let back = crate::share::decode_v1(&crate::share::encode_v1(&crate::share::StateV1::from_state(&t))).unwrap();
    assert_eq!(back.into_state().chain, t.chain);
    let plain = crate::share::StateV1::from_state(&State::initial());
    assert!(!serde_json::to_string(&plain).unwrap().contains("chain"));
    // Panels are written for what the page shows: one request as before chains existed.
    let mut one = State::initial();
    one.apply(Action::SetPanel(Panel::Diagram, false));
    let panels = crate::share::StateV1::from_state(&one).panels.unwrap();
    assert_eq!(panels, ["policies", "request", "decision", "trace"]);
    let mut chain = s.clone();
    chain.apply(Action::SetPanel(Panel::Chain, false));
    assert_eq!(crate::share::StateV1::from_state(&chain).panels.unwrap(), ["walk"]);
    assert_eq!(crate::share::StateV1::from_state(&s).panels, None);
}

#[test]
fn an_imported_request_replaces_the_request_only() {
    let mut s = State::initial();
    let policies = s.policies.clone();
    let request = api::RequestInput {
        principal: "arn:aws:iam::111122223333:user/bob".into(),
        action: "s3:PutObject".into(),
        resource: "arn:aws:s3:::b/k".into(),
        ..Default::default()
    };
    assert!(s.apply(Action::SetRequest(Box::new(request))));
    assert_eq!(s.policies, policies);
    assert_eq!(s.request.action, "s3:PutObject");
}
