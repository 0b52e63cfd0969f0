//! Every chain scenario of `tests/corpus/sts-chain.json` and of the
//! walkthrough examples walks as its `expected` and `expected_hops` say.
//! Managed policies come from the generated data file, read here directly
//! (the core crate does not depend on the data crate).
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::borrow::Cow;
use std::path::PathBuf;

use iamtrace::scenario::{ManagedPolicy, PolicyLibrary};
use iamtrace::walk::{parse_file, Parsed};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// AWS managed policies from `crates/iamtrace-data/data/managed.txt`:
/// a `P<TAB>name<TAB>path<TAB>...` line, then the document on one line.
struct Managed(Vec<ManagedPolicy>);

impl Managed {
    fn load() -> Managed {
        let text = std::fs::read_to_string(root().join("crates/iamtrace-data/data/managed.txt")).unwrap();
        let mut out = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(rest) = line.strip_prefix("P\t") else { continue };
            let mut parts = rest.split('\t');
            let (name, path) = (parts.next().unwrap(), parts.next().unwrap());
            let doc = lines.next().unwrap();
            out.push(ManagedPolicy {
                name: name.to_owned(),
                arn: format!("arn:aws:iam::aws:policy{path}{name}"),
                text: Cow::Owned(doc.to_owned()),
            });
        }
        assert!(out.len() > 1000, "managed policies were read: {}", out.len());
        Managed(out)
    }
}

impl PolicyLibrary for Managed {
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy> {
        self.0.iter().find(|p| p.arn == name_or_arn || p.name == name_or_arn).cloned()
    }
}

#[test]
fn chain_scenarios_walk_as_expected() {
    let library = Managed::load();
    let mut files = vec![root().join("tests/corpus/sts-chain.json")];
    for e in std::fs::read_dir(root().join("examples")).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap().to_string_lossy().starts_with("sts-") {
            files.push(p);
        }
    }
    let (mut count, mut failures) = (0, Vec::new());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for parsed in parse_file(&text, Some(&library)) {
            let Parsed::Chain(p) = parsed else { panic!("{}: a plain scenario among the chains", path.display()) };
            let name = p.name.clone().unwrap_or_default();
            let Some(chain) = p.chain else {
                failures.push(format!("{name}: invalid: {:?}", p.diagnostics));
                continue;
            };
            let walk = chain.walk();
            // Each evaluation of the walk replays as a plain scenario (what the
            // page's "open in playground" and replay do) to the same decision.
            for a in walk.hops.iter().flat_map(|h| &h.authorizations) {
                let input = a.evaluated.input(&p.docs).expect("spans fit");
                let again = iamtrace::api::evaluate_with(&input, Some(&library));
                let errors: Vec<_> = again.diagnostics.iter().filter(|d| d.diagnostic.is_error()).collect();
                match again.answer {
                    Some(answer) if answer.decision == a.answer.decision => {}
                    _ => failures.push(format!("{name}: `{}` does not replay: {errors:?}", a.action)),
                }
            }
            let mismatches = chain.check(&walk).expect("every case states its expectations");
            assert!(chain.expected_hops.is_some(), "{name}: every case has `expected_hops`");
            count += 1;
            if !mismatches.is_empty() {
                failures.push(format!("{name}: {}", mismatches.join("; ")));
            }
        }
    }
    assert!(count >= 80, "only {count} chain cases");
    assert!(failures.is_empty(), "{} of {count} failed:\n{}", failures.len(), failures.join("\n"));
}
