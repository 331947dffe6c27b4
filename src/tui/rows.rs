//! Building the dashboard's rows from the profile files and the session cache.

use chrono::{DateTime, Utc};

use super::state::{Notice, Row};
use crate::profile::{Profile, ProfileSet};
use crate::session::{Engine, SessionState};
use crate::shell::export::ExportSet;

pub fn build(set: &ProfileSet, engine: &Engine, now: DateTime<Utc>) -> Vec<Row> {
    set.iter().map(|p| row(set, engine, p, now)).collect()
}

fn row(set: &ProfileSet, engine: &Engine, profile: &Profile, now: DateTime<Utc>) -> Row {
    let chain = set.resolve(&profile.name);
    // One cache read per profile: its expiry, and its credentials while they live.
    let key = chain.as_ref().ok().and_then(Engine::final_key);
    let cached = key.and_then(|key| engine.cache.load(&key));
    let expires_at = cached.as_ref().and_then(|s| s.credentials.expiration);
    let credentials = match (&chain, cached) {
        (_, Some(s)) if SessionState::from_expiry(expires_at, now).is_active() => {
            Some(s.credentials)
        }
        // Plain keys have no session file; their credentials are the keys themselves.
        (Ok(c), _) if Engine::final_key(c).is_none() => engine.current(c, now),
        _ => None,
    };
    let export = credentials.map(|c| ExportSet::for_profile(profile, c));
    let account = account_of(profile.role_arn()).or_else(|| {
        chain
            .as_ref()
            .ok()
            .and_then(|c| account_of(c.mfa_serial.as_deref()))
    });
    Row {
        name: profile.name.clone(),
        kind: profile.kind(),
        region: profile.region().map(str::to_string),
        account,
        chain: chain.map_err(|e| e.to_string()),
        problems: set.profile_problems(&profile.name),
        expires_at,
        last_error: None,
        notes: Vec::new(),
        export,
        identity: None,
        buckets: None,
        noticed: Notice::None,
    }
}

/// The account id in an IAM ARN (`arn:aws:iam::111122223333:role/x`).
pub fn account_of(arn: Option<&str>) -> Option<String> {
    let account = arn?.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .then(|| account.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_comes_from_iam_arns_only() {
        assert_eq!(
            account_of(Some("arn:aws:iam::111122223333:role/admin")).as_deref(),
            Some("111122223333")
        );
        assert_eq!(account_of(Some("GAHT12345678")), None);
        assert_eq!(account_of(None), None);
    }
}
