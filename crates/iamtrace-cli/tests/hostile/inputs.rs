//! Hostile inputs, generated at test time (never committed): multi-megabyte
//! lines and files, a hundred thousand statements, deep nesting, huge
//! strings, invalid UTF-8, NUL bytes, a million-element array, wildcards
//! against long values, and files full of bad scenarios.

/// What a file holds: a scenario file (one, an array, or JSON Lines) or one
/// policy document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Scenario,
    Policy,
}

#[derive(Debug)]
pub struct Case {
    pub name: &'static str,
    pub what: What,
    pub bytes: Vec<u8>,
}

const MB: usize = 1 << 20;
const REQUEST: &str = r#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key"}"#;
const STATEMENT: &str = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key"}"#;

/// A scenario with these identity policies (JSON values, joined) and this request.
fn scenario(identity: &str, request: &str) -> String {
    format!(
        r#"{{"name": "hostile", "policies": {{"identity": [{identity}]}}, "request": {request}, "expected": "Allow"}}"#
    )
}

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

/// `item` repeated `n` times, separated by `sep`.
fn many(item: &str, sep: &str, n: usize) -> String {
    let mut s = String::with_capacity((item.len() + sep.len()) * n);
    for i in 0..n {
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(item);
    }
    s
}

/// `s` as a JSON string literal.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn case(name: &'static str, what: What, text: String) -> Case {
    Case { name, what, bytes: text.into_bytes() }
}

pub fn all() -> Vec<Case> {
    let mut out = Vec::new();
    // 1. Size: one 8 MB line, the same over many lines, and a policy file of either.
    let n = 8 * MB / (STATEMENT.len() + 1);
    let line = policy(&many(STATEMENT, ",", n));
    out.push(case("scenario-8mb-one-line", What::Scenario, scenario(&line, REQUEST)));
    let lines = policy(&many(STATEMENT, ",\n    ", n)).replace("[{", "[\n    {");
    out.push(case("scenario-8mb-many-lines", What::Scenario, scenario(&lines, REQUEST)));
    out.push(case("policy-8mb-one-line", What::Policy, line.clone()));
    out.push(case("policy-8mb-many-lines", What::Policy, lines));
    // A syntax error at the very end of an 8 MB line.
    out.push(case("scenario-8mb-error-at-end", What::Scenario, format!("{}}}", scenario(&line, REQUEST))));
    drop(line);

    // 2. Count: 100,000 statements, each with errors (under the size limit),
    // as a policy, inside a scenario, and as a policy string (escapes).
    let empty = policy(&many("{}", ",", 100_000));
    out.push(case("policy-100k-bad-statements", What::Policy, empty.clone()));
    out.push(case("scenario-100k-bad-statements", What::Scenario, scenario(&empty, REQUEST)));
    out.push(case("scenario-100k-bad-statements-string", What::Scenario, scenario(&quoted(&empty), REQUEST)));
    // As many valid statements as fit in the limit: evaluated, not refused.
    let valid = r#"{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}"#;
    let fit = policy(&many(valid, ",", (MB - 100) / (valid.len() + 1)));
    out.push(case("scenario-1mb-valid-statements", What::Scenario, scenario(&fit, REQUEST)));
    out.push(case("policy-1mb-valid-statements", What::Policy, fit));
    // 100,000 duplicate keys, each with a label pointing at the first.
    let dup = format!(r#"{{"Version": "2012-10-17", "Statement": [], {}}}"#, many(r#""Id":"a""#, ",", 100_000));
    out.push(case("policy-100k-duplicate-keys", What::Policy, dup));

    // 3. Depth: 10,000 levels, as a file and inside a policy condition.
    out.push(case("nesting-10k-arrays", What::Scenario, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))));
    out.push(case(
        "nesting-10k-objects",
        What::Scenario,
        format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000)),
    ));
    let deep = format!(
        r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringLike":{{"aws:userid":{}"x"{}}}}}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    out.push(case("policy-nesting-10k-condition", What::Policy, policy(&deep)));

    // 4. Huge strings: a 4 MB action, key and name; a megabyte of escapes.
    let action = format!(
        r#"{{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:{}", "resource": "*"}}"#,
        "A".repeat(4 * MB)
    );
    out.push(case("string-4mb-action", What::Scenario, scenario(&policy(STATEMENT), &action)));
    let key = format!(
        r#"{{"name": {}, "policies": {{}}, "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "context": {{{}: "v"}}}}}}"#,
        quoted(&"n".repeat(4 * MB)),
        quoted(&"k".repeat(4 * MB))
    );
    out.push(case("string-4mb-key-and-name", What::Scenario, key));
    let escapes = format!(
        r#"{{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "context": {{"aws:userid": "{}\ud800"}}}}"#,
        "\\u001b[2J".repeat(MB / 4)
    );
    out.push(case("string-escapes-and-lone-surrogate", What::Scenario, scenario(&policy(STATEMENT), &escapes)));

    // 5. Bytes that are not text.
    let mut bytes = scenario(&policy(&many(STATEMENT, ",", 40_000)), REQUEST).into_bytes();
    let mid = bytes.len() / 2;
    bytes.splice(mid..mid, [0xff, 0xfe, 0xc3]);
    out.push(Case { name: "invalid-utf8-middle", what: What::Scenario, bytes });
    let mut bytes = vec![0xc3; MB];
    bytes.extend(b"{}");
    out.push(Case { name: "invalid-utf8-start", what: What::Scenario, bytes });
    let mut nul = scenario(&policy(STATEMENT), REQUEST).into_bytes();
    nul.splice(10..10, vec![0u8; MB]);
    out.push(Case { name: "nul-bytes-in-a-string", what: What::Scenario, bytes: nul });
    out.push(Case { name: "nul-bytes-only", what: What::Scenario, bytes: vec![0; 4 * MB] });
    // Terminal control sequences and text-direction overrides in values that messages quote.
    let evil = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}";
    let st = format!(r#"{{"Sid":{q},"Effect":{q},"Action":{q},"Resource":{q}}}"#, q = quoted(evil));
    out.push(case("control-characters-in-messages", What::Scenario, scenario(&policy(&many(&st, ",", 2000)), REQUEST)));

    // 6. A million elements: scenarios, and a context value.
    out.push(case("array-1m-scenarios", What::Scenario, format!("[{}]", many("1", ",", 1_000_000))));
    let tags = |n: usize| {
        format!(
            r#"{{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "context": {{"aws:TagKeys": [{}]}}}}"#,
            many(r#""aaaaaaaa""#, ",", n)
        )
    };
    let cond = |patterns: &str| {
        format!(
            r#"{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"ForAnyValue:StringLike":{{"aws:TagKeys":[{patterns}]}}}}}}"#
        )
    };
    out.push(case("array-1m-context-values", What::Scenario, scenario(&policy(&cond(r#""*b*""#)), &tags(1_000_000))));
    // Every value against every pattern: 100,000 values and 100 patterns of
    // 500 stars (each pattern compiled once, not once per value).
    let patterns = many(&quoted(&format!("{}b", "*a".repeat(500))), ",", 100);
    out.push(case(
        "context-100k-values-times-patterns",
        What::Scenario,
        scenario(&policy(&cond(&patterns)), &tags(100_000)),
    ));

    // 7. Wildcards against long values, in Action, Resource and StringLike.
    let long = "a".repeat(MB);
    let request = format!(
        r#"{{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:{long}", "resource": "arn:aws:s3:::{long}", "context": {{"aws:userid": "{long}"}}}}"#
    );
    let wild = |p: &str| {
        format!(
            r#"{{"Effect":"Allow","Action":{a},"Resource":{r},"Condition":{{"StringLike":{{"aws:userid":{p}}}}}}}"#,
            a = quoted(&format!("s3:{p}")),
            r = quoted(&format!("arn:aws:s3:::{p}")),
            p = quoted(p),
        )
    };
    let stars = format!("{}b", "*a".repeat(50_000));
    let statements = format!("{},{}", wild(&stars), wild(&format!("{}*", "a*".repeat(50_000))));
    out.push(case("wildcards-against-long-values", What::Scenario, scenario(&policy(&statements), &request)));
    out.push(case("policy-wildcards", What::Policy, policy(&statements)));
    // A run of 100,000 `?` (found by its literal part, not tried at every place).
    let marks = wild(&format!("*{}b*", "?".repeat(100_000)));
    out.push(case("question-marks-against-long-values", What::Scenario, scenario(&policy(&marks), &request)));

    // 8. Policies that are expensive to check: thousands of misspelt actions
    // and condition keys (each "did you mean" compares with a whole service),
    // of wildcards of one service and of resources (compared pairwise).
    let actions = (0..15_000).map(|i| format!(r#""s3:GetObjct{i}""#)).collect::<Vec<_>>().join(",");
    out.push(case(
        "policy-15k-misspelt-actions",
        What::Policy,
        policy(&format!(r#"{{"Effect":"Allow","Action":[{actions}],"Resource":"*"}}"#)),
    ));
    let keys = (0..20_000).map(|i| format!(r#""aws:PrincipalTg{i}":"x""#)).collect::<Vec<_>>().join(",");
    let keys = policy(&format!(
        r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{keys}}}}}}}"#
    ));
    // Evaluated, every key is missing from the request: the trace lists them.
    out.push(case("scenario-20k-missing-condition-keys", What::Scenario, scenario(&keys, REQUEST)));
    out.push(case("policy-20k-unknown-condition-keys", What::Policy, keys));
    let wild = (0..20_000).map(|i| format!(r#""s3:Get{i}Object*""#)).collect::<Vec<_>>().join(",");
    let res = (0..20_000).map(|i| format!(r#""arn:aws:s3:::b/k{i}""#)).collect::<Vec<_>>().join(",");
    out.push(case(
        "policy-20k-wildcards-and-resources",
        What::Policy,
        policy(&format!(r#"{{"Effect":"Allow","Action":[{wild}],"Resource":["arn:aws:s3:::b/*",{res}]}}"#)),
    ));

    // 9. Files of bad scenarios: at the limit, over it, with bad policies, as JSON Lines.
    out.push(case("bad-scenarios-10k", What::Scenario, format!("[{}]", many("{}", ",", 10_000))));
    let bad = scenario(&policy(r#"{"Effect":"allow","Action":"s3:Get Object","Resource":5}"#), REQUEST);
    out.push(case("bad-scenarios-5k-with-bad-policies", What::Scenario, format!("[\n{}\n]", many(&bad, ",\n", 5000))));
    out.push(case(
        "bad-scenarios-jsonl-10k",
        What::Scenario,
        many(r#"{"request": {"principal": 5, "action": "s3:GetObject"}}"#, "\n", 10_000),
    ));
    out.push(case("bad-scenarios-over-the-limit", What::Scenario, many("{}", "\n", 50_000)));
    out
}
