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

/// How far a wildcard inside a resource pattern reaches. The Resource
/// element page lets wildcards work "within the individual segments of an
/// ARN (the parts separated by colons)" and says only that a `*` which is
/// "the last character of a resource ARN segment ... can expand to match
/// beyond the colon boundaries"; what a `*` inside a segment of the resource
/// part does, or one after a segment-final `*`, it leaves open (SPEC §9.3).
/// The reading that denies decides, so the reach depends on the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only a `*` that ends a colon-separated segment crosses colons; `?` and
    /// other `*`s stay in their segment. A `Resource` in an Allow statement
    /// and a `NotResource` in a Deny: the pattern matches less, so the
    /// statement grants less or denies more.
    Segments,
    /// From a part that ends in `*`, and in the resource part, the rest of
    /// the pattern is one glob whose wildcards cross colons. A `Resource` in
    /// a Deny statement and a `NotResource` in an Allow.
    Glob,
}

impl Reach {
    /// The reach that denies, for an element of a statement with this effect.
    pub fn for_element(allow: bool, negated: bool) -> Reach {
        if allow != negated {
            Reach::Segments
        } else {
            Reach::Glob
        }
    }
}

/// Matches a `Resource`/`NotResource` pattern against a request resource.
///
/// The pattern is in [`glob`] syntax. Both are split at their first five
/// colons. Parts one to five are matched part by part, where wildcards cannot
/// cross a colon, except that a part ending in `*` matches the rest of the
/// ARN from that part on (AWS documents that a segment-final `*` may expand
/// past colons); that rest, and the sixth part, are matched as `reach` says
/// ([`Reach`]). `*` alone matches every resource, including the `*` of
/// actions that take no resource.
pub fn resource_matches(pattern: &str, resource: &str, reach: Reach) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some(text_offsets) = part_offsets(resource) else {
        // Not an ARN (e.g. `*` for actions without resources): only an exact match.
        return !glob::has_wildcard(pattern) && glob::unescape(pattern) == resource;
    };
    let rest = |pattern: &str, text: &str| match reach {
        Reach::Glob => glob::matches(pattern, text),
        Reach::Segments => segments_match(pattern, text),
    };
    let mut pat_rest = pattern;
    for k in 0..5 {
        let (part, next) = split_colon(pat_rest);
        let text_start = text_offsets.get(k).copied().unwrap_or(0);
        if ends_with_star(part) {
            return rest(pat_rest, resource.get(text_start..).unwrap_or(""));
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
    rest(pat_rest, resource.get(text_offsets.get(5).copied().unwrap_or(0)..).unwrap_or(""))
}

/// Whether a pattern part ends in a `*` that is not escaped.
fn ends_with_star(part: &str) -> bool {
    let Some(head) = part.strip_suffix('*') else { return false };
    head.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0
}

/// More colons, or a longer text, than any real ARN has (an S3 object ARN,
/// the longest, stays under 1,100 bytes): past these, [`segments_match`]
/// says no match (the reading that grants less) instead of searching, whose
/// cost grows with segments times length.
const MAX_SEGMENTS: usize = 256;
const MAX_TEXT: usize = 16 * 1024;

/// Matches a pattern against a text segment by segment, the segments being
/// separated by colons ([`Reach::Segments`]): each pattern segment matches
/// one text segment as a glob, and a segment that ends in `*` may also take
/// in any number of the text segments after it. So `function:*-dev` does not
/// match `function:admin:x-dev`, `function?name` does not match
/// `function:name`, and `function:my*` matches `function:my-fn:prod`.
pub fn segments_match(pattern: &str, text: &str) -> bool {
    if !pattern.contains(':') {
        return one_segment_matches(pattern, ends_with_star(pattern), text, glob::matches);
    }
    let colons = |s: &str| memchr::memchr_iter(b':', s.as_bytes()).count();
    if text.len() > MAX_TEXT || colons(pattern) > MAX_SEGMENTS || colons(text) > MAX_SEGMENTS {
        return false;
    }
    // What is left of each (`None`: every segment used). A segment ending
    // in `*` acts as a glob star over whole segments: as in glob matching,
    // only the last one needs to take in more on a mismatch.
    let (mut p, mut t) = (Some(pattern), Some(text));
    let mut star: Option<(Option<&str>, Option<&str>)> = None;
    loop {
        if let (Some(p_rest), Some(t_rest)) = (p, t) {
            let (pseg, p_next) = split_colon(p_rest);
            let (tseg, t_next) = split_colon(t_rest);
            if glob::matches(pseg, tseg) {
                if ends_with_star(pseg) {
                    star = Some((p_next, t_next));
                }
                (p, t) = (p_next, t_next);
                continue;
            }
        } else if p.is_none() && t.is_none() {
            return true;
        }
        // A mismatch: the last star segment takes in one more text segment.
        match star {
            Some((resume, Some(taken))) => {
                let after = split_colon(taken).1;
                star = Some((resume, after));
                (p, t) = (resume, after);
            }
            _ => return false,
        }
    }
}

/// [`segments_match`] for a pattern of one segment: it matches a text of
/// one segment, or, when it ends in `*`, the text's first segment (the star
/// takes in the rest).
fn one_segment_matches<P: ?Sized>(pattern: &P, crossing: bool, text: &str, glob: impl Fn(&P, &str) -> bool) -> bool {
    match split_colon(text) {
        (whole, None) => glob(pattern, whole),
        (first, Some(_)) => crossing && glob(pattern, first),
    }
}

/// The text before the first colon, and the text after it if there is one.
fn split_colon(s: &str) -> (&str, Option<&str>) {
    crate::ascii::split_once(s, b':').map_or((s, None), |(head, rest)| (head, Some(rest)))
}

/// Whether both reaches match a pattern alike: every `*` in it ends a
/// segment and it has no `?` (compiled patterns then keep one form).
fn reach_free(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            // An escaped colon still separates segments for the segment
            // reading, but not for the glob.
            if b == b':' {
                return false;
            }
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'?' => return false,
            b'*' if !matches!(bytes.get(i + 1), None | Some(b':')) => return false,
            _ => {}
        }
    }
    true
}

/// The rest of a compiled pattern matched as one piece (from a part ending
/// in `*`, or the sixth part): its glob, and how the segment reading
/// differs from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rest<'p> {
    glob: Glob<'p>,
    segments: Segments<'p>,
}

/// How a compiled rest is matched under [`Reach::Segments`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segments<'p> {
    /// As under [`Reach::Glob`]: every `*` ends a segment, and no `?`.
    Same,
    /// One segment (see [`one_segment_matches`]), ending in `*` or not.
    One { crossing: bool },
    /// Several segments: [`segments_match`] on this text.
    Many(Cow<'p, str>),
}

impl<'p> Rest<'p> {
    fn new(pattern: &'p str) -> Rest<'p> {
        let segments = if reach_free(pattern) {
            Segments::Same
        } else if pattern.contains(':') {
            Segments::Many(Cow::Borrowed(pattern))
        } else {
            Segments::One { crossing: ends_with_star(pattern) }
        };
        Rest { glob: Glob::new(pattern), segments }
    }

    fn into_owned(self) -> Rest<'static> {
        let segments = match self.segments {
            Segments::Same => Segments::Same,
            Segments::One { crossing } => Segments::One { crossing },
            Segments::Many(p) => Segments::Many(Cow::Owned(p.into_owned())),
        };
        Rest { glob: self.glob.into_owned(), segments }
    }

    fn matches(&self, text: &str, reach: Reach) -> bool {
        match (&self.segments, reach) {
            (Segments::One { crossing }, Reach::Segments) => {
                one_segment_matches(&self.glob, *crossing, text, |g, t| g.matches(t, false))
            }
            (Segments::Many(pattern), Reach::Segments) => segments_match(pattern, text),
            _ => self.glob.matches(text, false),
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
        /// The patterns of parts one to five that are matched on their own
        /// (the first `count`; kept inline: compiling allocates nothing).
        parts: [Glob<'p>; 5],
        count: u8,
        /// The rest of the pattern matched as one piece, and the part it
        /// starts at: from a part ending in `*`, or the sixth part (`None`:
        /// the pattern has fewer than six parts and none ends in `*`).
        rest: Option<(usize, Rest<'p>)>,
        /// For request resources that are not ARNs: the literal the pattern
        /// stands for, if it has no wildcard.
        literal: Option<Cow<'p, str>>,
        /// The leading parts without a wildcard (`arn:aws:s3:::` in most
        /// patterns), each followed by its colon: `exact` parts compared at
        /// once instead of part by part.
        head: Cow<'p, str>,
        exact: u8,
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
            ResourcePattern::Parts { parts, count, rest, literal, head, exact } => ResourcePattern::Parts {
                parts: parts.map(Glob::into_owned),
                count,
                rest: rest.map(|(k, r)| (k, r.into_owned())),
                literal: literal.map(|l| Cow::Owned(l.into_owned())),
                head: Cow::Owned(head.into_owned()),
                exact,
            },
        }
    }

    /// Compiles a pattern in [`glob`] syntax.
    pub fn new(pattern: &'p str) -> ResourcePattern<'p> {
        if pattern == "*" {
            return ResourcePattern::Any;
        }
        let literal = (!glob::has_wildcard(pattern)).then(|| glob::unescape(pattern));
        let mut parts: [Glob<'p>; 5] = Default::default();
        let mut count = 0u8;
        let mut rest = None;
        let mut pat_rest = pattern;
        for k in 0..5 {
            let (part, next) = split_colon(pat_rest);
            if ends_with_star(part) {
                rest = Some((k, Rest::new(pat_rest)));
                break;
            }
            if let Some(slot) = parts.get_mut(k) {
                *slot = Glob::new(part);
                count += 1;
            }
            match next {
                Some(n) => pat_rest = n,
                None => break,
            }
            if k == 4 {
                rest = Some((5, Rest::new(pat_rest)));
            }
        }
        let (head, exact) = exact_head(pattern, &parts, usize::from(count));
        ResourcePattern::Parts { parts, count, rest, literal, head, exact }
    }

    /// Whether `resource` matches, with wildcards reaching as `reach` says;
    /// `offsets` are the resource's [`part_offsets`] (computed once per
    /// request).
    pub fn matches(&self, resource: &str, offsets: Option<&[usize; 6]>, reach: Reach) -> bool {
        let ResourcePattern::Parts { parts, count, rest, literal, head, exact } = self else { return true };
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
        for k in exact..6 {
            if let Some((at, r)) = rest {
                if *at == k {
                    let start = offsets.get(k).copied().unwrap_or(0);
                    return r.matches(resource.get(start..).unwrap_or(""), reach);
                }
            }
            let Some(g) = parts.get(k) else {
                // The pattern has fewer than six parts.
                return false;
            };
            let start = offsets.get(k).copied().unwrap_or(0);
            let end = offsets.get(k + 1).map_or(resource.len(), |e| e.saturating_sub(1));
            if !g.matches(resource.get(start..end).unwrap_or(""), false) {
                return false;
            }
        }
        false
    }
}

/// The leading parts of a compiled pattern that are literal and followed
/// by a colon (at most five), as the pattern's text up to the last of
/// those colons, and how many they are. A part with an escape is left to
/// the part-by-part match. Literal parts hold no colon, so an ARN's text
/// up to the start of its part `exact` equals the head exactly when each
/// of those parts equals its literal.
fn exact_head<'p>(pattern: &'p str, parts: &[Glob<'p>; 5], count: usize) -> (Cow<'p, str>, u8) {
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
mod tests;
