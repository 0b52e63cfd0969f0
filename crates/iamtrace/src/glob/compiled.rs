//! Patterns compiled once for many matches: the common shapes (no wildcard,
//! one trailing or leading `*`, `*` alone) become plain comparisons; any
//! other pattern keeps the general matcher. A compiled pattern matches
//! exactly the texts [`super::matches`] (or [`super::matches_ignore_case`])
//! matches; property tests hold them to it.

use super::unescape;

/// A pattern in glob syntax, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Glob {
    /// Only stars: matches everything.
    Any,
    /// No wildcard: the literal text.
    Exact(Box<str>),
    /// A literal followed by one `*`.
    Prefix(Box<str>),
    /// One `*` followed by a literal.
    Suffix(Box<str>),
    /// Anything else, in glob syntax.
    General(Box<str>),
}

/// Splits `pattern` at its unescaped stars.
#[expect(
    clippy::expect_used,
    reason = "the cuts are at the start of `pattern` or next to one of its `*` bytes, and an ASCII byte is never \
              part of a multi-byte character: every cut is a char boundary within the text"
)]
fn star_split(pattern: &str) -> Vec<&str> {
    let bytes = pattern.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            i += 2;
        } else if b == b'*' {
            parts.push(pattern.get(start..i).expect("a cut at a star"));
            start = i + 1;
            i += 1;
        } else {
            i += 1;
        }
    }
    parts.push(pattern.get(start..).expect("a cut after a star"));
    parts
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

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let parts = star_split(pattern);
        match parts.as_slice() {
            [only] if literal(only) => Glob::Exact(unescape(only).into()),
            _ if parts.iter().all(|p| p.is_empty()) => Glob::Any,
            [lit, ""] if literal(lit) => Glob::Prefix(unescape(lit).into()),
            ["", lit] if literal(lit) => Glob::Suffix(unescape(lit).into()),
            _ => Glob::General(pattern.into()),
        }
    }

    /// Whether the whole `text` matches; `ignore_case` compares ASCII
    /// letters without case.
    pub fn matches(&self, text: &str, ignore_case: bool) -> bool {
        let eq = |a: &[u8], b: &[u8]| if ignore_case { a.eq_ignore_ascii_case(b) } else { a == b };
        let t = text.as_bytes();
        match self {
            Glob::Any => true,
            Glob::Exact(lit) => eq(lit.as_bytes(), t),
            Glob::Prefix(lit) => t.get(..lit.len()).is_some_and(|head| eq(lit.as_bytes(), head)),
            Glob::Suffix(lit) => {
                t.len() >= lit.len() && t.get(t.len() - lit.len()..).is_some_and(|tail| eq(lit.as_bytes(), tail))
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
        assert_eq!(Glob::new("a\\*b"), Glob::Exact("a*b".into()));
        assert_eq!(Glob::new("s3:Get*"), Glob::Prefix("s3:Get".into()));
        assert_eq!(Glob::new("*Item"), Glob::Suffix("Item".into()));
        assert_eq!(Glob::new("*Item*"), Glob::General("*Item*".into()));
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
