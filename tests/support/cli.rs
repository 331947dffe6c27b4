//! Running the real `mfatui` from scripts' side: one command, its output as text.

use std::process::Output;

use super::{mfatui_bin, run};

/// `mfatui ARGS` with exactly `env`, stdin closed.
pub fn mfatui(env: &[(String, String)], args: &[&str]) -> Output {
    run(mfatui_bin(), args, env)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs mfatui, asserts success, returns (stdout, stderr).
pub fn ok(env: &[(String, String)], args: &[&str]) -> (String, String) {
    let out = mfatui(env, args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "mfatui {}: {}\nstdout: {stdout}\nstderr: {stderr}",
        args.join(" "),
        out.status
    );
    (stdout, stderr)
}
