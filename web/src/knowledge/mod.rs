//! The playground's AWS knowledge: the service authorization reference and
//! the managed policies of `iamtrace-data`, and what the page asks of them
//! (checks, the access overview, wildcard lists, completion, hover).
//!
//! This code runs in the knowledge module (`src/bin/knowledge.rs`), a
//! second wasm file that the page loads after it is interactive, so that
//! neither the data nor the code that reads it counts toward the first
//! download. The page's own module only sees [`wire`] types. Everything
//! here is pure and tested natively with the real data files.

pub mod chain;
pub mod complete;
pub mod context;
pub mod hover;
pub mod lines;
pub mod wire;

use iamtrace::api::{self, Input};
use iamtrace::lint::{self, AccessLevel, Knowledge, LintOptions};
use iamtrace::policy;
use iamtrace::scenario::{ManagedPolicy, PolicyLibrary};
use iamtrace::{DocId, LineIndex};
use iamtrace_data::{ManagedPolicies, ServiceReference};

use wire::{ActionItem, LintFinding, LintRequest, LintResponse, ManagedItem, ManagedList, Overview, OverviewCell};

/// The loaded data.
#[derive(Debug, Default)]
pub struct Store {
    pub reference: Option<ServiceReference>,
    pub managed: Option<ManagedPolicies>,
}

/// An access level's key on the wire (`permissions-management`).
pub fn access_key(a: AccessLevel) -> &'static str {
    match a {
        AccessLevel::List => "list",
        AccessLevel::Read => "read",
        AccessLevel::Write => "write",
        AccessLevel::Tagging => "tagging",
        AccessLevel::PermissionsManagement => "permissions-management",
    }
}

impl Store {
    fn knowledge(&self) -> Option<&dyn Knowledge> {
        self.reference.as_ref().map(|r| r as &dyn Knowledge)
    }

    fn library(&self) -> Option<&dyn PolicyLibrary> {
        self.managed.as_ref().map(|m| m as &dyn PolicyLibrary)
    }

    /// Checks every slot. Slots that name a managed policy are not checked
    /// (their document is AWS's, and read-only here); slots that do not
    /// parse get no findings (the page shows their parse errors).
    pub fn lint(&self, request: &LintRequest) -> LintResponse {
        let mut options = LintOptions::default();
        for code in &request.off {
            options.disable(code);
        }
        let knowledge = self.knowledge();
        let slots = request
            .slots
            .iter()
            .map(|slot| {
                if api::names_managed_policy(&slot.text) {
                    return Vec::new();
                }
                let parsed = policy::parse_policy(&slot.text, slot.kind, DocId(0));
                let Some(p) = parsed.policy else { return Vec::new() };
                let index = LineIndex::new(&slot.text);
                iamtrace::diagnostic::limit(lint::check(&p, &slot.text, knowledge, &options))
                    .into_iter()
                    .map(|d| {
                        let from = index.position(&slot.text, d.span.start);
                        let to = index.position(&slot.text, d.span.end);
                        LintFinding {
                            code: d.code,
                            severity: d.severity,
                            message: d.message,
                            help: d.help,
                            from: [from.line, from.utf16_column],
                            to: [to.line, to.utf16_column],
                            start: d.span.start,
                            end: d.span.end,
                        }
                    })
                    .collect()
            })
            .collect();
        LintResponse { slots, ms: 0.0, knowledge: knowledge.is_some() }
    }

    /// The requests a pasted CloudTrail text describes, checked against the
    /// service reference when it is loaded.
    pub fn cloudtrail(&self, text: &str) -> iamtrace::cloudtrail::Imported {
        iamtrace::cloudtrail::import_with(text, self.knowledge())
    }

    /// The access overview of a scenario (SCENARIO.md JSON): every action
    /// `pattern` covers (by default, every action of the request's
    /// service), evaluated against the request's resource.
    pub fn overview(&self, scenario: &str, pattern: Option<&str>) -> Overview {
        let fail = |pattern: String, error: String| Overview { pattern, error: Some(error), ..Overview::default() };
        let input: Input = match api::input_from_scenario(scenario) {
            Ok(i) => i,
            Err(d) => return fail(String::new(), d.message),
        };
        let pattern = match pattern.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => p.to_owned(),
            None => match input.request.action.split_once(':') {
                Some((service, _)) => format!("{service}:*"),
                None => return fail(String::new(), "the request has no action to take a service from".to_owned()),
            },
        };
        let Some(reference) = &self.reference else {
            return fail(pattern, "the AWS service reference is not loaded".to_owned());
        };
        if !pattern.contains(':') {
            return fail(pattern, "give one service's actions, such as `s3:*` or `s3:Get*`".to_owned());
        }
        let service = pattern.split_once(':').map(|(s, _)| s).unwrap_or("").to_owned();
        let service_name = reference.service(&service).map(|s| s.name().to_owned());
        if service_name.is_none() {
            return fail(pattern, format!("`{service}` is not a service of the AWS service reference"));
        }
        match iamtrace_data::overview::access_overview_with(reference, &input, Some(&pattern), self.library()) {
            Ok(cells) if cells.is_empty() => Overview {
                service: service_name,
                error: Some(format!("`{pattern}` matches no action")),
                pattern,
                ..Overview::default()
            },
            Ok(cells) => Overview {
                cells: cells
                    .into_iter()
                    .map(|c| OverviewCell {
                        action: c.action,
                        access: access_key(c.access).to_owned(),
                        decision: c.decision,
                    })
                    .collect(),
                service: service_name,
                pattern,
                error: None,
                ms: 0.0,
            },
            Err(errors) => {
                let n = errors.len();
                fail(
                    pattern,
                    format!(
                        "the policies have {n} error{}: fix them to see the overview",
                        if n == 1 { "" } else { "s" }
                    ),
                )
            }
        }
    }

    /// The name of a service (`s3` → `Amazon S3`).
    pub fn service_name(&self, prefix: &str) -> Option<&str> {
        self.reference.as_ref()?.service(prefix).map(|s| s.name())
    }

    /// The actions an action pattern covers (`s3:Get*`), in order.
    pub fn expand(&self, pattern: &str) -> Vec<ActionItem> {
        let Some(r) = &self.reference else { return Vec::new() };
        r.expand(pattern)
            .into_iter()
            .map(|a| ActionItem { name: a.full_name(), access: access_key(a.access_level()).to_owned() })
            .collect()
    }

    /// A managed policy by name or ARN.
    pub fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy> {
        self.managed.as_ref()?.managed_policy(name_or_arn)
    }

    /// The managed policies whose name contains every word of `query`
    /// (ASCII case-insensitive); names starting with the query first.
    pub fn managed_list(&self, query: &str, limit: usize) -> ManagedList {
        let Some(m) = &self.managed else { return ManagedList::default() };
        let q = query.trim().to_ascii_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        let mut hits: Vec<(bool, ManagedItem)> = Vec::new();
        for p in m.iter() {
            let name = p.name().to_ascii_lowercase();
            if words.iter().all(|w| name.contains(w)) {
                let item = ManagedItem {
                    name: p.name().to_owned(),
                    path: p.path().to_owned(),
                    updated: p.updated().to_owned(),
                };
                hits.push((!q.is_empty() && name.starts_with(&q), item));
            }
        }
        let total = hits.len();
        // Stable: prefix matches first, each group in name order.
        hits.sort_by_key(|(prefix, _)| !*prefix);
        ManagedList { total, items: hits.into_iter().take(limit).map(|(_, i)| i).collect() }
    }

    /// An action's description, when the descriptions are loaded.
    pub fn describe(&self, action: &str) -> Option<String> {
        self.reference.as_ref()?.action(action)?.description().map(str::to_owned)
    }
}

/// The store answers the evaluation directly (native tests; the browser
/// goes through the knowledge module, `data::Bridge`).
impl crate::eval::Checks for Store {
    fn lint(&self, request: &LintRequest) -> Option<LintResponse> {
        Some(Store::lint(self, request))
    }

    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy> {
        Store::managed_policy(self, name_or_arn)
    }
}

#[cfg(test)]
mod tests;
