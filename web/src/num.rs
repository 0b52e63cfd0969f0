//! Numbers as text without the standard float formatting, whose code is
//! large in wasm (every kilobyte of the page's first download counts).

/// `x` with `decimals` digits after the point (at most 6), rounded half
/// away from zero: `fixed(12.345, 1)` is `12.3`, `fixed(2.0, 0)` is `2`.
/// Not-a-number and infinities are written `0`.
pub fn fixed(x: f64, decimals: u32) -> String {
    if !x.is_finite() {
        return "0".to_owned();
    }
    let decimals = decimals.min(6);
    let scale = 10u64.pow(decimals);
    let scaled = (x.abs() * scale as f64).round();
    // Beyond 2^53 the fraction is gone anyway.
    let n = if scaled >= 9.0e15 { 9_000_000_000_000_000 } else { scaled as u64 };
    let sign = if x < 0.0 && n > 0 { "-" } else { "" };
    let (int, frac) = (n / scale, n % scale);
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn writes_fixed_decimals() {
        assert_eq!(fixed(12.345, 1), "12.3");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(2.0, 0), "2");
        assert_eq!(fixed(-1.25, 2), "-1.25");
        assert_eq!(fixed(-0.0001, 1), "0.0");
        assert_eq!(fixed(3.0, 3), "3.000");
        assert_eq!(fixed(0.0123, 3), "0.012");
        assert_eq!(fixed(f64::NAN, 1), "0");
        assert_eq!(fixed(360.0, 1), "360.0");
        assert_eq!(fixed(1e300, 1), "900000000000000.0");
    }
}
