//! The trace for people, and file locations for the JSON output.
//!
//! The text trace is bounded like the diagnostics: values from the input
//! are cut to [`MAX_VALUE_CHARS`] characters, each step lists at most
//! [`MAX_STATEMENTS`] statements (those that apply first) and each statement
//! as many conditions (those that failed first), and lists of values at most
//! [`MAX_VALUES`]; what is left out is counted.

use std::fmt::Write;

use iamtrace::scenario::{file_span, Document, Origin};
use iamtrace::trace::{
    ConditionResult, ElementStatus, ElementTrace, Grant, PrincipalTrace, StatementTrace, Step, Verdict,
};
use iamtrace::{Answer, Decision, DocId, LineIndex, Span};

use iamtrace::diagnostic::{cut, thousands};

use crate::input::Input;
use crate::snippet;
use crate::style::Style;

/// Values from the input (ARNs, patterns, keys, names) are cut to this many characters.
pub const MAX_VALUE_CHARS: usize = 200;
/// Statements listed per step of the trace.
pub const MAX_STATEMENTS: usize = 20;
/// Values listed per condition, keys per list.
pub const MAX_VALUES: usize = 10;

/// A value from the input as shown: control characters hidden, cut when long.
fn short(s: &str) -> String {
    let head = s.get(..s.floor_char_boundary(MAX_VALUE_CHARS * 4)).unwrap_or(s);
    let mut out = snippet::clean(head);
    if head.len() < s.len() {
        out.push('…');
    }
    cut(&mut out, MAX_VALUE_CHARS);
    out
}

/// At most [`MAX_STATEMENTS`] of `items` in their order: those that are
/// `first` before the others.
fn pick<T>(items: &[T], first: impl Fn(&T) -> bool) -> Vec<&T> {
    let wanted = items.iter().filter(|i| first(i)).count().min(MAX_STATEMENTS);
    let (mut left, mut others) = (wanted, MAX_STATEMENTS - wanted);
    items
        .iter()
        .filter(|i| {
            let slot = if first(i) { &mut left } else { &mut others };
            let show = *slot > 0;
            *slot = slot.saturating_sub(1);
            show
        })
        .collect()
}

/// The first [`MAX_VALUES`] items, joined, and how many more there are.
fn listed(items: impl ExactSizeIterator<Item = String>, sep: &str) -> String {
    let n = items.len();
    let mut shown: Vec<String> = items.take(MAX_VALUES).collect();
    if n > MAX_VALUES {
        shown.push(format!("... and {} more", thousands(n - MAX_VALUES)));
    }
    shown.join(sep)
}

/// `Amazon S3` for `s3`, from the index of the built-in data (the reference
/// itself is not inflated for the trace).
fn service_name(prefix: &str) -> Option<&'static str> {
    iamtrace_data::embedded::service_name(prefix)
}

/// How many real actions a wildcard action pattern covers (inflating only
/// the pattern's service's part of the built-in data).
fn covers(pattern: &str) -> Option<usize> {
    if !pattern.contains(['*', '?']) {
        return None;
    }
    iamtrace_data::embedded::count_actions(pattern)
}

/// `file:line:col` of a span of a document.
fn location(input: &Input, docs: &[Document<'_>], doc: DocId, span: Span) -> String {
    if let Some(s) = file_span(docs, doc, span) {
        let (line, col) = input.line_col(s.start);
        return format!("{}:{line}:{col}", input.name());
    }
    match docs.get(doc.0 as usize) {
        Some(Document { text, origin: Origin::Managed { name, .. } }) => {
            let p = LineIndex::new(text).position(text, span.start);
            format!("managed policy {name}:{}:{}", p.line, p.column)
        }
        _ => String::new(),
    }
}

fn verdict_word(v: Verdict, style: Style) -> String {
    let w = match v {
        Verdict::Info => "",
        Verdict::Allow => "ALLOW",
        Verdict::NoAllow => "NO ALLOW",
        Verdict::ExplicitDeny => "DENY",
        Verdict::Pass => "PASS",
        Verdict::Skipped => "SKIPPED",
        Verdict::NotApplicable => "N/A",
        Verdict::NotReached => "NOT REACHED",
        Verdict::ImplicitDeny => "IMPLICIT DENY",
    };
    let padded = format!("{w:<11}");
    match v {
        Verdict::Allow | Verdict::Pass => style.allow(&padded),
        Verdict::ExplicitDeny => style.deny(&padded),
        Verdict::NoAllow | Verdict::ImplicitDeny => style.implicit(&padded),
        _ => style.dim(&padded),
    }
}

/// Renders an answer as an indented, ordered trace.
pub fn trace(answer: &Answer<'_>, name: Option<&str>, input: &Input, docs: &[Document<'_>], style: Style) -> String {
    let mut out = String::new();
    if let Some(n) = name {
        let _ = writeln!(out, "{}  {}", style.bold("Scenario"), short(n));
    }
    let mut number = 0;
    let mut not_reached: Vec<&str> = Vec::new();
    for step in &answer.trace {
        if step.verdict == Verdict::NotReached {
            number += 1;
            not_reached.push(step.stage.title());
            continue;
        }
        let first = number + 1 - not_reached.len();
        flush_not_reached(&mut out, &mut not_reached, first, number, style);
        match step.stage {
            iamtrace::trace::Stage::Request => request(&mut out, step, style),
            iamtrace::trace::Stage::Decision => {}
            _ => {
                number += 1;
                stage(&mut out, step, number, input, docs, style);
            }
        }
    }
    let decision = match answer.decision {
        Decision::Allow => style.allow("Allow"),
        Decision::ExplicitDeny => style.deny("ExplicitDeny"),
        Decision::ImplicitDeny => style.implicit("ImplicitDeny"),
    };
    let _ = writeln!(out, "\n{}  {decision}: {}", style.bold("Decision"), short(strip_prefix(&answer.summary)));
    for d in answer.deciding.iter().take(MAX_STATEMENTS) {
        let _ = writeln!(
            out,
            "          {}  {}",
            short(&d.label()),
            style.dim(&location(input, docs, d.policy.doc, d.span))
        );
    }
    if answer.deciding.len() > MAX_STATEMENTS {
        let _ = writeln!(out, "          ... and {} more", thousands(answer.deciding.len() - MAX_STATEMENTS));
    }
    if !answer.missing_keys.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("Missing keys that could change the result"));
        for m in answer.missing_keys.iter().take(MAX_VALUES) {
            let refs = listed(
                m.referenced_by.iter().map(|r| {
                    let at = location(input, docs, r.statement.policy.doc, r.span);
                    format!("{} at {at}", short(&r.statement.label()))
                }),
                "; ",
            );
            let _ = writeln!(out, "          {}  ({} in {refs})", style.code(&short(&m.key)), m.used_as);
        }
        if answer.missing_keys.len() > MAX_VALUES {
            let _ = writeln!(out, "          ... and {} more keys", thousands(answer.missing_keys.len() - MAX_VALUES));
        }
    }
    out
}

/// One line for a run of stages the evaluation never reached.
fn flush_not_reached(out: &mut String, stages: &mut Vec<&str>, first: usize, last: usize, style: Style) {
    if stages.is_empty() {
        return;
    }
    // Numbered like a step (` 8`), a range as wide as it needs (`3-10`).
    let numbers = if first == last { first.to_string() } else { format!("{first}-{last}") };
    let line = format!(" {numbers:>2}  not reached (the decision was already made): {}", stages.join(", "));
    let _ = writeln!(out, "{}", style.dim(&line));
    stages.clear();
}

fn source(s: iamtrace::request::Source) -> &'static str {
    match s {
        iamtrace::request::Source::Given => "given",
        iamtrace::request::Source::Derived => "derived",
        iamtrace::request::Source::Unknown => "unknown",
    }
}

fn strip_prefix(s: &str) -> &str {
    s.split_once(": ").map_or(s, |(_, rest)| rest)
}

fn request(out: &mut String, step: &Step<'_>, style: Style) {
    let _ = writeln!(out, "{}   {}", style.bold("Request"), short(&step.summary.text()));
    let Some(f) = &step.request else { return };
    let mut principal = format!("{} ({}", short(&f.principal), f.principal_kind.describe());
    if let Some(a) = &f.principal_account {
        let _ = write!(principal, ", account {a}");
    }
    principal.push(')');
    let _ = writeln!(out, "          principal   {principal}");
    match service_name(&f.service) {
        Some(name) => {
            let _ = writeln!(out, "          service     {} ({name})", short(&f.service));
        }
        None => {
            let _ = writeln!(out, "          service     {} (not in the AWS service reference)", short(&f.service));
        }
    }
    if let Some(p) = &f.session_parent {
        let _ = writeln!(out, "          parent      {} ({})", short(p), source(f.session_parent_source));
    }
    match &f.resource_account {
        Some(a) => {
            let _ = writeln!(out, "          resource    account {} ({})", short(a), source(f.resource_account_source));
        }
        None => {
            let _ = writeln!(out, "          resource    account unknown");
        }
    }
    for d in &f.derived_keys {
        let _ = writeln!(
            out,
            "          derived     {} = {}  {}",
            style.code(&short(&d.key)),
            short(&d.value),
            style.dim(&format!("(from {})", short(&d.from)))
        );
    }
    for p in &f.policies {
        let state = if p.applies { "applies" } else { "does not apply" };
        let _ = writeln!(out, "          policies    {} x{} {state}: {}", p.kind.key(), p.count, short(&p.reason));
    }
    let _ = writeln!(out);
}

fn stage(out: &mut String, step: &Step<'_>, number: usize, input: &Input, docs: &[Document<'_>], style: Style) {
    let marker = if step.decisive { style.bold(">") } else { " ".to_owned() };
    let mut title = step.title.to_string();
    if let Some(side) = step.side {
        let _ = write!(
            title,
            " [{} side]",
            match side {
                iamtrace::trace::Side::Principal => "principal",
                iamtrace::trace::Side::Resource => "resource",
            }
        );
    }
    let summary = short(&step.summary.text());
    let _ = writeln!(out, "{marker}{number:>2}  {title:<42} {} {summary}", verdict_word(step.verdict, style));
    for note in step.notes.iter().take(MAX_VALUES) {
        let _ = writeln!(out, "       {}", style.dim(&format!("note: {}", short(note))));
    }
    // The statements that apply first, then the others, in their order.
    let statements: Vec<_> = step.statements.iter().collect();
    for st in pick(&statements, |st| st.applies) {
        statement(out, st, input, docs, style);
    }
    if step.statements.len() > MAX_STATEMENTS {
        let more = step.statements.len() - MAX_STATEMENTS;
        let line = format!("       ... and {} more statements not shown", thousands(more));
        let _ = writeln!(out, "{}", style.dim(&line));
    }
}

fn statement(out: &mut String, st: &StatementTrace<'_>, input: &Input, docs: &[Document<'_>], style: Style) {
    let mark = if st.applies { style.allow("✓") } else { style.dim("✗") };
    let loc = location(input, docs, st.statement.policy.doc, st.statement.span);
    let effect = format!("{:?}", st.statement.effect);
    let _ = writeln!(
        out,
        "       {mark} {} {}  {}",
        short(&st.statement.label()),
        style.dim(&format!("({effect})")),
        style.dim(&loc)
    );
    element(out, &st.action, style);
    element(out, &st.resource, style);
    if let Some(p) = &st.principal {
        principal(out, p, style);
    }
    if st.conditions_evaluated {
        // The conditions that failed first (they decided), then the others.
        for c in pick(&st.conditions, |c| c.result == ConditionResult::False) {
            let result = match c.result {
                ConditionResult::True => style.allow("true"),
                ConditionResult::False => style.implicit("false"),
            };
            let values = listed(
                c.policy_values.iter().map(|v| match (&v.resolved, v.unresolved) {
                    (_, true) => format!("`{}` (unresolved)", short(&v.text)),
                    (Some(r), _) => format!("`{}` -> `{}`", short(&v.text), short(r)),
                    (None, _) => format!("`{}`", short(&v.text)),
                }),
                ", ",
            );
            let request = match c.request_values.as_ref().map(|vs| vs.as_slice()) {
                None => "missing".to_owned(),
                Some(vs) if vs.len() == 1 => format!("`{}`", short(vs.first().map(|v| v.as_ref()).unwrap_or(""))),
                Some(vs) => format!("[{}]", listed(vs.iter().map(|v| format!("`{}`", short(v))), ", ")),
            };
            let derived = if c.derived { " (derived)" } else { "" };
            let _ = writeln!(
                out,
                "           Condition   {} {}: request {request}{derived}, policy [{values}] -> {result}",
                short(&c.operator),
                style.code(&short(&c.key)),
            );
            let _ = writeln!(out, "                       {}", style.dim(&short(&c.reason())));
        }
        if st.conditions.len() > MAX_STATEMENTS {
            let line = format!("... and {} more conditions not shown", thousands(st.conditions.len() - MAX_STATEMENTS));
            let _ = writeln!(out, "           {}", style.dim(&line));
        }
    } else if !st.conditions.is_empty() || st.condition_span.is_some() {
        let _ = writeln!(out, "           Condition   {}", style.dim("not evaluated"));
    }
}

fn element(out: &mut String, e: &ElementTrace<'_>, style: Style) {
    let text = match (e.status, e.element, &e.hit) {
        (ElementStatus::Omitted, _, _) => "omitted: the resource the policy is attached to".to_owned(),
        (ElementStatus::NotEvaluated, _, _) => style.dim("not evaluated"),
        (ElementStatus::NotMatched, _, _) if e.absent() => {
            "absent: in a key policy, a statement without it has no effect".to_owned()
        }
        (ElementStatus::Matched, "Action", Some(h)) => {
            let n = covers(&h.text).map(|n| format!(" (a wildcard covering {n} actions)")).unwrap_or_default();
            format!("`{}` matches `{}`{n}", short(&e.against), short(&h.text))
        }
        (ElementStatus::Matched, "Resource", Some(h)) => {
            format!("`{}` matches `{}`{}", short(&e.against), short(&h.text), resolved(h.resolved.as_deref()))
        }
        (ElementStatus::Matched, _, _) => format!("`{}` is not listed", short(&e.against)),
        (ElementStatus::NotMatched, "NotAction" | "NotResource", Some(h)) => {
            format!("`{}` is excluded by `{}`", short(&e.against), short(&h.text))
        }
        (ElementStatus::NotMatched, _, _) => format!("`{}` matches none of the patterns", short(&e.against)),
    };
    let _ = writeln!(out, "           {:<11} {text}", e.element);
    for d in e.dropped.iter().take(MAX_VALUES) {
        let line = format!("`{}` dropped: a variable has no value", short(&d.text));
        let _ = writeln!(out, "                       {}", style.dim(&line));
    }
}

fn resolved(r: Option<&str>) -> String {
    r.map(|r| format!(" (resolved to `{}`)", short(r))).unwrap_or_default()
}

fn principal(out: &mut String, p: &PrincipalTrace<'_>, style: Style) {
    let text = match p.status {
        ElementStatus::NotEvaluated => style.dim("not evaluated"),
        ElementStatus::Matched if p.element == "Principal" => {
            let hit = p.hits.first().map(|h| format!("`{}`", short(&h.value))).unwrap_or_default();
            let grant = match p.grant {
                Some(Grant::Direct) => "names the caller directly",
                Some(Grant::Everyone) => "everyone",
                Some(Grant::Entity) => "names the caller's role or IAM user",
                Some(Grant::Account) => "names the caller's account",
                Some(Grant::Service) => "names the calling service",
                Some(Grant::Federated) => "names the identity provider",
                None => "",
            };
            format!("`{}` matched by {hit} ({grant})", short(&p.against))
        }
        ElementStatus::Matched => format!("`{}` is not exempted", short(&p.against)),
        ElementStatus::NotMatched if p.element == "NotPrincipal" => format!("`{}` is exempted", short(&p.against)),
        _ => format!("`{}` is not named", short(&p.against)),
    };
    let _ = writeln!(out, "           {:<11} {text}", p.element);
    if let Some(n) = &p.note {
        let _ = writeln!(out, "                       {}", style.dim(&short(n)));
    }
}

/// Adds `"location": {"file", "line", "column"}` beside every statement
/// span of the JSON output, in file coordinates; the service's name to the
/// request; and `covers` (the number of real actions) to every wildcard
/// action pattern that matched.
pub fn add_locations(v: &mut serde_json::Value, input: &Input, docs: &[Document<'_>]) {
    walk(v, None, input, docs);
    if let Some(steps) = v.get_mut("trace").and_then(serde_json::Value::as_array_mut) {
        for step in steps {
            if let Some(req) = step.get_mut("request").and_then(serde_json::Value::as_object_mut) {
                let name = req.get("service").and_then(serde_json::Value::as_str).and_then(service_name);
                req.insert("service_name".into(), serde_json::json!(name));
            }
            for st in step.get_mut("statements").and_then(serde_json::Value::as_array_mut).into_iter().flatten() {
                if let Some(hit) =
                    st.get_mut("action").and_then(|a| a.get_mut("hit")).and_then(serde_json::Value::as_object_mut)
                {
                    if let Some(n) = hit.get("text").and_then(serde_json::Value::as_str).and_then(covers) {
                        hit.insert("covers".into(), serde_json::json!(n));
                    }
                }
            }
        }
    }
}

fn walk(v: &mut serde_json::Value, doc: Option<u32>, input: &Input, docs: &[Document<'_>]) {
    match v {
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, doc, input, docs)),
        serde_json::Value::Object(map) => {
            let doc = map
                .get("policy")
                .and_then(|p| p.get("doc"))
                .and_then(serde_json::Value::as_u64)
                .and_then(|d| u32::try_from(d).ok())
                .or(doc);
            if let (Some(d), Some(span)) = (doc, map.get("span")) {
                let start = span.get("start").and_then(serde_json::Value::as_u64).unwrap_or(0);
                let end = span.get("end").and_then(serde_json::Value::as_u64).unwrap_or(0);
                let span = Span::new(u32::try_from(start).unwrap_or(0), u32::try_from(end).unwrap_or(0));
                if let Some(s) = file_span(docs, DocId(d), span) {
                    let (line, column) = input.line_col(s.start);
                    map.insert(
                        "location".into(),
                        serde_json::json!({"file": input.name(), "line": line, "column": column}),
                    );
                }
            }
            for (_, child) in map.iter_mut() {
                walk(child, doc, input, docs);
            }
        }
        _ => {}
    }
}

/// The JSON output of a file: its one item as it is, or the items as an
/// array (always an array when `list`: the file holds several scenarios).
pub fn one_or_array(items: Vec<serde_json::Value>, list: bool) -> serde_json::Value {
    match <[serde_json::Value; 1]>::try_from(items) {
        Ok([one]) if !list => one,
        Ok(one) => serde_json::Value::Array(one.into()),
        Err(items) => serde_json::Value::Array(items),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_item_stands_alone_unless_the_file_is_a_list() {
        use serde_json::json;
        assert_eq!(one_or_array(vec![json!(1)], false), json!(1));
        assert_eq!(one_or_array(vec![json!(1)], true), json!([1]));
        assert_eq!(one_or_array(vec![json!(1), json!(2)], false), json!([1, 2]));
        assert_eq!(one_or_array(Vec::new(), false), json!([]));
    }

    use super::*;

    #[test]
    fn long_traces_list_what_decided_and_count_the_rest() {
        // 100 Deny statements that do not apply, one Allow with 50 conditions (one false),
        // and a 10,000-character resource.
        let deny = r#"{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}"#;
        let conditions: Vec<String> = (0..50).map(|i| format!(r#""aws:PrincipalTag/k{i}":"v""#)).collect();
        let allow = format!(
            r#"{{"Sid":"Wanted","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}"#,
            conditions.join(",")
        );
        let statements = format!("{},{allow}", vec![deny; 100].join(","));
        let resource = format!("arn:aws:s3:::b/{}", "x".repeat(10_000));
        let text = format!(
            r#"{{"policies":{{"identity":[{{"Version":"2012-10-17","Statement":[{statements}]}}]}},
            "request":{{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"{resource}",
            "context":{{"aws:PrincipalTag/k0":"v"}}}}}}"#
        );
        let input = Input::from_bytes("t.json".into(), text.clone().into_bytes());
        let parsed = iamtrace::parse_scenario(&text, None);
        let answer = parsed.scenario.as_ref().unwrap().evaluate().unwrap();
        let out = trace(&answer, None, &input, &parsed.docs, Style::new(false));
        assert!(out.len() < 64 * 1024, "{} bytes", out.len());
        assert!(out.contains("... and 80 more statements not shown"), "{out}");
        assert!(out.contains("... and 30 more conditions not shown"), "{out}");
        // The failing condition is among those shown.
        assert!(out.contains("aws:PrincipalTag/k1: request missing"), "{out}");
        assert!(!out.contains(&"x".repeat(MAX_VALUE_CHARS)), "values are cut");
    }
}
