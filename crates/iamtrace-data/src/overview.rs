//! The access overview: every action of a service (or of a wildcard)
//! evaluated against one scenario, for the allowed / denied grid.

use std::borrow::Cow;

use iamtrace::api::{self, Input, Located};
use iamtrace::lint::AccessLevel;
use iamtrace::scenario::PolicyLibrary;
use iamtrace::{CompiledSet, Decision, Span, Str};
use serde::Serialize;

use crate::reference::ServiceReference;

/// One action's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// `service:Name`.
    pub action: String,
    pub access: AccessLevel,
    /// `None` when the request is invalid for this action.
    pub decision: Option<Decision>,
    /// The first error, when `decision` is `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Evaluates the scenario's request for every action `pattern` covers
/// (`s3:*`, `ec2:Describe*`; by default every action of the request's
/// service), keeping principal, resource and context. The policies are
/// parsed and compiled once, the request built once with its action
/// replaced for each, and each cell is the decision alone
/// ([`CompiledSet::decide`]). Fails with the policies' errors (located in
/// their slots) when one is invalid.
///
/// To show one cell's trace, evaluate the input with that action (`api::evaluate`).
pub fn access_overview(
    reference: &ServiceReference,
    input: &Input,
    pattern: Option<&str>,
) -> Result<Vec<Cell>, Vec<Located>> {
    access_overview_with(reference, input, pattern, None)
}

/// Like [`access_overview`], resolving managed-policy names and ARNs given
/// in place of a document through `library`.
pub fn access_overview_with(
    reference: &ServiceReference,
    input: &Input,
    pattern: Option<&str>,
    library: Option<&dyn PolicyLibrary>,
) -> Result<Vec<Cell>, Vec<Located>> {
    let default_pattern;
    let pattern = match pattern {
        Some(p) => p,
        None => {
            let service = input.request.action.split_once(':').map_or("", |(s, _)| s);
            default_pattern = format!("{service}:*");
            &default_pattern
        }
    };
    let (set, diagnostics, _, _) = api::policy_set_with(input, library);
    if diagnostics.iter().any(|d| d.diagnostic.is_error()) {
        return Err(diagnostics.into_iter().filter(|d| d.diagnostic.is_error()).collect());
    }
    let compiled = CompiledSet::new(&set);
    let mut request = api::request(&input.request);
    let actions = reference.expand(pattern);
    let mut cells = Vec::with_capacity(actions.len());
    for action in actions {
        let (prefix, short) = (action.service().prefix(), action.name());
        let mut name = String::with_capacity(prefix.len() + 1 + short.len());
        name.push_str(prefix);
        name.push(':');
        name.push_str(short);
        let span = Span::from_range(0, name.len());
        request.action = Str::new(Cow::Owned(name), span);
        let (decision, error) = match compiled.decide(&request) {
            Ok(decision) => (Some(decision), None),
            Err(ds) => (None, ds.first().map(|d| d.message.clone())),
        };
        let action_name = std::mem::take(request.action.value.to_mut());
        cells.push(Cell { action: action_name, access: action.access_level(), decision, error });
    }
    Ok(cells)
}
