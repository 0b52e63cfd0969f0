//! CloudTrail records in, requests out.
//!
//! [`import`] reads what a person pastes: one CloudTrail record, a log
//! file's `{"Records": [...]}`, a `lookup-events` result (each
//! `Events[i].CloudTrailEvent` is a JSON string), or the output of
//! `aws sts decode-authorization-message`. For every event it rebuilds the
//! request AWS evaluated, as an [`api::RequestInput`](crate::api::RequestInput)
//! ready for [`api::evaluate`](crate::api::evaluate): the principal from
//! `userIdentity`, the IAM action from `eventSource` and `eventName`
//! (through [`action_table`] where the API name is not the action), the
//! resource from `requestParameters` and `resources`, and the context keys
//! the record shows. Every value says where it came from (a JSON path and a
//! span of the pasted text); keys the record cannot show are listed as
//! unknown with the reason, never guessed. An `AccessDenied` error in the
//! record is parsed into an [`AwsDenial`], which [`compare`] sets beside
//! iamtrace's answer.
//!
//! Everything here is plain owned serde data, for the CLI, the wasm
//! module and the playground alike.

mod action;
mod call;
mod context;
mod decoded;
mod identity;
mod message;
mod out;
mod resource;
mod s3;
mod source;
mod sts;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::api::{ContextInput, Input, Policies, RequestInput};
use crate::diagnostic::{Code, Diagnostic};
use crate::json;
use crate::lint::Knowledge;
use crate::span::{Location, Position, Span};

pub use action::{action_table, Renamed};
pub use call::CallAnswers;
pub use message::{compare, parse_message, AwsDenial, Comparison, DenialKind, PolicyType};

use out::{Locator, Out};
use source::{At, Doc};

/// What was pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// One CloudTrail record.
    Record,
    /// A log file: `{"Records": [...]}`.
    Records,
    /// A `lookup-events` result: `{"Events": [{"CloudTrailEvent": "<json>"}]}`.
    LookupEvents,
    /// The output of `aws sts decode-authorization-message`, or its inner document.
    DecodedMessage,
}

/// The result of [`import`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// `None` when the text is not one of the accepted shapes.
    pub kind: Option<InputKind>,
    pub events: Vec<ImportedEvent>,
    /// Problems with the pasted text as a whole (not JSON, not a record).
    pub diagnostics: Vec<ImportDiagnostic>,
}

/// One event, and the request it describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedEvent {
    /// JSON path of the event in the pasted text (`Records[2]`; empty for a single record).
    pub path: String,
    pub span: Span,
    pub location: Location,
    pub event_name: Option<String>,
    pub event_source: Option<String>,
    pub event_time: Option<String>,
    pub event_id: Option<String>,
    /// `userIdentity.type`.
    pub identity_type: Option<String>,
    /// The request, in the scenario format's terms. Fields that could not
    /// be read are empty strings, and listed in `unknown_fields`.
    pub request: RequestInput,
    /// Whether principal, action and resource are all known, so that the
    /// request can be evaluated as it is.
    pub complete: bool,
    /// Where each request field came from.
    pub fields: Vec<RequestField>,
    /// Request fields the record does not show, and why.
    pub unknown_fields: Vec<UnknownKey>,
    /// Further resources of the same call (AWS authorizes each one).
    pub other_resources: Vec<String>,
    /// Further actions the call needs besides `request.action`, and why.
    #[serde(default)]
    pub further_actions: Vec<FurtherAction>,
    /// Context keys read from the record, each with its source.
    pub keys: Vec<KeyFrom>,
    /// Context keys AWS may have had that the record cannot show.
    pub unknown: Vec<UnknownKey>,
    /// Context keys the record shows AWS did not have.
    pub absent: Vec<AbsentKey>,
    pub notes: Vec<String>,
    /// AWS's own verdict, when the record carries an access-denied error.
    pub aws_denial: Option<AwsDenial>,
    /// Errors (the event could not be read) and warnings.
    pub diagnostics: Vec<ImportDiagnostic>,
}

/// A request field (`principal`, `action`, `resource`, `resource_account`,
/// `session_parent_arn`) and the record field it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestField {
    pub name: String,
    pub value: String,
    /// JSON path of the record field, such as `userIdentity.sessionContext.sessionIssuer.arn`.
    pub field: String,
    pub span: Span,
    pub location: Location,
    /// How the value was made from the field, when it is not a copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An action the call needs besides the one that matches it, such as
/// `sts:TagSession` for an `AssumeRole` that passes session tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FurtherAction {
    pub action: String,
    /// Why the call needs it.
    pub why: String,
    /// Whether AWS authorizes it for the same principal, resource and keys
    /// as `request.action`, so that [`ImportedEvent::further_input`] gives
    /// the request to evaluate. `false` when it is on another resource
    /// (the source object of a copy, the destination key of a re-encryption).
    pub same_request: bool,
    /// The resource it is evaluated on instead of the request's, where AWS
    /// does not document which (`*`, which only a grant on every resource
    /// matches: the reading that grants less).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// A context key read from the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFrom {
    pub key: String,
    pub value: ContextInput,
    /// JSON path of the record field.
    pub field: String,
    pub span: Span,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A key (or request field) the record cannot show, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownKey {
    pub key: String,
    pub why: String,
}

/// A key the record proves absent from the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsentKey {
    pub key: String,
    pub why: String,
}

/// A diagnostic with 1-based positions in the pasted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDiagnostic {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    pub start: Position,
    pub end: Position,
}

/// Reads CloudTrail events (or a decoded authorization message) from a pasted text.
pub fn import(text: &str) -> Imported {
    import_with(text, None)
}

/// Like [`import`], checking actions and resources against the AWS service
/// reference when one is given: a resource-free action gets `*`, and an
/// action or ARN the reference does not know is noted.
pub fn import_with(text: &str, knowledge: Option<&dyn Knowledge>) -> Imported {
    let loc = Locator::new(text);
    let mut imported = Imported { kind: None, events: Vec::new(), diagnostics: Vec::new() };
    let root = match json::parse(text) {
        Ok(n) => n,
        Err(d) => {
            imported.diagnostics.push(loc.diagnostic(d));
            return imported;
        }
    };
    let at = At::new(&root, "", Doc::root());
    if root.as_object().is_none() {
        let d = Diagnostic::error(
            Code::CloudtrailNotARecord,
            root.span,
            format!("expected a CloudTrail record (a JSON object), found {}", root.value.kind()),
        )
        .with_help(SHAPES);
        imported.diagnostics.push(loc.diagnostic(d));
        return imported;
    }
    if let Some(records) = at.get("Records") {
        imported.kind = Some(InputKind::Records);
        if records.node.as_array().is_none() {
            let d =
                Diagnostic::error(Code::CloudtrailNotARecord, records.span(), "`Records` must be an array of records");
            imported.diagnostics.push(loc.diagnostic(d));
        }
        for r in records.items() {
            imported.events.push(event(&r, &loc, knowledge));
        }
    } else if let Some(events) = at.get("Events") {
        imported.kind = Some(InputKind::LookupEvents);
        lookup_events(&events, text, &loc, knowledge, &mut imported);
    } else if at.get("DecodedMessage").is_some() || (at.get("context").is_some() && at.get("allowed").is_some()) {
        imported.kind = Some(InputKind::DecodedMessage);
        decoded::import(&at, text, &loc, &mut imported);
    } else if ["eventName", "eventSource", "userIdentity", "eventVersion"].iter().any(|k| at.get(k).is_some()) {
        imported.kind = Some(InputKind::Record);
        imported.events.push(event(&at, &loc, knowledge));
    } else {
        let d = Diagnostic::error(
            Code::CloudtrailNotARecord,
            at.start(),
            "this JSON object is not a CloudTrail record: it has no `eventName`, `eventSource` or `userIdentity`",
        )
        .with_help(SHAPES);
        imported.diagnostics.push(loc.diagnostic(d));
    }
    imported
}

const SHAPES: &str = "paste one CloudTrail record, a log file (`{\"Records\": [...]}`), the output of `aws cloudtrail lookup-events`, or of `aws sts decode-authorization-message`";

fn lookup_events(
    events: &At<'_, '_, '_>,
    text: &str,
    loc: &Locator<'_>,
    knowledge: Option<&dyn Knowledge>,
    imported: &mut Imported,
) {
    if events.node.as_array().is_none() {
        let d = Diagnostic::error(Code::CloudtrailNotARecord, events.span(), "`Events` must be an array");
        imported.diagnostics.push(loc.diagnostic(d));
        return;
    }
    for item in events.items() {
        let Some(inner) = item.get("CloudTrailEvent") else {
            let d = Diagnostic::error(
                Code::CloudtrailNotARecord,
                item.start(),
                format!("`{}` has no `CloudTrailEvent`", item.path),
            )
            .with_help("each item of a lookup-events result holds its record as a JSON string in `CloudTrailEvent`");
            imported.diagnostics.push(loc.diagnostic(d));
            continue;
        };
        match inner.node.as_str() {
            Some(s) => {
                let doc = Doc::embedded(text, inner.node.span);
                match json::parse(s) {
                    Ok(node) => imported.events.push(event(&At::new(&node, inner.path.clone(), doc), loc, knowledge)),
                    Err(mut d) => {
                        d.span = doc.outer(d.span);
                        d.message = format!("in `{}`: {}", inner.path, d.message);
                        imported.diagnostics.push(loc.diagnostic(d));
                    }
                }
            }
            // A record given as an object instead of a string is read as it is.
            None if inner.node.as_object().is_some() => imported.events.push(event(&inner, loc, knowledge)),
            None => {
                let d = Diagnostic::error(
                    Code::CloudtrailNotARecord,
                    inner.span(),
                    format!("`{}` must be a JSON string holding a record", inner.path),
                );
                imported.diagnostics.push(loc.diagnostic(d));
            }
        }
    }
}

/// Reads one record.
fn event(rec: &At<'_, '_, '_>, loc: &Locator<'_>, knowledge: Option<&dyn Knowledge>) -> ImportedEvent {
    let mut out = Out::new(loc);
    let mut ev = ImportedEvent::empty(rec, loc);
    if rec.node.as_object().is_none() {
        out.error(
            Diagnostic::error(
                Code::CloudtrailNotARecord,
                rec.span(),
                format!("`{}` is {}, not a CloudTrail record", display_path(&rec.path), rec.node.value.kind()),
            )
            .with_help(SHAPES),
        );
        return out.finish(ev);
    }
    let text = |k: &str| rec.field(k).map(|f| f.value);
    ev.event_time = text("eventTime");
    ev.event_id = text("eventID");
    ev.identity_type = text("userIdentity.type");
    if rec.field("eventType").is_some_and(|t| t.value == "AwsCloudTrailInsight") {
        out.error(
            Diagnostic::error(
                Code::CloudtrailNoRequest,
                rec.start(),
                "this is a CloudTrail Insights event: it summarizes many calls and describes no single request",
            )
            .with_help("paste one of the management or data events it refers to"),
        );
        return out.finish(ev);
    }
    let name = rec.field("eventName");
    let source = rec.field("eventSource");
    for (key, f) in [("eventName", &name), ("eventSource", &source)] {
        if f.is_none() {
            out.error(
                Diagnostic::error(
                    Code::CloudtrailMissingField,
                    rec.start(),
                    format!("this record has no `{key}`, so the action it asks for is unknown"),
                )
                .with_help("every CloudTrail record of an API call has `eventSource` and `eventName`"),
            );
        }
    }
    ev.event_name = name.as_ref().map(|f| f.value.clone());
    ev.event_source = source.as_ref().map(|f| f.value.clone());
    let who = identity::read(rec, &mut out);
    let action = match (&source, &name) {
        (Some(s), Some(n)) => action::resolve(rec, s, n, &mut out),
        _ => None,
    };
    if let Some(a) = &action {
        if let Some(k) = knowledge {
            action::check(k, a, &mut out);
        }
        resource::derive(rec, a, who.as_ref(), &mut out, knowledge);
        sts::request_keys(rec, a, &mut out);
        s3::object_write_headers(rec, a, who.as_ref(), &mut out);
    } else if name.is_some() && source.is_some() {
        out.missing("resource", "the action is unknown, so the resource it acts on is too");
    }
    context::record_keys(rec, who.as_ref(), &mut out);
    ev.aws_denial = message::from_record(rec, &mut out);
    out.finish(ev)
}

fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "the record"
    } else {
        path
    }
}

impl ImportedEvent {
    fn empty(rec: &At<'_, '_, '_>, loc: &Locator<'_>) -> Self {
        let span = rec.span();
        ImportedEvent {
            path: rec.path.clone(),
            span,
            location: loc.location(span),
            event_name: None,
            event_source: None,
            event_time: None,
            event_id: None,
            identity_type: None,
            request: RequestInput::default(),
            complete: false,
            fields: Vec::new(),
            unknown_fields: Vec::new(),
            other_resources: Vec::new(),
            further_actions: Vec::new(),
            keys: Vec::new(),
            unknown: Vec::new(),
            absent: Vec::new(),
            notes: Vec::new(),
            aws_denial: None,
            diagnostics: Vec::new(),
        }
    }

    /// Whether an error kept this event from being read.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.diagnostic.is_error())
    }

    /// The event as a scenario to evaluate with [`crate::api::evaluate`].
    pub fn input(&self, policies: Policies) -> Input {
        let name = match (&self.event_source, &self.event_name) {
            (Some(s), Some(n)) => Some(format!("CloudTrail {} {n}", s.trim_end_matches(".amazonaws.com"))),
            _ => None,
        };
        Input { name, policies, request: self.request.clone(), expected: None }
    }

    /// The request of a further action the call needs, to evaluate with
    /// [`crate::api::evaluate`]: the event's request with that action.
    /// `None` when the action is on another resource, which the event's
    /// request does not describe.
    pub fn further_input(&self, further: &FurtherAction, policies: Policies) -> Option<Input> {
        if !further.same_request {
            return None;
        }
        let mut input = self.input(policies);
        input.request.action.clone_from(&further.action);
        if let Some(resource) = &further.resource {
            input.request.resource.clone_from(resource);
            input.request.resource_account = None;
        }
        input.name = input.name.map(|n| format!("{n} ({})", further.action));
        Some(input)
    }
}
