//! What crosses between the page's module and the knowledge module, as
//! JSON. Both sides compile these types: the knowledge module writes them,
//! the page reads them. Access levels and decisions travel as their names.

use iamtrace::diagnostic::Code;
use iamtrace::policy::PolicyKind;
use iamtrace::Severity;
use serde::{Deserialize, Serialize};

/// Policy texts to check, in slot order, and the codes switched off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintRequest {
    pub slots: Vec<LintSlot>,
    #[serde(default)]
    pub off: Vec<String>,
}

/// One policy text to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintSlot {
    pub kind: PolicyKind,
    pub text: String,
}

/// One finding of a check, located in its slot's text: 1-based line and
/// UTF-16 column (`from`, `to`), byte offsets (`start`, `end`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintFinding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub from: [u32; 2],
    pub to: [u32; 2],
    pub start: u32,
    pub end: u32,
}

/// The answer to a [`LintRequest`]: the findings of each slot, in order,
/// and how long the checks took inside the knowledge module.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LintResponse {
    pub slots: Vec<Vec<LintFinding>>,
    #[serde(default)]
    pub ms: f64,
    /// Whether the service reference was used (without it, only the checks
    /// that need no AWS data ran).
    #[serde(default)]
    pub knowledge: bool,
}

/// One action of an access overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewCell {
    /// `service:Name`.
    pub action: String,
    /// The access level's key: `list`, `read`, `write`, `tagging`, `permissions-management`.
    pub access: String,
    /// `None` when the request is invalid for this action.
    pub decision: Option<iamtrace::Decision>,
}

/// An access overview of one pattern.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// The pattern evaluated (`s3:*` when none was given).
    pub pattern: String,
    /// The service's name, when the pattern names one service.
    #[serde(default)]
    pub service: Option<String>,
    pub cells: Vec<OverviewCell>,
    /// Why there is no overview (policy errors, an unknown service, ...).
    #[serde(default)]
    pub error: Option<String>,
    /// Milliseconds the evaluations took inside the knowledge module.
    #[serde(default)]
    pub ms: f64,
}

/// An action a wildcard covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    /// `service:Name`.
    pub name: String,
    /// The access level's key.
    pub access: String,
}

/// A managed policy's document, resolved from its name or ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedDoc {
    pub name: String,
    pub arn: String,
    /// Pretty-printed, as the IAM console shows it.
    pub text: String,
}

/// A managed policy in the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedItem {
    pub name: String,
    pub path: String,
    pub updated: String,
}

/// Managed policies matching a query: the first few, and how many match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedList {
    pub total: usize,
    pub items: Vec<ManagedItem>,
}

/// Where each file of the knowledge module stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Not asked for yet.
    #[default]
    Idle,
    Loading,
    Ready,
    Failed,
}

/// The knowledge module's state, sent to the page on every change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Status {
    pub reference: Phase,
    pub descriptions: Phase,
    pub managed: Phase,
    /// The packages of the loaded data, `package@version`.
    pub sources: Vec<String>,
    /// Bytes transferred (compressed) and inflated, per file key.
    pub transfer: Vec<Transfer>,
    /// The last failure, for people.
    pub error: Option<String>,
    /// Bumped on every change.
    pub generation: u32,
}

/// One data file that was fetched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub file: String,
    pub compressed: usize,
    pub inflated: usize,
    /// Fetch, inflate and parse, in milliseconds.
    pub ms: f64,
}

/// Completions at a cursor, for CodeMirror (offsets in UTF-16 units).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completions {
    pub from: u32,
    pub to: u32,
    pub options: Vec<Completion>,
    /// A regular expression: while the typed text still matches, the same
    /// list is filtered instead of asking again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_for: Option<String>,
}

/// One completion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub label: String,
    /// CodeMirror's type (icon): `function` (action), `namespace`
    /// (service), `variable` (condition key), `keyword` (operator),
    /// `property` (policy element), `constant`, `class` (managed policy).
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Text to insert instead of the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<String>,
    /// Ask for completions again after inserting (`s3:` → its actions).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retrigger: bool,
    /// Whether a description can be asked for (`describe`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub described: bool,
}

/// A tooltip for the word under the pointer (offsets in UTF-16 units).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hover {
    pub from: u32,
    pub to: u32,
    pub title: String,
    /// What it is: `action`, `wildcard`, `condition key`, `operator`, `unknown`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Items not listed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
