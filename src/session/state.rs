//! Whether a session is live, computed from its UTC expiry and `now`.

use chrono::{DateTime, Utc};

/// A session within this many seconds of expiry counts as expired.
pub const SAFETY_MARGIN_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active { expires_at: DateTime<Utc> },
    Expired { expires_at: DateTime<Utc> },
    None,
}

impl SessionState {
    pub fn from_expiry(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> SessionState {
        match expires_at {
            None => SessionState::None,
            Some(at) if (at - now).num_seconds() > SAFETY_MARGIN_SECONDS => {
                SessionState::Active { expires_at: at }
            }
            Some(at) => SessionState::Expired { expires_at: at },
        }
    }

    pub fn is_active(&self) -> bool {
        matches!(self, SessionState::Active { .. })
    }

    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self {
            SessionState::Active { expires_at } | SessionState::Expired { expires_at } => {
                Some(*expires_at)
            }
            SessionState::None => None,
        }
    }

    /// Seconds left (never negative), or None without a session.
    pub fn remaining_seconds(&self, now: DateTime<Utc>) -> Option<i64> {
        self.expires_at().map(|at| (at - now).num_seconds().max(0))
    }

    pub fn label(&self) -> &'static str {
        match self {
            SessionState::Active { .. } => "active",
            SessionState::Expired { .. } => "expired",
            SessionState::None => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn within_the_margin_counts_as_expired() {
        let now = Utc::now();
        let s = SessionState::from_expiry(Some(now + Duration::seconds(60)), now);
        assert!(matches!(s, SessionState::Expired { .. }));
        let s = SessionState::from_expiry(Some(now + Duration::seconds(61)), now);
        assert!(s.is_active());
        assert_eq!(s.remaining_seconds(now), Some(61));
    }
}
