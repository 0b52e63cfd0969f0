//! Every scenario of the corpus files under `tests/corpus` decides as expected.
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use iamtrace::Decision;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

#[test]
fn corpus_scenarios_decide_as_expected() {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "json" || e == "jsonl")) {
        let text = std::fs::read_to_string(path).unwrap();
        for parsed in iamtrace::walk::parse_file(&text, None) {
            // Chain scenarios (the credential walkthrough) are checked by `sts_chain.rs`.
            let iamtrace::walk::Parsed::Scenario(parsed) = parsed else { continue };
            let name = parsed.name.clone().unwrap_or_default();
            let Some(scenario) = parsed.scenario else {
                failures.push(format!("{}: {name}: invalid: {:?}", path.display(), parsed.diagnostics));
                continue;
            };
            let Some(expected) = scenario.expected else { continue };
            count += 1;
            match scenario.evaluate() {
                Ok(answer) if answer.decision == expected => {}
                Ok(answer) => failures.push(format!(
                    "{}: {name}: expected {expected}, got {}: {}",
                    path.file_name().unwrap().to_string_lossy(),
                    answer.decision,
                    answer.summary
                )),
                Err(d) => failures.push(format!("{name}: request error {d:?}")),
            }
        }
    }
    assert!(count >= 150, "only {count} scenarios with expectations");
    assert!(failures.is_empty(), "{} of {count} failed:\n{}", failures.len(), failures.join("\n"));
    let _ = Decision::Allow;
}

/// One reader: every corpus scenario, read as texts the way the page and the
/// JS module read it, decides exactly as the command line decides it, and
/// the compiled set's decision-only mode agrees with the full trace.
#[test]
fn texts_and_files_read_and_decide_alike() {
    let mut count = 0;
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let all: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for v in all.as_array().unwrap() {
            if v.get("chain").is_some() {
                continue;
            }
            let text = serde_json::to_string_pretty(v).unwrap();
            let parsed = iamtrace::parse_scenario(&text, None);
            let scenario = parsed.scenario.unwrap_or_else(|| panic!("{}: {:?}", path.display(), parsed.diagnostics));
            let answer = scenario.evaluate().unwrap();
            let compiled = iamtrace::CompiledSet::new(&scenario.policies);
            assert_eq!(compiled.decide(&scenario.request).unwrap(), answer.decision, "{text}");
            assert_eq!(compiled.evaluate(&scenario.request).unwrap(), answer, "{text}");
            let input = iamtrace::api::input_from_scenario(&text).unwrap_or_else(|d| panic!("{text}: {d:?}"));
            let out = iamtrace::api::evaluate(&input);
            assert_eq!(out.decision, Some(answer.decision), "{text}: {:?}", out.diagnostics);
            count += 1;
        }
    }
    assert!(count >= 200, "only {count} scenarios");
}

/// The same broken document gives the same first error, at the same place,
/// whoever reads it.
#[test]
fn texts_and_files_reject_alike() {
    let request = r#""principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*""#;
    let allow = r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#;
    for (text, code) in [
        (format!(r#"{{"request": {{{request}, "flags": {{"service_linked_role": 1}}}}}}"#), "scenario-wrong-type"),
        (format!(r#"{{"request": {{{request}, "contxt": {{}}}}}}"#), "scenario-unknown-field"),
        (format!(r#"{{"request": {{{request}, "context": {{"k": {{"a": 1}}}}}}}}"#), "request-invalid-context"),
        (
            format!(
                r#"{{"request": {{{request}, "context": {{"aws:SourceIp": "1.2.3.4", "AWS:sourceip": "5.6.7.8"}}}}}}"#
            ),
            "request-duplicate-context-key",
        ),
        (format!(r#"{{"policies": {{"identity": {{}}}}, "request": {{{request}}}}}"#), "scenario-wrong-type"),
        (
            format!(r#"{{"policies": {{"scp": [[{allow}], {allow}]}}, "request": {{{request}}}}}"#),
            "scenario-wrong-type",
        ),
        (r#"{"policies": {}}"#.to_owned(), "scenario-missing-request"),
        (format!(r#"{{"request": {{{request}}}, "expected": "allow"}}"#), "scenario-invalid-expected"),
        (format!(r#"{{"request": {{{request}}}}} trailing"#), "json-trailing-characters"),
    ] {
        let file = iamtrace::parse_scenario(&text, None);
        let first = file.diagnostics.iter().find(|d| d.is_error()).unwrap_or_else(|| panic!("{text}"));
        let texts = iamtrace::api::input_from_scenario(&text).unwrap_err();
        assert_eq!(first.code.as_str(), code, "{text}");
        assert_eq!((&texts.code, texts.span), (&first.code, first.span), "{text}");
    }
}
