//! Completions while typing a policy: policy elements, `Effect` and
//! `Version` values, services and actions after `"Action": "`, condition
//! operators and condition keys, and managed policy names in a slot that
//! names one.

use iamtrace::lint::AccessLevel;
use iamtrace::operator::{BaseOp, Family};

use super::context::{self, Place};
use super::wire::{Completion, Completions};
use super::Store;

const ROOT: &[(&str, &str)] =
    &[("Version", "language version"), ("Id", "policy identifier"), ("Statement", "statements")];

const STATEMENT: &[(&str, &str)] = &[
    ("Sid", "statement id"),
    ("Effect", "Allow or Deny"),
    ("Principal", "who (resource policies)"),
    ("NotPrincipal", "everyone but"),
    ("Action", "actions"),
    ("NotAction", "every action but"),
    ("Resource", "resources"),
    ("NotResource", "every resource but"),
    ("Condition", "conditions"),
];

const PRINCIPAL: &[(&str, &str)] = &[
    ("AWS", "accounts, users, roles"),
    ("Service", "AWS services"),
    ("Federated", "identity providers"),
    ("CanonicalUser", "S3 canonical user"),
];

/// Word characters of each kind of string (while the typed text matches,
/// the editor filters the list it has).
const VALID_WORD: &str = r"^[\w-]*$";
const VALID_ACTION: &str = r"^[\w-]+:[\w*?-]*$";
const VALID_KEY: &str = r"^[^\s\x22]*$";
const VALID_OPERATOR: &str = r"^[\w:]*$";
const VALID_MANAGED: &str = r"^[\w+=,.@/:-]*$";

fn option(label: &str, kind: &'static str, detail: &str) -> Completion {
    Completion { label: label.to_owned(), kind, detail: detail.to_owned(), ..Completion::default() }
}

fn list(items: &[(&str, &str)], kind: &'static str) -> Vec<Completion> {
    items.iter().map(|(label, detail)| option(label, kind, detail)).collect()
}

/// The family of an operator, for people.
pub fn family_name(f: Family) -> &'static str {
    match f {
        Family::String => "string",
        Family::Numeric => "numeric",
        Family::Date => "date",
        Family::Bool => "boolean",
        Family::Binary => "binary",
        Family::Ip => "IP address",
        Family::Arn => "ARN",
        Family::Null => "key presence",
    }
}

fn operators() -> Vec<Completion> {
    let mut out = Vec::new();
    for &base in BaseOp::ALL {
        let family = family_name(base.family());
        out.push(option(base.name(), "keyword", family));
        if base != BaseOp::Null {
            out.push(option(&format!("{}IfExists", base.name()), "keyword", family));
            for set in ["ForAllValues:", "ForAnyValue:"] {
                out.push(option(&format!("{set}{}", base.name()), "keyword", family));
            }
        }
    }
    out
}

fn actions(store: &Store, typed: &str) -> Option<Vec<Completion>> {
    let reference = store.reference.as_ref()?;
    match typed.split_once(':') {
        Some((service, _)) => {
            let s = reference.service(service)?;
            let mut out = vec![option(&format!("{}:*", s.prefix()), "function", "every action")];
            out.extend(s.actions().map(|a| Completion {
                label: format!("{}:{}", s.prefix(), a.name()),
                kind: "function",
                detail: access_name(a.access_level()).to_owned(),
                described: true,
                ..Completion::default()
            }));
            Some(out)
        }
        None => {
            let mut out = vec![option("*", "function", "every action of every service")];
            out.extend(reference.services().map(|s| Completion {
                label: format!("{}:", s.prefix()),
                kind: "namespace",
                detail: s.name().to_owned(),
                retrigger: true,
                ..Completion::default()
            }));
            Some(out)
        }
    }
}

/// The access level as AWS names it, shortened for the completion list.
pub fn access_name(a: AccessLevel) -> &'static str {
    match a {
        AccessLevel::PermissionsManagement => "Permissions mgmt",
        other => other.name(),
    }
}

/// Service prefixes written in the text (`"s3:` …), known to the reference.
fn services_in(store: &Store, text: &str) -> Vec<String> {
    let Some(reference) = &store.reference else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for part in text.split('"').skip(1).step_by(2) {
        if let Some((prefix, _)) = part.split_once(':') {
            if prefix != "aws"
                && !prefix.is_empty()
                && prefix.len() < 40
                && !out.iter().any(|p| p.eq_ignore_ascii_case(prefix))
                && reference.service(prefix).is_some()
            {
                out.push(prefix.to_owned());
            }
        }
        if out.len() >= 12 {
            break;
        }
    }
    out
}

fn condition_key(store: &Store, name: &str) -> Completion {
    let ty = store.reference.as_ref().and_then(|r| r.condition_key(name)).map(|k| k.key_type().to_string());
    // A template such as `aws:RequestTag/${TagKey}` inserts its fixed part.
    let apply = name.find("${").map(|i| name.get(..i).unwrap_or(name).to_owned());
    Completion {
        label: name.to_owned(),
        kind: "variable",
        detail: ty.unwrap_or_default(),
        apply,
        ..Completion::default()
    }
}

fn condition_keys(store: &Store, text: &str, typed: &str) -> Option<Vec<Completion>> {
    let reference = store.reference.as_ref()?;
    let prefixes: Vec<String> = match typed.split_once(':') {
        Some((prefix, _)) => vec![prefix.to_owned()],
        None => {
            let mut p = vec!["aws".to_owned()];
            p.extend(services_in(store, text));
            p
        }
    };
    let mut out = Vec::new();
    for prefix in prefixes {
        out.extend(reference.condition_key_names(&prefix).into_iter().map(|n| condition_key(store, n)));
    }
    Some(out)
}

fn managed_names(store: &Store, typed: &str) -> Option<Vec<Completion>> {
    let m = store.managed.as_ref()?;
    let arn = typed.starts_with("arn:");
    Some(
        m.iter()
            .map(|p| {
                let label = if arn { p.arn() } else { p.name().to_owned() };
                Completion { label, kind: "class", detail: p.path().to_owned(), ..Completion::default() }
            })
            .collect(),
    )
}

/// The completions at `pos16` (a UTF-16 offset) of a policy text.
pub fn complete(store: &Store, text: &str, pos16: usize) -> Option<Completions> {
    let cursor = context::byte_of_utf16(text, pos16);
    let to = context::utf16_of_byte(text, cursor);
    // A slot that names a managed policy instead of holding a document.
    let first = text.len() - text.trim_start().len();
    if !text.trim_start().starts_with(['{', '"']) && !text.trim().is_empty() {
        let typed = text.get(first..cursor)?;
        if typed.contains(char::is_whitespace) {
            return None;
        }
        let options = managed_names(store, typed)?;
        return Some(Completions {
            from: context::utf16_of_byte(text, first),
            to,
            options,
            valid_for: Some(VALID_MANAGED.to_owned()),
        });
    }
    let c = context::at(text, cursor)?;
    let typed = c.typed(text);
    let keys = c.keys();
    let (options, valid_for) = match (keys.as_slice(), c.place) {
        ([], Place::Key) => (list(ROOT, "property"), VALID_WORD),
        (["Statement"], Place::Key) => (list(STATEMENT, "property"), VALID_WORD),
        (["Statement", "Principal" | "NotPrincipal"], Place::Key) => (list(PRINCIPAL, "property"), VALID_WORD),
        (["Statement", "Effect"], Place::Value) => {
            (list(&[("Allow", "grants"), ("Deny", "refuses, always wins")], "constant"), VALID_WORD)
        }
        (["Version"], Place::Value) => (
            list(
                &[("2012-10-17", "current: policy variables work"), ("2008-10-17", "old: variables are text")],
                "constant",
            ),
            VALID_WORD,
        ),
        (["Statement", "Action" | "NotAction"], Place::Value) => {
            let valid = if typed.contains(':') { VALID_ACTION } else { VALID_WORD };
            (actions(store, typed)?, valid)
        }
        (["Statement", "Condition"], Place::Key) => (operators(), VALID_OPERATOR),
        (["Statement", "Condition", _], Place::Key) => (condition_keys(store, text, typed)?, VALID_KEY),
        _ => return None,
    };
    Some(Completions {
        from: context::utf16_of_byte(text, c.start),
        to,
        options,
        valid_for: Some(valid_for.to_owned()),
    })
}
