//! What each key does, depending on what is open: the modal, the help, the filter, or
//! the table.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::backend::crossterm::EventHandler;

use super::action::Effect;
use super::modal::ModalOutcome;
use super::state::{CheckKind, Level, State};
use crate::profile::Kind;

/// Rows a PgUp/PgDn moves.
const PAGE: usize = 10;

pub fn on_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        state.quit = true;
        return Vec::new();
    }
    if state.modal.is_some() {
        return modal_key(state, key);
    }
    if state.show_help {
        state.show_help = false;
        return Vec::new();
    }
    if state.filtering {
        filter_key(state, key);
        return Vec::new();
    }
    table_key(state, key, now)
}

fn modal_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let modal = state.modal.as_mut().expect("modal is open");
    match modal.on_key(key) {
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
                code,
                duration: Some(duration),
                renew: true,
            }]
        }
    }
}

fn filter_key(state: &mut State, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => {
            state.filter.reset();
            state.filtering = false;
        }
        KeyCode::Enter | KeyCode::Down | KeyCode::Up => state.filtering = false,
        _ => {
            state.filter.handle_event(&Event::Key(key));
        }
    }
    state.refilter();
}

fn table_key(state: &mut State, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
    let last = state.visible().len().saturating_sub(1);
    // Moving on leaves an informational message behind; warnings and errors stay.
    let moving = matches!(
        key.code,
        KeyCode::Up
            | KeyCode::Down
            | KeyCode::PageUp
            | KeyCode::PageDown
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::Char('j' | 'k' | 'g' | 'G')
    );
    if moving
        && state
            .status
            .as_ref()
            .is_some_and(|s| s.level == Level::Info)
    {
        state.status = None;
    }
    match key.code {
        KeyCode::Char('q') => state.quit = true,
        KeyCode::Down | KeyCode::Char('j') => state.selected = (state.selected + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => state.selected = state.selected.saturating_sub(1),
        KeyCode::PageDown => state.selected = (state.selected + PAGE).min(last),
        KeyCode::PageUp => state.selected = state.selected.saturating_sub(PAGE),
        KeyCode::Home | KeyCode::Char('g') => state.selected = 0,
        KeyCode::End | KeyCode::Char('G') => state.selected = last,
        KeyCode::Char('/') => state.filtering = true,
        KeyCode::Esc if !state.filter.value().is_empty() => {
            state.filter.reset();
            state.refilter();
        }
        KeyCode::Char('?') => state.show_help = true,
        KeyCode::Char('e') => {
            state.export_format = state.export_format.cycle_next();
            state.set_status(
                Level::Info,
                format!("export format: {}", state.export_format),
            );
        }
        KeyCode::Char('r') => {
            state.set_status(Level::Info, "reloaded the profile files");
            return vec![Effect::Reload];
        }
        KeyCode::Enter => return enter(state, now),
        KeyCode::Char('i') => return check(state, CheckKind::Identity),
        KeyCode::Char('b') => return check(state, CheckKind::Buckets),
        KeyCode::Char('y') => {
            return with_export(state, |profile, format| Effect::Copy { profile, format });
        }
        KeyCode::Char('x') => return with_export(state, |profile, _| Effect::Subshell { profile }),
        KeyCode::Char('d') => {
            if let Some(row) = state.selected_row() {
                return vec![Effect::Forget {
                    profile: row.name.clone(),
                }];
            }
        }
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
        (Ok(_), Kind::Sso) => Some((
            Level::Info,
            format!(
                "{name} gets its credentials from IAM Identity Center (aws sso login); i, b, y and x use them"
            ),
        )),
        (Ok(_), Kind::Process) => Some((
            Level::Info,
            format!("{name} gets its credentials from credential_process; i, b, y and x use them"),
        )),
        (Ok(_), Kind::Other) => Some((
            Level::Warn,
            format!("{name} has no credentials of its own: nothing to log in"),
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

fn check(state: &mut State, kind: CheckKind) -> Vec<Effect> {
    let Some(row) = state.selected_row() else {
        return Vec::new();
    };
    let profile = row.name.clone();
    if !state.checking.insert((profile.clone(), kind)) {
        return Vec::new();
    }
    vec![Effect::Check { profile, kind }]
}

/// `y` and `x` need credentials; without them, say how to get some.
fn with_export(
    state: &mut State,
    effect: impl FnOnce(String, crate::shell::export::Format) -> Effect,
) -> Vec<Effect> {
    let Some(row) = state.selected_row() else {
        return Vec::new();
    };
    let profile = row.name.clone();
    // sso and credential_process profiles get theirs from the SDK's provider when asked.
    if row.export.is_none() && !matches!(row.kind, Kind::Sso | Kind::Process) {
        state.set_status(
            Level::Warn,
            format!("{profile} has no live session: press Enter to get one"),
        );
        return Vec::new();
    }
    vec![effect(profile, state.export_format)]
}
