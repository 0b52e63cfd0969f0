//! iamtrace: AWS IAM policy evaluation with an ordered, explainable trace.

pub mod diagnostic;
pub mod json;
pub mod span;

pub use diagnostic::{Diagnostic, DocId, Severity};
pub use span::{LineIndex, Location, Position, Span, Spanned, Str};
pub mod api;
pub mod arn;
pub mod cloudtrail;
pub mod condition;
pub mod eval;
pub mod glob;
pub mod lint;
pub mod operator;
pub mod policy;
pub mod request;
pub mod scenario;
pub mod trace;
pub mod variables;
pub mod walk;

pub use eval::{evaluate, CompiledSet, Named, PolicySet};
pub use scenario::{parse as parse_scenario, parse_many as parse_scenarios, ParsedScenario, Scenario};
pub use trace::{Answer, Decision};
