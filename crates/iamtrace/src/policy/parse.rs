//! From JSON text to a validated [`Policy`], collecting every error of the
//! document (SPEC §1). The reader pulls values from [`Pull`] and builds the
//! policy directly, without an intermediate tree. Element checks, principals
//! and condition blocks are read in the sibling files `read_*.rs`.

use std::borrow::Cow;
use std::collections::HashSet;

use super::{Effect, PatternList, Policy, PolicyKind, PrincipalBlock, Statement, Version};
use crate::diagnostic::{nearest, quote, Code, Diagnostic, DocId, Severity};
use crate::json::{Kind, Obj, Pull, PullResult};
use crate::span::{Span, Str};

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
        Code::PolicyTooLarge,
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
    opened: Option<Opened<'a>>,
) -> PullResult<ParsedPolicy<'a>> {
    let mut r = Reader { kind, diags: Vec::new() };
    let policy = r.policy(pull, doc, opened)?;
    let diagnostics: Vec<Diagnostic> = r.diags.into_iter().map(|d| d.in_doc(doc)).collect();
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    if let Some(p) = &policy {
        if p.span.len() > MAX_POLICY_BYTES {
            return Ok(ParsedPolicy {
                policy: None,
                diagnostics: vec![too_large(kind, p.span.len(), p.span).in_doc(doc)],
            });
        }
    }
    Ok(ParsedPolicy { policy: if ok { policy } else { None }, diagnostics })
}

/// An object already opened by the caller, with the first key it read
/// (`None`: the object was empty and is closed).
pub type Opened<'a> = (Obj, Option<(Cow<'a, str>, Span)>);

const POLICY_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] =
    ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

pub(super) struct Reader {
    pub(super) kind: PolicyKind,
    pub(super) diags: Vec<Diagnostic>,
}

/// A `Principal`/`NotPrincipal` element as read, before the kind's rules.
pub(super) struct PrincipalEl<'a> {
    pub(super) negated: bool,
    pub(super) key_span: Span,
    pub(super) block: Option<PrincipalBlock<'a>>,
    /// Problems with the entries, reported only when the element is allowed.
    pub(super) diags: Vec<Diagnostic>,
}

impl Reader {
    pub(super) fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, span, message));
    }

    pub(super) fn help(&mut self, help: impl Into<String>) {
        if let Some(d) = self.diags.last_mut() {
            d.help = Some(help.into());
        }
    }

    /// Reports a value of the wrong type and skips it.
    pub(super) fn wrong<'a>(
        &mut self,
        pull: &mut Pull<'a>,
        kind: Kind,
        message: impl FnOnce(&str) -> String,
    ) -> PullResult<()> {
        let span = pull.skip()?;
        self.error(Code::PolicyWrongType, span, message(kind.describe()));
        Ok(())
    }

    pub(super) fn unknown_element(&mut self, key: &str, span: Span, known: &[&str], place: &str) {
        self.error(Code::PolicyUnknownElement, span, format!("unknown element {} in {place}", quote(key)));
        if let Some(exact) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            self.help(format!("element names are case-sensitive: write `{exact}`"));
        } else if let Some(n) = nearest(key, known.iter().copied()) {
            self.help(format!("did you mean `{n}`?"));
        } else {
            self.help(format!(
                "the elements of {place} are {}",
                known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }

    /// Takes a string value, checking IAM's character set for IAM policies.
    /// Reads a string value, checking IAM's character set for IAM policies;
    /// anything else is reported (`what` is built only then) and skipped.
    pub(super) fn string<'a>(
        &mut self,
        pull: &mut Pull<'a>,
        what: impl FnOnce() -> String,
    ) -> PullResult<Option<Str<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::String {
            self.wrong(pull, kind, |found| format!("{} must be a string, found {found}", what()))?;
            return Ok(None);
        }
        let (text, span) = pull.string()?;
        self.check_chars_of(&text, matches!(text, Cow::Owned(_)), span);
        Ok(Some(Str::new(text, span)))
    }

    /// [`Reader::check_chars`] for a JSON string: one without escapes
    /// cannot hold control characters, so only non-ASCII text needs a look.
    pub(super) fn check_chars_of(&mut self, text: &str, escaped: bool, span: Span) {
        if !escaped && text.is_ascii() {
            return;
        }
        self.check_chars(text, span);
    }

    pub(super) fn check_chars(&mut self, text: &str, span: Span) {
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
                Code::PolicyInvalidCharacter,
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
        opened: Option<Opened<'a>>,
    ) -> PullResult<Option<Policy<'a>>> {
        let first_diag = self.diags.len();
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
                            Diagnostic::warning(
                                Code::PolicyIdInIdentityPolicy,
                                key_span,
                                format!("`Id` is not used in a {}", self.kind.title()),
                            )
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
                self.error(
                    Code::PolicyMissingStatement,
                    Span::new(span.start, span.start + 1),
                    "policy has no `Statement` element",
                );
                self.help("add `\"Statement\": [ { \"Effect\": ..., \"Action\": ..., \"Resource\": ... } ]`");
                Vec::new()
            }
        };
        // `${...}` is a policy variable only under `2012-10-17` (the Version
        // may come after the statements): elsewhere it is plain text, and
        // what was said of it as a variable is taken back. Under 2012-10-17
        // a value that may not hold a variable has its error, not also the
        // warning that it is malformed.
        let mut own = self.diags.split_off(first_diag.min(self.diags.len()));
        if version == Some(Version::V2012_10_17) {
            let refused: HashSet<Span> =
                own.iter().filter(|d| d.code == Code::ConditionVariableNotAllowed).map(|d| d.span).collect();
            own.retain(|d| !(d.code == Code::ConditionInvalidValue && refused.contains(&d.span)));
        } else {
            own.retain(|d| {
                !matches!(
                    d.code,
                    Code::ConditionBoolVariable | Code::ConditionSetVariable | Code::ConditionVariableNotAllowed
                )
            });
        }
        self.diags.append(&mut own);
        if self.kind == PolicyKind::Rcp {
            self.rcp_rules(span, version, version_span, &statements);
        }
        Ok(Some(Policy { kind: self.kind, doc, span, version, version_span, id, statements }))
    }

    /// What the resource control policy syntax allows beyond the grammar
    /// of every policy: `"Version": "2012-10-17"`, no `NotAction`, and
    /// `Allow` only in `RCPFullAWSAccess` (Organizations User Guide, RCP
    /// syntax). Organizations refuses the others, and so does iamtrace.
    fn rcp_rules(
        &mut self,
        span: Span,
        version: Option<Version>,
        version_span: Option<Span>,
        statements: &[Statement<'_>],
    ) {
        // An invalid version has its own error already.
        let invalid = version.is_none() && version_span.is_some();
        if version != Some(Version::V2012_10_17) && !invalid {
            let at = version_span.unwrap_or(Span::new(span.start, span.start + 1));
            self.error(Code::RcpVersion, at, "a resource control policy must have `\"Version\": \"2012-10-17\"`");
            self.help("Organizations refuses an RCP without it");
        }
        for st in statements {
            if st.action.negated {
                self.error(Code::RcpNotAction, st.action.key_span, "a resource control policy cannot use `NotAction`");
                self.help("list the actions to deny in `Action`");
            }
            if st.effect == Effect::Allow && !full_access(st) {
                self.error(
                    Code::RcpAllow,
                    st.effect_span,
                    "a resource control policy can only deny: `Allow` is only in `RCPFullAWSAccess`",
                );
                self.help("iamtrace assumes `RCPFullAWSAccess`; write the restriction as a `Deny`");
            }
        }
    }

    fn version(&mut self, v: &str, span: Span) -> Option<Version> {
        match v {
            "2012-10-17" => Some(Version::V2012_10_17),
            "2008-10-17" => Some(Version::V2008_10_17),
            other => {
                self.error(Code::PolicyInvalidVersion, span, format!("invalid `Version` {}", quote(other)));
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
                        Code::PolicyNoStatements,
                        pull.span_from(arr.start),
                        "`Statement` is empty: this policy allows and denies nothing",
                    ));
                }
                self.check_sids(&out);
                Ok(out)
            }
            kind => {
                self.wrong(pull, kind, |found| {
                    format!("`Statement` must be an object or an array of objects, found {found}")
                })?;
                Ok(Vec::new())
            }
        }
    }

    fn check_sids(&mut self, statements: &[Statement<'_>]) {
        for (i, s) in statements.iter().enumerate() {
            let Some(sid) = &s.sid else { continue };
            if let Some(first) = statements.iter().take(i).filter_map(|t| t.sid.as_ref()).find(|t| t.value == sid.value)
            {
                let severity = if self.kind.is_iam() { Severity::Error } else { Severity::Warning };
                self.diags.push(
                    Diagnostic::new(
                        Code::PolicyDuplicateSid,
                        severity,
                        sid.span,
                        format!("duplicate `Sid` {}", quote(&sid.value)),
                    )
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
            self.error(Code::StatementMissingEffect, opening, "statement has no `Effect`");
            self.help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`");
        }
        let action = match action {
            Some((_, list)) => list,
            None => {
                self.error(Code::StatementMissingAction, opening, "statement has neither `Action` nor `NotAction`");
                self.help("add `\"Action\": \"service:Operation\"`, e.g. `\"Action\": \"s3:GetObject\"`");
                None
            }
        };
        let resource = match resource {
            Some((_, list)) => list,
            None => {
                if !matches!(self.kind, PolicyKind::Resource | PolicyKind::Vpce) {
                    self.error(
                        Code::StatementMissingResource,
                        opening,
                        "statement has neither `Resource` nor `NotResource`",
                    );
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
        Ok(Some(Statement {
            index,
            span,
            sid,
            effect,
            effect_span,
            principal,
            action,
            resource,
            conditions,
            condition_span,
        }))
    }

    fn both(&mut self, first: Span, second: Span, a: &str, b: &str) {
        let d = Diagnostic::error(
            Code::StatementConflictingElements,
            second,
            format!("a statement cannot have both `{a}` and `{b}`"),
        )
        .with_label(first, "already given here")
        .with_help(format!("keep either `{a}` or `{b}`"));
        self.diags.push(d);
    }

    fn sid<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Str<'a>>> {
        let Some(sid) = self.string(pull, || "`Sid`".to_owned())? else { return Ok(None) };
        if self.kind.is_iam() && !sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.error(
                Code::StatementInvalidSid,
                sid.span,
                format!("`Sid` {} may contain only letters and digits in IAM policies", quote(&sid.value)),
            );
            let fixed: String = sid.value.chars().filter(char::is_ascii_alphanumeric).collect();
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
                self.error(Code::StatementInvalidEffect, span, format!("invalid `Effect` {}", quote(other)));
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

    fn patterns<'a>(
        &mut self,
        pull: &mut Pull<'a>,
        key_span: Span,
        negated: bool,
        what: Pattern,
    ) -> PullResult<Option<PatternList<'a>>> {
        let name = what.name(negated);
        let mut ok = true;
        let mut values = Vec::new();
        let span = match pull.peek()? {
            Kind::String => {
                let (text, span) = pull.string()?;
                self.check_chars_of(&text, matches!(text, Cow::Owned(_)), span);
                values.push(Str::new(text, span));
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
                    self.error(Code::StatementEmptyList, span, format!("`{name}` is an empty list"));
                    self.help(format!("list at least one value, or `\"{name}\": \"*\"`"));
                    return Ok(None);
                }
                span
            }
            kind => {
                self.wrong(pull, kind, |found| {
                    format!("`{name}` must be a string or an array of strings, found {found}")
                })?;
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
}

#[derive(Clone, Copy)]
pub(super) enum Pattern {
    Action,
    Resource,
}

impl Pattern {
    pub(super) fn name(self, negated: bool) -> &'static str {
        match (self, negated) {
            (Pattern::Action, false) => "Action",
            (Pattern::Action, true) => "NotAction",
            (Pattern::Resource, false) => "Resource",
            (Pattern::Resource, true) => "NotResource",
        }
    }
}

/// The statement of `RCPFullAWSAccess`: `Allow` of every action on every
/// resource to every principal, without conditions.
fn full_access(st: &Statement<'_>) -> bool {
    let every = |l: &PatternList<'_>| !l.negated && l.values.iter().all(|v| v.as_str() == "*") && !l.values.is_empty();
    every(&st.action)
        && st.resource.as_ref().is_some_and(every)
        && st.conditions.is_empty()
        && st.principal.as_ref().is_none_or(|p| !p.negated && p.entries.iter().all(|e| e.value.as_str() == "*"))
}
