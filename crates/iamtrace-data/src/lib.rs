//! AWS knowledge for iamtrace: the service authorization reference
//! (services, actions, resource types, condition keys) and AWS managed
//! policies.
//!
//! Pure Rust, no I/O: the loaders take the files' text given at run time
//! ([`ServiceReference::parse`], [`ServiceReference::from_bytes`],
//! [`ManagedPolicies::parse`]), so the browser can fetch them lazily. With
//! the `embed` feature, the `embedded` module has them built in.
//!
//! # Files
//!
//! `data/` holds three generated text files (`node scripts/gen-data.mjs`;
//! never edited by hand). Each starts with a header line
//! `#iamtrace-data KIND 1 package@version date ...` naming its sources.
//! Fields are separated by TAB, records by LF.
//!
//! `sar.txt` (kind `sar`): one line per item; `#` lines are comments.
//! - `G key type category`: a global condition key.
//! - `U prefix services`: a condition-key prefix owned by services (`saml` → `sts`).
//! - `S prefix name`: a service; the `K`, `R`, `A` lines that follow belong to it.
//! - `K key type`: a condition key (numbered from 0 within the service).
//! - `R name arns keys`: a resource type (numbered from 0 within the
//!   service): ARN formats joined by `|`, its condition keys as `K` numbers.
//! - `A name access resources keys`: an action. Access is `L`ist, `R`ead,
//!   `W`rite, `T`agging or `P`ermissions management. Resources are
//!   comma-separated `R` numbers, `!` when required, then `/` and the
//!   `K` numbers that apply with that resource type, joined by `.`. Keys
//!   are comma-separated `K` numbers.
//! - `X name`: a service prefix or action that AWS managed policies use but
//!   the reference does not list (retired or undocumented).
//!
//! Services are sorted by lowercase prefix, and within a service keys,
//! resource types and actions by lowercase name. Condition-key placeholders
//! are written `${Name}` (`aws:RequestTag/${TagKey}`).
//!
//! `sar-desc.txt` (kind `sar-desc`): for each service an `S prefix` line,
//! then the description of each of its condition keys and actions, one per
//! line, in the order of `sar.txt`.
//!
//! `managed.txt` (kind `managed`): two lines per policy, sorted by lowercase
//! name: `P name path version updated`, then the document as minified JSON.

mod arn_format;
#[cfg(feature = "embed")]
pub mod embedded;
mod knowledge;
mod managed;
pub mod overview;
mod reference;
mod text;

pub use arn_format::pattern_fits;
pub use managed::{pretty, ManagedPolicies, ManagedPolicyRef};
pub use reference::{
    Action, ConditionKey, Counts, GlobalKey, KeyRef, ResourceType, ResourceTypeUse, Service, ServiceReference,
};
pub use text::{LoadError, Source};
