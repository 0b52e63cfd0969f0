//! The built-in examples: scenario files under `web/examples/` (the
//! SCENARIO.md format, each with `expected`), compiled in.

use iamtrace::api;

/// One built-in example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The id used in links (`#example=s3-read`).
    pub id: &'static str,
    pub title: &'static str,
    /// What the example teaches, in one sentence.
    pub blurb: &'static str,
    /// The scenario JSON.
    pub source: &'static str,
}

/// The example a first visit opens.
pub const DEFAULT: &str = "s3-read";

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "s3-read",
        title: "IAM user reads from S3",
        blurb: "One identity policy, two statements: the second grants the read.",
        source: include_str!("../examples/01-s3-read.json"),
    },
    Example {
        id: "assume-role-session-policy",
        title: "AssumeRole with a session policy",
        blurb: "The role may write, but the session policy passed to AssumeRole only allows reads.",
        source: include_str!("../examples/02-assume-role-session-policy.json"),
    },
    Example {
        id: "cross-account-bucket",
        title: "Cross-account bucket policy",
        blurb: "Both accounts must agree: the bucket policy trusts the caller's account and its identity policy allows.",
        source: include_str!("../examples/03-cross-account-bucket.json"),
    },
    Example {
        id: "permissions-boundary",
        title: "Permissions boundary on a delegated admin",
        blurb: "The admin's policy allows iam:*, but the boundary only lets her create users that get the developer boundary.",
        source: include_str!("../examples/04-permissions-boundary.json"),
    },
    Example {
        id: "explicit-deny",
        title: "Explicit deny beats allow",
        blurb: "s3:* is allowed, but a Deny on the production bucket wins, whatever the order.",
        source: include_str!("../examples/05-explicit-deny.json"),
    },
    Example {
        id: "cloudtrail-mfa-delete",
        title: "CloudTrail logs: no deletes without MFA",
        blurb: "A bucket policy Deny with BoolIfExists aws:MultiFactorAuthPresent stops even an administrator.",
        source: include_str!("../examples/06-cloudtrail-mfa-delete.json"),
    },
    Example {
        id: "deny-non-tls",
        title: "Deny requests not made over TLS",
        blurb: "aws:SecureTransport is false, so the bucket policy's Deny applies.",
        source: include_str!("../examples/07-deny-non-tls.json"),
    },
    Example {
        id: "object-lock-bypass",
        title: "Object Lock governance bypass",
        blurb: "s3:BypassGovernanceRetention: the bucket denies it to all but the RetentionAdmin role, which must use MFA.",
        source: include_str!("../examples/08-object-lock-bypass.json"),
    },
    Example {
        id: "scp-regions",
        title: "SCP restricting regions",
        blurb: "Two SCP levels; the second denies everything outside two EU regions except global services.",
        source: include_str!("../examples/09-scp-regions.json"),
    },
    Example {
        id: "rcp-data-perimeter",
        title: "RCP keeping data in the organization",
        blurb: "The bucket policy is too generous; the resource control policy denies principals outside the organization.",
        source: include_str!("../examples/10-rcp-data-perimeter.json"),
    },
];

/// The credential walkthroughs: chain scenarios (`examples/sts-*.json`
/// of the repository, the CLI's examples), each with `expected_hops`.
pub const CHAINS: &[Example] = &[
    Example {
        id: "sts-course-assume-role",
        title: "Chain: access key, AssumeRole, S3 read",
        blurb: "The course flow: a user's key assumes a role for 900 seconds with a session policy, then reads S3.",
        source: include_str!("../../examples/sts-course-assume-role.json"),
    },
    Example {
        id: "sts-role-chaining-over-one-hour",
        title: "Chain: role chaining over one hour",
        blurb: "A role session asks a second role for two hours: role chaining allows at most one, so the call fails.",
        source: include_str!("../../examples/sts-role-chaining-over-one-hour.json"),
    },
    Example {
        id: "sts-missing-tag-session",
        title: "Chain: session tags without sts:TagSession",
        blurb: "AssumeRole passes session tags, but the trust policy does not allow sts:TagSession.",
        source: include_str!("../../examples/sts-missing-tag-session.json"),
    },
    Example {
        id: "sts-leaked-key-inactive",
        title: "Chain: a leaked key made inactive",
        blurb: "The access key was deactivated after a leak: AWS refuses it before reading any policy.",
        source: include_str!("../../examples/sts-leaked-key-inactive.json"),
    },
];

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// A built-in chain scenario.
pub fn find_chain(id: &str) -> Option<&'static Example> {
    CHAINS.iter().find(|e| e.id == id)
}

/// An example's scenario, with policy texts re-indented as if each had been
/// pasted on its own.
pub fn input(id: &str) -> Option<api::Input> {
    let example = find(id)?;
    let mut input = api::input_from_scenario(example.source).ok()?;
    input.policies = input.policies.map(|_, t| api::PolicyText { text: dedent(&t.text), ..t });
    Some(input)
}

/// Removes, from every line after the first, the indentation of the last
/// line (the closing brace of a policy cut out of a larger document), and
/// ends the text with a newline.
pub fn dedent(text: &str) -> String {
    let last = text.lines().last().unwrap_or("");
    let indent = last.get(..last.len() - last.trim_start().len()).unwrap_or("");
    let mut out = String::with_capacity(text.len() + 1);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(line.strip_prefix(indent).unwrap_or(line));
        } else {
            out.push_str(line);
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedent_reindents_cut_out_policies() {
        assert_eq!(dedent("{\n      \"a\": 1\n    }"), "{\n  \"a\": 1\n}\n");
        assert_eq!(dedent("{}"), "{}\n");
    }

    #[test]
    fn every_example_loads_and_ids_are_unique() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            assert!(input(e.id).is_some(), "{} does not load", e.id);
            assert!(EXAMPLES.iter().skip(i + 1).all(|o| o.id != e.id), "duplicate id {}", e.id);
        }
        assert!(find(DEFAULT).is_some());
        for c in CHAINS {
            assert!(iamtrace::walk::has_chain(c.source), "{} is not a chain", c.id);
            assert!(find(c.id).is_none(), "{} is also a one-request example", c.id);
        }
    }
}
