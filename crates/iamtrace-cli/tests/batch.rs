//! Many scenarios at once: read and evaluated on every core, printed in
//! input order, the same whatever the number of threads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;

fn run(args: &[&str], threads: usize) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_iamtrace"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("iamtrace runs");
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (s(&out.stdout), s(&out.stderr), out.status.code().unwrap_or(-1))
}

fn temp(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamtrace-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

/// Scenario `i`: allowed, implicitly denied, explicitly denied, or invalid, by `i % 4`.
fn scenario(i: usize) -> String {
    let (action, effect, expected) = match i % 4 {
        0 => ("s3:GetObject", "Allow", "Allow"),
        1 => ("s3:PutObject", "Allow", "ImplicitDeny"),
        2 => ("s3:GetObject", "Deny", "ExplicitDeny"),
        _ => ("s3:GetObject", "allow", "Allow"),
    };
    format!(
        r#"{{"name": "s{i}", "policies": {{"identity": [{{"Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/{i}"}}, {{"Effect": "{effect}", "Action": "s3:GetObject", "Resource": "*"}}]}}]}},
  "request": {{"principal": "arn:aws:iam::111122223333:user/u{i}", "action": "{action}", "resource": "arn:aws:s3:::b/k{i}"}}, "expected": "{expected}"}}"#
    )
}

#[test]
fn many_scenarios_print_in_input_order_whatever_the_threads() {
    // More than one chunk of the ordered pipeline (256), as an array and as JSON Lines.
    let n = 700;
    let all: Vec<String> = (0..n).map(scenario).collect();
    let array = temp("many.json", &format!("[\n{}\n]\n", all.join(",\n")));
    let lines = temp("many.jsonl", &(all.iter().map(|s| s.replace('\n', " ")).collect::<Vec<_>>().join("\n") + "\n"));
    for file in [&array, &lines] {
        let f = file.to_str().unwrap();
        let (jsonl, _, code) = run(&["eval", "--format", "jsonl", f], 2);
        assert_eq!(code, 1, "the invalid scenarios fail the run");
        let rows: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), n);
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row["name"], format!("s{i}"), "in input order");
            let expected = ["Allow", "ImplicitDeny", "ExplicitDeny"].get(i % 4);
            match expected {
                Some(d) => assert_eq!(row["decision"], *d, "s{i}"),
                None => assert!(row["error"].as_str().unwrap().contains("`Effect`"), "s{i}: {row}"),
            }
        }
        // The decision-only output agrees with the full evaluation's.
        let (json, _, _) = run(&["eval", "--format", "json", f], 2);
        let full: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        for (row, full) in rows.iter().zip(&full) {
            assert_eq!(row["name"], full["name"]);
            assert_eq!(row.get("decision"), full.get("decision"));
        }
        // One thread or two: the same bytes, on every output.
        for args in [["eval", "--format", "jsonl"], ["eval", "--format", "json"], ["eval", "--format", "text"]] {
            let mut a = args.to_vec();
            a.push(f);
            assert_eq!(run(&a, 1), run(&a, 2), "{args:?}");
        }
        let (one, _, code) = run(&["test", f], 1);
        assert_eq!(code, 1);
        assert_eq!(run(&["test", f], 2).0, one);
        assert!(one.ends_with(&format!("{} passed, {} failed\n", n - n / 4, n / 4)), "{one}");
    }
}

#[test]
fn an_array_that_does_not_read_apart_gives_the_sequential_errors() {
    // A duplicate key in the second element: the whole file is one JSON error, as before.
    let all = [scenario(0), scenario(1).replacen("\"name\"", "\"name\": \"x\", \"name\"", 1), scenario(2)];
    let f = temp("dup.json", &format!("[{}]", all.join(",")));
    let (out, _, code) = run(&["eval", "--format", "jsonl", f.to_str().unwrap()], 2);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("duplicate"), "{out}");
}
