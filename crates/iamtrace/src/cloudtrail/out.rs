//! What the readers of one event found, gathered before it becomes an
//! [`ImportedEvent`], and the conversion of spans to positions.

use std::collections::BTreeMap;

use crate::api::{ContextInput, RequestInput};
use crate::diagnostic::Diagnostic;
use crate::span::{Location, Position, Span};

use super::source::Field;
use super::{AbsentKey, FurtherAction, ImportDiagnostic, ImportedEvent, KeyFrom, RequestField, UnknownKey};

/// Converts byte spans of the pasted text into positions, as
/// [`LineIndex`](crate::LineIndex) does, but in time independent of the
/// line's length: CloudTrail log files are one line of JSON, often
/// megabytes long, and every key of every event has a position.
pub(super) struct Locator<'t> {
    text: &'t str,
    /// Every [`STEP`] bytes (at a character boundary): the offset, its
    /// 0-based line, and the characters and UTF-16 units before it on its line.
    checkpoints: Vec<Checkpoint>,
}

#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    line: u32,
    chars: u32,
    utf16: u32,
}

const STEP: usize = 512;

impl<'t> Locator<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let mut checkpoints = vec![Checkpoint { offset: 0, line: 0, chars: 0, utf16: 0 }];
        let mut cur = Checkpoint { offset: 0, line: 0, chars: 0, utf16: 0 };
        let mut next = STEP;
        for (i, c) in text.char_indices() {
            if i >= next {
                checkpoints.push(Checkpoint { offset: i, ..cur });
                next = i + STEP;
            }
            cur = advance(cur, c);
        }
        Locator { text, checkpoints }
    }

    fn position(&self, offset: u32) -> Position {
        let mut end = (offset as usize).min(self.text.len());
        while end > 0 && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let i = self.checkpoints.partition_point(|c| c.offset <= end).saturating_sub(1);
        let start = self.checkpoints.get(i).copied().unwrap_or(Checkpoint { offset: 0, line: 0, chars: 0, utf16: 0 });
        let mut cur = start;
        for c in self.text.get(start.offset..end).unwrap_or("").chars() {
            cur = advance(cur, c);
        }
        Position {
            line: cur.line + 1,
            column: cur.chars + 1,
            utf16_column: cur.utf16 + 1,
            offset: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub(super) fn location(&self, span: Span) -> Location {
        Location { start: self.position(span.start), end: self.position(span.end) }
    }

    pub(super) fn diagnostic(&self, d: Diagnostic) -> ImportDiagnostic {
        let l = self.location(d.span);
        ImportDiagnostic { diagnostic: d, start: l.start, end: l.end }
    }
}

fn advance(cur: Checkpoint, c: char) -> Checkpoint {
    let offset = cur.offset + c.len_utf8();
    if c == '\n' {
        Checkpoint { offset, line: cur.line + 1, chars: 0, utf16: 0 }
    } else {
        Checkpoint { offset, line: cur.line, chars: cur.chars + 1, utf16: cur.utf16 + c.len_utf16() as u32 }
    }
}

/// What the readers of one event found.
pub(super) struct Out<'l> {
    pub(super) loc: &'l Locator<'l>,
    pub(super) request: RequestInput,
    pub(super) fields: Vec<RequestField>,
    pub(super) unknown_fields: Vec<UnknownKey>,
    pub(super) other_resources: Vec<String>,
    pub(super) further_actions: Vec<FurtherAction>,
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
            further_actions: Vec::new(),
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

    /// A further action the call needs besides `request.action`.
    pub(super) fn also(&mut self, action: &str, why: impl Into<String>, same_request: bool) {
        self.further(FurtherAction { action: action.to_owned(), why: why.into(), same_request, resource: None });
    }

    /// A further action evaluated on `resource` instead of the request's.
    pub(super) fn also_on(&mut self, action: &str, why: impl Into<String>, resource: &str) {
        let resource = Some(resource.to_owned());
        self.further(FurtherAction { action: action.to_owned(), why: why.into(), same_request: true, resource });
    }

    fn further(&mut self, f: FurtherAction) {
        if !self.further_actions.iter().any(|g| g.action == f.action) {
            self.further_actions.push(f);
        }
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
        ev.further_actions = self.further_actions;
        ev.keys = self.keys;
        ev.unknown = self.unknown;
        ev.absent = self.absent;
        ev.notes = self.notes;
        ev.diagnostics = self.diagnostics;
        ev
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LineIndex;

    #[test]
    fn positions_match_the_line_index() {
        let line = "{\"a\": \"é😀x\"}, ".repeat(300);
        let text = format!("{line}\n\r\n{line}\n😀");
        let loc = Locator::new(&text);
        let index = LineIndex::new(&text);
        for offset in (0..=text.len() as u32 + 3).step_by(7) {
            assert_eq!(loc.position(offset), index.position(&text, offset), "{offset}");
        }
    }
}
