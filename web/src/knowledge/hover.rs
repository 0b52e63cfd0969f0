//! What the word under the pointer is: an action (its service, access
//! level, description, resource types and condition keys), a wildcard (the
//! actions it covers), a condition key (its type and description) or a
//! condition operator (how it compares).

use iamtrace::operator::{Family, Operator, SetQualifier};
use iamtrace::Span;

use super::complete::{access_name, family_name};
use super::context::{self, Place};
use super::wire::Hover;
use super::Store;

/// Items listed before "and N more".
const MAX_ITEMS: usize = 12;

fn hover(title: &str, kind: &str, detail: String) -> Hover {
    Hover { title: title.to_owned(), kind: kind.to_owned(), detail, ..Hover::default() }
}

fn action(store: &Store, word: &str) -> Option<Hover> {
    let reference = store.reference.as_ref()?;
    if word == "*" {
        let n = reference.counts().actions;
        return Some(hover(word, "wildcard", format!("every action of every service ({n} actions)")));
    }
    let (service, name) = word.split_once(':')?;
    let Some(s) = reference.service(service) else {
        return Some(hover(word, "unknown", format!("`{service}` is not a service of the AWS service reference")));
    };
    if name.contains(['*', '?']) {
        let covered = s.actions_matching(name);
        let n = covered.len();
        let mut h =
            hover(word, "wildcard", format!("{} · covers {n} action{}", s.name(), if n == 1 { "" } else { "s" }));
        h.items = covered
            .iter()
            .take(MAX_ITEMS)
            .map(|a| format!("{} · {}", a.name(), access_name(a.access_level())))
            .collect();
        h.more = n.saturating_sub(MAX_ITEMS);
        return Some(h);
    }
    let Some(a) = s.action(name) else {
        return Some(hover(word, "unknown", format!("not an action of {}", s.name())));
    };
    let mut h = hover(&a.full_name(), "action", format!("{} · {}", s.name(), a.access_level().name()));
    h.body = a.description().map(str::to_owned);
    let types: Vec<String> = a
        .resource_types()
        .map(|u| format!("{}{}", u.resource_type.name(), if u.required { " (required)" } else { "" }))
        .collect();
    h.items.push(if types.is_empty() {
        "Resource: takes no resource (only \"*\")".to_owned()
    } else {
        format!("Resource types: {}", types.join(", "))
    });
    let keys: Vec<&str> = a.condition_keys().map(|k| k.name()).collect();
    if !keys.is_empty() {
        let shown: Vec<&str> = keys.iter().take(6).copied().collect();
        let rest = keys.len().saturating_sub(shown.len());
        let more = if rest > 0 { format!(" and {rest} more") } else { String::new() };
        h.items.push(format!("Condition keys: {}{more}", shown.join(", ")));
    }
    Some(h)
}

fn condition_key(store: &Store, word: &str) -> Option<Hover> {
    let reference = store.reference.as_ref()?;
    let Some(k) = reference.condition_key(word) else {
        return Some(hover(word, "unknown", "not a condition key of the AWS service reference".to_owned()));
    };
    let scope = match k {
        iamtrace_data::KeyRef::Global(g) => format!(" · global key ({})", g.category()),
        iamtrace_data::KeyRef::Service(_) => String::new(),
    };
    let mut h = hover(k.name(), "condition key", format!("{}{scope}", k.key_type()));
    h.body = k.description().map(str::to_owned);
    Some(h)
}

fn family_text(f: Family) -> &'static str {
    match f {
        Family::String => {
            "Compares strings. …Like takes the wildcards * and ?; …IgnoreCase ignores case; policy variables are replaced."
        }
        Family::Numeric => "Compares numbers (integers or decimals).",
        Family::Date => "Compares dates: ISO 8601 (2026-01-31T12:00:00Z) or seconds since 1970.",
        Family::Bool => "Compares with true or false.",
        Family::Binary => "Compares base64-encoded bytes.",
        Family::Ip => "Matches IPv4 or IPv6 addresses against addresses or CIDR ranges.",
        Family::Arn => {
            "Compares ARNs part by part; …Like takes the wildcards * and ?, and policy variables are replaced."
        }
        Family::Null => "true: the key must be absent; false: it must be present.",
    }
}

fn operator(word: &str) -> Option<Hover> {
    let op = Operator::parse(word, Span::default()).ok()?;
    let mut notes: Vec<String> = Vec::new();
    match op.set {
        Some(SetQualifier::ForAllValues) => notes.push(
            "ForAllValues: every value of the request's key must match; also true when the key is missing or empty."
                .to_owned(),
        ),
        Some(SetQualifier::ForAnyValue) => {
            notes.push("ForAnyValue: at least one value of the request's key must match.".to_owned())
        }
        None => {}
    }
    if op.negated() {
        notes.push("Negated: true when the key is missing; several values must all not match.".to_owned());
    }
    if op.if_exists {
        notes.push("IfExists: true when the key is missing.".to_owned());
    }
    let mut h = hover(word, "operator", format!("{} condition operator", family_name(op.base.family())));
    h.body = Some(family_text(op.base.family()).to_owned());
    h.items = notes;
    Some(h)
}

/// The tooltip at `pos16` (a UTF-16 offset) of a policy text.
pub fn hover_at(store: &Store, text: &str, pos16: usize) -> Option<Hover> {
    let cursor = context::byte_of_utf16(text, pos16);
    let c = context::at(text, cursor)?;
    let word = c.word(text);
    if word.is_empty() {
        return None;
    }
    let keys = c.keys();
    let mut h = match (keys.as_slice(), c.place) {
        (["Statement", "Action" | "NotAction"], Place::Value) => action(store, word)?,
        (["Statement", "Condition"], Place::Key) => operator(word)?,
        (["Statement", "Condition", _], Place::Key) => condition_key(store, word)?,
        _ => return None,
    };
    h.from = context::utf16_of_byte(text, c.start);
    h.to = context::utf16_of_byte(text, c.end);
    Some(h)
}

/// Whether the tooltip at `pos16` would show a description (so the caller
/// knows to load the descriptions first).
pub fn wants_descriptions(text: &str, pos16: usize) -> bool {
    let cursor = context::byte_of_utf16(text, pos16);
    context::at(text, cursor).is_some_and(|c| {
        let keys = c.keys();
        matches!(
            (keys.as_slice(), c.place),
            (["Statement", "Action" | "NotAction"], Place::Value) | (["Statement", "Condition", _], Place::Key)
        )
    })
}
