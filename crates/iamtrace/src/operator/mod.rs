//! Condition operators: their names (`[ForAllValues:|ForAnyValue:]Base[IfExists]`),
//! the values each family accepts, and how one request value compares with
//! one policy value. One file per operator family.
//!
//! The policy reader checks names and values here; [`crate::condition`]
//! evaluates whole conditions (missing keys, set qualifiers, variables).

mod binary;
pub(crate) mod boolean;
pub mod date;
mod ip;
pub mod numeric;
mod string;

use serde::Serialize;

use crate::arn;
use crate::diagnostic::{nearest, quote, Code, Diagnostic};
use crate::span::Span;

/// The set qualifier of an operator, for multivalued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// Operator families; one module of `condition` evaluates each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

macro_rules! base_ops {
    ($($name:ident => $family:ident, $negated:expr;)*) => {
        /// A base condition operator, without qualifier or `IfExists`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum BaseOp { $($name,)* }

        impl BaseOp {
            pub const ALL: &'static [BaseOp] = &[$(BaseOp::$name,)*];

            pub fn name(self) -> &'static str {
                match self { $(BaseOp::$name => stringify!($name),)* }
            }

            pub fn family(self) -> Family {
                match self { $(BaseOp::$name => Family::$family,)* }
            }

            /// Negated operators (`...Not...`, `NotIpAddress`) combine several
            /// policy values with NOR and are true for a missing key.
            pub fn is_negated(self) -> bool {
                match self { $(BaseOp::$name => $negated,)* }
            }

            pub fn from_name(name: &str) -> Option<BaseOp> {
                match name { $(stringify!($name) => Some(BaseOp::$name),)* _ => None }
            }
        }
    };
}

base_ops! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    BinaryEquals => Binary, false;
    IpAddress => Ip, false;
    NotIpAddress => Ip, true;
    ArnEquals => Arn, false;
    ArnLike => Arn, false;
    ArnNotEquals => Arn, true;
    ArnNotLike => Arn, true;
    Null => Null, false;
}

impl BaseOp {
    /// Whether the operator's values take policy variables, as AWS documents
    /// without dispute (String and ARN operators). `Bool` is disputed: see
    /// `condition::substitutes` for the whole rule.
    pub fn takes_variables(self) -> bool {
        matches!(self.family(), Family::String | Family::Arn)
    }
}

/// A parsed operator name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Operator {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set: Option<SetQualifier>,
    pub base: BaseOp,
    pub if_exists: bool,
}

impl Operator {
    pub fn negated(&self) -> bool {
        self.base.is_negated()
    }

    /// A set qualifier over a string operator without wildcards
    /// (`ForAnyValue:StringEquals`, ...): AWS asks for `StringLike` when a
    /// multivalued key is compared with policy variables (SPEC §3.11).
    pub fn is_set_without_like(&self) -> bool {
        self.set.is_some()
            && self.base.family() == Family::String
            && !matches!(self.base, BaseOp::StringLike | BaseOp::StringNotLike)
    }

    /// Parses an operator name (exact spelling, as AWS documents it).
    pub fn parse(text: &str, span: Span) -> Result<Operator, Diagnostic> {
        let (set, rest) = if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, text)
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let Some(base) = BaseOp::from_name(base_name) else {
            return Err(unknown(text, span));
        };
        if base == BaseOp::Null && if_exists {
            return Err(Diagnostic::error(
                Code::ConditionNullIfexists,
                span,
                "`Null` cannot take the `IfExists` suffix",
            )
            .with_help("`Null` already tests whether the key exists; use `Null` alone"));
        }
        if base == BaseOp::Null && set.is_some() {
            return Err(Diagnostic::error(
                Code::ConditionNullSetQualifier,
                span,
                "`Null` cannot take `ForAllValues:` or `ForAnyValue:`",
            )
            .with_help("use `Null` alone; it tests whether the key is present"));
        }
        Ok(Operator { set, base, if_exists })
    }
}

/// Checks a policy value against its operator's value syntax.
pub fn check_value(base: BaseOp, value: &str) -> Result<(), String> {
    match base.family() {
        Family::Numeric => numeric::check(value),
        Family::Date => date::check(value),
        Family::Bool => boolean::check(value),
        Family::Binary => binary::check(value),
        Family::Ip => ip::check(value),
        Family::Null => boolean::check(value),
        Family::String | Family::Arn => Ok(()),
    }
}

/// A policy value parsed once for its operator family (dates and IP
/// ranges), for evaluating many requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    Date(date::Instant),
    Ip(ip::Cidr),
    /// Not parsed ahead: compared as text (or not a valid value).
    Text,
}

impl Parsed {
    pub fn new(base: BaseOp, policy: &str) -> Parsed {
        match base.family() {
            Family::Date => date::parse(policy).map_or(Parsed::Text, Parsed::Date),
            Family::Ip => ip::parse_cidr(policy).map_or(Parsed::Text, Parsed::Ip),
            _ => Parsed::Text,
        }
    }
}

/// [`value_matches`] with the policy value parsed ahead.
pub(crate) fn parsed_matches(base: BaseOp, parsed: Parsed, policy: &str, request: &str) -> bool {
    match parsed {
        Parsed::Date(p) => date::parse(request).is_some_and(|r| numeric::satisfies(base, r.cmp(&p))),
        Parsed::Ip(net) => request.trim().parse::<std::net::IpAddr>().is_ok_and(|a| ip::contains(net, a)),
        Parsed::Text => value_matches(base, policy, request),
    }
}

/// Positive comparison of one request value with one prepared policy value
/// (negated operators compare the same way; the caller negates).
pub(crate) fn value_matches(base: BaseOp, policy: &str, request: &str) -> bool {
    match base.family() {
        Family::String => string::matches(base, policy, request),
        Family::Numeric => numeric::matches(base, policy, request),
        Family::Date => date::matches(base, policy, request),
        Family::Bool => boolean::matches(policy, request),
        Family::Binary => binary::matches(policy, request),
        Family::Ip => ip::matches(policy, request),
        Family::Arn => arn::arn_like(policy, request),
        Family::Null => false,
    }
}

fn unknown(text: &str, span: Span) -> Diagnostic {
    let d =
        Diagnostic::error(Code::ConditionUnknownOperator, span, format!("unknown condition operator {}", quote(text)));
    // Compare the base name without qualifier/suffix for the suggestion.
    let (prefix, rest) = match text.find(':') {
        Some(i) => text.split_at(i + 1),
        None => ("", text),
    };
    let (core, suffix) = match rest.strip_suffix("IfExists") {
        Some(c) => (c, "IfExists"),
        None => (rest, ""),
    };
    let fixed_prefix = if prefix.is_empty() {
        ""
    } else if prefix.eq_ignore_ascii_case("ForAllValues:") {
        "ForAllValues:"
    } else if prefix.eq_ignore_ascii_case("ForAnyValue:") {
        "ForAnyValue:"
    } else {
        return d.with_help("the only operator prefixes are `ForAllValues:` and `ForAnyValue:`");
    };
    if let Some(exact) = BaseOp::ALL.iter().find(|b| b.name().eq_ignore_ascii_case(core)) {
        return d
            .with_help(format!("operator names are case-sensitive: write `{fixed_prefix}{}{suffix}`", exact.name()));
    }
    // `Boolean` for `Bool`, `IpAddr` for `IpAddress`: one name begins with the other.
    let lower = core.to_ascii_lowercase();
    let prefixed = BaseOp::ALL.iter().map(|b| b.name()).filter(|n| {
        let n = n.to_ascii_lowercase();
        lower.len() >= 3 && (n.starts_with(&lower) || lower.starts_with(&n))
    });
    let by_prefix = {
        let all: Vec<&str> = prefixed.collect();
        if all.len() == 1 {
            all.first().copied()
        } else {
            None
        }
    };
    match by_prefix.or_else(|| nearest(core, BaseOp::ALL.iter().map(|b| b.name()))) {
        Some(n) => d.with_help(format!("did you mean `{fixed_prefix}{n}{suffix}`?")),
        None => d.with_help("see the list of condition operators in the IAM User Guide"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(s: &str) -> Result<Operator, Diagnostic> {
        Operator::parse(s, Span::default())
    }

    #[test]
    fn parses_qualifiers_and_suffix() {
        let o = op("ForAllValues:StringNotLikeIfExists").unwrap();
        assert_eq!(o.set, Some(SetQualifier::ForAllValues));
        assert_eq!(o.base, BaseOp::StringNotLike);
        assert!(o.if_exists && o.negated());
        assert_eq!(op("Bool").unwrap().base.family(), Family::Bool);
        assert!(op("NotIpAddress").unwrap().negated());
    }

    #[test]
    fn rejects_bad_names_with_help() {
        let e = op("stringequals").unwrap_err();
        assert!(e.help.unwrap().contains("`StringEquals`"));
        let e = op("StringEqualIfExists").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `StringEqualsIfExists`?"));
        assert_eq!(op("Boolean").unwrap_err().help.as_deref(), Some("did you mean `Bool`?"));
        assert_eq!(op("NullIfExists").unwrap_err().code, Code::ConditionNullIfexists);
        assert_eq!(op("ForAnyValue:Null").unwrap_err().code, Code::ConditionNullSetQualifier);
        assert!(op("ForSomeValues:StringLike").unwrap_err().help.unwrap().contains("prefixes"));
    }
}
