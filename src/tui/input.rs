//! Reading the keyboard on a thread of its own that can be paused.
//!
//! crossterm's EventStream polls from a hidden thread that cannot be told to stop and
//! confirm it stopped; a subshell started while it still polls would lose keystrokes
//! to it. This reader polls in short slices, and `pause` returns only once the thread
//! has acknowledged and no longer touches the terminal (gitui does the same).

use std::sync::mpsc as std_mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc::UnboundedSender;

/// How long one poll may block: the longest a pause waits for its acknowledgement.
const SLICE: Duration = Duration::from_millis(150);

enum Control {
    Pause(std_mpsc::Sender<()>),
    Resume,
}

pub struct InputReader {
    control: std_mpsc::Sender<Control>,
    _thread: JoinHandle<()>,
}

impl InputReader {
    /// Start reading; events (and read errors) go to `tx`. The thread ends when the
    /// receiving side is gone.
    pub fn start(tx: UnboundedSender<std::io::Result<Event>>) -> InputReader {
        let (control, commands) = std_mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("mfatui-input".into())
            .spawn(move || read_loop(&tx, &commands))
            .expect("spawning the input thread");
        InputReader {
            control,
            _thread: thread,
        }
    }

    /// Stop reading and wait until the thread confirms it no longer reads the terminal.
    pub fn pause(&self) {
        let (ack, acked) = std_mpsc::channel();
        if self.control.send(Control::Pause(ack)).is_ok() {
            let _ = acked.recv();
        }
    }

    /// Read again, after dropping whatever was typed while paused (it was meant for the
    /// shell, not for the dashboard).
    pub fn resume(&self) {
        while event::poll(Duration::ZERO).unwrap_or(false) {
            if event::read().is_err() {
                break;
            }
        }
        let _ = self.control.send(Control::Resume);
    }
}

fn read_loop(tx: &UnboundedSender<std::io::Result<Event>>, commands: &std_mpsc::Receiver<Control>) {
    loop {
        match commands.try_recv() {
            Ok(Control::Pause(ack)) => {
                let _ = ack.send(());
                // Block until resumed; a closed channel means the dashboard is gone.
                loop {
                    match commands.recv() {
                        Ok(Control::Resume) => break,
                        Ok(Control::Pause(ack)) => {
                            let _ = ack.send(());
                        }
                        Err(_) => return,
                    }
                }
            }
            Ok(Control::Resume) => {}
            Err(std_mpsc::TryRecvError::Disconnected) => return,
            Err(std_mpsc::TryRecvError::Empty) => {}
        }
        let next = match event::poll(SLICE) {
            Ok(false) => continue,
            Ok(true) => event::read(),
            Err(e) => Err(e),
        };
        let failed = next.is_err();
        if tx.send(next).is_err() || failed {
            return;
        }
    }
}
