//! `Numeric*` operators: exact decimal comparison (no floating-point rounding).

use std::cmp::Ordering;

use super::BaseOp;

/// A decimal number split into sign, integer digits and fraction digits,
/// without leading or trailing zeros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
}

/// Parses `-?digits(.digits)?` (a leading `+` is accepted).
pub fn parse(s: &str) -> Option<Decimal<'_>> {
    let t = s.trim();
    let (negative, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if body.contains('.') && frac.is_empty() {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let zero = int.is_empty() && frac.is_empty();
    Some(Decimal { negative: negative && !zero, int, frac })
}

pub fn compare(a: Decimal<'_>, b: Decimal<'_>) -> Ordering {
    match (a.negative, b.negative) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (neg, _) => {
            let mag = a.int.len().cmp(&b.int.len()).then_with(|| a.int.cmp(b.int)).then_with(|| a.frac.cmp(b.frac));
            if neg {
                mag.reverse()
            } else {
                mag
            }
        }
    }
}

/// Whether `ordering` (request value compared to policy value) satisfies the
/// positive form of `base` (`NumericNotEquals` tests equality; the caller negates).
pub fn satisfies(base: BaseOp, ordering: Ordering) -> bool {
    match base {
        BaseOp::NumericEquals | BaseOp::NumericNotEquals | BaseOp::DateEquals | BaseOp::DateNotEquals => {
            ordering == Ordering::Equal
        }
        BaseOp::NumericLessThan | BaseOp::DateLessThan => ordering == Ordering::Less,
        BaseOp::NumericLessThanEquals | BaseOp::DateLessThanEquals => ordering != Ordering::Greater,
        BaseOp::NumericGreaterThan | BaseOp::DateGreaterThan => ordering == Ordering::Greater,
        BaseOp::NumericGreaterThanEquals | BaseOp::DateGreaterThanEquals => ordering != Ordering::Less,
        _ => false,
    }
}

pub fn matches(base: BaseOp, policy: &str, request: &str) -> bool {
    match (parse(request), parse(policy)) {
        (Some(r), Some(p)) => satisfies(base, compare(r, p)),
        _ => false,
    }
}

pub fn check(value: &str) -> Result<(), String> {
    parse(value).map(|_| ()).ok_or_else(|| format!("`{value}` is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(parse(a).unwrap(), parse(b).unwrap())
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(cmp("3600", "4000"), Ordering::Less);
        assert_eq!(cmp("10", "9"), Ordering::Greater);
        assert_eq!(cmp("2.50", "2.5"), Ordering::Equal);
        assert_eq!(cmp("-1", "0"), Ordering::Less);
        assert_eq!(cmp("-0", "0"), Ordering::Equal);
        assert_eq!(cmp("-2", "-10"), Ordering::Greater);
        assert_eq!(cmp("007", "7"), Ordering::Equal);
        assert_eq!(cmp("9007199254740993", "9007199254740992"), Ordering::Greater);
        assert_eq!(cmp(".5", "0.5"), Ordering::Equal);
    }

    #[test]
    fn rejects_non_numbers() {
        for s in ["", "abc", "1.", "1e5", "--1", "1.2.3", "NaN", "inf"] {
            assert!(parse(s).is_none(), "{s}");
        }
        assert!(matches(BaseOp::NumericLessThanEquals, "3600", "3600"));
        assert!(!matches(BaseOp::NumericLessThanEquals, "3600", "4000"));
        assert!(!matches(BaseOp::NumericEquals, "x", "1"));
    }
}
