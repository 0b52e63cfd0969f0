//! `iamtrace eval --cloudtrail FILE [--policies FILE]`: the request a
//! CloudTrail record describes, with where each value came from, and,
//! given policies, iamtrace's decision beside AWS's.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use iamtrace::api::{self, Policies, PolicyText, Slot};
use iamtrace::cloudtrail::{self, CallAnswers, ImportedEvent};
use iamtrace::json::{self, Node, Value};
use iamtrace::lint::Knowledge;
use iamtrace::scenario::{Document, Origin};
use iamtrace::{Answer, Diagnostic, DocId, Span};

use crate::commands::Format;
use crate::error::{Error, Result};
use crate::input::Input;
use crate::style::Style;
use crate::{diagnostics, render};

pub fn run(file: &str, policies: Option<&str>, format: Format, style: Style) -> Result<ExitCode> {
    let input = Input::read(file)?;
    let Some(text) = diagnostics::text_or_report(&input, style) else { return Ok(ExitCode::from(1)) };
    let knowledge = iamtrace_data::embedded::reference().ok().map(|r| r as &dyn Knowledge);
    let imported = cloudtrail::import_with(text, knowledge);
    let root_doc = [Document { text: Cow::Borrowed(text), origin: Origin::Root { base: 0 } }];
    let mut failed = false;
    if !imported.diagnostics.is_empty() {
        let diags: Vec<Diagnostic> = imported.diagnostics.iter().map(|d| d.diagnostic.clone()).collect();
        let _ = write!(std::io::stderr(), "{}", diagnostics::render(&input, &root_doc, &diags, style));
        return Ok(ExitCode::from(1));
    }
    let policy_file = match policies {
        Some(p) => Some(PolicyFile::read(p, style)?),
        None => None,
    };
    let mut out = std::io::stdout().lock();
    let mut json_items = Vec::new();
    for (i, ev) in imported.events.iter().enumerate() {
        if ev.has_errors() {
            failed = true;
            let diags: Vec<Diagnostic> = ev.diagnostics.iter().map(|d| d.diagnostic.clone()).collect();
            let _ = write!(std::io::stderr(), "{}", diagnostics::render(&input, &root_doc, &diags, style));
            continue;
        }
        let evaluated = match &policy_file {
            Some(pf) if ev.complete => Some(pf.evaluate(ev)),
            Some(_) => {
                failed = true;
                let missing: Vec<&str> = ev.unknown_fields.iter().map(|u| u.key.as_str()).collect();
                let _ = writeln!(
                    std::io::stderr(),
                    "{}: {} cannot be evaluated: the record does not give its {}\n  = help: run without `--policies` and `--format json` for a scenario to complete, then `iamtrace eval` it",
                    style.error("error"),
                    label(ev),
                    missing.join(", ")
                );
                None
            }
            None => None,
        };
        match format {
            Format::Text => {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", describe(ev, &input, style))?;
                if let (Some(pf), Some(ev_out)) = (&policy_file, &evaluated) {
                    match ev_out {
                        Ok(answers) => {
                            write!(out, "{}", verdicts(ev, answers, style))?;
                            writeln!(out)?;
                            let name = format!("CloudTrail {}", label(ev));
                            let main = &answers.main;
                            let trace = render::trace(main, Some(&name), &pf.input, &pf.docs_for(main), style);
                            write!(out, "{trace}")?;
                            for (f, answer) in &answers.further {
                                writeln!(out)?;
                                writeln!(out, "{}   {}  {}", style.bold("Further"), f.action, style.dim(&f.why))?;
                                let name = format!("CloudTrail {} ({})", label(ev), f.action);
                                let docs = pf.docs_for(answer);
                                write!(out, "{}", render::trace(answer, Some(&name), &pf.input, &docs, style))?;
                            }
                        }
                        Err(diags) => {
                            failed = true;
                            let docs = pf.docs(&[]);
                            let _ =
                                write!(std::io::stderr(), "{}", diagnostics::render(&pf.input, &docs, diags, style));
                        }
                    }
                }
            }
            Format::Json | Format::Jsonl => {
                let item = match (&policy_file, &evaluated) {
                    (Some(pf), Some(Ok(answers))) => {
                        let located = |answer: &Answer<'_>| -> Result<serde_json::Value> {
                            let mut v = serde_json::to_value(answer)?;
                            render::add_locations(&mut v, &pf.input, &pf.docs_for(answer));
                            Ok(v)
                        };
                        let comparison = ev.aws_denial.as_ref().map(|d| cloudtrail::compare(d, answers.compared(d)));
                        let mut further = Vec::new();
                        for (f, answer) in &answers.further {
                            further.push(serde_json::json!({"action": f.action, "why": f.why, "decision": answer.decision, "answer": located(answer)?}));
                        }
                        serde_json::json!({"event": ev, "decision": answers.decision(), "answer": located(&answers.main)?, "further": further, "comparison": comparison})
                    }
                    (Some(pf), Some(Err(diags))) => {
                        failed = true;
                        let docs = pf.docs(&[]);
                        serde_json::json!({"event": ev, "diagnostics": diagnostics::to_json_all(&pf.input, &docs, diags)})
                    }
                    (Some(_), None) => {
                        serde_json::json!({"event": ev, "error": "the record does not give the whole request"})
                    }
                    (None, _) => scenario(ev),
                };
                if format == Format::Jsonl {
                    writeln!(out, "{item}")?;
                } else {
                    json_items.push(item);
                }
            }
        }
    }
    if format == Format::Json {
        let v = render::one_or_array(json_items, false);
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `Records[2] s3.amazonaws.com GetObject`.
fn label(ev: &ImportedEvent) -> String {
    let what = match (&ev.event_source, &ev.event_name) {
        (Some(s), Some(n)) => format!("{s} {n}"),
        _ => ev.request.action.clone(),
    };
    if ev.path.is_empty() {
        what
    } else {
        format!("{} {what}", ev.path)
    }
}

/// The scenario a person can complete: the request, the imported notes.
fn scenario(ev: &ImportedEvent) -> serde_json::Value {
    let mut notes: Vec<String> = ev.unknown_fields.iter().map(|u| format!("{} unknown: {}", u.key, u.why)).collect();
    notes.extend(ev.unknown.iter().map(|u| format!("{} unknown: {}", u.key, u.why)));
    notes.extend(ev.absent.iter().map(|u| format!("{} absent: {}", u.key, u.why)));
    notes.extend(ev.further_actions.iter().map(|f| format!("further action {}: {}", f.action, f.why)));
    notes.extend(ev.notes.iter().cloned());
    serde_json::json!({
        "name": format!("CloudTrail {}", label(ev)),
        "source": format!("CloudTrail event {}", ev.event_id.as_deref().unwrap_or(&ev.path)),
        "policies": {},
        "request": ev.request,
        "notes": notes,
    })
}

/// The request and its keys, each with the record field it came from.
fn describe(ev: &ImportedEvent, input: &Input, style: Style) -> String {
    let mut s = String::new();
    let at = |line: u32, column: u32| style.dim(&format!("{}:{line}:{column}", input.name()));
    let time = ev.event_time.as_deref().unwrap_or("");
    let _ = writeln!(
        s,
        "{}     {}  {}  {}",
        style.bold("Event"),
        label(ev),
        time,
        at(ev.location.start.line, ev.location.start.column)
    );
    let _ = writeln!(s, "{}   {}", style.bold("Request"), if ev.complete { "complete" } else { "incomplete" });
    for f in &ev.fields {
        let how = f.note.as_deref().map(|n| format!("; {n}")).unwrap_or_default();
        let from = style.dim(&format!("(from {}{how})", f.field));
        let _ = writeln!(
            s,
            "          {:<19} {}  {from}  {}",
            f.name,
            f.value,
            at(f.location.start.line, f.location.start.column)
        );
    }
    for u in &ev.unknown_fields {
        let _ = writeln!(s, "          {:<19} {}  {}", u.key, style.implicit("unknown"), style.dim(&u.why));
    }
    for r in &ev.other_resources {
        let _ = writeln!(s, "          {:<19} {r}", "also");
    }
    for f in &ev.further_actions {
        let how = if f.same_request { "" } else { "; on another resource, not evaluated" };
        let _ =
            writeln!(s, "          {:<19} {}  {}", "further action", f.action, style.dim(&format!("({}{how})", f.why)));
    }
    if !ev.keys.is_empty() {
        let _ = writeln!(s, "{}", style.bold("Keys"));
    }
    for k in &ev.keys {
        let value = match &k.value {
            api::ContextInput::One(v) => v.clone(),
            api::ContextInput::Many(vs) => format!("[{}]", vs.join(", ")),
        };
        let how = k.note.as_deref().map(|n| format!("; {n}")).unwrap_or_default();
        let from = style.dim(&format!("(from {}{how})", k.field));
        let _ = writeln!(
            s,
            "          {} = {value}  {from}  {}",
            style.code(&k.key),
            at(k.location.start.line, k.location.start.column)
        );
    }
    if !ev.absent.is_empty() {
        let _ = writeln!(s, "{}", style.bold("Absent"));
    }
    for a in &ev.absent {
        let _ = writeln!(s, "          {}  {}", style.code(&a.key), style.dim(&a.why));
    }
    if !ev.unknown.is_empty() {
        let _ = writeln!(s, "{}", style.bold("Unknown"));
    }
    for u in &ev.unknown {
        let _ = writeln!(s, "          {}  {}", style.code(&u.key), style.dim(&u.why));
    }
    for n in &ev.notes {
        let _ = writeln!(s, "          {}", style.dim(&format!("note: {n}")));
    }
    if let Some(d) = &ev.aws_denial {
        let arn = d.policy_arn.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
        let _ = writeln!(
            s,
            "{}       {}{arn}  {}",
            style.bold("AWS"),
            aws_text(d),
            at(d.location.start.line, d.location.start.column)
        );
        if let Some(m) = &d.message {
            let _ = writeln!(s, "          {}", style.dim(m));
        }
    }
    s
}

fn aws_text(d: &cloudtrail::AwsDenial) -> String {
    let how = match d.kind {
        cloudtrail::DenialKind::Explicit => "ExplicitDeny",
        cloudtrail::DenialKind::Implicit => "ImplicitDeny",
        cloudtrail::DenialKind::Unspecified => "denied (the message does not say how)",
    };
    match (d.kind, d.policy_type) {
        (cloudtrail::DenialKind::Implicit, Some(t)) => format!("{how}: no {} allows", t.phrase()),
        (_, Some(t)) => format!("{how} in a {}", t.phrase()),
        (_, None) => how.to_owned(),
    }
}

/// iamtrace's decision beside AWS's: the call's, and each action's when
/// the call needs further actions.
fn verdicts(ev: &ImportedEvent, answers: &CallAnswers<'_>, style: Style) -> String {
    let mut s = String::new();
    let decision = answers.decision();
    let each = |s: &mut String| {
        if !answers.further.is_empty() {
            let mut parts = vec![format!("{} {}", ev.request.action, answers.main.decision)];
            parts.extend(answers.further.iter().map(|(f, a)| format!("{} {}", f.action, a.decision)));
            let _ = writeln!(s, "          the call needs every action: {}", parts.join(", "));
        }
    };
    let Some(aws) = &ev.aws_denial else {
        let _ = writeln!(s, "{}  {decision} (the record shows no access-denied error)", style.bold("iamtrace"));
        each(&mut s);
        return s;
    };
    let c = cloudtrail::compare(aws, answers.compared(aws));
    let agrees = if c.decision_agrees { style.allow("agrees with AWS") } else { style.deny("disagrees with AWS") };
    let _ = writeln!(s, "{}  {}: {agrees}", style.bold("iamtrace"), c.iamtrace_decision);
    each(&mut s);
    match (c.policy_type_agrees, c.aws_policy_type) {
        (Some(true), Some(t)) => {
            let _ = writeln!(s, "          the {} denies in iamtrace's trace too", t.phrase());
        }
        (Some(false), Some(t)) => {
            let stage = c.iamtrace_stage.map_or("none".to_owned(), |st| st.title().to_owned());
            let _ = writeln!(s, "          AWS named the {}; iamtrace's decisive step: {stage}", t.phrase());
        }
        _ => {}
    }
    for n in &c.notes {
        let _ = writeln!(s, "          {}", style.dim(&format!("note: {n}")));
    }
    s
}

/// The policies to evaluate against, and where each one is in its file.
struct PolicyFile {
    input: Input,
    policies: Policies,
    /// For each slot, in the order of `api::slots`: the policy's span in the
    /// file, and whether it was written as a JSON string.
    places: Vec<(Span, bool)>,
}

const KINDS: [&str; 7] = ["identity", "resource", "boundary", "session", "scp", "rcp", "vpce"];

impl PolicyFile {
    fn read(path: &str, style: Style) -> Result<PolicyFile> {
        let input = Input::read(path)?;
        let text = input.text().map_err(|d| Error::Located(diagnostics::render_plain(&input, &d, style)))?;
        let root = json::parse(text).map_err(|d| Error::Located(one_line(&input, &d)))?;
        let obj = match root.get("policies") {
            Some(p) => p,
            None if root.as_object().is_some_and(|m| m.iter().all(|m| KINDS.contains(&m.key.as_ref()))) => &root,
            None => return Err(Error::NoPolicies { path: input.name().to_owned() }),
        };
        let mut policies = Policies::default();
        let mut places = Vec::new();
        // The order of `api::slots`: identity, resource, boundary, session, scp, rcp, vpce.
        let mut take = |n: &Node<'_>| -> Result<PolicyText> {
            let (text_policy, place) = policy(n, text).ok_or_else(|| {
                let (line, column) = input.line_col(n.span.start);
                Error::NotAPolicy { path: input.name().to_owned(), line, column }
            })?;
            places.push(place);
            Ok(text_policy)
        };
        for n in list(obj.get("identity")) {
            policies.identity.push(take(n)?);
        }
        for (kind, slot) in [("resource", 0), ("boundary", 1)] {
            if let Some(n) = obj.get(kind).filter(|n| !matches!(n.value, Value::Null)) {
                let p = take(n)?;
                if slot == 0 {
                    policies.resource = Some(p);
                } else {
                    policies.boundary = Some(p);
                }
            }
        }
        for n in list(obj.get("session")) {
            policies.session.push(take(n)?);
        }
        for level in levels(obj.get("scp")) {
            let mut l = Vec::new();
            for n in level {
                l.push(take(n)?);
            }
            policies.scp.push(l);
        }
        for level in levels(obj.get("rcp")) {
            let mut l = Vec::new();
            for n in level {
                l.push(take(n)?);
            }
            policies.rcp.push(l);
        }
        if let Some(n) = obj.get("vpce").filter(|n| !matches!(n.value, Value::Null)) {
            policies.vpce = Some(take(n)?);
        }
        Ok(PolicyFile { input, policies, places })
    }

    /// Evaluates the event's request, and the request of each further
    /// action it needs on the same resource.
    fn evaluate(&self, ev: &ImportedEvent) -> Result<CallAnswers<'static>, Vec<Diagnostic>> {
        let main = self.evaluate_input(&ev.input(self.policies.clone()))?;
        let mut further = Vec::new();
        for f in &ev.further_actions {
            if let Some(input) = ev.further_input(f, self.policies.clone()) {
                further.push((f.clone(), self.evaluate_input(&input)?));
            }
        }
        Ok(CallAnswers { action: ev.request.action.clone(), main, further })
    }

    /// Evaluates one request; policy errors come back as diagnostics
    /// whose documents are those of [`PolicyFile::docs`].
    fn evaluate_input(&self, input: &api::Input) -> Result<Answer<'static>, Vec<Diagnostic>> {
        let out = api::evaluate_with(input, Some(&iamtrace_data::embedded::Library));
        let errors: Vec<Diagnostic> = out
            .diagnostics
            .iter()
            .filter(|d| d.diagnostic.is_error())
            .map(|d| {
                let mut diag = d.diagnostic.clone();
                match &d.slot {
                    Slot::Policy { .. } => shift(&mut diag),
                    Slot::Request { field } => {
                        diag.message = format!("request `{field}` from the record: {}", diag.message);
                        diag.span = Span::default();
                    }
                }
                diag
            })
            .collect();
        match out.answer {
            Some(mut answer) if errors.is_empty() => {
                shift_answer(&mut answer);
                Ok(answer)
            }
            _ => Err(errors),
        }
    }

    /// Document 0 is the policies file; document `i + 1` is slot `i`.
    fn docs(&self, managed: &[(usize, String, String, String)]) -> Vec<Document<'_>> {
        let text = self.input.text().unwrap_or("");
        let mut docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base: 0 } }];
        for (i, (span, literal)) in self.places.iter().enumerate() {
            let doc = match managed.iter().find(|m| m.0 == i) {
                Some((_, name, arn, t)) => Document {
                    text: Cow::Owned(t.clone()),
                    origin: Origin::Managed { name: name.clone(), arn: arn.clone() },
                },
                None if *literal => Document {
                    text: Cow::Owned(
                        json::parse(span.slice(text))
                            .ok()
                            .and_then(|n| n.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                    ),
                    origin: Origin::Embedded { literal: *span },
                },
                None => Document { text: Cow::Borrowed(span.slice(text)), origin: Origin::Root { base: span.start } },
            };
            docs.push(doc);
        }
        docs
    }

    /// The documents for an answer, with managed policies resolved again.
    fn docs_for(&self, _answer: &Answer<'_>) -> Vec<Document<'_>> {
        let slots = api::slots(&api::Input { policies: self.policies.clone(), ..Default::default() })
            .into_iter()
            .map(|(s, t, _)| (s, t.to_owned()))
            .collect::<Vec<_>>();
        let managed: Vec<(usize, String, String, String)> = slots
            .iter()
            .enumerate()
            .filter(|(_, (_, t))| api::names_managed_policy(t))
            .filter_map(|(i, (_, t))| {
                let m = iamtrace::scenario::PolicyLibrary::managed_policy(&iamtrace_data::embedded::Library, t.trim())?;
                Some((i, m.name, m.arn, m.text.into_owned()))
            })
            .collect();
        self.docs(&managed)
    }
}

/// A policy, or a list of them.
fn list<'n, 'a>(n: Option<&'n Node<'a>>) -> Vec<&'n Node<'a>> {
    match n {
        Some(n) => n.as_array().map_or_else(|| vec![n], |a| a.iter().collect()),
        None => Vec::new(),
    }
}

/// SCP or RCP levels: a flat list is one level.
fn levels<'n, 'a>(n: Option<&'n Node<'a>>) -> Vec<Vec<&'n Node<'a>>> {
    let items = list(n);
    if items.first().is_some_and(|i| i.as_array().is_some()) {
        items.into_iter().map(|l| l.as_array().map(|a| a.iter().collect()).unwrap_or_default()).collect()
    } else if items.is_empty() {
        Vec::new()
    } else {
        vec![items]
    }
}

/// A policy entry: its text (and name), and its place in the file.
fn policy(n: &Node<'_>, text: &str) -> Option<(PolicyText, (Span, bool))> {
    match &n.value {
        Value::String(s) => Some((PolicyText { name: None, text: s.to_string() }, (n.span, true))),
        Value::Object(m) if m.iter().any(|m| m.key == "policy") && !m.iter().any(|m| m.key == "Statement") => {
            let name = n.get("name").and_then(|v| v.as_str()).map(str::to_owned);
            let (inner, place) = policy(n.get("policy")?, text)?;
            Some((PolicyText { name, text: inner.text }, place))
        }
        Value::Object(_) => Some((PolicyText { name: None, text: n.span.slice(text).to_owned() }, (n.span, false))),
        _ => None,
    }
}

fn one_line(input: &Input, d: &Diagnostic) -> String {
    let (line, col) = input.line_col(d.span.start);
    format!("{}:{line}:{col}: {}", input.name(), d.message)
}

fn shift(d: &mut Diagnostic) {
    let doc = DocId(d.doc.0 + 1);
    *d = d.clone().in_doc(doc);
}

/// Moves every document reference of an answer one up (document 0 is the file).
fn shift_answer(answer: &mut Answer<'_>) {
    let up = |d: &mut DocId| d.0 += 1;
    for step in &mut answer.trace {
        for st in step.statements.iter_mut() {
            up(&mut st.statement.to_mut().policy.doc);
        }
    }
    for d in &mut answer.deciding {
        up(&mut d.policy.doc);
    }
    for m in &mut answer.missing_keys {
        for r in &mut m.referenced_by {
            up(&mut r.statement.policy.doc);
        }
    }
}
