//! ASCII case-insensitive comparison, eight bytes at a time, and splitting
//! at an ASCII separator. Actions and context keys compare without case on
//! every statement a request meets; the standard library's byte-by-byte
//! fold was the largest single cost of matching an action pattern. A
//! request's set-up splits its action and ARNs at `:` and `/`; the
//! standard library's `char` splitters cost about a hundred instructions a
//! call on such short texts, a byte scan a few a byte.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `v` with the ASCII capitals `A`..=`Z` made lower
/// case and every other byte (non-ASCII ones included) left alone.
fn lower8(v: u64) -> u64 {
    // Seven low bits of each byte: adding to them never carries into the
    // next byte (0x7f + 0x3f < 0x100).
    let low = v & !HIGH;
    let from_a = low.wrapping_add(ONES * u64::from(0x80 - b'A'));
    let past_z = low.wrapping_add(ONES * u64::from(0x80 - b'Z' - 1));
    // High bit set where the byte is a capital (and ASCII).
    let capital = from_a & !past_z & !v & HIGH;
    v | (capital >> 2)
}

/// The eight bytes of `s` from `at` (callers keep `at + 8` within `s`).
fn load(s: &[u8], at: usize) -> u64 {
    s.get(at..at + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()).map_or(0, u64::from_le_bytes)
}

/// Whether two eight-byte words are equal ignoring ASCII case.
fn same8(x: u64, y: u64) -> bool {
    x == y || lower8(x) == lower8(y)
}

/// Whether `a` and `b` are equal ignoring ASCII case (as
/// `<[u8]>::eq_ignore_ascii_case`).
#[inline]
pub(crate) fn eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && same_length(a, b)
}

fn same_length(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y));
    }
    let mut at = 0;
    while at + 8 <= n {
        if !same8(load(a, at), load(b, at)) {
            return false;
        }
        at += 8;
    }
    // The last eight bytes, overlapping the words already compared.
    at == n || same8(load(a, n - 8), load(b, n - 8))
}

/// [`eq_ignore_case`] for texts.
#[inline]
pub(crate) fn eq_ignore_case_str(a: &str, b: &str) -> bool {
    eq_ignore_case(a.as_bytes(), b.as_bytes())
}

/// Where the first `N` bytes equal to `byte` are in `s`, if it has that
/// many: eight bytes at a time (an ARN's five colons are within its first
/// thirty bytes or so, which a byte loop reads at five instructions each).
pub(crate) fn positions<const N: usize>(s: &[u8], byte: u8) -> Option<[usize; N]> {
    let mut found = [0; N];
    if N == 0 {
        return Some(found);
    }
    let mut n = 0;
    let mut note = |i: usize| {
        if let Some(slot) = found.get_mut(n) {
            *slot = i;
        }
        n += 1;
        n == N
    };
    let pattern = ONES * u64::from(byte);
    let mut at = 0;
    while at + 8 <= s.len() {
        let x = load(s, at) ^ pattern;
        // High bit set in each byte of `x` that is zero (no false positives:
        // the low seven bits are added without carrying into the next byte).
        let mut zero = !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH;
        while zero != 0 {
            if note(at + (zero.trailing_zeros() / 8) as usize) {
                return Some(found);
            }
            zero &= zero - 1;
        }
        at += 8;
    }
    while let Some(&b) = s.get(at) {
        if b == byte && note(at) {
            return Some(found);
        }
        at += 1;
    }
    None
}

/// `s` split at the first `sep` (as `str::split_once`). For ASCII
/// separators only, as every caller's are: an ASCII byte is always a
/// character boundary, and no other byte of UTF-8 text is one.
#[inline]
pub(crate) fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// What follows the last `sep` in `s`, or all of `s` (as
/// `s.rsplit(sep).next()`; an ASCII `sep`, as for [`split_once`]).
#[inline]
pub(crate) fn after_last(s: &str, sep: u8) -> &str {
    s.bytes().rposition(|b| b == sep).and_then(|at| s.get(at + 1..)).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_byte_folds_as_the_standard_library_folds_it() {
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                let expected = x.eq_ignore_ascii_case(&y);
                assert_eq!(eq_ignore_case(&[x], &[y]), expected, "{x:#x} {y:#x}");
                // Every position of a word, and past the first word.
                let (mut a, mut b) = ([b'k'; 19], [b'k'; 19]);
                for at in [0, 3, 7, 8, 12, 18] {
                    a[at] = x;
                    b[at] = y;
                    assert_eq!(eq_ignore_case(&a, &b), expected, "{x:#x} {y:#x} at {at}");
                    assert_eq!(eq_ignore_case(&a[..at + 1], &b[..at + 1]), expected);
                    a[at] = b'k';
                    b[at] = b'k';
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn agrees_with_the_standard_library(a in "[aAzZ@\\[`{é:0-9]{0,20}", b in "[aAzZ@\\[`{é:0-9]{0,20}") {
            prop_assert_eq!(eq_ignore_case_str(&a, &b), a.eq_ignore_ascii_case(&b));
            let upper = a.to_ascii_uppercase();
            prop_assert!(eq_ignore_case_str(&a, &upper));
        }

        #[test]
        fn positions_are_the_first_matches(s in "[a:é]{0,40}") {
            let expected: Vec<usize> = s.bytes().enumerate().filter(|&(_, b)| b == b':').map(|(i, _)| i).take(5).collect();
            match positions::<5>(s.as_bytes(), b':') {
                Some(found) => prop_assert_eq!(found.to_vec(), expected),
                None => prop_assert!(expected.len() < 5),
            }
            let first = positions::<1>(s.as_bytes(), b':').map(|[i]| i);
            prop_assert_eq!(first, s.find(':'));
            prop_assert_eq!(positions::<0>(s.as_bytes(), b':'), Some([]));
        }

        #[test]
        fn splits_as_the_standard_library_splits(s in "[a:/é]{0,12}") {
            for (sep, c) in [(b':', ':'), (b'/', '/')] {
                prop_assert_eq!(split_once(&s, sep), s.split_once(c));
                prop_assert_eq!(Some(after_last(&s, sep)), s.rsplit(c).next());
            }
        }
    }
}
