//! Calendar arithmetic for the proleptic Gregorian calendar in UTC: the one place that turns
//! dates into Unix times and back (certificate validity, pin-set expirations, RFC 3339 output).
//!
//! Howard Hinnant's `days_from_civil` and `civil_from_days`
//! (<https://howardhinnant.github.io/date_algorithms.html>): years counted from March, so that
//! the leap day ends the year, in 400-year eras of 146,097 days.

/// The number of days of `month` (1–12) of `year`; `None` for a month that does not exist.
pub(crate) fn days_in_month(year: i64, month: i64) -> Option<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// Whether `year-month-day` is a real day of the calendar.
pub(crate) fn is_date(year: i64, month: i64, day: i64) -> bool {
    days_in_month(year, month).is_some_and(|n| (1..=n).contains(&day))
}

/// Days from 1970-01-01 to a (valid) date.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) of a day count from 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_directions_agree_with_the_time_crate() {
        // Every day from 9999 BC-ish to AD 9999 would be slow; every 7th day covers all
        // months, leap days and era boundaries.
        let first = ::time::Date::from_calendar_date(-9999, ::time::Month::January, 1).unwrap();
        let mut date = first;
        while let Some(next) = date.checked_add(::time::Duration::days(7)) {
            let (y, m, d) = (
                i64::from(date.year()),
                i64::from(u8::from(date.month())),
                i64::from(date.day()),
            );
            let days = (date
                - ::time::Date::from_calendar_date(1970, ::time::Month::January, 1).unwrap())
            .whole_days();
            assert!(is_date(y, m, d), "{date}");
            assert_eq!(days_from_civil(y, m, d), days, "{date}");
            assert_eq!(civil_from_days(days), (y, m, d), "{date}");
            date = next;
        }
        assert!(is_date(2000, 2, 29) && is_date(2024, 2, 29));
        assert!(!is_date(1900, 2, 29) && !is_date(2023, 2, 29) && !is_date(2024, 4, 31));
        assert!(!is_date(2024, 0, 1) && !is_date(2024, 13, 1) && !is_date(2024, 1, 0));
    }
}
