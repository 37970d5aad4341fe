//! Calendar dates of Unix times (UTC), for the places that print them (web pages, the CLI)
//! without a date library.

/// `(year, month, day, hour, minute, second)` in UTC of a Unix time in seconds.
pub fn utc_parts(epoch: f64) -> (i64, i64, i64, i64, i64, i64) {
    let secs = epoch.floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Howard Hinnant's days-to-civil algorithm: `(year, month, day)` of a day count since
/// 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(utc_parts(0.0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(utc_parts(951_782_400.5), (2000, 2, 29, 0, 0, 0));
        assert_eq!(utc_parts(1_700_000_000.0), (2023, 11, 14, 22, 13, 20));
        assert_eq!(utc_parts(-1.0), (1969, 12, 31, 23, 59, 59));
    }
}
