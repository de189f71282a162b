//! Calendar arithmetic used by the rules.

use chrono::{Datelike, NaiveDate};

/// `YYYY-MM-DD`, as every output and the journal write dates. Written out
/// rather than with `format("%Y-%m-%d")`, which parses its pattern on every
/// call (≈ 2% of a 1M-applicant run); the same text for every year 0–9999
/// (dates of record are 1900–9999).
pub fn iso(d: NaiveDate) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{day:02}");
    }
    // Ten ASCII bytes, without the formatting machinery (several dates per
    // applicant at a million applicants; issue 6).
    let y = y as u32;
    let digit = |v: u32| (b'0' + v as u8) as char;
    let mut out = String::with_capacity(10);
    for v in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
        out.push(digit(v));
    }
    out.push('-');
    out.push(digit(m / 10));
    out.push(digit(m % 10));
    out.push('-');
    out.push(digit(day / 10));
    out.push(digit(day % 10));
    out
}

/// `date` plus `months`, the day clamped to the end of the month reached
/// (Jan 31 + 1 month = Feb 28 or 29).
pub fn add_months_clamped(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let total = date.year() as i64 * 12 + (date.month0() as i64) + months as i64;
    let year = (total / 12) as i32;
    let month0 = (total % 12) as u32;
    let last = last_day_of_month(year, month0 + 1)?;
    NaiveDate::from_ymd_opt(year, month0 + 1, date.day().min(last))
}

pub fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?
        .pred_opt()
        .map(|d| d.day())
}

/// Whole years of age on `on` for someone born on `born`. One born on
/// 29 February turns a year older on 1 March in common years (SPEC 4.2,
/// `A1-REQUIREMENT`).
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - born.year();
    let birthday_this_year = NaiveDate::from_ymd_opt(on.year(), born.month(), born.day())
        .unwrap_or_else(|| {
            // Only 29 February can be missing: the birthday is then 1 March.
            // Cannot fail: `on` is a NaiveDate, so its year is one chrono holds, and chrono holds
            // every such year whole (1 January to 31 December).
            NaiveDate::from_ymd_opt(on.year(), 3, 1).expect("1 March exists every year")
        });
    if on < birthday_this_year {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_as_chrono_writes_them() {
        for (y, m, d) in [
            (1900, 1, 1),
            (2000, 2, 29),
            (2026, 11, 20),
            (9999, 12, 31),
            (33, 3, 9),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso(day), day.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn iso_dates_equal_the_formatted_text_on_every_day_and_beyond_the_years_of_record() {
        // Every day of 1899-2101, then a day in each year across the range
        // a date can hold, including years outside 0-9999 (the general path).
        let mut day = NaiveDate::from_ymd_opt(1899, 1, 1).unwrap();
        while day.year() < 2102 {
            assert_eq!(
                iso(day),
                format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
            );
            day = day.succ_opt().unwrap();
        }
        for y in (-20_000..20_000).step_by(7) {
            let day = NaiveDate::from_ymd_opt(y, 12, 31).unwrap();
            assert_eq!(iso(day), format!("{y:04}-12-31"));
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(
            add_months_clamped(d("2027-01-31"), 1),
            Some(d("2027-02-28"))
        );
        assert_eq!(
            add_months_clamped(d("2028-01-31"), 1),
            Some(d("2028-02-29"))
        );
        assert_eq!(
            add_months_clamped(d("2028-02-29"), 12),
            Some(d("2029-02-28"))
        );
        assert_eq!(
            add_months_clamped(d("2026-11-20"), 24),
            Some(d("2028-11-20"))
        );
        assert_eq!(
            add_months_clamped(d("2026-12-15"), 1),
            Some(d("2027-01-15"))
        );
    }

    #[test]
    fn a1_requirement_leap_day_birthday_turns_on_first_of_march() {
        let born = d("2004-02-29");
        assert_eq!(age_on(born, d("2025-02-28")), 20);
        assert_eq!(age_on(born, d("2025-03-01")), 21);
        assert_eq!(age_on(born, d("2024-02-29")), 20);
        assert_eq!(age_on(born, d("2024-02-28")), 19);
    }

    #[test]
    fn a1_requirement_age_counts_whole_years() {
        assert_eq!(age_on(d("2005-09-30"), d("2026-09-30")), 21);
        assert_eq!(age_on(d("2005-10-01"), d("2026-09-30")), 20);
    }
}
