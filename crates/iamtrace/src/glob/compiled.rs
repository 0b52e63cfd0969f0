//! Patterns compiled once for many matches: the common shapes (no wildcard,
//! one trailing or leading `*`, `*` alone) become plain comparisons; any
//! other pattern keeps the general matcher. A compiled pattern matches
//! exactly the texts [`super::matches`] (or [`super::matches_ignore_case`])
//! matches; property tests hold them to it.

use std::borrow::Cow;

use super::unescape;

/// A pattern in glob syntax, compiled. Borrows from the pattern's text
/// when it can (no escape to remove), so compiling costs no allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Glob<'p> {
    /// Only stars: matches everything.
    #[default]
    Any,
    /// No wildcard: the literal text.
    Exact(Cow<'p, str>),
    /// A literal followed by one `*`.
    Prefix(Cow<'p, str>),
    /// One `*` followed by a literal.
    Suffix(Cow<'p, str>),
    /// Literals and stars only (no `?`, no escape), two stars or more:
    /// the pattern's text, with how long the text before the first star
    /// (`head`) and after the last (`tail`) are; the literals in between are
    /// separated by stars (`s3:*Item*` has head `s3:`, `Item` between,
    /// an empty tail). One text and two lengths rather than three texts
    /// keep every compiled pattern at 32 bytes on 64-bit targets (72 with
    /// three), and a resource pattern holds six of them. Built by
    /// [`Glob::new`]; lengths that do not fit the text match nothing.
    Stars { text: Cow<'p, str>, head: u32, tail: u32 },
    /// Anything else, in glob syntax.
    General(Cow<'p, str>),
}

/// The unescaped stars of a pattern: how many, and where the first and the
/// last are.
fn stars(pattern: &str) -> (usize, usize, usize) {
    let bytes = pattern.as_bytes();
    let (mut count, mut first, mut last, mut i) = (0, 0, 0, 0);
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            i += 2;
            continue;
        }
        if b == b'*' {
            if count == 0 {
                first = i;
            }
            last = i;
            count += 1;
        }
        i += 1;
    }
    (count, first, last)
}

/// Whether a star-free piece of a pattern holds no `?` either, and no
/// dangling escape (which the general matcher handles its own way).
fn literal(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if i + 1 == bytes.len() => return false,
            b'\\' => i += 2,
            b'?' | b'*' => return false,
            _ => i += 1,
        }
    }
    true
}

/// The text before the first star, the stars and literals between the
/// first and the last star (both excluded), and the text after the last.
fn stars_parts(text: &str, head: u32, tail: u32) -> Option<(&[u8], &[u8], &[u8])> {
    let (bytes, head, tail) = (text.as_bytes(), head as usize, tail as usize);
    let end = bytes.len().checked_sub(tail)?;
    Some((bytes.get(..head)?, bytes.get(head + 1..end.checked_sub(1)?)?, bytes.get(end..)?))
}

impl<'p> Glob<'p> {
    pub fn new(pattern: &'p str) -> Glob<'p> {
        let (count, first, last) = stars(pattern);
        let n = pattern.len();
        if count == 0 && literal(pattern) {
            return Glob::Exact(unescape(pattern));
        }
        if count > 0 && pattern.bytes().all(|b| b == b'*') {
            return Glob::Any;
        }
        if count == 1 && last + 1 == n {
            if let Some(lit) = pattern.get(..last).filter(|l| literal(l)) {
                return Glob::Prefix(unescape(lit));
            }
        }
        if count == 1 && first == 0 {
            if let Some(lit) = pattern.get(1..).filter(|l| literal(l)) {
                return Glob::Suffix(unescape(lit));
            }
        }
        if count >= 2 && !pattern.contains(['?', '\\']) {
            if let (Ok(head), Ok(tail)) = (u32::try_from(first), u32::try_from(n - last - 1)) {
                return Glob::Stars { text: Cow::Borrowed(pattern), head, tail };
            }
        }
        Glob::General(Cow::Borrowed(pattern))
    }

    /// Compiles a pattern that may be owned (escaped text).
    pub fn from_cow(pattern: Cow<'p, str>) -> Glob<'p> {
        match pattern {
            Cow::Borrowed(p) => Glob::new(p),
            Cow::Owned(p) => Glob::new(&p).into_owned(),
        }
    }

    /// The same pattern, owning its text.
    pub fn into_owned(self) -> Glob<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        match self {
            Glob::Any => Glob::Any,
            Glob::Exact(c) => Glob::Exact(own(c)),
            Glob::Prefix(c) => Glob::Prefix(own(c)),
            Glob::Suffix(c) => Glob::Suffix(own(c)),
            Glob::Stars { text, head, tail } => Glob::Stars { text: own(text), head, tail },
            Glob::General(c) => Glob::General(own(c)),
        }
    }

    /// Whether the whole `text` matches; `ignore_case` compares ASCII
    /// letters without case.
    pub fn matches(&self, text: &str, ignore_case: bool) -> bool {
        let eq = |a: &[u8], b: &[u8]| if ignore_case { crate::ascii::eq_ignore_case(a, b) } else { a == b };
        let t = text.as_bytes();
        match self {
            Glob::Any => true,
            Glob::Exact(lit) => eq(lit.as_bytes(), t),
            Glob::Prefix(lit) => t.get(..lit.len()).is_some_and(|head| eq(lit.as_bytes(), head)),
            Glob::Suffix(lit) => {
                t.len() >= lit.len() && t.get(t.len() - lit.len()..).is_some_and(|tail| eq(lit.as_bytes(), tail))
            }
            Glob::Stars { text, head, tail } => {
                let Some((head, middle, tail)) = stars_parts(text, *head, *tail) else { return false };
                if t.len() < head.len() + tail.len() {
                    return false;
                }
                let (Some(start), Some(end)) = (t.get(..head.len()), t.get(t.len() - tail.len()..)) else {
                    return false;
                };
                if !eq(head, start) || !eq(tail, end) {
                    return false;
                }
                // Each literal at its leftmost place after the previous one:
                // exact for patterns whose only wildcard is `*`.
                let mut rest = t.get(head.len()..t.len() - tail.len()).unwrap_or(&[]);
                let mut literals = middle;
                loop {
                    let (lit, next) = match memchr::memchr(b'*', literals) {
                        Some(star) => (literals.get(..star).unwrap_or(&[]), literals.get(star + 1..)),
                        None => (literals, None),
                    };
                    if !lit.is_empty() {
                        match super::find_literal(rest, lit, ignore_case) {
                            Some(at) => rest = rest.get(at + lit.len()..).unwrap_or(&[]),
                            None => return false,
                        }
                    }
                    match next {
                        Some(n) => literals = n,
                        None => return true,
                    }
                }
            }
            Glob::General(p) => {
                if ignore_case {
                    super::matches_ignore_case(p, text)
                } else {
                    super::matches(p, text)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shapes() {
        assert_eq!(Glob::new("*"), Glob::Any);
        assert_eq!(Glob::new("**"), Glob::Any);
        assert_eq!(Glob::new("s3:GetObject"), Glob::Exact("s3:GetObject".into()));
        assert!(matches!(Glob::new("s3:Get*"), Glob::Prefix(Cow::Borrowed(_))), "no allocation");
        assert_eq!(Glob::new("a\\*b"), Glob::Exact("a*b".into()));
        assert_eq!(Glob::new("s3:Get*"), Glob::Prefix("s3:Get".into()));
        assert_eq!(Glob::new("*Item"), Glob::Suffix("Item".into()));
        assert_eq!(Glob::new("*Item*"), Glob::Stars { text: "*Item*".into(), head: 0, tail: 0 });
        assert_eq!(stars_parts("s3:*Item*", 3, 0), Some((&b"s3:"[..], &b"Item"[..], &b""[..])));
        assert_eq!(stars_parts("a*b*c*d", 1, 1), Some((&b"a"[..], &b"b*c"[..], &b"d"[..])));
        #[cfg(target_pointer_width = "64")]
        assert_eq!(size_of::<Glob<'_>>(), 32);
        assert!(Glob::new("S3:*item*").matches("s3:GetItem", true));
        assert!(!Glob::new("S3:*item*").matches("s3:GetItem", false));
        assert!(Glob::new("a*b*b*c").matches("abbc", false));
        assert!(!Glob::new("a*b*b*c").matches("abc", false));
        assert!(!Glob::new("ab*ba").matches("aba", false), "head and tail cannot overlap");
        assert_eq!(Glob::new("*I?m*"), Glob::General("*I?m*".into()));
        assert_eq!(Glob::new("s3:Get?"), Glob::General("s3:Get?".into()));
        assert!(Glob::new("S3:GET*").matches("s3:GetObject", true));
        assert!(!Glob::new("S3:GET*").matches("s3:GetObject", false));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn compiled_patterns_match_like_the_general_matcher(
            pattern in "[aAb*?\\\\é:]{0,6}",
            text in "[aAbé:*?\\\\]{0,7}",
        ) {
            let g = Glob::new(&pattern);
            prop_assert_eq!(g.matches(&text, false), super::super::matches(&pattern, &text), "{:?}", g);
            prop_assert_eq!(g.matches(&text, true), super::super::matches_ignore_case(&pattern, &text), "{:?}", g);
        }
    }
}
