//! `update(state, action, now) -> effects`: every change to the dashboard, with no IO.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Effect, LoginFailure, LoginSuccess};
use super::modal::{MfaModal, ModalOutcome};
use super::state::{Level, State};
use crate::profile::Kind;

/// Rows a PgUp/PgDn moves.
const PAGE: usize = 10;

pub fn update(state: &mut State, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    match action {
        Action::Key(key) if key.kind != KeyEventKind::Release => on_key(state, key, now),
        Action::Key(_) | Action::Resize => Vec::new(),
        Action::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Action::Loaded(loaded) => {
            let keep = loaded
                .select
                .or_else(|| state.selected_row().map(|r| r.name.clone()));
            state.rows = loaded.rows;
            state.load_problems = loaded.problems;
            state.loaded = true;
            state.selected = keep
                .and_then(|name| state.rows.iter().position(|r| r.name == name))
                .unwrap_or(0);
            Vec::new()
        }
        Action::CodeNeeded {
            profile,
            device,
            durations,
        } => {
            state.busy.remove(&profile);
            state.modal = Some(MfaModal::new(profile, device, durations));
            Vec::new()
        }
        Action::LoginFinished { profile, result } => {
            state.busy.remove(&profile);
            login_finished(state, profile, result);
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
                }
            }
            let text = match success.notes.first() {
                Some(note) => format!("{profile}: session ready ({note})"),
                None => format!("{profile}: session ready"),
            };
            if let Some(row) = state.row_mut(&profile) {
                row.expires_at = success.expires_at;
                row.last_error = None;
                row.notes = success.notes;
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
            }
        }
    }
}

fn on_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        state.quit = true;
        return Vec::new();
    }
    if let Some(modal) = state.modal.as_mut() {
        return match modal.on_key(key) {
            ModalOutcome::Stay => Vec::new(),
            ModalOutcome::Cancel => {
                state.modal = None;
                Vec::new()
            }
            ModalOutcome::Submit { code, duration } => {
                let profile = modal.profile.clone();
                state.busy.insert(profile.clone());
                vec![Effect::Login {
                    profile,
                    code: Some(code),
                    duration: Some(duration),
                    renew: true,
                }]
            }
        };
    }
    let last = state.rows.len().saturating_sub(1);
    match key.code {
        KeyCode::Char('q') => state.quit = true,
        KeyCode::Down | KeyCode::Char('j') => state.selected = (state.selected + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => state.selected = state.selected.saturating_sub(1),
        KeyCode::PageDown => state.selected = (state.selected + PAGE).min(last),
        KeyCode::PageUp => state.selected = state.selected.saturating_sub(PAGE),
        KeyCode::Home | KeyCode::Char('g') => state.selected = 0,
        KeyCode::End | KeyCode::Char('G') => state.selected = last,
        KeyCode::Char('r') => {
            state.set_status(Level::Info, "reloaded the profile files");
            return vec![Effect::Reload];
        }
        KeyCode::Enter => return enter(state, now),
        _ => {}
    }
    Vec::new()
}

fn enter(state: &mut State, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(row) = state.selected_row() else {
        return Vec::new();
    };
    let name = row.name.clone();
    if state.busy.contains(&name) {
        return Vec::new();
    }
    let message = match (&row.chain, row.kind) {
        (Err(problem), _) => Some((Level::Error, format!("{name}: {problem}"))),
        (Ok(chain), Kind::Keys) if chain.mfa_serial.is_none() => Some((
            Level::Info,
            format!("{name} uses static keys without MFA: there is no session to get"),
        )),
        (Ok(_), Kind::Sso | Kind::Process | Kind::Other) => Some((
            Level::Warn,
            format!(
                "{name} is a {} profile: mfatui does not log it in",
                row.kind
            ),
        )),
        _ => None,
    };
    if let Some((level, text)) = message {
        state.set_status(level, text);
        return Vec::new();
    }
    let renew = row.session(now).is_active();
    state.busy.insert(name.clone());
    vec![Effect::Login {
        profile: name,
        code: None,
        duration: None,
        renew,
    }]
}
