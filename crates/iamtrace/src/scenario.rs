//! The scenario format (SCENARIO.md, v1): policies and a request in one JSON
//! document. Policies may be JSON objects, JSON strings holding the pasted
//! text (each becomes its own [`Document`]), `{"name": ..., "policy": ...}`
//! wrappers, or managed-policy names resolved through a [`PolicyLibrary`].

use std::borrow::Cow;

use crate::diagnostic::{nearest, quote, Diagnostic, DocId};
use crate::eval::{self, Named, PolicySet};
use crate::json::{Kind, Obj, Pull, PullResult, Scalar};
use crate::policy::{self, PolicyKind, Str};
use crate::request::{Context, ContextValue, Flags, Request};
use crate::span::Span;
use crate::trace::{Answer, Decision};

/// A text that spans point into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub text: Cow<'a, str>,
    pub origin: Origin,
}

/// Where a document's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The scenario text itself, starting at byte `base` of its file.
    Root { base: u32 },
    /// A policy given as a JSON string; `literal` is the string's span
    /// (quotes included) in document 0.
    Embedded { literal: Span },
    /// A managed policy resolved by name.
    Managed { name: String, arn: String },
}

/// A managed policy known to a [`PolicyLibrary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub text: Cow<'static, str>,
}

/// Resolves managed-policy names and ARNs (provided by the data crate).
pub trait PolicyLibrary {
    /// Looks up `arn:aws:iam::aws:policy/Name` or a bare `Name`.
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy>;
}

/// A valid scenario, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Scenario<'a> {
    pub name: Option<String>,
    pub policies: PolicySet<'a>,
    pub request: Request<'a>,
    pub expected: Option<Decision>,
}

impl<'a> Scenario<'a> {
    pub fn evaluate(&self) -> Result<Answer<'_>, Vec<Diagnostic>> {
        eval::evaluate(&self.policies, &self.request)
    }
}

/// A scenario as read, with every diagnostic and the documents they refer to.
#[derive(Debug, Clone)]
pub struct ParsedScenario<'a> {
    /// `None` when any diagnostic is an error.
    pub scenario: Option<Scenario<'a>>,
    /// The scenario's name, if it could be read.
    pub name: Option<String>,
    pub docs: Vec<Document<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedScenario<'_> {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads one scenario from its text.
pub fn parse<'a>(text: &'a str, library: Option<&dyn PolicyLibrary>) -> ParsedScenario<'a> {
    parse_at(text, 0, library)
}

/// Reads one scenario whose text starts at byte `base` of a larger file.
pub fn parse_at<'a>(text: &'a str, base: u32, library: Option<&dyn PolicyLibrary>) -> ParsedScenario<'a> {
    let mut pull = Pull::new(text);
    let one = read_one(&mut pull, text, base, library).and_then(|p| pull.finish().map(|()| p));
    one.unwrap_or_else(|e| json_error(text, base, *e))
}

fn json_error(text: &str, base: u32, e: Diagnostic) -> ParsedScenario<'_> {
    let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base } }];
    ParsedScenario { scenario: None, name: None, docs, diagnostics: vec![e] }
}

/// Reads the scenario at the reader's position.
fn read_one<'a>(pull: &mut Pull<'a>, text: &'a str, base: u32, library: Option<&dyn PolicyLibrary>) -> PullResult<ParsedScenario<'a>> {
    let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base } }];
    let mut r = Reader { docs, diags: Vec::new(), library };
    let (scenario, name) = r.scenario(pull)?;
    let ok = !r.diags.iter().any(Diagnostic::is_error);
    Ok(ParsedScenario { scenario: if ok { scenario } else { None }, name, docs: r.docs, diagnostics: r.diags })
}

/// Reads a file of scenarios: one object, an array of objects, or JSON
/// Lines. Each scenario is read on its own; one bad scenario does not stop
/// the others. A file that is not valid JSON at all gives one entry with the error.
pub fn parse_many<'a>(text: &'a str, library: Option<&dyn PolicyLibrary>) -> Vec<ParsedScenario<'a>> {
    let mut pull = Pull::new(text);
    let read = (|| -> PullResult<Vec<ParsedScenario<'a>>> {
        let out = if pull.peek()? == Kind::Array {
            let mut arr = pull.open_array()?;
            let mut out = Vec::new();
            while pull.item(&mut arr)? {
                out.push(read_one(&mut pull, text, 0, library)?);
            }
            out
        } else {
            vec![read_one(&mut pull, text, 0, library)?]
        };
        pull.finish()?;
        Ok(out)
    })();
    match read {
        Ok(all) => all,
        Err(first) => {
            // JSON Lines: several non-empty lines, each read alone.
            let lines: Vec<(usize, &str)> = line_spans(text).filter(|(_, l)| !l.trim().is_empty()).collect();
            if first.code == "json-trailing-characters" && lines.len() > 1 {
                lines
                    .into_iter()
                    .map(|(start, line)| parse_at(line, u32::try_from(start).unwrap_or(u32::MAX), library))
                    .collect()
            } else {
                vec![json_error(text, 0, *first)]
            }
        }
    }
}

fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, l.trim_end_matches(['\n', '\r']))
    })
}

/// Maps a span of document `doc` to a span of the file the scenario came
/// from (through the escapes of a policy embedded as a JSON string).
pub fn file_span(docs: &[Document<'_>], doc: DocId, span: Span) -> Option<Span> {
    let root = docs.first()?;
    let Origin::Root { base } = root.origin else { return None };
    let d = docs.get(doc.0 as usize)?;
    match &d.origin {
        Origin::Root { base } => Some(Span::new(span.start + base, span.end + base)),
        Origin::Embedded { literal } => {
            let raw = literal.slice(&root.text);
            let start = literal.start + 1 + decoded_to_raw(raw.get(1..).unwrap_or(""), span.start as usize) as u32;
            let end = literal.start + 1 + decoded_to_raw(raw.get(1..).unwrap_or(""), span.end as usize) as u32;
            Some(Span::new(start + base, end + base))
        }
        Origin::Managed { .. } => None,
    }
}

/// The raw offset inside a JSON string literal body for a decoded offset.
fn decoded_to_raw(raw: &str, decoded: usize) -> usize {
    let bytes = raw.as_bytes();
    let (mut r, mut d) = (0usize, 0usize);
    while d < decoded && r < bytes.len() {
        match bytes.get(r) {
            Some(b'\\') => {
                let (raw_len, dec_len) = match bytes.get(r + 1) {
                    Some(b'u') => {
                        let hex = raw.get(r + 2..r + 6).and_then(|h| u32::from_str_radix(h, 16).ok()).unwrap_or(0);
                        if (0xD800..0xDC00).contains(&hex) {
                            (12, 4)
                        } else {
                            (6, char::from_u32(hex).map_or(1, char::len_utf8))
                        }
                    }
                    _ => (2, 1),
                };
                r += raw_len;
                d += dec_len;
            }
            Some(_) => {
                r += 1;
                d += 1;
            }
            None => break,
        }
    }
    r.min(bytes.len())
}

const SCENARIO_KEYS: [&str; 4] = ["name", "policies", "request", "expected"];
/// Keys that document a scenario (used by the vectors) and are ignored.
const DOC_KEYS: [&str; 6] = ["why", "source", "confidence", "description", "notes", "tags"];
const REQUEST_KEYS: [&str; 7] =
    ["principal", "action", "resource", "resource_account", "session_parent_arn", "flags", "context"];
const FLAG_KEYS: [&str; 3] = ["principal_in_management_account", "service_linked_role", "resource_in_management_account"];

struct Reader<'d, 'a> {
    docs: Vec<Document<'a>>,
    diags: Vec<Diagnostic>,
    library: Option<&'d dyn PolicyLibrary>,
}

impl<'d, 'a> Reader<'d, 'a> {
    fn error(&mut self, code: &str, span: Span, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::error(code, span, message);
        d.help = help.map(str::to_owned);
        self.diags.push(d);
    }

    fn unknown(&mut self, key: &str, span: Span, known: &[&str], place: &str) {
        let help = nearest(key, known.iter().copied()).map(|n| format!("did you mean `{n}`?"));
        let mut d = Diagnostic::error("scenario-unknown-field", span, format!("unknown field {} in {place}", quote(key)));
        d.help = help.or_else(|| Some(format!("the fields are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))));
        self.diags.push(d);
    }

    /// Reports a value of the wrong type and skips it.
    fn wrong(&mut self, pull: &mut Pull<'a>, kind: Kind, message: impl FnOnce(&str) -> String, help: Option<&str>) -> PullResult<()> {
        let span = pull.skip()?;
        self.error("scenario-wrong-type", span, message(kind.describe()), help);
        Ok(())
    }

    /// A string value, or `None` (reported) for anything else.
    fn string(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Str<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::String {
            self.wrong(pull, kind, |found| format!("{what} must be a string, found {found}"), None)?;
            return Ok(None);
        }
        let (text, span) = pull.string()?;
        Ok(Some(Str { text, span }))
    }

    fn scenario(&mut self, pull: &mut Pull<'a>) -> PullResult<(Option<Scenario<'a>>, Option<String>)> {
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("a scenario must be a JSON object, found {found}"), None)?;
            return Ok((None, None));
        }
        let mut obj = pull.open_object()?;
        let mut name = None;
        let mut policies = PolicySet::default();
        let mut request = None;
        let mut request_seen = false;
        let mut expected = None;
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            match key.as_ref() {
                "name" => name = self.string(pull, "`name`")?.map(|s| s.text.into_owned()),
                "policies" => policies = self.policies(pull)?,
                "request" => {
                    request_seen = true;
                    request = self.request(pull)?;
                }
                "expected" => {
                    if let Some(s) = self.string(pull, "`expected`")? {
                        expected = Decision::parse(&s.text);
                        if expected.is_none() {
                            self.error(
                                "scenario-invalid-expected",
                                s.span,
                                format!("invalid `expected` {}", quote(&s.text)),
                                Some("write `Allow`, `ExplicitDeny` or `ImplicitDeny`"),
                            );
                        }
                    }
                }
                k if DOC_KEYS.contains(&k) => {
                    pull.skip()?;
                }
                other => {
                    pull.skip()?;
                    let mut known: Vec<&str> = SCENARIO_KEYS.to_vec();
                    known.extend(DOC_KEYS);
                    let help = nearest(other, known.iter().copied()).map(|n| format!("did you mean `{n}`?"));
                    let mut d = Diagnostic::warning("scenario-unknown-field", key_span, format!("unknown field {} is ignored", quote(other)));
                    d.help = help;
                    self.diags.push(d);
                }
            }
        }
        if !request_seen {
            self.error(
                "scenario-missing-request",
                Span::from_range(obj.start, obj.start + 1),
                "scenario has no `request`",
                Some("add `\"request\": {\"principal\": ..., \"action\": ..., \"resource\": ...}`"),
            );
        }
        let scenario = request.map(|request| Scenario { name: name.clone(), policies, request, expected });
        Ok((scenario, name))
    }

    fn policies(&mut self, pull: &mut Pull<'a>) -> PullResult<PolicySet<'a>> {
        let mut set = PolicySet::default();
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("`policies` must be an object, found {found}"), None)?;
            return Ok(set);
        }
        let mut obj = pull.open_object()?;
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            let Some(kind) = PolicyKind::ALL.iter().copied().find(|k| k.key() == key) else {
                let known: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.key()).collect();
                self.unknown(&key, key_span, &known, "`policies`");
                pull.skip()?;
                continue;
            };
            match kind {
                PolicyKind::Identity | PolicyKind::Session => {
                    let Some(mut arr) = self.list(pull, kind)? else { continue };
                    let mut i = 0;
                    while pull.item(&mut arr)? {
                        if let Some((p, name)) = self.policy(pull, kind)? {
                            let named = Named::new(p, i, None, name);
                            if kind == PolicyKind::Identity {
                                set.identity.push(named);
                            } else {
                                set.session.push(named);
                            }
                        }
                        i += 1;
                    }
                }
                PolicyKind::Resource | PolicyKind::Boundary | PolicyKind::Vpce => {
                    if pull.peek()? == Kind::Null {
                        pull.skip()?;
                        continue;
                    }
                    if let Some((p, name)) = self.policy(pull, kind)? {
                        let named = Some(Named::new(p, 0, None, name));
                        match kind {
                            PolicyKind::Resource => set.resource = named,
                            PolicyKind::Boundary => set.boundary = named,
                            _ => set.vpce = named,
                        }
                    }
                }
                PolicyKind::Scp | PolicyKind::Rcp => {
                    let levels = self.levels(pull, kind)?;
                    if kind == PolicyKind::Scp {
                        set.scp = levels;
                    } else {
                        set.rcp = levels;
                    }
                }
            }
        }
        Ok(set)
    }

    /// Opens the array of a list-valued policy kind; `None` for null or a wrong type.
    fn list(&mut self, pull: &mut Pull<'a>, kind: PolicyKind) -> PullResult<Option<crate::json::Arr>> {
        match pull.peek()? {
            Kind::Array => Ok(Some(pull.open_array()?)),
            Kind::Null => {
                pull.skip()?;
                Ok(None)
            }
            other => {
                self.wrong(pull, other, |found| format!("`{}` must be an array of policies, found {found}", kind.key()), Some("wrap the policy in `[ ]`"))?;
                Ok(None)
            }
        }
    }

    fn levels(&mut self, pull: &mut Pull<'a>, kind: PolicyKind) -> PullResult<Vec<Vec<Named<'a>>>> {
        let mut levels: Vec<Vec<Named<'a>>> = Vec::new();
        let Some(mut arr) = self.list(pull, kind)? else { return Ok(levels) };
        let mut nested = None;
        while pull.item(&mut arr)? {
            let is_array = pull.peek()? == Kind::Array;
            let nested = *nested.get_or_insert(is_array);
            if nested {
                if !is_array {
                    let k = pull.peek()?;
                    self.wrong(
                        pull,
                        k,
                        |found| format!("`{}` mixes levels and policies: expected an array (one level), found {found}", kind.key()),
                        Some("use either a flat list of policies (one level) or a list of levels"),
                    )?;
                    continue;
                }
                let l = levels.len();
                let mut level = Vec::new();
                let mut inner = pull.open_array()?;
                let mut i = 0;
                while pull.item(&mut inner)? {
                    if pull.peek()? == Kind::Array {
                        let span = pull.skip()?;
                        self.error("scenario-wrong-type", span, format!("`{}` levels hold policies, not arrays", kind.key()), None);
                    } else if let Some((p, name)) = self.policy(pull, kind)? {
                        level.push(Named::new(p, i, Some(l), name));
                    }
                    i += 1;
                }
                levels.push(level);
            } else {
                if levels.is_empty() {
                    levels.push(Vec::new());
                }
                let i = levels.first().map_or(0, Vec::len);
                if is_array {
                    let span = pull.skip()?;
                    self.error("scenario-wrong-type", span, format!("`{}` levels hold policies, not arrays", kind.key()), None);
                } else if let Some((p, name)) = self.policy(pull, kind)? {
                    if let Some(first) = levels.first_mut() {
                        first.push(Named::new(p, i, Some(0), name));
                    }
                }
            }
        }
        Ok(levels)
    }

    /// One POLICY: object, string (text or managed name), or named wrapper.
    fn policy(&mut self, pull: &mut Pull<'a>, kind: PolicyKind) -> PullResult<Option<(policy::Policy<'a>, Option<String>)>> {
        match pull.peek()? {
            Kind::Object => {
                let mut obj = pull.open_object()?;
                let first = pull.key(&mut obj)?;
                let wrapper = matches!(&first, Some((k, _)) if k == "name" || k == "policy");
                if wrapper {
                    return self.wrapper(pull, obj, first, kind);
                }
                let parsed = policy::read_policy(pull, kind, DocId(0), Some((obj, first)))?;
                self.diags.extend(parsed.diagnostics);
                Ok(parsed.policy.map(|p| (p, None)))
            }
            Kind::String => {
                let (text, span) = pull.string()?;
                Ok(self.policy_text(text, span, kind))
            }
            other => {
                self.wrong(pull, other, |found| format!("a policy must be a JSON object or a string, found {found}"), None)?;
                Ok(None)
            }
        }
    }

    /// `{"name": "...", "policy": POLICY}`.
    fn wrapper(
        &mut self,
        pull: &mut Pull<'a>,
        mut obj: Obj,
        first: Option<(Cow<'a, str>, Span)>,
        kind: PolicyKind,
    ) -> PullResult<Option<(policy::Policy<'a>, Option<String>)>> {
        let mut name = None;
        let mut inner = None;
        let mut seen = false;
        let mut next = first;
        while let Some((key, key_span)) = next {
            match key.as_ref() {
                "name" => name = self.string(pull, "the policy `name`")?.map(|s| s.text.into_owned()),
                "policy" => {
                    seen = true;
                    inner = self.policy(pull, kind)?;
                }
                other => {
                    self.unknown(other, key_span, &["name", "policy"], "a named policy");
                    pull.skip()?;
                }
            }
            next = pull.key(&mut obj)?;
        }
        if !seen {
            self.error(
                "scenario-missing-field",
                Span::from_range(obj.start, obj.start + 1),
                "named policy has no `policy`",
                Some("write `{\"name\": \"...\", \"policy\": { \"Statement\": ... }}`"),
            );
        }
        Ok(inner.map(|(p, resolved)| (p, name.or(resolved))))
    }

    fn policy_text(&mut self, text: Cow<'a, str>, literal: Span, kind: PolicyKind) -> Option<(policy::Policy<'a>, Option<String>)> {
        let trimmed = text.trim();
        let looks_managed = !trimmed.starts_with('{') && !trimmed.is_empty() && !trimmed.contains(char::is_whitespace);
        if looks_managed {
            return self.managed(trimmed, literal, kind);
        }
        let doc = DocId(u32::try_from(self.docs.len()).unwrap_or(u32::MAX));
        let origin = Origin::Embedded { literal };
        let result = match text {
            Cow::Borrowed(t) => {
                let parsed = policy::parse_policy(t, kind, doc);
                self.docs.push(Document { text: Cow::Borrowed(t), origin });
                (parsed.policy, parsed.diagnostics)
            }
            Cow::Owned(t) => {
                let parsed = policy::parse_policy(&t, kind, doc);
                let owned = parsed.policy.map(policy::Policy::into_owned);
                let diagnostics = parsed.diagnostics;
                self.docs.push(Document { text: Cow::Owned(t), origin });
                (owned, diagnostics)
            }
        };
        self.diags.extend(result.1);
        result.0.map(|p| (p, None))
    }

    fn managed(&mut self, name: &str, literal: Span, kind: PolicyKind) -> Option<(policy::Policy<'a>, Option<String>)> {
        let Some(library) = self.library else {
            self.error(
                "policy-managed-unavailable",
                literal,
                format!("{} looks like a managed policy name, but no managed-policy data is loaded", quote(name)),
                Some("paste the policy document itself, or use a build of iamtrace with the AWS data"),
            );
            return None;
        };
        let Some(m) = library.managed_policy(name) else {
            self.error(
                "policy-managed-unknown",
                literal,
                format!("unknown managed policy {}", quote(name)),
                Some("give an AWS managed policy name such as `ReadOnlyAccess`, or its ARN"),
            );
            return None;
        };
        let doc = DocId(u32::try_from(self.docs.len()).unwrap_or(u32::MAX));
        let parsed = match &m.text {
            Cow::Borrowed(t) => policy::parse_policy(t, kind, doc).policy.map(|p| p.into_owned()),
            Cow::Owned(t) => policy::parse_policy(t, kind, doc).policy.map(policy::Policy::into_owned),
        };
        let Some(p) = parsed else {
            self.error("policy-managed-invalid", literal, format!("the managed policy {} could not be read", quote(&m.name)), None);
            return None;
        };
        let name = m.name.clone();
        self.docs.push(Document { text: m.text, origin: Origin::Managed { name: m.name, arn: m.arn } });
        Some((p, Some(name)))
    }

    fn request(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Request<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("`request` must be an object, found {found}"), None)?;
            return Ok(None);
        }
        let mut obj = pull.open_object()?;
        // `None`: absent; `Some(None)`: present but not a string (reported).
        let mut principal = None;
        let mut action = None;
        let mut resource = None;
        let mut resource_account = None;
        let mut session_parent_arn = None;
        let mut flags = Flags::default();
        let mut context = Context::new();
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            match key.as_ref() {
                "principal" => principal = Some(self.string(pull, "`principal`")?),
                "action" => action = Some(self.string(pull, "`action`")?),
                "resource" => resource = Some(self.string(pull, "`resource`")?),
                "resource_account" => resource_account = self.string(pull, "`resource_account`")?,
                "session_parent_arn" => session_parent_arn = self.string(pull, "`session_parent_arn`")?,
                "flags" => flags = self.flags(pull)?,
                "context" => context = self.context(pull)?,
                other => {
                    self.unknown(other, key_span, &REQUEST_KEYS, "`request`");
                    pull.skip()?;
                }
            }
        }
        let span = pull.span_from(obj.start);
        let opening = Span::new(span.start, span.start + 1);
        for (v, field, example) in [
            (&principal, "principal", "arn:aws:iam::111122223333:user/alice"),
            (&action, "action", "s3:GetObject"),
            (&resource, "resource", "arn:aws:s3:::bucket/key"),
        ] {
            if v.is_none() {
                self.error(
                    "request-missing-field",
                    opening,
                    format!("`request` has no `{field}`"),
                    Some(&format!("add `\"{field}\": \"{example}\"`")),
                );
            }
        }
        let (Some(Some(principal)), Some(Some(action)), Some(Some(resource))) = (principal, action, resource) else {
            return Ok(None);
        };
        Ok(Some(Request { principal, action, resource, resource_account, session_parent_arn, flags, context, span }))
    }

    fn flags(&mut self, pull: &mut Pull<'a>) -> PullResult<Flags> {
        let mut flags = Flags::default();
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("`flags` must be an object, found {found}"), None)?;
            return Ok(flags);
        }
        let mut obj = pull.open_object()?;
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            let k = pull.peek()?;
            let b = match k {
                Kind::Bool | Kind::String => match pull.scalar()? {
                    (Scalar::Bool(b), _) => b,
                    (Scalar::String(s), _) if s == "true" || s == "false" => s == "true",
                    (_, span) => {
                        self.error("scenario-wrong-type", span, format!("flag {} must be true or false, found a string", quote(&key)), None);
                        continue;
                    }
                },
                other => {
                    self.wrong(pull, other, |found| format!("flag {} must be true or false, found {found}", quote(&key)), None)?;
                    continue;
                }
            };
            match key.as_ref() {
                "principal_in_management_account" => flags.principal_in_management_account = b,
                "service_linked_role" => flags.service_linked_role = b,
                "resource_in_management_account" => flags.resource_in_management_account = Some(b),
                other => self.unknown(other, key_span, &FLAG_KEYS, "`flags`"),
            }
        }
        Ok(flags)
    }

    fn context_value(&mut self, pull: &mut Pull<'a>, key: &str) -> PullResult<Option<Cow<'a, str>>> {
        let kind = pull.peek()?;
        if matches!(kind, Kind::Object | Kind::Array | Kind::Null) {
            let span = pull.skip()?;
            self.error(
                "request-invalid-context",
                span,
                format!("values of {} must be strings, numbers or booleans, found {}", quote(key), kind.describe()),
                Some("leave a key out to make it missing"),
            );
            return Ok(None);
        }
        Ok(match pull.scalar()?.0 {
            Scalar::String(s) => Some(s),
            Scalar::Number(n) => Some(Cow::Borrowed(n)),
            Scalar::Bool(true) => Some(Cow::Borrowed("true")),
            Scalar::Bool(false) => Some(Cow::Borrowed("false")),
            Scalar::Null => None,
        })
    }

    fn context(&mut self, pull: &mut Pull<'a>) -> PullResult<Context<'a>> {
        let mut context = Context::new();
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("`context` must be an object, found {found}"), None)?;
            return Ok(context);
        }
        let mut obj = pull.open_object()?;
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            if key.is_empty() {
                self.error("request-invalid-context", key_span, "empty context key", None);
                pull.skip()?;
                continue;
            }
            let value = if pull.peek()? == Kind::Array {
                let mut arr = pull.open_array()?;
                let mut values = Vec::new();
                while pull.item(&mut arr)? {
                    if let Some(v) = self.context_value(pull, &key)? {
                        values.push(v);
                    }
                }
                ContextValue::Multi(values)
            } else {
                match self.context_value(pull, &key)? {
                    Some(v) => ContextValue::Single(v),
                    None => continue,
                }
            };
            context.insert(key, value, Some(key_span));
        }
        Ok(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_offsets_map_back_through_escapes() {
        let raw = r#"{\n  \"a\": \"\u00e9x\"}"#;
        // decoded: {<nl>  "a": "éx"}
        let decoded = "{\n  \"a\": \"éx\"}";
        let x = decoded.find('x').unwrap();
        let r = decoded_to_raw(raw, x);
        assert_eq!(&raw[r..r + 1], "x");
        assert_eq!(decoded_to_raw(raw, 0), 0);
        assert_eq!(decoded_to_raw(raw, 1), 1);
        assert_eq!(decoded_to_raw(raw, 2), 3);
    }

    #[test]
    fn many_reads_arrays_objects_and_lines() {
        let one = r#"{"request":{"principal":"anonymous","action":"s3:GetObject","resource":"*"}}"#;
        assert_eq!(parse_many(one, None).len(), 1);
        let arr = format!("[{one},{one}]");
        assert_eq!(parse_many(&arr, None).len(), 2);
        let lines = format!("{one}\n\n{one}\n{{bad\n");
        let many = parse_many(&lines, None);
        assert_eq!(many.len(), 3);
        assert!(many[0].scenario.is_some());
        assert!(many[2].has_errors());
        match many[1].docs[0].origin {
            Origin::Root { base } => assert_eq!(base as usize, one.len() + 2),
            _ => panic!(),
        }
    }

    #[test]
    fn policies_as_strings_get_their_own_documents() {
        let text = r#"{"policies":{"identity":["{\n\"Statement\": {\"Effect\":\"Alow\",\"Action\":\"*\",\"Resource\":\"*\"}}"]},
            "request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#;
        let p = parse(text, None);
        assert!(p.has_errors());
        let d = &p.diagnostics[0];
        assert_eq!(d.code, "statement-invalid-effect");
        assert_eq!(d.doc, DocId(1));
        assert_eq!(d.span.slice(&p.docs[1].text), "\"Alow\"");
        let in_file = file_span(&p.docs, d.doc, d.span).unwrap();
        assert_eq!(in_file.slice(text), r#"\"Alow\""#);
    }

    #[test]
    fn request_errors_point_at_fields() {
        let text = r#"{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resourse":"*"}}"#;
        let p = parse(text, None);
        let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["scenario-unknown-field", "request-missing-field"]);
        assert_eq!(p.diagnostics[0].help.as_deref(), Some("did you mean `resource`?"));
        assert_eq!(p.diagnostics[0].span.slice(text), "\"resourse\"");
    }

    #[test]
    fn named_wrappers_and_levels() {
        let text = r#"{"policies":{
            "identity":[{"name":"ReadOnly","policy":{"Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}}],
            "scp":[[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]]},
            "request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}"#;
        let p = parse(text, None);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let s = p.scenario.unwrap();
        assert_eq!(s.policies.identity[0].reference.name.as_deref(), Some("ReadOnly"));
        assert_eq!(s.policies.scp.len(), 2);
        assert_eq!(s.evaluate().unwrap().decision, Decision::Allow);
    }

    #[test]
    fn managed_names_need_a_library() {
        let text = r#"{"policies":{"identity":["ReadOnlyAccess"]},"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#;
        let p = parse(text, None);
        assert_eq!(p.diagnostics[0].code, "policy-managed-unavailable");
    }
}
