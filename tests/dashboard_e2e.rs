//! The real binary in a pseudo-terminal against moto's server: log in from the
//! dashboard, watch the countdown fall, restart and find the session again.

#[path = "aws_stub/mod.rs"]
mod aws_stub;
mod support;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use aws_stub::{Reply, Stub};
use support::{Moto, Pty, TestHome, env_set, mfatui_bin};

const CONFIG: &str = "\
[profile jo]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/jo
duration_seconds = 900
";

const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
";

const WAIT: Duration = Duration::from_secs(30);

/// Seconds left in a `14m 57s` countdown on the line of `profile`, if one is shown.
fn countdown_of(screen: &str, profile: &str) -> Option<u32> {
    let line = screen
        .lines()
        .find(|l| l.split_whitespace().next() == Some(profile))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let minutes: u32 = w[0].strip_suffix('m')?.parse().ok()?;
        let seconds: u32 = w[1].strip_suffix('s')?.parse().ok()?;
        Some(minutes * 60 + seconds)
    })
}

#[test]
fn login_from_the_dashboard_then_find_the_session_after_a_restart() {
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(CONFIG);
    home.write_credentials(CREDENTIALS);
    let env = home.env(Some(&moto));

    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for(|s| s.contains("mfa-user"), WAIT);
    pty.enter();
    pty.wait_for_text("MFA code for jo", WAIT);
    pty.send("123456");
    pty.enter();
    let screen = pty.wait_for(|s| countdown_of(s, "jo").is_some(), WAIT);
    let first = countdown_of(&screen, "jo").unwrap();
    assert!(
        (800..=900).contains(&first),
        "a 900 s session shows {first} s:\n{screen}"
    );
    assert!(
        screen.contains("expires"),
        "the detail pane shows the expiry:\n{screen}"
    );
    let screen = pty.wait_for(|s| countdown_of(s, "jo").is_some_and(|n| n < first), WAIT);
    let second = countdown_of(&screen, "jo").unwrap();
    assert_eq!(moto.count("GetSessionToken"), 1);
    let request = &moto.requests_for("GetSessionToken")[0];
    assert_eq!(
        request.param("SerialNumber").as_deref(),
        Some("arn:aws:iam::123456789012:mfa/jo")
    );
    assert_eq!(request.param("TokenCode").as_deref(), Some("123456"));

    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
    assert!(
        pty.output_contains(b"\x1b[?1049l"),
        "the alternate screen was left on quit"
    );

    let files = home.cache_files();
    assert!(!files.is_empty(), "the session was cached");
    for file in &files {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    let dir_mode = std::fs::metadata(home.cache_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);

    let mut again = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    let screen = again.wait_for(|s| countdown_of(s, "jo").is_some(), WAIT);
    let restored = countdown_of(&screen, "jo").unwrap();
    assert!(
        restored <= second && restored + 60 > second,
        "after a restart the same session shows {restored} s (was {second} s)"
    );
    assert_eq!(moto.count("GetSessionToken"), 1, "no second login");
    again.ctrl_c();
    assert!(again.wait_exit(WAIT).success());
    assert!(again.output_contains(b"\x1b[?1049l"));
}

#[test]
fn a_rejected_code_keeps_the_modal_open() {
    // moto accepts any code; a code reused inside its window is refused by mfatui
    // itself before anything is sent, with the same modal behaviour.
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(CONFIG);
    home.write_credentials(CREDENTIALS);
    let env = home.env(Some(&moto));
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for(|s| s.contains("mfa-user"), WAIT);
    pty.enter();
    pty.wait_for_text("MFA code for jo", WAIT);
    pty.send("111111");
    pty.enter();
    pty.wait_for(|s| countdown_of(s, "jo").is_some(), WAIT);
    // Renew at once with the same code: refused, modal stays, digits cleared.
    pty.enter();
    pty.wait_for_text("MFA code for jo", WAIT);
    pty.send("111111");
    pty.enter();
    let screen = pty.wait_for_text("wait for the next code", WAIT);
    assert!(screen.contains("MFA code for jo"), "{screen}");
    assert_eq!(
        moto.count("GetSessionToken"),
        1,
        "the reused code was not sent"
    );
    pty.esc();
    pty.wait_for(|s| !s.contains("MFA code for jo"), WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

/// The environment of a dashboard whose STS is the stub.
fn stub_env(home: &TestHome, stub: &Stub) -> Vec<(String, String)> {
    home.write_config(CONFIG);
    home.write_credentials(CREDENTIALS);
    let mut env = home.env(None);
    env_set(&mut env, "AWS_ENDPOINT_URL", stub.url());
    env
}

#[test]
fn a_code_aws_rejects_keeps_the_modal_open_with_the_reason() {
    // AWS's exact answer to a wrong code.
    let stub = Stub::sts_error(
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
    );
    let home = TestHome::new();
    let env = stub_env(&home, &stub);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for(|s| s.contains("mfa-user"), WAIT);
    pty.enter();
    pty.wait_for_text("MFA code for jo", WAIT);
    pty.send("654321");
    pty.enter();
    let screen = pty.wait_for_text("the code was rejected", WAIT);
    assert!(
        screen.contains("MFA code for jo"),
        "the modal stays open:\n{screen}"
    );
    assert!(
        screen.contains("_ _ _ _ _ _"),
        "the digits are cleared for the next code:\n{screen}"
    );
    assert_eq!(stub.count("GetSessionToken"), 1);
    pty.esc();
    pty.wait_for(|s| !s.contains("MFA code for jo"), WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn keys_keep_working_while_sts_answers() {
    // An STS that accepts the connection and never answers.
    let stub = Stub::always(Reply::Hang);
    let home = TestHome::new();
    let env = stub_env(&home, &stub);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for(|s| s.contains("mfa-user"), WAIT);
    pty.enter();
    pty.wait_for_text("MFA code for jo", WAIT);
    pty.send("123456");
    pty.enter();
    pty.wait_for_text("asking STS", WAIT);
    // The call is in flight; the dashboard still answers keys.
    pty.esc();
    pty.wait_for(
        |s| !s.contains("MFA code for jo") && s.contains("working"),
        WAIT,
    );
    pty.send("?");
    pty.wait_for_text("any key closes this help", WAIT);
    pty.send("q");
    pty.wait_for(|s| !s.contains("any key closes this help"), WAIT);
    // The request did reach STS (it is still unanswered).
    let deadline = std::time::Instant::now() + WAIT;
    while stub.count("GetSessionToken") == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(stub.count("GetSessionToken"), 1);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}
