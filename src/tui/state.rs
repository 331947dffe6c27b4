//! The dashboard's state: plain data, changed only by `update`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::modal::MfaModal;
use crate::profile::{Chain, Kind};
use crate::session::SessionState;

/// One profile as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub kind: Kind,
    pub region: Option<String>,
    /// From role_arn, the MFA device ARN, or the last identity check.
    pub account: Option<String>,
    pub chain: Result<Chain, String>,
    pub problems: Vec<String>,
    /// Expiry of this profile's own cached session.
    pub expires_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub notes: Vec<String>,
}

impl Row {
    pub fn session(&self, now: DateTime<Utc>) -> SessionState {
        SessionState::from_expiry(self.expires_at, now)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub level: Level,
    pub text: String,
}

/// Where the two files were looked for, for the empty state and the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub config: String,
    pub credentials: String,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub rows: Vec<Row>,
    pub selected: usize,
    pub modal: Option<MfaModal>,
    pub status: Option<Status>,
    pub sources: Sources,
    /// File and cache problems found while loading, in words.
    pub load_problems: Vec<String>,
    /// Profiles with an STS call in flight.
    pub busy: BTreeSet<String>,
    /// Advances on every tick while something is busy; drives the spinners.
    pub spinner: usize,
    /// Countdowns under this many seconds take the warning colour.
    pub warn_seconds: i64,
    pub loaded: bool,
    pub quit: bool,
    /// False under NO_COLOR.
    pub colors: bool,
    /// The session an enclosing mfatui subshell holds (MFATUI_PROFILE), if any.
    pub held_session: Option<String>,
}

impl State {
    pub fn new(sources: Sources) -> State {
        State {
            sources,
            warn_seconds: 15 * 60,
            colors: true,
            ..State::default()
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    pub fn row_mut(&mut self, name: &str) -> Option<&mut Row> {
        self.rows.iter_mut().find(|r| r.name == name)
    }

    pub fn set_status(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(Status {
            level,
            text: text.into(),
        });
    }

    /// How long the loop may sleep before the screen must change: fast while a spinner
    /// turns, to the next whole second while a countdown is live, else forever.
    pub fn next_redraw(&self, now: DateTime<Utc>) -> Option<std::time::Duration> {
        if !self.busy.is_empty() {
            return Some(std::time::Duration::from_millis(100));
        }
        let any_live = self
            .rows
            .iter()
            .any(|r| r.expires_at.is_some_and(|at| at > now));
        any_live.then(|| {
            let into_second = now.timestamp_subsec_millis() as u64;
            std::time::Duration::from_millis(1000 - into_second.min(999))
        })
    }
}
