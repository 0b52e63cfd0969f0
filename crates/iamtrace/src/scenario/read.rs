//! The scenario reader: walks the document with [`Pull`], reading policies
//! in place (objects), as their own documents (strings), or by name.

use std::borrow::Cow;

use super::{Document, Origin, PolicyLibrary, Scenario};
use crate::diagnostic::{nearest, quote, Code, Diagnostic, DocId};
use crate::eval::{Named, PolicySet};
use crate::json::{Kind, Obj, Pull, PullResult, Scalar};
use crate::policy::{self, ByKind, Place, PolicyKind};
use crate::request::{Context, ContextValue, Flags, Request};
use crate::scenario::PolicyText;
use crate::span::{Span, Str};
use crate::trace::Decision;

const SCENARIO_KEYS: [&str; 4] = ["name", "policies", "request", "expected"];
/// Keys that document a scenario (used by the vectors) and are ignored.
const DOC_KEYS: [&str; 6] = ["why", "source", "confidence", "description", "notes", "tags"];
const REQUEST_KEYS: [&str; 7] =
    ["principal", "action", "resource", "resource_account", "session_parent_arn", "flags", "context"];
const FLAG_KEYS: [&str; 4] = [
    "principal_in_management_account",
    "service_linked_role",
    "resource_in_management_account",
    "rcp_full_aws_access_detached",
];

pub(super) struct Reader<'d, 'a> {
    pub(super) docs: Vec<Document<'a>>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) library: Option<&'d dyn PolicyLibrary>,
    /// `Some` when reading policies as texts (for the page and the JS
    /// module): each policy's text is kept, unparsed, in its place.
    pub(super) texts: Option<ByKind<PolicyText>>,
}

/// One policy as read: the parsed policy (none when it is invalid, or when
/// reading texts), and its name.
type Entry<'a> = (Option<policy::Policy<'a>>, Option<String>);

impl<'d, 'a> Reader<'d, 'a> {
    fn error(&mut self, code: Code, span: Span, message: impl Into<String>, help: Option<&str>) {
        let mut d = Diagnostic::error(code, span, message);
        d.help = help.map(str::to_owned);
        self.diags.push(d);
    }

    fn unknown(&mut self, key: &str, span: Span, known: &[&str], place: &str) {
        let help = nearest(key, known.iter().copied()).map(|n| format!("did you mean `{n}`?"));
        let mut d =
            Diagnostic::error(Code::ScenarioUnknownField, span, format!("unknown field {} in {place}", quote(key)));
        d.help = help.or_else(|| {
            Some(format!("the fields are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")))
        });
        self.diags.push(d);
    }

    /// Reports a value of the wrong type and skips it.
    fn wrong(
        &mut self,
        pull: &mut Pull<'a>,
        kind: Kind,
        message: impl FnOnce(&str) -> String,
        help: Option<&str>,
    ) -> PullResult<()> {
        let span = pull.skip()?;
        self.error(Code::ScenarioWrongType, span, message(kind.describe()), help);
        Ok(())
    }

    /// Opens an object, or reports and skips a value of another type.
    fn object(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Obj>> {
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("{what} must be an object, found {found}"), None)?;
            return Ok(None);
        }
        pull.open_object().map(Some)
    }

    /// A string value, or `None` (reported) for anything else.
    fn string(&mut self, pull: &mut Pull<'a>, what: &str) -> PullResult<Option<Str<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::String {
            self.wrong(pull, kind, |found| format!("{what} must be a string, found {found}"), None)?;
            return Ok(None);
        }
        let (text, span) = pull.string()?;
        Ok(Some(Str::new(text, span)))
    }

    pub(super) fn scenario(&mut self, pull: &mut Pull<'a>) -> PullResult<(Option<Scenario<'a>>, Option<String>)> {
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
                "name" => name = self.string(pull, "`name`")?.map(|s| s.value.into_owned()),
                "policies" => policies = self.policies(pull)?,
                "request" => {
                    request_seen = true;
                    request = self.request(pull)?;
                }
                "expected" => {
                    if let Some(s) = self.string(pull, "`expected`")? {
                        expected = Decision::parse(&s.value);
                        if expected.is_none() {
                            self.error(
                                Code::ScenarioInvalidExpected,
                                s.span,
                                format!("invalid `expected` {}", quote(&s.value)),
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
                    let mut d = Diagnostic::warning(
                        Code::ScenarioUnknownField,
                        key_span,
                        format!("unknown field {} is ignored", quote(other)),
                    );
                    d.help = help;
                    self.diags.push(d);
                }
            }
        }
        if !request_seen {
            self.error(
                Code::ScenarioMissingRequest,
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
        let Some(mut obj) = self.object(pull, "`policies`")? else { return Ok(set) };
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            let Some(kind) = PolicyKind::from_key(&key) else {
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
                        let entry = self.policy(pull, kind)?;
                        self.keep(&mut set, Place::new(kind, i, None), entry);
                        i += 1;
                    }
                }
                PolicyKind::Resource | PolicyKind::Boundary | PolicyKind::Vpce => {
                    if pull.peek()? == Kind::Null {
                        pull.skip()?;
                        continue;
                    }
                    let entry = self.policy(pull, kind)?;
                    self.keep(&mut set, Place::new(kind, 0, None), entry);
                }
                PolicyKind::Scp | PolicyKind::Rcp => {
                    let count = self.levels(pull, kind, &mut set)?;
                    // A level with no policies allows nothing: keep every level.
                    let levels = if kind == PolicyKind::Scp { &mut set.scp } else { &mut set.rcp };
                    if levels.len() < count {
                        levels.resize_with(count, Vec::new);
                    }
                    if let Some(texts) = self.texts.as_mut() {
                        let levels = if kind == PolicyKind::Scp { &mut texts.scp } else { &mut texts.rcp };
                        if levels.len() < count {
                            levels.resize_with(count, Vec::new);
                        }
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
                self.wrong(
                    pull,
                    other,
                    |found| format!("`{}` must be an array of policies, found {found}", kind.key()),
                    Some("wrap the policy in `[ ]`"),
                )?;
                Ok(None)
            }
        }
    }

    /// Puts a policy read at `place` into the set (when it parsed) and, when
    /// reading texts, its text into the texts.
    fn keep(&mut self, set: &mut PolicySet<'a>, place: Place, entry: Option<(Entry<'a>, Option<PolicyText>)>) {
        let Some(((policy, name), text)) = entry else { return };
        if let (Some(texts), Some(text)) = (self.texts.as_mut(), text) {
            texts.put(place, text);
        }
        if let Some(p) = policy {
            set.insert(Named::new(p, place.index, place.level, name));
        }
    }

    /// The levels of an SCP or RCP kind, put into `set`; returns how many
    /// levels there are.
    fn levels(&mut self, pull: &mut Pull<'a>, kind: PolicyKind, set: &mut PolicySet<'a>) -> PullResult<usize> {
        let mut count = 0;
        let Some(mut arr) = self.list(pull, kind)? else { return Ok(count) };
        let mut nested = None;
        let mut flat_index = 0;
        while pull.item(&mut arr)? {
            let is_array = pull.peek()? == Kind::Array;
            let nested = *nested.get_or_insert(is_array);
            if nested {
                if !is_array {
                    let k = pull.peek()?;
                    self.wrong(
                        pull,
                        k,
                        |found| {
                            format!(
                                "`{}` mixes levels and policies: expected an array (one level), found {found}",
                                kind.key()
                            )
                        },
                        Some("use either a flat list of policies (one level) or a list of levels"),
                    )?;
                    continue;
                }
                let l = count;
                count += 1;
                let mut inner = pull.open_array()?;
                let mut i = 0;
                while pull.item(&mut inner)? {
                    let entry = self.level_entry(pull, kind)?;
                    self.keep(set, Place::new(kind, i, Some(l)), entry);
                    i += 1;
                }
            } else {
                count = 1;
                let entry = self.level_entry(pull, kind)?;
                if entry.as_ref().is_some_and(|((p, _), t)| p.is_some() || t.is_some()) {
                    self.keep(set, Place::new(kind, flat_index, Some(0)), entry);
                    flat_index += 1;
                }
            }
        }
        Ok(count)
    }

    /// One entry of an SCP or RCP level: a policy; an array here is reported
    /// and skipped.
    fn level_entry(
        &mut self,
        pull: &mut Pull<'a>,
        kind: PolicyKind,
    ) -> PullResult<Option<(Entry<'a>, Option<PolicyText>)>> {
        if pull.peek()? != Kind::Array {
            return self.policy(pull, kind);
        }
        let span = pull.skip()?;
        self.error(Code::ScenarioWrongType, span, format!("`{}` levels hold policies, not arrays", kind.key()), None);
        Ok(None)
    }

    /// One POLICY: object, string (text or managed name), or named wrapper;
    /// with its text when reading texts.
    fn policy(&mut self, pull: &mut Pull<'a>, kind: PolicyKind) -> PullResult<Option<(Entry<'a>, Option<PolicyText>)>> {
        match pull.peek()? {
            Kind::Object => {
                let mut obj = pull.open_object()?;
                let first = pull.key(&mut obj)?;
                let wrapper = matches!(&first, Some((k, _)) if k == "name" || k == "policy");
                if wrapper {
                    return self.wrapper(pull, obj, first, kind);
                }
                if self.texts.is_some() {
                    // The exact text of the object, as the person wrote it.
                    if first.is_some() {
                        pull.skip()?;
                        while pull.key(&mut obj)?.is_some() {
                            pull.skip()?;
                        }
                    }
                    let text = pull.src().get(obj.start..pull.pos()).unwrap_or("").to_owned();
                    return Ok(Some(((None, None), Some(PolicyText { name: None, text }))));
                }
                let parsed = policy::read_policy(pull, kind, DocId(0), Some((obj, first)))?;
                self.diags.extend(parsed.diagnostics);
                Ok(parsed.policy.map(|p| ((Some(p), None), None)))
            }
            Kind::String => {
                let (text, span) = pull.string()?;
                if self.texts.is_some() {
                    return Ok(Some(((None, None), Some(PolicyText { name: None, text: text.into_owned() }))));
                }
                Ok(self.policy_text(text, span, kind).map(|(p, name)| ((Some(p), name), None)))
            }
            other => {
                self.wrong(
                    pull,
                    other,
                    |found| format!("a policy must be a JSON object or a string, found {found}"),
                    None,
                )?;
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
    ) -> PullResult<Option<(Entry<'a>, Option<PolicyText>)>> {
        let mut name = None;
        let mut inner = None;
        let mut seen = false;
        let mut next = first;
        while let Some((key, key_span)) = next {
            match key.as_ref() {
                "name" => name = self.string(pull, "the policy `name`")?.map(|s| s.value.into_owned()),
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
                Code::ScenarioMissingField,
                Span::from_range(obj.start, obj.start + 1),
                "named policy has no `policy`",
                Some("write `{\"name\": \"...\", \"policy\": { \"Statement\": ... }}`"),
            );
        }
        Ok(inner.map(|((p, resolved), text)| {
            let text = text.map(|t| PolicyText { name: name.clone(), text: t.text });
            ((p, name.or(resolved)), text)
        }))
    }

    fn policy_text(
        &mut self,
        text: Cow<'a, str>,
        literal: Span,
        kind: PolicyKind,
    ) -> Option<(policy::Policy<'a>, Option<String>)> {
        if super::names_managed_policy(&text) {
            return self.managed(text.trim(), literal, kind);
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
        let help = "paste the policy document itself, or use a build of iamtrace with the AWS data";
        let m = match super::resolve_managed(self.library, name, literal, help) {
            Ok(m) => m,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let doc = DocId(u32::try_from(self.docs.len()).unwrap_or(u32::MAX));
        let parsed = policy::parse_policy(&m.text, kind, doc).policy.map(policy::Policy::into_owned);
        let Some(p) = parsed else {
            self.error(
                Code::PolicyManagedInvalid,
                literal,
                format!("the managed policy {} could not be read", quote(&m.name)),
                None,
            );
            return None;
        };
        let name = m.name.clone();
        self.docs.push(Document { text: m.text, origin: Origin::Managed { name: m.name, arn: m.arn } });
        Some((p, Some(name)))
    }

    fn request(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Request<'a>>> {
        let Some(mut obj) = self.object(pull, "`request`")? else { return Ok(None) };
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
                    Code::RequestMissingField,
                    opening,
                    format!("`request` has no `{field}`"),
                    Some(&format!("add `\"{field}\": \"{example}\"`")),
                );
            }
        }
        let (Some(Some(principal)), Some(Some(action)), Some(Some(resource))) = (principal, action, resource) else {
            return Ok(None);
        };
        let request =
            Request { principal, action, resource, resource_account, session_parent_arn, flags, context, span };
        self.diags.extend(request.resource_account_conflict());
        Ok(Some(request))
    }

    fn flags(&mut self, pull: &mut Pull<'a>) -> PullResult<Flags> {
        let mut flags = Flags::default();
        let Some(mut obj) = self.object(pull, "`flags`")? else { return Ok(flags) };
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            let k = pull.peek()?;
            let b = match k {
                Kind::Bool | Kind::String => match pull.scalar()? {
                    (Scalar::Bool(b), _) => b,
                    (Scalar::String(s), _) if s == "true" || s == "false" => s == "true",
                    (_, span) => {
                        self.error(
                            Code::ScenarioWrongType,
                            span,
                            format!("flag {} must be true or false, found a string", quote(&key)),
                            None,
                        );
                        continue;
                    }
                },
                other => {
                    self.wrong(
                        pull,
                        other,
                        |found| format!("flag {} must be true or false, found {found}", quote(&key)),
                        None,
                    )?;
                    continue;
                }
            };
            match key.as_ref() {
                "principal_in_management_account" => flags.principal_in_management_account = b,
                "service_linked_role" => flags.service_linked_role = b,
                "resource_in_management_account" => flags.resource_in_management_account = Some(b),
                "rcp_full_aws_access_detached" => flags.rcp_full_aws_access_detached = b,
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
                Code::RequestInvalidContext,
                span,
                format!("values of {} must be strings, numbers or booleans, found {}", quote(key), kind.describe()),
                Some("leave a key out to make it missing"),
            );
            return Ok(None);
        }
        Ok(pull.scalar()?.0.into_text())
    }

    fn context(&mut self, pull: &mut Pull<'a>) -> PullResult<Context<'a>> {
        let mut context = Context::new();
        let Some(mut obj) = self.object(pull, "`context`")? else { return Ok(context) };
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            if key.is_empty() {
                self.error(Code::RequestInvalidContext, key_span, "empty context key", None);
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
            if let Some(first) = context.get(&key) {
                // Keys compare without case: two spellings of one key would
                // leave which value counts to the reader.
                let mut d = Diagnostic::error(
                    Code::RequestDuplicateContextKey,
                    key_span,
                    format!("context key {} repeats {}", quote(&key), quote(&first.key)),
                )
                .with_help("condition keys compare without case: give each key once");
                if let Some(span) = first.span {
                    d = d.with_label(span, "first given here");
                }
                self.diags.push(d);
                continue;
            }
            context.insert(key, value, Some(key_span));
        }
        Ok(context)
    }
}
