//! What the readers of one event found, gathered before it becomes an
//! [`ImportedEvent`], and the conversion of spans to positions.

use std::collections::BTreeMap;

use crate::api::{ContextInput, RequestInput};
use crate::diagnostic::Diagnostic;
use crate::span::{LineIndex, Location, Span};

use super::source::Field;
use super::{AbsentKey, ImportDiagnostic, ImportedEvent, KeyFrom, RequestField, UnknownKey};

/// Converts byte spans of the pasted text into positions.
pub(super) struct Locator<'t> {
    text: &'t str,
    index: LineIndex,
}

impl<'t> Locator<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Locator { text, index: LineIndex::new(text) }
    }

    pub(super) fn location(&self, span: Span) -> Location {
        self.index.location(self.text, span)
    }

    pub(super) fn diagnostic(&self, d: Diagnostic) -> ImportDiagnostic {
        let l = self.location(d.span);
        ImportDiagnostic { diagnostic: d, start: l.start, end: l.end }
    }
}

/// What the readers of one event found.
pub(super) struct Out<'l> {
    pub(super) loc: &'l Locator<'l>,
    pub(super) request: RequestInput,
    pub(super) fields: Vec<RequestField>,
    pub(super) unknown_fields: Vec<UnknownKey>,
    pub(super) other_resources: Vec<String>,
    pub(super) keys: Vec<KeyFrom>,
    pub(super) unknown: Vec<UnknownKey>,
    pub(super) absent: Vec<AbsentKey>,
    pub(super) notes: Vec<String>,
    pub(super) diagnostics: Vec<ImportDiagnostic>,
}

impl<'l> Out<'l> {
    pub(super) fn new(loc: &'l Locator<'l>) -> Self {
        Out {
            loc,
            request: RequestInput::default(),
            fields: Vec::new(),
            unknown_fields: Vec::new(),
            other_resources: Vec::new(),
            keys: Vec::new(),
            unknown: Vec::new(),
            absent: Vec::new(),
            notes: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Sets a request field from a record field.
    pub(super) fn set(&mut self, name: &str, value: impl Into<String>, from: &Field, note: Option<String>) {
        let value = value.into();
        match name {
            "principal" => self.request.principal = value.clone(),
            "action" => self.request.action = value.clone(),
            "resource" => self.request.resource = value.clone(),
            "resource_account" => self.request.resource_account = Some(value.clone()),
            "session_parent_arn" => self.request.session_parent_arn = Some(value.clone()),
            _ => return,
        }
        self.fields.retain(|f| f.name != name);
        self.unknown_fields.retain(|u| u.key != name);
        self.fields.push(RequestField {
            name: name.to_owned(),
            value,
            field: from.path.clone(),
            span: from.span,
            location: self.loc.location(from.span),
            note,
        });
    }

    /// Whether a request field has been set.
    pub(super) fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }

    /// A request field the record does not show.
    pub(super) fn missing(&mut self, name: &str, why: impl Into<String>) {
        if !self.has_field(name) && !self.unknown_fields.iter().any(|u| u.key == name) {
            self.unknown_fields.push(UnknownKey { key: name.to_owned(), why: why.into() });
        }
    }

    pub(super) fn other_resource(&mut self, arn: String) {
        self.other_resources.push(arn);
    }

    /// A context key read from a record field.
    pub(super) fn key(&mut self, key: &str, value: ContextInput, from: &Field, note: Option<String>) {
        self.keys.retain(|k| !k.key.eq_ignore_ascii_case(key));
        self.unknown.retain(|u| !u.key.eq_ignore_ascii_case(key));
        self.absent.retain(|u| !u.key.eq_ignore_ascii_case(key));
        self.keys.push(KeyFrom {
            key: key.to_owned(),
            value,
            field: from.path.clone(),
            span: from.span,
            location: self.loc.location(from.span),
            note,
        });
    }

    /// A single-valued context key read from a record field.
    pub(super) fn key1(&mut self, key: &str, value: impl Into<String>, from: &Field, note: Option<String>) {
        self.key(key, ContextInput::One(value.into()), from, note);
    }

    pub(super) fn listed(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k.key.eq_ignore_ascii_case(key))
            || self.unknown.iter().any(|k| k.key.eq_ignore_ascii_case(key))
            || self.absent.iter().any(|k| k.key.eq_ignore_ascii_case(key))
    }

    /// A key AWS may have had that the record cannot show.
    pub(super) fn unknown(&mut self, key: &str, why: impl Into<String>) {
        if !self.listed(key) {
            self.unknown.push(UnknownKey { key: key.to_owned(), why: why.into() });
        }
    }

    /// A key the record proves absent.
    pub(super) fn absent(&mut self, key: &str, why: impl Into<String>) {
        if !self.listed(key) {
            self.absent.push(AbsentKey { key: key.to_owned(), why: why.into() });
        }
    }

    pub(super) fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    pub(super) fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(self.loc.diagnostic(d));
    }

    pub(super) fn finish(self, mut ev: ImportedEvent) -> ImportedEvent {
        let mut request = self.request;
        request.context = self.keys.iter().map(|k| (k.key.clone(), k.value.clone())).collect::<BTreeMap<_, _>>();
        let errors = self.diagnostics.iter().any(|d| d.diagnostic.is_error());
        ev.complete =
            !errors && !request.principal.is_empty() && !request.action.is_empty() && !request.resource.is_empty();
        ev.request = request;
        ev.fields = self.fields;
        ev.unknown_fields = self.unknown_fields;
        ev.other_resources = self.other_resources;
        ev.keys = self.keys;
        ev.unknown = self.unknown;
        ev.absent = self.absent;
        ev.notes = self.notes;
        ev.diagnostics = self.diagnostics;
        ev
    }
}
