//! Handing the terminal to a subshell that holds a profile's session, and taking it
//! back intact. Order matters: input stops (acknowledged) before the terminal is
//! released, and stale input is dropped before the dashboard reads again.

use chrono::Utc;

use super::input::InputReader;
use super::runtime::Runtime;
use super::state::Level;
use super::terminal::TerminalGuard;
use crate::shell::env::{apply, replaced_session, subshell_env, user_shell};

pub async fn subshell(
    guard: &mut TerminalGuard,
    input: &InputReader,
    runtime: &Runtime,
    profile: &str,
) -> (Level, String) {
    let set = match runtime.export_set(profile, Utc::now()).await {
        Ok(set) => set,
        Err(e) => return (Level::Warn, e),
    };
    let shell = runtime.settings().shell.clone().unwrap_or_else(user_shell);
    let mut command = std::process::Command::new(&shell);
    apply(&mut command, &subshell_env(&set));

    input.pause();
    guard.suspend();
    let replaced = replaced_session(|k| std::env::var(k).ok())
        .map(|old| format!(" (replaces the session of {old})"))
        .unwrap_or_default();
    println!(
        "mfatui: {shell} with the session of {profile}{replaced}; exit to return to the dashboard"
    );
    let status = tokio::process::Command::from(command).status().await;
    let resumed = guard.resume();
    input.resume();
    if let Err(e) = resumed {
        return (
            Level::Error,
            format!("could not take the terminal back: {e}"),
        );
    }
    match status {
        Ok(status) => match status.code() {
            Some(code) => (Level::Info, format!("{shell} exited with status {code}")),
            None => (Level::Warn, format!("{shell} ended by a signal ({status})")),
        },
        Err(e) => (Level::Error, format!("could not start {shell}: {e}")),
    }
}
