//! Amazon Resource Names: parsing and the two ways policies match them.
//!
//! `arn:partition:service:region:account-id:resource`, where the resource
//! part may itself contain `:` and `/`.

use serde::Serialize;
use std::borrow::Cow;

use crate::glob::{self, Glob};

/// A parsed ARN, borrowing from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Why a string is not an ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnError {
    /// Does not start with `arn:`.
    NoPrefix,
    /// Fewer than six colon-separated parts.
    TooFewParts(usize),
    EmptyPartition,
    EmptyService,
}

impl std::fmt::Display for ArnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArnError::NoPrefix => write!(f, "an ARN starts with `arn:`"),
            ArnError::TooFewParts(n) => write!(
                f,
                "an ARN has six parts separated by `:` (arn:partition:service:region:account:resource); this one has {n}"
            ),
            ArnError::EmptyPartition => write!(f, "the partition (second part) is empty"),
            ArnError::EmptyService => write!(f, "the service (third part) is empty"),
        }
    }
}

/// Splits at the first five colons: six parts, the last keeping any further colons.
pub fn split6(s: &str) -> Option<[&str; 6]> {
    let [a, b, c, d, e] = crate::ascii::positions::<5>(s.as_bytes(), b':')?;
    // Colons are ASCII: every cut is at a character boundary.
    Some([s.get(..a)?, s.get(a + 1..b)?, s.get(b + 1..c)?, s.get(c + 1..d)?, s.get(d + 1..e)?, s.get(e + 1..)?])
}

/// Byte offsets where each of the six parts starts (for spans), if `s` has six parts.
pub fn part_offsets(s: &str) -> Option<[usize; 6]> {
    let bytes = s.as_bytes();
    let mut offsets = [0usize; 6];
    let mut from = 0;
    for slot in offsets.iter_mut().skip(1) {
        from += bytes.get(from..)?.iter().position(|&b| b == b':')? + 1;
        *slot = from;
    }
    Some(offsets)
}

impl<'a> Arn<'a> {
    pub fn parse(s: &'a str) -> Result<Arn<'a>, ArnError> {
        Arn::parse_at(s).map(|(arn, _)| arn)
    }

    /// [`Arn::parse`], with where each of the six parts starts (what
    /// [`part_offsets`] gives), from the same scan.
    pub fn parse_at(s: &'a str) -> Result<(Arn<'a>, [usize; 6]), ArnError> {
        if !s.starts_with("arn:") {
            return Err(ArnError::NoPrefix);
        }
        let parts @ [_, partition, service, region, account, resource] =
            split6(s).ok_or_else(|| ArnError::TooFewParts(s.split(':').count()))?;
        if partition.is_empty() {
            return Err(ArnError::EmptyPartition);
        }
        if service.is_empty() {
            return Err(ArnError::EmptyService);
        }
        // Each part starts one past the end of the one before (its colon).
        let mut offsets = [0; 6];
        let mut at = 0;
        for (slot, part) in offsets.iter_mut().zip(parts) {
            *slot = at;
            at += part.len() + 1;
        }
        Ok((Arn { partition, service, region, account, resource }, offsets))
    }

    /// The resource type word (`user` in `user/path/Bob`, `key` in `key/1234`),
    /// if the resource part has the `type/id` or `type:id` shape.
    pub fn resource_type(&self) -> Option<&'a str> {
        let end = self.resource.find(['/', ':'])?;
        self.resource.get(..end)
    }
}

/// Whether a 12-digit AWS account ID.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Matches a `Resource`/`NotResource` pattern against a request resource.
///
/// The pattern is in [`glob`] syntax. Both are split at their first five
/// colons. Parts one to five are matched part by part, where wildcards cannot
/// cross a colon, except that a part ending in `*` matches the rest of the
/// ARN from that part on as one glob (AWS documents that a segment-final `*`
/// may expand past colons). The sixth part is matched the same way, segment
/// by segment at its own colons (`function:name:alias`,
/// `log-group:name:log-stream:name`): see [`sixth_matches`]. `*` alone
/// matches every resource, including the `*` of actions that take no
/// resource.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some(text_offsets) = part_offsets(resource) else {
        // Not an ARN (e.g. `*` for actions without resources): only an exact match.
        return !glob::has_wildcard(pattern) && glob::unescape(pattern) == resource;
    };
    let mut pat_rest = pattern;
    for k in 0..5 {
        let (part, next) = match pat_rest.find(':') {
            Some(i) => (pat_rest.get(..i).unwrap_or(""), pat_rest.get(i + 1..)),
            None => (pat_rest, None),
        };
        let text_start = text_offsets.get(k).copied().unwrap_or(0);
        if ends_with_star(part) {
            let text_rest = resource.get(text_start..).unwrap_or("");
            return glob::matches(pat_rest, text_rest);
        }
        let text_end = text_offsets.get(k + 1).map_or(resource.len(), |e| e.saturating_sub(1));
        let text_part = resource.get(text_start..text_end).unwrap_or("");
        if !glob::matches(part, text_part) {
            return false;
        }
        match next {
            Some(n) => pat_rest = n,
            None => return false,
        }
    }
    let text6 = resource.get(text_offsets.get(5).copied().unwrap_or(0)..).unwrap_or("");
    sixth_matches(pat_rest, text6)
}

/// Whether a pattern part ends in a `*` that is not escaped.
fn ends_with_star(part: &str) -> bool {
    let Some(head) = part.strip_suffix('*') else { return false };
    head.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0
}

/// Matches the sixth part of an ARN (resource type and id) segment by
/// segment, the segments being separated by colons: "wildcard characters
/// (* and ?) within the individual segments of an ARN (the parts separated
/// by colons)", and only a `*` that ends a segment "can expand to match
/// beyond the colon boundaries" (the Resource element page). So
/// `function:*-dev` does not match `function:admin:x-dev`, `function?name`
/// does not match `function:name`, and `function:*` matches
/// `function:name:alias`. Where the page leaves a mid-segment `*` open
/// (SPEC §9.3), staying in its segment is the reading that grants less.
pub fn sixth_matches(pattern: &str, text: &str) -> bool {
    let (mut pattern, mut text) = (pattern, text);
    loop {
        let (p, p_next) = split_colon(pattern);
        if ends_with_star(p) {
            return glob::matches(pattern, text);
        }
        let (t, t_next) = split_colon(text);
        if !glob::matches(p, t) {
            return false;
        }
        match (p_next, t_next) {
            (Some(p), Some(t)) => (pattern, text) = (p, t),
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// The text before the first colon, and the text after it if there is one.
fn split_colon(s: &str) -> (&str, Option<&str>) {
    match s.bytes().position(|b| b == b':') {
        Some(i) => (s.get(..i).unwrap_or(""), s.get(i + 1..)),
        None => (s, None),
    }
}

/// How a compiled pattern's sixth part is matched ([`sixth_matches`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sixth<'p> {
    /// As one glob: the part has no colon and either ends in `*` (which may
    /// cross colons) or has no wildcard.
    Whole,
    /// One segment with wildcards inside it: the glob, and no colon in the
    /// resource's sixth part.
    OneSegment,
    /// Several segments: matched by [`sixth_matches`] from this text.
    Segments(Cow<'p, str>),
}

impl<'p> Sixth<'p> {
    fn new(pattern: &'p str) -> Sixth<'p> {
        if pattern.contains(':') {
            Sixth::Segments(Cow::Borrowed(pattern))
        } else if ends_with_star(pattern) || !glob::has_wildcard(pattern) {
            Sixth::Whole
        } else {
            Sixth::OneSegment
        }
    }

    fn into_owned(self) -> Sixth<'static> {
        match self {
            Sixth::Whole => Sixth::Whole,
            Sixth::OneSegment => Sixth::OneSegment,
            Sixth::Segments(p) => Sixth::Segments(Cow::Owned(p.into_owned())),
        }
    }
}

/// A `Resource`/`NotResource` pattern compiled for many matches: the same
/// rules as [`resource_matches`], with each part's pattern prepared once.
#[derive(Debug, Clone, PartialEq, Eq)]
// Large only where pointers take eight bytes (not in wasm32).
#[cfg_attr(
    target_pointer_width = "64",
    expect(
        clippy::large_enum_variant,
        reason = "the parts are inline so that compiling a pattern allocates nothing; `Any` is the rare case"
    )
)]
pub enum ResourcePattern<'p> {
    /// `*`: every resource.
    Any,
    Parts {
        /// The patterns of parts one to five that are matched on their own,
        /// then the sixth part's pattern when the pattern has six parts
        /// (the first `count`; kept inline: compiling allocates nothing).
        parts: [Glob<'p>; 6],
        count: u8,
        /// A part ending in `*` at this index matches the rest of the ARN
        /// from that part on with this pattern.
        tail: Option<(usize, Glob<'p>)>,
        /// For request resources that are not ARNs: the literal the pattern
        /// stands for, if it has no wildcard.
        literal: Option<Cow<'p, str>>,
        /// The leading parts without a wildcard (`arn:aws:s3:::` in most
        /// patterns), each followed by its colon: `exact` parts compared at
        /// once instead of part by part.
        head: Cow<'p, str>,
        exact: u8,
        /// How the sixth part is matched, when the pattern has one.
        sixth: Sixth<'p>,
    },
}

impl<'p> ResourcePattern<'p> {
    /// Compiles a pattern that may be owned (escaped text).
    pub fn from_cow(pattern: Cow<'p, str>) -> ResourcePattern<'p> {
        match pattern {
            Cow::Borrowed(p) => ResourcePattern::new(p),
            Cow::Owned(p) => ResourcePattern::new(&p).into_owned(),
        }
    }

    /// The same pattern, owning its text.
    pub fn into_owned(self) -> ResourcePattern<'static> {
        match self {
            ResourcePattern::Any => ResourcePattern::Any,
            ResourcePattern::Parts { parts, count, tail, literal, head, exact, sixth } => ResourcePattern::Parts {
                parts: parts.map(Glob::into_owned),
                count,
                tail: tail.map(|(k, g)| (k, g.into_owned())),
                literal: literal.map(|l| Cow::Owned(l.into_owned())),
                head: Cow::Owned(head.into_owned()),
                exact,
                sixth: sixth.into_owned(),
            },
        }
    }

    /// Compiles a pattern in [`glob`] syntax.
    pub fn new(pattern: &'p str) -> ResourcePattern<'p> {
        if pattern == "*" {
            return ResourcePattern::Any;
        }
        let literal = (!glob::has_wildcard(pattern)).then(|| glob::unescape(pattern));
        let mut parts: [Glob<'p>; 6] = Default::default();
        let mut count = 0u8;
        let mut push = |g: Glob<'p>| {
            if let Some(slot) = parts.get_mut(usize::from(count)) {
                *slot = g;
                count += 1;
            }
        };
        let mut tail = None;
        let mut pat_rest = pattern;
        let mut complete = true;
        for k in 0..5 {
            let (part, next) = match pat_rest.bytes().position(|b| b == b':') {
                Some(i) => (pat_rest.get(..i).unwrap_or(""), pat_rest.get(i + 1..)),
                None => (pat_rest, None),
            };
            if ends_with_star(part) {
                tail = Some((k, Glob::new(pat_rest)));
                break;
            }
            push(Glob::new(part));
            match next {
                Some(n) => pat_rest = n,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        let mut sixth = Sixth::Whole;
        if tail.is_none() && complete {
            push(Glob::new(pat_rest));
            sixth = Sixth::new(pat_rest);
        }
        let (head, exact) = exact_head(pattern, &parts, usize::from(count));
        ResourcePattern::Parts { parts, count, tail, literal, head, exact, sixth }
    }

    /// Whether `resource` matches; `offsets` are its [`part_offsets`]
    /// (computed once per request).
    pub fn matches(&self, resource: &str, offsets: Option<&[usize; 6]>) -> bool {
        let ResourcePattern::Parts { parts, count, tail, literal, head, exact, sixth } = self else { return true };
        let parts = parts.get(..usize::from(*count)).unwrap_or(&[]);
        let Some(offsets) = offsets else {
            // Not an ARN (e.g. `*` for actions without resources): only an exact match.
            return literal.as_deref() == Some(resource);
        };
        let exact = usize::from(*exact);
        // Part `exact` starts right after the head's last colon.
        let head_end = offsets.get(exact).copied().unwrap_or(0);
        if resource.get(..head_end) != Some(head.as_ref()) {
            return false;
        }
        let part = |k: usize| {
            let start = offsets.get(k).copied().unwrap_or(0);
            let end = if k == 5 { resource.len() } else { offsets.get(k + 1).map_or(resource.len(), |e| e - 1) };
            resource.get(start..end).unwrap_or("")
        };
        for k in exact..6 {
            if let Some((at, rest)) = tail {
                if *at == k {
                    let start = offsets.get(k).copied().unwrap_or(0);
                    return rest.matches(resource.get(start..).unwrap_or(""), false);
                }
            }
            match parts.get(k) {
                Some(g) if k == 5 => {
                    let text = part(5);
                    return match sixth {
                        Sixth::Whole => g.matches(text, false),
                        Sixth::OneSegment => !text.contains(':') && g.matches(text, false),
                        Sixth::Segments(p) => sixth_matches(p, text),
                    };
                }
                Some(g) => {
                    if !g.matches(part(k), false) {
                        return false;
                    }
                }
                // The pattern has fewer than six parts.
                None => return false,
            }
        }
        true
    }
}

/// The leading parts of a compiled pattern that are literal and followed
/// by a colon (at most five), as the pattern's text up to the last of
/// those colons, and how many they are. A part with an escape is left to
/// the part-by-part match. Literal parts hold no colon, so an ARN's text
/// up to the start of its part `exact` equals the head exactly when each
/// of those parts equals its literal.
fn exact_head<'p>(pattern: &'p str, parts: &[Glob<'p>; 6], count: usize) -> (Cow<'p, str>, u8) {
    let (mut end, mut exact) = (0usize, 0u8);
    for g in parts.iter().take(count.min(5)) {
        let rest = pattern.get(end..).unwrap_or("");
        let Some(colon) = rest.bytes().position(|b| b == b':') else { break };
        let raw = rest.get(..colon).unwrap_or("");
        if !matches!(g, Glob::Exact(_)) || raw.contains('\\') {
            break;
        }
        end += colon + 1;
        exact += 1;
    }
    (Cow::Borrowed(pattern.get(..end).unwrap_or("")), exact)
}

/// Matches an `ArnEquals`/`ArnLike` pattern against a context value: each of
/// the six parts separately, wildcards allowed in each, case-sensitive.
pub fn arn_like(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    // `:` is never escaped by our escaping, so splitting the pattern is exact.
    let (Some(p), Some(v)) = (split6(pattern), split6(value)) else {
        return false;
    };
    p.iter().zip(v.iter()).all(|(p, v)| glob::matches(p, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn compiled_resource_patterns_match_like_resource_matches(
            pattern in "(arn|\\*|a)(:[a-z*?\\\\]{0,3}){0,6}",
            resource in "(arn|a|\\*)(:[a-z*]{0,3}){0,7}",
        ) {
            let compiled = ResourcePattern::new(&pattern);
            prop_assert_eq!(compiled.matches(&resource, part_offsets(&resource).as_ref()), resource_matches(&pattern, &resource), "{:?}", compiled);
        }
    }

    #[test]
    fn parses_parts() {
        let a = Arn::parse("arn:aws:iam::123456789012:user/path/Bob").unwrap();
        assert_eq!(a.service, "iam");
        assert_eq!(a.region, "");
        assert_eq!(a.account, "123456789012");
        assert_eq!(a.resource, "user/path/Bob");
        assert_eq!(a.resource_type(), Some("user"));
        let s3 = Arn::parse("arn:aws:s3:::bucket/a:b").unwrap();
        assert_eq!(s3.resource, "bucket/a:b");
        assert_eq!(s3.resource_type(), Some("bucket"));
        assert_eq!(Arn::parse("arn:aws:s3"), Err(ArnError::TooFewParts(3)));
        assert_eq!(Arn::parse("s3:::b"), Err(ArnError::NoPrefix));
        assert_eq!(Arn::parse("arn::s3:::b"), Err(ArnError::EmptyPartition));
    }

    proptest! {
        #[test]
        fn parse_reads_the_six_parts_of_splitn_6(s in "arn:[a:é]{0,12}") {
            let parts: Vec<&str> = s.splitn(6, ':').collect();
            match Arn::parse_at(&s) {
                Ok((a, offsets)) => {
                    prop_assert_eq!(vec!["arn", a.partition, a.service, a.region, a.account, a.resource], parts);
                    prop_assert_eq!(Some(offsets), part_offsets(&s));
                    prop_assert_eq!(&s[offsets[5]..], a.resource);
                }
                Err(ArnError::TooFewParts(n)) => prop_assert!(n < 6 && parts.len() < 6),
                Err(ArnError::EmptyPartition) => prop_assert_eq!(parts[1], ""),
                Err(ArnError::EmptyService) => prop_assert_eq!(parts[2], ""),
                Err(ArnError::NoPrefix) => prop_assert!(false, "`{}` starts with `arn:`", s),
            }
        }

        #[test]
        fn split6_is_splitn_6(s in "[a:é]{0,12}") {
            let expected: Vec<&str> = s.splitn(6, ':').collect();
            match split6(&s) {
                Some(parts) => prop_assert_eq!(parts.to_vec(), expected),
                None => prop_assert!(expected.len() < 6),
            }
        }
    }

    #[test]
    fn part_offsets_point_at_parts() {
        let s = "arn:aws:s3:::b:c";
        let o = part_offsets(s).unwrap();
        assert_eq!(&s[o[5]..], "b:c");
        assert_eq!(&s[o[2]..o[3] - 1], "s3");
        assert!(part_offsets("arn:aws").is_none());
    }

    #[test]
    fn resource_matching_segment_rules() {
        assert!(resource_matches("*", "*"));
        assert!(resource_matches("*", "arn:aws:s3:::b"));
        assert!(!resource_matches("arn:aws:s3:::*", "*"));
        assert!(resource_matches("arn:aws:s3:::*", "arn:aws:s3:::bucket/key"));
        assert!(resource_matches("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:1:instance/i-1"));
        assert!(resource_matches("arn:aws:iam::*:user/Bob", "arn:aws:iam::123456789012:user/Bob"));
        // a segment-final star crosses colons
        assert!(resource_matches("arn:aws:sqs:*", "arn:aws:sqs:us-east-1:1:q"));
        // a mid-segment star does not
        assert!(!resource_matches(
            "arn:aws:sqs:us-*-2:111122223333:orders",
            "arn:aws:sqs:us-east-2:444455556666:x-2:111122223333:orders"
        ));
        assert!(resource_matches(
            "arn:aws:sqs:us-*-2:111122223333:orders",
            "arn:aws:sqs:us-east-2:111122223333:orders"
        ));
        assert!(!resource_matches("arn:aws:s3:::*log*", "arn:aws:s3:::carlossalazar/file.txt"));
        assert!(resource_matches("arn:aws:s3:::*log*", "arn:aws:s3:::production-logs/file.txt"));
        assert!(!resource_matches("arn:aws:iam::1:user/Bob", "arn:aws:iam::1:user/bob"));
        assert!(!resource_matches("arn:aws:s3", "arn:aws:s3:::b"));
        assert!(resource_matches(
            "arn:aws:logs:us-east-1:1:delivery-source:*",
            "arn:aws:logs:us-east-1:1:delivery-source:my-source"
        ));
        // The sixth part's own colons separate segments too.
        let f = "arn:aws:lambda:us-east-1:1:function:";
        let cases = [
            ("*-dev", "admin-fn:x-dev", false),
            ("*-dev", "app-dev", true),
            ("my-fn?prod", "my-fn:prod", false),
            ("my-fn?prod", "my-fn-prod", true),
            ("*", "my-fn:prod", true),
            ("my-*", "my-fn:prod", true),
            ("my-fn:*", "my-fn:prod", true),
            ("my-fn:p*d", "my-fn:prod", true),
            ("my-fn:p*d", "my-fn:pr:od", false),
            ("my-fn", "my-fn:prod", false),
            ("my-fn:prod", "my-fn", false),
            ("*:prod", "my-fn:prod", true),
        ];
        for (pattern, name, expected) in cases {
            let (pattern, resource) = (format!("{f}{pattern}"), format!("{f}{name}"));
            assert_eq!(resource_matches(&pattern, &resource), expected, "{pattern} against {resource}");
            let offsets = part_offsets(&resource);
            assert_eq!(
                ResourcePattern::new(&pattern).matches(&resource, offsets.as_ref()),
                expected,
                "{pattern} compiled"
            );
        }
        let g = "arn:aws:logs:us-east-1:1:log-group:";
        assert!(resource_matches(&format!("{g}app*:log-stream:*"), &format!("{g}app-1:log-stream:s")));
        assert!(!resource_matches(&format!("{g}app*stream-1"), &format!("{g}app:log-stream:stream-1")));
        // An escaped `*` is a literal, and does not end the segment as a wildcard.
        assert!(ends_with_star("a\\\\*"));
        assert!(!ends_with_star("a\\*"));
    }

    #[test]
    fn arn_like_is_per_component() {
        let p = "arn:aws:someservice:*:111122223333:finance/*";
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!arn_like(p, v));
        assert!(glob::matches(p, v), "StringLike would match");
        assert!(arn_like("arn:aws:sns:us-east-1:111122223333:*", "arn:aws:sns:us-east-1:111122223333:topic"));
        assert!(!arn_like("arn:aws:sns:us-east-1:111122223333:*", "not-an-arn"));
        assert!(arn_like("arn:aws:iam::*:role/app/*", "arn:aws:iam::1:role/app/AppRole"));
    }
}
