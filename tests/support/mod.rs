//! Test harness shared by the integration tests.
//!
//! Use it from a file in `tests/` with `mod support;` and then:
//!
//! ```ignore
//! mod support;
//! use std::time::Duration;
//! use support::{Moto, Pty, TestHome};
//!
//! let moto = Moto::start(); // real moto server behind a counting proxy
//! let home = TestHome::new(); // fake HOME in a temp dir
//! home.write_config("[profile jo]\nmfa_serial = arn:aws:iam::123456789012:mfa/jo\n");
//! home.write_credentials("[jo]\naws_access_key_id = AKIA...\naws_secret_access_key = x\n");
//! let env = home.env(Some(&moto)); // the COMPLETE environment of the child
//! let mut pty = Pty::spawn(support::mfatui_bin(), &[], &env, 120, 40);
//! pty.wait_for(|s| s.contains("jo"), Duration::from_secs(10));
//! pty.send("q");
//! assert!(pty.wait_exit(Duration::from_secs(5)).success());
//! pty.assert_terminal_restored();
//! assert_eq!(moto.count("GetSessionToken"), 0);
//! ```
//!
//! * [`Moto`] (moto.rs): moto's server on a free port of 127.0.0.1, killed on drop. Clients talk
//!   to it through a small recording proxy (proxy.rs) so tests can count the STS actions the
//!   program really sent (`moto.count("AssumeRole")`) and inspect their parameters.
//! * [`TestHome`] (env.rs): a temporary HOME with `.aws/config`, `.aws/credentials`, XDG dirs and
//!   a cache dir, and [`TestHome::env`], a complete and hermetic environment for the child.
//! * [`Pty`] (pty.rs): the program in a pseudo-terminal, its output parsed by `vt100`.
//! * [`run`]: one-shot CLI runs with stdin closed (null) and a timeout.
//!
//! Every `env` argument in this module is the *complete* environment of the child: the child
//! does not inherit the test process's variables (so an `AWS_PROFILE` of the developer never
//! leaks into a test). Start from [`TestHome::env`] and adjust with [`env_set`] / [`env_remove`].
//!
//! The moto server comes from a Python venv: `MFATUI_MOTO_SERVER` (path of `moto_server`), else
//! `.venv/bin/moto_server` in the crate root. `.ci/run` creates it; by hand:
//! `python3 -m venv .venv && .venv/bin/pip install 'moto[server]' awscli`.

// Each test binary uses a different part of the harness.
#![allow(dead_code, unused_imports)]

pub mod cli;
pub mod env;
pub mod moto;
pub mod proxy;
pub mod pty;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

pub use env::{TestHome, env_get, env_remove, env_set};
pub use moto::Moto;
pub use proxy::RecordedRequest;
pub use pty::Pty;

/// Default timeout of [`run`] and [`run_with_stdin`].
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// Path of the `mfatui` binary built by cargo for this test run.
pub fn mfatui_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mfatui"))
}

/// The crate root (where Cargo.toml lives).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `bin` directory of the Python venv holding moto and the aws CLI: the directory of
/// `$MFATUI_MOTO_SERVER` when set, else `<crate root>/.venv/bin`.
pub fn venv_bin_dir() -> PathBuf {
    match std::env::var_os("MFATUI_MOTO_SERVER") {
        Some(p) if !p.is_empty() => Path::new(&p)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        _ => manifest_dir().join(".venv").join("bin"),
    }
}

/// Path of the `moto_server` executable: `$MFATUI_MOTO_SERVER`, else `.venv/bin/moto_server`.
pub fn moto_server_bin() -> PathBuf {
    match std::env::var_os("MFATUI_MOTO_SERVER") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => manifest_dir().join(".venv").join("bin").join("moto_server"),
    }
}

/// Path of the venv's `aws` CLI (awscli v1, installed next to moto). Panics with the way to
/// install it when missing.
pub fn aws_cli() -> PathBuf {
    let path = venv_bin_dir().join("aws");
    if !path.exists() {
        panic!(
            "the aws CLI is missing at {}.\n{}",
            path.display(),
            VENV_HINT
        );
    }
    path
}

pub(crate) const VENV_HINT: &str = "Run `.ci/run` once, or create the venv by hand from the crate root:\n    \
     python3 -m venv .venv && .venv/bin/pip install 'moto[server]' awscli\n\
     (or point MFATUI_MOTO_SERVER at an existing moto_server executable).";

/// Runs `program args` to completion with exactly the environment `env` (nothing inherited),
/// stdin connected to /dev/null and stdout/stderr captured. Panics after [`RUN_TIMEOUT`],
/// printing what the program wrote so far.
pub fn run(program: impl AsRef<OsStr>, args: &[&str], env: &[(String, String)]) -> Output {
    run_inner(program.as_ref(), args, env, None, RUN_TIMEOUT)
}

/// Like [`run`], with `stdin` written to the program's standard input (then closed).
pub fn run_with_stdin(
    program: impl AsRef<OsStr>,
    args: &[&str],
    env: &[(String, String)],
    stdin: &[u8],
) -> Output {
    run_inner(program.as_ref(), args, env, Some(stdin), RUN_TIMEOUT)
}

/// Like [`run`], with an explicit timeout.
pub fn run_timeout(
    program: impl AsRef<OsStr>,
    args: &[&str],
    env: &[(String, String)],
    timeout: Duration,
) -> Output {
    run_inner(program.as_ref(), args, env, None, timeout)
}

fn run_inner(
    program: &OsStr,
    args: &[&str],
    env: &[(String, String)],
    stdin: Option<&[u8]>,
    timeout: Duration,
) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let describe = || format!("{} {}", program.to_string_lossy(), args.join(" "));
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", describe()));

    let feeder = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = input.to_vec();
        // A program that exits without reading its input makes this fail: that is fine.
        thread::spawn(move || {
            let _ = pipe.write_all(&input);
        })
    });
    let out_reader = spawn_pipe_reader(child.stdout.take().expect("stdout is piped"));
    let err_reader = spawn_pipe_reader(child.stderr.take().expect("stderr is piped"));

    let deadline = Instant::now() + timeout;
    let status: ExitStatus = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let stdout = out_reader.join().unwrap_or_default();
                let stderr = err_reader.join().unwrap_or_default();
                panic!(
                    "`{}` did not exit within {timeout:?}; killed it.\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    describe(),
                    String::from_utf8_lossy(&stdout),
                    String::from_utf8_lossy(&stderr)
                );
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for `{}`: {e}", describe()),
        }
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    Output {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

fn spawn_pipe_reader(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}
