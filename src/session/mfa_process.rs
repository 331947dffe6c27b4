//! `mfa_process = COMMAND` in a profile (as aws-vault reads it): a command whose standard
//! output is the MFA code, e.g. `ykman oath accounts code --single jo`.
//!
//! The command runs through `sh -c`, with no standard input (the dashboard owns the terminal
//! in raw mode), in its own process group so that a timeout kills the whole pipeline. Its
//! output is a secret: it never appears in an error. Its stderr is summarized (one line, digit
//! runs masked) so a failing YubiKey says why without leaking a code.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::Command;

use super::code;

/// A hardware key may wait for a touch; a minute is generous and still bounded.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The most of a command's stderr an error shows.
const SUMMARY_CHARS: usize = 160;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MfaProcessError {
    #[error("mfa_process of profile {profile} could not be started: {reason}")]
    Spawn { profile: String, reason: String },
    #[error("mfa_process of profile {profile} did not finish within {seconds} s")]
    TimedOut { profile: String, seconds: u64 },
    #[error("mfa_process of profile {profile} failed ({status}){}", summary_suffix(.summary))]
    Failed {
        profile: String,
        status: String,
        summary: Option<String>,
    },
    #[error("mfa_process of profile {profile} did not print a six-digit code")]
    NotACode { profile: String },
}

fn summary_suffix(summary: &Option<String>) -> String {
    summary
        .as_ref()
        .map(|s| format!(": {s}"))
        .unwrap_or_default()
}

/// Run `command` for `profile` and return the code it printed (trimmed, six digits).
pub async fn run(
    command: &str,
    profile: &str,
    timeout: Duration,
) -> Result<String, MfaProcessError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| MfaProcessError::Spawn {
            profile: profile.to_string(),
            reason: e.to_string(),
        })?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let work = async {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let (a, b) = tokio::join!(stdout.read_to_end(&mut out), stderr.read_to_end(&mut err));
        let status = child.wait().await;
        (a.and(b).and(status), out, err)
    };
    let (status, out, err) = match tokio::time::timeout(timeout, work).await {
        Ok(done) => done,
        Err(_) => {
            kill_group(child.id());
            return Err(MfaProcessError::TimedOut {
                profile: profile.to_string(),
                seconds: timeout.as_secs(),
            });
        }
    };
    let status = status.map_err(|e| MfaProcessError::Spawn {
        profile: profile.to_string(),
        reason: e.to_string(),
    })?;
    if !status.success() {
        return Err(MfaProcessError::Failed {
            profile: profile.to_string(),
            status: describe(status),
            summary: summarize(&String::from_utf8_lossy(&err)),
        });
    }
    code::validate(&String::from_utf8_lossy(&out)).map_err(|_| MfaProcessError::NotACode {
        profile: profile.to_string(),
    })
}

fn describe(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

/// Kill the command's whole process group (the shell and everything it started).
fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid.and_then(|p| libc::pid_t::try_from(p).ok()) {
        // SAFETY: kill has no memory effects; the group was created for this command.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
}

/// The last non-empty line of stderr, control characters dropped, runs of four or more
/// digits masked (a code, a PIN or a serial has no place in an error), at most
/// [`SUMMARY_CHARS`] characters.
pub fn summarize(stderr: &str) -> Option<String> {
    let line = stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())?;
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 4 {
            out.push_str(&"*".repeat(digits.len()));
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in line.chars().filter(|c| !c.is_control()) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    if out.chars().count() > SUMMARY_CHARS {
        out = out.chars().take(SUMMARY_CHARS).collect::<String>() + "…";
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_code_is_read_from_stdout() {
        let code = run("printf ' 123456\\n'", "jo", TIMEOUT).await.unwrap();
        assert_eq!(code, "123456");
    }

    #[tokio::test]
    async fn failures_are_summarized_without_digits() {
        let err = run(
            "echo 'touch timeout, code 654321' >&2; exit 3",
            "jo",
            TIMEOUT,
        )
        .await
        .unwrap_err();
        let text = err.to_string();
        assert_eq!(
            text,
            "mfa_process of profile jo failed (exit status 3): touch timeout, code ******"
        );
        let err = run("echo 12345", "jo", TIMEOUT).await.unwrap_err();
        assert!(matches!(err, MfaProcessError::NotACode { .. }), "{err}");
        assert!(!err.to_string().contains("12345"));
    }

    #[tokio::test]
    async fn a_hanging_command_is_killed_in_bounded_time() {
        let started = std::time::Instant::now();
        let err = run("sleep 30; echo 123456", "jo", Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(matches!(err, MfaProcessError::TimedOut { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
