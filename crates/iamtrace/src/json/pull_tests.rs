//! Tests of the pull reader.

use super::*;
use crate::diagnostic::Code;

#[test]
fn long_strings_are_scanned_exactly() {
    for n in [0, 1, 31, 32, 33, 64, 200] {
        let body = "a".repeat(n);
        same(&format!("\"{body}\""));
        same(&format!("\"{body}\\n{body}\""));
        same(&format!("\"{body}\u{1}\""));
        same(&format!("\"{body}"));
    }
}

#[test]
fn duplicates_are_reported_before_later_errors() {
    same("{\"\":\"\",\"\"");
    same("{\"a\":1,\"a\"");
}

#[test]
fn huge_objects_check_duplicates_in_linear_time() {
    let mut text = String::from("{");
    for i in 0..200_000 {
        text.push_str(&format!("\"k{i}\":0,"));
    }
    text.push_str("\"k199999\":1}");
    same(&text);
    let mut p = Pull::new(&text);
    assert_eq!(p.skip().unwrap_err().code, Code::JsonDuplicateKey);
}

#[test]
fn duplicate_keys_are_found_through_escapes() {
    let mut p = Pull::new(r#"{"Effect": 1, "\u0045ffect": 2}"#);
    assert_eq!(p.skip().unwrap_err().code, Code::JsonDuplicateKey);
}

/// The tree reader (built on `Pull::node`) and a reader that checks the
/// document with `Pull::skip` agree on every document.
fn same(text: &str) {
    let tree = super::super::parse(text);
    let mut p = Pull::new(text);
    let skipped = p.skip().and_then(|span| p.finish().map(|()| span)).map_err(|e| *e);
    match (tree, skipped) {
        (Ok(a), Ok(span)) => assert_eq!(a.span, span, "{text}"),
        (Err(a), Err(b)) => assert_eq!((a.code, a.span), (b.code, b.span), "{text}"),
        (a, b) => panic!("{text}: tree {a:?} vs skip {b:?}"),
    }
}

#[test]
fn agrees_with_the_tree_reader() {
    for t in [
        r#"{"a": [1, -2.5e3, true, null, {"b": "x\ny"}], "c": {}}"#,
        "[]",
        "  \"\\u00e9\\ud83d\\ude00\"  ",
        r#"{"Effect": "Allow", "Effect": "Deny"}"#,
        "{} x",
        "{\"a\" 1}",
        "[1,]",
        "{\"a\":1,}",
        "",
        "'x'",
        "tru",
        "01",
        "1.",
        "\"a\nb\"",
        "\"abc",
        "\"\\ud83d\"",
        "\"\\q\"",
        "{\"a\":1 \"b\":2}",
        "[1 2]",
    ] {
        same(t);
    }
}

#[test]
fn depth_is_limited() {
    let deep = "[".repeat(10_000);
    let mut p = Pull::new(&deep);
    assert_eq!(p.skip().unwrap_err().code, Code::JsonTooDeep);
}
