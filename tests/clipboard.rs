//! The clipboard, for real: the keeper under a real X server (Xvfb) read back by another X
//! client (xclip), and OSC 52 in a pseudo-terminal, bare and inside a real tmux.
//!
//! Each X test starts its own Xvfb (the clipboard is global to a display, and the tests run in
//! parallel). Missing tools fail the test with the way to install them; nothing is skipped.
//!
//! The product path is `mfatui export NAME --clipboard` (with a display: the keeper; without:
//! OSC 52 on the terminal). The library's entry points are also driven directly by a process
//! that copies and exits: this test binary runs itself as that process ([`child_copy_entry`],
//! selected with [`CHILD_MODE`]); the tmux tests run it in a tmux pane.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use mfatui::shell::clipboard::{self, Method};
use support::{Pty, TestHome, env_get, env_remove, env_set};

const TOOLS_HINT: &str = "install xvfb and xclip (.ci/run does)";

/// What the clipboard tests copy: export lines with the characters that break naive quoting.
const SECRET: &str = "export AWS_ACCESS_KEY_ID='ASIAEXAMPLEKEEPER01'\n\
    export AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG+bPxRfiCYz=Q\"$x`'\n\
    export AWS_SESSION_TOKEN='FwoGZXIvYXdzEXAMPLE//////////wEaDé ü'\n";

/// Set in the environment of this binary when it runs as the copying child process.
const CHILD_MODE: &str = "MFATUI_CLIPBOARD_TEST_CHILD";

/// How long the keeper waits before clearing, in these tests.
const CLEAR_AFTER: Duration = Duration::from_secs(3);

// ---- the tests -----------------------------------------------------------------------------

#[test]
fn the_keeper_serves_the_text_to_other_clients_then_clears_it() {
    let x = Xvfb::start();
    let env = x.env();
    let started = Instant::now();
    let mut keeper = Keeper::start(&env, SECRET, CLEAR_AFTER);
    assert_eq!(keeper.answer(), "ok");

    // The text is on the clipboard, as another X client sees it.
    wait_for_clipboard(&env, "the copied text", Duration::from_secs(10), |c| {
        c == Some(SECRET)
    });
    // ... and nowhere in what `ps` shows of the keeper.
    let pid = keeper.child.id();
    for file in ["cmdline", "environ"] {
        let shown = std::fs::read(format!("/proc/{pid}/{file}")).unwrap_or_default();
        assert!(
            !contains(&shown, b"wJalrXUtnFEMI"),
            "the secret is in /proc/{pid}/{file}"
        );
    }

    // Cleared once the time is up, not before.
    wait_for_clipboard(&env, "an empty clipboard", Duration::from_secs(15), |c| {
        c.is_none_or(str::is_empty)
    });
    assert!(
        started.elapsed() >= CLEAR_AFTER,
        "cleared after {:?}, before the {CLEAR_AFTER:?} asked",
        started.elapsed()
    );
    assert!(keeper.wait_exit(Duration::from_secs(10)).success());
}

#[test]
fn the_keeper_leaves_a_newer_copy_alone() {
    let x = Xvfb::start();
    let env = x.env();
    let started = Instant::now();
    let mut keeper = Keeper::start(&env, SECRET, CLEAR_AFTER);
    assert_eq!(keeper.answer(), "ok");
    wait_for_clipboard(&env, "the copied text", Duration::from_secs(10), |c| {
        c == Some(SECRET)
    });

    // Another application copies something else before the time is up.
    let _other = XclipOwner::start(&env, "something the user copied");
    wait_for_clipboard(&env, "the other copy", Duration::from_secs(10), |c| {
        c == Some("something the user copied")
    });

    // The keeper still waits for its time, looks, and leaves the other copy alone.
    assert!(keeper.wait_exit(Duration::from_secs(15)).success());
    assert!(
        started.elapsed() >= CLEAR_AFTER,
        "the keeper exited after {:?}, before its time",
        started.elapsed()
    );
    assert_eq!(
        read_clipboard(&env).as_deref(),
        Some("something the user copied"),
        "the keeper cleared a copy that was not its own"
    );
}

#[test]
fn a_keeper_that_never_clears_serves_until_something_else_is_copied() {
    let x = Xvfb::start();
    let env = x.env();
    let mut keeper = Keeper::start(&env, SECRET, Duration::ZERO);
    assert_eq!(keeper.answer(), "ok");
    wait_for_clipboard(&env, "the copied text", Duration::from_secs(10), |c| {
        c == Some(SECRET)
    });
    let _other = XclipOwner::start(&env, "next");
    // Losing the selection wakes it (no polling on its side): it exits at once.
    assert!(keeper.wait_exit(Duration::from_secs(10)).success());
    assert_eq!(read_clipboard(&env).as_deref(), Some("next"));
}

#[test]
fn a_copy_outlives_the_process_that_made_it_and_the_keeper_is_detached() {
    let x = Xvfb::start();
    let mut env = x.env();
    env_set(&mut env, CHILD_MODE, "keeper");
    let started = Instant::now();
    let out = support::run(this_test_binary(), &child_args(), &env);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("method=Display"),
        "the copying process failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !stdout.contains("\x1b]52"),
        "with a display, nothing goes to the terminal"
    );

    // The process that copied has exited: the keeper serves the text on its own.
    let env = x.env();
    wait_for_clipboard(&env, "the copied text", Duration::from_secs(10), |c| {
        c == Some(SECRET)
    });
    let keeper = find_keeper(x.display).expect("the keeper process is running");
    let stat = ProcStat::read(keeper);
    assert_eq!(
        stat.session, keeper,
        "the keeper leads a session of its own (setsid)"
    );
    assert_eq!(stat.tty_nr, 0, "the keeper has no controlling terminal");
    assert_eq!(
        std::fs::read_link(format!("/proc/{keeper}/cwd")).ok(),
        Some(PathBuf::from("/"))
    );

    wait_for_clipboard(&env, "an empty clipboard", Duration::from_secs(15), |c| {
        c.is_none_or(str::is_empty)
    });
    assert!(started.elapsed() >= CLEAR_AFTER);
}

#[test]
fn the_keeper_is_hidden_and_says_why_it_cannot_copy() {
    let home = TestHome::new();
    let mut env = home.env(None);
    env_remove(&mut env, "DISPLAY");
    env_remove(&mut env, "WAYLAND_DISPLAY");
    let bin = support::mfatui_bin();

    let help = support::run(&bin, &["--help"], &env);
    assert!(help.status.success());
    assert!(!String::from_utf8_lossy(&help.stdout).contains("clipboard-keeper"));

    let keeper_args = ["clipboard-keeper", "--clear-after", "3"];
    let empty = support::run_with_stdin(&bin, &keeper_args, &env, b"");
    assert!(!empty.status.success());
    assert_eq!(
        String::from_utf8_lossy(&empty.stdout),
        "error: there is nothing to copy (stdin was empty)\n"
    );

    let no_display = support::run_with_stdin(&bin, &keeper_args, &env, SECRET.as_bytes());
    assert!(!no_display.status.success());
    let said = String::from_utf8_lossy(&no_display.stdout);
    assert!(
        said.starts_with("error: cannot open the clipboard"),
        "{said}"
    );
    for output in [&no_display.stdout, &no_display.stderr] {
        assert!(!contains(output, b"wJalrXUtnFEMI"), "the secret leaked");
    }
}

#[test]
fn without_a_display_copy_writes_osc52_to_the_terminal() {
    let home = TestHome::new();
    let mut env = home.env(None);
    for key in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX"] {
        env_remove(&mut env, key);
    }
    env_set(&mut env, CHILD_MODE, "copy");
    let mut pty = Pty::spawn(this_test_binary(), &child_args(), &env, 120, 40);
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    assert!(pty.output_text().contains("method=Osc52"));

    let expected = clipboard::osc52_sequence(SECRET, false);
    assert!(
        pty.output_contains(&expected),
        "no OSC 52 sequence with the text in:\n{:?}",
        pty.output_text()
    );
    assert!(pty.output_contains(b"\x1b]52;c;"));
    assert!(
        !pty.output_contains(b"\x1bPtmux;"),
        "no tmux wrapping outside tmux"
    );
}

#[test]
fn export_clipboard_with_a_display_leaves_the_text_with_the_keeper() {
    let x = Xvfb::start();
    let home = TestHome::new();
    let expected = plain_profile(&home);
    home.write_settings("clipboard_clear = 3s\n");
    let mut env = home.env(None);
    env_set(&mut env, "DISPLAY", format!(":{}", x.display));
    env_remove(&mut env, "WAYLAND_DISPLAY");
    env_remove(&mut env, "XAUTHORITY");

    let started = Instant::now();
    let out = support::run(
        support::mfatui_bin(),
        &["export", "plain", "--format", "sh", "--clipboard"],
        &env,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("copied to the system clipboard; cleared in 3 s"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing printed when copying");

    // mfatui has exited; the keeper serves the text, then clears it.
    wait_for_clipboard(&env, "the export lines", Duration::from_secs(10), |c| {
        c == Some(expected.as_str())
    });
    wait_for_clipboard(&env, "an empty clipboard", Duration::from_secs(15), |c| {
        c.is_none_or(str::is_empty)
    });
    assert!(started.elapsed() >= CLEAR_AFTER);
}

#[test]
fn export_clipboard_without_a_display_sends_osc52_to_the_terminal() {
    let home = TestHome::new();
    let expected = plain_profile(&home);
    let mut env = home.env(None);
    for key in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX"] {
        env_remove(&mut env, key);
    }
    let args = ["export", "plain", "--format", "sh", "--clipboard"];
    let mut pty = Pty::spawn(support::mfatui_bin(), &args, &env, 200, 40);
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    assert!(
        pty.output_contains(&clipboard::osc52_sequence(&expected, false)),
        "no OSC 52 sequence with the export lines in:\n{:?}",
        pty.output_text()
    );
    let screen = pty.screen();
    assert!(
        screen.contains("(OSC 52)") && screen.contains("will not clear it"),
        "the user is told where the text went and that it stays:\n{screen}"
    );
    assert!(
        !screen.contains("wJalr"),
        "the secret is not drawn on the screen:\n{screen}"
    );
}

#[test]
fn dashboard_y_puts_the_export_lines_on_the_x_clipboard_and_clears_them() {
    let x = Xvfb::start();
    let home = TestHome::new();
    let expected = plain_profile(&home);
    home.write_settings("clipboard_clear = 3s\n");
    let mut env = home.env(None);
    env_set(&mut env, "DISPLAY", format!(":{}", x.display));
    env_remove(&mut env, "WAYLAND_DISPLAY");
    env_remove(&mut env, "XAUTHORITY");

    let mut pty = Pty::spawn(support::mfatui_bin(), &[], &env, 120, 40);
    pty.wait_for_text("plain", Duration::from_secs(30));
    let started = Instant::now();
    pty.send("y");
    pty.wait_for_text("copied to the system clipboard", Duration::from_secs(30));
    wait_for_clipboard(&env, "the export lines", Duration::from_secs(10), |c| {
        c == Some(expected.as_str())
    });
    wait_for_clipboard(&env, "an empty clipboard", Duration::from_secs(15), |c| {
        c.is_none_or(str::is_empty)
    });
    assert!(started.elapsed() >= CLEAR_AFTER);
    pty.send("q");
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
}

#[test]
fn dashboard_y_without_a_display_writes_osc52() {
    let home = TestHome::new();
    let expected = plain_profile(&home);
    let mut env = home.env(None);
    for key in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX"] {
        env_remove(&mut env, key);
    }
    let mut pty = Pty::spawn(support::mfatui_bin(), &[], &env, 120, 40);
    pty.wait_for_text("plain", Duration::from_secs(30));
    pty.send("y");
    pty.wait_for_text("(OSC 52)", Duration::from_secs(30));
    assert!(
        pty.output_contains(&clipboard::osc52_sequence(&expected, false)),
        "no OSC 52 sequence with the export lines"
    );
    pty.send("q");
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
}

/// tmux with `set-clipboard on`: the plain sequence reaches tmux, which keeps a paste buffer.
#[test]
fn inside_tmux_set_clipboard_on_takes_the_plain_sequence() {
    let tmux = Tmux::start("set -g set-clipboard on\nset -g allow-passthrough off\n");
    tmux.wait_until("a tmux paste buffer", || tmux.show_buffer().is_some());
    assert_eq!(tmux.show_buffer().as_deref(), Some(SECRET));
}

/// tmux with `allow-passthrough on`: the wrapped sequence reaches the outer terminal as a
/// plain OSC 52.
#[test]
fn inside_tmux_passthrough_hands_the_sequence_to_the_outer_terminal() {
    let tmux = Tmux::start("set -g set-clipboard off\nset -g allow-passthrough on\n");
    let expected = clipboard::osc52_sequence(SECRET, false);
    tmux.wait_until("the OSC 52 sequence in the outer terminal", || {
        tmux.pty.output_contains(&expected)
    });
    assert_eq!(
        tmux.show_buffer(),
        None,
        "set-clipboard off keeps no buffer"
    );
}

/// Not a test on its own: the copying process of the tests above (see the module docs). Does
/// nothing unless [`CHILD_MODE`] is set.
#[test]
fn child_copy_entry() {
    let Ok(mode) = std::env::var(CHILD_MODE) else {
        return;
    };
    let mut out = std::io::stdout();
    let method = match mode.as_str() {
        // This executable is the test binary: name the real keeper.
        "keeper" => {
            clipboard::copy_with_keeper(&support::mfatui_bin(), SECRET, CLEAR_AFTER, &mut out)
        }
        // Without a display no keeper runs: the public entry point, as the program calls it.
        "copy" => clipboard::copy(SECRET, CLEAR_AFTER, &mut out),
        other => panic!("unknown {CHILD_MODE} {other}"),
    }
    .expect("copy");
    println!("\nmethod={method:?}");
    if method == Method::Osc52 {
        assert!(method.message(CLEAR_AFTER).contains("will not clear"));
    }
}

/// A profile with static keys (exported as they are, no STS) and its `export --format sh`
/// lines, as mfatui prints them.
fn plain_profile(home: &TestHome) -> String {
    home.write_config("[profile plain]\nregion = eu-west-1\n");
    home.write_credentials(
        "[plain]\naws_access_key_id = AKIAEXAMPLEPLAIN0001\n\
         aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCY'\"$x\n",
    );
    let out = support::run(
        support::mfatui_bin(),
        &["export", "plain", "--format", "sh"],
        &home.env(None),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 export lines");
    assert!(text.contains("AKIAEXAMPLEPLAIN0001"), "{text}");
    text
}

// ---- X server and clients ------------------------------------------------------------------

/// `name` on PATH, or a failed test saying how to install it.
fn require(name: &str, hint: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is not installed: {hint}"))
}

/// A private X server on the first free display from :90 up, killed on drop.
struct Xvfb {
    child: Child,
    display: u32,
    home: TestHome,
}

impl Xvfb {
    fn start() -> Xvfb {
        let xvfb = require("Xvfb", TOOLS_HINT);
        require("xclip", TOOLS_HINT);
        for display in 90..190 {
            if Path::new(&format!("/tmp/.X{display}-lock")).exists() {
                continue;
            }
            // -displayfd: Xvfb writes the display number there once it accepts connections,
            // or exits when the display is taken (a parallel test may have won the race).
            let mut child = Command::new(&xvfb)
                .args([
                    &format!(":{display}"),
                    "-displayfd",
                    "1",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start Xvfb: {e}"));
            let ready =
                read_line_within(child.stdout.take().expect("piped"), Duration::from_secs(20));
            match ready {
                Some(line) if line.trim() == display.to_string() => {
                    let socket = format!("/tmp/.X11-unix/X{display}");
                    assert!(
                        Path::new(&socket).exists(),
                        "Xvfb is ready but {socket} is missing"
                    );
                    return Xvfb {
                        child,
                        display,
                        home: TestHome::new(),
                    };
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
        panic!("no free X display from :90 to :189 ({TOOLS_HINT})");
    }

    /// A child environment on this display (and no other: no Wayland, no X cookie of the
    /// developer's display).
    fn env(&self) -> Vec<(String, String)> {
        let mut env = self.home.env(None);
        env_set(&mut env, "DISPLAY", format!(":{}", self.display));
        env_remove(&mut env, "WAYLAND_DISPLAY");
        env_remove(&mut env, "XAUTHORITY");
        env
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The clipboard as another X client sees it: `None` when nobody owns it.
fn read_clipboard(env: &[(String, String)]) -> Option<String> {
    let out = support::run_timeout(
        "xclip",
        &["-o", "-selection", "clipboard"],
        env,
        Duration::from_secs(10),
    );
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Polls the clipboard until `pred` holds; panics with the last contents at the deadline.
fn wait_for_clipboard(
    env: &[(String, String)],
    what: &str,
    timeout: Duration,
    pred: impl Fn(Option<&str>) -> bool,
) {
    let deadline = Instant::now() + timeout;
    loop {
        let now = read_clipboard(env);
        if pred(now.as_deref()) {
            return;
        }
        if Instant::now() >= deadline {
            panic!(
                "waited {timeout:?} for {what} on {}; the clipboard holds {now:?}",
                env_get(env, "DISPLAY").unwrap_or("?")
            );
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Another application owning the clipboard: `xclip -i` in the foreground, killed on drop.
struct XclipOwner(Child);

impl XclipOwner {
    fn start(env: &[(String, String)], text: &str) -> XclipOwner {
        let mut child = Command::new("xclip")
            .args(["-quiet", "-i", "-selection", "clipboard"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start xclip: {e} ({TOOLS_HINT})"));
        let mut stdin = child.stdin.take().expect("piped");
        stdin.write_all(text.as_bytes()).expect("feed xclip");
        drop(stdin);
        XclipOwner(child)
    }
}

impl Drop for XclipOwner {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---- the keeper, run directly --------------------------------------------------------------

/// `mfatui clipboard-keeper` started the way `copy` starts it (text on stdin, answer on
/// stdout), but as our own child so the test can watch it. Killed on drop.
struct Keeper {
    child: Child,
    answer: Option<mpsc::Receiver<String>>,
}

impl Keeper {
    fn start(env: &[(String, String)], text: &str, clear_after: Duration) -> Keeper {
        let secs = clear_after.as_secs().to_string();
        let mut child = Command::new(support::mfatui_bin())
            .args(["clipboard-keeper", "--clear-after", &secs])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the keeper: {e}"));
        let mut stdin = child.stdin.take().expect("piped");
        stdin.write_all(text.as_bytes()).expect("feed the keeper");
        drop(stdin);
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        Keeper {
            child,
            answer: Some(rx),
        }
    }

    /// The keeper's one-line answer (`ok` or `error: ...`), within the time `copy` allows.
    fn answer(&mut self) -> String {
        let rx = self.answer.take().expect("answer() once");
        rx.recv_timeout(clipboard::HANDSHAKE_TIMEOUT)
            .expect("the keeper answers in time")
            .trim_end()
            .to_string()
    }

    fn wait_exit(&mut self, timeout: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the keeper did not exit within {timeout:?}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Keeper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pid of the keeper serving `:display` (started by another process, so found in /proc).
fn find_keeper(display: u32) -> Option<u32> {
    let bin = support::mfatui_bin();
    let bin = bin.to_string_lossy();
    let want_env = format!("DISPLAY=:{display}");
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
            let is_keeper = args.first() == Some(&bin.as_bytes())
                && args.get(1) == Some(&b"clipboard-keeper".as_slice());
            let environ = std::fs::read(entry.path().join("environ")).ok()?;
            let on_display = environ.split(|&b| b == 0).any(|v| v == want_env.as_bytes());
            (is_keeper && on_display).then_some(pid)
        })
}

/// The fields of /proc/PID/stat that say whether a process is detached.
struct ProcStat {
    session: u32,
    tty_nr: u32,
}

impl ProcStat {
    fn read(pid: u32) -> ProcStat {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read stat");
        // "pid (comm) state ppid pgrp session tty_nr ...": comm may hold spaces and parens.
        let rest = &stat[stat.rfind(')').expect("comm") + 2..];
        let fields: Vec<&str> = rest.split(' ').collect();
        ProcStat {
            session: fields[3].parse().expect("session"),
            tty_nr: fields[4].parse().expect("tty_nr"),
        }
    }
}

// ---- tmux ----------------------------------------------------------------------------------

/// A private tmux server (its own socket and config) in a pty, running the copying child in
/// its only pane. Killed on drop.
///
/// The child copies only once the tmux client has settled, because tmux (3.3) forwards a
/// passthrough sequence (`ESC P tmux; ... ESC \`) to a client only when that client is
/// "ready": attached, with no full redraw pending. The sequence is not part of the pane's
/// screen, so no later redraw brings it back: it is dropped for good. And every attach has such
/// a redraw pending for a moment: right after attaching, the client sends its size
/// (MSG_RESIZE), and the server answers with a full redraw, deferred while output to the
/// terminal is still pending. A child that wrote in that window (it starts within milliseconds,
/// racing the client) lost the sequence, and the test waited for it in vain.
///
/// So the pane first blocks on `tmux wait-for`, and the test releases it only after the outer
/// terminal shows [`TMUX_READY`] in the status line: a `client-resized` hook sets the option
/// that puts it there, after the resize has asked for its redraw, so the first redraw that
/// draws the word is the one that clears the pending flag.
struct Tmux {
    pty: Pty,
    socket: PathBuf,
    _dir: tempfile::TempDir,
    _home: TestHome,
}

/// In the tmux status line once the client has attached, sent its size and been redrawn.
const TMUX_READY: &str = "client-settled";

/// The `tmux wait-for` channel the pane waits on before it runs the copying child.
const TMUX_GO: &str = "mfatui-copy";

impl Tmux {
    fn start(config: &str) -> Tmux {
        let tmux_bin = require("tmux", "install tmux (.ci/run does)");
        let home = TestHome::new();
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("tmux.sock");
        let conf = dir.path().join("tmux.conf");
        let done = dir.path().join("done");
        let config = format!(
            "{config}set -g status-left-length 40\n\
             set -g status-left '#{{?@settled,{TMUX_READY},starting}} '\n\
             set-hook -g client-resized 'set -g @settled 1'\n"
        );
        std::fs::write(&conf, config).expect("write tmux.conf");

        let mut env = home.env(None);
        for key in ["DISPLAY", "WAYLAND_DISPLAY", "TMUX", "TMUX_PANE"] {
            env_remove(&mut env, key);
        }
        env_set(&mut env, CHILD_MODE, "copy");
        // The pane waits for the go, runs the child, marks it done, then stays open so the
        // buffer can be read.
        let pane = format!(
            "{} -S {} wait-for {TMUX_GO} && {} {}; touch {}; exec sleep 600",
            shell_quote(&tmux_bin.to_string_lossy()),
            shell_quote(&socket.to_string_lossy()),
            shell_quote(&this_test_binary().to_string_lossy()),
            child_args().join(" "),
            shell_quote(&done.to_string_lossy()),
        );
        let socket_arg = socket.to_string_lossy().into_owned();
        let conf_arg = conf.to_string_lossy().into_owned();
        let args = [
            "-S",
            &socket_arg,
            "-f",
            &conf_arg,
            "new-session",
            "sh",
            "-c",
            &pane,
        ];
        let pty = Pty::spawn(&tmux_bin, &args, &env, 120, 40);
        let tmux = Tmux {
            pty,
            socket,
            _dir: dir,
            _home: home,
        };
        tmux.pty.wait_for_text(TMUX_READY, Duration::from_secs(30));
        let go = tmux.tmux(&["wait-for", "-S", TMUX_GO]);
        assert!(
            go.status.success(),
            "tmux wait-for -S: {}",
            String::from_utf8_lossy(&go.stderr)
        );
        tmux.wait_until("the copying process to finish inside tmux", || {
            done.exists()
        });
        tmux
    }

    /// Polls `cond` for up to 30 s; panics with the screen at the deadline.
    fn wait_until(&self, what: &str, cond: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !cond() {
            assert!(
                Instant::now() < deadline,
                "waited 30 s for {what}; screen:\n{}",
                self.pty.screen()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The most recent tmux paste buffer, `None` when there is none.
    fn show_buffer(&self) -> Option<String> {
        let out = self.tmux(&["show-buffer"]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        let socket = self.socket.to_string_lossy().into_owned();
        let mut all = vec!["-S", socket.as_str()];
        all.extend_from_slice(args);
        support::run_timeout("tmux", &all, &self._home.env(None), Duration::from_secs(10))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

// ---- helpers -------------------------------------------------------------------------------

fn this_test_binary() -> PathBuf {
    std::env::current_exe().expect("the test binary")
}

/// Runs only [`child_copy_entry`], quietly, with its output going straight to stdout.
fn child_args() -> Vec<&'static str> {
    vec![
        "child_copy_entry",
        "--exact",
        "--nocapture",
        "--test-threads=1",
        "-q",
    ]
}

/// The first line `pipe` yields within `timeout`, `None` on EOF or timeout.
fn read_line_within(
    pipe: impl std::io::Read + Send + 'static,
    timeout: Duration,
) -> Option<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut line = String::new();
        let n = BufReader::new(pipe).read_line(&mut line).unwrap_or(0);
        let _ = tx.send((n > 0).then_some(line));
    });
    rx.recv_timeout(timeout).ok().flatten()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
