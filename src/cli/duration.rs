//! `--duration` values: `3600`, `90m`, `12h`, `1h30m`, `45s`.

/// Seconds in a duration written as a number of seconds or as `<n>h`, `<n>m`, `<n>s` parts.
pub fn parse(text: &str) -> Result<u32, String> {
    let bad = || {
        format!(
            "`{text}` is not a duration; write seconds (3600) or hours and minutes (12h, 90m, 1h30m)"
        )
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| bad());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut last_unit = u64::MAX;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        // Units in decreasing order, each once: `1h30m`, not `30m1h` or `1h1h`.
        if number.is_empty() || unit >= last_unit {
            return Err(bad());
        }
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = total.saturating_add(n.saturating_mul(unit));
        number.clear();
        last_unit = unit;
    }
    if !number.is_empty() {
        return Err(bad());
    }
    u32::try_from(total).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_minutes_hours() {
        assert_eq!(parse("3600"), Ok(3600));
        assert_eq!(parse("90m"), Ok(5400));
        assert_eq!(parse("12h"), Ok(43_200));
        assert_eq!(parse("1h30m"), Ok(5400));
        assert_eq!(parse("1H"), Ok(3600));
        assert_eq!(parse("45s"), Ok(45));
        for bad in ["", "h", "1d", "30m1h", "1h1h", "1h30", "-5", "99999999999"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
