use super::*;

#[test]
fn lists_are_shortened_for_messages() {
    let items: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(list_some(&items[..1], 3), "a");
    assert_eq!(list_some(&items[..2], 3), "a and b");
    assert_eq!(list_some(&items[..3], 3), "a, b and c");
    assert_eq!(list_some(&items, 3), "a, b, c and 1 more");
}

#[test]
fn every_rule_code_is_kebab_case_and_unique() {
    let mut seen = BTreeSet::new();
    for r in RULES {
        assert!(r.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", r.code);
        assert!(seen.insert(r.code), "duplicate {}", r.code);
    }
    assert_eq!(nearest_code("action-unknwn"), Some(Code::ActionUnknown));
}

#[test]
fn disabled_codes_are_not_reported() {
    let text = r#"{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#;
    let mut options = LintOptions::default();
    options.disable("missing-version");
    let codes: Vec<Code> = lint_text(text, PolicyKind::Identity, None, &options).into_iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::AllowWithNotAction]);
}
