//! `Date*` operators. Values are W3C ISO 8601 dates (`YYYY`, `YYYY-MM`,
//! `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s]]TZD`) or epoch seconds.
//!
//! A string of one to four digits is read as a year, longer digit strings
//! as epoch seconds (AWS does not say how it reads `2024`).

use super::numeric::satisfies;
use super::BaseOp;

/// An instant as nanoseconds since 1970-01-01T00:00:00Z.
pub type Instant = i128;

const NANOS: i128 = 1_000_000_000;

pub fn parse(s: &str) -> Option<Instant> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() > 4 {
        return s.parse::<i128>().ok().map(|secs| secs * NANOS);
    }
    if let Some(rest) = s.strip_prefix('-') {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return rest.parse::<i128>().ok().map(|secs| -secs * NANOS);
        }
    }
    if let Some(utc) = canonical_utc(s) {
        return utc;
    }
    iso(s)
}

/// `YYYY-MM-DDThh:mm:ssZ`, the form AWS gives `aws:CurrentTime` and
/// `aws:TokenIssueTime` in, read by position: `None` when `s` has another
/// form, else what [`iso`] answers for it (property-tested).
fn canonical_utc(s: &str) -> Option<Option<Instant>> {
    let b: &[u8; 20] = s.as_bytes().try_into().ok()?;
    let shape = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't')
        && b[13] == b':'
        && b[16] == b':'
        && matches!(b[19], b'Z' | b'z');
    if !shape {
        return None;
    }
    let digits = |from: usize, to: usize| {
        let field = b.get(from..to)?;
        field.iter().try_fold(0i64, |n, &d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
    };
    let fields = (digits(0, 4), digits(5, 7), digits(8, 10), digits(11, 13), digits(14, 16), digits(17, 19));
    let (Some(year), Some(month), Some(day), Some(h), Some(m), Some(sec)) = fields else {
        return Some(None);
    };
    Some(date_nanos(year, month, day).zip(clock_secs(h, m, sec)).map(|(date, secs)| date + i128::from(secs) * NANOS))
}

/// The start of a calendar date, if it is one.
fn date_nanos(year: i64, month: i64, day: i64) -> Option<Instant> {
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(i128::from(days_from_civil(year, month, day)) * 86_400 * NANOS)
}

/// Seconds into the day of a time of day, if it is one (`24:00:00` ends
/// the day; second 60 is a leap second).
fn clock_secs(h: i64, m: i64, sec: i64) -> Option<i64> {
    if h > 24 || m > 59 || sec > 60 || (h == 24 && (m > 0 || sec > 0)) {
        return None;
    }
    Some(h * 3600 + m * 60 + sec)
}

/// A number of exactly `len` ASCII digits (`len` is at most 4: no overflow).
fn num(s: &str, len: usize) -> Option<i64> {
    if s.len() != len {
        return None;
    }
    s.bytes().try_fold(0i64, |n, b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
}

fn iso(s: &str) -> Option<Instant> {
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year = num(parts.next()?, 4)?;
    let month = parts.next().map(|m| num(m, 2)).unwrap_or(Some(1))?;
    let day = parts.next().map(|d| num(d, 2)).unwrap_or(Some(1))?;
    if parts.next().is_some() {
        return None;
    }
    let mut nanos = date_nanos(year, month, day)?;
    if let Some(t) = time {
        // Split off the zone designator.
        let (clock, offset_secs) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else if let Some(i) = t.rfind(['+', '-']) {
            let (c, z) = t.split_at(i);
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let z = z.get(1..)?;
            let (h, m) = z.split_once(':').unwrap_or((z.get(..2)?, z.get(2..)?));
            let (h, m) = (num(h, 2)?, num(m, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            (c, sign * (h * 3600 + m * 60))
        } else {
            (t, 0)
        };
        let mut hms = clock.split(':');
        let h = num(hms.next()?, 2)?;
        let m = num(hms.next()?, 2)?;
        let (sec, frac_nanos) = match hms.next() {
            None => (0, 0),
            Some(sec) => {
                let (whole, frac) = match sec.split_once('.') {
                    Some((w, f)) => (w, Some(f)),
                    None => (sec, None),
                };
                let whole = num(whole, 2)?;
                let frac_nanos = match frac {
                    None => 0,
                    Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
                        let digits: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
                        digits.parse::<i128>().ok()?
                    }
                    Some(_) => return None,
                };
                (whole, frac_nanos)
            }
        };
        if hms.next().is_some() {
            return None;
        }
        nanos += i128::from(clock_secs(h, m, sec)? - offset_secs) * NANOS + frac_nanos;
    }
    Some(nanos)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn matches(base: BaseOp, policy: &str, request: &str) -> bool {
    match (parse(request), parse(policy)) {
        (Some(r), Some(p)) => satisfies(base, r.cmp(&p)),
        _ => false,
    }
}

pub fn check(value: &str) -> Result<(), String> {
    parse(value).map(|_| ()).ok_or_else(|| format!("`{value}` is not a date (ISO 8601) or epoch time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_and_epoch() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("2026-01-01T00:00:00Z"), Some(1_767_225_600 * NANOS));
        assert_eq!(parse("1767225600"), parse("2026-01-01T00:00:00Z"));
        assert_eq!(parse("2026"), parse("2026-01-01T00:00:00Z"));
        assert_eq!(parse("2026-01"), parse("2026-01-01"));
        assert_eq!(parse("2026-01-01T01:00+01:00"), parse("2026-01-01T00:00:00Z"));
        assert_eq!(parse("2025-12-31T19:00:00-05:00"), parse("2026-01-01T00:00:00Z"));
        assert_eq!(parse("2020-06-30T23:59:59.5Z").unwrap() - parse("2020-06-30T23:59:59Z").unwrap(), NANOS / 2);
        assert_eq!(parse("2024-02-29"), Some(i128::from(days_from_civil(2024, 2, 29)) * 86_400 * NANOS));
    }

    #[test]
    fn rejects_malformed_dates() {
        for s in [
            "",
            "2023-02-29",
            "2020-13-01",
            "2020-1-1",
            "yesterday",
            "2020-01-01T25:00Z",
            "2020-01-01T10",
            "2020-01-01T10:00:00.Z",
        ] {
            assert!(parse(s).is_none(), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_canonical_form_reads_as_the_general_reader_reads_it(
            s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}[Zz]|[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9]Z|[0-9a-z:T-]{20}",
        ) {
            proptest::prop_assert_eq!(canonical_utc(&s).unwrap_or_else(|| iso(&s)), iso(&s));
        }
    }

    #[test]
    fn compares_instants() {
        assert!(matches(BaseOp::DateGreaterThan, "2020-04-01T00:00:00Z", "2020-05-15T12:00:00Z"));
        assert!(matches(BaseOp::DateLessThan, "1767225600", "2025-06-01T00:00:00Z"));
        assert!(!matches(BaseOp::DateEquals, "2020-01-01", "garbage"));
    }
}
