//! DESIGN.md's "Errors users meet", one test per row, through the real binary: a local stub
//! replays AWS's exact XML error bodies (moto cannot produce them), and the words and the
//! exit code are checked. Exit codes: 1 AWS or I/O failure, 2 bad input, 3 code needed but
//! no terminal, 4 code rejected.

#[path = "aws_stub/mod.rs"]
mod aws_stub;
mod support;

use std::process::Output;
use std::time::{Duration, Instant};

use aws_stub::{Reply, Stub, closed_port, sts_credentials_body, sts_error_body};
use support::{Moto, TestHome, env_remove, env_set, mfatui_bin};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const CONFIG: &str = "\
[profile jo]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/jo

[profile admin]
region = us-east-1
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo

[profile deep]
region = us-east-1
role_arn = arn:aws:iam::444455556666:role/deep
source_profile = admin
";

fn credentials() -> String {
    format!("[jo]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n")
}

/// A home whose AWS endpoint is `url`.
fn home_at(config: &str, url: &str) -> (TestHome, Vec<(String, String)>) {
    let home = TestHome::new();
    home.write_config(config);
    home.write_credentials(&credentials());
    let mut env = home.env(None);
    env_set(&mut env, "AWS_ENDPOINT_URL", url);
    (home, env)
}

/// Runs mfatui; checks no secret reaches its output; returns (exit code, stdout, stderr).
fn mfatui(env: &[(String, String)], args: &[&str]) -> (i32, String, String) {
    let out: Output = support::run(mfatui_bin(), args, env);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains(SECRET), "a secret in stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

/// STS that answers every call with fresh credentials.
fn working_sts() -> Stub {
    Stub::route(|req| Reply::Respond {
        status: 200,
        body: sts_credentials_body(&req.action().unwrap_or_default(), 3600),
    })
}

#[test]
fn a_wrong_code_is_rejected_in_words_exit_4() {
    let stub = Stub::sts_error(
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
    );
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, stdout, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 4, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: the code was rejected; check the device's clock or wait for the next code\n"
    );
    assert!(stdout.is_empty());
    let sent = stub.requests();
    assert_eq!(sent[0].param("TokenCode").as_deref(), Some("123456"));
    // A rejected code is not remembered as used: the next try may send another.
    assert!(!stderr.contains("123456"));
}

#[test]
fn a_reused_code_is_not_sent_again_exit_4() {
    let stub = working_sts();
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--force", "--code", "123456"]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("wait for the next code"), "{stderr}");
    assert_eq!(
        stub.count("GetSessionToken"),
        1,
        "the reused code was not sent"
    );
    // Malformed codes never leave the machine either (exit 2).
    for bad in ["12345", "1234567", "12345a", ""] {
        let (code, _, stderr) = mfatui(&env, &["login", "jo", "--force", "--code", bad]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("exactly six digits"), "{stderr}");
    }
    assert_eq!(stub.count("GetSessionToken"), 1);
}

#[test]
fn a_refused_key_names_the_profile_exit_1() {
    let stub = Stub::sts_error(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    );
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["login", "admin", "--code", "123456"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: the access key of profile jo was refused by AWS (InvalidClientTokenId)\n"
    );
}

#[test]
fn a_duration_over_a_limit_says_limit_asked_and_what_works_exit_2() {
    let stub = Stub::sts_error(
        400,
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    let (_home, env) = home_at(CONFIG, &stub.url());
    // Over GetSessionToken's limit: refused before anything is sent or asked.
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--duration", "48h"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: an MFA session (GetSessionToken): AWS accepts 900 to 129600 s; 172800 s was \
         asked; 129600 s will work\n"
    );
    let (code, _, stderr) = mfatui(&env, &["login", "admin", "--duration", "13h"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("role admin (AssumeRole): AWS accepts 900 to 43200 s; 46800 s was asked; 43200 s will work"),
        "{stderr}"
    );
    assert!(stub.requests().is_empty());
    // Within AWS's range but over the role's own maximum: AWS's refusal, in words.
    let (code, _, stderr) = mfatui(
        &env,
        &["login", "admin", "--code", "123456", "--duration", "4h"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: role admin: AWS refused it: the role's maximum session duration \
         (MaxSessionDuration, set on the role in IAM) is shorter; 14400 s was asked; 3600 s will work\n"
    );
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--duration", "abc"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a duration"), "{stderr}");
}

#[test]
fn role_chaining_over_one_hour_is_capped_and_explained() {
    let stub = working_sts();
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, stdout, stderr) = mfatui(
        &env,
        &["login", "deep", "--code", "123456", "--duration", "2h"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("deep: session until"), "{stdout}");
    assert!(
        stderr.contains(
            "mfatui: note: role deep was capped at 1 h (3600 s instead of 7200 s): AWS limits a \
             role assumed with temporary credentials (role chaining) to 1 h"
        ),
        "{stderr}"
    );
    let durations: Vec<Option<String>> = stub
        .requests()
        .iter()
        .filter(|r| r.action().as_deref() == Some("AssumeRole"))
        .map(|r| r.param("DurationSeconds"))
        .collect();
    assert_eq!(durations, [Some("3600".into()), Some("3600".into())]);
    // AWS's own chaining refusal reads the same way.
    let stub = Stub::route(|req| match req.action().as_deref() {
        Some("GetSessionToken") => Reply::Respond {
            status: 200,
            body: sts_credentials_body("GetSessionToken", 3600),
        },
        _ => Reply::Respond {
            status: 400,
            body: sts_error_body(
                "Sender",
                "ValidationError",
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ),
        },
    });
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["login", "admin", "--code", "123456"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "AWS limits a role assumed with temporary credentials (role chaining) to 1 h"
        ),
        "{stderr}"
    );
}

#[test]
fn a_closed_port_is_unreachable_with_the_url_and_the_reason_exit_1() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let (_home, env) = home_at(CONFIG, &url);
    let started = Instant::now();
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("mfatui: could not reach {url}: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("Connection refused"),
        "the OS reason: {stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_dropped_connection_fails_in_bounded_time_exit_1() {
    let stub = Stub::always(Reply::Drop);
    let (_home, env) = home_at(CONFIG, &stub.url());
    let started = Instant::now();
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("mfatui: could not reach {}: ", stub.url())),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_blackholed_connection_times_out_within_the_bound_exit_1() {
    let stub = Stub::always(Reply::Hang);
    let (_home, env) = home_at(CONFIG, &stub.url());
    let started = Instant::now();
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    let took = started.elapsed();
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        format!("mfatui: {} did not answer within 10 s\n", stub.url())
    );
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

#[test]
fn throttling_and_expired_tokens_read_in_words_exit_1() {
    let stub = Stub::sts_error(400, "Throttling", "Rate exceeded");
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: AWS is throttling requests (Throttling); try again in a moment\n"
    );

    // The MFA session works, but AWS says it has expired when the role is assumed: the
    // cached MFA session is dropped, so the next login asks for a code.
    let stub = Stub::route(|req| match req.action().as_deref() {
        Some("GetSessionToken") => Reply::Respond {
            status: 200,
            body: sts_credentials_body("GetSessionToken", 3600),
        },
        _ => Reply::Respond {
            status: 400,
            body: sts_error_body(
                "Sender",
                "ExpiredToken",
                "The security token included in the request is expired",
            ),
        },
    });
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = mfatui(&env, &["login", "admin"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: the session of profile jo has expired (ExpiredToken); log in again\n"
    );
    let (code, _, stderr) = mfatui(&env, &["export", "admin", "--format", "process"]);
    assert_eq!(code, 3, "{stderr}");

    // A cached session AWS calls expired during a check is forgotten too.
    let stub = Stub::route(|req| match req.action().as_deref() {
        Some("GetCallerIdentity") => Reply::Respond {
            status: 400,
            body: sts_error_body(
                "Sender",
                "ExpiredToken",
                "The security token included in the request is expired",
            ),
        },
        action => Reply::Respond {
            status: 200,
            body: sts_credentials_body(action.unwrap_or_default(), 3600),
        },
    });
    let (_home, env) = home_at(CONFIG, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["whoami", "jo", "--code", "123456"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: the session of profile jo has expired (ExpiredToken); log in again\n"
    );
    let (code, _, stderr) = mfatui(&env, &["export", "jo", "--format", "process"]);
    assert_eq!(code, 3, "{stderr}");
}

#[test]
fn a_missing_region_is_a_note_naming_the_profile_and_the_region_used() {
    let stub = working_sts();
    let config = "[profile jo]\nmfa_serial = arn:aws:iam::123456789012:mfa/jo\n";
    let (_home, mut env) = home_at(config, &stub.url());
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--code", "123456"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "mfatui: note: profile jo has no region; us-east-1 was used\n"
    );
    assert!(stub.requests()[0].head.contains("/us-east-1/sts/"));
    // A region from the environment is used without a note.
    env_set(&mut env, "AWS_REGION", "eu-central-1");
    let (code, _, stderr) = mfatui(&env, &["login", "jo", "--force", "--code", "654321"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    assert!(stub.requests()[1].head.contains("/eu-central-1/sts/"));
    env_remove(&mut env, "AWS_REGION");
}

#[test]
fn a_config_syntax_error_names_file_and_line_and_other_profiles_still_work() {
    let moto = Moto::start();
    let home = TestHome::new();
    let config = format!("{CONFIG}\n[profile broken\nregion = x\n");
    let path = home.write_config(&config);
    home.write_credentials(&credentials());
    let env = home.env(Some(&moto));
    let (code, stdout, stderr) = mfatui(&env, &["login", "admin", "--code", "123456"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("admin: session until"));
    let line = CONFIG.lines().count() + 2;
    assert!(
        stderr.contains(&format!(
            "{}:{line}: Profile definition must end with ']'",
            path.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_needed_code_without_a_terminal_is_exit_3() {
    let stub = working_sts();
    let (_home, env) = home_at(CONFIG, &stub.url());
    for args in [
        &["login", "admin"][..],
        &["whoami", "jo"],
        &["exec", "jo", "--", "true"],
    ] {
        let (code, _, stderr) = mfatui(&env, args);
        assert_eq!(code, 3, "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "profile {} needs an MFA code: pass --code or run in a terminal",
                args[1]
            )),
            "{stderr}"
        );
    }
    let (code, _, stderr) = mfatui(&env, &["export", "admin", "--format", "process"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("run `mfatui login admin` first"),
        "{stderr}"
    );
    assert!(stub.requests().is_empty());
}
