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
