//! The detached keeper that owns the system clipboard on behalf of a process that exits (see
//! [the keeper section of the module docs](super#the-keeper-x11)): starting it and waiting for
//! its handshake ([`start`]), and the keeper itself ([`run_keeper`]).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The hidden subcommand that runs [`run_keeper`].
pub const KEEPER_SUBCOMMAND: &str = "clipboard-keeper";

/// How long [`copy`](super::copy) waits for the keeper to own the clipboard before it falls
/// back to OSC 52.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// The keeper's answer once it owns the selection.
const KEEPER_OK: &str = "ok";
/// The keeper's answer when it cannot: `error: <reason>`.
const KEEPER_ERROR: &str = "error: ";
/// More than this on the keeper's stdin is refused (export lines are a few kilobytes).
const MAX_TEXT: usize = 1 << 20;

// ---- the parent's side -------------------------------------------------------------------

/// Starts the keeper and waits for its answer. `Err` holds the reason in words.
pub(super) fn start(program: &Path, text: &str, clear_after: Duration) -> Result<(), String> {
    let mut command = Command::new(program);
    command
        .arg(KEEPER_SUBCOMMAND)
        .arg("--clear-after")
        .arg(super::whole_seconds(clear_after).to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .current_dir("/");
    detach(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the clipboard keeper: {e}"))?;

    // Feed the text and read the answer on a thread, so a keeper that hangs costs at most the
    // timeout: killing it closes both pipes and ends the thread.
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        unreachable!("stdin and stdout are piped");
    };
    let text = text.to_owned();
    let (tx, rx) = mpsc::channel();
    let talk = thread::Builder::new()
        .name("clipboard-keeper-start".into())
        .spawn(move || {
            let fed = stdin.write_all(text.as_bytes());
            drop(stdin); // end of the text
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            // A failed write means the keeper stopped reading early: its answer cannot be `ok`
            // for this text, but its reason (if any) is still worth reading.
            let _ = tx.send(read.map(|_| (fed.is_ok(), line)));
        });
    if let Err(e) = talk {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("cannot talk to the clipboard keeper: {e}"));
    }

    let answer = rx.recv_timeout(HANDSHAKE_TIMEOUT);
    let result = match &answer {
        Ok(Ok((true, line))) if line.trim_end() == KEEPER_OK => Ok(()),
        Ok(Ok((false, line))) if line.trim_end() == KEEPER_OK => {
            Err("the clipboard keeper did not read the whole text".to_string())
        }
        Ok(Ok((_, line))) => Err(match line.trim_end().strip_prefix(KEEPER_ERROR) {
            Some(reason) => reason.to_string(),
            None => "the clipboard keeper exited without an answer".to_string(),
        }),
        Ok(Err(e)) => Err(format!("cannot talk to the clipboard keeper: {e}")),
        Err(_) => Err(format!(
            "the clipboard did not answer within {} s",
            HANDSHAKE_TIMEOUT.as_secs()
        )),
    };
    if answer.is_err() {
        let _ = child.kill();
    }
    // The keeper is our child until it exits: reap it without making the caller wait.
    let reaper = thread::Builder::new()
        .name("clipboard-keeper-reaper".into())
        .spawn(move || {
            let _ = child.wait();
        });
    drop(reaper);
    result
}

/// Puts the keeper in a session of its own: no controlling terminal (a closed terminal sends
/// it no SIGHUP) and its own process group (Ctrl-C in the shell does not reach it). std resets
/// the signal mask and dispositions of the child before exec.
#[cfg(unix)]
fn detach(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs between fork and exec and only calls setsid(2), which is
    // async-signal-safe, and reads errno.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn detach(_command: &mut Command) {}

// ---- the keeper --------------------------------------------------------------------------

/// The hidden `mfatui clipboard-keeper --clear-after SECONDS`: reads the text from stdin, owns
/// the clipboard, answers `ok` (or `error: <reason>`) on stdout, serves the text, and after
/// SECONDS (0: never) clears the clipboard if it still holds exactly that text. See the module
/// docs.
pub fn run_keeper(clear_after_secs: u64) -> anyhow::Result<()> {
    let deadline =
        (clear_after_secs > 0).then(|| Instant::now() + Duration::from_secs(clear_after_secs));
    let text = match read_text(io::stdin().lock()) {
        Ok(text) => text,
        Err(reason) => return refuse(reason),
    };
    let mut clipboard = match arboard::Clipboard::new() {
        Ok(clipboard) => clipboard,
        Err(e) => return refuse(format!("cannot open the clipboard: {e}")),
    };
    if let Err(e) = platform::take(&mut clipboard, &text) {
        return refuse(format!("cannot take the clipboard: {e}"));
    }
    answer(KEEPER_OK);
    platform::serve(&mut clipboard, &text, deadline);
    if let Some(deadline) = deadline {
        // Ownership may have gone early (another copy, or a clipboard manager taking over our
        // text): the clipboard is still checked at the time the user was promised.
        thread::sleep(deadline.saturating_duration_since(Instant::now()));
        if clipboard.get_text().is_ok_and(|now| now == text) {
            clipboard
                .clear()
                .map_err(|e| anyhow::anyhow!("cannot clear the clipboard: {e}"))?;
        }
    }
    Ok(())
}

fn read_text(input: impl Read) -> Result<String, String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_TEXT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the text to copy from stdin: {e}"))?;
    if bytes.is_empty() {
        return Err("there is nothing to copy (stdin was empty)".to_string());
    }
    if bytes.len() > MAX_TEXT {
        return Err(format!(
            "the text to copy is larger than {} KiB",
            MAX_TEXT / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|_| "the text to copy is not UTF-8".to_string())
}

/// Tells the parent how the start went (its stdout; ignored when nobody listens any more).
fn answer(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

fn refuse(reason: String) -> anyhow::Result<()> {
    answer(&format!("{KEEPER_ERROR}{reason}"));
    Err(anyhow::anyhow!(reason))
}

/// Where the clipboard is a selection served by its owner (X11, and Wayland through
/// arboard's Linux backend): the platforms of arboard's `SetExtLinux`.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
))]
mod platform {
    use std::time::Instant;

    use arboard::{Clipboard, SetExtLinux};

    /// Takes the selection; arboard's thread serves it from now on.
    pub fn take(clipboard: &mut Clipboard, text: &str) -> Result<(), arboard::Error> {
        clipboard.set().exclude_from_history().text(text)
    }

    /// Serves the selection until `deadline` (`None`: for ever) or until another client takes
    /// it, whichever comes first. arboard wakes up on the SelectionClear event: no polling.
    ///
    /// It sets the same text again, which X11 treats as the same owner asserting again (no
    /// SelectionClear, no flicker for a clipboard manager); arboard has no wait without a set.
    /// The answer to the parent was sent in between, microseconds after `take`.
    pub fn serve(clipboard: &mut Clipboard, text: &str, deadline: Option<Instant>) {
        let set = clipboard.set().exclude_from_history();
        let set = match deadline {
            Some(deadline) => set.wait_until(deadline),
            None => set.wait(),
        };
        let _ = set.text(text);
    }
}

/// Where the clipboard is a store (macOS, Windows): the text stays after the keeper exits, and
/// the keeper only has to clear it in time.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
)))]
mod platform {
    use std::time::Instant;

    use arboard::Clipboard;

    pub fn take(clipboard: &mut Clipboard, text: &str) -> Result<(), arboard::Error> {
        clipboard.set_text(text)
    }

    pub fn serve(_clipboard: &mut Clipboard, _text: &str, _deadline: Option<Instant>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keeper_reads_utf8_text_and_refuses_empty_huge_or_binary_input() {
        assert_eq!(read_text(&b"a\nb"[..]).unwrap(), "a\nb");
        assert!(read_text(&b""[..]).unwrap_err().contains("nothing to copy"));
        assert!(read_text(&b"\xff"[..]).unwrap_err().contains("not UTF-8"));
        let huge = vec![b'a'; MAX_TEXT + 1];
        assert!(read_text(&huge[..]).unwrap_err().contains("larger than"));
        assert_eq!(read_text(&huge[..MAX_TEXT]).unwrap().len(), MAX_TEXT);
    }
}
