//! The JS module as JavaScript sees it (runs in Node via wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use iamtrace::api;
use iamtrace_wasm::{evaluate, evaluate_scenario, import_cloudtrail, scenario_to_input, version, walk_scenario};
use js_sys::{Object, Reflect, JSON};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CORPORA: [&str; 2] =
    [include_str!("../../../tests/corpus/aws-docs.json"), include_str!("../../../tests/corpus/semantics.json")];
const FIXTURES: &str = include_str!("fixtures.json");

/// What JavaScript would see, as JSON (`undefined` would be dropped, so
/// every field the module sets is a real value).
fn seen(v: &JsValue) -> Value {
    let text = JSON::stringify(v).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

fn js(v: &Value) -> JsValue {
    JSON::parse(&v.to_string()).unwrap()
}

fn scenarios() -> Vec<Value> {
    let mut all = Vec::new();
    for text in CORPORA.iter().chain([&FIXTURES]) {
        let Value::Array(items) = serde_json::from_str(text).unwrap() else { panic!("a corpus is an array") };
        all.extend(items);
    }
    all
}

#[wasm_bindgen_test]
fn evaluates_a_scenario() {
    let scenario = json!({
        "policies": {"identity": [{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}]},
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}
    });
    let out = seen(&evaluate_scenario(JsValue::from_str(&scenario.to_string())));
    assert_eq!(out["decision"], "Allow");
    assert_eq!(out["answer"]["decision"], "Allow");
    let stages: Vec<&str> =
        out["answer"]["trace"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(stages.first(), Some(&"request"));
    assert_eq!(stages.last(), Some(&"decision"));
    assert_eq!(out["diagnostics"], json!([]));
    assert!(!version().is_empty());
}

/// The JS value of every output equals the serde JSON of `api::evaluate`:
/// maps are plain objects, `None` is `null`, numbers are numbers. Together
/// with the TypeScript check of those outputs (tests/types/check.mjs), this
/// keeps `types.d.ts` honest.
#[wasm_bindgen_test]
fn outputs_are_exactly_the_serde_json() {
    let all = scenarios();
    assert!(all.len() > 150, "the corpora are there");
    for scenario in all {
        let text = scenario.to_string();
        let input = api::input_from_scenario(&text).unwrap();
        let expected = serde_json::to_value(api::evaluate(&input)).unwrap();
        let from_scenario = evaluate_scenario(JsValue::from_str(&text));
        assert!(Object::try_from(&from_scenario).is_some(), "a plain object, not a Map");
        assert_eq!(seen(&from_scenario), expected, "evaluateScenario of {}", scenario["name"]);
        // `scenarioToInput` then `evaluate` is the same as `evaluateScenario`.
        let parsed = seen(&scenario_to_input(JsValue::from_str(&text)));
        assert_eq!(parsed["input"], serde_json::to_value(&input).unwrap());
        assert_eq!(seen(&evaluate(js(&parsed["input"]))), expected, "evaluate of {}", scenario["name"]);
    }
}

#[wasm_bindgen_test]
fn absent_options_are_null_and_context_is_an_object() {
    let input = json!({
        "policies": {"identity": [{"name": "Broken", "text": "{\"Statement\": {\"Effect\": \"allow\"}}"}]},
        "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*", "context": {"aws:SecureTransport": "true", "aws:TagKeys": ["a", "b"]}}
    });
    let out = evaluate(js(&input));
    assert!(Reflect::get(&out, &"decision".into()).unwrap().is_null());
    assert!(Reflect::get(&out, &"answer".into()).unwrap().is_null());
    let out = seen(&out);
    let d = &out["diagnostics"][0];
    assert_eq!(d["severity"], "ERROR");
    assert_eq!(d["slot"], json!({"in": "policy", "kind": "identity", "index": 0}));
    assert_eq!((d["start"]["line"].as_u64(), d["start"]["utf16_column"].as_u64()), (Some(1), Some(26)));
    // The context (a `BTreeMap`) round-trips as a plain object.
    let parsed = seen(&scenario_to_input(JsValue::from_str(&json!({"request": input["request"]}).to_string())));
    assert_eq!(parsed["input"]["request"]["context"], input["request"]["context"]);
}

fn error_of(v: &JsValue) -> Value {
    assert!(Reflect::get(v, &"decision".into()).unwrap().is_undefined(), "an error has no decision");
    let out = seen(v);
    assert_eq!(out.as_object().unwrap().len(), 1, "only `error`: {out}");
    out["error"].clone()
}

#[wasm_bindgen_test]
fn bad_input_shapes_are_error_values() {
    let not_objects = [
        (JsValue::UNDEFINED, "undefined"),
        (JsValue::NULL, "null"),
        (JsValue::from_f64(1.0), "number"),
        (JsValue::from_str("{}"), "string"),
        (JsValue::TRUE, "boolean"),
    ];
    for (bad, found) in not_objects {
        let e = error_of(&evaluate(bad));
        assert_eq!(e["code"], "input-invalid");
        assert_eq!(e["message"], format!("expected an `Input` object, found {found}"));
        assert!(e["help"].is_string());
    }
    let e = error_of(&evaluate(js(&json!([]))));
    assert_eq!(e["message"], "expected an `Input` object, found an array");
    // Numbers and booleans in the context are read as their text, as in the scenario format.
    let ok = evaluate(js(
        &json!({"request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject",
        "resource": "*", "context": {"aws:MultiFactorAuthAge": 300, "aws:SecureTransport": true, "aws:TagKeys": ["a", 1]}}}),
    ));
    assert_eq!(seen(&ok)["decision"], "ImplicitDeny");
    let cases = [
        (json!({"request": {"principal": 42}}), "request.principal"),
        (json!({"request": {"context": {"aws:SecureTransport": {"a": 1}}}}), "request.context.aws:SecureTransport"),
        (json!({"request": {"context": {"aws:MultiFactorAuthAge": null}}}), "request.context.aws:MultiFactorAuthAge"),
        (json!({"policies": {"identity": "{}"}}), "policies.identity"),
        (json!({"policies": {"identity": [{"text": {"Statement": []}}]}}), "policies.identity[0].text"),
        (json!({"policies": {"scp": [{"text": "{}"}]}}), "policies.scp[0]"),
        (json!({"expected": "Maybe"}), "expected"),
    ];
    for (input, path) in cases {
        let e = error_of(&evaluate(js(&input)));
        assert_eq!(e["code"], "input-invalid", "{input}");
        assert_eq!(e["path"], path, "{input}: {e}");
    }
}

#[wasm_bindgen_test]
fn bad_scenarios_are_error_values_with_positions() {
    let e = error_of(&evaluate_scenario(JsValue::from_f64(3.0)));
    assert_eq!(e["code"], "input-not-a-string");
    assert_eq!(e["message"], "a scenario must be a JSON string, found number");
    let e = error_of(&evaluate_scenario(JsValue::UNDEFINED));
    assert_eq!(e["code"], "input-not-a-string");
    let e = error_of(&evaluate_scenario(JsValue::from_str("{\n  \"request\": {,}\n}")));
    assert!(e["code"].as_str().unwrap().starts_with("json-"), "{e}");
    assert_eq!((e["start"]["line"].as_u64(), e["start"]["column"].as_u64()), (Some(2), Some(15)), "{e}");
    let e = error_of(&evaluate_scenario(JsValue::from_str("[]")));
    assert_eq!(e["code"], "scenario-wrong-type");
    let e = error_of(&scenario_to_input(JsValue::from_str("")));
    assert!(e["start"].is_object());
}

#[wasm_bindgen_test]
fn request_errors_are_diagnostics() {
    let out = seen(&evaluate(js(
        &json!({"policies": {}, "request": {"principal": "bob", "action": "s3:GetObject", "resource": "*"}}),
    )));
    assert_eq!(out["decision"], Value::Null);
    assert_eq!(out["diagnostics"][0]["slot"], json!({"in": "request", "field": "principal"}));
}

/// The chain corpus walks in JavaScript as the core walks it (chains that
/// name a managed policy are error values: the module has no AWS data).
#[wasm_bindgen_test]
fn walks_chain_scenarios_like_the_core() {
    let Value::Array(items) = serde_json::from_str(include_str!("../../../tests/corpus/sts-chain.json")).unwrap()
    else {
        panic!("a corpus is an array")
    };
    let mut walked = 0;
    for scenario in items {
        let text = scenario.to_string();
        let out = seen(&walk_scenario(JsValue::from_str(&text)));
        if let Some(e) = out.get("error") {
            assert_eq!(e["code"], "policy-managed-unavailable", "{}: {e}", scenario["name"]);
            continue;
        }
        let core = iamtrace::walk::walk_text(&text, None).unwrap();
        assert_eq!(out, serde_json::to_value(&core).unwrap(), "{}", scenario["name"]);
        walked += 1;
    }
    assert!(walked > 60, "{walked}");
    let bad = seen(&walk_scenario(JsValue::from_str(r#"{"chain": [{"credential": {"user": 3}}]}"#)));
    assert_eq!(bad["error"]["start"]["column"], 36, "{bad}");
}

#[wasm_bindgen_test]
fn imports_cloudtrail_like_the_core() {
    let text = include_str!("../../iamtrace/tests/cloudtrail/iam-user-get-object-denied.json");
    let out = seen(&import_cloudtrail(JsValue::from_str(text)));
    assert_eq!(out, serde_json::to_value(iamtrace::cloudtrail::import(text)).unwrap());
    assert_eq!(out["events"][0]["request"]["action"], "s3:GetObject");
    assert_eq!(out["events"][0]["aws_denial"]["kind"], "explicit");
    let bad = seen(&import_cloudtrail(JsValue::from_f64(1.0)));
    assert_eq!(bad["error"]["code"], "input-not-a-string");
}
