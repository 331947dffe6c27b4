//! `mfatui export PROFILE [--format ...] [--clipboard]`: the session as export lines, or as
//! credential_process JSON. With `--format process` it never prompts: credential_process
//! runs without a terminal, so a missing code is an error telling the user to log in.

use std::fs::OpenOptions;
use std::io::{IsTerminal, Write};

use super::session::{self, Ask, LoginOptions};
use super::{Env, Failure, exit};
use crate::shell::clipboard;
use crate::shell::export::{self, Format};

pub async fn run(
    env: &Env,
    name: Option<&str>,
    format: Option<Format>,
    clipboard: bool,
    code: Option<String>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let format = format.unwrap_or(env.settings.export_format);
    let (set, name) = session::select(env, name)?;
    let mut opts = LoginOptions::with_code(code);
    if format == Format::Process {
        opts.ask = Ask::Never;
    }
    let credentials = session::credentials(env, &set, &name, opts).await?;
    let export = session::export_set(&set, &name, credentials)?;
    let text = export::render(format, &export);
    if clipboard {
        return copy(&text, env);
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Copy `text`; say where it went and when it will be cleared. Without a display the OSC 52
/// sequence goes to the terminal: stdout if it is one, else /dev/tty (never into a pipe).
fn copy(text: &str, env: &Env) -> anyhow::Result<()> {
    let clear_after = env.settings.clipboard_clear;
    let method = if std::io::stdout().is_terminal() {
        clipboard::copy(text, clear_after, &mut std::io::stdout().lock())
    } else {
        match OpenOptions::new().write(true).open("/dev/tty") {
            Ok(mut tty) => clipboard::copy(text, clear_after, &mut tty),
            Err(_) => clipboard::copy(text, clear_after, &mut std::io::sink()),
        }
    }
    .map_err(|e| Failure::new(exit::FAILURE, e.to_string()))?;
    eprintln!("mfatui: {}", method.message(clear_after));
    Ok(())
}
