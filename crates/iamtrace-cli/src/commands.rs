//! `iamtrace eval` and `iamtrace test`.

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use iamtrace::diagnostic::{cut, thousands};
use iamtrace::ParsedScenario;

use crate::diagnostics::{self, Reporter};
use crate::input::Input;
use crate::render;
use crate::snippet;
use crate::style::Style;

/// Scenario names are shown cut to this many characters.
pub const MAX_NAME_CHARS: usize = 200;
/// `iamtrace test` shows this many failures in full, and counts the rest.
pub const MAX_FAILURES_SHOWN: usize = 50;

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

fn io(e: std::io::Error) -> String {
    e.to_string()
}

pub fn eval(file: &str, format: Format, style: Style) -> Result<ExitCode, String> {
    let input = Input::read(file)?;
    let text = match input.text() {
        Ok(t) => t,
        Err(d) => {
            let _ = write!(std::io::stderr(), "{}", diagnostics::render_plain(&input, &d, style));
            return Ok(ExitCode::from(1));
        }
    };
    let scenarios = iamtrace::parse_scenarios(text, Some(&iamtrace_data::embedded::Library));
    let many = scenarios.len() > 1;
    let mut out = std::io::stdout().lock();
    let mut reporter = Reporter::new();
    let mut failed = false;
    let mut json_items = Vec::new();
    for (i, parsed) in scenarios.iter().enumerate() {
        let name = name_of(parsed);
        let outcome = parsed.scenario.as_ref().ok_or_else(|| parsed.diagnostics.clone()).and_then(|s| s.evaluate());
        match (&outcome, format) {
            (Err(diags), Format::Jsonl) => {
                failed = true;
                let first = diags.iter().find(|d| d.is_error()).or(diags.first());
                let msg = first.map(|d| diagnostics::one_line(&input, &parsed.docs, d)).unwrap_or_default();
                let line = serde_json::json!({"name": name, "error": msg});
                writeln!(out, "{line}").map_err(io)?;
            }
            (Err(diags), Format::Json) => {
                failed = true;
                json_items.push(serde_json::json!({
                    "name": name,
                    "error": diags.iter().find(|d| d.is_error()).map(|d| diagnostics::one_line(&input, &parsed.docs, d)),
                    "diagnostics": reporter.json(&input, &parsed.docs, diags),
                }));
            }
            (Err(diags), Format::Text) => {
                failed = true;
                let rendered = reporter.render(&input, &parsed.docs, diags, style);
                let _ = write!(std::io::stderr(), "{rendered}");
            }
            (Ok(answer), Format::Jsonl) => {
                let line = serde_json::json!({"name": name, "decision": answer.decision});
                writeln!(out, "{line}").map_err(io)?;
            }
            (Ok(answer), Format::Json) => {
                let warnings = reporter.json(&input, &parsed.docs, &parsed.diagnostics);
                let mut v = serde_json::to_value(answer).map_err(|e| e.to_string())?;
                render::add_locations(&mut v, &input, &parsed.docs);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("name".into(), serde_json::json!(name));
                    obj.insert("diagnostics".into(), serde_json::Value::Array(warnings));
                }
                json_items.push(v);
            }
            (Ok(answer), Format::Text) => {
                if many && i > 0 {
                    writeln!(out).map_err(io)?;
                }
                if !parsed.diagnostics.is_empty() {
                    let rendered = reporter.render(&input, &parsed.docs, &parsed.diagnostics, style);
                    let _ = write!(std::io::stderr(), "{rendered}");
                }
                let text = render::trace(answer, name.as_deref(), &input, &parsed.docs, style);
                write!(out, "{text}").map_err(io)?;
            }
        }
    }
    match format {
        Format::Json => {
            let v = if json_items.len() == 1 && !many {
                json_items.pop().unwrap_or_default()
            } else {
                serde_json::Value::Array(json_items)
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?).map_err(io)?;
        }
        Format::Text => {
            if let Some(s) = reporter.summary(style) {
                let _ = writeln!(std::io::stderr(), "{s}");
            }
        }
        Format::Jsonl => {}
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

pub fn test(files: &[String], verbose: bool, style: Style) -> Result<ExitCode, String> {
    let mut passed = 0usize;
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let mut out = std::io::stdout().lock();
    let mut reporter = Reporter::new();
    // Whether the next failure is shown in full (the first ones are).
    let show = |failed: usize| failed <= MAX_FAILURES_SHOWN;
    for file in files {
        let input = Input::read(file)?;
        let text = match input.text() {
            Ok(t) => t,
            Err(d) => {
                failed += 1;
                if show(failed) {
                    writeln!(out, "{}", diagnostics::render_plain(&input, &d, style)).map_err(io)?;
                }
                continue;
            }
        };
        for (i, parsed) in iamtrace::parse_scenarios(text, Some(&iamtrace_data::embedded::Library)).iter().enumerate() {
            let label = name_of(parsed).unwrap_or_else(|| format!("{}#{}", snippet::clean(input.name()), i + 1));
            let Some(scenario) = &parsed.scenario else {
                failed += 1;
                if show(failed) {
                    writeln!(out, "{} {label}: invalid scenario", style.fail("FAIL")).map_err(io)?;
                    write!(out, "{}", reporter.render(&input, &parsed.docs, &parsed.diagnostics, style)).map_err(io)?;
                }
                continue;
            };
            let Some(expected) = scenario.expected else {
                skipped += 1;
                continue;
            };
            match scenario.evaluate() {
                Err(diags) => {
                    failed += 1;
                    if show(failed) {
                        writeln!(out, "{} {label}: invalid request", style.fail("FAIL")).map_err(io)?;
                        write!(out, "{}", reporter.render(&input, &parsed.docs, &diags, style)).map_err(io)?;
                    }
                }
                Ok(answer) if answer.decision == expected => {
                    passed += 1;
                    if verbose {
                        writeln!(out, "{} {label}: {}", style.pass("ok"), answer.decision).map_err(io)?;
                        write!(out, "{}", render::trace(&answer, Some(&label), &input, &parsed.docs, style))
                            .map_err(io)?;
                    }
                }
                Ok(answer) => {
                    failed += 1;
                    if show(failed) {
                        writeln!(out, "{} {label}: expected {expected}, got {}", style.fail("FAIL"), answer.decision)
                            .map_err(io)?;
                        write!(out, "{}", render::trace(&answer, Some(&label), &input, &parsed.docs, style))
                            .map_err(io)?;
                        writeln!(out).map_err(io)?;
                    }
                }
            }
        }
    }
    if let Some(s) = reporter.summary(style) {
        writeln!(out, "{s}").map_err(io)?;
    }
    if failed > MAX_FAILURES_SHOWN {
        let more = failed - MAX_FAILURES_SHOWN;
        let noun = if more == 1 { "failure" } else { "failures" };
        writeln!(
            out,
            "... and {} more {noun} not shown (iamtrace test shows the first {MAX_FAILURES_SHOWN})",
            thousands(more)
        )
        .map_err(io)?;
    }
    if skipped > 0 {
        writeln!(out, "{skipped} scenario(s) without `expected` skipped").map_err(io)?;
    }
    writeln!(out, "{passed} passed, {failed} failed").map_err(io)?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
