//! Invariants of the evaluator, checked on generated scenarios:
//! statement and policy order do not matter, adding a Deny never yields an
//! Allow, whitespace and key order do not matter, and with no policies only
//! the root user is allowed.
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use iamtrace::api::{self, ContextInput, FlagsInput, Input, PolicyText, RequestInput};
use iamtrace::Decision;
use proptest::prelude::*;
use serde_json::{json, Value};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:*",
    "s3:Get*",
    "iam:*",
    "*",
    "ec2:Describe*",
    "s3:GetObjec?",
    "sts:AssumeRole",
    // Upper case service prefix: the statement index compares prefixes in
    // lower case.
    "S3:List*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::*log*",
    "arn:aws:s3:::b/${aws:username}/*",
    "arn:aws:s3:::b*/${aws:username}/*",
    "arn:aws:s3:::prod-${aws:username}*",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:ec2:*",
];
const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:root",
    "arn:aws:sts::111122223333:assumed-role/AppRole/s1",
    "arn:aws:sts::111122223333:federated-user/fed",
    "arn:aws:iam::444455556666:user/bob",
    "anonymous",
    "sns.amazonaws.com",
];
const REQ_ACTIONS: &[&str] =
    &["s3:GetObject", "s3:PutObject", "iam:CreateUser", "ec2:DescribeInstances", "sts:AssumeRole", "s3:ListBucket"];
const REQ_RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::b/alice/x",
    "arn:aws:s3:::prod-logs/x",
    "*",
    "arn:aws:iam::111122223333:role/R",
];

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!({"StringEquals": {"aws:username": "alice"}}))),
        1 => Just(Some(json!({"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}))),
        1 => Just(Some(json!({"Bool": {"aws:SecureTransport": "true"}}))),
        1 => Just(Some(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))),
        1 => Just(Some(json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}}))),
        1 => Just(Some(json!({"Null": {"aws:TokenIssueTime": "true"}}))),
        1 => Just(Some(json!({"StringLikeIfExists": {"aws:PrincipalTag/team": "b*"}}))),
        1 => Just(Some(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:*"}}))),
    ]
}

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::sample::subsequence(ACTIONS, 1..4),
        prop::sample::subsequence(RESOURCES, 1..3),
        0u8..10,
        condition(),
        prop::sample::select(
            &[
                "*",
                "111122223333",
                "arn:aws:iam::111122223333:user/alice",
                "arn:aws:iam::111122223333:role/AppRole",
                "arn:aws:iam::444455556666:root",
            ][..],
        ),
    )
        .prop_map(move |(allow, actions, resources, not, cond, principal)| {
            let mut s = serde_json::Map::new();
            s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            let action_key = if not == 0 { "NotAction" } else { "Action" };
            let resource_key = if not == 1 { "NotResource" } else { "Resource" };
            s.insert(action_key.into(), json!(actions));
            s.insert(resource_key.into(), json!(resources));
            if with_principal {
                s.insert("Principal".into(), if principal == "*" { json!("*") } else { json!({"AWS": principal}) });
            }
            if let Some(c) = cond {
                s.insert("Condition".into(), c);
            }
            Value::Object(s)
        })
}

fn policy(with_principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(with_principal), 1..5)
        .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}))
}

#[derive(Debug, Clone)]
struct Case {
    identity: Vec<Value>,
    resource: Option<Value>,
    boundary: Option<Value>,
    session: Vec<Value>,
    scp: Vec<Value>,
    request: RequestInput,
}

fn request() -> impl Strategy<Value = RequestInput> {
    (
        prop::sample::select(PRINCIPALS),
        prop::sample::select(REQ_ACTIONS),
        prop::sample::select(REQ_RESOURCES),
        prop::option::of(prop::sample::select(&["111122223333", "444455556666"][..])),
        prop::collection::btree_map(
            prop::sample::select(
                &["aws:SecureTransport", "aws:SourceIp", "aws:RequestedRegion", "aws:PrincipalTag/team", "aws:TagKeys"]
                    [..],
            ),
            prop::sample::select(&["true", "203.0.113.9", "us-east-1", "blue", "env"][..]),
            0..4,
        ),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(principal, action, resource, account, ctx, service_linked_role)| RequestInput {
            principal: principal.into(),
            action: action.into(),
            resource: resource.into(),
            // `resource_account` is for ARNs without an account; one that
            // contradicts the ARN's is an error.
            resource_account: account
                .filter(|a| resource.split(':').nth(4).is_none_or(|r| r.is_empty() || r == *a))
                .map(str::to_owned),
            context: ctx
                .into_iter()
                .map(|(k, v)| {
                    let v = if k == "aws:TagKeys" {
                        ContextInput::Many(vec![v.to_owned()])
                    } else {
                        ContextInput::One(v.to_owned())
                    };
                    (k.to_owned(), v)
                })
                .collect(),
            flags: FlagsInput { service_linked_role, ..FlagsInput::default() },
            ..Default::default()
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(policy(false), 0..3),
        prop::option::of(policy(true)),
        prop::option::of(policy(false)),
        prop::collection::vec(policy(false), 0..2),
        prop::collection::vec(policy(false), 0..2),
        request(),
    )
        .prop_map(|(identity, resource, boundary, session, scp, request)| Case {
            identity,
            resource,
            boundary,
            session,
            scp,
            request,
        })
}

/// Serialises with the given whitespace, keys in an order chosen by `seed`.
fn write(v: &Value, seed: &mut u64, ws: &str, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            shuffle(&mut keys, seed);
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(ws);
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(ws);
                out.push(':');
                out.push_str(ws);
                write(&m[*k], seed, ws, out);
            }
            out.push_str(ws);
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(ws);
                }
                write(x, seed, ws, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn shuffle<T>(v: &mut [T], seed: &mut u64) {
    for i in (1..v.len()).rev() {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = (*seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}

fn text(v: &Value) -> PolicyText {
    PolicyText { name: None, text: v.to_string() }
}

fn input(c: &Case) -> Input {
    let mut i = Input::default();
    i.policies.identity = c.identity.iter().map(text).collect();
    i.policies.resource = c.resource.as_ref().map(text);
    i.policies.boundary = c.boundary.as_ref().map(text);
    i.policies.session = c.session.iter().map(text).collect();
    if !c.scp.is_empty() {
        i.policies.scp = vec![c.scp.iter().map(text).collect()];
    }
    i.request = c.request.clone();
    i
}

fn decide(i: &Input) -> Decision {
    let out = api::evaluate(i);
    out.decision.unwrap_or_else(|| panic!("generated scenario did not evaluate: {:?}", out.diagnostics))
}

fn map_policies(c: &Case, mut f: impl FnMut(&Value) -> Value) -> Case {
    let mut c = c.clone();
    c.identity = c.identity.iter().map(&mut f).collect();
    c.resource = c.resource.as_ref().map(&mut f);
    c.boundary = c.boundary.as_ref().map(&mut f);
    c.session = c.session.iter().map(&mut f).collect();
    c.scp = c.scp.iter().map(&mut f).collect();
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn statement_order_does_not_matter(c in case(), seed in any::<u64>()) {
        let mut s = seed;
        let shuffled = map_policies(&c, |p| {
            let mut p = p.clone();
            if let Some(st) = p["Statement"].as_array_mut() {
                shuffle(st, &mut s);
            }
            p
        });
        prop_assert_eq!(decide(&input(&c)), decide(&input(&shuffled)));
    }

    #[test]
    fn policy_order_does_not_matter(c in case(), seed in any::<u64>()) {
        let mut s = seed;
        let mut shuffled = c.clone();
        shuffle(&mut shuffled.identity, &mut s);
        shuffle(&mut shuffled.session, &mut s);
        shuffle(&mut shuffled.scp, &mut s);
        prop_assert_eq!(decide(&input(&c)), decide(&input(&shuffled)));
    }

    #[test]
    fn adding_a_deny_never_allows(c in case(), extra in statement(false), target in 0usize..6) {
        let before = decide(&input(&c));
        let mut deny = extra;
        deny["Effect"] = json!("Deny");
        let mut with_deny = c.clone();
        let push = |p: &mut Value, s: &Value| {
            if let Some(st) = p["Statement"].as_array_mut() { st.push(s.clone()); }
        };
        let mut rbp_deny = deny.clone();
        rbp_deny["Principal"] = json!("*");
        match target {
            0 => match with_deny.identity.first_mut() { Some(p) => push(p, &deny), None => with_deny.identity.push(json!({"Statement": [deny]})) },
            1 => match with_deny.resource.as_mut() { Some(p) => push(p, &rbp_deny), None => with_deny.resource = Some(json!({"Statement": [rbp_deny]})) },
            2 => if let Some(p) = with_deny.boundary.as_mut() { push(p, &deny) },
            3 => if let Some(p) = with_deny.session.first_mut() { push(p, &deny) },
            4 => if let Some(p) = with_deny.scp.first_mut() { push(p, &deny) },
            _ => with_deny.identity.push(json!({"Statement": [deny]})),
        }
        let after = decide(&input(&with_deny));
        prop_assert!(before == Decision::Allow || after != Decision::Allow, "deny turned {before:?} into {after:?}");
    }

    #[test]
    fn whitespace_and_key_order_do_not_matter(c in case(), seed in any::<u64>(), ws in prop::sample::select(&["", " ", "\n  ", "\t", "\r\n"][..])) {
        let mut s = seed;
        let reformatted = input(&c);
        let mut i2 = reformatted.clone();
        let re = |p: &mut PolicyText, s: &mut u64| {
            let v: Value = serde_json::from_str(&p.text).unwrap();
            let mut out = String::from(ws);
            write(&v, s, ws, &mut out);
            out.push_str(ws);
            p.text = out;
        };
        i2.policies.identity.iter_mut().for_each(|p| re(p, &mut s));
        i2.policies.session.iter_mut().for_each(|p| re(p, &mut s));
        if let Some(p) = i2.policies.resource.as_mut() { re(p, &mut s); }
        if let Some(p) = i2.policies.boundary.as_mut() { re(p, &mut s); }
        for level in &mut i2.policies.scp { level.iter_mut().for_each(|p| re(p, &mut s)); }
        let a = api::evaluate(&reformatted);
        let b = api::evaluate(&i2);
        prop_assert_eq!(a.decision, b.decision);
        let steps = |o: &api::Output<'_>| o.answer.as_ref().map(|a| a.trace.iter().map(|s| (s.stage, s.verdict, s.statements.len())).collect::<Vec<_>>());
        prop_assert_eq!(steps(&a), steps(&b));
    }

    #[test]
    fn no_policies_means_implicit_deny_except_root(r in request()) {
        let i = Input { request: r.clone(), ..Default::default() };
        let d = decide(&i);
        // Roles cannot be assumed by the root user; other accounts' resources need their policy.
        let assume_role = r.action.starts_with("sts:AssumeRole") && r.resource.contains(":role/");
        if r.principal.ends_with(":root") && !assume_role && r.resource_account.as_deref() != Some("444455556666") {
            prop_assert_eq!(d, Decision::Allow);
        } else {
            prop_assert_eq!(d, Decision::ImplicitDeny);
        }
    }

    #[test]
    fn evaluation_is_deterministic(c in case()) {
        let i = input(&c);
        let a = serde_json::to_string(&api::evaluate(&i)).unwrap();
        let b = serde_json::to_string(&api::evaluate(&i)).unwrap();
        prop_assert_eq!(a, b);
    }
}

/// RCP levels: Deny statements for every principal (`Principal: "*"`, as RCPs require).
fn rcp_levels() -> impl Strategy<Value = Vec<Vec<Value>>> {
    prop::collection::vec(
        prop::collection::vec(
            prop::collection::vec(statement(false), 1..3).prop_map(|sts| {
                let sts: Vec<Value> = sts
                    .into_iter()
                    .map(|mut s| {
                        s["Effect"] = json!("Deny");
                        s["Principal"] = json!("*");
                        s
                    })
                    .collect();
                json!({"Version": "2012-10-17", "Statement": sts})
            }),
            0..2,
        ),
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The decision-only mode of a compiled set and the full trace always
    /// reach the same decision (the statement index and the early stops of
    /// the decision-only mode change nothing), and a set prepared for one
    /// request answers as a compiled one.
    #[test]
    fn decision_only_and_full_trace_agree(
        c in case(),
        rcp in rcp_levels(),
        vpce in prop::option::of(policy(true)),
        detached in any::<bool>(),
        parent in any::<bool>(),
    ) {
        let mut i = input(&c);
        i.policies.rcp = rcp.iter().map(|l| l.iter().map(text).collect()).collect();
        i.policies.vpce = vpce.as_ref().map(text);
        i.request.flags.rcp_full_aws_access_detached = detached;
        if parent && i.request.principal.contains(":assumed-role/") {
            i.request.session_parent_arn = Some("arn:aws:iam::111122223333:role/path/AppRole".into());
        }
        let (set, diagnostics, _) = api::policy_set(&i);
        prop_assume!(!diagnostics.iter().any(|d| d.diagnostic.is_error()));
        let request = api::request(&i.request);
        let compiled = iamtrace::CompiledSet::new(&set);
        match (compiled.decide(&request), compiled.evaluate(&request)) {
            (Ok(fast), Ok(full)) => prop_assert_eq!(fast, full.decision),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (fast, full) => prop_assert!(false, "{fast:?} vs {:?}", full.map(|a| a.decision)),
        }
        // Prepared for one request (patterns matched from their text): the
        // same decision and the same trace, step for step.
        let once = iamtrace::CompiledSet::for_one_request(&set);
        prop_assert_eq!(once.decide(&request), compiled.decide(&request));
        match (once.evaluate(&request), compiled.evaluate(&request)) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|x| x.decision), b.map(|x| x.decision)),
        }
    }

    /// A request prepared once and asked of several sets answers as the
    /// request asked of each set afresh: nothing prepared depends on the
    /// policies of the first set it met.
    #[test]
    fn a_prepared_request_answers_every_set_alike(c in case(), other in case()) {
        let i = input(&c);
        let mut j = input(&other);
        j.request = i.request.clone();
        let (first, d1, _) = api::policy_set(&i);
        let (second, d2, _) = api::policy_set(&j);
        prop_assume!(!d1.iter().chain(&d2).any(|d| d.diagnostic.is_error()));
        let request = api::request(&i.request);
        let sets = [iamtrace::CompiledSet::new(&first), iamtrace::CompiledSet::new(&second)];
        match iamtrace::PreparedRequest::new(&request) {
            Ok(prepared) => {
                for set in &sets {
                    prop_assert_eq!(Ok(set.decide_prepared(&prepared)), set.decide(&request));
                    match set.evaluate(&request) {
                        Ok(afresh) => prop_assert_eq!(set.evaluate_prepared(&prepared), afresh),
                        Err(e) => prop_assert!(false, "prepared, but {e:?}"),
                    }
                }
            }
            Err(e) => prop_assert_eq!(sets[0].decide(&request), Err(e)),
        }
    }

    /// A request prepared once and asked for another action answers as the
    /// request written with that action, decision and trace alike, errors
    /// included (the actions where the caller's kind or the rules change
    /// with the action among them).
    #[test]
    fn a_request_prepared_for_another_action_answers_as_that_request(
        c in case(),
        other in case(),
        special in prop::sample::select(vec![
            "", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:AssumeRole", "sts:AssumeRoot",
            "sts:GetSessionToken", "kms:Decrypt", "kms:ScheduleKeyDeletion", "s3:PutBucketPolicy", "s3:get*", "bad",
        ]),
    ) {
        let i = input(&c);
        let (set, d, _) = api::policy_set(&i);
        prop_assume!(!d.iter().any(|d| d.diagnostic.is_error()));
        let set = iamtrace::CompiledSet::new(&set);
        let request = api::request(&i.request);
        let action = if special.is_empty() { other.request.action.clone() } else { special.to_owned() };
        let mut written = request.clone();
        written.action = iamtrace::Str::new(std::borrow::Cow::Borrowed(action.as_str()), iamtrace::Span::default());
        match iamtrace::PreparedRequest::new(&request) {
            Ok(prepared) => match prepared.with_action(&action, iamtrace::Span::default()) {
                Ok(asked) => {
                    prop_assert_eq!(asked.action(), action.as_str());
                    prop_assert_eq!(Ok(set.decide_prepared(&asked)), set.decide(&written));
                    match set.evaluate(&written) {
                        Ok(afresh) => prop_assert_eq!(set.evaluate_prepared(&asked), afresh),
                        Err(e) => prop_assert!(false, "prepared, but {e:?}"),
                    }
                }
                Err(e) => prop_assert_eq!(set.decide(&written), Err(e)),
            },
            Err(_) => prop_assume!(false),
        }
    }
}
