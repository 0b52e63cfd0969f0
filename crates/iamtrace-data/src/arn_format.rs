//! Whether a policy's `Resource` pattern can match an ARN of a resource
//! type's format.
//!
//! A format such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}` is
//! read as a pattern in which each `${Placeholder}` stands for one or more
//! characters. A policy pattern has `*` (any run), `?` (one character) and
//! policy variables (`${aws:username}`, read as `*`; `${*}`, `${?}` and
//! `${$}` are the literal characters). The two can match a common ARN when
//! the languages of the two patterns intersect, which is decided exactly by
//! a search over pairs of positions (at most `(|pattern|+1) × (|format|+1)`
//! states, no backtracking).
//!
//! Placeholders of the first five parts (`${Partition}`, `${Region}`,
//! `${Account}`) never contain `:`. Otherwise the answer over-approximates
//! AWS's matching on purpose: resource-part placeholders may contain `:` and
//! `/`, policy wildcards may cross colons, and letters compare without
//! case. A `false` is therefore a sure mismatch.

/// One position of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// Any run of characters, possibly empty.
    Star,
    /// Exactly one character.
    One,
    /// Any run of characters other than `:`, possibly empty.
    StarNoColon,
    /// Exactly one character other than `:`.
    OneNoColon,
    Lit(u8),
}

/// Whether some ARN matches both the policy `pattern` and the resource-type
/// `format`.
pub fn pattern_fits(pattern: &str, format: &str) -> bool {
    let p = policy_tokens(pattern);
    let f = format_tokens(format);
    intersects(&p, &f)
}

fn policy_tokens(pattern: &str) -> Vec<Tok> {
    let bytes = pattern.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'$' && bytes.get(i + 1) == Some(&b'{') {
            if let Some(close) = pattern.get(i + 2..).and_then(|r| r.find('}')) {
                let body = pattern.get(i + 2..i + 2 + close).unwrap_or("").trim();
                match body {
                    "*" => out.push(Tok::Lit(b'*')),
                    "?" => out.push(Tok::Lit(b'?')),
                    "$" => out.push(Tok::Lit(b'$')),
                    _ => push_star(&mut out),
                }
                i += close + 3;
                continue;
            }
        }
        match b {
            b'*' => push_star(&mut out),
            b'?' => out.push(Tok::One),
            _ => out.push(Tok::Lit(b.to_ascii_lowercase())),
        }
        i += 1;
    }
    out
}

fn format_tokens(format: &str) -> Vec<Tok> {
    let bytes = format.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut colons = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'$' && bytes.get(i + 1) == Some(&b'{') {
            if let Some(close) = format.get(i + 2..).and_then(|r| r.find('}')) {
                if colons < 5 {
                    out.extend([Tok::OneNoColon, Tok::StarNoColon]);
                } else {
                    out.push(Tok::One);
                    push_star(&mut out);
                }
                i += close + 3;
                continue;
            }
        }
        if b == b':' {
            colons += 1;
        }
        out.push(Tok::Lit(b.to_ascii_lowercase()));
        i += 1;
    }
    out
}

fn push_star(out: &mut Vec<Tok>) {
    if out.last() != Some(&Tok::Star) {
        out.push(Tok::Star);
    }
}

fn is_star(t: Tok) -> bool {
    matches!(t, Tok::Star | Tok::StarNoColon)
}

/// Whether the languages of two token patterns intersect.
fn intersects(p: &[Tok], f: &[Tok]) -> bool {
    let width = f.len() + 1;
    let mut seen = vec![false; (p.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let Some(slot) = seen.get_mut(i * width + j) else { continue };
        if *slot {
            continue;
        }
        *slot = true;
        let (a, b) = (p.get(i).copied(), f.get(j).copied());
        if a.is_none() && b.is_none() {
            return true;
        }
        // A star may match nothing.
        if a.is_some_and(is_star) {
            stack.push((i + 1, j));
        }
        if b.is_some_and(is_star) {
            stack.push((i, j + 1));
        }
        // Both read one common character.
        let (Some(a), Some(b)) = (a, b) else { continue };
        let compatible = match (a, b) {
            (Tok::Lit(x), Tok::Lit(y)) => x == y,
            (Tok::Lit(c), other) | (other, Tok::Lit(c)) => {
                c != b':' || !matches!(other, Tok::StarNoColon | Tok::OneNoColon)
            }
            _ => true,
        };
        if compatible {
            let ni = if is_star(a) { i } else { i + 1 };
            let nj = if is_star(b) { j } else { j + 1 };
            stack.push((ni, nj));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::pattern_fits;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const TABLE: &str = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";

    #[test]
    fn object_and_bucket_arns() {
        assert!(pattern_fits("arn:aws:s3:::bucket/*", OBJECT));
        assert!(pattern_fits("arn:aws:s3:::bucket/key.txt", OBJECT));
        assert!(!pattern_fits("arn:aws:s3:::bucket", OBJECT));
        assert!(pattern_fits("arn:aws:s3:::bucket", BUCKET));
        // `*` may stand for a slash, so `bucket*` fits objects too.
        assert!(pattern_fits("arn:aws:s3:::bucket*", OBJECT));
        assert!(!pattern_fits("arn:aws:s3:::bucket/", OBJECT));
        assert!(!pattern_fits("arn:aws:ec2:::bucket/x", OBJECT));
        // Partition, region and account never contain a colon.
        assert!(!pattern_fits("arn:aws:s3:::bucket/*", TABLE));
    }

    #[test]
    fn regions_accounts_and_variables() {
        assert!(pattern_fits("arn:aws:dynamodb:*:*:table/Orders", TABLE));
        assert!(pattern_fits("arn:aws:dynamodb:us-east-1:111122223333:table/${aws:username}", TABLE));
        assert!(!pattern_fits("arn:aws:dynamodb:::table/Orders", TABLE));
        assert!(!pattern_fits("arn:aws:dynamodb:us-east-1:111122223333:stream/x", TABLE));
        assert!(pattern_fits("arn:aws:dynamodb:us-east-1:111122223333:t?ble/x", TABLE));
        assert!(pattern_fits("*", TABLE));
        assert!(pattern_fits("arn:*", TABLE));
        assert!(pattern_fits("ARN:AWS:DynamoDB:us-east-1:1:Table/x", TABLE));
    }

    #[test]
    fn literal_specials_are_literal() {
        assert!(pattern_fits("arn:aws:ec2:*::snapshot/${*}", "arn:${Partition}:ec2:${Region}::snapshot/${SnapshotId}"));
        assert!(!pattern_fits("arn:aws:s3:::b/${*}", "arn:${Partition}:s3:::${BucketName}/x"));
    }

    #[test]
    fn long_patterns_stay_cheap() {
        let pattern = format!("arn:aws:s3:::{}b", "*a".repeat(200));
        assert!(!pattern_fits(&pattern, "arn:${Partition}:s3:::${BucketName}/c"));
    }
}
