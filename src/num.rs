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
    v.to_string()
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
