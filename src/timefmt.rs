//! How instants and remaining times read on screen.

use chrono::{DateTime, Local, Utc};

/// `11h 42m` at an hour or more, `4m 09s` under an hour, `0m 00s` at zero.
/// Computed from an instant and `now` each time, so it never drifts.
pub fn countdown(remaining_seconds: i64) -> String {
    let s = remaining_seconds.max(0);
    if s >= 3600 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}m {:02}s", s / 60, s % 60)
    }
}

/// A UTC instant in the local time zone, with the zone:
/// `2026-12-03 17:42:10 +01:00 (Europe/Berlin)`.
pub fn local_with_zone(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&Local);
    format!(
        "{} ({})",
        local.format("%Y-%m-%d %H:%M:%S %:z"),
        zone_name()
    )
}

/// The zone's name: TZ as chrono's `Local` reads it, else the system's zone.
fn zone_name() -> String {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .filter(|tz| !tz.is_empty())
        .or_else(|| iana_time_zone::get_timezone().ok())
        .unwrap_or_else(|| "local time".to_string())
}

/// RFC 3339 UTC with a `Z`, seconds precision: what AWS and prompt tools read.
pub fn rfc3339_utc(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_switches_to_seconds_under_an_hour() {
        assert_eq!(countdown(11 * 3600 + 42 * 60 + 5), "11h 42m");
        assert_eq!(countdown(3600), "1h 00m");
        assert_eq!(countdown(3599), "59m 59s");
        assert_eq!(countdown(4 * 60 + 9), "4m 09s");
        assert_eq!(countdown(-5), "0m 00s");
    }

    #[test]
    fn rfc3339_has_z() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T10:00:00.5+01:00").unwrap();
        assert_eq!(rfc3339_utc(t.with_timezone(&Utc)), "2026-12-03T09:00:00Z");
    }
}

/// A duration as users write it: `3600`, `45s`, `90m`, `12h`, `1h30m`.
pub fn parse_duration(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u32>() {
        return Some(seconds);
    }
    let mut total: u32 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        let n: u32 = std::mem::take(&mut number).parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    number
        .is_empty()
        .then_some(total)
        .filter(|_| !text.is_empty())
}

#[cfg(test)]
mod parse_tests {
    use super::parse_duration;

    #[test]
    fn durations_as_people_write_them() {
        assert_eq!(parse_duration("3600"), Some(3600));
        assert_eq!(parse_duration("12h"), Some(43200));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("45s"), Some(45));
        for bad in ["", "h", "12x", "5m3", "-1"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
