//! `eval` and `test` for files with chain scenarios (the credential
//! walkthrough): each hop as a numbered block with its checks and the trace
//! of every evaluation, the failing hop marked. Plain scenarios of the same
//! file are handled as `main.rs` handles them.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use iamtrace::scenario::{Document, ParsedScenario};
use iamtrace::walk::{Credential, Hop, Outcome, Parsed, ParsedChain, Walk};
use iamtrace::{Decision, Diagnostic};

use crate::commands::Format;
use crate::error::Result;
use crate::input::Input;
use crate::style::Style;
use crate::{diagnostics, render};

fn library() -> &'static iamtrace_data::embedded::Library {
    &iamtrace_data::embedded::Library
}

fn outcome_word(o: Outcome, style: Style) -> String {
    let w = format!("{:<13}", o.as_str());
    match o {
        Outcome::Allow => style.allow(&w),
        Outcome::ExplicitDeny | Outcome::CheckFailed => style.deny(&w),
        Outcome::ImplicitDeny => style.implicit(&w),
        Outcome::NotReached => style.dim(&w),
    }
}

fn decision_word(d: Decision, style: Style) -> String {
    match d {
        Decision::Allow => style.allow("Allow"),
        Decision::ExplicitDeny => style.deny("ExplicitDeny"),
        Decision::ImplicitDeny => style.implicit("ImplicitDeny"),
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| if l.is_empty() { "\n".to_owned() } else { format!("{by}{l}\n") }).collect()
}

fn credential(out: &mut String, c: &Credential, style: Style) {
    let kind = serde_json::to_value(c.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let _ = writeln!(out, "       {}  {kind} {}", style.bold("yields"), c.principal);
    if let Some(p) = &c.session_parent_arn {
        let _ = writeln!(out, "               parent {p}");
    }
    if let Some(d) = c.duration_seconds {
        let _ = writeln!(out, "               valid for {d} seconds");
    }
    if !c.identity_policies.is_empty() {
        let _ = writeln!(out, "               identity policies: {}", c.identity_policies.join(", "));
    }
    if let Some(b) = &c.boundary {
        let _ = writeln!(out, "               permissions boundary: {b}");
    }
    if !c.session_policies.is_empty() {
        let _ = writeln!(out, "               session policies: {}", c.session_policies.join(", "));
    }
    for k in &c.context {
        let _ = writeln!(
            out,
            "               {} = {}  {}",
            style.code(&k.key),
            k.values.join(", "),
            style.dim(&format!("({})", k.from))
        );
    }
    if !c.cannot_call.is_empty() {
        let _ = writeln!(out, "               cannot call: {}", c.cannot_call.join("; "));
    }
}

fn hop(out: &mut String, h: &Hop, failed: bool, input: &Input, docs: &[Document<'_>], style: Style) {
    let marker = if failed { style.bold(">") } else { " ".to_owned() };
    let _ = writeln!(
        out,
        "{marker}Hop {:<2} {:<50} {} {}",
        h.index + 1,
        h.title,
        outcome_word(h.outcome, style),
        h.summary
    );
    for c in &h.checks {
        let mark = if c.passed { style.allow("✓") } else { style.deny("✗") };
        let _ = writeln!(out, "       check   {mark} {} {}  {}", style.code(c.code), c.summary, style.dim(c.source));
    }
    for n in &h.notes {
        let source = n.source.map(|s| format!("  {}", style.dim(s))).unwrap_or_default();
        let _ = writeln!(out, "       {}  {}{source}", style.dim("note"), n.text);
    }
    let total = h.authorizations.len();
    for (i, a) in h.authorizations.iter().enumerate() {
        let _ = writeln!(
            out,
            "       {} {}/{total}: {} on {} ({})",
            style.bold("evaluation"),
            i + 1,
            style.code(&a.action),
            a.resource,
            a.why
        );
        out.push_str(&indent(&render::trace(&a.answer, None, input, docs, style), "         "));
    }
    if let Some(c) = &h.credential {
        credential(out, c, style);
    }
    let _ = writeln!(out);
}

/// The walkthrough for people.
pub fn render_walk(walk: &Walk, input: &Input, docs: &[Document<'_>], style: Style) -> String {
    let mut out = String::new();
    if let Some(n) = &walk.name {
        let _ = writeln!(out, "{}  {n}", style.bold("Scenario"));
    }
    let row: Vec<String> = walk.hops.iter().map(|h| h.title.clone()).collect();
    let _ = writeln!(out, "{}     {}\n", style.bold("Chain"), row.join(" -> "));
    for h in &walk.hops {
        hop(&mut out, h, walk.failed_hop == Some(h.index), input, docs, style);
    }
    let _ = writeln!(out, "{}  {}: {}", style.bold("Decision"), decision_word(walk.decision, style), walk.summary);
    out
}

/// The walkthrough as data, with file locations beside every statement.
fn walk_json(walk: &Walk, name: Option<&str>, input: &Input, p: &ParsedChain<'_>) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(walk)?;
    for h in v.get_mut("hops").and_then(serde_json::Value::as_array_mut).into_iter().flatten() {
        for a in h.get_mut("authorizations").and_then(serde_json::Value::as_array_mut).into_iter().flatten() {
            if let Some(answer) = a.get_mut("answer") {
                render::add_locations(answer, input, &p.docs);
            }
        }
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("name".into(), serde_json::json!(name));
        obj.insert("diagnostics".into(), diagnostics::to_json_all(input, &p.docs, &p.diagnostics));
    }
    Ok(v)
}

fn first_error(input: &Input, docs: &[Document<'_>], diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .find(|d| d.is_error())
        .or(diags.first())
        .map(|d| diagnostics::one_line(input, docs, d))
        .unwrap_or_default()
}

/// `eval` for a file with at least one chain scenario.
pub fn eval(input: &Input, text: &str, format: Format, style: Style) -> Result<ExitCode> {
    let all = iamtrace::walk::parse_file(text, Some(library()));
    let many = all.len() > 1;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let mut items = Vec::new();
    for (i, parsed) in all.iter().enumerate() {
        if format == Format::Text && many && i > 0 {
            writeln!(out)?;
        }
        match parsed {
            Parsed::Chain(p) => failed |= eval_chain(input, p, format, style, &mut out, &mut items)?,
            Parsed::Scenario(p) => failed |= eval_plain(input, p, format, style, &mut out, &mut items)?,
        }
    }
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&render::one_or_array(items, many))?)?;
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn eval_chain(
    input: &Input,
    p: &ParsedChain<'_>,
    format: Format,
    style: Style,
    out: &mut impl Write,
    items: &mut Vec<serde_json::Value>,
) -> Result<bool> {
    let Some(chain) = &p.chain else {
        match format {
            Format::Jsonl => {
                let line = serde_json::json!({"name": p.name, "error": first_error(input, &p.docs, &p.diagnostics)});
                writeln!(out, "{line}")?;
            }
            Format::Json => items.push(serde_json::json!({
                "name": p.name,
                "error": first_error(input, &p.docs, &p.diagnostics),
                "diagnostics": diagnostics::to_json_all(input, &p.docs, &p.diagnostics),
            })),
            Format::Text => {
                let _ = write!(std::io::stderr(), "{}", diagnostics::render(input, &p.docs, &p.diagnostics, style));
            }
        }
        return Ok(true);
    };
    let walk = chain.walk();
    match format {
        Format::Jsonl => {
            let line = serde_json::json!({"name": p.name, "decision": walk.decision, "failed_hop": walk.failed_hop});
            writeln!(out, "{line}")?;
        }
        Format::Json => items.push(walk_json(&walk, p.name.as_deref(), input, p)?),
        Format::Text => {
            if !p.diagnostics.is_empty() {
                let _ = write!(std::io::stderr(), "{}", diagnostics::render(input, &p.docs, &p.diagnostics, style));
            }
            write!(out, "{}", render_walk(&walk, input, &p.docs, style))?;
        }
    }
    Ok(false)
}

fn eval_plain(
    input: &Input,
    p: &ParsedScenario<'_>,
    format: Format,
    style: Style,
    out: &mut impl Write,
    items: &mut Vec<serde_json::Value>,
) -> Result<bool> {
    let outcome = p.scenario.as_ref().ok_or_else(|| p.diagnostics.clone()).and_then(|s| s.evaluate());
    match (outcome, format) {
        (Err(d), Format::Jsonl) => {
            writeln!(out, "{}", serde_json::json!({"name": p.name, "error": first_error(input, &p.docs, &d)}))?;
            Ok(true)
        }
        (Err(d), Format::Json) => {
            items.push(serde_json::json!({
                "name": p.name,
                "error": first_error(input, &p.docs, &d),
                "diagnostics": diagnostics::to_json_all(input, &p.docs, &d),
            }));
            Ok(true)
        }
        (Err(d), Format::Text) => {
            let _ = write!(std::io::stderr(), "{}", diagnostics::render(input, &p.docs, &d, style));
            Ok(true)
        }
        (Ok(a), Format::Jsonl) => {
            writeln!(out, "{}", serde_json::json!({"name": p.name, "decision": a.decision}))?;
            Ok(false)
        }
        (Ok(a), Format::Json) => {
            let mut v = serde_json::to_value(&a)?;
            render::add_locations(&mut v, input, &p.docs);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("name".into(), serde_json::json!(p.name));
                obj.insert("diagnostics".into(), diagnostics::to_json_all(input, &p.docs, &p.diagnostics));
            }
            items.push(v);
            Ok(false)
        }
        (Ok(a), Format::Text) => {
            write!(out, "{}", render::trace(&a, p.name.as_deref(), input, &p.docs, style))?;
            Ok(false)
        }
    }
}

/// Counts of a `test` run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// `test` for a file with at least one chain scenario.
pub fn test(input: &Input, text: &str, verbose: bool, style: Style, out: &mut impl Write) -> Result<Tally> {
    let mut t = Tally::default();
    for (i, parsed) in iamtrace::walk::parse_file(text, Some(library())).iter().enumerate() {
        let fallback = || format!("{}#{}", input.name(), i + 1);
        match parsed {
            Parsed::Chain(p) => {
                let label = p.name.clone().unwrap_or_else(fallback);
                let Some(chain) = &p.chain else {
                    t.failed += 1;
                    writeln!(out, "{} {label}: invalid scenario", style.fail("FAIL"))?;
                    write!(out, "{}", diagnostics::render(input, &p.docs, &p.diagnostics, style))?;
                    continue;
                };
                let walk = chain.walk();
                match chain.check(&walk) {
                    None => t.skipped += 1,
                    Some(m) if m.is_empty() => {
                        t.passed += 1;
                        if verbose {
                            writeln!(out, "{} {label}: {}", style.pass("ok"), walk.decision)?;
                            write!(out, "{}", render_walk(&walk, input, &p.docs, style))?;
                        }
                    }
                    Some(m) => {
                        t.failed += 1;
                        writeln!(out, "{} {label}: {}", style.fail("FAIL"), m.join("; "))?;
                        writeln!(out, "{}", render_walk(&walk, input, &p.docs, style))?;
                    }
                }
            }
            Parsed::Scenario(p) => {
                let label = p.name.clone().unwrap_or_else(fallback);
                let Some(s) = &p.scenario else {
                    t.failed += 1;
                    writeln!(out, "{} {label}: invalid scenario", style.fail("FAIL"))?;
                    write!(out, "{}", diagnostics::render(input, &p.docs, &p.diagnostics, style))?;
                    continue;
                };
                let Some(expected) = s.expected else {
                    t.skipped += 1;
                    continue;
                };
                match s.evaluate() {
                    Ok(a) if a.decision == expected => t.passed += 1,
                    Ok(a) => {
                        t.failed += 1;
                        writeln!(out, "{} {label}: expected {expected}, got {}", style.fail("FAIL"), a.decision)?;
                        write!(out, "{}", render::trace(&a, Some(&label), input, &p.docs, style))?;
                    }
                    Err(d) => {
                        t.failed += 1;
                        writeln!(out, "{} {label}: invalid request", style.fail("FAIL"))?;
                        write!(out, "{}", diagnostics::render(input, &p.docs, &d, style))?;
                    }
                }
            }
        }
    }
    Ok(t)
}
