//! The output of `aws sts decode-authorization-message`: whether AWS allowed
//! the request, and the request context it evaluated (principal, action,
//! resource, and every condition key with its values).
//!
//! Shape: `{"DecodedMessage": "<json>"}`, whose JSON holds `allowed`,
//! `explicitDeny`, `matchedStatements`, `failures` and `context` with
//! `principal {id, arn}`, `action`, `resource` and
//! `conditions.items[] {key, values.items[] {value}}`
//! (<https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html>).

use crate::api::ContextInput;
use crate::diagnostic::{Code, Diagnostic};
use crate::json;

use super::message::{AwsDenial, DenialKind, DenialSource};
use super::source::{At, Doc};
use super::{Imported, ImportedEvent, Locator, Out};

/// Entries of decoded messages that describe the request but are not
/// documented condition keys.
const INTERNAL: [&str; 5] = ["aws:Region", "aws:Service", "aws:Resource", "aws:Type", "aws:Account"];

pub(super) fn import(root: &At<'_, '_, '_>, text: &str, loc: &Locator<'_>, imported: &mut Imported) {
    let Some(outer) = root.get("DecodedMessage") else {
        imported.events.push(read(root, loc));
        return;
    };
    let Some(s) = outer.node.as_str() else {
        let d = Diagnostic::error(Code::CloudtrailWrongType, outer.span(), "`DecodedMessage` must be a JSON string");
        imported.diagnostics.push(loc.diagnostic(d));
        return;
    };
    let doc = Doc::embedded(text, outer.node.span);
    match json::parse(s) {
        Ok(node) => imported.events.push(read(&At::new(&node, "DecodedMessage", doc), loc)),
        Err(mut d) => {
            d.span = doc.outer(d.span);
            d.message = format!("in `DecodedMessage`: {}", d.message);
            imported.diagnostics.push(loc.diagnostic(d));
        }
    }
}

fn read(msg: &At<'_, '_, '_>, loc: &Locator<'_>) -> ImportedEvent {
    let mut out = Out::new(loc);
    let ev = ImportedEvent::empty(msg, loc);
    let Some(ctx) = msg.get("context").filter(|c| c.node.as_object().is_some()) else {
        out.error(
            Diagnostic::error(Code::CloudtrailMissingField, msg.start(), "this decoded message has no `context`")
                .with_help("the output of `aws sts decode-authorization-message` holds the request in `context`"),
        );
        return out.finish(ev);
    };
    let mut ev = ev;
    match ctx.field("principal.arn") {
        Some(p) => out.set("principal", p.value.clone(), &p, None),
        None => out.missing("principal", "the decoded message has no `context.principal.arn`"),
    }
    if out.request.principal.contains(":assumed-role/") {
        out.note("the role's path is not in the decoded message: `session_parent_arn` is derived from the session ARN");
    }
    match ctx.field("action") {
        Some(a) => {
            ev.event_name = a.value.split_once(':').map(|(_, n)| n.to_owned());
            out.set("action", a.value.clone(), &a, None);
        }
        None => out.missing("action", "the decoded message has no `context.action`"),
    }
    match ctx.field("resource") {
        Some(r) => out.set("resource", r.value.clone(), &r, None),
        None => out.missing("resource", "the decoded message has no `context.resource`"),
    }
    if let Some(items) = ctx.at("conditions.items") {
        for item in items.items() {
            let Some(key) = item.field("key") else { continue };
            let values: Vec<String> = item
                .at("values.items")
                .map(|v| v.items().iter().filter_map(|i| i.field("value")).map(|f| f.value).collect())
                .unwrap_or_default();
            let value = match values.as_slice() {
                [one] => ContextInput::One(one.clone()),
                _ => ContextInput::Many(values),
            };
            let note = INTERNAL
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&key.value))
                .then(|| "an entry of AWS's request context that is not a documented condition key".to_owned());
            let mut from = key.clone();
            from.path = item.path.clone();
            from.span = item.span();
            out.key(&key.value, value, &from, note);
        }
    }
    if !out.keys.iter().any(|k| k.key.eq_ignore_ascii_case("aws:userid")) {
        if let Some(id) = ctx.field("principal.id") {
            out.key1("aws:userid", id.value.clone(), &id, Some("the principal's unique ID".into()));
        }
    }
    out.note(
        "the decoded message lists the request context AWS evaluated: keys it does not list were not in the request",
    );
    let allowed = msg.field("allowed");
    let explicit = msg.field("explicitDeny").is_some_and(|f| f.value == "true");
    match allowed.as_ref().map(|f| f.value.as_str()) {
        Some("true") => out.note("AWS allowed this request"),
        Some(_) => {
            let at = allowed.as_ref().map_or_else(|| msg.start(), |f| f.span);
            let location = loc.location(at);
            ev.aws_denial = Some(AwsDenial {
                source: DenialSource::DecodedMessage,
                error_code: None,
                message: None,
                kind: if explicit { DenialKind::Explicit } else { DenialKind::Implicit },
                policy_type: None,
                through: None,
                policy_arn: None,
                principal: ctx.field("principal.arn").map(|f| f.value),
                action: ctx.field("action").map(|f| f.value),
                resource: ctx.field("resource").map(|f| f.value),
                reason: None,
                field: allowed.as_ref().map_or_else(|| msg.path.clone(), |f| f.path.clone()),
                span: at,
                location,
            });
        }
        None => out.note("the decoded message has no `allowed`: AWS's decision is unknown"),
    }
    let matched = msg.at("matchedStatements.items").map_or(0, |m| m.items().len());
    if matched > 0 {
        out.note(format!(
            "AWS matched {matched} statement(s); the decoded message does not say which policy type they belong to"
        ));
    }
    out.finish(ev)
}
