//! A program in a pseudo-terminal, its output parsed by a `vt100` screen.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long [`Pty::wait_exit`] lets the reader catch up with the last output after the exit.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// A program running in a pseudo-terminal of `cols` x `rows`, killed on drop.
///
/// A reader thread feeds everything the program writes into a `vt100::Parser` (the screen) and
/// keeps the raw bytes ([`output_bytes`](Pty::output_bytes)). Like a real terminal it answers
/// the cursor position request (`ESC [ 6 n`) and the primary device attributes request
/// (`ESC [ c`), so programs that query the terminal do not stall. It does not answer the kitty
/// keyboard query (`ESC [ ? u`): crossterm then sees the DA1 answer and concludes "no keyboard
/// enhancement", as with xterm.
///
/// Waiting is condition-based: [`wait_for`](Pty::wait_for) re-checks its predicate each time
/// new output arrives and panics with the screen at the deadline, or as soon as the program
/// has exited and closed the terminal without the predicate holding.
pub struct Pty {
    program: String,
    master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    shared: Arc<Shared>,
    exit: Option<ExitStatus>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    parser: vt100::Parser,
    output: Vec<u8>,
    /// Output before this index has been scanned for terminal queries.
    scanned: usize,
    /// The alternate screen was active at some point.
    saw_alternate_screen: bool,
    /// The terminal was closed on the program's side (every process holding it exited).
    eof: bool,
}

impl Pty {
    /// Runs `program args` in a new pseudo-terminal with exactly the environment `env`
    /// (nothing inherited: pass [`TestHome::env`](super::TestHome::env)), in the current
    /// directory of the test process.
    pub fn spawn(
        program: impl AsRef<OsStr>,
        args: &[&str],
        env: &[(String, String)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let cwd = std::env::current_dir().expect("current dir");
        Self::spawn_in(&cwd, program, args, env, cols, rows)
    }

    /// [`Pty::spawn`] in the working directory `cwd`.
    pub fn spawn_in(
        cwd: &Path,
        program: impl AsRef<OsStr>,
        args: &[&str],
        env: &[(String, String)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let program_name = program.as_ref().to_string_lossy().into_owned();
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system()
            .openpty(size)
            .unwrap_or_else(|e| panic!("openpty: {e}"));
        let mut cmd = CommandBuilder::new(program.as_ref());
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(cwd);
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("cannot start `{program_name}` in a pty: {e}"));
        // Only the child may hold the slave side, or we would never see end-of-file.
        drop(pair.slave);

        let reader = pair
            .master
            .try_clone_reader()
            .unwrap_or_else(|e| panic!("pty reader: {e}"));
        let writer = Arc::new(Mutex::new(
            pair.master
                .take_writer()
                .unwrap_or_else(|e| panic!("pty writer: {e}")),
        ));
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                parser: vt100::Parser::new(nonzero(rows), nonzero(cols), 0),
                output: Vec::new(),
                scanned: 0,
                saw_alternate_screen: false,
                eof: false,
            }),
            changed: Condvar::new(),
        });
        {
            let shared = Arc::clone(&shared);
            let writer = Arc::clone(&writer);
            thread::Builder::new()
                .name(format!("pty-reader-{program_name}"))
                .spawn(move || read_loop(reader, &shared, &writer))
                .expect("start the pty reader thread");
        }
        Pty {
            program: program_name,
            master: pair.master,
            writer,
            child,
            shared,
            exit: None,
        }
    }

    // ---- input ----------------------------------------------------------------------------

    /// Types `text` (UTF-8) into the terminal.
    pub fn send(&self, text: &str) {
        self.send_bytes(text.as_bytes());
    }

    /// Writes raw bytes to the terminal (key sequences, paste, ...).
    pub fn send_bytes(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        writer
            .write_all(bytes)
            .and_then(|()| writer.flush())
            .unwrap_or_else(|e| panic!("write to the pty of `{}`: {e}", self.program));
    }

    /// Enter (carriage return, as a terminal sends it).
    pub fn enter(&self) {
        self.send("\r");
    }

    /// Escape, alone. A terminal app tells a lone Esc from the start of an escape sequence by
    /// what arrives with it: wait for its effect on the screen before sending the next key.
    pub fn esc(&self) {
        self.send("\x1b");
    }

    pub fn ctrl_c(&self) {
        self.send("\x03");
    }

    /// Ctrl + a letter (`ctrl('d')` sends 0x04).
    pub fn ctrl(&self, letter: char) {
        let b = (letter.to_ascii_lowercase() as u8) & 0x1f;
        self.send_bytes(&[b]);
    }

    pub fn tab(&self) {
        self.send("\t");
    }

    pub fn backtab(&self) {
        self.send("\x1b[Z");
    }

    pub fn backspace(&self) {
        self.send("\x7f");
    }

    pub fn up(&self) {
        self.send("\x1b[A");
    }

    pub fn down(&self) {
        self.send("\x1b[B");
    }

    pub fn right(&self) {
        self.send("\x1b[C");
    }

    pub fn left(&self) {
        self.send("\x1b[D");
    }

    pub fn home(&self) {
        self.send("\x1b[H");
    }

    pub fn end(&self) {
        self.send("\x1b[F");
    }

    pub fn page_up(&self) {
        self.send("\x1b[5~");
    }

    pub fn page_down(&self) {
        self.send("\x1b[6~");
    }

    /// Sends a bracketed paste (the program must have enabled bracketed paste to see it as one).
    pub fn paste(&self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the parsed screen.
    pub fn resize(&self, cols: u16, rows: u16) {
        let mut state = self.lock();
        state.parser.set_size(nonzero(rows), nonzero(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap_or_else(|e| panic!("resize the pty: {e}"));
        drop(state);
        self.shared.changed.notify_all();
    }

    /// Sends a signal (`libc::SIGTERM`, `libc::SIGHUP`, ...) to the program.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = self
            .child
            .process_id()
            .unwrap_or_else(|| panic!("`{}` has no pid", self.program));
        // SAFETY: kill(2) with a pid we own.
        if unsafe { libc::kill(pid as libc::pid_t, signal) } != 0 {
            panic!("kill({pid}, {signal}): {}", std::io::Error::last_os_error());
        }
    }

    /// The program's pid.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    // ---- screen and output ----------------------------------------------------------------

    /// The text on the screen now (rows joined by `\n`, trailing blanks trimmed).
    pub fn screen(&self) -> String {
        self.lock().parser.screen().contents()
    }

    /// The screen's rows, each padded to the full width.
    pub fn screen_rows(&self) -> Vec<String> {
        let state = self.lock();
        let (_, cols) = state.parser.screen().size();
        state.parser.screen().rows(0, cols.get()).collect()
    }

    /// Runs `f` on the parsed screen (colours, attributes, cursor, modes).
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(self.lock().parser.screen())
    }

    /// Everything the program wrote, as raw bytes.
    pub fn output_bytes(&self) -> Vec<u8> {
        self.lock().output.clone()
    }

    /// Everything the program wrote, as text (lossy).
    pub fn output_text(&self) -> String {
        String::from_utf8_lossy(&self.lock().output).into_owned()
    }

    /// Whether the raw output contains `needle`.
    pub fn output_contains(&self, needle: &[u8]) -> bool {
        super::proxy::find(&self.lock().output, needle).is_some()
    }

    /// Waits until `pred(screen text)` holds and returns that screen. Re-checked on every
    /// output and resize. Panics, printing the screen, when `timeout` passes or when the
    /// program has closed the terminal without the predicate holding.
    pub fn wait_for(&self, pred: impl Fn(&str) -> bool, timeout: Duration) -> String {
        let mut text = String::new();
        self.wait_until(timeout, "the expected screen", |screen| {
            text = screen.contents();
            pred(&text)
        });
        text
    }

    /// Waits until the screen contains `needle`; returns the screen.
    pub fn wait_for_text(&self, needle: &str, timeout: Duration) -> String {
        let mut text = String::new();
        self.wait_until(timeout, &format!("{needle:?} on the screen"), |screen| {
            text = screen.contents();
            text.contains(needle)
        });
        text
    }

    /// Waits until `pred(screen)` holds on the parsed `vt100::Screen` (for colours, cursor and
    /// modes). Same failure rules as [`wait_for`](Pty::wait_for).
    pub fn wait_for_screen(&self, pred: impl FnMut(&vt100::Screen) -> bool, timeout: Duration) {
        self.wait_until(timeout, "the expected screen state", pred);
    }

    fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        mut pred: impl FnMut(&vt100::Screen) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        let reason = loop {
            if pred(state.parser.screen()) {
                return;
            }
            if state.eof {
                break "the program closed the terminal (exited)".to_string();
            }
            let now = Instant::now();
            if now >= deadline {
                break format!("timed out after {timeout:?}");
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        };
        let dump = dump_screen(&state);
        drop(state);
        panic!(
            "waiting for {what} in `{}`: {reason}.\nlast screen:\n{dump}",
            self.program
        );
    }

    // ---- exit and terminal state ----------------------------------------------------------

    /// Waits for the program to exit (panics with the screen after `timeout`), then for the
    /// reader to drain the last output, and returns the exit status.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        if let Some(status) = &self.exit {
            return status.clone();
        }
        let deadline = Instant::now() + timeout;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let dump = dump_screen(&self.lock());
                    panic!(
                        "`{}` did not exit within {timeout:?}.\nlast screen:\n{dump}",
                        self.program
                    );
                }
                Ok(None) => thread::sleep(Duration::from_millis(10)),
                Err(e) => panic!("waiting for `{}`: {e}", self.program),
            }
        };
        // The reader sees end-of-file once every process holding the terminal is gone (a
        // background grandchild may keep it open: then give up after a moment).
        let drain_deadline = Instant::now() + DRAIN_TIMEOUT;
        let mut state = self.lock();
        while !state.eof {
            let now = Instant::now();
            if now >= drain_deadline {
                break;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, drain_deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        drop(state);
        self.exit = Some(status.clone());
        status
    }

    /// Whether the program has exited (non-blocking).
    pub fn has_exited(&mut self) -> bool {
        self.exit.is_some() || matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// The alternate screen is active now.
    pub fn in_alternate_screen(&self) -> bool {
        self.lock().parser.screen().alternate_screen()
    }

    /// The program switched to the alternate screen at some point.
    pub fn entered_alternate_screen(&self) -> bool {
        let state = self.lock();
        state.saw_alternate_screen || super::proxy::find(&state.output, b"\x1b[?1049h").is_some()
    }

    /// The program entered the alternate screen, wrote `ESC [ ? 1049 l` and is no longer in it.
    pub fn left_alternate_screen(&self) -> bool {
        self.entered_alternate_screen()
            && !self.in_alternate_screen()
            && self.output_contains(b"\x1b[?1049l")
    }

    /// Whether the terminal is in raw mode now (ICANON and ECHO off), read with tcgetattr on
    /// the master side: on Linux the master reports the line discipline's settings, which the
    /// program changed through the slave and which persist after it exits. `None` where this
    /// is not observable.
    pub fn is_raw_mode(&self) -> Option<bool> {
        let fd = self.master.as_raw_fd()?;
        // SAFETY: termios is plain data; tcgetattr fills it in or fails.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut termios) } != 0 {
            return None;
        }
        Some(termios.c_lflag & (libc::ICANON | libc::ECHO) == 0)
    }

    /// What is not restored in the terminal now (empty when all is well): still in the
    /// alternate screen, alternate screen entered but `ESC [ ? 1049 l` never written, raw mode
    /// still on, cursor hidden, mouse reporting or bracketed paste still enabled.
    pub fn terminal_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.in_alternate_screen() {
            problems.push("still in the alternate screen".to_string());
        }
        if self.entered_alternate_screen() && !self.output_contains(b"\x1b[?1049l") {
            problems.push("entered the alternate screen but never wrote ESC[?1049l".to_string());
        }
        if self.is_raw_mode() == Some(true) {
            problems.push("the terminal is still in raw mode".to_string());
        }
        self.with_screen(|screen| {
            if screen.hide_cursor() {
                problems.push("the cursor is still hidden".to_string());
            }
            if screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None {
                problems.push("mouse reporting is still enabled".to_string());
            }
            if screen.bracketed_paste() {
                problems.push("bracketed paste is still enabled".to_string());
            }
        });
        problems
    }

    /// Panics unless [`terminal_problems`](Pty::terminal_problems) is empty.
    pub fn assert_terminal_restored(&self) {
        let problems = self.terminal_problems();
        if !problems.is_empty() {
            let dump = dump_screen(&self.lock());
            panic!(
                "`{}` did not restore the terminal: {}.\nlast screen:\n{dump}",
                self.program,
                problems.join("; ")
            );
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.exit.is_none() && !matches!(self.child.try_wait(), Ok(Some(_))) {
            // SIGHUP, then SIGKILL after a grace period of 250 ms (portable-pty).
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("terminal size must be > 0")
}

fn read_loop(
    mut reader: Box<dyn Read + Send>,
    shared: &Shared,
    writer: &Mutex<Box<dyn Write + Send>>,
) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // EIO: the slave side is closed.
            Err(_) => break,
        };
        let replies = {
            let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            ingest(&mut state, &buf[..n])
        };
        if !replies.is_empty() {
            let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
            let _ = w.write_all(&replies).and_then(|()| w.flush());
        }
        shared.changed.notify_all();
    }
    shared.state.lock().unwrap_or_else(|e| e.into_inner()).eof = true;
    shared.changed.notify_all();
}

/// Appends `chunk` to the output and feeds it to the screen parser, answering the queries a
/// terminal answers (cursor position, device attributes) with the state at the point of each
/// query. Returns the answers to write back.
fn ingest(state: &mut State, chunk: &[u8]) -> Vec<u8> {
    const CPR: &[u8] = b"\x1b[6n";
    const DA1: &[u8] = b"\x1b[c";
    const DA1_ZERO: &[u8] = b"\x1b[0c";
    const LONGEST: usize = 4;
    let State {
        parser,
        output,
        scanned,
        saw_alternate_screen,
        ..
    } = state;
    let mut parsed = output.len();
    output.extend_from_slice(chunk);
    let len = output.len();
    let mut replies = Vec::new();
    let mut i = *scanned;
    let mut handled_to = *scanned;
    while i < len {
        let rest = &output[i..];
        let query = [CPR, DA1, DA1_ZERO]
            .into_iter()
            .find(|q| rest.starts_with(q));
        let Some(query) = query else {
            i += 1;
            continue;
        };
        let end = i + query.len();
        // A query seen now ends in this chunk, so `end > parsed`.
        parser.process(&output[parsed..end]);
        parsed = end;
        if query == CPR {
            let (row, col) = parser.screen().cursor_position();
            replies.extend_from_slice(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
        } else {
            replies.extend_from_slice(b"\x1b[?62;22c");
        }
        i = end;
        handled_to = end;
    }
    parser.process(&output[parsed..len]);
    if parser.screen().alternate_screen() {
        *saw_alternate_screen = true;
    }
    // A query cut in two by the read boundary is completed by the next chunk.
    *scanned = handled_to.max(len.saturating_sub(LONGEST - 1));
    replies
}

fn dump_screen(state: &State) -> String {
    let screen = state.parser.screen();
    let (_, cols) = screen.size();
    let width = cols.get() as usize;
    let mut out = format!("+{}+\n", "-".repeat(width));
    for row in screen.rows(0, cols.get()) {
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(row.as_str()));
        out.push_str(&format!("|{row}{}|\n", " ".repeat(pad)));
    }
    out.push_str(&format!("+{}+", "-".repeat(width)));
    out.push_str(&format!(
        "\n(alternate screen: {}, cursor at {:?}, closed: {})",
        screen.alternate_screen(),
        screen.cursor_position(),
        state.eof
    ));
    out
}
