//! `update(state, action, now) -> effects`: every change to the dashboard, with no IO.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEventKind;

use super::action::{Action, CheckOutput, Effect, LoginFailure, LoginSuccess};
use super::keys;
use super::modal::MfaModal;
use super::state::{CheckKind, Checked, Level, Notice, State};
use crate::session::SessionState;
use crate::timefmt::countdown;

pub fn update(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    match action {
        Action::Key(key) if key.kind != KeyEventKind::Release => keys::on_key(state, key, now),
        Action::Key(_) | Action::Resize => Vec::new(),
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            give_notices(state, now);
            Vec::new()
        }
        Action::Loaded(loaded) => {
            let keep = loaded
                .select
                .or_else(|| state.selected_row().map(|r| r.name.clone()));
            state.rows = loaded.rows;
            state.name_width = state
                .rows
                .iter()
                .map(|r| r.name.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(7, 40) as u16;
            state.refilter();
            state.load_problems = loaded.problems;
            if let Some(first) = state.load_problems.first() {
                let more = match state.load_problems.len() {
                    1 => String::new(),
                    n => format!(" (and {} more: ? lists them)", n - 1),
                };
                state.set_status(Level::Warn, format!("{first}{more}"));
            }
            state.loaded = true;
            state.selected = 0;
            if let Some(name) = keep {
                state.select_name(&name);
            }
            Vec::new()
        }
        Action::CodeNeeded {
            profile,
            device,
            durations,
            reuse,
        } => {
            state.busy.remove(&profile);
            let mut modal = MfaModal::new(profile, device, durations);
            modal.reuse = reuse;
            state.modal = Some(modal);
            Vec::new()
        }
        Action::LoginFinished { profile, result } => {
            state.busy.remove(&profile);
            login_finished(state, profile, result);
            Vec::new()
        }
        Action::CheckFinished {
            profile,
            kind,
            at,
            result,
        } => {
            check_finished(state, profile, kind, at, result);
            Vec::new()
        }
        Action::Said(level, text) => {
            state.set_status(level, text);
            Vec::new()
        }
        Action::Copied { level, said, osc52 } => {
            state.set_status(level, said);
            if osc52.is_empty() {
                Vec::new()
            } else {
                vec![Effect::WriteTerminal(osc52)]
            }
        }
        Action::Forgotten { profile } => {
            if let Some(row) = state.row_mut(&profile) {
                // What was learnt with the forgotten session goes with it.
                row.expires_at = None;
                row.noticed = Notice::None;
                row.identity = None;
                row.buckets = None;
                row.notes.clear();
                row.last_error = None;
                if row
                    .export
                    .as_ref()
                    .is_some_and(|e| e.credentials.expiration.is_some())
                {
                    row.export = None;
                }
            }
            state.set_status(Level::Info, format!("{profile}: session forgotten"));
            Vec::new()
        }
    }
}

fn login_finished(state: &mut State, profile: String, result: Result<LoginSuccess, LoginFailure>) {
    let modal_for_it = state.modal.as_ref().is_some_and(|m| m.profile == profile);
    match result {
        Ok(success) => {
            if modal_for_it {
                state.modal = None;
            }
            for (name, at) in &success.also_updated {
                if let Some(row) = state.row_mut(name) {
                    row.expires_at = Some(*at);
                    row.noticed = Notice::None;
                }
            }
            let text = match success.notes.first() {
                Some(note) => format!("{profile}: session ready ({note})"),
                None => format!("{profile}: session ready"),
            };
            if let Some(row) = state.row_mut(&profile) {
                row.expires_at = success.expires_at;
                row.export = success.export;
                // Checks of the previous session say nothing about this one.
                row.identity = None;
                row.buckets = None;
                row.last_error = None;
                row.notes = success.notes;
                row.noticed = Notice::None;
            }
            state.set_status(Level::Info, text);
        }
        Err(LoginFailure::Code(reason)) if modal_for_it => {
            if let Some(modal) = state.modal.as_mut() {
                modal.rejected(reason);
            }
        }
        Err(LoginFailure::Code(reason) | LoginFailure::Other(reason)) => {
            if modal_for_it {
                state.modal = None;
            }
            state.set_status(Level::Error, format!("{profile}: {reason}"));
            if let Some(row) = state.row_mut(&profile) {
                row.last_error = Some(reason);
                row.notes.clear();
            }
        }
    }
}

fn check_finished(
    state: &mut State,
    profile: String,
    kind: CheckKind,
    at: DateTime<Utc>,
    result: Result<CheckOutput, String>,
) {
    state.checking.remove(&(profile.clone(), kind));
    let Some(row) = state.row_mut(&profile) else {
        return;
    };
    let (level, text) = match result {
        Ok(CheckOutput::Identity(identity)) => {
            if !identity.account.is_empty() {
                row.account = Some(identity.account.clone());
            }
            let text = format!("{profile}: {}", identity.arn);
            row.identity = Some(Checked {
                at,
                result: Ok(identity),
            });
            (Level::Info, text)
        }
        Ok(CheckOutput::Buckets(names)) => {
            let plural = if names.len() == 1 { "" } else { "s" };
            let text = format!("{profile}: {} bucket{plural}", names.len());
            row.buckets = Some(Checked {
                at,
                result: Ok(names),
            });
            (Level::Info, text)
        }
        Err(error) => {
            match kind {
                CheckKind::Identity => {
                    row.identity = Some(Checked {
                        at,
                        result: Err(error.clone()),
                    })
                }
                CheckKind::Buckets => {
                    row.buckets = Some(Checked {
                        at,
                        result: Err(error.clone()),
                    })
                }
            }
            (Level::Error, format!("{profile}: {error}"))
        }
    };
    state.set_status(level, text);
}

/// Say once when a session crosses the warning threshold, and once when it expires.
fn give_notices(state: &mut State, now: DateTime<Utc>) {
    let warn = state.warn_seconds;
    let mut said = None;
    for row in &mut state.rows {
        match row.session(now) {
            SessionState::Active { expires_at } => {
                let left = (expires_at - now).num_seconds();
                if left < warn && row.noticed < Notice::Warned {
                    row.noticed = Notice::Warned;
                    said = Some((
                        Level::Warn,
                        format!("{}: session expires in {}", row.name, countdown(left)),
                    ));
                }
            }
            SessionState::Expired { .. } if row.noticed < Notice::Expired => {
                row.noticed = Notice::Expired;
                said = Some((
                    Level::Error,
                    format!("{}: session expired; press Enter to renew", row.name),
                ));
            }
            _ => {}
        }
    }
    if let Some((level, text)) = said {
        state.set_status(level, text);
    }
}
