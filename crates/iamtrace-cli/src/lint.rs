//! `iamtrace lint`: policy checks with the AWS data built in, printed like a
//! compiler's diagnostics (or as JSON); and the `--version` text naming the
//! data's sources.

use std::borrow::Cow;
use std::io::Write;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use iamtrace::diagnostic::Code;
use iamtrace::json::{self, Value};
use iamtrace::lint::{self, Knowledge, LintOptions};
use iamtrace::policy::PolicyKind;
use iamtrace::scenario::{Document, Origin};
use iamtrace::{Diagnostic, Severity};
use iamtrace_data::embedded;

use crate::diagnostics::Reporter;
use crate::error::Result;
use crate::input::Input;
use crate::style::Style;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// Switch a check off (repeat for several); see `--list` for the codes.
    #[arg(long, value_name = "CODE")]
    disable: Vec<String>,
    /// Exit with status 1 when a finding of this category or a stricter one is found.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// The kind of policy the FILEs hold (scenario files give each policy's kind).
    #[arg(long, default_value = "identity", value_parser = kind_parser())]
    kind: PolicyKind,
    /// List every lint code with its category and exit.
    #[arg(long, exclusive = true)]
    list: bool,
    /// Policy documents or scenario files (`-` for standard input).
    #[arg(required_unless_present = "list")]
    files: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    /// Findings with the snippet underlined, for people.
    Text,
    /// One JSON array of findings with file, line and column.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::SecurityWarning => Some(Severity::SecurityWarning),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Suggestion => Some(Severity::Suggestion),
            FailOn::Never => None,
        }
    }
}

/// `--kind`: the core's policy kinds, by their scenario keys (listed in
/// `--help` and in the error for an unknown one). The possible-values
/// parser lets only those keys through, so `from_key` finds each.
fn kind_parser() -> impl TypedValueParser<Value = PolicyKind> {
    PossibleValuesParser::new(PolicyKind::ALL.map(PolicyKind::key))
        .try_map(|key| PolicyKind::from_key(&key).ok_or_else(|| format!("unknown policy kind `{key}`")))
}

/// Parses the command line with `--version` naming the data's sources.
pub fn parse_cli<C: clap::Parser>() -> C {
    let text = format!("{}\n{}", env!("CARGO_PKG_VERSION"), embedded::version_lines());
    // Built once per process; clap keeps a `&'static str`.
    let version: &'static str = Box::leak(text.into_boxed_str());
    let matches = C::command().version(version).long_version(version).get_matches();
    C::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Findings of one file, grouped by the documents their spans refer to
/// (one group per scenario).
struct Report<'t> {
    input: &'t Input,
    groups: Vec<(Vec<Document<'t>>, Vec<Diagnostic>)>,
}

pub fn run(args: &LintArgs, style: Style) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.list {
        for r in lint::RULES {
            let data = if r.needs_knowledge { " (uses the AWS data)" } else { "" };
            writeln!(out, "{:<40} {:<17} {}{data}", r.code, r.severity.as_str(), r.summary)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut options = LintOptions::default();
    for code in &args.disable {
        if code.parse::<Code>().ok().and_then(lint::rule_for).is_none() {
            if let Some(n) = lint::nearest_code(code) {
                let _ = writeln!(
                    std::io::stderr(),
                    "{}: `--disable {code}` is not a lint code; did you mean `{n}`?",
                    style.error("warning")
                );
            }
        }
        options.disable(code);
    }
    let knowledge: Option<&dyn Knowledge> = match embedded::reference() {
        Ok(r) => Some(r),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "{}: the AWS data could not be read ({e}); checks that need it are skipped",
                style.error("warning")
            );
            None
        }
    };
    let inputs: Vec<Input> = args.files.iter().map(|f| Input::read(f)).collect::<Result<_>>()?;
    let mut counts = [0usize; 4];
    let mut json_items = Vec::new();
    let mut reporter = Reporter::new();
    for input in &inputs {
        let report = match input.text() {
            Ok(text) => lint_file(input, text, args.kind, knowledge, &options),
            Err(d) => Report { input, groups: vec![(vec![root(Cow::Borrowed(input.lossy()))], vec![d])] },
        };
        for (docs, diags) in &report.groups {
            for d in diags {
                if let Some(c) = counts.get_mut(d.severity.index()) {
                    *c += 1;
                }
            }
            match args.format {
                LintFormat::Text => {
                    write!(out, "{}", reporter.render(report.input, docs, diags, style))?;
                }
                LintFormat::Json => {
                    json_items.extend(reporter.json(report.input, docs, diags).0);
                }
            }
        }
    }
    match args.format {
        LintFormat::Text => {
            if let Some(s) = reporter.summary(style) {
                writeln!(out, "{s}")?;
            }
            writeln!(out, "{}", summary(&counts, inputs.len()))?;
        }
        LintFormat::Json => {
            json_items.extend(reporter.omitted_json());
            let v = serde_json::Value::Array(json_items);
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
    }
    let failed = args.fail_on.threshold().is_some_and(|t| counts.iter().take(t.index() + 1).any(|&n| n > 0));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn root(text: Cow<'_, str>) -> Document<'_> {
    Document { text, origin: Origin::Root { base: 0 } }
}

/// `2 errors, 1 warning in 3 files`.
fn summary(counts: &[usize; 4], files: usize) -> String {
    let names = [
        ("error", "errors"),
        ("security warning", "security warnings"),
        ("warning", "warnings"),
        ("suggestion", "suggestions"),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(names)
        .filter(|(n, _)| **n > 0)
        .map(|(n, (one, many))| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    let files = if files == 1 { "1 file".to_owned() } else { format!("{files} files") };
    if parts.is_empty() {
        format!("no findings in {files}")
    } else {
        format!("{} in {files}", parts.join(", "))
    }
}

/// Whether the file holds one policy document rather than scenarios.
fn is_policy_document(text: &str) -> bool {
    match json::parse(text) {
        Ok(node) => matches!(&node.value, Value::Object(members) if members.iter().any(|m| m.key == "Statement")),
        // Broken JSON: guess from the words it uses, to show the reader's error in the right frame.
        Err(_) => text.contains("\"Statement\"") && !text.contains("\"request\""),
    }
}

fn lint_file<'t>(
    input: &'t Input,
    text: &'t str,
    kind: PolicyKind,
    knowledge: Option<&dyn Knowledge>,
    options: &LintOptions,
) -> Report<'t> {
    if is_policy_document(text) {
        let diagnostics = lint::lint_text(text, kind, knowledge, options);
        return Report { input, groups: vec![(vec![root(Cow::Borrowed(text))], diagnostics)] };
    }
    // Scenario files: every policy with its own kind. AWS managed policies
    // named in a scenario are AWS's documents, not the user's, and are not checked.
    if let Some(d) = crate::commands::too_many_scenarios(text) {
        return Report { input, groups: vec![(vec![root(Cow::Borrowed(text))], vec![d])] };
    }
    let mut groups = Vec::new();
    for parsed in iamtrace::parse_scenarios(text, Some(&embedded::Library)) {
        let mut diagnostics: Vec<Diagnostic> =
            parsed.diagnostics.iter().filter(|d| d.is_error() || options.is_enabled(&d.code)).cloned().collect();
        if let Some(scenario) = &parsed.scenario {
            for named in scenario.policies.in_evaluation_order() {
                let Some(document) = parsed.docs.get(named.policy().doc.0 as usize) else { continue };
                if !matches!(document.origin, Origin::Managed { .. }) {
                    diagnostics.extend(lint::check(named.policy(), &document.text, knowledge, options));
                }
            }
        }
        // In the order of the file.
        diagnostics.sort_by_key(|d| file_order(&parsed.docs, d.doc, d.span));
        groups.push((parsed.docs, diagnostics));
    }
    Report { input, groups }
}

/// A key that sorts spans in the order of the file, without mapping each
/// through the escapes of its policy string (`iamtrace::scenario::file_span` walks the
/// string, which for many findings in one long string costs its length
/// each time): a string's spans sort at its opening quote, then by offset.
fn file_order(docs: &[Document<'_>], doc: iamtrace::DocId, span: iamtrace::Span) -> (u32, u32) {
    let base = match docs.first().map(|d| &d.origin) {
        Some(Origin::Root { base }) => *base,
        _ => 0,
    };
    match docs.get(doc.0 as usize).map(|d| &d.origin) {
        Some(Origin::Root { .. }) => (span.start.saturating_add(base), 0),
        Some(Origin::Embedded { literal }) => (literal.start.saturating_add(base).saturating_add(1), span.start),
        _ => (u32::MAX, span.start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_policies_from_scenarios() {
        assert!(is_policy_document(r#"{"Version": "2012-10-17", "Statement": []}"#));
        assert!(!is_policy_document(r#"{"policies": {}, "request": {}}"#));
        assert!(!is_policy_document(r#"[{"request": {}}]"#));
        assert!(is_policy_document(r#"{"Statement": [ {"Effect": "Allow",}]}"#));
        assert!(!is_policy_document("{\"request\": {\"Statement\": 1}\n{\"request\": {}}"));
    }

    #[test]
    fn summaries_count_each_category() {
        assert_eq!(summary(&[0, 0, 0, 0], 1), "no findings in 1 file");
        assert_eq!(summary(&[2, 0, 1, 0], 3), "2 errors, 1 warning in 3 files");
        assert_eq!(summary(&[0, 1, 0, 2], 1), "1 security warning, 2 suggestions in 1 file");
    }

    #[test]
    fn fail_on_thresholds() {
        assert_eq!(FailOn::Error.threshold(), Some(Severity::Error));
        assert_eq!(FailOn::Never.threshold(), None);
        assert!(Severity::Error.index() < Severity::Suggestion.index());
    }

    #[test]
    fn policies_in_scenarios_are_linted_with_their_kind() {
        let text = r#"{"policies": {"identity": ["ReadOnlyAccess", {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}}],
            "resource": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}},
            "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}}"#;
        let path = std::env::temp_dir().join(format!("iamtrace-lint-test-{}.json", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let input = Input::read(path.to_str().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        let knowledge = embedded::reference().ok().map(|r| r as &dyn Knowledge);
        let report = lint_file(&input, text, PolicyKind::Identity, knowledge, &LintOptions::default());
        let codes: Vec<&str> = report.groups.iter().flat_map(|(_, ds)| ds.iter().map(|d| d.code.as_str())).collect();
        // ReadOnlyAccess (AWS's own document) is not checked.
        assert_eq!(codes, ["action-unknown", "principal-public"]);
    }
}
