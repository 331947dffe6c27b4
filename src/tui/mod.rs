//! The dashboard: state, pure update and render, and the loop that feeds them.

pub mod action;
mod handoff;
mod input;
pub mod keys;
pub mod modal;
pub mod rows;
mod runtime;
pub mod state;
mod tasks;
mod terminal;
pub mod update;
pub mod view;

use std::path::PathBuf;

use chrono::Utc;
use ratatui::crossterm::event::{Event, KeyEventKind};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::profile::{Locations, ProfileSet};
use crate::settings::Settings;
use action::{Action, Effect};
use state::{Sources, State};

/// What the dashboard starts from.
#[derive(Debug, Clone)]
pub struct Context {
    pub locations: Locations,
    /// The profiles as read at start (`r` reads the files again).
    pub profiles: ProfileSet,
    pub cache_dir: PathBuf,
    pub settings: Settings,
    /// Problems found in the settings file, shown at start.
    pub settings_problems: Vec<String>,
    /// Profile to select first (--profile or AWS_PROFILE).
    pub select: Option<String>,
    /// MFATUI_PROFILE of an enclosing mfatui subshell.
    pub held_session: Option<String>,
}

pub async fn run(mut ctx: Context) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let mut runtime = runtime::Runtime::new(&ctx, tx);
    let mut state = State::new(Sources {
        config: ctx.locations.config.display().to_string(),
        credentials: ctx.locations.credentials.display().to_string(),
    });
    state.colors = ctx.settings.colors;
    state.warn_seconds = ctx.settings.warning_threshold.as_secs() as i64;
    state.export_format = ctx.settings.export_format;
    state.held_session = ctx.held_session.clone();
    let mut loaded = runtime.show(std::mem::take(&mut ctx.profiles), Utc::now());
    loaded.select = ctx.select.clone();
    update::update(&mut state, Action::Loaded(loaded), Utc::now());

    let mut guard = terminal::TerminalGuard::enter()?;
    let (event_tx, mut events) = mpsc::unbounded_channel();
    let input = input::InputReader::start(event_tx);
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    // Ctrl-C is a key in raw mode; a SIGINT can only come from a subshell's terminal
    // and must not kill the dashboard behind it.
    let mut sigint = signal(SignalKind::interrupt())?;
    while !state.quit {
        guard
            .terminal
            .draw(|frame| view::render(&state, Utc::now(), frame))?;
        let wait = state.next_redraw(Utc::now());
        let action = tokio::select! {
            event = events.recv() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Action::Key(key),
                Some(Ok(Event::Resize(..))) => Action::Resize,
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(action) = rx.recv() => action,
            _ = tokio::time::sleep(wait.unwrap_or_default()), if wait.is_some() => Action::Tick,
            _ = sigterm.recv() => break,
            _ = sighup.recv() => break,
            _ = sigint.recv() => continue,
        };
        #[cfg(debug_assertions)]
        test_panic_trigger(&action);
        for effect in update::update(&mut state, action, Utc::now()) {
            match effect {
                Effect::Subshell { profile } => {
                    let (level, text) =
                        handoff::subshell(&mut guard, &input, &runtime, &profile).await;
                    state.set_status(level, text);
                }
                Effect::WriteTerminal(bytes) => {
                    use std::io::Write;
                    let mut out = std::io::stdout().lock();
                    out.write_all(&bytes)?;
                    out.flush()?;
                }
                effect => runtime.perform(effect, Utc::now()),
            }
        }
    }
    drop(guard);
    Ok(())
}

/// Debug builds only: with MFATUI_TEST_PANIC set, `!` panics, so a test can check that
/// a panic restores the terminal. Release builds have no such key.
#[cfg(debug_assertions)]
fn test_panic_trigger(action: &Action) {
    use ratatui::crossterm::event::KeyCode;
    if let Action::Key(key) = action
        && key.code == KeyCode::Char('!')
        && std::env::var_os("MFATUI_TEST_PANIC").is_some()
    {
        panic!("panic requested with MFATUI_TEST_PANIC");
    }
}
