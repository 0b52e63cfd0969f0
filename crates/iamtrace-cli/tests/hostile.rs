//! Hostile input at the command line: every generated input (see
//! `hostile/inputs.rs`) through every entry point (`eval` as text, JSON and
//! JSON Lines, `test`, `lint` as text and JSON). Each run must end with
//! status 0 or 1, say where the problem is (`file:line:col`, or a stated
//! limit), stay under the time limit (plus the limit again for every 10 MB
//! of output, for valid inputs whose JSON trace is large; a run over it is
//! tried once more and judged on the better time, as CI machines are
//! shared), and print a bounded amount on error.
//!
//! The inputs are written to `target/hostile/` (they are megabytes; never
//! committed). Time is measured against the binary in `IAMTRACE_BIN` with
//! the limit in `HOSTILE_LIMIT_MS` (`scripts/hostile.sh` passes the release
//! binary and 2000 ms: `scripts/hostile.sh --cli-only`). Run with
//! `cargo test -p iamtrace-cli --test hostile -- --ignored` alone, it uses
//! the debug binary with a limit of 20 s (a debug build is 5 to 15 times
//! slower: that run checks status, positions and sizes, and only catches
//! runaway time; it takes about 6 minutes, hence `#[ignore]`).
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "hostile/inputs.rs"]
mod inputs;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use inputs::What;

/// Error output larger than this is a failure.
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// JSON and JSON Lines print one entry per scenario; each may add this much.
const MAX_BYTES_PER_SCENARIO: usize = 512;
/// Each this many bytes of output add the time limit once more.
const PER_LIMIT_BYTES: u128 = 10 << 20;

const COMMANDS: &[(&str, &[&str])] = &[
    ("eval", &["eval", "--color", "never"]),
    ("eval-json", &["eval", "--format", "json"]),
    ("eval-jsonl", &["eval", "--format", "jsonl"]),
    ("test", &["test", "--color", "never"]),
    ("lint", &["lint", "--color", "never"]),
    ("lint-json", &["lint", "--format", "json"]),
];

/// Inputs whose evaluation is known to take longer than the limit (name,
/// why). `eval` and `test` on them must still be over the limit, so an
/// entry is removed once it is fixed; `lint` does not evaluate and is
/// checked like the rest. Empty: the last two (100,000 context values
/// against 100 patterns of 500 stars; a run of 100,000 `?` against a 1 MB
/// value) were fixed by compiling `...Like` patterns once per condition and
/// finding `?` runs by their literal part.
const KNOWN_SLOW: &[(&str, &str)] = &[];

/// Texts some runs must show (case, command, text).
const EXPECTED: &[(&str, &str, &str)] = &[
    ("scenario-8mb-one-line", "eval", "span of 8,"),
    ("scenario-8mb-one-line", "eval", ":1:47"),
    ("scenario-8mb-one-line", "eval-jsonl", "iamtrace reads policies up to 1048576 bytes"),
    ("scenario-8mb-many-lines", "eval", ":1:47"),
    ("policy-8mb-one-line", "lint", "iamtrace reads policies up to"),
    ("scenario-8mb-error-at-end", "eval", "trailing"),
    ("policy-100k-bad-statements", "lint", "more errors not shown"),
    ("policy-100k-bad-statements", "lint-json", "diagnostics-omitted"),
    ("scenario-100k-bad-statements", "eval", "more errors not shown"),
    ("scenario-100k-bad-statements-string", "eval-json", "\"diagnostics_omitted\": "),
    ("policy-100k-duplicate-keys", "lint", "first"),
    ("nesting-10k-arrays", "eval", "nested more than 64 levels"),
    ("invalid-utf8-middle", "eval", "invalid UTF-8 at byte"),
    ("invalid-utf8-start", "lint", ":1:1"),
    ("array-1m-scenarios", "eval", "more than 10,000 scenarios"),
    ("array-1m-scenarios", "test", "more than 10,000 scenarios"),
    ("bad-scenarios-10k", "test", "more failures not shown"),
    ("bad-scenarios-over-the-limit", "eval-jsonl", "iamtrace reads up to 10,000 per file"),
];

struct Run {
    case: &'static str,
    command: &'static str,
    code: Option<i32>,
    ms: u128,
    bytes: usize,
    /// The first 16 MB of stdout and stderr, for the checks.
    text: String,
}

fn binary() -> (PathBuf, bool) {
    match std::env::var_os("IAMTRACE_BIN") {
        Some(p) => (PathBuf::from(p), true),
        None => (PathBuf::from(env!("CARGO_BIN_EXE_iamtrace")), false),
    }
}

/// `target/hostile/`.
fn dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("hostile")
}

/// Reads a pipe to its end, keeping the first 16 MB; returns them and the byte count.
fn drain(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let (mut kept, mut total, mut buf) = (Vec::new(), 0usize, vec![0u8; 64 * 1024]);
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
            if kept.len() < 16 << 20 {
                kept.extend_from_slice(&buf[..n]);
            }
        }
        (kept, total)
    })
}

fn run(bin: &Path, case: &'static str, command: &'static str, args: &[&str], file: &Path, kill_after: Duration) -> Run {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .arg(file)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iamtrace runs");
    let out = drain(child.stdout.take().unwrap());
    let err = drain(child.stderr.take().unwrap());
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > kill_after {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let ms = start.elapsed().as_millis();
    let (o, on) = out.join().unwrap();
    let (e, en) = err.join().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&o), String::from_utf8_lossy(&e));
    Run { case, command, code: status.and_then(|s| s.code()), ms, bytes: on + en, text }
}

/// Whether the output says where: `file:line:col`, a JSON `"line"`, or a stated limit.
fn says_where(text: &str, file: &str) -> bool {
    let positioned = text.match_indices(file).any(|(i, _)| {
        let rest = &text[i + file.len()..];
        let mut parts = rest.split(':').skip(1);
        let digits = |s: Option<&str>| s.is_some_and(|s| s.chars().next().is_some_and(|c| c.is_ascii_digit()));
        digits(parts.next()) && digits(parts.next())
    });
    // `test` also fails on a decision that differs from `expected`, and says so.
    let mismatch = text.contains(": expected ") && text.contains(", got ");
    positioned || mismatch || text.contains("\"line\"") || text.contains("up to") || text.contains("more than")
}

/// How many scenarios a JSON or JSON Lines output has entries for.
fn entries(run: &Run) -> usize {
    match run.command {
        "eval-jsonl" => run.text.lines().filter(|l| l.starts_with('{')).count(),
        "eval-json" => serde_json::from_str::<serde_json::Value>(&run.text)
            .ok()
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(1),
        _ => 1,
    }
}

fn check(run: &Run, file: &str, limit_ms: u128) -> Vec<String> {
    let mut problems = Vec::new();
    let what = format!("{} {}", run.command, run.case);
    match run.code {
        Some(0 | 1) => {}
        Some(c) => problems.push(format!("{what}: exit status {c}")),
        None => problems.push(format!("{what}: killed by a signal or the time limit")),
    }
    // An answer costs time in proportion to its size (a trace of a million
    // context values is 28 MB of JSON): the limit grows by itself for every 10 MB printed.
    let limit_ms = limit_ms + limit_ms * run.bytes as u128 / PER_LIMIT_BYTES;
    if run.ms > limit_ms {
        problems.push(format!("{what}: {} ms, over the {limit_ms} ms limit", run.ms));
    }
    if run.text.contains("panicked") {
        problems.push(format!("{what}: panicked: {}", &run.text[..run.text.len().min(2000)]));
    }
    if run.code == Some(1) && !says_where(&run.text, file) {
        problems.push(format!("{what}: no position or limit in: {}", &run.text[..run.text.len().min(2000)]));
    }
    let bound = MAX_ERROR_BYTES + MAX_BYTES_PER_SCENARIO * entries(run);
    let bound = if run.command.starts_with("eval-json") { bound } else { MAX_ERROR_BYTES };
    if run.code != Some(0) && run.bytes > bound {
        problems.push(format!("{what}: {} bytes of output, over {bound}", run.bytes));
    }
    // JSON escapes control characters; text output must not carry them (nor text-direction overrides).
    let json = run.command.ends_with("json") || run.command.ends_with("jsonl");
    if run.text.contains(['\u{1b}', '\u{7}']) || (!json && run.text.contains('\u{202e}')) {
        problems.push(format!("{what}: terminal control characters reach the output"));
    }
    for (case, command, expected) in EXPECTED {
        if *case == run.case && *command == run.command && !run.text.contains(expected) {
            problems.push(format!("{what}: `{expected}` not in: {}", &run.text[..run.text.len().min(2000)]));
        }
    }
    problems
}

#[test]
#[ignore = "minutes of work: scripts/hostile.sh runs it against the release binary (CI's hostile stage)"]
fn every_entry_point_is_bounded() {
    let (bin, given) = binary();
    let limit_ms: u128 = std::env::var("HOSTILE_LIMIT_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(if given {
        2000
    } else {
        20_000
    });
    let kill_after = Duration::from_millis((limit_ms * 5).max(30_000) as u64);
    let dir = dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut report = vec![format!(
        "binary {} (limit {limit_ms} ms)\n{:<44} {:<10} {:>6} {:>8} {:>10}",
        bin.display(),
        "input",
        "command",
        "status",
        "ms",
        "bytes"
    )];
    let mut problems = Vec::new();
    let mut slowest = 0;
    for case in inputs::all() {
        let file = dir.join(format!("{}.json", case.name));
        std::fs::write(&file, &case.bytes).unwrap();
        let shown = file.to_string_lossy().into_owned();
        for (command, args) in COMMANDS {
            // Policy files are for `lint`; scenario files go everywhere.
            if case.what == What::Policy && !command.starts_with("lint") && *command != "eval" {
                continue;
            }
            let slow = KNOWN_SLOW.iter().find(|(name, _)| *name == case.name).filter(|_| !command.starts_with("lint"));
            let kill = if slow.is_some() { Duration::from_millis(limit_ms as u64 + 2000) } else { kill_after };
            let mut r = run(&bin, case.name, command, args, &file, kill);
            // Over the limit: once more, judged on the better time (CI machines are shared).
            if slow.is_none() && r.ms > limit_ms {
                let again = run(&bin, case.name, command, args, &file, kill);
                r.ms = r.ms.min(again.ms);
            }
            let status = r.code.map_or("killed".to_owned(), |c| c.to_string());
            let note = slow.map(|(_, why)| format!("  known slow: {why}")).unwrap_or_default();
            report.push(format!("{:<44} {:<10} {:>6} {:>8} {:>10}{note}", r.case, r.command, status, r.ms, r.bytes));
            if slow.is_some() {
                if r.ms <= limit_ms {
                    problems.push(format!(
                        "{command} {}: known slow, but took {} ms: remove it from KNOWN_SLOW",
                        case.name, r.ms
                    ));
                }
                continue;
            }
            slowest = slowest.max(r.ms);
            problems.extend(check(&r, &shown, limit_ms));
        }
    }
    report.push(format!("slowest run (known slow inputs aside): {slowest} ms"));
    let report = report.join("\n");
    std::fs::write(dir.join("report.txt"), &report).unwrap();
    println!("{report}");
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
