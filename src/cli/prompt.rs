//! Asking for an MFA code on the terminal.
//!
//! The prompt goes to /dev/tty, not stdout, so `eval "$(mfatui export NAME)"` still works
//! when a code is needed. It is only shown when a person is plausibly there: stdin or stderr
//! is a terminal. A script with both redirected gets a clear error instead of hanging on a
//! terminal it inherited but nobody watches.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, IsTerminal, Write};

use crate::session::code;

/// Why no code could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptError {
    /// There is no terminal to ask on.
    NoTerminal,
    /// The user gave up (end of input) or typed an invalid code three times.
    NoCode(String),
}

/// How many invalid codes are forgiven before giving up.
const ATTEMPTS: usize = 3;

/// Ask for the code of `device` for `profile`; the answer is six digits.
pub fn read_code(profile: &str, device: &str) -> Result<String, PromptError> {
    if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
        return Err(PromptError::NoTerminal);
    }
    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| PromptError::NoTerminal)?;
    let mut writer = tty.try_clone().map_err(|_| PromptError::NoTerminal)?;
    let mut reader = BufReader::new(tty);
    for _ in 0..ATTEMPTS {
        let _ = write!(writer, "MFA code for {profile} ({device}): ");
        let _ = writer.flush();
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => {
                let _ = writeln!(writer);
                return Err(PromptError::NoCode("no MFA code was entered".into()));
            }
            Ok(_) => {}
        }
        match code::validate(&line) {
            Ok(code) => return Ok(code),
            Err(e) => {
                let _ = writeln!(writer, "{e}");
            }
        }
    }
    Err(PromptError::NoCode(format!(
        "no valid MFA code after {ATTEMPTS} tries"
    )))
}
