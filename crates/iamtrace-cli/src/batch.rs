//! Many scenarios on every core: reading and evaluating them in parallel
//! (rayon), printing in input order.
//!
//! The file is cut into scenarios (`iamtrace::scenario::split_many`), each
//! read on its own; then scenarios are evaluated and rendered in chunks, each
//! chunk on every core, and its output written in order before the next
//! starts, so the output held at once stays bounded. A single scenario
//! stays on the calling thread (no thread pool to start).

use std::io::Write;

use iamtrace::scenario::PolicyLibrary;
use iamtrace::{CompiledSet, ParsedScenario};
use rayon::prelude::*;

use crate::error::Result;

/// Scenarios evaluated between two writes.
const CHUNK: usize = 256;

fn library() -> Option<&'static dyn PolicyLibrary> {
    Some(&iamtrace_data::embedded::Library)
}

/// Every scenario of `text`, as `iamtrace::parse_scenarios` reads them, read
/// in parallel when the file holds several.
pub fn read(text: &str) -> Vec<ParsedScenario<'_>> {
    let Some(split) = iamtrace::scenario::split_many(text) else {
        return iamtrace::parse_scenarios(text, library());
    };
    if split.len() < 2 {
        return split.read_all(library());
    }
    let apart: Option<Vec<ParsedScenario<'_>>> =
        (0..split.len()).into_par_iter().map(|i| split.read(i, library())).collect();
    // A part that does not read as it would in sequence: the whole file in sequence, for its errors.
    apart.unwrap_or_else(|| iamtrace::parse_scenarios(text, library()))
}

/// Maps every item with `f` (in parallel when there are several) and hands
/// the results to `sink` with their items, in input order, a chunk at a time.
pub fn ordered<T, R>(
    items: &[T],
    f: impl Fn(usize, &T) -> R + Sync,
    mut sink: impl FnMut(usize, &T, R) -> Result<()>,
) -> Result<()>
where
    T: Sync,
    R: Send,
{
    if items.len() < 2 {
        for (i, item) in items.iter().enumerate() {
            sink(i, item, f(i, item))?;
        }
        return Ok(());
    }
    for (c, chunk) in items.chunks(CHUNK).enumerate() {
        let base = c * CHUNK;
        let results: Vec<R> = chunk.par_iter().enumerate().map(|(i, item)| f(base + i, item)).collect();
        for (i, (item, r)) in chunk.iter().zip(results).enumerate() {
            sink(base + i, item, r)?;
        }
    }
    Ok(())
}

/// The decision alone, compiling the scenario's policies for it (for
/// outputs that print nothing else).
pub fn decide(parsed: &ParsedScenario<'_>) -> std::result::Result<iamtrace::Decision, Vec<iamtrace::Diagnostic>> {
    let scenario = parsed.scenario.as_ref().ok_or_else(|| parsed.diagnostics.clone())?;
    CompiledSet::for_one_request(&scenario.policies).decide(&scenario.request)
}

/// A JSON array of pretty-printed values, written as they come, laid out
/// as `serde_json::to_string_pretty` lays out the whole array.
#[derive(Debug, Default)]
pub struct PrettyArray {
    count: usize,
}

impl PrettyArray {
    pub fn new() -> Self {
        PrettyArray { count: 0 }
    }

    /// Writes one element, given pretty-printed on its own.
    pub fn push(&mut self, out: &mut impl Write, pretty: &str) -> Result<()> {
        out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        // JSON strings hold no raw line breaks: every line is the value's own.
        for (i, line) in pretty.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(b"  ")?;
            out.write_all(line.as_bytes())?;
        }
        self.count += 1;
        Ok(())
    }

    /// Closes the array (and its line).
    pub fn finish(self, out: &mut impl Write) -> Result<()> {
        out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_arrays_are_laid_out_as_serde_json_lays_them_out() {
        let items = [
            serde_json::json!({"a": [1, {"b": "x\ny"}], "c": {}, "d": []}),
            serde_json::json!("s"),
            serde_json::json!([]),
            serde_json::json!({"e": [[1, 2], {"f": null}]}),
        ];
        for n in 0..=items.len() {
            let some = &items[..n];
            let mut out = Vec::new();
            let mut array = PrettyArray::new();
            for v in some {
                array.push(&mut out, &serde_json::to_string_pretty(v).unwrap()).unwrap();
            }
            array.finish(&mut out).unwrap();
            let whole = serde_json::to_string_pretty(&serde_json::Value::Array(some.to_vec())).unwrap() + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), whole);
        }
    }

    #[test]
    fn results_come_in_input_order() {
        let items: Vec<usize> = (0..CHUNK * 3 + 7).collect();
        let mut seen = Vec::new();
        ordered(
            &items,
            |i, x| {
                assert_eq!(i, *x);
                x * 2
            },
            |i, x, r| {
                assert_eq!(i, *x);
                seen.push((i, r));
                Ok(())
            },
        )
        .unwrap();
        let expected: Vec<(usize, usize)> = items.iter().map(|&x| (x, x * 2)).collect();
        assert_eq!(seen, expected);
    }
}
