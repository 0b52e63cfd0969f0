//! The lint fixture runner, shared with the data crate's tests (which
//! include this file with `#[path]`).
//!
//! Each `tests/lint/*.json` file is an array of cases:
//!
//! ```json
//! {"name": "...", "kind": "identity", "policy": {...},
//!  "findings": [{"code": "...", "snippet": "...", "help": "...", "severity": "WARNING", "needs_knowledge": true}]}
//! ```
//!
//! The policy text is the fixture's own text of `policy` (formatting kept),
//! and `snippet` is the text a finding underlines. `findings` lists every
//! lint finding, in order; `help` and `severity` are checked when given. Without knowledge,
//! findings of rules that need it (or marked `needs_knowledge`) are left
//! out of the expectation.

use std::path::PathBuf;

use iamtrace::json::{self, Node, Value};
use iamtrace::lint::{self, Knowledge, LintOptions};
use iamtrace::policy::{parse_policy, PolicyKind};
use iamtrace::DocId;

/// Every fixture file.
pub fn fixture_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../iamtrace/tests/lint");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn str_of<'a>(node: &'a Node<'_>, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// Runs every fixture; returns one message per failure.
pub fn run_all(knowledge: Option<&dyn Knowledge>) -> Vec<String> {
    let mut failures = Vec::new();
    let mut cases = 0;
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let root = json::parse(&text).unwrap_or_else(|d| panic!("{file}: {d}"));
        let Value::Array(items) = &root.value else { panic!("{file}: expected an array of cases") };
        for case in items {
            cases += 1;
            if let Err(e) = run_case(&text, case, knowledge) {
                let name = str_of(case, "name").unwrap_or("?");
                failures.push(format!("{file}: {name}: {e}"));
            }
        }
    }
    assert!(cases > 0, "no fixtures found");
    failures
}

fn run_case(text: &str, case: &Node<'_>, knowledge: Option<&dyn Knowledge>) -> Result<(), String> {
    let k = str_of(case, "kind").unwrap_or("identity");
    let kind = PolicyKind::ALL.iter().copied().find(|p| p.key() == k).ok_or(format!("unknown kind {k}"))?;
    let policy_node = case.get("policy").ok_or("no `policy`")?;
    let policy_text = policy_node.span.slice(text);
    let parsed = parse_policy(policy_text, kind, DocId(0));
    let policy = parsed.policy.ok_or_else(|| format!("the policy does not parse: {:?}", parsed.diagnostics))?;
    let mut options = LintOptions::default();
    for code in case.get("disable").and_then(Node::as_array).unwrap_or(&[]) {
        options.disable(code.as_str().unwrap_or(""));
    }
    let found = lint::check(&policy, policy_text, knowledge, &options);
    let mut expected = Vec::new();
    for f in case.get("findings").and_then(Node::as_array).ok_or("no `findings` array")? {
        let code = str_of(f, "code").ok_or("a finding without `code`")?;
        let rule = code.parse().ok().and_then(lint::rule_for).ok_or(format!("`{code}` is not a lint code"))?;
        let needs = f.get("needs_knowledge").map_or(rule.needs_knowledge, |n| matches!(n.value, Value::Bool(true)));
        if knowledge.is_none() && needs {
            continue;
        }
        expected.push((
            code,
            str_of(f, "snippet").ok_or("a finding without `snippet`")?,
            str_of(f, "help"),
            str_of(f, "severity"),
        ));
    }
    let got: Vec<(String, String)> =
        found.iter().map(|d| (d.code.to_string(), d.span.slice(policy_text).to_owned())).collect();
    let want: Vec<(String, String)> = expected.iter().map(|(c, s, _, _)| ((*c).to_owned(), (*s).to_owned())).collect();
    if got != want {
        let details: Vec<String> = found
            .iter()
            .map(|d| format!("  {} {:?}: {} (help: {:?})", d.code, d.span.slice(policy_text), d.message, d.help))
            .collect();
        return Err(format!("expected {want:?}\n got {got:?}\n{}", details.join("\n")));
    }
    for ((code, _, help, severity), d) in expected.iter().zip(&found) {
        if let Some(h) = help {
            if d.help.as_deref() != Some(*h) {
                return Err(format!("{code}: help {:?}, expected {h:?}", d.help));
            }
        }
        if let Some(s) = severity {
            if d.severity.as_str() != *s {
                return Err(format!("{code}: severity {}, expected {s}", d.severity.as_str()));
            }
        }
    }
    Ok(())
}
