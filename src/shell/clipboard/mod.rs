//! Copying export lines to the clipboard, and taking them off it again.
//!
//! [`copy`] picks one of two ways for each copy and says which ([`Method`]):
//!
//! * **[`Method::Display`]**: there is a graphical session (DISPLAY or WAYLAND_DISPLAY is set;
//!   always on macOS). The text goes to the system clipboard through arboard.
//! * **[`Method::Osc52`]**: no display (SSH, a console, a container), or the clipboard could
//!   not be opened. The text is written to the terminal as `ESC ] 52 ; c ; <base64> BEL`, and a
//!   terminal emulator that supports OSC 52 (xterm with `allowWindowOps`, kitty, WezTerm,
//!   iTerm2, Alacritty, foot, Windows Terminal, ...) puts it on the clipboard of the machine
//!   the user sits at, even across SSH.
//!
//! # The keeper (X11)
//!
//! On X11 the clipboard is not a store but a promise: the process that owns the selection
//! serves its contents to every paste, and when that process exits the contents are gone.
//! `mfatui export --clipboard` exits at once and the dashboard exits eventually, so neither
//! can own the selection itself. [`copy`] therefore starts a helper: the same binary as
//! `mfatui clipboard-keeper --clear-after SECONDS` (a hidden subcommand, [`run_keeper`]):
//!
//! * it reads the text from its stdin, never from argv or the environment (both are visible to
//!   other users in `ps` and /proc);
//! * it runs in its own session (`setsid`), with stderr on /dev/null and `/` as its working
//!   directory, so it outlives its parent, a closed terminal (no SIGHUP) and Ctrl-C in the
//!   shell that started it;
//! * it takes the selection with arboard, marked with the `x-kde-passwordManagerHint` target so
//!   clipboard managers that honour it (Klipper, GPaste, CopyQ, ...) keep it out of their
//!   history, and serves it while it waits (`SetExtLinux::wait_until`: no polling);
//! * after SECONDS it clears the clipboard only if the clipboard still holds exactly that text
//!   (read back with arboard's `get_text`, whoever serves it now: itself, or a clipboard
//!   manager that took a copy). If something else was copied in the meantime it leaves it
//!   alone. Then it exits. `--clear-after 0` never clears: it serves until something else is
//!   copied.
//!
//! Startup handshake: the keeper answers on its stdout with one line, `ok` once it owns the
//! selection, or `error: <reason>` (a reason in words, never the text). [`copy`] waits up to
//! [`HANDSHAKE_TIMEOUT`] for that line; only `ok` makes it report [`Method::Display`], so the UI
//! never claims a copy that did not happen. On an error or a timeout (the keeper is killed) it
//! falls back to OSC 52. The keeper is reaped by a small thread of the parent, so a long-lived
//! dashboard does not collect zombies.
//!
//! # Clearing and OSC 52: not cleared
//!
//! OSC 52 can only write. Reading the clipboard back (`ESC ] 52 ; c ; ? BEL`) is disabled by
//! almost every terminal, for good reason, so "clear it if it still holds the credentials"
//! cannot be checked. Sending an empty OSC 52 after the delay would be a blind clear: it would
//! wipe whatever the user copied since (a URL, a command), it could only happen while the
//! dashboard still runs (never for `mfatui export --clipboard`), and terminals disagree about
//! what an empty payload means (xterm clears, others ignore it or set an empty string). So
//! mfatui does **not** clear an OSC 52 copy, and [`Method::message`] tells the user so. The
//! credentials are temporary ones; they stop working when the session expires.
//!
//! # tmux
//!
//! Inside tmux (TMUX set) the sequence is written twice, and at most one of them has an effect
//! with a given tmux configuration:
//!
//! 1. plain: tmux itself handles OSC 52 when `set-clipboard on` is set (the default is
//!    `external`, which ignores it): it stores the text in a paste buffer and forwards an OSC
//!    52 of its own to the outer terminal (when that terminal has the `clipboard` feature or
//!    the terminfo `Ms` capability; xterm* has it by default). Note that the paste buffer stays
//!    in `tmux list-buffers` until deleted.
//! 2. wrapped for passthrough: `ESC P tmux; <the sequence with every ESC doubled> ESC \`. tmux
//!    3.3 and later pass it to the outer terminal unchanged only when `allow-passthrough on` is
//!    set (off by default); older tmux always did.
//!
//! With both options on, the outer terminal receives the same text twice, which is harmless.
//! With neither, tmux drops both silently: there is no way to find out from inside, so the
//! message still says OSC 52 was used. GNU screen is not handled.

mod keeper;
mod osc52;

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use keeper::{HANDSHAKE_TIMEOUT, KEEPER_SUBCOMMAND, run_keeper};
pub use osc52::osc52_sequence;

/// Where a copy went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// The system clipboard of the graphical session, served by the keeper and cleared by it.
    Display,
    /// The terminal emulator's clipboard, through the OSC 52 escape sequence. Never cleared.
    Osc52,
}

impl Method {
    /// Where the text went, in a few words: "the system clipboard" or "the terminal's clipboard
    /// (OSC 52)".
    pub fn describe(self) -> &'static str {
        match self {
            Method::Display => "the system clipboard",
            Method::Osc52 => "the terminal's clipboard (OSC 52)",
        }
    }

    /// The sentence for the user after a copy that asked to be cleared after `clear_after`:
    /// where the text went and whether and when it will be cleared.
    pub fn message(self, clear_after: Duration) -> String {
        match (self, whole_seconds(clear_after)) {
            (Method::Display, 0) => {
                "copied to the system clipboard; it is not cleared automatically".to_string()
            }
            (Method::Display, secs) => format!(
                "copied to the system clipboard; cleared in {secs} s unless something else is copied first"
            ),
            (Method::Osc52, _) => "copied through the terminal (OSC 52); mfatui cannot read that \
                                   clipboard back, so it will not clear it"
                .to_string(),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Why a copy failed. The copied text never appears in it.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("there is nothing to copy")]
    Empty,
    /// No display, and the OSC 52 sequence could not be written.
    #[error("could not send the text to the terminal's clipboard (OSC 52): {0}")]
    Terminal(io::Error),
    /// A display, but the system clipboard failed; then the OSC 52 fallback failed too.
    #[error(
        "the system clipboard is not available ({display}), and sending the text to the terminal (OSC 52) failed: {terminal}"
    )]
    Unavailable {
        display: String,
        terminal: io::Error,
    },
}

/// Copies `text`, to be cleared after `clear_after` (rounded up to whole seconds; zero means
/// never) if the clipboard still holds it then.
///
/// With a display, a detached keeper process (this same executable, see the module docs)
/// takes the system clipboard and `out` is not touched. Without one, or when the keeper cannot
/// take the clipboard, the OSC 52 sequence is written to `out` and flushed: pass the terminal
/// (the dashboard's terminal writer, or stdout / `/dev/tty` from the CLI; a CLI whose stdout
/// is not a terminal should pass `/dev/tty`, or the sequence lands in a pipe or a file).
///
/// Blocks until the keeper answers (milliseconds; at most [`HANDSHAKE_TIMEOUT`]).
pub fn copy(
    text: &str,
    clear_after: Duration,
    out: &mut dyn Write,
) -> Result<Method, ClipboardError> {
    let keeper = std::env::current_exe()
        .map_err(|e| format!("cannot find the mfatui executable to keep the clipboard: {e}"));
    copy_impl(keeper, &process_env, text, clear_after, out)
}

/// [`copy`] with an explicit keeper executable: `keeper clipboard-keeper --clear-after N` must
/// run [`run_keeper`]. For callers whose own executable is not mfatui (tests, embedders).
pub fn copy_with_keeper(
    keeper: &Path,
    text: &str,
    clear_after: Duration,
    out: &mut dyn Write,
) -> Result<Method, ClipboardError> {
    copy_impl(
        Ok(keeper.to_path_buf()),
        &process_env,
        text,
        clear_after,
        out,
    )
}

// ---- copy ------------------------------------------------------------------------------------

fn process_env(key: &str) -> Option<String> {
    std::env::var_os(key).map(|v| v.to_string_lossy().into_owned())
}

fn is_set(env: &dyn Fn(&str) -> Option<String>, key: &str) -> bool {
    env(key).is_some_and(|v| !v.is_empty())
}

/// Whether a system clipboard may exist: always on macOS and Windows; elsewhere when DISPLAY
/// or WAYLAND_DISPLAY is set (arboard reaches Wayland through XWayland's DISPLAY; with only
/// WAYLAND_DISPLAY the keeper fails and OSC 52 takes over).
fn display_expected(env: &dyn Fn(&str) -> Option<String>) -> bool {
    cfg!(any(target_os = "macos", windows))
        || is_set(env, "DISPLAY")
        || is_set(env, "WAYLAND_DISPLAY")
}

fn copy_impl(
    keeper: Result<PathBuf, String>,
    env: &dyn Fn(&str) -> Option<String>,
    text: &str,
    clear_after: Duration,
    out: &mut dyn Write,
) -> Result<Method, ClipboardError> {
    if text.is_empty() {
        return Err(ClipboardError::Empty);
    }
    let display_failure = if display_expected(env) {
        match keeper.and_then(|program| keeper::start(&program, text, clear_after)) {
            Ok(()) => return Ok(Method::Display),
            Err(reason) => Some(reason),
        }
    } else {
        None
    };
    let sequence = osc52_sequence(text, is_set(env, "TMUX"));
    match out.write_all(&sequence).and_then(|()| out.flush()) {
        Ok(()) => Ok(Method::Osc52),
        Err(terminal) => Err(match display_failure {
            None => ClipboardError::Terminal(terminal),
            Some(display) => ClipboardError::Unavailable { display, terminal },
        }),
    }
}

/// `clear_after` in whole seconds, rounded up so that a sub-second value does not mean
/// "never" (0).
fn whole_seconds(clear_after: Duration) -> u64 {
    clear_after.as_secs() + u64::from(clear_after.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| {
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(whole_seconds(Duration::ZERO), 0);
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(45)), 45);
        assert_eq!(whole_seconds(Duration::from_millis(45_001)), 46);
    }

    #[test]
    fn the_messages_say_where_and_whether_it_is_cleared() {
        let secs = Duration::from_secs(45);
        assert_eq!(
            Method::Display.message(secs),
            "copied to the system clipboard; cleared in 45 s unless something else is copied first"
        );
        assert!(
            Method::Display
                .message(Duration::ZERO)
                .contains("not cleared")
        );
        let osc = Method::Osc52.message(secs);
        assert!(
            osc.contains("OSC 52") && osc.contains("will not clear"),
            "{osc}"
        );
        assert_eq!(Method::Display.to_string(), "the system clipboard");
        assert_eq!(
            Method::Osc52.to_string(),
            "the terminal's clipboard (OSC 52)"
        );
    }

    #[test]
    fn a_display_is_expected_when_display_or_wayland_display_is_set() {
        if cfg!(any(target_os = "macos", windows)) {
            return;
        }
        assert!(!display_expected(&env_of(&[])));
        assert!(!display_expected(&env_of(&[
            ("DISPLAY", ""),
            ("WAYLAND_DISPLAY", "")
        ])));
        assert!(display_expected(&env_of(&[("DISPLAY", ":0")])));
        assert!(display_expected(&env_of(&[(
            "WAYLAND_DISPLAY",
            "wayland-0"
        )])));
    }

    #[test]
    fn without_a_display_the_sequence_goes_to_out_and_no_keeper_starts() {
        let mut out = Vec::new();
        // A keeper that would fail loudly if it were started.
        let keeper = Ok(PathBuf::from("/nonexistent/mfatui"));
        let method = copy_impl(
            keeper,
            &env_of(&[]),
            "secret",
            Duration::from_secs(45),
            &mut out,
        )
        .unwrap();
        assert_eq!(method, Method::Osc52);
        assert_eq!(out, osc52_sequence("secret", false));

        let mut out = Vec::new();
        let env = env_of(&[("TMUX", "/tmp/tmux-0/default,1,0")]);
        let method = copy_impl(Err("x".into()), &env, "secret", Duration::ZERO, &mut out).unwrap();
        assert_eq!(method, Method::Osc52);
        assert_eq!(out, osc52_sequence("secret", true));
    }

    #[test]
    fn a_keeper_that_fails_falls_back_to_osc52() {
        if cfg!(any(target_os = "macos", windows)) {
            return;
        }
        let env = env_of(&[("DISPLAY", ":0")]);
        for (keeper, reason) in [
            // cannot start
            (
                Ok(PathBuf::from("/nonexistent/mfatui")),
                "cannot start the clipboard keeper",
            ),
            // starts, answers nothing, exits
            (Ok(PathBuf::from("/bin/true")), "exited without an answer"),
            // no executable at all
            (Err("cannot find it".to_string()), "cannot find it"),
        ] {
            let mut out = Vec::new();
            let method = copy_impl(keeper, &env, "secret", Duration::from_secs(1), &mut out)
                .unwrap_or_else(|e| panic!("{reason}: {e}"));
            assert_eq!(method, Method::Osc52, "{reason}");
            assert_eq!(out, osc52_sequence("secret", false), "{reason}");
        }

        // And when the terminal cannot be written either, both reasons are given.
        let err = copy_impl(
            Ok(PathBuf::from("/bin/true")),
            &env,
            "secret",
            Duration::from_secs(1),
            &mut BrokenTerminal,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("exited without an answer") && msg.contains("gone"),
            "{msg}"
        );
        assert!(!msg.contains("secret"), "{msg}");
    }

    #[test]
    fn errors_are_plain_and_never_carry_the_text() {
        assert!(matches!(
            copy_impl(
                Err(String::new()),
                &env_of(&[]),
                "",
                Duration::ZERO,
                &mut Vec::new()
            ),
            Err(ClipboardError::Empty)
        ));
        let err = copy_impl(
            Err(String::new()),
            &env_of(&[]),
            "AKIASECRET",
            Duration::ZERO,
            &mut BrokenTerminal,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "could not send the text to the terminal's clipboard (OSC 52): gone"
        );
    }

    struct BrokenTerminal;

    impl Write for BrokenTerminal {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("gone"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::other("gone"))
        }
    }
}
