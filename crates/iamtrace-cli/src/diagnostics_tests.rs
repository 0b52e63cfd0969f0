use super::*;

fn input(text: &str) -> Input {
    Input::from_bytes("f.json".into(), text.as_bytes().to_vec())
}

fn root(input: &Input) -> Vec<Document<'_>> {
    vec![Document { text: Cow::Borrowed(input.lossy()), origin: Origin::Root { base: 0 } }]
}

const PLAIN: Style = Style { color: false };

#[test]
fn small_files_render_like_a_compiler() {
    let text = "{\n  \"Statement\": {\"Effect\": \"deny\"}\n}\n";
    let i = input(text);
    let at = text.find("\"deny\"").unwrap();
    let d = Diagnostic::error(
        iamtrace::diagnostic::Code::StatementInvalidEffect,
        Span::from_range(at, at + 6),
        "invalid `Effect` `deny`",
    )
    .with_help("write `Deny`");
    let out = Reporter::new().render(&i, &root(&i), &[d], PLAIN);
    let expected = "error[statement-invalid-effect]: invalid `Effect` `deny`
 --> f.json:2:27
  |
2 |   \"Statement\": {\"Effect\": \"deny\"}
  |                           ^^^^^^
  |
  = help: write `Deny`

";
    assert_eq!(out, expected);
}

#[test]
fn a_span_of_megabytes_shows_its_start_and_length() {
    let policy = format!("{{\"Statement\":[{}]}}", "{\"Effect\":\"Allow\"},".repeat(400_000));
    let text = format!("{{\"policies\":{{\"identity\":[{policy}]}}}}");
    let i = input(&text);
    let at = text.find("{\"Statement").unwrap();
    let d = Diagnostic::error(
        iamtrace::diagnostic::Code::PolicyTooLarge,
        Span::from_range(at, at + policy.len()),
        "too large",
    );
    let t = std::time::Instant::now();
    let out = Reporter::new().render(&i, &root(&i), &[d], PLAIN);
    assert!(out.len() < 1000, "{} bytes: {out}", out.len());
    assert!(out.contains("--> f.json:1:26"), "{out}");
    assert!(out.contains(&format!("span of {} bytes", thousands(policy.len()))), "{out}");
    assert!(out.contains("...\n"), "the cut side is marked: {out}");
    assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
}

#[test]
fn columns_are_the_files_on_long_lines() {
    let text = format!("{}\"x\"{}\n", "é".repeat(5000), " ".repeat(5000));
    let i = input(&text);
    let at = text.find('"').unwrap();
    let d = Diagnostic::error(iamtrace::diagnostic::Code::JsonSyntax, Span::from_range(at, at + 3), "m");
    for color in [false, true] {
        let out = Reporter::new().render(&i, &root(&i), std::slice::from_ref(&d), Style { color });
        assert!(out.contains("f.json:1:5001"), "{out}");
        assert!(out.contains("...ééé"), "{out}");
        assert!(out.len() < 1500, "{out}");
    }
}

#[test]
fn far_labels_get_their_own_excerpt() {
    let text = format!("{{\"a\": 1,{}\n\"a\": 2}}", " ".repeat(10_000));
    let i = input(&text);
    let second = text.rfind("\"a\"").unwrap();
    let d = Diagnostic::error(
        iamtrace::diagnostic::Code::JsonDuplicateKey,
        Span::from_range(second, second + 3),
        "duplicate key `a`",
    )
    .with_label(Span::new(1, 4), "first defined here");
    let out = Reporter::new().render(&i, &root(&i), &[d], PLAIN);
    assert!(out.contains("--> f.json:2:1"), "{out}");
    assert!(out.contains("::: f.json:1:2"), "{out}");
    assert!(out.contains("first defined here"), "{out}");
    assert!(out.len() < 1500, "{out}");
    // A label in the excerpt is drawn there.
    let text = "{\"a\": 1, \"a\": 2}";
    let i = input(text);
    let d = Diagnostic::error(iamtrace::diagnostic::Code::JsonDuplicateKey, Span::new(10, 13), "duplicate key `a`")
        .with_label(Span::new(1, 4), "first defined here");
    let out = Reporter::new().render(&i, &root(&i), &[d], PLAIN);
    assert!(!out.contains(":::"), "{out}");
    assert!(out.contains("--> f.json:1:11"), "{out}");
    assert!(out.contains("first defined here"), "{out}");
}

#[test]
fn many_diagnostics_are_counted_not_shown() {
    let text = "x".repeat(200_000);
    let i = input(&text);
    let diags: Vec<Diagnostic> = (0..100_000u32)
        .map(|n| Diagnostic::error(iamtrace::diagnostic::Code::JsonSyntax, Span::new(n, n + 1), "m"))
        .collect();
    let mut r = Reporter::new();
    let out = r.render(&i, &root(&i), &diags, PLAIN);
    assert_eq!(out.matches("error[json-syntax]").count(), MAX_DIAGNOSTICS);
    assert_eq!(r.omitted(), 99_950);
    let summary = r.summary(PLAIN).unwrap();
    assert!(summary.contains("99,950 more errors not shown"), "{summary}");
    assert!(summary.contains("f.json:1:51"), "{summary}");
    // A second document of the same run shows nothing more.
    assert_eq!(r.render(&i, &root(&i), &diags, PLAIN), "");
    assert_eq!(r.omitted(), 199_950);
}

#[test]
fn long_messages_stay_within_the_byte_budget() {
    let text = "\u{1b}[2J".repeat(50_000);
    let i = input(&text);
    let long = "\u{1b}]0;pwned\u{7}".repeat(10_000);
    let diags: Vec<Diagnostic> = (0..1000u32)
        .map(|n| {
            Diagnostic::error(iamtrace::diagnostic::Code::JsonSyntax, Span::new(n * 40, n * 40 + 300), long.clone())
                .with_help(long.clone())
                .with_label(Span::new(0, 10), long.clone())
        })
        .collect();
    let mut r = Reporter::new();
    let out = r.render(&i, &root(&i), &diags, PLAIN);
    assert!(out.len() < MAX_BYTES + 8 * 1024, "{}", out.len());
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "no control characters reach the terminal");
    let mut r = Reporter::new();
    let json = serde_json::Value::Array(r.json(&i, &root(&i), &diags).0).to_string();
    assert!(json.len() < 64 * 1024, "{}", json.len());
}

#[test]
fn json_says_how_many_were_left_out_and_where() {
    let text = "ab\ncd\n".repeat(100);
    let i = input(&text);
    let diags: Vec<Diagnostic> = (0..200u32)
        .map(|n| {
            Diagnostic::warning(iamtrace::diagnostic::Code::ConditionInvalidValue, Span::new(n * 3, n * 3 + 1), "m")
        })
        .collect();
    let mut r = Reporter::new();
    let (items, omitted) = r.json(&i, &root(&i), &diags);
    assert_eq!(items.len(), MAX_DIAGNOSTICS);
    assert_eq!(omitted, 150);
    assert_eq!((items[1]["line"].as_u64(), items[1]["column"].as_u64()), (Some(2), Some(1)));
    let last = r.omitted_json().unwrap();
    assert_eq!(last["code"], OMITTED_CODE.as_str());
    assert_eq!(last["severity"], "WARNING");
    assert_eq!(last["message"], "150 more warnings not shown");
    assert_eq!((last["line"].as_u64(), last["column"].as_u64()), (Some(51), Some(1)));
    assert!(Reporter::new().omitted_json().is_none());
}

#[test]
fn invalid_utf8_is_shown_where_it_starts() {
    let mut bytes = b"{\n  \"a\": \"".to_vec();
    bytes.extend([0xff; 100_000]);
    let i = Input::from_bytes("f.json".into(), bytes);
    let d = i.text().unwrap_err();
    let out = render_plain(&i, &d, PLAIN);
    assert!(out.contains("--> f.json:2:9"), "{out}");
    assert!(out.len() < 1000, "{out}");
}

#[test]
fn headers_carry_the_files_position_even_for_empty_lines() {
    let text = "{\n  \"a\": 1\n}\n";
    let i = input(text);
    let d = Diagnostic::error(
        iamtrace::diagnostic::Code::JsonSyntax,
        Span::from_range(text.len(), text.len()),
        "at the end",
    );
    for color in [false, true] {
        let out = Reporter::new().render(&i, &root(&i), std::slice::from_ref(&d), Style { color });
        assert!(out.contains("f.json:4:1"), "{out}");
    }
    // A source line that looks like a header is left alone.
    let text = "--> f.json:9:9\n\"x\"";
    let i = input(text);
    let d = Diagnostic::error(iamtrace::diagnostic::Code::JsonSyntax, Span::new(15, 18), "m")
        .with_label(Span::new(0, 3), "here");
    let out = Reporter::new().render(&i, &root(&i), &[d], PLAIN);
    assert!(out.contains("--> f.json:2:1\n"), "{out}");
    assert!(out.contains("::: f.json:1:1\n"), "{out}");
    assert!(out.contains("1 | --> f.json:9:9"), "{out}");
}

#[test]
fn a_label_repeating_a_span_over_lines_is_drawn_safely() {
    let text = "{\n  \"é\": \"ü\"\n}";
    let i = input(text);
    // The span ends just after a two-byte character, on the second line.
    let end = text.find('ü').unwrap() + 'ü'.len_utf8();
    let d = Diagnostic::error(iamtrace::diagnostic::Code::JsonSyntax, Span::from_range(0, end), "m")
        .with_label(Span::from_range(0, end), "same");
    let out = Reporter::new().render(&i, &root(&i), &[d], PLAIN);
    assert!(out.contains("same"), "{out}");
}
