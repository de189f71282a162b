//! Exact decimal arithmetic for the score path.
//!
//! Every published figure is a `rust_decimal::Decimal` (96-bit integer
//! mantissa with a decimal scale), never a binary float. Rounding is half
//! away from zero (SPEC section 4) and is applied only at the points SPEC 4.1
//! names: each scaled component value, and the raw score.

use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// Rounds half away from zero to `places` decimal places.
pub fn round(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// `numerator / denominator` rounded half away from zero to `places`, computed
/// exactly: the quotient is never rounded to 28 digits first, so a value just
/// below a midpoint can never be pushed onto it.
pub fn div_round(numerator: Decimal, denominator: Decimal, places: u32) -> Decimal {
    assert!(!denominator.is_zero(), "division by zero in the score path");
    let scale = Decimal::from_i128_with_scale(10i128.pow(places), 0);
    let x = numerator * scale;
    // `%` on decimals is exact, so `x - r` is an exact multiple of the
    // denominator and the division below is exact too.
    let r = x % denominator;
    let q = (x - r) / denominator;
    let twice = (r * Decimal::TWO).abs();
    let q = if twice >= denominator.abs() {
        if (x.is_sign_negative()) != (denominator.is_sign_negative()) {
            q - Decimal::ONE
        } else {
            q + Decimal::ONE
        }
    } else {
        q
    };
    let mut out = q / scale;
    out.rescale(places);
    out
}

/// Writes a value with exactly `places` decimal places (`87.5` → `87.50`).
pub fn fixed(value: Decimal, places: u32) -> String {
    let mut v = round(value, places);
    v.rescale(places);
    text(v)
}

/// A decimal as `Decimal`'s `Display` writes it (every place of its scale,
/// `-` for a negative value), written directly from the mantissa: the
/// general path divides the 96-bit mantissa by ten for every digit, and
/// every published figure passes through here (several per applicant at a
/// million applicants; issue 6). Mantissas beyond 64 bits, which no score
/// reaches, take the general path.
pub fn text(value: Decimal) -> String {
    let m = value.mantissa().unsigned_abs();
    let Ok(m) = u64::try_from(m) else {
        return value.to_string();
    };
    let scale = value.scale() as usize;
    let mut buf = [0u8; 20];
    let mut len = 0;
    let mut rest = m;
    while rest > 0 {
        buf[buf.len() - 1 - len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    let digits = &buf[buf.len() - len..];
    // The digits padded with zeros in front to at least `scale` of them.
    let n = len.max(scale);
    let lead = n - len;
    let whole = n - scale;
    let mut out = String::with_capacity(n + 3);
    if value.is_sign_negative() {
        out.push('-');
    }
    let digit = |k: usize| {
        if k < lead {
            '0'
        } else {
            digits[k - lead] as char
        }
    };
    if whole == 0 {
        out.push('0');
    }
    for k in 0..whole {
        out.push(digit(k));
    }
    if scale > 0 {
        out.push('.');
        for k in whole..n {
            out.push(digit(k));
        }
    }
    out
}

/// Parses decimal text as written: optional sign, digits, optional point and
/// fraction, optional exponent; underscores (TOML digit separators) ignored.
/// Returns `None` for anything else (including `inf`, `nan`, hex).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t: String = text.chars().filter(|c| *c != '_').collect();
    let t = t.strip_prefix('+').unwrap_or(&t);
    if t.is_empty() {
        return None;
    }
    let body = t.strip_prefix('-').unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let valid_mantissa = !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().filter(|c| *c == '.').count() <= 1
        && mantissa.chars().any(|c| c.is_ascii_digit());
    if !valid_mantissa {
        return None;
    }
    match exponent {
        None => Decimal::from_str(t).ok(),
        Some(e) => {
            let e = e.strip_prefix('+').unwrap_or(e);
            let digits = e.strip_prefix('-').unwrap_or(e);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            Decimal::from_scientific(t).ok()
        }
    }
}

/// A number typed in a cell as text: an optional sign, digits, and an
/// optional decimal point with digits. Stricter than the exam file's
/// numbers: no digit separators (`8_0`), no exponents (`1e1`).
pub fn parse_cell_decimal(text: &str) -> Option<Decimal> {
    let body = text
        .strip_prefix('+')
        .or_else(|| text.strip_prefix('-'))
        .unwrap_or(text);
    let ok = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|c| *c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if ok {
        Decimal::from_str(text.strip_prefix('+').unwrap_or(text)).ok()
    } else {
        None
    }
}

/// The decimal a spreadsheet number cell holds. Spreadsheets store numbers as
/// binary doubles; the shortest text that reads back as the same double is the
/// number the user typed (Excel keeps at most 15 significant digits), so that
/// text, not the double's binary expansion, is the value taken.
pub fn from_cell_float(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    parse_decimal(&format!("{value}"))
}

/// The number of decimal places a value really has (`3.50` → 1, `0.125` → 3).
pub fn places_needed(value: Decimal) -> u32 {
    value.normalize().scale()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).unwrap()
    }

    #[test]
    fn text_is_what_display_writes() {
        let mut cases = vec![Decimal::ZERO, Decimal::MAX, Decimal::MIN];
        for scale in 0..=28 {
            for m in [
                0i128,
                1,
                5,
                9,
                10,
                99,
                100,
                12345,
                8750,
                1 << 40,
                u64::MAX as i128,
            ] {
                for sign in [1, -1] {
                    cases.push(Decimal::from_i128_with_scale(sign * m, scale));
                }
            }
        }
        // Negative zero keeps its sign, as Display writes it.
        let mut negative_zero = Decimal::from_i128_with_scale(0, 2);
        negative_zero.set_sign_negative(true);
        cases.push(negative_zero);
        for v in cases {
            assert_eq!(text(v), v.to_string(), "{v:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn text_is_what_display_writes_for_any_decimal(
            lo in proptest::prelude::any::<u32>(),
            mid in proptest::prelude::any::<u32>(),
            hi in proptest::prelude::any::<u32>(),
            negative in proptest::prelude::any::<bool>(),
            scale in 0u32..=28,
        ) {
            let v = Decimal::from_parts(lo, mid, hi % 4, negative, scale);
            proptest::prop_assert_eq!(text(v), v.to_string());
            let v = Decimal::from_parts(lo, mid, hi, negative, scale);
            proptest::prop_assert_eq!(text(v), v.to_string());
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(fixed(d("79.565"), 2), "79.57");
        assert_eq!(fixed(d("79.575"), 2), "79.58");
        assert_eq!(fixed(d("-2.5"), 0), "-3");
        assert_eq!(fixed(d("2.5"), 0), "3");
        assert_eq!(fixed(d("87.5"), 2), "87.50");
        assert_eq!(fixed(d("3"), 2), "3.00");
    }

    #[test]
    fn exact_division_rounds_thirds_and_midpoints() {
        // (75 + 78 + 77) / 3 = 76.666…
        assert_eq!(div_round(d("230") * d("100"), d("300"), 2), d("76.67"));
        // 1/8 = 0.125 → 0.13, exactly at the midpoint.
        assert_eq!(div_round(d("1"), d("8"), 2), d("0.13"));
        assert_eq!(div_round(d("-1"), d("8"), 2), d("-0.13"));
        // 2/3 of a point on a 150-point test: 100 × 2 / 3 = 66.666…
        assert_eq!(div_round(d("200"), d("3"), 0), d("67"));
        assert_eq!(div_round(d("62.333"), d("1"), 2), d("62.33"));
    }

    #[test]
    fn decimals_parse_as_written() {
        assert_eq!(d("0.6").to_string(), "0.6");
        assert_eq!(d("+0.4"), d("0.4"));
        assert_eq!(d("1_000"), d("1000"));
        assert_eq!(d("6e-1"), d("0.6"));
        assert!(parse_decimal("nan").is_none());
        assert!(parse_decimal("inf").is_none());
        assert!(parse_decimal("1.2.3").is_none());
        assert!(parse_decimal("").is_none());
        assert!(parse_decimal(".").is_none());
        assert!(parse_decimal("0x10").is_none());
    }

    #[test]
    fn cell_text_numbers_are_plain_decimals_only() {
        assert_eq!(parse_cell_decimal("81.5"), Some(d("81.5")));
        assert_eq!(parse_cell_decimal("+7"), Some(d("7")));
        assert_eq!(parse_cell_decimal("-1"), Some(d("-1")));
        assert_eq!(parse_cell_decimal(".5"), Some(d("0.5")));
        assert_eq!(parse_cell_decimal("8_0"), None);
        assert_eq!(parse_cell_decimal("1e1"), None);
        assert_eq!(parse_cell_decimal("8 5"), None);
        assert_eq!(parse_cell_decimal("1,000"), None);
        assert_eq!(parse_cell_decimal(""), None);
    }

    #[test]
    fn cell_floats_read_as_the_typed_number() {
        assert_eq!(from_cell_float(81.5), Some(d("81.5")));
        assert_eq!(from_cell_float(0.1), Some(d("0.1")));
        assert_eq!(from_cell_float(88.0), Some(d("88")));
        assert_eq!(from_cell_float(f64::NAN), None);
    }

    #[test]
    fn places_are_judged_on_the_value() {
        assert_eq!(places_needed(d("3.50")), 1);
        assert_eq!(places_needed(d("0.125")), 3);
        assert_eq!(places_needed(d("3")), 0);
    }
}
