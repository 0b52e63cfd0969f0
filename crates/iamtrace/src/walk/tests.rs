use super::checks::{merge_tags, minified_len, name_chars};
use super::model::Text;
use super::*;
use crate::span::Span;

const USER: &str = r#"{"arn": "arn:aws:iam::111122223333:user/alice", "tags": {"team": "data"},
  "policies": [{"Statement": {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], "Resource": "*"}}]}"#;
const ROLE: &str = r#"{"arn": "arn:aws:iam::111122223333:role/team/Reader", "tags": {"team": "ops", "env": "prod"},
  "trust_policy": {"Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}},
  "policies": [{"name": "Read", "policy": {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}]}"#;

fn scenario(chain: &str, extra: &str) -> String {
    format!(r#"{{"name": "t", "entities": {{"users": [{USER}], "roles": [{ROLE}]}}, "chain": [{chain}]{extra}}}"#)
}

const CRED: &str = r#"{"credential": {"user": "arn:aws:iam::111122223333:user/alice"}}"#;

fn walk(text: &str) -> Walk {
    let p = parse(text, None);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    p.chain.unwrap().walk()
}

#[test]
fn assume_role_yields_the_session_aws_describes() {
    let chain = format!(
        r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/team/Reader", "role_session_name": "alice",
        "duration_seconds": 900, "tags": {{"Team": "data"}}, "transitive_tag_keys": ["Team"], "source_identity": "alice",
        "policy": {{"Statement": {{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}}}},
        {{"request": {{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}}}"#
    );
    let w = walk(&scenario(&chain, r#", "now": "2026-01-01T00:00:00Z""#));
    assert_eq!(w.decision, Decision::Allow, "{}", w.summary);
    assert_eq!(w.failed_hop, None);
    let hop = &w.hops[1];
    // AssumeRole, TagSession and SetSourceIdentity are each evaluated.
    let actions: Vec<&str> = hop.authorizations.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]);
    let c = hop.credential.as_ref().unwrap();
    assert_eq!(c.kind, CredentialKind::RoleSession);
    assert_eq!(c.principal, "arn:aws:sts::111122223333:assumed-role/Reader/alice");
    assert_eq!(c.session_parent_arn.as_deref(), Some("arn:aws:iam::111122223333:role/team/Reader"));
    assert_eq!(c.duration_seconds, Some(900));
    assert_eq!(c.session_policies, ["session policy 1 `inline session policy`"]);
    // The session tag overrides the role's tag of the same key, ignoring case; the other role tag stays.
    let tags: Vec<(&str, &str, bool, &str)> =
        c.tags.iter().map(|t| (t.key.as_str(), t.value.as_str(), t.transitive, t.from)).collect();
    assert_eq!(tags, [("env", "prod", false, "role"), ("Team", "data", true, "session")]);
    let key = |k: &str| c.context.iter().find(|x| x.key == k).map(|x| x.values.join(","));
    assert_eq!(key("aws:SourceIdentity").as_deref(), Some("alice"));
    assert_eq!(key("aws:TokenIssueTime").as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(key("aws:MultiFactorAuthPresent").as_deref(), Some("false"));
    assert!(c.cannot_call.iter().any(|x| x == "sts:GetSessionToken"));
    // The call's context carried the request tags and the session name.
    let trace = &hop.authorizations[0].answer;
    assert_eq!(trace.decision, Decision::Allow);
    // The request is evaluated as the session, with the role's policies and the session policy.
    let last = &w.hops[2].authorizations[0].answer;
    let facts = last.trace[0].request.as_ref().unwrap();
    assert_eq!(facts.principal, "arn:aws:sts::111122223333:assumed-role/Reader/alice");
}

#[test]
fn checks_fail_before_evaluation() {
    let chain = format!(
        r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/team/Reader", "role_session_name": "a b", "duration_seconds": 7200}}"#
    );
    let w = walk(&scenario(&chain, ""));
    let hop = &w.hops[1];
    assert_eq!(hop.outcome, Outcome::CheckFailed);
    assert!(hop.authorizations.is_empty(), "no policy is read once a check failed");
    let failed: Vec<&str> = hop.checks.iter().filter(|c| !c.passed).map(|c| c.code).collect();
    assert_eq!(failed, ["role-session-name", "duration-role-maximum"]);
    assert_eq!(w.decision, Decision::ImplicitDeny);
    assert_eq!(w.failed_hop, Some(1));
    assert!(hop.checks.iter().all(|c| c.source.starts_with("https://docs.aws.amazon.com/")));
}

#[test]
fn hops_after_a_failure_are_not_reached() {
    let chain = format!(
        r#"{CRED}, {{"call": "sts:GetSessionToken", "duration_seconds": 100}}, {{"request": {{"action": "s3:GetObject", "resource": "*"}}}}"#
    );
    let w = walk(&scenario(&chain, ""));
    let outcomes: Vec<Outcome> = w.hops.iter().map(|h| h.outcome).collect();
    assert_eq!(outcomes, [Outcome::Allow, Outcome::CheckFailed, Outcome::NotReached]);
    let v = serde_json::to_value(&w).unwrap();
    assert_eq!(v["failed_hop"], 1);
    assert_eq!(v["hops"][1]["outcome"], "check-failed");
    assert_eq!(v["hops"][1]["kind"], "get-session-token");
}

#[test]
fn reader_errors_point_at_their_place() {
    let cases = [
        (scenario(r#"{"request": {"action": "s3:GetObject", "resource": "*"}}"#, ""), "chain-shape", "{"),
        (
            scenario(
                &format!(
                    r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/Nope", "role_session_name": "x1"}}"#
                ),
                "",
            ),
            "chain-unknown-role",
            "\"arn:aws:iam::111122223333:role/Nope\"",
        ),
        (
            scenario(
                &format!(
                    r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/team/Reader", "rolesessionname": "x"}}"#
                ),
                "",
            ),
            "scenario-unknown-field",
            "\"rolesessionname\"",
        ),
        (
            scenario(&format!(r#"{CRED}, {{"call": "sts:AssumeRoleWithSAML"}}"#), ""),
            "chain-unknown-call",
            "\"sts:AssumeRoleWithSAML\"",
        ),
        (
            scenario(
                &format!(
                    r#"{CRED}, {{"request": {{"action": "sts:AssumeRoot", "resource": "arn:aws:iam::444455556666:root"}}}}"#
                ),
                "",
            ),
            "chain-shape",
            "\"sts:AssumeRoot\"",
        ),
        (
            scenario(
                &format!(
                    r#"{CRED}, {{"request": {{"action": "sts:assumerole", "resource": "arn:aws:iam::111122223333:role/team/Reader"}}}}"#
                ),
                "",
            ),
            "chain-shape",
            "\"sts:assumerole\"",
        ),
        (
            scenario(
                &format!(
                    r#"{CRED}, {{"request": {{"action": "sqs:SendMessage", "resource": "arn:aws:sqs:us-east-1:444455556666:q", "resource_account": "111122223333"}}}}"#
                ),
                "",
            ),
            "request-inconsistent-resource-account",
            "\"111122223333\"",
        ),
        (scenario(CRED, r#", "expected_hops": ["Allow", "Allow"]"#), "chain-expected-hops", "\"chain\""),
        (scenario(CRED, r#", "expected_hops": ["Maybe"]"#), "chain-invalid-expected", "\"Maybe\""),
    ];
    for (text, code, at) in cases {
        let p = parse(&text, None);
        assert!(p.chain.is_none(), "{code}");
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code)
            .unwrap_or_else(|| panic!("{code}: {:?}", p.diagnostics));
        let got = d.span.slice(&text);
        assert!(got.starts_with(at), "{code}: points at {got:?}");
    }
}

#[test]
fn a_chain_needs_no_request_and_old_scenarios_keep_their_meaning() {
    let only_credential = scenario(CRED, "");
    let p = parse(&only_credential, None);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let plain =
        r#"{"request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*"}}"#;
    assert!(!has_chain(plain));
    let one = parse_file(plain, None);
    assert!(matches!(one.as_slice(), [Parsed::Scenario(s)] if s.scenario.is_some()));
    let mixed = format!("[{plain}, {}]", scenario(CRED, ""));
    assert!(has_chain(&mixed));
    let all = parse_file(&mixed, None);
    assert!(matches!(all.as_slice(), [Parsed::Scenario(_), Parsed::Chain(_)]));
    // Spans of the second entry map back into the file.
    if let [_, Parsed::Chain(c)] = all.as_slice() {
        let crate::scenario::Origin::Root { base } = c.docs[0].origin else { panic!() };
        assert_eq!(&mixed[base as usize..base as usize + 1], "{");
    }
    let lines = format!("{plain}\n{}\n", scenario(CRED, "").replace('\n', " "));
    assert!(has_chain(&lines));
    assert_eq!(parse_file(&lines, None).len(), 2);
    // The key spelled with an escape is still found; the word elsewhere is not a key.
    let escaped = scenario(CRED, "").replacen("\"chain\"", "\"ch\\u0061in\"", 1);
    assert!(escaped.contains("ch\\u0061in") && has_chain(&escaped));
    assert!(!has_chain(&plain.replace("\"*\"", "\"arn:aws:s3:::chain/\\\"chain\\\"\"")));
}

#[test]
fn helpers_follow_the_documented_rules() {
    assert!(name_chars("alice.smith@example.com_+=,-"));
    assert!(!name_chars("a b") && !name_chars("a/b"));
    assert_eq!(minified_len("{ \"a\" : \" x y \" }"), "{\"a\":\" x y \"}".len());
    let t = |s: &str| Text { text: s.into(), span: Span::default() };
    let inherited = [SessionTag { key: "Star".into(), value: "1".into(), transitive: true, from: "session" }];
    let role = [("star".to_owned(), "3".to_owned()), ("Sun".to_owned(), "2".to_owned())];
    let merged = merge_tags(&role, "role", &inherited, &[(t("moon"), t("4"))], &[]);
    let got: Vec<(&str, &str, &str)> = merged.iter().map(|x| (x.key.as_str(), x.value.as_str(), x.from)).collect();
    // An inherited transitive tag overrides the role's tag of the same key (ignoring case).
    assert_eq!(got, [("Sun", "2", "role"), ("Star", "1", "inherited"), ("moon", "4", "session")]);
}

#[test]
fn session_tags_follow_the_naming_rules() {
    let failed = |tags: &str| {
        let chain = format!(
            r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/team/Reader", "role_session_name": "s1", "tags": {tags}}}"#
        );
        let w = walk(&scenario(&chain, ""));
        w.hops[1].checks.iter().filter(|c| !c.passed).map(|c| c.code).collect::<Vec<_>>()
    };
    assert!(failed(r#"{"project": "blue sky", "cost center": "42"}"#).is_empty());
    assert_eq!(failed(r#"{"aws:team": "x"}"#), ["session-tag-reserved-prefix"]);
    assert_eq!(failed(r#"{"team": "AWS:x"}"#), ["session-tag-reserved-prefix"]);
    // Separators are spaces; a tab or a line break is not in STS's pattern.
    assert_eq!(failed(r#"{"a\tb": "x"}"#), ["session-tag-characters"]);
}

#[test]
fn truncated_and_mangled_input_never_panics() {
    let chain = format!(
        r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/team/Reader", "role_session_name": "x1",
        "tags": {{"a": "b"}}, "policy_arns": ["arn=arn:aws:iam::aws:policy/Nope"]}}, {{"request": {{"action": "s3:GetObject", "resource": "*"}}}}"#
    );
    let text = scenario(&chain, r#", "expected_hops": ["Allow", {"outcome": "Allow"}, "Allow"]"#);
    for end in (0..text.len()).filter(|i| text.is_char_boundary(*i)) {
        let cut = &text[..end];
        for parsed in parse_file(cut, None) {
            if let Parsed::Chain(p) = parsed {
                if let Some(c) = p.chain {
                    let w = c.walk();
                    let _ = c.check(&w);
                }
            }
        }
        let swapped = cut.replace("sts:AssumeRole", "sts:GetFederationToken").replace("900", "-1");
        let _ = parse(&swapped, None).chain.map(|c| c.walk());
    }
}

/// Every authorization re-evaluated from [`Evaluated::input`] gives the
/// walk's answer: the same decision, steps and statements, spans shifted by
/// where each policy starts in its document.
#[test]
fn authorizations_re_evaluate_to_the_same_answer() {
    let chain = format!(
        r#"{CRED}, {{"call": "sts:AssumeRole", "role_arn": "arn:aws:iam::111122223333:role/team/Reader", "role_session_name": "alice",
        "tags": {{"Team": "data"}}, "source_identity": "alice",
        "policy": {{"Statement": {{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}}}},
        {{"request": {{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resource_account": "111122223333"}}}}"#
    );
    let text = scenario(
        &chain,
        r#", "policies": {"scp": [[{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}]]}"#,
    );
    let p = parse(&text, None);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let w = p.chain.as_ref().unwrap().walk();
    let mut seen = 0;
    for a in w.hops.iter().flat_map(|h| &h.authorizations) {
        let input = a.evaluated.input(&p.docs).expect("spans fit");
        let again = crate::api::evaluate(&input).answer.expect("evaluates");
        assert_eq!(again.decision, a.answer.decision, "{}", a.action);
        assert_eq!(again.summary, a.answer.summary);
        assert_eq!(again.trace.len(), a.answer.trace.len());
        for (x, y) in again.trace.iter().zip(&a.answer.trace) {
            assert_eq!((x.stage, x.verdict, x.decisive, &x.summary), (y.stage, y.verdict, y.decisive, &y.summary));
            assert_eq!(x.statements.len(), y.statements.len());
            for (s, t) in x.statements.iter().zip(&y.statements) {
                assert_eq!(s.applies, t.applies);
                let base = a
                    .evaluated
                    .policies
                    .iter()
                    .find(|(r, _)| {
                        r.kind == t.statement.policy.kind
                            && r.index == t.statement.policy.index
                            && r.level == t.statement.policy.level
                    })
                    .unwrap()
                    .1
                    .start;
                assert_eq!(s.statement.span.start + base, t.statement.span.start);
            }
        }
        seen += 1;
    }
    // AssumeRole, TagSession, SetSourceIdentity, then the request.
    assert_eq!(seen, 4);
}
