//! Calendar dates without a date crate: the build date of the binary's knowledge base and
//! of a knowledge pack, in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in seconds since 1970-01-01 UTC; `SOURCE_DATE_EPOCH` makes builds reproducible.
pub fn build_time() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
}

/// `seconds` since 1970-01-01 as a day, `YYYY-MM-DD`, in UTC (Howard Hinnant's algorithm).
pub fn utc_day(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `seconds` since 1970-01-01 as an instant, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_instant(seconds: i64) -> String {
    let time = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        utc_day(seconds),
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_instants_are_civil_utc() {
        assert_eq!(utc_day(0), "1970-01-01");
        assert_eq!(utc_instant(951_786_123), "2000-02-29T01:02:03Z");
        assert_eq!(utc_instant(1_796_687_999), "2026-12-07T23:59:59Z");
        assert_eq!(utc_day(-1), "1969-12-31");
    }
}
