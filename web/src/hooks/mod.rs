//! The page's hooks, each named after what it is for. The root component
//! calls them and wires what they return to the panels.
//!
//! - [`scenario`]: the state, booted from the link, and opening another one;
//! - [`url_sync`]: the address bar follows the state; pasted links open;
//! - [`aws_data`]: the AWS knowledge, loaded after the first render;
//! - [`evaluation`]: the evaluation, the checks' findings, the answer shown;
//! - [`selection`]: what was picked, and the highlights derived from it;
//! - [`appearance`]: theme and embed layout;
//! - [`editor_events`]: requests from the editors' tooltips;
//! - [`walk`]: the chain scenario walked (in the knowledge module).

pub mod appearance;
pub mod aws_data;
pub mod editor_events;
pub mod evaluation;
pub mod scenario;
pub mod selection;
pub mod url_sync;
pub mod walk;
