//! The modules of the crate form layers without cycles: every `crate::` path
//! in a module's sources names a module on a lower line of the list in the
//! crate's doc comment (`src/lib.rs`, section "Layers").
// Test code: helpers fail loudly by design (the workspace lints allow this in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layers from the `text` block of the "Layers" section, lowest first.
fn layers(lib: &str) -> Vec<Vec<String>> {
    let doc: Vec<&str> = lib.lines().filter_map(|l| l.strip_prefix("//!")).map(str::trim).collect();
    let section = doc.iter().position(|l| *l == "# Layers").expect("lib.rs has a `# Layers` section");
    let rest = &doc[section..];
    let open = rest.iter().position(|l| *l == "```text").expect("the layers are in a ```text block");
    let close = open + 1 + rest[open + 1..].iter().position(|l| *l == "```").expect("the block is closed");
    let mut out: Vec<Vec<String>> = rest[open + 1..close]
        .iter()
        .map(|l| {
            let (names, _) = l.split_once(':').unwrap_or_else(|| panic!("`names: description` expected: {l}"));
            names.split(',').map(|n| n.trim().to_owned()).collect()
        })
        .collect();
    out.reverse();
    out
}

/// The modules named by `crate::` paths in `code`, ignoring comments.
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                out.extend(group[..end].split(',').map(|p| ident(p.trim())).filter(|n| !n.is_empty()));
            } else {
                out.insert(ident(rest));
            }
        }
    }
    out
}

/// The code of a source file that is not test code: test files are skipped,
/// and a file's `#[cfg(test)]` module is cut off (it is the last item:
/// clippy's `items_after_test_module` sees to that).
fn non_test_code(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name == "tests.rs" || name.ends_with("_tests.rs") {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    Some(match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_owned(),
        None => text,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Root re-exports (`pub use span::{Span, ...}` in lib.rs): name -> module.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("pub use ") else { continue };
        let Some((module, names)) = rest.split_once("::") else { continue };
        for name in names.trim_end_matches(';').trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.split(" as ").last().unwrap().trim();
            out.insert(name.to_owned(), module.to_owned());
        }
    }
    out
}

#[test]
fn modules_only_use_lower_layers() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let layers = layers(&lib);
    let rank: BTreeMap<&str, usize> =
        layers.iter().enumerate().flat_map(|(i, names)| names.iter().map(move |n| (n.as_str(), i))).collect();
    let aliases = reexports(&lib);

    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut modules = BTreeSet::new();
    let mut violations = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(src()).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_str().unwrap();
        let module = top.trim_end_matches(".rs");
        if module == "lib" {
            continue;
        }
        modules.insert(module.to_owned());
        let Some(code) = non_test_code(path) else { continue };
        let Some(&own) = rank.get(module) else { continue };
        for used in uses(&code) {
            let used = aliases.get(&used).cloned().unwrap_or(used);
            if used == module {
                continue;
            }
            match rank.get(used.as_str()) {
                Some(&r) if r < own => {}
                Some(_) => {
                    violations.push(format!("{}: `{module}` uses `{used}`, which is not below it", rel.display()))
                }
                None => {
                    violations.push(format!("{}: `crate::{used}` is not a module of the layer list", rel.display()))
                }
            }
        }
    }
    let listed: BTreeSet<String> = rank.keys().map(|k| (*k).to_owned()).collect();
    assert_eq!(listed, modules, "the layer list in lib.rs names every module, once");
    assert_eq!(rank.len(), layers.iter().map(Vec::len).sum::<usize>(), "a module is listed twice");
    assert!(violations.is_empty(), "layering broken:\n{}", violations.join("\n"));
}

#[test]
fn the_scanner_finds_every_form_of_path() {
    let code = "use crate::policy::Statement;\nuse crate::{arn, span::Span};\n// crate::eval in a comment\nlet x = crate::glob::escape(s); // crate::walk\n";
    let found: Vec<String> = uses(code).into_iter().collect();
    assert_eq!(found, ["arn", "glob", "policy", "span"]);
    let lib = "//! # Layers\n//!\n//! ```text\n//! top: a\n//! b, c: b and c\n//! ```\npub use c::{X, Y as Z};\n";
    assert_eq!(layers(lib), [vec!["b".to_owned(), "c".to_owned()], vec!["top".to_owned()]]);
    let aliases = reexports(lib);
    assert_eq!((aliases["X"].as_str(), aliases["Z"].as_str()), ("c", "c"));
}
