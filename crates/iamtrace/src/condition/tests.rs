use super::*;
use crate::policy::{parse_policy, PolicyKind};
use crate::request::Context;
use crate::trace::ConditionResult::{False, True};
use crate::DocId;

/// Evaluates the single condition of a one-statement identity policy.
fn eval(condition: &str, ctx: &[(&str, &str)], multi: &[(&str, &[&str])]) -> (ConditionResult, String) {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{condition}}}}}"#
    );
    let parsed = parse_policy(&text, PolicyKind::Identity, DocId(0));
    let policy = parsed.policy.unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
    let mut c = Context::new();
    for (k, v) in ctx {
        c.insert(*k, ContextValue::Single(Cow::Borrowed(v)), None);
    }
    for (k, vs) in multi {
        c.insert(*k, ContextValue::Multi(vs.iter().map(|v| Cow::Borrowed(*v)).collect()), None);
    }
    let cond = &policy.statements[0].conditions[0];
    let t = evaluate(cond, &Keys::new(&c), policy.variables_enabled(), Unsure::for_effect(policy.statements[0].effect));
    (t.result, t.reason())
}

fn r(condition: &str, ctx: &[(&str, &str)]) -> ConditionResult {
    eval(condition, ctx, &[]).0
}

fn rm(condition: &str, multi: &[(&str, &[&str])]) -> ConditionResult {
    eval(condition, &[], multi).0
}

#[test]
fn missing_keys() {
    assert_eq!(r(r#"{"StringEquals":{"k:a":"x"}}"#, &[]), False);
    assert_eq!(r(r#"{"StringNotEquals":{"k:a":"x"}}"#, &[]), True);
    assert_eq!(r(r#"{"StringEqualsIfExists":{"k:a":"x"}}"#, &[]), True);
    assert_eq!(r(r#"{"NotIpAddress":{"aws:SourceIp":"1.2.3.0/24"}}"#, &[]), True);
    assert_eq!(r(r#"{"ForAllValues:StringEquals":{"k:a":"x"}}"#, &[]), True);
    assert_eq!(r(r#"{"ForAnyValue:StringEquals":{"k:a":"x"}}"#, &[]), False);
    // set qualifiers ignore IfExists
    assert_eq!(r(r#"{"ForAnyValue:StringEqualsIfExists":{"k:a":"x"}}"#, &[]), False);
    assert_eq!(r(r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#, &[]), False);
    assert_eq!(r(r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#, &[]), True);
}

#[test]
fn present_keys_and_negation_is_nor() {
    let c = r#"{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-west-2"]}}"#;
    assert_eq!(r(c, &[("aws:RequestedRegion", "us-east-1")]), True);
    assert_eq!(r(c, &[("aws:RequestedRegion", "eu-west-2")]), False);
    assert_eq!(
        r(r#"{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}"#, &[("ec2:InstanceType", "m2.micro")]),
        False
    );
    assert_eq!(r(r#"{"StringEquals":{"AWS:USERNAME":"alice"}}"#, &[("aws:username", "alice")]), True);
}

#[test]
fn set_operators() {
    let all = r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#;
    assert_eq!(rm(all, &[("aws:TagKeys", &["environment"])]), True);
    assert_eq!(rm(all, &[("aws:TagKeys", &["environment", "dept"])]), False);
    assert_eq!(rm(all, &[("aws:TagKeys", &[])]), True);
    let any = r#"{"ForAnyValue:StringEquals":{"aws:CalledVia":"dynamodb.amazonaws.com"}}"#;
    assert_eq!(rm(any, &[("aws:CalledVia", &["cloudformation.amazonaws.com", "dynamodb.amazonaws.com"])]), True);
    assert_eq!(rm(any, &[("aws:CalledVia", &[])]), False);
    let none = r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#;
    assert_eq!(rm(none, &[("aws:TagKeys", &["a", "b"])]), True);
    assert_eq!(rm(none, &[("aws:TagKeys", &["a", "secret"])]), False);
    let any_not = r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}"#;
    assert_eq!(rm(any_not, &[("aws:TagKeys", &["env", "team"])]), True);
    assert_eq!(rm(any_not, &[("aws:TagKeys", &["env"])]), False);
    // a single value is a one-element set
    assert_eq!(r(r#"{"ForAnyValue:StringEquals":{"k:a":"x"}}"#, &[("k:a", "x")]), True);
}

#[test]
fn plain_operator_on_multivalued_key_takes_the_value_that_denies() {
    // In an Allow statement (the helper's policy) the open case is false,
    // for positive and negated operators alike: it never grants.
    let (res, reason) = eval(r#"{"StringEquals":{"aws:TagKeys":"a"}}"#, &[], &[("aws:TagKeys", &["a"])]);
    assert_eq!(res, False);
    assert!(reason.contains("the value that denies"), "{reason}");
    assert_eq!(rm(r#"{"StringNotEquals":{"aws:TagKeys":"a"}}"#, &[("aws:TagKeys", &["a"])]), False);
    // In a Deny statement it is true.
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:TagKeys":"a"}}}}"#;
    let policy = parse_policy(text, PolicyKind::Identity, DocId(0)).policy.unwrap();
    let mut c = Context::new();
    c.insert("aws:TagKeys", ContextValue::Multi(vec![Cow::Borrowed("a")]), None);
    let t = evaluate(
        &policy.statements[0].conditions[0],
        &Keys::new(&c),
        true,
        Unsure::for_effect(policy.statements[0].effect),
    );
    assert_eq!(t.result, True);
}

#[test]
fn null_operator() {
    assert_eq!(r(r#"{"Null":{"aws:TokenIssueTime":"true"}}"#, &[]), True);
    assert_eq!(r(r#"{"Null":{"aws:TokenIssueTime":"false"}}"#, &[]), False);
    assert_eq!(r(r#"{"Null":{"aws:TokenIssueTime":"false"}}"#, &[("aws:TokenIssueTime", "2020-01-01")]), True);
    assert_eq!(r(r#"{"Null":{"k:a":true}}"#, &[("k:a", "")]), True);
    assert_eq!(rm(r#"{"Null":{"aws:TagKeys":"false"}}"#, &[("aws:TagKeys", &["x"])]), True);
}

#[test]
fn variables_in_values() {
    let c = r#"{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}"#;
    let (res, reason) = eval(c, &[("s3:ExistingObjectTag/Team", "blue")], &[]);
    assert_eq!(res, True, "{reason}");
    assert!(reason.contains("dropped"));
    assert_eq!(r(c, &[("s3:ExistingObjectTag/Team", "blue"), ("aws:PrincipalTag/Team", "blue")]), False);
    let like = r#"{"StringLike":{"s3:prefix":"data${*}"}}"#;
    assert_eq!(r(like, &[("s3:prefix", "data*")]), True);
    assert_eq!(r(like, &[("s3:prefix", "database")]), False);
    let home = r#"{"StringLike":{"s3:prefix":["home/","home/${aws:username}/*"]}}"#;
    assert_eq!(r(home, &[("s3:prefix", "home/alice/x"), ("aws:username", "alice")]), True);
    assert_eq!(r(home, &[("s3:prefix", "home/alice/x")]), False);
}

#[test]
fn other_families() {
    assert_eq!(
        r(r#"{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}}"#, &[("aws:MultiFactorAuthAge", "4000")]),
        False
    );
    assert_eq!(r(r#"{"NumericLessThan":{"k:n":10}}"#, &[("k:n", "9.5")]), True);
    assert_eq!(
        r(
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}"#,
            &[("aws:CurrentTime", "2020-05-15T12:00:00Z")]
        ),
        True
    );
    assert_eq!(r(r#"{"Bool":{"aws:SecureTransport":"false"}}"#, &[("aws:SecureTransport", "False")]), True);
    assert_eq!(r(r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}"#, &[("aws:SourceIp", "203.0.113.200")]), True);
    assert_eq!(
        r(
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:someservice:*:111122223333:finance/*"}}"#,
            &[(
                "aws:SourceArn",
                "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
            )]
        ),
        False
    );
    assert_eq!(
        r(
            r#"{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::1:user/a"}}"#,
            &[("aws:PrincipalArn", "arn:aws:iam::1:user/b")]
        ),
        True
    );
    assert_eq!(r(r#"{"BinaryEquals":{"k:b":"QmluYXJ5"}}"#, &[("k:b", "QmluYXJ5")]), True);
}

#[test]
fn variables_are_literal_without_version() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k:a":"${aws:username}"}}}}"#;
    let policy = parse_policy(text, PolicyKind::Identity, DocId(0)).policy.unwrap();
    let mut c = Context::new();
    c.insert("k:a", ContextValue::Single("${aws:username}".into()), None);
    c.insert("aws:username", ContextValue::Single("alice".into()), None);
    let t = evaluate(&policy.statements[0].conditions[0], &Keys::new(&c), policy.variables_enabled(), Unsure(false));
    assert_eq!(t.result, True);
}

#[test]
fn many_values_against_like_patterns_decide_as_few_do() {
    // Over four request values the patterns are compiled once; the answers
    // are those of the value-by-value comparison.
    let few: &[&str] = &["dev-a", "x"];
    let many: &[&str] = &["x", "y", "z", "w", "dev-a", "v"];
    let none: &[&str] = &["x", "y", "z", "w", "v", "u"];
    for (cond, any_few, any_many, any_none) in [
        (r#"{"ForAnyValue:StringLike":{"aws:TagKeys":["dev-*","*?b*"]}}"#, True, True, False),
        (r#"{"ForAllValues:StringLike":{"aws:TagKeys":["dev-*","?"]}}"#, True, True, True),
        (r#"{"ForAnyValue:StringNotLike":{"aws:TagKeys":["*"]}}"#, False, False, False),
        (r#"{"ForAllValues:StringNotLike":{"aws:TagKeys":["d*"]}}"#, False, False, True),
    ] {
        assert_eq!(rm(cond, &[("aws:TagKeys", few)]), any_few, "{cond}");
        assert_eq!(rm(cond, &[("aws:TagKeys", many)]), any_many, "{cond}");
        assert_eq!(rm(cond, &[("aws:TagKeys", none)]), any_none, "{cond}");
    }
}
