//! `String*` operators.

use super::BaseOp;
use crate::glob;

/// Positive comparison of one request value with one policy value.
/// For `...Like` the policy value is in [`glob`] syntax.
pub fn matches(base: BaseOp, policy: &str, request: &str) -> bool {
    match base {
        BaseOp::StringEquals | BaseOp::StringNotEquals => policy == request,
        BaseOp::StringEqualsIgnoreCase | BaseOp::StringNotEqualsIgnoreCase => {
            policy.eq_ignore_ascii_case(request)
                || (!policy.is_ascii() && policy.to_lowercase() == request.to_lowercase())
        }
        BaseOp::StringLike | BaseOp::StringNotLike => glob::matches(policy, request),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_comparisons() {
        assert!(!matches(BaseOp::StringEquals, "johndoe", "JohnDoe"));
        assert!(matches(BaseOp::StringEqualsIgnoreCase, "johndoe", "JohnDoe"));
        assert!(matches(BaseOp::StringEqualsIgnoreCase, "ÉTÉ", "été"));
        assert!(matches(BaseOp::StringEquals, "a*", "a*"));
        assert!(!matches(BaseOp::StringEquals, "a*", "ab"));
        assert!(matches(BaseOp::StringLike, "t1.*", "t1.micro"));
    }
}
