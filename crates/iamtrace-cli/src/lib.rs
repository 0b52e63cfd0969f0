//! The pieces of the `iamtrace` command line, as a library so tests and
//! fuzz targets can reach the renderer; `main.rs` only parses arguments.

pub mod batch;
pub mod chain;
pub mod cloudtrail;
pub mod commands;
pub mod diagnostics;
pub mod error;
pub mod input;
pub mod lint;
pub mod render;
pub mod snippet;
pub mod style;
