//! The shape of the trace: decisions themselves are covered by the scenario
//! corpora in `tests/corpus`.

use crate::scenario::parse;
use crate::trace::{Answer, Decision, ElementStatus, Grant, Side, Stage, Verdict};

fn answer(text: &str) -> Answer<'static> {
    let parsed = parse(text, None);
    let scenario = parsed.scenario.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
    crate::trace::into_owned(scenario.evaluate().unwrap())
}

const USER: &str = "arn:aws:iam::111122223333:user/alice";

fn scenario(policies: &str, request_extra: &str) -> String {
    format!(
        r#"{{"policies": {policies}, "request": {{"principal": "{USER}", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"{request_extra}}}}}"#
    )
}

#[test]
fn stages_come_in_aws_order_and_end_with_the_decision() {
    let a = answer(&scenario(
        r#"{"identity": [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}"#,
        "",
    ));
    let stages: Vec<Stage> = a.trace.iter().map(|s| s.stage).collect();
    assert_eq!(
        stages,
        [
            Stage::Request,
            Stage::ExplicitDeny,
            Stage::Rcp,
            Stage::Scp,
            Stage::VpcEndpoint,
            Stage::ResourcePolicy,
            Stage::Identity,
            Stage::Boundary,
            Stage::Session,
            Stage::Decision
        ]
    );
    assert_eq!(a.decision, Decision::Allow);
    assert_eq!(a.trace.iter().filter(|s| s.decisive).count(), 1);
    let decisive = a.trace.iter().find(|s| s.decisive).unwrap();
    assert_eq!(decisive.stage, Stage::Identity);
    assert_eq!(a.deciding.len(), 1);
    assert_eq!(a.deciding[0].policy.kind, crate::policy::PolicyKind::Identity);
}

#[test]
fn an_explicit_deny_stops_the_chain_and_lists_every_matching_deny() {
    let a = answer(&scenario(
        r#"{"identity": [{"Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Sid": "D1", "Effect": "Deny", "Action": "s3:Get*", "Resource": "*"},
            {"Sid": "D2", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
            {"Sid": "D3", "Effect": "Deny", "Action": "ec2:*", "Resource": "*"}]}]}"#,
        "",
    ));
    assert_eq!(a.decision, Decision::ExplicitDeny);
    let deny = &a.trace[1];
    assert_eq!((deny.stage, deny.verdict, deny.decisive), (Stage::ExplicitDeny, Verdict::ExplicitDeny, true));
    assert_eq!(deny.statements.len(), 3, "every Deny statement examined is in the trace");
    let sids: Vec<&str> = a.deciding.iter().filter_map(|d| d.sid.as_deref()).collect();
    assert_eq!(sids, ["D1", "D2"]);
    let d3 = &deny.statements.get(2).unwrap();
    assert_eq!(d3.action.status, ElementStatus::NotMatched);
    assert_eq!(d3.resource.status, ElementStatus::NotEvaluated);
    assert!(a
        .trace
        .iter()
        .skip(2)
        .take_while(|s| s.stage != Stage::Decision)
        .all(|s| s.verdict == Verdict::NotReached));
}

#[test]
fn missing_keys_are_the_ones_that_could_change_the_result() {
    let a = answer(&scenario(
        r#"{"identity": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
            {"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}]}"#,
        "",
    ));
    assert_eq!(a.decision, Decision::ImplicitDeny);
    let keys: Vec<(&str, &str)> = a.missing_keys.iter().map(|m| (m.key.as_str(), m.used_as)).collect();
    assert_eq!(keys, [("aws:PrincipalTag/team", "variable"), ("aws:SourceIp", "condition")]);
    // ec2 statement: the action does not match, so its key could not change anything.
    assert!(!keys.iter().any(|(k, _)| *k == "aws:SecureTransport"));
}

#[test]
fn derived_keys_are_reported_and_given_keys_win() {
    let a = answer(&scenario(r#"{}"#, r#", "context": {"aws:username": "bob"}"#));
    let facts = a.trace[0].request.as_ref().unwrap();
    let derived: Vec<&str> = facts.derived_keys.iter().map(|d| d.key.as_ref()).collect();
    assert_eq!(
        derived,
        [
            "aws:PrincipalArn",
            "aws:PrincipalAccount",
            "aws:PrincipalType",
            "aws:PrincipalIsAWSService",
            "aws:ResourceAccount"
        ]
    );
    let is_service = facts.derived_keys.iter().find(|d| d.key == "aws:PrincipalIsAWSService").unwrap();
    assert_eq!((is_service.value.as_ref(), is_service.source), ("false", crate::trace::DerivedFrom::PrincipalKind));
    // The bucket's account is not given: the request is taken to be
    // same-account, and `aws:ResourceAccount` says so.
    let resource_account = facts.derived_keys.iter().find(|d| d.key == "aws:ResourceAccount").unwrap();
    assert_eq!(resource_account.source, crate::trace::DerivedFrom::SameAccountAssumed);
    assert_eq!(resource_account.value, "111122223333");
    assert_eq!(facts.principal_account.as_deref(), Some("111122223333"));
    assert_eq!(facts.cross_account, Some(false));
}

#[test]
fn cross_account_steps_carry_their_side() {
    let a = answer(&scenario(
        r#"{"identity": [{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}],
            "resource": {"Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}}}"#,
        r#", "resource_account": "444455556666""#,
    ));
    assert_eq!(a.decision, Decision::Allow);
    let side = |stage| a.trace.iter().find(|s| s.stage == stage).unwrap().side;
    assert_eq!(side(Stage::ResourcePolicy), Some(Side::Resource));
    assert_eq!(side(Stage::Identity), Some(Side::Principal));
    let cross = a.trace.iter().find(|s| s.stage == Stage::CrossAccount).unwrap();
    assert!(cross.decisive);
    let rbp = a.trace.iter().find(|s| s.stage == Stage::ResourcePolicy).unwrap();
    assert_eq!(rbp.statements.get(0).unwrap().principal.as_ref().unwrap().grant, Some(Grant::Account));
}

#[test]
fn malformed_requests_are_errors_not_decisions() {
    let parsed = parse(r#"{"request": {"principal": "bob", "action": "s3:*", "resource": "x"}}"#, None);
    let errs = parsed.scenario.unwrap().evaluate().unwrap_err();
    let codes: Vec<&str> = errs.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["request-invalid-principal", "request-invalid-action", "request-invalid-resource"]);
}

#[test]
fn a_session_parent_must_match_the_session() {
    let req = |parent: &str| {
        format!(
            r#"{{"request": {{"principal": "arn:aws:sts::111122223333:assumed-role/App/s", "session_parent_arn": "{parent}", "action": "s3:GetObject", "resource": "*"}}}}"#
        )
    };
    let text = req("arn:aws:iam::111122223333:role/path/App");
    let ok = parse(&text, None).scenario.unwrap();
    assert!(ok.evaluate().is_ok());
    for bad in [
        "arn:aws:iam::111122223333:role/Other",
        "arn:aws:iam::444455556666:role/App",
        "arn:aws:iam::111122223333:user/App",
    ] {
        let text = req(bad);
        let scenario = parse(&text, None).scenario.unwrap();
        let errs = scenario.evaluate().unwrap_err();
        assert!(errs[0].code.starts_with("request-i"), "{bad}: {errs:?}");
    }
}

/// A compiled set matches actions without case and compares the literal
/// start of resource patterns at once: both must answer as the text
/// matchers do.
#[test]
fn compiled_sets_match_case_and_literal_heads_like_the_text_matchers() {
    let cases = [
        // (Action pattern, Resource pattern, request action, request resource, allowed)
        ("S3:getobject", "arn:aws:s3:::b/k", "s3:GetObject", "arn:aws:s3:::b/k", true),
        ("s3:GET*", "arn:aws:s3:::b/*", "S3:GetObject", "arn:aws:s3:::b/k", true),
        ("s3:*OBJECT", "arn:aws:s3:::b/*", "s3:GetObject", "arn:aws:s3:::b/k", true),
        ("s3:Get*", "arn:aws:S3:::b/*", "s3:GetObject", "arn:aws:s3:::b/k", false),
        ("s3:Get*", "arn:aws:s3:::b/*", "s3:GetObject", "arn:aws:s3::111122223333:b/k", false),
        ("s3:Get*", "arn:aws:s3:*:*:b/*", "s3:GetObject", "arn:aws:s3:us-east-1:111122223333:b/k", true),
        ("s3:Get*", "arn:aws:s3:::b\\\\*", "s3:GetObject", "arn:aws:s3:::b\\x", true),
        ("s3:Get*", "arn:a\\\\ws:s3:::b/k", "s3:GetObject", "arn:aws:s3:::b/k", false),
    ];
    for (action_pattern, resource_pattern, action, resource, allowed) in cases {
        let text = format!(
            r#"{{"policies": {{"identity": [{{"Statement": {{"Effect": "Allow", "Action": "{action_pattern}", "Resource": "{resource_pattern}"}}}}]}},
               "request": {{"principal": "{USER}", "action": "{action}", "resource": "{}"}}}}"#,
            resource.replace('\\', "\\\\")
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap_or_else(|| panic!("{text}: {:?}", parsed.diagnostics));
        let compiled = crate::CompiledSet::new(&scenario.policies);
        let one = crate::CompiledSet::for_one_request(&scenario.policies);
        let expected = if allowed { Decision::Allow } else { Decision::ImplicitDeny };
        assert_eq!(compiled.decide(&scenario.request).unwrap(), expected, "{text}");
        assert_eq!(compiled.evaluate(&scenario.request).unwrap().decision, expected, "{text}");
        assert_eq!(one.evaluate(&scenario.request).unwrap().decision, expected, "{text}");
    }
}

/// A pattern with a variable is ruled out by its literal start before any
/// substitution; the answer is the one substitution gives.
#[test]
fn variable_patterns_answer_alike_compiled_or_not() {
    let cases = [
        // (Resource pattern, request resource, allowed)
        ("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/k", true),
        ("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/bob/k", false),
        ("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::c/alice/k", false),
        ("arn:aws:s3:::b*/${aws:username}/*", "arn:aws:s3:::bb/alice/k", true),
        ("arn:aws:s3:::${aws:username}-data", "arn:aws:s3:::alice-data", true),
        ("arn:aws:s3:::b\\\\${aws:username}", "arn:aws:s3:::b\\alice", true),
    ];
    for (pattern, resource, allowed) in cases {
        let text = format!(
            r#"{{"policies": {{"identity": [{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "{pattern}"}}}}]}},
               "request": {{"principal": "{USER}", "action": "s3:GetObject", "resource": "{}"}}}}"#,
            resource.replace('\\', "\\\\")
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap_or_else(|| panic!("{text}: {:?}", parsed.diagnostics));
        let compiled = crate::CompiledSet::new(&scenario.policies);
        let expected = if allowed { Decision::Allow } else { Decision::ImplicitDeny };
        assert_eq!(compiled.decide(&scenario.request).unwrap(), expected, "{text}");
        assert_eq!(compiled.evaluate(&scenario.request).unwrap().decision, expected, "{text}");
        assert_eq!(scenario.evaluate().unwrap().decision, expected, "{text}");
    }
}

/// The statement index matches only a statement's patterns of the
/// request's service: the trace still names the first pattern of the list
/// that matches, as matching every pattern would.
#[test]
fn a_statement_of_several_services_matches_its_patterns_of_the_action_s_service() {
    let policy = r#"{"identity": [{"Statement": {"Effect": "Allow",
        "Action": ["s3:PutObject", "ec2:Describe*", "S3:Get*", "s3:GetObject"], "Resource": "*"}}]}"#;
    for (action, hit) in
        [("s3:GetObject", Some("S3:Get*")), ("ec2:DescribeVpcs", Some("ec2:Describe*")), ("ec2:RunInstances", None)]
    {
        let text = format!(
            r#"{{"policies": {policy}, "request": {{"principal": "{USER}", "action": "{action}", "resource": "*"}}}}"#
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        let compiled = crate::CompiledSet::new(&scenario.policies);
        let answer = compiled.evaluate(&scenario.request).unwrap();
        let identity = answer.trace.iter().find(|s| s.stage == Stage::Identity).unwrap();
        let first = identity.statements.get(0).unwrap();
        let found = first.action.hit.as_ref().map(|v| v.text.as_ref());
        assert_eq!(found, hit, "{action}");
        let expected = if hit.is_some() { Decision::Allow } else { Decision::ImplicitDeny };
        assert_eq!(answer.decision, expected, "{action}");
        assert_eq!(compiled.decide(&scenario.request).unwrap(), expected, "{action}");
        assert_eq!(answer, scenario.evaluate().unwrap(), "{action}");
    }
}

/// Statements that stop at their `Action` are kept by reference and written
/// out when read: reading, owning, changing and serialising give the same
/// records as statements kept in full.
#[test]
fn statements_stopped_at_their_action_read_as_full_records() {
    let text = scenario(
        r#"{"identity": [{"Statement": [
            {"Sid": "Other", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
            {"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::other/*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalTag/team": "x"}}}]}],
          "resource": {"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage", "Resource": "*"}]}}"#,
        "",
    );
    let parsed = parse(&text, None);
    let scenario = parsed.scenario.unwrap();
    let answer = crate::CompiledSet::new(&scenario.policies).evaluate(&scenario.request).unwrap();
    let identity = answer.trace.iter().find(|s| s.stage == Stage::Identity).unwrap();
    let read: Vec<_> = identity.statements.iter().map(|t| t.into_owned()).collect();
    assert_eq!(read.len(), 4);
    // The first stopped at its action: nothing after it was looked at.
    assert_eq!(read[0].statement.sid.as_deref(), Some("Other"));
    assert_eq!((read[0].action.status, read[0].action.against.as_ref()), (ElementStatus::NotMatched, "s3:GetObject"));
    assert_eq!(
        (read[0].resource.status, read[0].resource.against.as_ref()),
        (ElementStatus::NotEvaluated, "arn:aws:s3:::b/k")
    );
    assert!(!read[0].conditions_evaluated && read[0].action.hit.is_none());
    // A `NotAction` naming the action is kept in full, with its hit.
    assert_eq!(read[1].action.hit.as_ref().map(|v| v.text.as_ref()), Some("s3:GetObject"));
    assert_eq!(read[2].resource.status, ElementStatus::NotMatched);
    assert!(read[3].conditions_evaluated);
    // Only the statements examined past their action can have missing keys.
    assert_eq!(identity.statements.examined().count(), 3);
    assert_eq!(answer.missing_keys.len(), 1);
    // The resource policy's statement stopped at its action too, and shows
    // its principal not evaluated.
    let rbp = answer.trace.iter().find(|s| s.stage == Stage::ResourcePolicy).unwrap();
    let p = rbp.statements.get(0).unwrap().principal.clone().unwrap();
    assert_eq!((p.status, p.against.as_ref()), (ElementStatus::NotEvaluated, USER));
    // Owned, changed, serialised: the same records.
    let json = serde_json::to_string(&answer).unwrap();
    let owned = crate::trace::into_owned(answer.clone());
    assert_eq!(owned, answer);
    assert_eq!(serde_json::to_string(&owned).unwrap(), json);
    let mut changed = answer.clone();
    for step in &mut changed.trace {
        let n = step.statements.len();
        assert_eq!(step.statements.iter_mut().count(), n);
    }
    assert_eq!(changed, answer);
    assert_eq!(serde_json::to_string(&changed).unwrap(), json);
    let serialised: serde_json::Value = serde_json::from_str(&json).unwrap();
    let listed = serialised["trace"].as_array().unwrap().iter().find(|s| s["stage"] == "identity").unwrap();
    assert_eq!(listed["statements"].as_array().unwrap().len(), 4);
    assert_eq!(listed["statements"][0]["sid"], "Other");
}

/// A request prepared once is asked of policy sets that live shorter than
/// it (who can do what: one request, every principal's set, each parsed in
/// turn), for a decision and for a trace.
#[test]
fn a_prepared_request_outlives_the_sets_it_is_asked_of() {
    let request_text = scenario(r#"{"identity": []}"#, "");
    let parsed = parse(&request_text, None);
    let owner = parsed.scenario.unwrap();
    let request = crate::PreparedRequest::new(&owner.request).unwrap();
    let mut decisions = Vec::new();
    for action in ["s3:GetObject", "s3:PutObject"] {
        let text = scenario(
            &format!(
                r#"{{"identity": [{{"Statement": {{"Effect": "Allow", "Action": "{action}", "Resource": "*"}}}}]}}"#
            ),
            "",
        );
        let parsed = parse(&text, None);
        let scenario = parsed.scenario.unwrap();
        let set = crate::CompiledSet::new(&scenario.policies);
        let answer = set.evaluate_prepared(&request);
        assert_eq!(answer.decision, set.decide_prepared(&request));
        decisions.push(crate::trace::into_owned(answer).decision);
    }
    assert_eq!(decisions, [Decision::Allow, Decision::ImplicitDeny]);
}

/// A step over several policies lists the statements of its effect only,
/// policy after policy, the ones kept in full in their places: reading by
/// position and reading in order agree, for a compiled set and for a set
/// prepared for one request.
#[test]
fn a_step_lists_its_effects_statements_across_policies() {
    let text = scenario(
        r#"{"identity": [
            {"Statement": [
              {"Sid": "A1", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
              {"Sid": "D1", "Effect": "Deny", "Action": "ec2:*", "Resource": "*"},
              {"Sid": "D2", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}]},
            {"Statement": [
              {"Sid": "D3", "Effect": "Deny", "Action": "s3:Get*", "Resource": "*",
               "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
              {"Sid": "A2", "Effect": "Allow", "Action": "sqs:*", "Resource": "*"},
              {"Sid": "D4", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}],
          "boundary": {"Statement": [
              {"Sid": "B1", "Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Sid": "D5", "Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}]}}"#,
        "",
    );
    let parsed = parse(&text, None);
    let scenario = parsed.scenario.unwrap();
    for answer in
        [crate::CompiledSet::new(&scenario.policies).evaluate(&scenario.request).unwrap(), scenario.evaluate().unwrap()]
    {
        let deny = answer.trace.iter().find(|s| s.stage == Stage::ExplicitDeny).unwrap();
        let sids: Vec<_> = deny.statements.iter().map(|t| t.statement.sid.as_deref().map(str::to_owned)).collect();
        let expected = ["D1", "D2", "D3", "D4", "D5"].map(|s| Some(s.to_owned()));
        assert_eq!(sids, expected);
        let examined: Vec<_> = deny.statements.examined().map(|t| t.statement.sid.as_deref()).collect();
        assert_eq!(examined, [Some("D2"), Some("D3"), Some("D5")]);
        for (i, t) in deny.statements.iter().enumerate() {
            assert_eq!(deny.statements.get(i).as_deref(), Some(&*t));
        }
        assert!(deny.statements.get(5).is_none());
        assert_eq!(deny.statements.iter().len(), 5);
    }
}

/// Missing keys are gathered one by one while they are few and through a
/// map past that: either way a key met again in another case is the same
/// key, and a reference is listed once.
#[test]
fn many_missing_keys_are_each_listed_once() {
    let conditions: Vec<String> = (0..12).map(|i| format!(r#""aws:PrincipalTag/k{i}": "v""#)).collect();
    let text = scenario(
        &format!(
            r#"{{"identity": [{{"Statement": [
              {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {{"StringEquals": {{{}}}}}}},
              {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {{"StringEquals": {{"AWS:principaltag/K11": "v", "aws:PrincipalTag/K0": "w"}}}}}}]}}]}}"#,
            conditions.join(", ")
        ),
        "",
    );
    let a = answer(&text);
    let keys: Vec<&str> = a.missing_keys.iter().map(|m| m.key.as_str()).collect();
    let expected: Vec<String> = (0..12).map(|i| format!("aws:PrincipalTag/k{i}")).collect();
    assert_eq!(keys, expected);
    let references: Vec<usize> = a.missing_keys.iter().map(|m| m.referenced_by.len()).collect();
    let mut expected_refs = vec![1; 12];
    expected_refs[0] = 2;
    expected_refs[11] = 2;
    assert_eq!(references, expected_refs);
}

/// A reference to a missing key is listed once, however many times the
/// trace meets it: here a policy put in the set twice (the library lets a
/// caller do that), with more references to one key than are looked up
/// one by one.
#[test]
fn a_reference_met_twice_is_listed_once() {
    let statements: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {{"StringEquals": {{"custom:K": "v{i}"}}}}}}"#
            )
        })
        .collect();
    let text = scenario(&format!(r#"{{"identity": [{{"Statement": [{}]}}]}}"#, statements.join(", ")), "");
    let parsed = parse(&text, None);
    let mut scenario = parsed.scenario.unwrap();
    let once = crate::CompiledSet::new(&scenario.policies).evaluate(&scenario.request).unwrap().missing_keys;
    assert_eq!(once.len(), 1);
    assert_eq!(once[0].referenced_by.len(), 12);
    let named = scenario.policies.identity[0].clone();
    scenario.policies.insert(named);
    for answer in
        [crate::CompiledSet::new(&scenario.policies).evaluate(&scenario.request).unwrap(), scenario.evaluate().unwrap()]
    {
        assert_eq!(answer.missing_keys, once);
    }
}
