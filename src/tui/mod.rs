//! The dashboard: state, pure update and render, and the loop that feeds them.

pub mod action;
pub mod modal;
pub mod rows;
mod runtime;
pub mod state;
mod terminal;
pub mod update;
pub mod view;

use std::path::PathBuf;

use chrono::Utc;
use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::profile::Locations;
use action::Action;
use state::{Sources, State};

/// What the dashboard starts from.
#[derive(Debug, Clone)]
pub struct Context {
    pub locations: Locations,
    pub cache_dir: PathBuf,
    /// Profile to select first (--profile or AWS_PROFILE).
    pub select: Option<String>,
    pub colors: bool,
    /// MFATUI_PROFILE of an enclosing mfatui subshell.
    pub held_session: Option<String>,
}

pub async fn run(ctx: Context) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let mut runtime = runtime::Runtime::new(&ctx, tx);
    let mut state = State::new(Sources {
        config: ctx.locations.config.display().to_string(),
        credentials: ctx.locations.credentials.display().to_string(),
    });
    state.colors = ctx.colors;
    state.held_session = ctx.held_session.clone();
    let mut loaded = runtime.load(Utc::now());
    loaded.select = ctx.select.clone();
    update::update(&mut state, Action::Loaded(loaded), Utc::now());

    let mut guard = terminal::TerminalGuard::enter()?;
    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    while !state.quit {
        guard
            .terminal
            .draw(|frame| view::render(&state, Utc::now(), frame))?;
        let wait = state.next_redraw(Utc::now());
        let action = tokio::select! {
            event = events.next() => match event {
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
        };
        for effect in update::update(&mut state, action, Utc::now()) {
            runtime.perform(effect, Utc::now());
        }
    }
    drop(guard);
    Ok(())
}
