//! `iamtrace eval` and `iamtrace test`.

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use iamtrace::diagnostic::Code;
use iamtrace::diagnostic::{cut, thousands};
use iamtrace::json::{Kind, Pull};
use iamtrace::scenario::{Document, Origin};
use iamtrace::{Diagnostic, ParsedScenario, Span};

use crate::batch;
use crate::chain;
use crate::diagnostics::{self, Reporter};
use crate::error::Result;
use crate::input::Input;
use crate::render;
use crate::snippet;
use crate::style::Style;

/// Scenario names are shown cut to this many characters.
pub const MAX_NAME_CHARS: usize = 200;
/// `iamtrace test` shows this many failures in full, and counts the rest.
pub const MAX_FAILURES_SHOWN: usize = 50;
/// Files with more scenarios than this are refused before they are read
/// (each scenario read costs memory; a 2 MB file can hold a million).
pub const MAX_SCENARIOS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The ordered trace, for people.
    Text,
    /// One JSON object per scenario (an array for several).
    Json,
    /// One line per scenario: `{"name", "decision"}` or `{"name", "error"}`.
    Jsonl,
}

/// A scenario's name as shown: control characters hidden, cut when long.
fn name_of(parsed: &ParsedScenario<'_>) -> Option<String> {
    parsed.name.as_deref().map(|n| {
        let mut n = snippet::clean(n);
        cut(&mut n, MAX_NAME_CHARS);
        n
    })
}

/// The error for a file holding more than [`MAX_SCENARIOS`] scenarios (an
/// array's items, or non-empty JSON lines), placed at the first one past
/// the limit. Counting reads the JSON without keeping it.
pub fn too_many_scenarios(text: &str) -> Option<Diagnostic> {
    let mut pull = Pull::new(text);
    let past = if pull.peek().ok()? == Kind::Array {
        let mut arr = pull.open_array().ok()?;
        let mut n = 0usize;
        loop {
            if !pull.item(&mut arr).ok()? {
                return None;
            }
            let span = pull.skip().ok()?;
            n += 1;
            if n > MAX_SCENARIOS {
                break span;
            }
        }
    } else {
        // One value followed by more: JSON Lines (as the scenario reader decides).
        pull.skip().ok()?;
        if pull.finish().is_ok() {
            return None;
        }
        let mut start = 0usize;
        let mut n = 0usize;
        let mut found = None;
        for line in text.split_inclusive('\n') {
            if !line.trim().is_empty() {
                n += 1;
                if n > MAX_SCENARIOS {
                    found = Some(Span::from_range(start, start + line.trim_end().len()));
                    break;
                }
            }
            start += line.len();
        }
        found?
    };
    let message = format!(
        "the file holds more than {} scenarios; iamtrace reads up to {} per file",
        thousands(MAX_SCENARIOS),
        thousands(MAX_SCENARIOS)
    );
    Some(Diagnostic::error(Code::ScenarioTooMany, past, message).with_help("split the scenarios into several files"))
}

/// The scenarios of a file (read on every core when it holds several), or
/// one entry with the error when it holds too many.
fn scenarios(text: &str) -> Vec<ParsedScenario<'_>> {
    match too_many_scenarios(text) {
        Some(d) => vec![ParsedScenario {
            scenario: None,
            name: None,
            docs: vec![Document { text: text.into(), origin: Origin::Root { base: 0 } }],
            diagnostics: vec![d],
        }],
        None => batch::read(text),
    }
}

/// `"diagnostics_omitted": n` beside an item's `diagnostics` when the run
/// left some of them out (past its bounds).
fn omitted_count(item: &mut serde_json::Value, n: usize) {
    if let (Some(obj), true) = (item.as_object_mut(), n > 0) {
        obj.insert("diagnostics_omitted".into(), serde_json::json!(n));
    }
}

/// One scenario evaluated and rendered (on any thread); what is left for
/// the writer, in input order, is what goes through the [`Reporter`],
/// which bounds the diagnostics of the whole run.
enum Evaluated {
    /// `--format jsonl`: the line, computed from the decision alone.
    Line { line: String, failed: bool },
    /// The scenario or its request is invalid.
    Invalid(Vec<Diagnostic>),
    /// `--format json`: the answer with its locations.
    Value(serde_json::Value),
    /// `--format text`: the rendered trace.
    Trace(String),
}

fn evaluate_one(parsed: &ParsedScenario<'_>, input: &Input, format: Format, style: Style) -> Result<Evaluated> {
    if format == Format::Jsonl {
        let name = name_of(parsed);
        return Ok(match batch::decide(parsed) {
            Ok(decision) => Evaluated::Line {
                line: serde_json::json!({"name": name, "decision": decision}).to_string(),
                failed: false,
            },
            Err(diags) => {
                let first = diags.iter().find(|d| d.is_error()).or(diags.first());
                let msg = first.map(|d| diagnostics::one_line(input, &parsed.docs, d)).unwrap_or_default();
                Evaluated::Line { line: serde_json::json!({"name": name, "error": msg}).to_string(), failed: true }
            }
        });
    }
    let outcome = parsed.scenario.as_ref().ok_or_else(|| parsed.diagnostics.clone()).and_then(|s| s.evaluate());
    Ok(match (outcome, format) {
        (Err(diags), _) => Evaluated::Invalid(diags),
        (Ok(answer), Format::Json) => {
            let mut v = serde_json::to_value(&answer)?;
            render::add_locations(&mut v, input, &parsed.docs);
            Evaluated::Value(v)
        }
        (Ok(answer), _) => {
            Evaluated::Trace(render::trace(&answer, name_of(parsed).as_deref(), input, &parsed.docs, style))
        }
    })
}

pub fn eval(file: &str, format: Format, style: Style) -> Result<ExitCode> {
    let input = Input::read(file)?;
    let Some(text) = diagnostics::text_or_report(&input, style) else { return Ok(ExitCode::from(1)) };
    if iamtrace::walk::has_chain(text) {
        return chain::eval(&input, text, format, style);
    }
    let scenarios = scenarios(text);
    let many = scenarios.len() > 1;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut reporter = Reporter::new();
    let mut failed = false;
    let mut array = batch::PrettyArray::new();
    // A JSON item: alone when the file holds one scenario, else in the array.
    let mut emit = |out: &mut std::io::BufWriter<_>, item: &serde_json::Value| -> Result<()> {
        let pretty = serde_json::to_string_pretty(item)?;
        if many {
            array.push(out, &pretty)
        } else {
            Ok(writeln!(out, "{pretty}")?)
        }
    };
    let work = |_: usize, parsed: &ParsedScenario<'_>| evaluate_one(parsed, &input, format, style);
    batch::ordered(&scenarios, work, |i, parsed, done| {
        match (done?, format) {
            (Evaluated::Line { line, failed: f }, _) => {
                failed |= f;
                writeln!(out, "{line}")?;
            }
            (Evaluated::Invalid(diags), Format::Json) => {
                failed = true;
                let (shown, omitted) = reporter.json(&input, &parsed.docs, &diags);
                let mut item = serde_json::json!({
                    "name": name_of(parsed),
                    "error": diags.iter().find(|d| d.is_error()).map(|d| diagnostics::one_line(&input, &parsed.docs, d)),
                    "diagnostics": shown,
                });
                omitted_count(&mut item, omitted);
                emit(&mut out, &item)?;
            }
            (Evaluated::Invalid(diags), _) => {
                failed = true;
                let rendered = reporter.render(&input, &parsed.docs, &diags, style);
                out.flush()?;
                let _ = write!(std::io::stderr(), "{rendered}");
            }
            (Evaluated::Value(mut v), _) => {
                let (warnings, omitted) = reporter.json(&input, &parsed.docs, &parsed.diagnostics);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("name".into(), serde_json::json!(name_of(parsed)));
                    obj.insert("diagnostics".into(), serde_json::Value::Array(warnings));
                }
                omitted_count(&mut v, omitted);
                emit(&mut out, &v)?;
            }
            (Evaluated::Trace(text), _) => {
                if many && i > 0 {
                    writeln!(out)?;
                }
                if !parsed.diagnostics.is_empty() {
                    let rendered = reporter.render(&input, &parsed.docs, &parsed.diagnostics, style);
                    out.flush()?;
                    let _ = write!(std::io::stderr(), "{rendered}");
                }
                out.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    })?;
    match format {
        Format::Json if many || scenarios.is_empty() => array.finish(&mut out)?,
        Format::Text => {
            out.flush()?;
            if let Some(s) = reporter.summary(style) {
                let _ = writeln!(std::io::stderr(), "{s}");
            }
        }
        Format::Json | Format::Jsonl => {}
    }
    out.flush()?;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// One scenario checked against its `expected` decision (on any thread).
enum Checked {
    /// No `expected`: nothing to check.
    Skipped,
    /// The scenario does not read (with the scenario's label).
    Invalid(String),
    /// The request does not evaluate.
    InvalidRequest(String, Vec<Diagnostic>),
    /// As expected; the trace when `--verbose` asks for it.
    Passed(Option<String>),
    /// Not as expected: the first line and the trace.
    Wrong(String),
}

/// Checks one scenario. A passing scenario is decided without its trace
/// unless `verbose` asks for it; `label` names it where it is printed.
fn check_one(
    parsed: &ParsedScenario<'_>,
    label: impl Fn() -> String,
    input: &Input,
    verbose: bool,
    style: Style,
) -> Checked {
    let Some(scenario) = &parsed.scenario else { return Checked::Invalid(label()) };
    let Some(expected) = scenario.expected else { return Checked::Skipped };
    if !verbose && batch::decide(parsed).is_ok_and(|d| d == expected) {
        return Checked::Passed(None);
    }
    let label = label();
    match scenario.evaluate() {
        Err(diags) => Checked::InvalidRequest(label, diags),
        Ok(answer) if answer.decision == expected => {
            let mut text = format!("{} {label}: {}\n", style.pass("ok"), answer.decision);
            text.push_str(&render::trace(&answer, Some(&label), input, &parsed.docs, style));
            Checked::Passed(Some(text))
        }
        Ok(answer) => {
            let mut text = format!("{} {label}: expected {expected}, got {}\n", style.fail("FAIL"), answer.decision);
            text.push_str(&render::trace(&answer, Some(&label), input, &parsed.docs, style));
            text.push('\n');
            Checked::Wrong(text)
        }
    }
}

pub fn test(files: &[String], verbose: bool, style: Style) -> Result<ExitCode> {
    let mut passed = 0usize;
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut reporter = Reporter::new();
    // Whether the next failure is shown in full (the first ones are).
    let show = |failed: usize| failed <= MAX_FAILURES_SHOWN;
    for file in files {
        // A file that cannot be read fails, with its message, and the
        // others are still checked: the run ends with its summary line.
        let input = match Input::read(file) {
            Ok(input) => input,
            Err(e) => {
                failed += 1;
                out.flush()?;
                let mut err = std::io::stderr().lock();
                writeln!(err, "{}: {e}", style.error("error"))?;
                continue;
            }
        };
        let text = match input.text() {
            Ok(t) => t,
            Err(d) => {
                failed += 1;
                if show(failed) {
                    writeln!(out, "{}", diagnostics::render_plain(&input, &d, style))?;
                }
                continue;
            }
        };
        if iamtrace::walk::has_chain(text) {
            let t = chain::test(&input, text, verbose, style, &mut out)?;
            (passed, failed, skipped) = (passed + t.passed, failed + t.failed, skipped + t.skipped);
            continue;
        }
        let scenarios = scenarios(text);
        let label = |i: usize, parsed: &ParsedScenario<'_>| {
            name_of(parsed).unwrap_or_else(|| format!("{}#{}", snippet::clean(input.name()), i + 1))
        };
        let work =
            |i: usize, parsed: &ParsedScenario<'_>| check_one(parsed, || label(i, parsed), &input, verbose, style);
        batch::ordered(&scenarios, work, |_, parsed, checked| {
            match checked {
                Checked::Skipped => skipped += 1,
                Checked::Passed(text) => {
                    passed += 1;
                    if let Some(text) = text {
                        out.write_all(text.as_bytes())?;
                    }
                }
                Checked::Invalid(label) => {
                    failed += 1;
                    if show(failed) {
                        writeln!(out, "{} {label}: invalid scenario", style.fail("FAIL"))?;
                        write!(out, "{}", reporter.render(&input, &parsed.docs, &parsed.diagnostics, style))?;
                    }
                }
                Checked::InvalidRequest(label, diags) => {
                    failed += 1;
                    if show(failed) {
                        writeln!(out, "{} {label}: invalid request", style.fail("FAIL"))?;
                        write!(out, "{}", reporter.render(&input, &parsed.docs, &diags, style))?;
                    }
                }
                Checked::Wrong(text) => {
                    failed += 1;
                    if show(failed) {
                        out.write_all(text.as_bytes())?;
                    }
                }
            }
            Ok(())
        })?;
    }
    if let Some(s) = reporter.summary(style) {
        writeln!(out, "{s}")?;
    }
    if failed > MAX_FAILURES_SHOWN {
        let more = failed - MAX_FAILURES_SHOWN;
        let noun = if more == 1 { "failure" } else { "failures" };
        writeln!(
            out,
            "... and {} more {noun} not shown (iamtrace test shows the first {MAX_FAILURES_SHOWN})",
            thousands(more)
        )?;
    }
    if skipped > 0 {
        writeln!(out, "{skipped} scenario(s) without `expected` skipped")?;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    out.flush()?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_with_too_many_scenarios_are_refused_where_the_limit_passes() {
        let ok = format!("[{}]", vec!["{}"; MAX_SCENARIOS].join(","));
        assert!(too_many_scenarios(&ok).is_none());
        let over = format!("[{}]", vec!["{}"; MAX_SCENARIOS * 3].join(","));
        let d = too_many_scenarios(&over).unwrap();
        assert_eq!(d.code, Code::ScenarioTooMany);
        assert_eq!(d.span, Span::from_range(1 + 3 * MAX_SCENARIOS, 3 + 3 * MAX_SCENARIOS));
        let lines = "{}\n\n".repeat(MAX_SCENARIOS + 1);
        let d = too_many_scenarios(&lines).unwrap();
        assert_eq!(d.span.start as usize, 4 * MAX_SCENARIOS);
        assert!(too_many_scenarios(&"{}\n".repeat(MAX_SCENARIOS)).is_none());
        // One scenario over many lines is one scenario.
        let pretty = format!("{{\n{}\"a\": 1}}", "\n".repeat(3 * MAX_SCENARIOS));
        assert!(too_many_scenarios(&pretty).is_none());
        assert!(too_many_scenarios("[1, oops").is_none(), "broken JSON is left to the reader");
    }
}
