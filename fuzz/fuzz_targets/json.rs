//! Stage 1: the JSON reader never panics; every span lies inside the input
//! on character boundaries; and building a tree (`Pull::node`) and only
//! checking (`Pull::skip`) agree on every input (the same span, or the same
//! error code at the same place).
#![no_main]

use iamtrace::json::{self, Node, Pull, Value};
use libfuzzer_sys::fuzz_target;

fn check(node: &Node<'_>, text: &str) {
    let (s, e) = (node.span.start as usize, node.span.end as usize);
    assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
    match &node.value {
        Value::Array(items) => items.iter().for_each(|i| check(i, text)),
        Value::Object(members) => members.iter().for_each(|m| {
            let (ks, ke) = (m.key_span.start as usize, m.key_span.end as usize);
            assert!(ks <= ke && ke <= text.len());
            check(&m.value, text);
        }),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let tree = json::parse_bytes(data);
    match &tree {
        Ok(node) => check(node, std::str::from_utf8(data).expect("parsed input is UTF-8")),
        Err(d) => assert!(d.span.end as usize <= data.len() + 1 && d.span.start <= d.span.end),
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut pull = Pull::new(text);
    let skipped = pull.skip().and_then(|span| pull.finish().map(|()| span)).map_err(|e| *e);
    match (tree, skipped) {
        (Ok(a), Ok(span)) => assert_eq!(a.span, span),
        (Err(a), Err(b)) => assert_eq!((a.code, a.span), (b.code, b.span)),
        (a, b) => panic!("node and skip disagree: {a:?} vs {b:?}"),
    }
});
