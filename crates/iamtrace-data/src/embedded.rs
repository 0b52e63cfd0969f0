//! The data files built into the binary (feature `embed`): deflate-compressed
//! at build time, inflated and read on first use, then kept for the life of
//! the process.
//!
//! Embedding the raw text would add 6.1 MB to the binary; compressed it adds
//! 0.9 MB, and inflating the 1 MB reference takes a few milliseconds.

use std::sync::OnceLock;

use crate::managed::ManagedPolicies;
use crate::reference::ServiceReference;
use crate::text::{err, header, LoadError, Source};

const SAR: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sar.txt.deflate"));
const SAR_DESC: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sar-desc.txt.deflate"));
const MANAGED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/managed.txt.deflate"));

const SAR_HEADER: &str = include_str!(concat!(env!("OUT_DIR"), "/sar.txt.header"));
const MANAGED_HEADER: &str = include_str!(concat!(env!("OUT_DIR"), "/managed.txt.header"));

/// Inflated files are far below this; it guards against a corrupt build.
const LIMIT: usize = 64 << 20;

/// Which embedded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    /// `sar.txt`: the service authorization reference.
    Reference,
    /// `sar-desc.txt`: descriptions of actions and condition keys.
    Descriptions,
    /// `managed.txt`: AWS managed policies.
    Managed,
}

impl File {
    fn packed(self) -> &'static [u8] {
        match self {
            File::Reference => SAR,
            File::Descriptions => SAR_DESC,
            File::Managed => MANAGED,
        }
    }

    /// Size in the binary (deflate).
    pub fn compressed_len(self) -> usize {
        self.packed().len()
    }
}

/// The text of an embedded file.
pub fn text(file: File) -> Result<String, LoadError> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(file.packed(), LIMIT)
        .map_err(|e| err(0, format!("embedded data is corrupt: {e:?}")))?;
    String::from_utf8(bytes)
        .map_err(|e| err(0, format!("embedded data is not UTF-8 at byte {}", e.utf8_error().valid_up_to())))
}

/// The packages the embedded data was generated from (without inflating it).
pub fn sources() -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for s in header(SAR_HEADER, "sar").into_iter().chain(header(MANAGED_HEADER, "managed")).flatten() {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The service authorization reference, without descriptions.
pub fn reference() -> Result<&'static ServiceReference, LoadError> {
    static CELL: OnceLock<Result<ServiceReference, LoadError>> = OnceLock::new();
    CELL.get_or_init(|| ServiceReference::parse(text(File::Reference)?)).as_ref().map_err(Clone::clone)
}

/// The service authorization reference with descriptions.
pub fn reference_with_descriptions() -> Result<&'static ServiceReference, LoadError> {
    static CELL: OnceLock<Result<ServiceReference, LoadError>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut r = ServiceReference::parse(text(File::Reference)?)?;
        r.load_descriptions(text(File::Descriptions)?)?;
        Ok(r)
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The AWS managed policies.
pub fn managed() -> Result<&'static ManagedPolicies, LoadError> {
    static CELL: OnceLock<Result<ManagedPolicies, LoadError>> = OnceLock::new();
    CELL.get_or_init(|| ManagedPolicies::parse(text(File::Managed)?)).as_ref().map_err(Clone::clone)
}

/// The embedded managed policies as a [`PolicyLibrary`], inflated only when
/// a scenario first names a managed policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct Library;

impl iamtrace::scenario::PolicyLibrary for Library {
    fn managed_policy(&self, name_or_arn: &str) -> Option<iamtrace::scenario::ManagedPolicy> {
        managed().ok()?.managed_policy(name_or_arn)
    }
}

/// `iamtrace-data` sources for `--version`: one line per package.
pub fn version_lines() -> String {
    sources().iter().map(|s| format!("data: {s}")).collect::<Vec<_>>().join("\n")
}
