//! `policy-size-exceeded`: the size limits of each policy kind (SPEC §1.12).

use super::Cx;
use crate::diagnostic::{thousands, Code, Diagnostic, Severity};
use crate::policy::PolicyKind;
use crate::span::Span;

/// How a kind's limit counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    /// Every character except space, tab, line feed and carriage return
    /// (IAM: "IAM doesn't count white space characters").
    NonWhitespace,
    /// Every character, whitespace included (Organizations and VPC
    /// endpoint policies; STS session policies, whose limit is on the
    /// plaintext as sent).
    All,
}

/// The limit for a policy: characters, how they are counted, the
/// category of the finding, and what the limit is called.
struct Limit {
    max: usize,
    count: Count,
    severity: Severity,
    what: &'static str,
    help: &'static str,
}

/// `policy-size-exceeded` (ERROR for SCPs, RCPs, VPC endpoint and session
/// policies; WARNING for identity policies, boundaries and role trust
/// policies): the document is larger than AWS accepts for its kind.
///
/// What counts (SPEC §1.12), in Unicode characters of the document text:
/// - identity policies and permissions boundaries: 6,144 characters without
///   whitespace (the limit of one managed policy; inline policies share a
///   per-identity total of 2,048 for users, 5,120 for groups and 10,240 for
///   roles, which depends on the other inline policies);
/// - role trust policies (a resource policy whose actions are all `sts:`):
///   2,048 characters without whitespace (the default quota; it can be
///   raised);
/// - other resource policies: not checked (each service has its own limit);
/// - session policies: 2,048 characters, whitespace included;
/// - SCPs and RCPs: 5,120 characters, whitespace included;
/// - VPC endpoint policies: 20,480 characters, whitespace included.
///
/// Identity and trust policies are WARNINGs as in Access Analyzer (AWS
/// managed policies are larger than the customer limit); the other kinds are
/// rejected when attached, so they are ERRORs.
///
/// Example: an SCP of 6,000 characters.
pub(super) fn check(cx: &mut Cx<'_, '_>) {
    let Some(limit) = limit(cx) else { return };
    let text = cx.policy.span.slice(cx.source);
    if text.is_empty() {
        return;
    }
    let size = match limit.count {
        Count::All => text.chars().count(),
        Count::NonWhitespace => text.chars().filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r')).count(),
    };
    if size <= limit.max {
        return;
    }
    let how = match limit.count {
        Count::All => "whitespace included",
        Count::NonWhitespace => "whitespace not counted",
    };
    let start = cx.policy.span.start;
    let message = format!(
        "the {} is {} characters, more than the {} allowed for {} ({how})",
        cx.kind().title(),
        thousands(size),
        thousands(limit.max),
        limit.what
    );
    cx.emit(
        Diagnostic::new(Code::PolicySizeExceeded, limit.severity, Span::new(start, start + 1), message)
            .with_help(limit.help),
    );
}

fn limit(cx: &Cx<'_, '_>) -> Option<Limit> {
    let limit = |max, count, severity, what, help| Some(Limit { max, count, severity, what, help });
    match cx.kind() {
        PolicyKind::Identity | PolicyKind::Boundary => limit(
            6_144,
            Count::NonWhitespace,
            Severity::Warning,
            "a managed policy",
            "split the policy into several managed policies, or use wildcards and fewer statements",
        ),
        PolicyKind::Resource if is_trust_policy(cx) => limit(
            2_048,
            Count::NonWhitespace,
            Severity::Warning,
            "a role trust policy by default",
            "shorten the policy, or ask for a higher `Role trust policy length` quota",
        ),
        PolicyKind::Resource => None,
        PolicyKind::Session => limit(
            2_048,
            Count::All,
            Severity::Error,
            "a session policy",
            "session policies (inline text and managed ARNs together) are limited to 2,048 characters",
        ),
        PolicyKind::Scp => limit(
            5_120,
            Count::All,
            Severity::Error,
            "a service control policy",
            "remove whitespace, or split the policy",
        ),
        PolicyKind::Rcp => limit(
            5_120,
            Count::All,
            Severity::Error,
            "a resource control policy",
            "remove whitespace, or split the policy",
        ),
        PolicyKind::Vpce => limit(
            20_480,
            Count::All,
            Severity::Error,
            "a VPC endpoint policy",
            "remove whitespace, or shorten the policy",
        ),
    }
}

/// A resource policy whose actions are all STS actions is a role trust policy.
fn is_trust_policy(cx: &Cx<'_, '_>) -> bool {
    let mut actions =
        cx.policy.statements.iter().filter(|s| !s.action.negated).flat_map(|s| &s.action.values).peekable();
    actions.peek().is_some() && actions.all(|a| a.as_str().get(..4).is_some_and(|p| p.eq_ignore_ascii_case("sts:")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(5), "5");
        assert_eq!(super::thousands(5120), "5,120");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
