//! iamtrace: AWS IAM policy evaluation with an ordered, explainable trace.
//!
//! # Layers
//!
//! Each module uses only the modules on the lines below its own, so there is
//! no cycle between them. `tests/layering.rs` reads this list and checks every
//! `crate::` path of the sources against it (test code may reach higher, to
//! build its inputs).
//!
//! ```text
//! cloudtrail, walk: CloudTrail records and denial messages as requests to evaluate; credential chains hop by hop
//! api: the JSON API the shells call
//! lint, scenario: policy checks; scenario files
//! eval: the evaluation, its decision table, and the trace it builds
//! condition: one condition block against the request context
//! trace: the answer as plain data (decision, ordered steps, spans)
//! request: the request: caller, action, resource, context
//! policy: the policy model and its reader
//! operator: condition operators: names, value syntax, comparing two values
//! arn, variables: ARNs and their patterns; policy variables
//! glob: wildcard patterns
//! json: a JSON reader that keeps spans
//! diagnostic: errors and findings, and the catalogue of their codes
//! span, text, ascii, few: byte spans, positions, and `Spanned<T>`; sentences built from their pieces; comparing without ASCII case and splitting at ASCII separators; a list without an allocation while it holds one item
//! ```

pub mod api;
pub mod arn;
mod ascii;
pub mod cloudtrail;
pub mod condition;
pub mod diagnostic;
pub mod eval;
mod few;
pub mod glob;
pub mod json;
pub mod lint;
pub mod operator;
pub mod policy;
pub mod request;
pub mod scenario;
pub mod span;
mod text;
pub mod trace;
pub mod variables;
pub mod walk;

pub use diagnostic::{Diagnostic, DocId, Severity};
pub use eval::{evaluate, CompiledSet, Named, PolicySet, PreparedRequest};
pub use scenario::{parse as parse_scenario, parse_many as parse_scenarios, ParsedScenario, Scenario};
pub use span::{LineIndex, Location, Position, Span, Spanned, Str};
pub use trace::{Answer, Decision};
