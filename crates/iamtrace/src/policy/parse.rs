//! From JSON text to a validated [`Policy`], collecting every error of the
//! document (SPEC §1). The reader pulls values from [`Pull`] and builds the
//! policy directly, without an intermediate tree.

use std::borrow::Cow;

use super::principal::{check_other, classify_aws};
use super::{
    Condition, Effect, Policy, PolicyKind, PatternList, PrincipalBlock, PrincipalEntry, PrincipalKey, Statement, Str,
    Version,
};
use crate::condition::{check_value, Operator};
use crate::diagnostic::{nearest, quote, Diagnostic, DocId, Severity};
use crate::json::{Kind, Obj, Pull, PullResult, Scalar};
use crate::span::Span;
use crate::variables;

/// Policies longer than this are rejected before parsing. The largest AWS
/// policy kind (VPC endpoint policies) allows 20,480 characters.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

/// A policy and everything found while reading it. `policy` is `None` when
/// any diagnostic is an error.
#[derive(Debug, Clone)]
pub struct ParsedPolicy<'a> {
    pub policy: Option<Policy<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

fn too_large(kind: PolicyKind, len: usize, span: Span) -> Diagnostic {
    Diagnostic::error(
        "policy-too-large",
        span,
        format!("the {} is {len} bytes; iamtrace reads policies up to {MAX_POLICY_BYTES} bytes", kind.title()),
    )
    .with_help("AWS's largest policies are 20,480 characters; check that the right text was pasted")
}

/// Parses and validates a policy document from its text.
pub fn parse_policy(text: &str, kind: PolicyKind, doc: DocId) -> ParsedPolicy<'_> {
    if text.len() > MAX_POLICY_BYTES {
        let d = too_large(kind, text.len(), Span::new(0, 0)).in_doc(doc);
        return ParsedPolicy { policy: None, diagnostics: vec![d] };
    }
    let mut pull = Pull::new(text);
    let parsed = read_policy(&mut pull, kind, doc, None).and_then(|p| pull.finish().map(|()| p));
    parsed.unwrap_or_else(|e| ParsedPolicy { policy: None, diagnostics: vec![e.in_doc(doc)] })
}

/// Reads a policy at the reader's position. `opened` is an object whose
/// first key was already read (a scenario reader looking ahead for a
/// `{"name", "policy"}` wrapper). JSON syntax errors end the read.
pub fn read_policy<'a>(
    pull: &mut Pull<'a>,
    kind: PolicyKind,
    doc: DocId,
    opened: Option<(Obj, Option<(Cow<'a, str>, Span)>)>,
) -> PullResult<ParsedPolicy<'a>> {
    let mut r = Reader { kind, diags: Vec::new() };
    let policy = r.policy(pull, doc, opened)?;
    let diagnostics: Vec<Diagnostic> = r.diags.into_iter().map(|d| d.in_doc(doc)).collect();
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    if let Some(p) = &policy {
        if p.span.len() > MAX_POLICY_BYTES {
            return Ok(ParsedPolicy { policy: None, diagnostics: vec![too_large(kind, p.span.len(), p.span).in_doc(doc)] });
        }
    }
    Ok(ParsedPolicy { policy: if ok { policy } else { None }, diagnostics })
}

const POLICY_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] =
    ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

struct Reader {
    kind: PolicyKind,
    diags: Vec<Diagnostic>,
}

/// A `Principal`/`NotPrincipal` element as read, before the kind's rules.
struct PrincipalEl<'a> {
    negated: bool,
    key_span: Span,
    block: Option<PrincipalBlock<'a>>,
    /// Problems with the entries, reported only when the element is allowed.
    diags: Vec<Diagnostic>,
}

impl Reader {
    fn error(&mut self, code: &str, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, span, message));
    }

    fn help(&mut self, help: impl Into<String>) {
        if let Some(d) = self.diags.last_mut() {
            d.help = Some(help.into());
        }
    }

    /// Reports a value of the wrong type and skips it.
    fn wrong<'a>(&mut self, pull: &mut Pull<'a>, kind: Kind, message: impl FnOnce(&str) -> String) -> PullResult<()> {
        let span = pull.skip()?;
        self.error("policy-wrong-type", span, message(kind.describe()));
        Ok(())
    }

    fn unknown_element(&mut self, key: &str, span: Span, known: &[&str], place: &str) {
        self.error("policy-unknown-element", span, format!("unknown element {} in {place}", quote(key)));
        if let Some(exact) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            self.help(format!("element names are case-sensitive: write `{exact}`"));
        } else if let Some(n) = nearest(key, known.iter().copied()) {
            self.help(format!("did you mean `{n}`?"));
        } else {
            self.help(format!("the elements of {place} are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")));
        }
    }

    /// Takes a string value, checking IAM's character set for IAM policies.
    /// Reads a string value, checking IAM's character set for IAM policies;
    /// anything else is reported (`what` is built only then) and skipped.
    fn string<'a>(&mut self, pull: &mut Pull<'a>, what: impl FnOnce() -> String) -> PullResult<Option<Str<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::String {
            self.wrong(pull, kind, |found| format!("{} must be a string, found {found}", what()))?;
            return Ok(None);
        }
        let (text, span) = pull.string()?;
        self.check_chars_of(&text, span);
        Ok(Some(Str { text, span }))
    }

    /// [`Reader::check_chars`] for a JSON string: one without escapes
    /// cannot hold control characters, so only non-ASCII text needs a look.
    fn check_chars_of(&mut self, text: &Cow<'_, str>, span: Span) {
        if matches!(text, Cow::Borrowed(_)) && text.is_ascii() {
            return;
        }
        self.check_chars(text, span);
    }

    fn check_chars(&mut self, text: &str, span: Span) {
        if !self.kind.is_iam() {
            return;
        }
        // Fast path: JSON strings hold no raw control characters, so ASCII
        // text without escaped ones (tab, line feed and carriage return are
        // allowed anyway) is fine.
        if text.is_ascii() && !text.bytes().any(|b| b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') {
            return;
        }
        let bad = text.chars().find(|&c| !(c == '\t' || c == '\n' || c == '\r' || ('\u{20}'..='\u{ff}').contains(&c)));
        if let Some(c) = bad {
            self.error(
                "policy-invalid-character",
                span,
                format!("character U+{:04X} {} is not allowed in IAM policies", c as u32, quote(&c.to_string())),
            );
            self.help("IAM accepts tab, line feed, carriage return and the characters U+0020 to U+00FF");
        }
    }

    fn policy<'a>(
        &mut self,
        pull: &mut Pull<'a>,
        doc: DocId,
        opened: Option<(Obj, Option<(Cow<'a, str>, Span)>)>,
    ) -> PullResult<Option<Policy<'a>>> {
        // An opened object without a pending key has already been closed (`{}`).
        let (mut obj, mut pending, mut closed) = match opened {
            Some((o, k)) => {
                let closed = k.is_none();
                (o, k, closed)
            }
            None => {
                let kind = pull.peek()?;
                if kind != Kind::Object {
                    self.wrong(pull, kind, |found| format!("a policy must be a JSON object, found {found}"))?;
                    return Ok(None);
                }
                (pull.open_object()?, None, false)
            }
        };
        let mut version = None;
        let mut version_span = None;
        let mut id = None;
        let mut statements = None;
        loop {
            let next = match pending.take() {
                Some(k) => Some(k),
                None if closed => None,
                None => pull.key(&mut obj)?,
            };
            let Some((key, key_span)) = next else { break };
            closed = false;
            match key.as_ref() {
                "Version" => {
                    let kind = pull.peek()?;
                    if kind == Kind::String {
                        let (v, span) = pull.string()?;
                        version_span = Some(span);
                        version = self.version(&v, span);
                    } else {
                        self.wrong(pull, kind, |found| format!("`Version` must be a string, found {found}"))?;
                    }
                }
                "Id" => {
                    id = self.string(pull, || "`Id`".to_owned())?;
                    if self.kind.is_iam() {
                        self.diags.push(
                            Diagnostic::warning("policy-id-in-identity-policy", key_span, format!("`Id` is not used in a {}", self.kind.title()))
                                .with_help("AWS documents `Id` for resource-based policies; IAM ignores it here"),
                        );
                    }
                }
                "Statement" => statements = Some(self.statements(pull)?),
                other => {
                    self.unknown_element(other, key_span, &POLICY_ELEMENTS, "a policy");
                    pull.skip()?;
                }
            }
        }
        let span = pull.span_from(obj.start);
        let statements = match statements {
            Some(s) => s,
            None => {
                self.error("policy-missing-statement", Span::new(span.start, span.start + 1), "policy has no `Statement` element");
                self.help("add `\"Statement\": [ { \"Effect\": ..., \"Action\": ..., \"Resource\": ... } ]`");
                Vec::new()
            }
        };
        Ok(Some(Policy { kind: self.kind, doc, span, version, version_span, id, statements }))
    }

    fn version(&mut self, v: &str, span: Span) -> Option<Version> {
        match v {
            "2012-10-17" => Some(Version::V2012_10_17),
            "2008-10-17" => Some(Version::V2008_10_17),
            other => {
                self.error("policy-invalid-version", span, format!("invalid `Version` {}", quote(other)));
                self.help("the only versions are `2012-10-17` (current) and `2008-10-17` (legacy)");
                None
            }
        }
    }

    fn statements<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Vec<Statement<'a>>> {
        match pull.peek()? {
            Kind::Object => Ok(self.statement(pull, 0)?.into_iter().collect()),
            Kind::Array => {
                let mut arr = pull.open_array()?;
                let mut out = Vec::new();
                let mut i = 0;
                while pull.item(&mut arr)? {
                    if let Some(s) = self.statement(pull, i)? {
                        out.push(s);
                    }
                    i += 1;
                }
                if i == 0 {
                    self.diags.push(Diagnostic::warning(
                        "policy-no-statements",
                        pull.span_from(arr.start),
                        "`Statement` is empty: this policy allows and denies nothing",
                    ));
                }
                self.check_sids(&out);
                Ok(out)
            }
            kind => {
                self.wrong(pull, kind, |found| format!("`Statement` must be an object or an array of objects, found {found}"))?;
                Ok(Vec::new())
            }
        }
    }

    fn check_sids(&mut self, statements: &[Statement<'_>]) {
        for (i, s) in statements.iter().enumerate() {
            let Some(sid) = &s.sid else { continue };
            if let Some(first) = statements.iter().take(i).filter_map(|t| t.sid.as_ref()).find(|t| t.text == sid.text) {
                let severity = if self.kind.is_iam() { Severity::Error } else { Severity::Warning };
                self.diags.push(
                    Diagnostic::new("policy-duplicate-sid", severity, sid.span, format!("duplicate `Sid` {}", quote(&sid.text)))
                        .with_label(first.span, "first used here")
                        .with_help("statement IDs must be unique within a policy"),
                );
            }
        }
    }

    fn statement<'a>(&mut self, pull: &mut Pull<'a>, index: usize) -> PullResult<Option<Statement<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("a statement must be a JSON object, found {found}"))?;
            return Ok(None);
        }
        let mut obj = pull.open_object()?;
        let opening = Span::from_range(obj.start, obj.start + 1);
        let mut sid = None;
        let mut effect: Option<(Effect, Span)> = None;
        let mut effect_seen = false;
        let mut principal: Option<PrincipalEl<'a>> = None;
        let mut action: Option<(Span, Option<PatternList<'a>>)> = None;
        let mut resource: Option<(Span, Option<PatternList<'a>>)> = None;
        let mut conditions = None;
        while let Some((key, key_span)) = pull.key(&mut obj)? {
            match key.as_ref() {
                "Sid" => sid = self.sid(pull)?,
                "Effect" => {
                    effect_seen = true;
                    effect = self.effect(pull)?;
                }
                "Principal" | "NotPrincipal" => {
                    let negated = key.starts_with("Not");
                    if let Some(first) = &principal {
                        let first = first.key_span;
                        self.both(first, key_span, "Principal", "NotPrincipal");
                        pull.skip()?;
                    } else {
                        principal = Some(self.principal(pull, negated, key_span)?);
                    }
                }
                "Action" | "NotAction" => {
                    let negated = key.starts_with("Not");
                    if let Some((first, _)) = &action {
                        let first = *first;
                        self.both(first, key_span, "Action", "NotAction");
                        pull.skip()?;
                    } else {
                        action = Some((key_span, self.patterns(pull, key_span, negated, Pattern::Action)?));
                    }
                }
                "Resource" | "NotResource" => {
                    let negated = key.starts_with("Not");
                    if let Some((first, _)) = &resource {
                        let first = *first;
                        self.both(first, key_span, "Resource", "NotResource");
                        pull.skip()?;
                    } else {
                        resource = Some((key_span, self.patterns(pull, key_span, negated, Pattern::Resource)?));
                    }
                }
                "Condition" => conditions = Some((self.conditions(pull)?, key_span)),
                other => {
                    self.unknown_element(other, key_span, &STATEMENT_ELEMENTS, "a statement");
                    pull.skip()?;
                }
            }
        }
        let span = pull.span_from(obj.start);
        if !effect_seen {
            self.error("statement-missing-effect", opening, "statement has no `Effect`");
            self.help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`");
        }
        let action = match action {
            Some((_, list)) => list,
            None => {
                self.error("statement-missing-action", opening, "statement has neither `Action` nor `NotAction`");
                self.help("add `\"Action\": \"service:Operation\"`, e.g. `\"Action\": \"s3:GetObject\"`");
                None
            }
        };
        let resource = match resource {
            Some((_, list)) => list,
            None => {
                if !matches!(self.kind, PolicyKind::Resource | PolicyKind::Vpce) {
                    self.error("statement-missing-resource", opening, "statement has neither `Resource` nor `NotResource`");
                    self.help("add `\"Resource\": \"*\"` or the ARNs the statement is about");
                }
                None
            }
        };
        let principal = self.principal_rules(principal, effect.map(|e| e.0), opening);
        let (conditions, condition_span) = match conditions {
            Some((c, key_span)) => (c, Some(key_span)),
            None => (Vec::new(), None),
        };
        let Some((effect, effect_span)) = effect else { return Ok(None) };
        let Some(action) = action else { return Ok(None) };
        Ok(Some(Statement { index, span, sid, effect, effect_span, principal, action, resource, conditions, condition_span }))
    }

    fn both(&mut self, first: Span, second: Span, a: &str, b: &str) {
        let d = Diagnostic::error("statement-conflicting-elements", second, format!("a statement cannot have both `{a}` and `{b}`"))
            .with_label(first, "already given here")
            .with_help(format!("keep either `{a}` or `{b}`"));
        self.diags.push(d);
    }

    fn sid<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Str<'a>>> {
        let Some(sid) = self.string(pull, || "`Sid`".to_owned())? else { return Ok(None) };
        if self.kind.is_iam() && !sid.text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.error("statement-invalid-sid", sid.span, format!("`Sid` {} may contain only letters and digits in IAM policies", quote(&sid.text)));
            let fixed: String = sid.text.chars().filter(char::is_ascii_alphanumeric).collect();
            if !fixed.is_empty() {
                self.help(format!("write `{fixed}`"));
            }
        }
        Ok(Some(sid))
    }

    fn effect(&mut self, pull: &mut Pull<'_>) -> PullResult<Option<(Effect, Span)>> {
        let Some(s) = self.string(pull, || "`Effect`".to_owned())? else { return Ok(None) };
        let span = s.span;
        Ok(match s.as_str() {
            "Allow" => Some((Effect::Allow, span)),
            "Deny" => Some((Effect::Deny, span)),
            other => {
                self.error("statement-invalid-effect", span, format!("invalid `Effect` {}", quote(other)));
                if other.eq_ignore_ascii_case("allow") {
                    self.help("`Effect` is case-sensitive: write `Allow`");
                } else if other.eq_ignore_ascii_case("deny") {
                    self.help("`Effect` is case-sensitive: write `Deny`");
                } else {
                    self.help("`Effect` is either `Allow` or `Deny`");
                }
                None
            }
        })
    }

    fn patterns<'a>(&mut self, pull: &mut Pull<'a>, key_span: Span, negated: bool, what: Pattern) -> PullResult<Option<PatternList<'a>>> {
        let name = what.name(negated);
        let mut ok = true;
        let mut values = Vec::new();
        let span = match pull.peek()? {
            Kind::String => {
                let (text, span) = pull.string()?;
                self.check_chars_of(&text, span);
                values.push(Str { text, span });
                span
            }
            Kind::Array => {
                let mut arr = pull.open_array()?;
                while pull.item(&mut arr)? {
                    match self.string(pull, || format!("each `{name}` value"))? {
                        Some(s) => values.push(s),
                        None => ok = false,
                    }
                }
                let span = pull.span_from(arr.start);
                if values.is_empty() && ok {
                    self.error("statement-empty-list", span, format!("`{name}` is an empty list"));
                    self.help(format!("list at least one value, or `\"{name}\": \"*\"`"));
                    return Ok(None);
                }
                span
            }
            kind => {
                self.wrong(pull, kind, |found| format!("`{name}` must be a string or an array of strings, found {found}"))?;
                return Ok(None);
            }
        };
        for s in &values {
            ok &= match what {
                Pattern::Action => self.check_action(s),
                Pattern::Resource => self.check_resource(s),
            };
        }
        Ok(ok.then_some(PatternList { negated, key_span, span, values }))
    }

    fn check_action(&mut self, s: &Str<'_>) -> bool {
        let text = s.as_str();
        if text == "*" {
            return true;
        }
        let bytes = text.as_bytes();
        let Some(colon) = memchr::memchr(b':', bytes) else {
            self.error("action-invalid", s.span, format!("{} is not an action", quote(text)));
            self.help("actions are written `service:Operation`, e.g. `s3:GetObject`, or `*` for all");
            return false;
        };
        let prefix = bytes.get(..colon).unwrap_or(&[]);
        if colon == 0 || colon + 1 == bytes.len() {
            self.error("action-invalid", s.span, format!("{} is not an action: the service or the operation is empty", quote(text)));
            return false;
        }
        let mut wildcard = false;
        for &b in prefix {
            if b == b'*' || b == b'?' {
                wildcard = true;
            } else if !(b.is_ascii_alphanumeric() || b == b'-') {
                let p = text.get(..colon).unwrap_or("");
                self.error("action-invalid", s.span, format!("invalid service prefix {} in {}", quote(p), quote(text)));
                self.help("service prefixes are letters, digits and `-`, such as `s3` or `ec2`");
                return false;
            }
        }
        if wildcard {
            self.diags.push(
                Diagnostic::warning("action-wildcard-in-service", s.span, format!("wildcard in the service prefix of {}", quote(text)))
                    .with_help("AWS documents wildcards only in the operation name; list the services instead"),
            );
        }
        true
    }

    fn check_resource(&mut self, s: &Str<'_>) -> bool {
        let text = s.as_str();
        if text == "*" {
            return true;
        }
        if !text.starts_with("arn:") {
            self.error("resource-invalid", s.span, format!("{} is not an ARN", quote(text)));
            self.help("resources are ARNs such as `arn:aws:s3:::bucket/*`, or `*` for all");
            return false;
        }
        let bytes = text.as_bytes();
        // Byte offsets of the first five colons.
        let mut colons = [bytes.len(); 5];
        let mut count = 0;
        for (slot, at) in colons.iter_mut().zip(memchr::memchr_iter(b':', bytes)) {
            *slot = at;
            count += 1;
        }
        let part = |k: usize| -> &str {
            let start = if k == 0 { 0 } else { colons.get(k - 1).map_or(bytes.len(), |c| c + 1) };
            let end = colons.get(k).copied().unwrap_or(bytes.len());
            text.get(start.min(end)..end).unwrap_or("")
        };
        let service = part(2);
        if service.bytes().any(|b| b == b'*' || b == b'?') {
            self.error("resource-wildcard-in-service", s.span, format!("wildcard in the service part of {}", quote(text)));
            self.help("the service part of a resource ARN must be spelled out, e.g. `s3`");
            return false;
        }
        if service.is_empty() {
            self.error("resource-invalid", s.span, format!("{} has an empty service part", quote(text)));
            return false;
        }
        if count < 5 {
            // Fewer than six parts: only a part ending in `*` may stand for the rest.
            let star_end = (1..=count).any(|k| part(k).ends_with('*'));
            if !star_end {
                self.error(
                    "resource-invalid",
                    s.span,
                    format!("{} has {} parts; an ARN has six: arn:partition:service:region:account:resource", quote(text), count + 1),
                );
                return false;
            }
            return true;
        }
        let prefix_end = colons.get(4).map_or(bytes.len(), |c| c + 1);
        let res = text.get(prefix_end..).unwrap_or("");
        if service == "iam" {
            let bad_type = match memchr::memchr(b'/', res.as_bytes()) {
                Some(i) => res.get(..i).is_some_and(|w| w.contains(['*', '?'])),
                None => res != "*" && res.contains(['*', '?']),
            };
            if bad_type {
                self.error("resource-wildcard-in-type", s.span, format!("wildcard in the IAM resource type of {}", quote(text)));
                self.help("write the type in full (`user/`, `role/`, `policy/`...) and put wildcards after it");
                return false;
            }
        }
        if text.get(..prefix_end).is_some_and(variables::has_variables) {
            self.diags.push(
                Diagnostic::warning(
                    "resource-variable-outside-resource-part",
                    s.span,
                    format!("policy variable before the resource part of {}", quote(text)),
                )
                .with_help("variables are substituted only after the fifth colon; elsewhere they are literal text"),
            );
        }
        true
    }

    fn principal_rules<'a>(&mut self, principal: Option<PrincipalEl<'a>>, effect: Option<Effect>, opening: Span) -> Option<PrincipalBlock<'a>> {
        let kind = self.kind;
        let Some(el) = principal else {
            if kind.has_principal() {
                self.error("statement-missing-principal", opening, format!("statement in a {} has no `Principal`", kind.title()));
                if kind == PolicyKind::Rcp {
                    self.help("RCP statements use `\"Principal\": \"*\"`");
                } else {
                    self.help("add the principals the statement is about, e.g. `\"Principal\": {\"AWS\": \"111122223333\"}`");
                }
            }
            return None;
        };
        let name = if el.negated { "NotPrincipal" } else { "Principal" };
        if !kind.has_principal() {
            self.error("statement-principal-not-allowed", el.key_span, format!("`{name}` is not allowed in a {}", kind.title()));
            self.help(match kind {
                PolicyKind::Scp => "SCPs apply to the principals of the accounts they are attached to; narrow with conditions such as `aws:PrincipalArn`",
                _ => "identity-based policies apply to the identity they are attached to; remove the element",
            });
            return None;
        }
        if el.negated && kind == PolicyKind::Rcp {
            self.error("statement-notprincipal-not-allowed", el.key_span, "`NotPrincipal` is not allowed in a resource control policy");
            self.help("use `\"Principal\": \"*\"` with an `aws:PrincipalArn` condition");
            return None;
        }
        if el.negated && effect == Some(Effect::Allow) {
            self.error("statement-notprincipal-allow", el.key_span, "`NotPrincipal` is not supported with `\"Effect\": \"Allow\"`");
            self.help("name the principals with `Principal`, or use `Deny` with `NotPrincipal`");
            return None;
        }
        self.diags.extend(el.diags);
        let block = el.block?;
        if kind == PolicyKind::Rcp && !block.entries.iter().all(|e| e.value.as_str() == "*" && matches!(e.key, PrincipalKey::Any | PrincipalKey::Aws)) {
            self.error("rcp-principal-not-star", block.span, "in a resource control policy `Principal` must be `\"*\"`");
            self.help("narrow the statement with conditions such as `aws:PrincipalArn` or `aws:PrincipalOrgID`");
            return None;
        }
        Some(block)
    }

    /// Reads a `Principal`/`NotPrincipal` value; its problems are kept
    /// aside until the statement's kind rules are known.
    fn principal<'a>(&mut self, pull: &mut Pull<'a>, negated: bool, key_span: Span) -> PullResult<PrincipalEl<'a>> {
        let outer = std::mem::take(&mut self.diags);
        let block = self.principal_block(pull, negated);
        let diags = std::mem::replace(&mut self.diags, outer);
        let block = block?.map(|b| PrincipalBlock { key_span, ..b });
        Ok(PrincipalEl { negated, key_span, block, diags })
    }

    fn principal_block<'a>(&mut self, pull: &mut Pull<'a>, negated: bool) -> PullResult<Option<PrincipalBlock<'a>>> {
        let name = if negated { "NotPrincipal" } else { "Principal" };
        let mut entries = Vec::new();
        let mut ok = true;
        let first = pull.peek()?;
        let start = pull.pos();
        match first {
            Kind::String => {
                let (text, span) = pull.string()?;
                if text == "*" {
                    entries.push(PrincipalEntry { key: PrincipalKey::Any, value: Str { text, span }, form: Some(super::AwsForm::Everyone) });
                    return Ok(Some(PrincipalBlock { negated, key_span: Span::default(), span, entries }));
                }
                self.error("principal-invalid", span, format!("`{name}` must be `\"*\"` or an object, found the string {}", quote(&text)));
                self.help(format!("write `\"{name}\": {{\"AWS\": \"{text}\"}}`"));
                return Ok(None);
            }
            Kind::Object => {
                let mut obj = pull.open_object()?;
                let mut any = false;
                while let Some((key, key_span)) = pull.key(&mut obj)? {
                    any = true;
                    let Some(pk) = PrincipalKey::from_name(&key) else {
                        self.unknown_element(&key, key_span, &["AWS", "Service", "Federated", "CanonicalUser"], &format!("`{name}`"));
                        pull.skip()?;
                        ok = false;
                        continue;
                    };
                    let mut values = Vec::new();
                    match pull.peek()? {
                        Kind::String => values.push(pull.string()?),
                        Kind::Array => {
                            let mut arr = pull.open_array()?;
                            let mut n = 0;
                            while pull.item(&mut arr)? {
                                n += 1;
                                match self.string(pull, || format!("each `{}` principal", pk.name()))? {
                                    Some(s) => values.push((s.text, s.span)),
                                    None => ok = false,
                                }
                            }
                            if n == 0 {
                                self.error("statement-empty-list", pull.span_from(arr.start), format!("`{}` principal list is empty", pk.name()));
                                ok = false;
                            }
                        }
                        kind => {
                            self.wrong(pull, kind, |found| format!("`{}` must be a string or an array of strings, found {found}", pk.name()))?;
                            ok = false;
                        }
                    }
                    for (text, span) in values {
                        self.check_chars_of(&text, span);
                        let value = Str { text, span };
                        let form = if pk == PrincipalKey::Aws {
                            match classify_aws(&value) {
                                Ok(f) => Some(f),
                                Err(d) => {
                                    self.diags.push(d);
                                    ok = false;
                                    continue;
                                }
                            }
                        } else {
                            if let Err(d) = check_other(pk, &value) {
                                self.diags.push(d);
                                ok = false;
                                continue;
                            }
                            None
                        };
                        entries.push(PrincipalEntry { key: pk, value, form });
                    }
                }
                if !any {
                    self.error("principal-invalid", pull.span_from(start), format!("`{name}` is empty"));
                    return Ok(None);
                }
            }
            kind => {
                self.wrong(pull, kind, |found| format!("`{name}` must be `\"*\"` or an object, found {found}"))?;
                return Ok(None);
            }
        }
        let span = pull.span_from(start);
        Ok(ok.then_some(PrincipalBlock { negated, key_span: Span::default(), span, entries }))
    }

    fn conditions<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Vec<Condition<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("`Condition` must be an object, found {found}"))?;
            self.help("write `\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}`");
            return Ok(Vec::new());
        }
        let mut ops = pull.open_object()?;
        let mut out = Vec::new();
        let mut any = false;
        while let Some((op_text, op_span)) = pull.key(&mut ops)? {
            any = true;
            self.check_chars_of(&op_text, op_span);
            let operator = match Operator::parse(&op_text, op_span) {
                Ok(o) => Some(o),
                Err(d) => {
                    self.diags.push(d);
                    None
                }
            };
            let kind = pull.peek()?;
            if kind != Kind::Object {
                self.wrong(pull, kind, |found| format!("the value of {} must be an object of condition keys, found {found}", quote(&op_text)))?;
                self.help(format!("write `{}: {{\"aws:SourceIp\": \"203.0.113.0/24\"}}`", quote(&op_text)));
                continue;
            }
            let mut keys = pull.open_object()?;
            let mut any_key = false;
            while let Some((key, key_span)) = pull.key(&mut keys)? {
                any_key = true;
                self.check_chars_of(&key, key_span);
                if key.is_empty() {
                    self.error("condition-empty-key", key_span, "empty condition key");
                    pull.skip()?;
                    continue;
                }
                let (values, values_span) = self.condition_values(pull, &key)?;
                let (Some(operator), Some(values)) = (operator, values) else { continue };
                for v in &values {
                    if let Err(msg) = check_value(operator.base, v.as_str()) {
                        self.diags.push(
                            Diagnostic::warning("condition-invalid-value", v.span, msg)
                                .with_help(format!("`{}` compares {}", operator.base.name(), value_help(operator))),
                        );
                    }
                }
                out.push(Condition {
                    operator,
                    operator_text: Str { text: op_text.clone(), span: op_span },
                    key: Str { text: key, span: key_span },
                    values,
                    values_span,
                });
            }
            if !any_key {
                self.error("condition-no-keys", pull.span_from(keys.start), format!("no condition keys under {}", quote(&op_text)));
            }
        }
        if !any {
            self.diags.push(
                Diagnostic::warning("condition-empty", pull.span_from(ops.start), "`Condition` is empty")
                    .with_help("remove it, or add an operator block"),
            );
        }
        Ok(out)
    }

    fn condition_value<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Str<'a>>> {
        let kind = pull.peek()?;
        if matches!(kind, Kind::Object | Kind::Array | Kind::Null) {
            self.wrong(pull, kind, |found| format!("condition values must be strings, numbers or booleans, found {found}"))?;
            return Ok(None);
        }
        let (scalar, span) = pull.scalar()?;
        let text: Cow<'a, str> = match scalar {
            Scalar::String(t) => t,
            Scalar::Number(t) => Cow::Borrowed(t),
            Scalar::Bool(true) => Cow::Borrowed("true"),
            Scalar::Bool(false) => Cow::Borrowed("false"),
            Scalar::Null => return Ok(None),
        };
        self.check_chars_of(&text, span);
        Ok(Some(Str { text, span }))
    }

    fn condition_values<'a>(&mut self, pull: &mut Pull<'a>, key: &str) -> PullResult<(Option<Vec<Str<'a>>>, Span)> {
        if pull.peek()? != Kind::Array {
            let start = pull.pos();
            let v = self.condition_value(pull)?;
            let span = pull.span_from(start);
            return Ok((v.map(|v| vec![v]), span));
        }
        let mut arr = pull.open_array()?;
        let mut out = Vec::new();
        let mut ok = true;
        while pull.item(&mut arr)? {
            match self.condition_value(pull)? {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        let span = pull.span_from(arr.start);
        if out.is_empty() && ok {
            self.error("condition-empty-values", span, format!("empty value list for condition key {}", quote(key)));
            self.help("list at least one value");
            return Ok((None, span));
        }
        Ok((ok.then_some(out), span))
    }
}

fn value_help(op: Operator) -> &'static str {
    use crate::condition::Family;
    match op.base.family() {
        Family::Numeric => "numbers such as `3600` or `2.5`",
        Family::Date => "dates such as `2026-01-01T00:00:00Z` or epoch seconds",
        Family::Bool => "`true` or `false`",
        Family::Binary => "base-64 encoded bytes",
        Family::Ip => "IP addresses or CIDR ranges such as `203.0.113.0/24`",
        Family::Null => "`true` (key absent) or `false` (key present)",
        Family::String | Family::Arn => "text",
    }
}

#[derive(Clone, Copy)]
enum Pattern {
    Action,
    Resource,
}

impl Pattern {
    fn name(self, negated: bool) -> &'static str {
        match (self, negated) {
            (Pattern::Action, false) => "Action",
            (Pattern::Action, true) => "NotAction",
            (Pattern::Resource, false) => "Resource",
            (Pattern::Resource, true) => "NotResource",
        }
    }
}
