//! `mfatui exec PROFILE [-- CMD ARGS...]`: run CMD (default: the user's shell) with the
//! session in its environment.
//!
//! mfatui replaces itself with the command (execve) once the session is ready, so the
//! command's exit status is mfatui's, signals (Ctrl-C, SIGTERM) reach it directly, and no
//! mfatui process lingers holding credentials in memory.

use std::os::unix::process::CommandExt;
use std::process::Command;

use super::session::{self, LoginOptions};
use super::{Env, Failure, exit};
use crate::shell::env::{apply, replaced_session, subshell_env, user_shell};

/// The command, ready to run with the session of `name`.
pub async fn prepare(
    env: &Env,
    name: Option<&str>,
    code: Option<String>,
    command: &[String],
) -> anyhow::Result<Command> {
    let (set, name) = session::select(env, name)?;
    let credentials = session::credentials(env, &set, &name, LoginOptions::with_code(code)).await?;
    let export = session::export_set(&set, &name, credentials)?;
    let (program, args) = match command.split_first() {
        Some((program, args)) => (program.clone(), args.to_vec()),
        None => (
            env.settings.shell.clone().unwrap_or_else(user_shell),
            Vec::new(),
        ),
    };
    if let Some(old) = replaced_session(|k| std::env::var(k).ok()) {
        eprintln!("mfatui: replacing the session of {old} held by this shell with {name}");
    }
    let mut cmd = Command::new(&program);
    cmd.args(args);
    apply(&mut cmd, &subshell_env(&export));
    Ok(cmd)
}

/// Become the command. Returns only if it could not be started: 127 when it does not
/// exist, 126 otherwise, as shells do.
pub fn exec(mut cmd: Command) -> Failure {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let err = cmd.exec();
    let code = if err.kind() == std::io::ErrorKind::NotFound {
        exit::NOT_FOUND
    } else {
        exit::CANNOT_RUN
    };
    Failure::new(code, format!("could not run {program}: {err}"))
}
