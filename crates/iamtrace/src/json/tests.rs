use super::*;
use crate::diagnostic::Code;

fn err(text: &str) -> crate::Diagnostic {
    parse(text).expect_err("should fail")
}

fn snippet<'t>(text: &'t str, d: &crate::Diagnostic) -> &'t str {
    d.span.slice(text)
}

#[test]
fn parses_values_with_spans() {
    let text = r#" {"a": [1, -2.5e3, true, null], "b": "x\ny"} "#;
    let node = parse(text).unwrap();
    assert_eq!(node.span.slice(text), r#"{"a": [1, -2.5e3, true, null], "b": "x\ny"}"#);
    let a = node.get("a").unwrap();
    assert_eq!(a.span.slice(text), "[1, -2.5e3, true, null]");
    let items = a.as_array().unwrap();
    assert_eq!(items[1].value, Value::Number("-2.5e3"));
    assert_eq!(items[1].span.slice(text), "-2.5e3");
    assert_eq!(node.get("b").unwrap().as_str(), Some("x\ny"));
    let members = node.as_object().unwrap();
    assert_eq!(members[1].key_span.slice(text), "\"b\"");
}

#[test]
fn strings_without_escapes_borrow() {
    let node = parse(r#""plain""#).unwrap();
    assert!(matches!(node.value, Value::String(std::borrow::Cow::Borrowed("plain"))));
}

#[test]
fn unicode_escapes_and_surrogate_pairs() {
    let node = parse(r#""\u00e9\ud83d\ude00\/""#).unwrap();
    assert_eq!(node.as_str(), Some("é😀/"));
    assert_eq!(err(r#""\ud83d""#).code, Code::JsonSyntax);
    assert_eq!(err(r#""\ude00x""#).code, Code::JsonSyntax);
    assert_eq!(err(r#""\u12g4""#).code, Code::JsonSyntax);
}

#[test]
fn duplicate_keys_point_at_the_second_and_label_the_first() {
    let text = r#"{"Effect": "Allow", "Effect": "Deny"}"#;
    let d = err(text);
    assert_eq!(d.code, Code::JsonDuplicateKey);
    assert_eq!(d.span.start as usize, text.rfind("\"Effect\"").unwrap());
    assert_eq!(d.labels[0].span.start, 1);
    assert!(d.message.contains("`Effect`"));
}

#[test]
fn duplicate_keys_in_large_objects() {
    let mut text = String::from("{");
    for i in 0..40 {
        text.push_str(&format!("\"k{i}\": {i},"));
    }
    text.push_str("\"k7\": 0}");
    assert_eq!(err(&text).code, Code::JsonDuplicateKey);
}

#[test]
fn trailing_garbage_is_an_error() {
    let text = "{} x";
    let d = err(text);
    assert_eq!(d.code, Code::JsonTrailingCharacters);
    assert_eq!(snippet(text, &d), "x");
}

#[test]
fn syntax_errors_say_what_was_expected() {
    let text = "{\"a\" 1}";
    let d = err(text);
    assert!(d.message.contains("expected `:`"), "{}", d.message);
    assert_eq!(snippet(text, &d), "1");
    assert_eq!(err("[1,]").code, Code::JsonTrailingComma);
    assert!(err("{\"a\":1,}").message.contains("key in double quotes"));
    assert!(err("").message.contains("end of the input"));
    assert!(err("'x'").help.unwrap().contains("double quotes"));
    assert!(err("tru").message.contains("`tru`"));
    assert!(err("01").message.contains("invalid number"));
    assert!(err("1.").message.contains("invalid number"));
    assert!(err("\"a\nb\"").message.contains("line break"));
    assert!(err("\"abc").message.contains("unterminated"));
}

#[test]
fn deep_nesting_is_rejected_without_overflow() {
    let text = "[".repeat(10_000) + &"]".repeat(10_000);
    let d = err(&text);
    assert_eq!(d.code, Code::JsonTooDeep);
    let obj = "{\"a\":".repeat(10_000);
    assert_eq!(err(&obj).code, Code::JsonTooDeep);
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&ok).is_ok());
}

#[test]
fn invalid_utf8_reports_the_byte() {
    let d = parse_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
    assert_eq!(d.code, Code::JsonInvalidUtf8);
    assert_eq!(d.span.start, 7);
}

#[test]
fn multi_megabyte_input_parses_linearly() {
    let mut text = String::from("[");
    for i in 0..200_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str("\"arn:aws:s3:::bucket/key\"");
    }
    text.push(']');
    assert!(text.len() > 4_000_000);
    let node = parse(&text).unwrap();
    assert_eq!(node.as_array().unwrap().len(), 200_000);
}
