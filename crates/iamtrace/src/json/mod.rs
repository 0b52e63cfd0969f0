//! A small JSON reader that keeps the byte span of every value and key.
//!
//! Written for this crate rather than taken from a library because policy
//! errors must point at the exact text: we need spans for keys and values,
//! duplicate-key errors that show both occurrences, a hard nesting limit
//! (10,000 nested arrays must not overflow the stack, in wasm least of all),
//! and zero-copy strings for speed. It accepts exactly RFC 8259 JSON.

mod parser;
mod pull;
mod value;

pub use parser::{parse, parse_bytes, MAX_DEPTH};
pub use pull::{Arr, Kind, Obj, Pull, PullResult, Scalar};
pub use value::{Member, Node, Value};

#[cfg(test)]
mod tests;
