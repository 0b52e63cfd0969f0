//! ARN parsing and resource matching (SPEC §2.2, §7).

use super::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn compiled_resource_patterns_match_like_resource_matches(
        pattern in "(arn|\\*|a)(:[a-z*?\\\\]{0,3}){0,8}",
        resource in "(arn|a|\\*)(:[a-z*]{0,3}){0,9}",
    ) {
        let compiled = ResourcePattern::new(&pattern);
        let offsets = part_offsets(&resource);
        for reach in [Reach::Segments, Reach::Glob] {
            prop_assert_eq!(
                compiled.matches(&resource, offsets.as_ref(), reach),
                resource_matches(&pattern, &resource, reach),
                "{:?} {:?}", reach, compiled
            );
        }
        // Staying in segments matches less: never where the glob does not.
        if resource_matches(&pattern, &resource, Reach::Segments) {
            prop_assert!(resource_matches(&pattern, &resource, Reach::Glob));
        }
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
    // Parts one to five, under either reach.
    for reach in [Reach::Segments, Reach::Glob] {
        let m = |p: &str, r: &str| resource_matches(p, r, reach);
        assert!(m("*", "*"));
        assert!(m("*", "arn:aws:s3:::b"));
        assert!(!m("arn:aws:s3:::*", "*"));
        assert!(m("arn:aws:s3:::*", "arn:aws:s3:::bucket/key"));
        assert!(m("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:1:instance/i-1"));
        assert!(m("arn:aws:iam::*:user/Bob", "arn:aws:iam::123456789012:user/Bob"));
        // a segment-final star crosses colons
        assert!(m("arn:aws:sqs:*", "arn:aws:sqs:us-east-1:1:q"));
        // a mid-segment star in parts one to five does not
        assert!(!m(
            "arn:aws:sqs:us-*-2:111122223333:orders",
            "arn:aws:sqs:us-east-2:444455556666:x-2:111122223333:orders"
        ));
        assert!(m("arn:aws:sqs:us-*-2:111122223333:orders", "arn:aws:sqs:us-east-2:111122223333:orders"));
        assert!(!m("arn:aws:s3:::*log*", "arn:aws:s3:::carlossalazar/file.txt"));
        assert!(m("arn:aws:s3:::*log*", "arn:aws:s3:::production-logs/file.txt"));
        assert!(!m("arn:aws:iam::1:user/Bob", "arn:aws:iam::1:user/bob"));
        assert!(!m("arn:aws:s3", "arn:aws:s3:::b"));
        assert!(m("arn:aws:logs:us-east-1:1:delivery-source:*", "arn:aws:logs:us-east-1:1:delivery-source:my-source"));
    }
    // The resource part's own colons: segments under `Reach::Segments`, one
    // glob under `Reach::Glob`.
    let f = "arn:aws:lambda:us-east-1:1:function:";
    let cases = [
        // (pattern, resource, segments, glob)
        ("*-dev", "admin-fn:x-dev", false, true),
        ("*-dev", "app-dev", true, true),
        ("my-fn?prod", "my-fn:prod", false, true),
        ("my-fn?prod", "my-fn-prod", true, true),
        ("*", "my-fn:prod", true, true),
        ("my-*", "my-fn:prod", true, true),
        ("my-fn:*", "my-fn:prod", true, true),
        ("my-fn:p*d", "my-fn:prod", true, true),
        ("my-fn:p*d", "my-fn:pr:od", false, true),
        ("my-fn", "my-fn:prod", false, false),
        ("my-fn:prod", "my-fn", false, false),
        ("*:prod", "my-fn:prod", true, true),
        ("a*b*", "a:xb:y", false, true),
        ("my*:x?z", "my:x:z", false, true),
        ("my*:x?z", "my:a:xyz", true, true),
    ];
    for (pattern, name, segments, glob) in cases {
        let (pattern, resource) = (format!("{f}{pattern}"), format!("{f}{name}"));
        let offsets = part_offsets(&resource);
        let compiled = ResourcePattern::new(&pattern);
        for (reach, expected) in [(Reach::Segments, segments), (Reach::Glob, glob)] {
            assert_eq!(
                resource_matches(&pattern, &resource, reach),
                expected,
                "{pattern} against {resource}, {reach:?}"
            );
            assert_eq!(compiled.matches(&resource, offsets.as_ref(), reach), expected, "{pattern} compiled, {reach:?}");
        }
    }
    // A part ending in `*` before the resource part: the rest follows the reach too.
    let (p, r) =
        ("arn:aws:lambda:*:111122223333:function:*-dev", "arn:aws:lambda:us-east-1:111122223333:function:admin:x-dev");
    assert!(!resource_matches(p, r, Reach::Segments));
    assert!(resource_matches(p, r, Reach::Glob));
    let g = "arn:aws:logs:us-east-1:1:log-group:";
    let m = |p: &str, r: &str| resource_matches(&format!("{g}{p}"), &format!("{g}{r}"), Reach::Segments);
    assert!(m("app*:log-stream:*", "app-1:log-stream:s"));
    assert!(!m("app*stream-1", "app:log-stream:stream-1"));
    // S3 keys may hold colons: a Deny (`Reach::Glob`) still covers them.
    let (p, r) = ("arn:aws:s3:::logs/*.log", "arn:aws:s3:::logs/2024-01-01T10:00:00.log");
    assert!(resource_matches(p, r, Reach::Glob));
    assert!(!resource_matches(p, r, Reach::Segments));
    // The reach that denies, by effect and element.
    assert_eq!(Reach::for_element(true, false), Reach::Segments);
    assert_eq!(Reach::for_element(false, false), Reach::Glob);
    assert_eq!(Reach::for_element(true, true), Reach::Glob);
    assert_eq!(Reach::for_element(false, true), Reach::Segments);
    // An escaped `*` is a literal, and does not end the segment as a wildcard.
    assert!(ends_with_star("a\\\\*"));
    assert!(!ends_with_star("a\\*"));
    // An absurdly long text: no match under the segment reading, at once.
    let long = format!("{f}a:{}", "b".repeat(MAX_TEXT));
    assert!(!resource_matches(&format!("{f}a?:*"), &long, Reach::Segments));
    assert!(resource_matches(&format!("{f}a?:*"), &long, Reach::Glob) == glob::matches("a?:*", &long[f.len()..]));
    // Absurdly many segments: no match, found at once.
    let many = format!("{f}{}", "a*:".repeat(400));
    assert!(!resource_matches(&many, &format!("{f}{}", "a:".repeat(400)), Reach::Segments));
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
