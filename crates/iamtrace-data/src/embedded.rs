//! The data files built into the binary (feature `embed`): deflate-compressed
//! at build time, inflated and read on first use, then kept for the life of
//! the process.
//!
//! Embedding the raw text would add 6.1 MB to the binary; compressed it adds
//! 0.9 MB, and inflating the 1 MB reference takes a few milliseconds.
//!
//! What the evaluator's text output asks of the reference (a service's name,
//! how many actions a wildcard covers) is answered without it: the service
//! names and action counts are in an index built with the binary, and a
//! service's action names come from its own group of the compressed
//! reference (about 16 KB of text), inflated on first use
//! ([`service_name`], [`count_actions`]).

use std::sync::OnceLock;

use crate::managed::ManagedPolicies;
use crate::reference::ServiceReference;
use crate::text::{cmp_ci, err, header, LoadError, Source};

const SAR_GROUPS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sar.txt.groups"));
const SAR_INDEX: &str = include_str!(concat!(env!("OUT_DIR"), "/sar.txt.index"));
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
            File::Reference => SAR_GROUPS,
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
    if file == File::Reference {
        return inflate_groups();
    }
    inflate(file.packed())
}

/// Every group of the reference, inflated one after the other into one text.
fn inflate_groups() -> Result<String, LoadError> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let groups = &index().groups;
    let total: usize = groups.iter().map(|g| g.2).sum();
    if total > LIMIT {
        return Err(err(0, "embedded data is corrupt: too large"));
    }
    let mut out = vec![0u8; total];
    let mut at = 0;
    let mut r = Box::<DecompressorOxide>::default();
    for (g, &(_, _, raw)) in groups.iter().enumerate() {
        r.init();
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _, written) = decompress(&mut r, group_bytes(g)?, &mut out, at, flags);
        if status != TINFLStatus::Done || written != raw {
            return Err(err(
                0,
                format!("embedded data is corrupt: group {g} inflates to {written} bytes ({status:?})"),
            ));
        }
        at += written;
    }
    String::from_utf8(out)
        .map_err(|e| err(0, format!("embedded data is not UTF-8 at byte {}", e.utf8_error().valid_up_to())))
}

fn inflate(packed: &[u8]) -> Result<String, LoadError> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(packed, LIMIT)
        .map_err(|e| err(0, format!("embedded data is corrupt: {e:?}")))?;
    String::from_utf8(bytes)
        .map_err(|e| err(0, format!("embedded data is not UTF-8 at byte {}", e.utf8_error().valid_up_to())))
}

/// The index of the compressed reference (see `build.rs`).
#[derive(Debug, Default)]
struct Index {
    /// Offset and length of each group in `SAR_GROUPS`, and its inflated length.
    groups: Vec<(usize, usize, usize)>,
    /// Services in file order (by lowercase prefix).
    services: Vec<IndexedService>,
}

#[derive(Debug)]
struct IndexedService {
    prefix: &'static str,
    name: &'static str,
    group: usize,
    actions: usize,
}

fn index() -> &'static Index {
    static CELL: OnceLock<Index> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut index = Index::default();
        for line in SAR_INDEX.lines() {
            let f: Vec<&'static str> = line.split('\t').collect();
            let n = |i: usize| f.get(i).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            match f.first() {
                Some(&"g") => index.groups.push((n(1), n(2), n(3))),
                Some(&"s") => index.services.push(IndexedService {
                    prefix: f.get(1).copied().unwrap_or(""),
                    name: f.get(2).copied().unwrap_or(""),
                    group: n(3),
                    actions: n(4),
                }),
                _ => {}
            }
        }
        index
    })
}

fn group_bytes(g: usize) -> Result<&'static [u8], LoadError> {
    let (offset, len, _) =
        index().groups.get(g).copied().ok_or_else(|| err(0, "embedded data is corrupt: no group"))?;
    SAR_GROUPS.get(offset..offset + len).ok_or_else(|| err(0, "embedded data is corrupt: a group out of range"))
}

/// The text of group `g` of the reference, inflated once.
fn group_text(g: usize) -> Option<&'static str> {
    static CELLS: OnceLock<Vec<OnceLock<Option<String>>>> = OnceLock::new();
    let cells = CELLS.get_or_init(|| (0..index().groups.len()).map(|_| OnceLock::new()).collect());
    cells.get(g)?.get_or_init(|| group_bytes(g).and_then(inflate).ok()).as_deref()
}

fn indexed_service(prefix: &str) -> Option<&'static IndexedService> {
    let services = &index().services;
    services.binary_search_by(|s| cmp_ci(s.prefix, prefix)).ok().and_then(|i| services.get(i))
}

/// The name of the service `prefix` (`Amazon S3` for `s3`; ASCII
/// case-insensitive), as [`ServiceReference::service`] gives it, without
/// inflating the reference.
pub fn service_name(prefix: &str) -> Option<&'static str> {
    indexed_service(prefix).map(|s| s.name)
}

/// How many actions an action pattern covers, as
/// [`ServiceReference::count`] counts them, inflating only the group of the
/// pattern's service (nothing for `*`); `None` when the data is corrupt.
pub fn count_actions(pattern: &str) -> Option<usize> {
    if pattern == "*" {
        return Some(index().services.iter().map(|s| s.actions).sum());
    }
    let Some((service, name)) = pattern.split_once(':') else { return Some(0) };
    let Some(svc) = indexed_service(service) else { return Some(0) };
    let text = group_text(svc.group)?;
    // The service's lines: from its `S` line to the next service's.
    let head = format!("S\t{}\t", svc.prefix);
    let start = text.find(&head)?;
    let lines = text.get(start..)?.lines().skip(1).take_while(|l| !l.starts_with("S\t"));
    let names = lines.filter_map(|l| l.strip_prefix("A\t")).map(|l| l.split('\t').next().unwrap_or(""));
    if !name.contains(['*', '?']) {
        return Some(names.filter(|n| n.eq_ignore_ascii_case(name)).count());
    }
    let pattern = iamtrace::glob::escape(name);
    Some(names.filter(|n| iamtrace::glob::matches_ignore_case(&pattern, n)).count())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grouped_reference_inflates_to_the_file() {
        let text = text(File::Reference).unwrap();
        assert_eq!(text, include_str!("../data/sar.txt"));
        assert!(index().groups.len() > 10, "the reference is cut into groups");
    }

    #[test]
    fn names_and_counts_from_the_index_match_the_reference() {
        let r = reference().unwrap();
        assert_eq!(index().services.len(), r.services().len());
        assert_eq!(count_actions("*"), Some(r.count("*")));
        let mut counted = 0;
        for s in r.services() {
            assert_eq!(service_name(s.prefix()), Some(s.name()), "{}", s.prefix());
            assert_eq!(service_name(&s.prefix().to_uppercase()), Some(s.name()));
            for name in ["*", "Get*", "*Tag*", "?et*", "List*", "Describe*Instance?", "describe*", "*s", s.prefix()] {
                let pattern = format!("{}:{name}", s.prefix());
                assert_eq!(count_actions(&pattern), Some(r.count(&pattern)), "{pattern}");
                counted += r.count(&pattern);
            }
            if let Some(a) = s.actions().next() {
                assert_eq!(count_actions(&a.full_name()), Some(1));
            }
        }
        assert!(counted > 20_000, "the patterns cover actions");
        for pattern in ["nosuch:*", "s3", "*:Get*", "", "s3:"] {
            assert_eq!(count_actions(pattern), Some(r.count(pattern)), "{pattern}");
        }
        assert_eq!(service_name("nosuch"), None);
    }
}
