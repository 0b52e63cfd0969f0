//! Files that mix plain scenarios and chain scenarios: one object, an
//! array, or JSON Lines. A file with no `chain` anywhere is read exactly as
//! [`crate::scenario::parse_many`] reads it.

use super::ParsedChain;
use crate::json::{Kind, Pull, PullResult};
use crate::scenario::{self, ParsedScenario, PolicyLibrary};

/// One scenario of a file.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "a file holds a handful of scenarios; boxing would only add noise for callers"
)]
pub enum Parsed<'a> {
    Scenario(ParsedScenario<'a>),
    Chain(ParsedChain<'a>),
}

/// A scenario object of the file: its byte range and whether it has `chain`.
struct Entry {
    start: usize,
    end: usize,
    chain: bool,
}

/// Whether the object at the reader has a top-level `chain` key; skips it.
fn object_has_chain(pull: &mut Pull<'_>) -> PullResult<bool> {
    if pull.peek()? != Kind::Object {
        pull.skip()?;
        return Ok(false);
    }
    let mut obj = pull.open_object()?;
    let mut chain = false;
    while let Some((k, _)) = pull.key(&mut obj)? {
        chain |= k == "chain";
        pull.skip()?;
    }
    Ok(chain)
}

fn entries_of(text: &str) -> PullResult<Vec<Entry>> {
    let mut pull = Pull::new(text);
    let mut out = Vec::new();
    if pull.peek()? == Kind::Array {
        let mut arr = pull.open_array()?;
        while pull.item(&mut arr)? {
            pull.peek()?;
            let start = pull.pos();
            let chain = object_has_chain(&mut pull)?;
            out.push(Entry { start, end: pull.pos(), chain });
        }
    } else {
        pull.peek()?;
        let start = pull.pos();
        let chain = object_has_chain(&mut pull)?;
        out.push(Entry { start, end: pull.pos(), chain });
    }
    pull.finish()?;
    Ok(out)
}

/// The scenario objects of a file, or `None` when it is not valid JSON
/// (nor JSON Lines of valid objects).
fn entries(text: &str) -> Option<Vec<Entry>> {
    if let Ok(e) = entries_of(text) {
        return Some(e);
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            continue;
        }
        let mut pull = Pull::new(body);
        let chain = object_has_chain(&mut pull).and_then(|c| pull.finish().map(|()| c)).ok()?;
        out.push(Entry { start, end: start + body.len(), chain });
    }
    (out.len() > 1).then_some(out)
}

/// Whether any scenario of the file has a `chain`.
pub fn has_chain(text: &str) -> bool {
    // A `chain` key is written `"chain"`, or spelled with `\u` escapes: a
    // file with neither has none, found without reading it all (a file of
    // many plain scenarios then goes on to be read in parallel).
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"\"chain\"").is_none() && memchr::memmem::find(bytes, b"\\u").is_none() {
        return false;
    }
    entries(text).is_some_and(|e| e.iter().any(|e| e.chain))
}

/// Reads every scenario of a file, plain or chain, in order. One bad
/// scenario does not stop the others.
pub fn parse_file<'a>(text: &'a str, library: Option<&dyn PolicyLibrary>) -> Vec<Parsed<'a>> {
    let Some(list) = entries(text).filter(|e| e.iter().any(|e| e.chain)) else {
        return scenario::parse_many(text, library).into_iter().map(Parsed::Scenario).collect();
    };
    list.into_iter()
        .map(|e| {
            let slice = text.get(e.start..e.end).unwrap_or("");
            let base = u32::try_from(e.start).unwrap_or(u32::MAX);
            if e.chain {
                Parsed::Chain(super::parse_at(slice, base, library))
            } else {
                Parsed::Scenario(scenario::parse_at(slice, base, library))
            }
        })
        .collect()
}
