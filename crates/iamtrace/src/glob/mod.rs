//! Wildcard matching for actions, resources and `...Like` condition values.
//!
//! A pattern is text where `*` matches any run of characters (possibly
//! empty) and `?` exactly one character. A backslash makes the next character
//! literal; policy text never contains our escapes because [`escape`] is
//! applied to every raw value first, and variable substitution escapes the
//! characters it inserts (so `${*}` inserts a literal star).
//!
//! Matching is linear for patterns made of literal runs and `*`: the first
//! run is anchored at the start, the last at the end, and every run in
//! between is found at its leftmost position with a two-way substring search
//! (greedy leftmost is exact for `*`-only globs). Runs containing `?` are
//! found by their longest literal part, each occurrence of which is checked
//! whole (a run of `?` alone fits where the search stands or nowhere). There
//! is no backtracking, so `*a*a*a*...b` and `*???...?b*` cost no more than a
//! scan; a run like `a?a?a?` against a text full of `a` still costs its
//! length at each place.

use std::borrow::Cow;

mod compiled;

pub use compiled::Glob;

/// Escapes backslashes so that raw policy text can be used as a pattern.
pub fn escape(raw: &str) -> Cow<'_, str> {
    if raw.contains('\\') {
        Cow::Owned(raw.replace('\\', "\\\\"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Appends `literal` to a pattern so that every character in it matches only itself.
pub fn push_literal(pattern: &mut String, literal: &str) {
    for c in literal.chars() {
        if matches!(c, '*' | '?' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
}

/// Whether the pattern contains an unescaped `*` or `?`.
pub fn has_wildcard(pattern: &str) -> bool {
    let mut escaped = false;
    for b in pattern.bytes() {
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'*' || b == b'?' {
            return true;
        }
    }
    false
}

/// Removes escapes: the literal text a wildcard-free pattern stands for.
pub fn unescape(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains('\\') {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Case-sensitive wildcard match of the whole `text`.
pub fn matches(pattern: &str, text: &str) -> bool {
    glob(pattern, text, false)
}

/// ASCII-case-insensitive wildcard match of the whole `text`.
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    glob(pattern, text, true)
}

fn glob(pattern: &str, text: &str, ci: bool) -> bool {
    // Fast paths for the common shapes.
    if !pattern.contains(['*', '?', '\\']) {
        return eq(pattern.as_bytes(), text.as_bytes(), ci);
    }
    if pattern == "*" {
        return true;
    }
    let segments = Segments::new(pattern);
    let mut iter = segments.clone();
    let count = segments.count();
    let Some(first) = iter.next() else { return text.is_empty() };
    if count == 1 {
        return match_at(first, text, 0, ci) == Some(text.len());
    }
    let Some(mut pos) = match_at(first, text, 0, ci) else { return false };
    for _ in 1..count - 1 {
        let Some(seg) = iter.next() else { return false };
        match find(seg, text, pos, ci) {
            Some(end) => pos = end,
            None => return false,
        }
    }
    let Some(last) = iter.next() else { return false };
    let need = seg_chars(last);
    let Some(start) = back_chars(text, need) else { return false };
    start >= pos && match_at(last, text, start, ci) == Some(text.len())
}

fn eq(a: &[u8], b: &[u8], ci: bool) -> bool {
    if ci {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// The segments of a pattern between unescaped stars.
#[derive(Clone)]
struct Segments<'p> {
    rest: Option<&'p str>,
}

impl<'p> Segments<'p> {
    fn new(pattern: &'p str) -> Self {
        Segments { rest: Some(pattern) }
    }
}

impl<'p> Iterator for Segments<'p> {
    type Item = &'p str;

    fn next(&mut self) -> Option<&'p str> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b == b'\\' {
                i += 2;
            } else if b == b'*' {
                self.rest = rest.get(i + 1..);
                return rest.get(..i);
            } else {
                i += 1;
            }
        }
        self.rest = None;
        Some(rest)
    }
}

/// One element of a segment: a literal char or `?`.
enum Atom {
    Char(char),
    One,
}

fn atoms(seg: &str) -> impl Iterator<Item = Atom> + '_ {
    let mut chars = seg.chars();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        Some(match c {
            '\\' => Atom::Char(chars.next().unwrap_or('\\')),
            '?' => Atom::One,
            c => Atom::Char(c),
        })
    })
}

fn seg_chars(seg: &str) -> usize {
    atoms(seg).count()
}

/// The byte offset `n` characters before the end of `text`.
fn back_chars(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(text.len());
    }
    text.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}

/// Matches one segment at byte offset `pos`; returns the end offset.
fn match_at(seg: &str, text: &str, pos: usize, ci: bool) -> Option<usize> {
    let mut rest = text.get(pos..)?;
    let mut end = pos;
    for atom in atoms(seg) {
        let mut it = rest.chars();
        let c = it.next()?;
        match atom {
            Atom::One => {}
            Atom::Char(p) => {
                let same = if ci { p.eq_ignore_ascii_case(&c) } else { p == c };
                if !same {
                    return None;
                }
            }
        }
        end += c.len_utf8();
        rest = it.as_str();
    }
    Some(end)
}

/// Finds the leftmost occurrence of a segment at or after `from`; returns its end.
///
/// A segment with `?` is found by its longest run of plain characters (the
/// pivot), searched for with `memchr`; each place the pivot occurs is checked
/// whole, from as many characters before it as the segment has atoms before
/// the pivot. Places are tried left to right, so the first that fits is the
/// leftmost match. A segment of `?` alone fits at `from` or nowhere; one of
/// escaped characters (and `?`) is tried at each place.
fn find(seg: &str, text: &str, from: usize, ci: bool) -> Option<usize> {
    if seg.is_empty() {
        return Some(from);
    }
    let hay = text.get(from..)?;
    if !ci && !seg.contains(['?', '\\']) {
        return memchr::memmem::find(hay.as_bytes(), seg.as_bytes()).map(|i| from + i + seg.len());
    }
    let Some((before, lit)) = pivot(seg) else {
        if !seg.contains('\\') {
            // `?` alone: any place fits, so the leftmost is `from`.
            return match_at(seg, text, from, ci);
        }
        // Escaped characters (and `?`), which are literals: each place in turn.
        let mut at = from;
        loop {
            if let Some(end) = match_at(seg, text, at, ci) {
                return Some(end);
            }
            at += text.get(at..)?.chars().next()?.len_utf8();
        }
    };
    let mut at = from;
    loop {
        let q = at + find_literal(text.get(at..)?.as_bytes(), lit.as_bytes(), ci)?;
        if let Some(p) = chars_before(text, q, before).filter(|&p| p >= from) {
            if let Some(end) = match_at(seg, text, p, ci) {
                return Some(end);
            }
        }
        // The next place starts a character further on.
        at = q + text.get(q..)?.chars().next()?.len_utf8();
    }
}

/// The longest run of plain characters (no `?`, no escape) of a segment,
/// with the number of atoms before it; `None` when there is none.
fn pivot(seg: &str) -> Option<(usize, &str)> {
    let mut best: Option<(usize, &str)> = None;
    let mut keep = |run: Option<(usize, usize)>, end: usize| {
        if let Some((start, atoms)) = run {
            let lit = seg.get(start..end).unwrap_or("");
            if best.is_none_or(|(_, b)| lit.len() > b.len()) {
                best = Some((atoms, lit));
            }
        }
    };
    let mut atoms = 0usize;
    let mut run: Option<(usize, usize)> = None;
    let mut chars = seg.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '?' || c == '\\' {
            keep(run.take(), i);
            if c == '\\' {
                chars.next();
            }
        } else if run.is_none() {
            run = Some((i, atoms));
        }
        atoms += 1;
    }
    keep(run, seg.len());
    best
}

/// The byte offset of the first occurrence of `want` in `hay` (ASCII case
/// ignored when `ci`): a scan for its first byte, then a comparison. The
/// texts are short (actions, parts of ARNs), where this beats building a
/// substring searcher for each search. Shared by the general matcher and
/// the compiled star patterns.
pub(crate) fn find_literal(hay: &[u8], want: &[u8], ci: bool) -> Option<usize> {
    let Some(&first) = want.first() else { return Some(0) };
    let (lower, upper) = if ci { (first.to_ascii_lowercase(), first.to_ascii_uppercase()) } else { (first, first) };
    let same = |w: &[u8]| if ci { crate::ascii::eq_ignore_case(w, want) } else { w == want };
    let mut at = 0;
    while let Some(i) = memchr::memchr2(lower, upper, hay.get(at..)?) {
        let start = at + i;
        if hay.get(start..start + want.len()).is_some_and(same) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// The byte offset `n` characters before byte offset `at` of `text`.
fn chars_before(text: &str, at: usize, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(at);
    }
    text.get(..at)?.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_wildcards() {
        assert!(matches("abc", "abc"));
        assert!(!matches("abc", "abcd"));
        assert!(matches("a*", "a"));
        assert!(matches("a*c", "abbbc"));
        assert!(matches("*", ""));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("a?c", "aéc"));
        assert!(matches("*log*", "production-logs/x"));
        assert!(!matches("*log*", "carlossalazar/file.txt"));
        assert!(matches("**a**", "xxa"));
        assert!(!matches("", "a"));
        assert!(matches("", ""));
    }

    #[test]
    fn s3_documented_examples() {
        let p = "B/*/test/*";
        for ok in [
            "B/1/test/object.jpg",
            "B/1/2/test/3/object.jpg",
            "B/1///test///object.jpg",
            "B/1/test/.jpg",
            "B//test/object.jpg",
            "B/1/test/",
        ] {
            assert!(matches(p, ok), "{ok}");
        }
        for no in ["B/1-test/object.jpg", "B/test/object.jpg", "B/1/2/test.jpg"] {
            assert!(!matches(p, no), "{no}");
        }
    }

    #[test]
    fn question_mark_is_one_char() {
        assert!(matches_ignore_case("s3:GetObjec?", "s3:getobject"));
        assert!(!matches_ignore_case("s3:GetObjec?", "s3:GetObjectAcl"));
        assert!(matches("*?", "x"));
        assert!(!matches("*??", "x"));
        assert!(matches("?*?", "xy"));
    }

    #[test]
    fn case_insensitive_actions() {
        assert!(matches_ignore_case("IAM:LISTACCESSKEYS", "iam:ListAccessKeys"));
        assert!(matches_ignore_case("iam:*AccessKey*", "iam:UpdateAccessKey"));
        assert!(!matches("iam:*accesskey*", "iam:UpdateAccessKey"));
    }

    #[test]
    fn escapes_make_literals() {
        let mut p = String::from("data");
        push_literal(&mut p, "*");
        assert!(matches(&p, "data*"));
        assert!(!matches(&p, "database"));
        assert!(!has_wildcard(&p));
        assert_eq!(unescape(&p), "data*");
        assert!(matches(&escape("a\\b*"), "a\\bcd"));
        // A piece between stars made only of escaped characters (a
        // substituted `${*}`, a literal backslash) is searched for, not only
        // tried where the star ends.
        assert!(matches("b/*\\**", "b/x*y"));
        assert!(matches("b/*\\\\", "b/x\\"));
        assert!(matches("b/*\\\\*", "b/x\\y"));
        assert!(matches("*\\?\\*z", "ab?*z"));
        assert!(!matches("b/*\\**", "b/xy"));
        assert!(matches_ignore_case("*\\*X", "ab*x"));
    }

    #[test]
    fn no_backtracking_blowup() {
        let pattern = "*a".repeat(2000) + "*b";
        let text = "a".repeat(50_000);
        // Finishes at once: each `a` run is found by a forward search.
        assert!(!matches(&pattern, &text));
        let q = "*a?".repeat(500) + "*b";
        assert!(!matches(&q, &text));
        // A long run of `?` is found by its literal part, not tried at every place.
        let marks = format!("*{}b*", "?".repeat(20_000));
        assert!(!matches(&marks, &text));
        assert!(!matches_ignore_case(&marks, &text));
        assert!(matches(&marks, &format!("{text}b")));
        assert!(matches_ignore_case(&marks, &format!("{text}B")));
    }

    #[test]
    fn runs_with_question_marks_are_found_leftmost() {
        assert!(matches("*?b?*", "xbyb"));
        assert!(matches("*a?c*d", "abcxacd"));
        assert!(!matches("*a?c*d", "abxd"));
        assert!(matches("*é?b*", "aééb"));
        assert!(matches(r"*\\?x*", r"a\yx"));
        assert!(matches(r"*\??x*", "a?yx"));
        assert!(!matches(r"*\??x*", "ayyx"));
        assert!(matches("*??*", "ab"));
        assert!(!matches("*???*", "ab"));
        assert!(matches_ignore_case("x*?OBJ?*", "x-getobjects"));
        assert!(!matches_ignore_case("x*?OBJ?*", "x-getobj"));
    }

    #[test]
    fn agrees_with_a_reference_matcher() {
        fn reference(p: &[char], t: &[char]) -> bool {
            match (p.first(), t.first()) {
                (None, _) => t.is_empty(),
                (Some('*'), _) => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
                (Some('?'), Some(_)) => reference(&p[1..], &t[1..]),
                (Some(c), Some(d)) if c == d => reference(&p[1..], &t[1..]),
                _ => false,
            }
        }
        let alphabet = ['a', 'b', '*', '?'];
        let texts = ["", "a", "b", "ab", "ba", "aab", "abab", "bbba", "aaaa", "abbab", "baaba", "aabbaa"];
        // every pattern up to length 5 over the alphabet
        let mut patterns = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for p in &patterns {
                for c in alphabet {
                    next.push(format!("{p}{c}"));
                }
            }
            patterns.extend(next);
        }
        for p in &patterns {
            let pc: Vec<char> = p.chars().collect();
            for t in texts {
                let tc: Vec<char> = t.chars().collect();
                assert_eq!(matches(p, t), reference(&pc, &tc), "pattern {p:?} text {t:?}");
            }
        }
    }
}
