//! `iamtrace`: evaluate and test AWS IAM scenarios from the command line.

mod batch;
mod chain;
mod cloudtrail;
mod diagnostics;
mod error;
mod input;
mod lint;
mod render;
mod style;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use iamtrace::ParsedScenario;

use error::{Error, Result};

/// mimalloc: a quarter of a batch's instructions went to glibc's allocator
/// (the reader and the compiled set make many small allocations, freed on
/// other threads' arenas); mimalloc's thread-local heaps cut that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use input::Input;
use style::Style;

#[derive(Parser)]
#[command(
    name = "iamtrace",
    version,
    about = "Explain AWS IAM decisions: evaluate scenarios and show the ordered evaluation trace"
)]
struct Cli {
    /// When to use colour: auto (only on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The ordered trace, for people.
    Text,
    /// One JSON object per scenario (an array for several).
    Json,
    /// One line per scenario: `{"name", "decision"}` or `{"name", "error"}`.
    Jsonl,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate scenarios and print the decision with its trace.
    Eval {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Scenario file: one scenario, a JSON array of scenarios, or JSON Lines; `-` reads standard input.
        #[arg(required_unless_present = "cloudtrail")]
        file: Option<String>,
        /// Read the request from CloudTrail events (a record, `{"Records": [...]}`, a lookup-events
        /// result) or a decoded authorization message, instead of a scenario.
        #[arg(long, value_name = "FILE", conflicts_with = "file")]
        cloudtrail: Option<String>,
        /// With `--cloudtrail`: evaluate against these policies (a scenario file, or its `policies` object).
        #[arg(long, value_name = "FILE")]
        policies: Option<String>,
    },
    /// Check policies like a compiler: unknown actions, overly broad grants, condition key types, size limits.
    Lint(lint::LintArgs),
    /// Check scenarios against their `expected` decisions; ends with `N passed, M failed`.
    Test {
        /// Scenario files (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
        /// Print the trace of passing scenarios too.
        #[arg(long)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let cli: Cli = lint::parse_cli();
    let style = Style::new(match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => style::auto(),
    });
    let result = match cli.command {
        Command::Eval { format, cloudtrail: Some(ct), policies, .. } => {
            cloudtrail::run(&ct, policies.as_deref(), format, style)
        }
        Command::Eval { policies: Some(_), .. } => {
            Err(Error::Usage("`--policies` goes with `--cloudtrail`; a scenario file holds its own policies"))
        }
        Command::Eval { format, file, .. } => eval(file.as_deref().unwrap_or("-"), format, style),
        Command::Test { files, verbose } => test(&files, verbose, style),
        Command::Lint(args) => lint::run(&args, style),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}: {e}", style.error("error"));
            ExitCode::from(1)
        }
    }
}

fn eval(file: &str, format: Format, style: Style) -> Result<ExitCode> {
    let input = Input::read(file)?;
    let text = match input.text() {
        Ok(t) => t,
        Err(d) => {
            let _ = write!(std::io::stderr(), "{}", diagnostics::render_plain(&input, &d, style));
            return Ok(ExitCode::from(1));
        }
    };
    if iamtrace::walk::has_chain(text) {
        return chain::eval(&input, text, format, style);
    }
    let scenarios = batch::read(text);
    let many = scenarios.len() > 1;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    let mut array = batch::PrettyArray::new();
    let render = |i: usize, parsed: &ParsedScenario<'_>| eval_one(i, parsed, many, &input, format, style);
    batch::ordered(&scenarios, render, |_, one| {
        let one = one?;
        failed |= one.failed;
        if !one.stderr.is_empty() {
            out.flush()?;
            let _ = write!(std::io::stderr(), "{}", one.stderr);
        }
        match format {
            Format::Json if many => array.push(&mut out, &one.stdout),
            Format::Json => Ok(writeln!(out, "{}", one.stdout)?),
            Format::Text | Format::Jsonl => Ok(out.write_all(one.stdout.as_bytes())?),
        }
    })?;
    if format == Format::Json && (many || scenarios.is_empty()) {
        array.finish(&mut out)?;
    }
    out.flush()?;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// What one scenario prints.
struct Printed {
    stdout: String,
    stderr: String,
    failed: bool,
}

/// Evaluates scenario `i` and renders it in `format` (`--format json`: the
/// value pretty-printed on its own). `--format jsonl` prints the decision
/// alone, so only the decision is computed.
fn eval_one(
    i: usize,
    parsed: &ParsedScenario<'_>,
    many: bool,
    input: &Input,
    format: Format,
    style: Style,
) -> Result<Printed> {
    let name = parsed.name.as_deref();
    let first_error = |diags: &[iamtrace::Diagnostic]| {
        let first = diags.iter().find(|d| d.is_error()).or(diags.first());
        first.map(|d| diagnostics::one_line(input, &parsed.docs, d)).unwrap_or_default()
    };
    let mut p = Printed { stdout: String::new(), stderr: String::new(), failed: false };
    if format == Format::Jsonl {
        let line = match batch::decide(parsed) {
            Ok(decision) => serde_json::json!({"name": name, "decision": decision}),
            Err(diags) => {
                p.failed = true;
                serde_json::json!({"name": name, "error": first_error(&diags)})
            }
        };
        p.stdout = format!("{line}\n");
        return Ok(p);
    }
    let outcome = parsed.scenario.as_ref().ok_or_else(|| parsed.diagnostics.clone()).and_then(|s| s.evaluate());
    match (outcome, format) {
        (Err(diags), Format::Json) => {
            p.failed = true;
            let v = serde_json::json!({
                "name": name,
                "error": diags.iter().find(|d| d.is_error()).map(|d| diagnostics::one_line(input, &parsed.docs, d)),
                "diagnostics": diagnostics::to_json(input, &parsed.docs, &diags),
            });
            p.stdout = serde_json::to_string_pretty(&v)?;
        }
        (Err(diags), _) => {
            p.failed = true;
            p.stderr = diagnostics::render(input, &parsed.docs, &diags, style);
        }
        (Ok(answer), Format::Json) => {
            let warnings = diagnostics::to_json(input, &parsed.docs, &parsed.diagnostics);
            let mut v = serde_json::to_value(&answer)?;
            render::add_locations(&mut v, input, &parsed.docs);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("name".into(), serde_json::json!(name));
                obj.insert("diagnostics".into(), warnings);
            }
            p.stdout = serde_json::to_string_pretty(&v)?;
        }
        (Ok(answer), _) => {
            if many && i > 0 {
                p.stdout.push('\n');
            }
            if !parsed.diagnostics.is_empty() {
                p.stderr = diagnostics::render(input, &parsed.docs, &parsed.diagnostics, style);
            }
            p.stdout.push_str(&render::trace(&answer, name, input, &parsed.docs, style));
        }
    }
    Ok(p)
}

fn test(files: &[String], verbose: bool, style: Style) -> Result<ExitCode> {
    let mut passed = 0usize;
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in files {
        let input = Input::read(file)?;
        let text = match input.text() {
            Ok(t) => t,
            Err(d) => {
                failed += 1;
                writeln!(out, "{}", diagnostics::render_plain(&input, &d, style))?;
                continue;
            }
        };
        if iamtrace::walk::has_chain(text) {
            let t = chain::test(&input, text, verbose, style, &mut out)?;
            (passed, failed, skipped) = (passed + t.passed, failed + t.failed, skipped + t.skipped);
            continue;
        }
        let scenarios = batch::read(text);
        let check = |i: usize, parsed: &ParsedScenario<'_>| test_one(i, parsed, &input, verbose, style);
        batch::ordered(&scenarios, check, |_, (verdict, text)| {
            match verdict {
                Verdict::Passed => passed += 1,
                Verdict::Failed => failed += 1,
                Verdict::Skipped => skipped += 1,
            }
            Ok(out.write_all(text.as_bytes())?)
        })?;
    }
    if skipped > 0 {
        writeln!(out, "{skipped} scenario(s) without `expected` skipped")?;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    out.flush()?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

enum Verdict {
    Passed,
    Failed,
    Skipped,
}

/// Checks scenario `i` against its `expected` decision; what it prints. A
/// passing scenario is decided without its trace unless `verbose` asks for it.
fn test_one(i: usize, parsed: &ParsedScenario<'_>, input: &Input, verbose: bool, style: Style) -> (Verdict, String) {
    let label = parsed.name.clone().unwrap_or_else(|| format!("{}#{}", input.name(), i + 1));
    let Some(scenario) = &parsed.scenario else {
        let mut text = format!("{} {label}: invalid scenario\n", style.fail("FAIL"));
        text.push_str(&diagnostics::render(input, &parsed.docs, &parsed.diagnostics, style));
        return (Verdict::Failed, text);
    };
    let Some(expected) = scenario.expected else { return (Verdict::Skipped, String::new()) };
    if !verbose && batch::decide(parsed).is_ok_and(|d| d == expected) {
        return (Verdict::Passed, String::new());
    }
    match scenario.evaluate() {
        Err(diags) => {
            let mut text = format!("{} {label}: invalid request\n", style.fail("FAIL"));
            text.push_str(&diagnostics::render(input, &parsed.docs, &diags, style));
            (Verdict::Failed, text)
        }
        Ok(answer) if answer.decision == expected => {
            let mut text = format!("{} {label}: {}\n", style.pass("ok"), answer.decision);
            text.push_str(&render::trace(&answer, Some(&label), input, &parsed.docs, style));
            (Verdict::Passed, text)
        }
        Ok(answer) => {
            let mut text = format!("{} {label}: expected {expected}, got {}\n", style.fail("FAIL"), answer.decision);
            text.push_str(&render::trace(&answer, Some(&label), input, &parsed.docs, style));
            text.push('\n');
            (Verdict::Failed, text)
        }
    }
}
