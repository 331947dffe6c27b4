//! The dashboard's state: plain data, changed only by `update`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use tui_input::Input;

use super::modal::MfaModal;
use crate::aws::sts::Identity;
use crate::profile::{Chain, Kind};
use crate::session::SessionState;
use crate::shell::export::{ExportSet, Format};

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
    /// What `y` copies and the detail pane shows masked; None without usable credentials.
    pub export: Option<ExportSet>,
    pub identity: Option<Checked<Identity>>,
    pub buckets: Option<Checked<Vec<String>>>,
    /// Which expiry notices were already given for the current session.
    pub noticed: Notice,
}

/// The result of a check, and when it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<T> {
    pub at: DateTime<Utc>,
    pub result: Result<T, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Notice {
    #[default]
    None,
    Warned,
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckKind {
    Identity,
    Buckets,
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

#[derive(Debug, Clone)]
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
    /// Checks in flight.
    pub checking: BTreeSet<(String, CheckKind)>,
    /// The `/` filter; `filtering` while it is being typed.
    pub filter: Input,
    pub filtering: bool,
    /// What the filter lets through (see [`State::refilter`]).
    shown: Vec<usize>,
    /// Width of the widest profile name, for the table's first column.
    pub name_width: u16,
    pub show_help: bool,
    pub export_format: Format,
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
            rows: Vec::new(),
            selected: 0,
            modal: None,
            status: None,
            sources,
            load_problems: Vec::new(),
            busy: BTreeSet::new(),
            checking: BTreeSet::new(),
            filter: Input::default(),
            filtering: false,
            shown: Vec::new(),
            name_width: 0,
            show_help: false,
            export_format: Format::Sh,
            spinner: 0,
            warn_seconds: 15 * 60,
            loaded: false,
            quit: false,
            colors: true,
            held_session: None,
        }
    }

    /// Indexes into `rows` of the rows the filter lets through, in order.
    pub fn visible(&self) -> &[usize] {
        &self.shown
    }

    /// Recompute which rows the filter lets through; call after changing `rows` or
    /// `filter`. Kept rather than derived per call: a frame asks several times, and at
    /// 10,000 profiles each pass costs.
    pub fn refilter(&mut self) {
        let keep = self.selected_row().map(|r| r.name.clone());
        let needle = self.filter.value().to_lowercase();
        self.shown = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| needle.is_empty() || contains_lowercase(&r.name, &needle))
            .map(|(i, _)| i)
            .collect();
        self.selected = keep
            .and_then(|name| self.shown.iter().position(|&i| self.rows[i].name == name))
            .unwrap_or(0);
    }

    /// The selected row; `selected` indexes the visible rows.
    pub fn selected_row(&self) -> Option<&Row> {
        self.visible()
            .get(self.selected)
            .and_then(|&i| self.rows.get(i))
    }

    pub fn select_name(&mut self, name: &str) {
        if let Some(pos) = self
            .visible()
            .iter()
            .position(|&i| self.rows[i].name == name)
        {
            self.selected = pos;
        }
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
        if !self.busy.is_empty()
            || !self.checking.is_empty()
            || self.modal.as_ref().is_some_and(|m| m.busy)
        {
            return Some(std::time::Duration::from_millis(100));
        }
        let any_live = self
            .visible()
            .iter()
            .any(|&i| self.rows[i].expires_at.is_some_and(|at| at > now));
        any_live.then(|| {
            let into_second = now.timestamp_subsec_millis() as u64;
            std::time::Duration::from_millis(1000 - into_second.min(999))
        })
    }
}

/// Case-insensitive `contains` for a lower-cased needle, without allocating for ASCII names.
fn contains_lowercase(name: &str, needle: &str) -> bool {
    if name.is_ascii() && needle.is_ascii() {
        let (h, n) = (name.as_bytes(), needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        name.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn row(name: &str, expires_at: Option<DateTime<Utc>>) -> Row {
        Row {
            name: name.into(),
            kind: Kind::MfaUser,
            region: None,
            account: None,
            chain: Err("not needed here".into()),
            problems: Vec::new(),
            expires_at,
            last_error: None,
            notes: Vec::new(),
            export: None,
            identity: None,
            buckets: None,
            noticed: Notice::None,
        }
    }

    #[test]
    fn idle_without_a_countdown_sleeps_until_something_happens() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T09:00:00.250Z")
            .unwrap()
            .to_utc();
        let mut state = State::new(Sources::default());
        state.rows = vec![row("a", None), row("b", Some(now - Duration::hours(1)))];
        state.refilter();
        assert_eq!(
            state.next_redraw(now),
            None,
            "no live countdown: no timer at all"
        );

        state.rows.push(row("c", Some(now + Duration::hours(2))));
        state.refilter();
        assert_eq!(
            state.next_redraw(now),
            Some(std::time::Duration::from_millis(750)),
            "a live countdown: wake at the next whole second, never more than once a second"
        );

        state.filter = Input::new("a".into());
        state.refilter();
        assert_eq!(state.next_redraw(now), None, "the live row is filtered out");

        state.busy.insert("a".into());
        assert_eq!(
            state.next_redraw(now),
            Some(std::time::Duration::from_millis(100))
        );
    }

    #[test]
    fn the_filter_ignores_case_for_ascii_and_unicode_names() {
        assert!(contains_lowercase("Prod-Admin", "admin"));
        assert!(contains_lowercase("ÜBER-prod", "über"));
        assert!(!contains_lowercase("prod", "dev"));
    }
}
