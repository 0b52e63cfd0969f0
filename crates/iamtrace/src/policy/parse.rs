//! From spanned JSON to a validated [`Policy`], collecting every error of
//! the document (SPEC §1).

use std::borrow::Cow;

use super::principal::{check_other, classify_aws};
use super::{
    Condition, Effect, Policy, PolicyKind, PatternList, PrincipalBlock, PrincipalEntry, PrincipalKey, Statement, Str,
    Version,
};
use crate::condition::{check_value, Operator};
use crate::diagnostic::{nearest, quote, Diagnostic, DocId, Severity};
use crate::json::{self, Member, Node, Value};
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

/// Parses and validates a policy document from its text.
pub fn parse_policy(text: &str, kind: PolicyKind, doc: DocId) -> ParsedPolicy<'_> {
    if text.len() > MAX_POLICY_BYTES {
        let d = Diagnostic::error(
            "policy-too-large",
            Span::new(0, 0),
            format!("the {} is {} bytes; iamtrace reads policies up to {} bytes", kind.title(), text.len(), MAX_POLICY_BYTES),
        )
        .with_help("AWS's largest policies are 20,480 characters; check that the right text was pasted")
        .in_doc(doc);
        return ParsedPolicy { policy: None, diagnostics: vec![d] };
    }
    match json::parse(text) {
        Ok(node) => parse_node(node, kind, doc),
        Err(d) => ParsedPolicy { policy: None, diagnostics: vec![d.in_doc(doc)] },
    }
}

/// Validates a policy given as an already parsed JSON value.
pub fn parse_node(node: Node<'_>, kind: PolicyKind, doc: DocId) -> ParsedPolicy<'_> {
    let mut p = Reader { kind, diags: Vec::new() };
    let policy = p.policy(node, doc);
    let diagnostics: Vec<Diagnostic> = p.diags.into_iter().map(|d| d.in_doc(doc)).collect();
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    ParsedPolicy { policy: if ok { policy } else { None }, diagnostics }
}

const POLICY_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] =
    ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

struct Reader {
    kind: PolicyKind,
    diags: Vec<Diagnostic>,
}

/// Where an element was found: key span and value.
struct Element<'a> {
    key_span: Span,
    node: Node<'a>,
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
    fn string<'a>(&mut self, node: Node<'a>, what: &str) -> Option<Str<'a>> {
        match node.value {
            Value::String(text) => {
                self.check_chars(&text, node.span);
                Some(Str { text, span: node.span })
            }
            other => {
                let found = other.kind();
                self.error("policy-wrong-type", node.span, format!("{what} must be a string, found {found}"));
                None
            }
        }
    }

    fn check_chars(&mut self, text: &str, span: Span) {
        if !self.kind.is_iam() {
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

    fn policy<'a>(&mut self, node: Node<'a>, doc: DocId) -> Option<Policy<'a>> {
        let span = node.span;
        let Value::Object(members) = node.value else {
            self.error("policy-wrong-type", span, format!("a policy must be a JSON object, found {}", node.value.kind()));
            return None;
        };
        let mut version = None;
        let mut version_span = None;
        let mut id = None;
        let mut statement_el: Option<Element<'a>> = None;
        for Member { key, key_span, value } in members {
            match key.as_ref() {
                "Version" => {
                    version_span = Some(value.span);
                    version = self.version(value);
                }
                "Id" => {
                    id = self.string(value, "`Id`");
                    if self.kind.is_iam() {
                        self.diags.push(
                            Diagnostic::warning("policy-id-in-identity-policy", key_span, format!("`Id` is not used in a {}", self.kind.title()))
                                .with_help("AWS documents `Id` for resource-based policies; IAM ignores it here"),
                        );
                    }
                }
                "Statement" => statement_el = Some(Element { key_span, node: value }),
                other => self.unknown_element(other, key_span, &POLICY_ELEMENTS, "a policy"),
            }
        }
        let statements = match statement_el {
            None => {
                self.error("policy-missing-statement", Span::new(span.start, span.start + 1), "policy has no `Statement` element");
                self.help("add `\"Statement\": [ { \"Effect\": ..., \"Action\": ..., \"Resource\": ... } ]`");
                Vec::new()
            }
            Some(el) => self.statements(el),
        };
        Some(Policy { kind: self.kind, doc, span, version, version_span, id, statements })
    }

    fn version(&mut self, node: Node<'_>) -> Option<Version> {
        let span = node.span;
        let s = self.string(node, "`Version`")?;
        match s.as_str() {
            "2012-10-17" => Some(Version::V2012_10_17),
            "2008-10-17" => Some(Version::V2008_10_17),
            other => {
                self.error("policy-invalid-version", span, format!("invalid `Version` {}", quote(other)));
                self.help("the only versions are `2012-10-17` (current) and `2008-10-17` (legacy)");
                None
            }
        }
    }

    fn statements<'a>(&mut self, el: Element<'a>) -> Vec<Statement<'a>> {
        let span = el.node.span;
        match el.node.value {
            Value::Object(_) => self.statement(el.node, 0).into_iter().collect(),
            Value::Array(items) => {
                if items.is_empty() {
                    self.diags.push(
                        Diagnostic::warning("policy-no-statements", span, "`Statement` is empty: this policy allows and denies nothing")
                    );
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    if let Some(s) = self.statement(item, i) {
                        out.push(s);
                    }
                }
                self.check_sids(&out);
                out
            }
            other => {
                let found = other.kind();
                self.error("policy-wrong-type", span, format!("`Statement` must be an object or an array of objects, found {found}"));
                Vec::new()
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

    fn statement<'a>(&mut self, node: Node<'a>, index: usize) -> Option<Statement<'a>> {
        let span = node.span;
        let Value::Object(members) = node.value else {
            self.error("policy-wrong-type", span, format!("a statement must be a JSON object, found {}", node.value.kind()));
            return None;
        };
        let opening = Span::new(span.start, span.start + 1);
        let mut sid = None;
        let mut effect: Option<(Effect, Span)> = None;
        let mut effect_seen = false;
        let mut principal: Option<(bool, Element<'a>)> = None;
        let mut action: Option<(bool, Element<'a>)> = None;
        let mut resource: Option<(bool, Element<'a>)> = None;
        let mut condition: Option<Element<'a>> = None;
        for Member { key, key_span, value } in members {
            let el = Element { key_span, node: value };
            match key.as_ref() {
                "Sid" => sid = self.sid(el.node),
                "Effect" => {
                    effect_seen = true;
                    effect = self.effect(el.node);
                }
                "Principal" | "NotPrincipal" => {
                    let negated = key.starts_with("Not");
                    if let Some((_, first)) = &principal {
                        self.both(first.key_span, key_span, "Principal", "NotPrincipal");
                    } else {
                        principal = Some((negated, el));
                    }
                }
                "Action" | "NotAction" => {
                    let negated = key.starts_with("Not");
                    if let Some((_, first)) = &action {
                        self.both(first.key_span, key_span, "Action", "NotAction");
                    } else {
                        action = Some((negated, el));
                    }
                }
                "Resource" | "NotResource" => {
                    let negated = key.starts_with("Not");
                    if let Some((_, first)) = &resource {
                        self.both(first.key_span, key_span, "Resource", "NotResource");
                    } else {
                        resource = Some((negated, el));
                    }
                }
                "Condition" => condition = Some(el),
                other => self.unknown_element(other, key_span, &STATEMENT_ELEMENTS, "a statement"),
            }
        }

        if !effect_seen {
            self.error("statement-missing-effect", opening, "statement has no `Effect`");
            self.help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`");
        }
        let action = match action {
            Some((negated, el)) => self.patterns(el, negated, Pattern::Action),
            None => {
                self.error("statement-missing-action", opening, "statement has neither `Action` nor `NotAction`");
                self.help("add `\"Action\": \"service:Operation\"`, e.g. `\"Action\": \"s3:GetObject\"`");
                None
            }
        };
        let resource = match resource {
            Some((negated, el)) => self.patterns(el, negated, Pattern::Resource),
            None => {
                if !matches!(self.kind, PolicyKind::Resource | PolicyKind::Vpce) {
                    self.error("statement-missing-resource", opening, "statement has neither `Resource` nor `NotResource`");
                    self.help("add `\"Resource\": \"*\"` or the ARNs the statement is about");
                }
                None
            }
        };
        let principal = self.principal_rules(principal, effect.map(|e| e.0), opening);
        let (conditions, condition_span) = match condition {
            Some(el) => (self.conditions(el.node), Some(el.key_span)),
            None => (Vec::new(), None),
        };
        let (effect, effect_span) = effect?;
        let action = action?;
        Some(Statement { index, span, sid, effect, effect_span, principal, action, resource, conditions, condition_span })
    }

    fn both(&mut self, first: Span, second: Span, a: &str, b: &str) {
        let d = Diagnostic::error("statement-conflicting-elements", second, format!("a statement cannot have both `{a}` and `{b}`"))
            .with_label(first, "already given here")
            .with_help(format!("keep either `{a}` or `{b}`"));
        self.diags.push(d);
    }

    fn sid<'a>(&mut self, node: Node<'a>) -> Option<Str<'a>> {
        let sid = self.string(node, "`Sid`")?;
        if self.kind.is_iam() && !sid.text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.error("statement-invalid-sid", sid.span, format!("`Sid` {} may contain only letters and digits in IAM policies", quote(&sid.text)));
            let fixed: String = sid.text.chars().filter(char::is_ascii_alphanumeric).collect();
            if !fixed.is_empty() {
                self.help(format!("write `{fixed}`"));
            }
        }
        Some(sid)
    }

    fn effect(&mut self, node: Node<'_>) -> Option<(Effect, Span)> {
        let span = node.span;
        let s = self.string(node, "`Effect`")?;
        match s.as_str() {
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
        }
    }

    fn patterns<'a>(&mut self, el: Element<'a>, negated: bool, what: Pattern) -> Option<PatternList<'a>> {
        let name = what.name(negated);
        let span = el.node.span;
        let nodes = match el.node.value {
            Value::String(_) => vec![el.node],
            Value::Array(items) => {
                if items.is_empty() {
                    self.error("statement-empty-list", span, format!("`{name}` is an empty list"));
                    self.help(format!("list at least one value, or `\"{name}\": \"*\"`"));
                    return None;
                }
                items
            }
            other => {
                let found = other.kind();
                self.error("policy-wrong-type", span, format!("`{name}` must be a string or an array of strings, found {found}"));
                return None;
            }
        };
        let mut values = Vec::with_capacity(nodes.len());
        let mut ok = true;
        for n in nodes {
            match self.string(n, &format!("each `{name}` value")) {
                Some(s) => {
                    ok &= match what {
                        Pattern::Action => self.check_action(&s),
                        Pattern::Resource => self.check_resource(&s),
                    };
                    values.push(s);
                }
                None => ok = false,
            }
        }
        ok.then_some(PatternList { negated, key_span: el.key_span, span, values })
    }

    fn check_action(&mut self, s: &Str<'_>) -> bool {
        let text = s.as_str();
        if text == "*" {
            return true;
        }
        let Some((prefix, name)) = text.split_once(':') else {
            self.error("action-invalid", s.span, format!("{} is not an action", quote(text)));
            self.help("actions are written `service:Operation`, e.g. `s3:GetObject`, or `*` for all");
            return false;
        };
        if prefix.is_empty() || name.is_empty() {
            self.error("action-invalid", s.span, format!("{} is not an action: the service or the operation is empty", quote(text)));
            return false;
        }
        if !prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?') {
            self.error("action-invalid", s.span, format!("invalid service prefix {} in {}", quote(prefix), quote(text)));
            self.help("service prefixes are letters, digits and `-`, such as `s3` or `ec2`");
            return false;
        }
        if prefix.contains(['*', '?']) {
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
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        if let Some(service) = parts.get(2) {
            if service.contains(['*', '?']) {
                self.error("resource-wildcard-in-service", s.span, format!("wildcard in the service part of {}", quote(text)));
                self.help("the service part of a resource ARN must be spelled out, e.g. `s3`");
                return false;
            }
            if service.is_empty() {
                self.error("resource-invalid", s.span, format!("{} has an empty service part", quote(text)));
                return false;
            }
        }
        if parts.len() < 6 {
            let star_end = parts.iter().skip(1).any(|p| p.ends_with('*'));
            if !star_end {
                self.error(
                    "resource-invalid",
                    s.span,
                    format!("{} has {} parts; an ARN has six: arn:partition:service:region:account:resource", quote(text), parts.len()),
                );
                return false;
            }
        }
        if parts.get(2) == Some(&"iam") {
            if let Some(res) = parts.get(5) {
                let bad_type = match res.find('/') {
                    Some(i) => res.get(..i).is_some_and(|w| w.contains(['*', '?'])),
                    None => *res != "*" && res.contains(['*', '?']),
                };
                if bad_type {
                    self.error("resource-wildcard-in-type", s.span, format!("wildcard in the IAM resource type of {}", quote(text)));
                    self.help("write the type in full (`user/`, `role/`, `policy/`...) and put wildcards after it");
                    return false;
                }
            }
        }
        if let Some(prefix_end) = arn_prefix_len(text) {
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
        }
        true
    }

    fn principal_rules<'a>(&mut self, principal: Option<(bool, Element<'a>)>, effect: Option<Effect>, opening: Span) -> Option<PrincipalBlock<'a>> {
        let kind = self.kind;
        match principal {
            None => {
                if kind.has_principal() {
                    self.error("statement-missing-principal", opening, format!("statement in a {} has no `Principal`", kind.title()));
                    if kind == PolicyKind::Rcp {
                        self.help("RCP statements use `\"Principal\": \"*\"`");
                    } else {
                        self.help("add the principals the statement is about, e.g. `\"Principal\": {\"AWS\": \"111122223333\"}`");
                    }
                }
                None
            }
            Some((negated, el)) => {
                let name = if negated { "NotPrincipal" } else { "Principal" };
                if !kind.has_principal() {
                    self.error("statement-principal-not-allowed", el.key_span, format!("`{name}` is not allowed in a {}", kind.title()));
                    self.help(match kind {
                        PolicyKind::Scp => "SCPs apply to the principals of the accounts they are attached to; narrow with conditions such as `aws:PrincipalArn`",
                        _ => "identity-based policies apply to the identity they are attached to; remove the element",
                    });
                    return None;
                }
                if negated && kind == PolicyKind::Rcp {
                    self.error("statement-notprincipal-not-allowed", el.key_span, "`NotPrincipal` is not allowed in a resource control policy");
                    self.help("use `\"Principal\": \"*\"` with an `aws:PrincipalArn` condition");
                    return None;
                }
                if negated && effect == Some(Effect::Allow) {
                    self.error("statement-notprincipal-allow", el.key_span, "`NotPrincipal` is not supported with `\"Effect\": \"Allow\"`");
                    self.help("name the principals with `Principal`, or use `Deny` with `NotPrincipal`");
                    return None;
                }
                let block = self.principal(el, negated)?;
                if kind == PolicyKind::Rcp && !block.entries.iter().all(|e| e.value.as_str() == "*" && matches!(e.key, PrincipalKey::Any | PrincipalKey::Aws)) {
                    self.error("rcp-principal-not-star", block.span, "in a resource control policy `Principal` must be `\"*\"`");
                    self.help("narrow the statement with conditions such as `aws:PrincipalArn` or `aws:PrincipalOrgID`");
                    return None;
                }
                Some(block)
            }
        }
    }

    fn principal<'a>(&mut self, el: Element<'a>, negated: bool) -> Option<PrincipalBlock<'a>> {
        let span = el.node.span;
        let name = if negated { "NotPrincipal" } else { "Principal" };
        let mut entries = Vec::new();
        let mut ok = true;
        match el.node.value {
            Value::String(text) => {
                if text == "*" {
                    entries.push(PrincipalEntry {
                        key: PrincipalKey::Any,
                        value: Str { text, span },
                        form: Some(super::AwsForm::Everyone),
                    });
                } else {
                    self.error("principal-invalid", span, format!("`{name}` must be `\"*\"` or an object, found the string {}", quote(&text)));
                    self.help(format!("write `\"{name}\": {{\"AWS\": \"{text}\"}}`"));
                    return None;
                }
            }
            Value::Object(members) => {
                if members.is_empty() {
                    self.error("principal-invalid", span, format!("`{name}` is empty"));
                    return None;
                }
                for Member { key, key_span, value } in members {
                    let Some(pk) = PrincipalKey::from_name(&key) else {
                        self.unknown_element(&key, key_span, &["AWS", "Service", "Federated", "CanonicalUser"], &format!("`{name}`"));
                        ok = false;
                        continue;
                    };
                    let values_span = value.span;
                    let nodes = match value.value {
                        Value::String(_) => vec![value],
                        Value::Array(items) if !items.is_empty() => items,
                        Value::Array(_) => {
                            self.error("statement-empty-list", values_span, format!("`{}` principal list is empty", pk.name()));
                            ok = false;
                            continue;
                        }
                        other => {
                            let found = other.kind();
                            self.error("policy-wrong-type", values_span, format!("`{}` must be a string or an array of strings, found {found}", pk.name()));
                            ok = false;
                            continue;
                        }
                    };
                    for n in nodes {
                        let Some(value) = self.string(n, &format!("each `{}` principal", pk.name())) else {
                            ok = false;
                            continue;
                        };
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
            }
            other => {
                let found = other.kind();
                self.error("policy-wrong-type", span, format!("`{name}` must be `\"*\"` or an object, found {found}"));
                return None;
            }
        }
        ok.then_some(PrincipalBlock { negated, key_span: el.key_span, span, entries })
    }

    fn conditions<'a>(&mut self, node: Node<'a>) -> Vec<Condition<'a>> {
        let span = node.span;
        let Value::Object(ops) = node.value else {
            self.error("policy-wrong-type", span, format!("`Condition` must be an object, found {}", node.value.kind()));
            self.help("write `\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}`");
            return Vec::new();
        };
        if ops.is_empty() {
            self.diags.push(Diagnostic::warning("condition-empty", span, "`Condition` is empty").with_help("remove it, or add an operator block"));
        }
        let mut out = Vec::new();
        for Member { key: op_text, key_span: op_span, value: op_node } in ops {
            self.check_chars(&op_text, op_span);
            let operator = match Operator::parse(&op_text, op_span) {
                Ok(o) => Some(o),
                Err(d) => {
                    self.diags.push(d);
                    None
                }
            };
            let op_value_span = op_node.span;
            let Value::Object(keys) = op_node.value else {
                self.error("policy-wrong-type", op_value_span, format!("the value of {} must be an object of condition keys, found {}", quote(&op_text), op_node.value.kind()));
                self.help(format!("write `{}: {{\"aws:SourceIp\": \"203.0.113.0/24\"}}`", quote(&op_text)));
                continue;
            };
            if keys.is_empty() {
                self.error("condition-no-keys", op_value_span, format!("no condition keys under {}", quote(&op_text)));
                continue;
            }
            for Member { key, key_span, value } in keys {
                self.check_chars(&key, key_span);
                if key.is_empty() {
                    self.error("condition-empty-key", key_span, "empty condition key");
                    continue;
                }
                let values_span = value.span;
                let values = self.condition_values(value, &key);
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
        }
        out
    }

    fn condition_values<'a>(&mut self, node: Node<'a>, key: &str) -> Option<Vec<Str<'a>>> {
        let span = node.span;
        let nodes = match node.value {
            Value::Array(items) => {
                if items.is_empty() {
                    self.error("condition-empty-values", span, format!("empty value list for condition key {}", quote(key)));
                    self.help("list at least one value");
                    return None;
                }
                items
            }
            other => vec![Node { value: other, span }],
        };
        let mut out = Vec::with_capacity(nodes.len());
        let mut ok = true;
        for n in nodes {
            let s = n.span;
            let text: Option<Cow<'a, str>> = match n.value {
                Value::String(t) => Some(t),
                Value::Number(t) => Some(Cow::Borrowed(t)),
                Value::Bool(true) => Some(Cow::Borrowed("true")),
                Value::Bool(false) => Some(Cow::Borrowed("false")),
                other => {
                    self.error("policy-wrong-type", s, format!("condition values must be strings, numbers or booleans, found {}", other.kind()));
                    ok = false;
                    None
                }
            };
            if let Some(text) = text {
                self.check_chars(&text, s);
                out.push(Str { text, span: s });
            }
        }
        ok.then_some(out)
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

/// Length of `arn:p:s:r:a:` (through the fifth colon), if present.
fn arn_prefix_len(s: &str) -> Option<usize> {
    s.match_indices(':').nth(4).map(|(i, _)| i + 1)
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
