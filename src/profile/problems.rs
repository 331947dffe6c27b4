//! Checks of one profile's settings, in words, and "did you mean" suggestions.
//!
//! Chain problems (unknown source, loop, missing keys) come from the resolver; the checks here
//! catch values the SDK would only reject once AWS is called: a malformed ARN or serial, a
//! duration AWS refuses.

use super::model::Profile;

/// AssumeRole accepts 900 s to the role's maximum session duration, at most 12 h.
pub const ROLE_DURATION: std::ops::RangeInclusive<u32> = 900..=43_200;
/// GetSessionToken accepts 900 s to 36 h.
pub const SESSION_TOKEN_DURATION: std::ops::RangeInclusive<u32> = 900..=129_600;

/// Problems with the profile's own values (not its chain), in words.
pub(crate) fn own_problems(p: &Profile) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(arn) = p.role_arn()
        && !is_role_arn(arn)
    {
        out.push(format!(
            "profile {}: role_arn {arn} does not look like arn:aws:iam::<12-digit account>:role/NAME",
            p.name
        ));
    }
    if let Some(serial) = p.mfa_serial()
        && !is_mfa_serial(serial)
    {
        out.push(format!(
            "profile {}: mfa_serial {serial} does not look like \
             arn:aws:iam::<12-digit account>:mfa/NAME or a hardware token serial such as \
             GAHT12345678",
            p.name
        ));
    }
    if let Some(d) = p.duration_seconds() {
        let (range, what) = if p.role_arn().is_some() {
            (ROLE_DURATION, "a role (AssumeRole)")
        } else {
            (SESSION_TOKEN_DURATION, "an MFA session (GetSessionToken)")
        };
        match d.parse::<u32>() {
            Err(_) => out.push(format!(
                "profile {}: duration_seconds = {d} is not a whole number of seconds",
                p.name
            )),
            Ok(n) if !range.contains(&n) => out.push(format!(
                "profile {}: duration_seconds = {n} is out of range for {what}: {} to {} seconds",
                p.name,
                range.start(),
                range.end()
            )),
            Ok(_) => {}
        }
    }
    match (p.get("aws_access_key_id"), p.get("aws_secret_access_key")) {
        (Some(_), None) => out.push(format!(
            "profile {} has aws_access_key_id but no aws_secret_access_key",
            p.name
        )),
        (None, Some(_)) => out.push(format!(
            "profile {} has aws_secret_access_key but no aws_access_key_id",
            p.name
        )),
        _ => {}
    }
    out
}

/// `arn:<partition>:iam::<12 digits>:<resource>/<name>` with partition `aws` or `aws-...`.
fn is_iam_arn(arn: &str, resource: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [arn_prefix, partition, service, region, account, rest] = parts[..] else {
        return false;
    };
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|s| {
            !s.is_empty()
                && s.split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        });
    arn_prefix == "arn"
        && partition_ok
        && service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && rest
            .strip_prefix(resource)
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|name| !name.is_empty() && !name.ends_with('/'))
}

pub fn is_role_arn(arn: &str) -> bool {
    is_iam_arn(arn, "role")
}

/// An MFA device ARN (`arn:...:iam::<account>:mfa/NAME`), or a hardware token's serial
/// (2-6 capital letters then 6-16 digits, e.g. GAHT12345678).
pub fn is_mfa_serial(serial: &str) -> bool {
    if serial.starts_with("arn:") {
        return is_iam_arn(serial, "mfa");
    }
    let letters = serial.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &serial[letters..];
    (2..=6).contains(&letters)
        && (6..=16).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The closest name to `wanted`: same name in another case, else a unique prefix match, else
/// the smallest edit distance if small for the name's length (so `prod` does not suggest `dev`).
pub(crate) fn suggest<'a>(
    wanted: &str,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Option<String> {
    let lower = wanted.to_lowercase();
    if lower.is_empty() {
        return None;
    }
    if let Some(n) = names.clone().find(|n| n.to_lowercase() == lower) {
        return Some(n.to_string());
    }
    let mut prefixed = names
        .clone()
        .filter(|n| n.to_lowercase().starts_with(&lower) || lower.starts_with(&n.to_lowercase()));
    if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
        return Some(only.to_string());
    }
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    names
        .map(|n| (distance(&lower, &n.to_lowercase()), n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.to_string())
}

/// Edit distance where swapping two neighbours counts as one edit (optimal string alignment):
/// swapped letters are the most common typo in a profile name.
pub fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1)
                    .min(d[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_serials() {
        assert!(is_role_arn("arn:aws:iam::123456789012:role/Admin"));
        assert!(is_role_arn(
            "arn:aws-us-gov:iam::123456789012:role/path/Admin"
        ));
        assert!(!is_role_arn("arn:aws:iam::123456789:role/RoleA"));
        assert!(!is_role_arn("arn:aws:iam::123456789012:user/jo"));
        assert!(!is_role_arn("arn:foo"));
        assert!(is_mfa_serial("arn:aws:iam::123456789012:mfa/jo"));
        assert!(is_mfa_serial("arn:aws-cn:iam::123456789012:mfa/path/jo"));
        assert!(is_mfa_serial("GAHT12345678"));
        assert!(!is_mfa_serial("arn:aws:iam::123456789012:user/jo"));
        assert!(!is_mfa_serial("123456"));
        assert!(!is_mfa_serial("gaht12345678"));
    }

    #[test]
    fn suggestions_are_close_or_nothing() {
        let names = ["prod", "dev", "staging", "Admin", "team/alpha-admin"];
        let s = |w: &str| suggest(w, names.iter().copied());
        assert_eq!(s("admin").as_deref(), Some("Admin"));
        assert_eq!(s("stagign").as_deref(), Some("staging"));
        assert_eq!(s("prdo").as_deref(), Some("prod"));
        assert_eq!(s("stag").as_deref(), Some("staging"));
        assert_eq!(s("team/alpha-admn").as_deref(), Some("team/alpha-admin"));
        assert_eq!(s("qa"), None);
        assert_eq!(s("test"), None);
        assert_eq!(s(""), None);
    }

    #[test]
    fn distance_counts_swaps_once() {
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }
}
