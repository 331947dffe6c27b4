//! The session engine through the real binary against moto's server: MFA sessions, roles
//! behind one MFA session, role chains, the over-one-hour path, mfa_process, the cache.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::cli::{mfatui, ok, text};
use support::{Moto, Pty, TestHome, env_set, mfatui_bin};

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/jo";

const CONFIG: &str = "\
[profile jo]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/jo

[profile admin]
region = eu-west-1
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo

[profile dev]
region = us-east-1
role_arn = arn:aws:iam::111122223333:role/dev
source_profile = jo
external_id = ext-42
role_session_name = jo-dev

[profile deep]
region = us-east-1
role_arn = arn:aws:iam::444455556666:role/deep
source_profile = admin
";

const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
";

fn setup(config: &str) -> (Moto, TestHome, Vec<(String, String)>) {
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(config);
    home.write_credentials(CREDENTIALS);
    let env = home.env(Some(&moto));
    (moto, home, env)
}

/// Every session file of the cache, parsed (panics on invalid JSON).
fn sessions(home: &TestHome) -> Vec<(std::path::PathBuf, Value)> {
    home.cache_files()
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".json") && name != "used-codes.json"
        })
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let value: Value = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", p.display()));
            (p, value)
        })
        .collect()
}

/// The session file of `profile` (`role`: whether it is a role session).
fn session_file(home: &TestHome, profile: &str, role: bool) -> (std::path::PathBuf, Value) {
    sessions(home)
        .into_iter()
        .find(|(_, v)| v["key"]["profile"] == profile && v["key"]["role_arn"].is_null() != role)
        .unwrap_or_else(|| panic!("no session file for {profile}"))
}

fn set_expiry(path: &std::path::Path, mut value: Value, seconds_from_now: i64) {
    let at = chrono::Utc::now() + chrono::Duration::seconds(seconds_from_now);
    value["credentials"]["expiration"] =
        Value::String(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    std::fs::write(path, serde_json::to_vec(&value).unwrap()).unwrap();
}

#[test]
fn an_mfa_user_logs_in_once_and_the_session_is_reused() {
    let (moto, home, env) = setup(CONFIG);
    let (stdout, _) = ok(&env, &["login", "jo", "--code", "123456"]);
    assert!(stdout.starts_with("jo: session until 20"), "{stdout}");
    assert!(
        stdout.contains("Z ("),
        "the expiry in UTC and local time: {stdout}"
    );
    assert_eq!(moto.count("GetSessionToken"), 1);
    let req = &moto.requests_for("GetSessionToken")[0];
    assert_eq!(req.param("SerialNumber").as_deref(), Some(SERIAL));
    assert_eq!(req.param("TokenCode").as_deref(), Some("123456"));
    assert_eq!(req.param("DurationSeconds").as_deref(), Some("43200"));
    let (_, file) = session_file(&home, "jo", false);
    assert_eq!(file["key"]["mfa_serial"], SERIAL);
    assert!(
        file["credentials"]["expiration"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    // Still live: no code needed, nothing sent.
    let (stdout, _) = ok(&env, &["login", "jo"]);
    assert!(stdout.contains("still live"), "{stdout}");
    assert_eq!(moto.count("GetSessionToken"), 1);

    // --force with a new code renews; --duration is honoured.
    ok(
        &env,
        &[
            "login",
            "jo",
            "--force",
            "--code",
            "654321",
            "--duration",
            "90m",
        ],
    );
    assert_eq!(moto.count("GetSessionToken"), 2);
    let req = &moto.requests_for("GetSessionToken")[1];
    assert_eq!(req.param("DurationSeconds").as_deref(), Some("5400"));
}

#[test]
fn two_roles_behind_one_user_need_one_mfa_session() {
    let (moto, _home, env) = setup(CONFIG);
    let (_, stderr) = ok(&env, &["login", "admin", "--code", "123456"]);
    assert!(!stderr.contains("error"), "{stderr}");
    // No code: the MFA session of jo is reused.
    let (_, stderr) = ok(&env, &["login", "dev"]);
    assert!(stderr.contains("reused the MFA session of jo"), "{stderr}");
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_eq!(moto.count("AssumeRole"), 2);
    let mfa = &moto.requests_for("GetSessionToken")[0];
    assert!(
        mfa.header("x-amz-security-token").is_none(),
        "the long-term keys"
    );
    let roles = moto.requests_for("AssumeRole");
    for req in &roles {
        assert_eq!(req.param("SerialNumber"), None, "no MFA on AssumeRole");
        assert_eq!(req.param("TokenCode"), None);
        assert_eq!(req.param("DurationSeconds").as_deref(), Some("3600"));
        // Signed with the MFA session (a session token), not the long-term keys.
        assert!(req.header("x-amz-security-token").is_some());
    }
    assert_eq!(
        roles[0].param("RoleArn").as_deref(),
        Some("arn:aws:iam::123456789012:role/admin")
    );
    assert_eq!(
        roles[0].param("RoleSessionName").as_deref(),
        Some("mfatui-jo")
    );
    assert_eq!(roles[0].param("ExternalId"), None);
    assert_eq!(roles[1].param("ExternalId").as_deref(), Some("ext-42"));
    assert_eq!(roles[1].param("RoleSessionName").as_deref(), Some("jo-dev"));
}

#[test]
fn a_role_to_role_chain_goes_hop_by_hop_and_later_hops_are_capped() {
    let (moto, _home, env) = setup(CONFIG);
    ok(&env, &["login", "deep", "--code", "123456"]);
    assert_eq!(moto.count("GetSessionToken"), 1);
    let roles = moto.requests_for("AssumeRole");
    assert_eq!(roles.len(), 2);
    assert_eq!(
        roles[0].param("RoleArn").as_deref(),
        Some("arn:aws:iam::123456789012:role/admin")
    );
    assert_eq!(
        roles[1].param("RoleArn").as_deref(),
        Some("arn:aws:iam::444455556666:role/deep")
    );
    // Each hop is signed by the one before it.
    let first_signer = roles[0].access_key_id().unwrap();
    let second_signer = roles[1].access_key_id().unwrap();
    assert!(second_signer.starts_with("ASIA") && second_signer != first_signer);

    // Renewing deep for 2 h: admin's cached session is live, so only deep is assumed, and
    // AWS's role-chaining limit caps it at one hour, which the user is told.
    moto.clear_requests();
    let (_, stderr) = ok(&env, &["login", "deep", "--force", "--duration", "2h"]);
    assert!(
        stderr.contains("role deep was capped at 1 h") && stderr.contains("role chaining"),
        "{stderr}"
    );
    assert_eq!(moto.count("GetSessionToken"), 0);
    let roles = moto.requests_for("AssumeRole");
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].param("DurationSeconds").as_deref(), Some("3600"));
}

#[test]
fn a_role_session_over_one_hour_comes_straight_from_the_keys() {
    let (moto, _home, env) = setup(CONFIG);
    let (stdout, _) = ok(
        &env,
        &["login", "admin", "--code", "123456", "--duration", "2h"],
    );
    assert!(stdout.contains("1h 5"), "about two hours left: {stdout}");
    assert_eq!(moto.count("GetSessionToken"), 0);
    let roles = moto.requests_for("AssumeRole");
    assert_eq!(roles.len(), 1);
    let req = &roles[0];
    assert_eq!(req.param("SerialNumber").as_deref(), Some(SERIAL));
    assert_eq!(req.param("TokenCode").as_deref(), Some("123456"));
    assert_eq!(req.param("DurationSeconds").as_deref(), Some("7200"));
    assert_eq!(req.access_key_id().as_deref(), Some("AKIAIOSFODNN7EXAMPLE"));
}

#[test]
fn every_cached_hop_is_checked_with_the_safety_margin() {
    let (moto, home, env) = setup(CONFIG);
    ok(&env, &["login", "admin", "--code", "123456"]);
    // The role session is about to expire (inside the 60 s margin): the live MFA session
    // gets a new one without a code.
    let (path, value) = session_file(&home, "admin", true);
    set_expiry(&path, value, 30);
    let (stdout, _) = ok(&env, &["export", "admin", "--format", "process"]);
    let process: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(process["Version"], 1);
    assert_eq!(moto.count("AssumeRole"), 2);
    assert_eq!(moto.count("GetSessionToken"), 1);

    // Both the role session and the MFA session inside the margin: a code is needed, and
    // credential_process never prompts.
    let (path, value) = session_file(&home, "admin", true);
    set_expiry(&path, value, 30);
    let (path, value) = session_file(&home, "jo", false);
    set_expiry(&path, value, 59);
    let out = mfatui(&env, &["export", "admin", "--format", "process"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("mfatui login admin"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(moto.count("AssumeRole"), 2);
}

#[test]
fn mfa_process_supplies_the_code() {
    let config = format!(
        "{CONFIG}\n[profile yk]\nsource_profile = jo\nrole_arn = arn:aws:iam::123456789012:role/yk\nmfa_process = printf '  654321\\n'\n"
    );
    let (moto, _home, env) = setup(&config);
    ok(&env, &["login", "yk"]);
    let req = &moto.requests_for("GetSessionToken")[0];
    assert_eq!(req.param("TokenCode").as_deref(), Some("654321"));
    // credential_process works too (in a fresh cache): mfa_process needs no terminal.
    let fresh = TestHome::new();
    fresh.write_config(&config);
    fresh.write_credentials(CREDENTIALS);
    ok(
        &fresh.env(Some(&moto)),
        &["export", "yk", "--format", "process"],
    );
    assert_eq!(moto.count("GetSessionToken"), 2);

    let failing = format!(
        "{CONFIG}\n[profile broken]\nsource_profile = jo\nrole_arn = arn:aws:iam::123456789012:role/b\n\
         mfa_process = echo 'no YubiKey detected (serial 12345678)' >&2; exit 1\n"
    );
    let home = TestHome::new();
    home.write_config(&failing);
    home.write_credentials(CREDENTIALS);
    let out = mfatui(&home.env(Some(&moto)), &["login", "broken"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "mfa_process of profile broken failed (exit status 1): no YubiKey detected (serial ********)"
        ),
        "{stderr}"
    );
}

#[test]
fn cache_keys_are_exact_for_similar_and_odd_names() {
    let config = "\
[profile acme]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/acme
[profile acme-dev]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/acme-dev
[profile team/a.b@x]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/abc
";
    let credentials = "\
[acme]
aws_access_key_id = AKIAACME
aws_secret_access_key = s1
[acme-dev]
aws_access_key_id = AKIAACMEDEV
aws_secret_access_key = s2
[team/a.b@x]
aws_access_key_id = AKIATEAM
aws_secret_access_key = s3
";
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(config);
    home.write_credentials(credentials);
    let env = home.env(Some(&moto));
    ok(&env, &["login", "acme", "--code", "111111"]);
    // acme's session is not acme-dev's.
    let out = mfatui(&env, &["export", "acme-dev", "--format", "process"]);
    assert_eq!(out.status.code(), Some(3));
    ok(&env, &["login", "team/a.b@x", "--code", "222222"]);
    let (stdout, _) = ok(&env, &["list", "--json"]);
    let list: Value = serde_json::from_str(&stdout).unwrap();
    let state = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["session"]["state"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(state("acme"), "active");
    assert_eq!(state("acme-dev"), "none");
    assert_eq!(state("team/a.b@x"), "active");
    for file in home.cache_files() {
        assert_eq!(
            file.parent().unwrap(),
            home.cache_dir(),
            "no file outside the cache dir"
        );
    }
    assert_eq!(sessions(&home).len(), 2);
}

#[test]
fn a_corrupt_cache_file_is_no_session_and_is_reported() {
    let (moto, home, env) = setup(CONFIG);
    ok(&env, &["login", "jo", "--code", "123456"]);
    let (path, _) = session_file(&home, "jo", false);
    for garbage in [
        &b""[..],
        b"{\"format\": \"mfatui-session-v1\", \"key\": 7",
        b"\xff\xfe",
    ] {
        std::fs::write(&path, garbage).unwrap();
        let out = mfatui(&env, &["export", "jo", "--format", "process"]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(stderr.contains("not a valid session file"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    ok(&env, &["login", "jo", "--code", "234567"]);
    assert_eq!(moto.count("GetSessionToken"), 2);
    ok(&env, &["export", "jo"]);
}

#[test]
fn two_logins_at_the_same_moment_both_succeed() {
    let (moto, home, env) = setup(CONFIG);
    let spawn = || {
        Command::new(mfatui_bin())
            .args(["login", "admin", "--code", "123456"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let mut stdouts = Vec::new();
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        stdouts.push(text(&out.stdout));
    }
    stdouts.sort();
    assert!(
        stdouts[0].starts_with("admin: session until"),
        "{stdouts:?}"
    );
    assert!(stdouts[1].contains("still live"), "{stdouts:?}");
    // The second waited for the first and reused its session: the code was sent once.
    assert_eq!(moto.count("GetSessionToken"), 1);
    let files = sessions(&home);
    assert_eq!(files.len(), 2, "the MFA session and the role session");
    for (_, value) in files {
        assert_eq!(value["format"], "mfatui-session-v1");
    }
}

#[test]
fn login_asks_for_the_code_on_the_terminal() {
    let (moto, _home, env) = setup(CONFIG);
    let mut pty = Pty::spawn(mfatui_bin(), &["login", "jo"], &env, 120, 30);
    pty.wait_for_text("MFA code for jo", Duration::from_secs(30));
    pty.send("12345");
    pty.enter();
    pty.wait_for_text("exactly six digits", Duration::from_secs(30));
    pty.send("123456");
    pty.enter();
    pty.wait_for_text("jo: session until", Duration::from_secs(30));
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    assert_eq!(moto.count("GetSessionToken"), 1);
    let req = &moto.requests_for("GetSessionToken")[0];
    assert_eq!(req.param("TokenCode").as_deref(), Some("123456"));
}

#[test]
fn logout_forgets_sessions() {
    let (_moto, home, mut env) = setup(CONFIG);
    ok(&env, &["login", "admin", "--code", "123456"]);
    assert_eq!(sessions(&home).len(), 2);
    let out = mfatui(&env, &["logout", "admni"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean admin"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sessions(&home).len(), 2, "a typo removes nothing");
    let (stdout, _) = ok(&env, &["logout", "admin"]);
    assert_eq!(
        stdout,
        "admin: session forgotten (and the MFA session of jo behind it)\n"
    );
    assert!(sessions(&home).is_empty());
    ok(&env, &["login", "jo", "--code", "222222"]);
    let (stdout, _) = ok(&env, &["logout", "--all"]);
    assert_eq!(stdout, "forgot 1 session(s)\n");
    assert!(sessions(&home).is_empty());
    // The cache dir from --cache-dir is the one used.
    let other = home.path().join("elsewhere");
    env_set(&mut env, "MFATUI_CACHE_DIR", "/nonexistent/never-used");
    ok(
        &env,
        &[
            "--cache-dir",
            other.to_str().unwrap(),
            "login",
            "jo",
            "--code",
            "333333",
        ],
    );
    assert!(std::fs::read_dir(&other).unwrap().count() > 0);
}
