//! Every lint code of the catalogue is listed by `iamtrace lint --list` (with
//! its category and description) and in the README's table of checks.
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;

use iamtrace::diagnostic::Code;
use iamtrace::lint::RULES;

#[test]
fn list_names_every_lint_code_once() {
    let out = Command::new(env!("CARGO_BIN_EXE_iamtrace")).args(["lint", "--list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), RULES.len(), "{text}");
    for (rule, line) in RULES.iter().zip(&lines) {
        let mut words = line.split_whitespace();
        assert_eq!(words.next(), Some(rule.code.as_str()), "{line}");
        assert_eq!(words.next(), Some(rule.severity.as_str()), "{line}");
        assert!(line.contains(rule.code.describe()), "{line}");
        assert_eq!(rule.summary, rule.code.describe());
    }
}

#[test]
fn readme_documents_every_lint_code() {
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let missing: Vec<&str> =
        RULES.iter().map(|r| r.code.as_str()).filter(|c| !readme.contains(&format!("| `{c}` |"))).collect();
    assert!(missing.is_empty(), "README's table of policy checks lacks {missing:?}");
}

#[test]
fn lint_codes_belong_to_the_catalogue() {
    for r in RULES {
        assert!(Code::ALL.contains(&r.code));
        assert_eq!(r.code.as_str().parse::<Code>(), Ok(r.code));
    }
}
