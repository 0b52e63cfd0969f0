//! Policy checks beyond validity: findings in the four categories of AWS's
//! policy validation (ERROR, SECURITY_WARNING, WARNING, SUGGESTION), each
//! with a stable kebab-case code, a message, a help line and the span it is
//! about.
//!
//! One file per rule or small family of rules; each rule's doc comment says
//! what it does, why it matters and gives an example. [`RULES`] lists every
//! code. Rules that need the service authorization reference ask a
//! [`Knowledge`]; without one they are skipped, and the rest still run.
//!
//! ```
//! use iamtrace::lint::{self, LintOptions};
//! use iamtrace::policy::PolicyKind;
//!
//! let text = r#"{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#;
//! let findings = lint::lint_text(text, PolicyKind::Identity, None, &LintOptions::default());
//! let codes: Vec<&str> = findings.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["missing-version", "allow-with-not-action"]);
//! ```

mod actions;
mod admin;
mod broad;
mod conditions;
mod knowledge;
mod not_elements;
mod pass_role;
mod public;
mod redundant;
mod resources;
mod size;
mod version;

use std::cell::OnceCell;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use knowledge::{
    AccessLevel, ActionId, ActionInfo, KeyInfo, KeyType, Knowledge, ResourceTypeId, ResourceTypeInfo, ResourceTypeUse,
    ServiceInfo, ValueType,
};

use crate::diagnostic::{nearest, Code, Diagnostic, DocId, Severity};
use crate::policy::{self, PatternList, Policy, PolicyKind, Statement};
use crate::span::{Span, Str};

/// One check: its code, category and a one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub code: Code,
    /// The category of its findings (for `policy-size-exceeded` the
    /// strictest; see the rule for the category per policy kind).
    pub severity: Severity,
    /// The code's description in the catalogue ([`Code::describe`]).
    pub summary: &'static str,
    /// Whether the rule needs a [`Knowledge`] (skipped without one).
    pub needs_knowledge: bool,
}

const fn rule(code: Code, severity: Severity, needs_knowledge: bool) -> Rule {
    Rule { code, severity, summary: code.describe(), needs_knowledge }
}

use Severity::{Error, SecurityWarning, Suggestion, Warning};

/// Every lint code, in the order of the categories.
pub const RULES: &[Rule] = &[
    rule(Code::ActionUnknownService, Error, true),
    rule(Code::ActionUnknown, Error, true),
    rule(Code::ActionMatchesNothing, Error, true),
    rule(Code::ConditionMissingQualifier, Error, true),
    rule(Code::VariableInOldVersion, Error, false),
    rule(Code::PolicySizeExceeded, Error, false),
    rule(Code::AdminEquivalent, SecurityWarning, false),
    rule(Code::AllowWithNotAction, SecurityWarning, false),
    rule(Code::AllowWithNotResource, SecurityWarning, false),
    rule(Code::PassRoleAnyResource, SecurityWarning, false),
    rule(Code::PrincipalPublic, SecurityWarning, false),
    rule(Code::DenyWithNotPrincipal, SecurityWarning, false),
    rule(Code::ConditionForallvaluesSingleValued, SecurityWarning, true),
    rule(Code::MissingVersion, Warning, false),
    rule(Code::ActionUndocumented, Warning, true),
    rule(Code::ActionWildcardService, Warning, false),
    rule(Code::ActionWildcardPermissions, Warning, true),
    rule(Code::ResourceMismatch, Warning, true),
    rule(Code::ActionTakesNoResource, Warning, true),
    rule(Code::ConditionKeyUnknown, Warning, true),
    rule(Code::ConditionKeyNotApplicable, Warning, true),
    rule(Code::ConditionTypeMismatch, Warning, true),
    rule(Code::ActionRedundant, Suggestion, false),
    rule(Code::ResourceRedundant, Suggestion, false),
];

/// The rule with this code.
pub fn rule_for(code: Code) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The lint code closest to `code`, for "did you mean" messages.
pub fn nearest_code(code: &str) -> Option<Code> {
    nearest(code, RULES.iter().map(|r| r.code.as_str())).and_then(Code::parse)
}

/// Which checks run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LintOptions {
    /// Codes switched off; any diagnostic code can be given, including the
    /// warnings of the policy reader.
    pub disabled: BTreeSet<String>,
}

impl LintOptions {
    /// Switches one code off.
    pub fn disable(&mut self, code: &str) -> &mut Self {
        self.disabled.insert(code.to_owned());
        self
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        !self.disabled.contains(code)
    }
}

/// Checks a parsed policy. `source` is the text of the policy's document
/// (the text its spans point into); it is used for the size limits.
pub fn check(
    policy: &Policy<'_>,
    source: &str,
    knowledge: Option<&dyn Knowledge>,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let mut cx = Cx { policy, source, knowledge, options, out: Vec::new(), suggestions: 0 };
    version::check(&mut cx);
    size::check(&mut cx);
    for stmt in &policy.statements {
        let facts = Facts::new(policy.kind, stmt, knowledge);
        actions::check(&mut cx, &facts);
        not_elements::check(&mut cx, stmt);
        admin::check(&mut cx, &facts);
        pass_role::check(&mut cx, &facts);
        public::check(&mut cx, stmt);
        broad::check(&mut cx, stmt, &facts);
        resources::check(&mut cx, stmt, &facts);
        conditions::check(&mut cx, stmt, &facts);
        redundant::check(&mut cx, stmt, &facts);
    }
    let doc = policy.doc;
    let mut out: Vec<Diagnostic> = cx.out.into_iter().map(|d| d.in_doc(doc)).collect();
    out.sort_by_key(|d| d.span.start);
    out
}

/// Parses a policy text and checks it: the reader's diagnostics (its
/// warnings subject to `options`), then the lint findings when the policy is
/// valid.
pub fn lint_text(
    text: &str,
    kind: PolicyKind,
    knowledge: Option<&dyn Knowledge>,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let parsed = policy::parse_policy(text, kind, DocId(0));
    let mut out: Vec<Diagnostic> =
        parsed.diagnostics.into_iter().filter(|d| d.is_error() || options.is_enabled(&d.code)).collect();
    if let Some(p) = &parsed.policy {
        out.extend(check(p, text, knowledge, options));
    }
    out
}

/// What the rules share while checking one policy.
pub(crate) struct Cx<'p, 'k> {
    pub policy: &'p Policy<'p>,
    pub source: &'p str,
    pub knowledge: Option<&'k dyn Knowledge>,
    options: &'p LintOptions,
    out: Vec<Diagnostic>,
    /// "Did you mean" searches made so far (see [`Cx::may_suggest`]).
    suggestions: usize,
}

/// A policy gets at most this many "did you mean" searches: each compares
/// a name with every name of a service, and a hostile policy can misspell
/// thousands (only the first findings are shown anyway).
pub(crate) const MAX_SUGGESTIONS: usize = 100;
/// The redundancy checks compare at most this many pairs of values per list.
pub(crate) const MAX_COMPARISONS: usize = 1_000_000;

impl Cx<'_, '_> {
    pub fn enabled(&self, code: Code) -> bool {
        self.options.is_enabled(code.as_str())
    }

    pub fn emit(&mut self, d: Diagnostic) {
        if self.options.is_enabled(&d.code) {
            self.out.push(d);
        }
    }

    pub fn kind(&self) -> PolicyKind {
        self.policy.kind
    }

    /// Whether a "did you mean" search may still be made in this policy.
    pub fn may_suggest(&mut self) -> bool {
        self.suggestions += 1;
        self.suggestions <= MAX_SUGGESTIONS
    }
}

/// A finding of `code` with the rule's category.
pub(crate) fn finding(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
    let severity = rule_for(code).map_or(Warning, |r| r.severity);
    Diagnostic::new(code, severity, span, message)
}

/// One `Action`/`NotAction` value with what the knowledge says about it.
pub(crate) struct ActionPattern<'s, 'k> {
    pub value: &'s Str<'s>,
    /// `None` for `*`.
    pub service: Option<&'s str>,
    /// The part after the colon (`*` for `*`).
    pub name: &'s str,
    pub known_service: Option<ServiceInfo<'k>>,
    /// The real actions the pattern covers; `None` without knowledge, for
    /// `*`, and for unknown services.
    pub expanded: Option<Vec<ActionInfo<'k>>>,
}

impl ActionPattern<'_, '_> {
    pub fn has_wildcard(&self) -> bool {
        self.name.contains(['*', '?'])
    }
}

/// Facts about one statement, computed once for all rules.
pub(crate) struct Facts<'s, 'k> {
    pub stmt: &'s Statement<'s>,
    pub actions: Vec<ActionPattern<'s, 'k>>,
    covered: OnceCell<Option<Vec<ActionInfo<'k>>>>,
    /// Whether (and why) the statement is administrator-equivalent.
    pub admin: Option<admin::Admin>,
}

impl<'s, 'k> Facts<'s, 'k> {
    fn new(kind: PolicyKind, stmt: &'s Statement<'s>, knowledge: Option<&'k dyn Knowledge>) -> Self {
        let actions = stmt
            .action
            .values
            .iter()
            .map(|value| {
                let text = value.as_str();
                let (service, name) = match text.split_once(':') {
                    Some((s, n)) => (Some(s), n),
                    None => (None, text),
                };
                let known_service = match (knowledge, service) {
                    (Some(k), Some(s)) if !s.contains(['*', '?']) => k.service(s),
                    _ => None,
                };
                let expanded = match (knowledge, known_service) {
                    (Some(k), Some(s)) => Some(k.actions(s.prefix, name)),
                    _ => None,
                };
                ActionPattern { value, service, name, known_service, expanded }
            })
            .collect();
        Facts { stmt, actions, covered: OnceCell::new(), admin: admin::admin(kind, stmt) }
    }

    /// Every real action the `Action` list covers, when each pattern could
    /// be expanded (no `*`, no unknown service, not `NotAction`).
    pub fn covered(&self) -> Option<&[ActionInfo<'k>]> {
        self.covered
            .get_or_init(|| {
                if self.stmt.action.negated {
                    return None;
                }
                let mut out: Vec<ActionInfo<'k>> = Vec::new();
                for p in &self.actions {
                    out.extend(p.expanded.as_ref()?.iter().copied());
                }
                out.sort_by_key(|a| a.id);
                out.dedup_by_key(|a| a.id);
                Some(out)
            })
            .as_deref()
    }
}

/// The policy kinds whose `Allow` statements grant access (the others only
/// limit it).
pub(crate) fn grants(kind: PolicyKind) -> bool {
    matches!(kind, PolicyKind::Identity | PolicyKind::Resource)
}

/// Whether the statement's resources include every resource: `"*"`, or any
/// `NotResource` (which covers everything it does not list).
pub(crate) fn covers_every_resource(stmt: &Statement<'_>) -> bool {
    stmt.resource.as_ref().is_some_and(|r| r.negated || r.values.iter().any(|v| v.as_str() == "*"))
}

/// Where the statement allows `action` (by its text): the span of the first
/// `Action` pattern covering it, or the `NotAction` key when no `NotAction`
/// pattern excludes it.
pub(crate) fn covers_action(list: &PatternList<'_>, action: &str) -> Option<Span> {
    let hit = list.find_action(action);
    match (list.negated, hit) {
        (false, Some(v)) => Some(v.span),
        (true, None) => Some(list.key_span),
        _ => None,
    }
}

/// The span of `text[from..to]` inside a string value, when the value was
/// written without escapes (so offsets map one to one); else the whole value.
pub(crate) fn sub_span(s: &Str<'_>, from: usize, to: usize) -> Span {
    if s.span.len() == s.value.len() + 2 {
        s.span.sub(from + 1, to + 1)
    } else {
        s.span
    }
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`.
pub(crate) fn list_some(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let rest = items.len().saturating_sub(max);
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => (*one).to_owned(),
        (many, 0) => {
            let (last, init) = many.split_last().map_or(("", &[][..]), |(l, i)| (*l, i));
            format!("{} and {last}", init.join(", "))
        }
        (many, n) => format!("{} and {n} more", many.join(", ")),
    }
}

#[cfg(test)]
mod tests;
