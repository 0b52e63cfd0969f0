//! Stage 1: the spanned JSON reader never panics, and every span it
//! returns lies inside the input on character boundaries.
#![no_main]

use iamtrace::json::{self, Node, Value};
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
    match json::parse_bytes(data) {
        Ok(node) => check(&node, std::str::from_utf8(data).expect("parsed input is UTF-8")),
        Err(d) => assert!(d.span.end as usize <= data.len() + 1 && d.span.start <= d.span.end),
    }
});
