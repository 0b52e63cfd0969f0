//! The access overview: every action of a service (or of a wildcard)
//! evaluated against one scenario, for the allowed / denied grid.

use std::borrow::Cow;

use iamtrace::api::{self, Input, Located};
use iamtrace::lint::AccessLevel;
use iamtrace::scenario::PolicyLibrary;
use iamtrace::{CompiledSet, Decision, PreparedRequest, Span, Str};
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
/// parsed and compiled once, the request checked once and asked for each
/// action ([`iamtrace::PreparedRequest::with_action`]), and each cell is
/// the decision alone ([`CompiledSet::decide_prepared`]). Fails with the policies' errors (located in
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
    let request = api::request(&input.request);
    let actions = reference.expand(pattern);
    // The request is checked and normalised once, then asked for each
    // action; when it is not valid as given (its own action, say), each
    // action is asked afresh.
    let prepared = PreparedRequest::new(&request).ok();
    let mut cells = Vec::with_capacity(actions.len());
    for action in actions {
        let (prefix, short) = (action.service().prefix(), action.name());
        let mut name = String::with_capacity(prefix.len() + 1 + short.len());
        name.push_str(prefix);
        name.push(':');
        name.push_str(short);
        let span = Span::from_range(0, name.len());
        let decided = match &prepared {
            Some(prepared) => prepared.with_action(&name, span).map(|r| compiled.decide_prepared(&r)),
            None => {
                let mut one = request.clone();
                one.action = Str::new(Cow::Borrowed(name.as_str()), span);
                compiled.decide(&one)
            }
        };
        let (decision, error) = match decided {
            Ok(decision) => (Some(decision), None),
            Err(ds) => (None, ds.first().map(|d| d.message.clone())),
        };
        cells.push(Cell { action: name, access: action.access_level(), decision, error });
    }
    Ok(cells)
}
