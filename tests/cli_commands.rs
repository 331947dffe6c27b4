//! The script commands that use a session, against moto's server: whoami, buckets, exec,
//! export as credential_process for the AWS CLI itself, completions, unknown profiles.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::cli::{mfatui, ok, text};
use support::{Moto, Pty, TestHome, env_get, env_remove, env_set, mfatui_bin};

const CONFIG: &str = "\
[profile jo]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/jo

[profile admin]
region = eu-west-1
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo

[profile plain]
region = us-east-1
";

const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[plain]
aws_access_key_id = AKIAPLAINEXAMPLE
aws_secret_access_key = plainsecret
";

fn setup() -> (Moto, TestHome, Vec<(String, String)>) {
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(CONFIG);
    home.write_credentials(CREDENTIALS);
    let env = home.env(Some(&moto));
    (moto, home, env)
}

#[test]
fn whoami_shows_the_assumed_role() {
    let (moto, _home, env) = setup();
    // Logs in first (a code is given), then asks who the session is.
    let (stdout, _) = ok(&env, &["whoami", "admin", "--code", "123456", "--json"]);
    let identity: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        identity["arn"],
        "arn:aws:sts::123456789012:assumed-role/admin/mfatui-jo"
    );
    assert_eq!(identity["account"], "123456789012");
    assert_eq!(identity["profile"], "admin");
    assert_eq!(moto.count("GetSessionToken"), 1);
    // The call went to the profile's region, signed with the role session.
    let call = &moto.requests_for("GetCallerIdentity")[0];
    assert!(
        call.header("authorization")
            .unwrap()
            .contains("/eu-west-1/sts/")
    );
    assert!(call.header("x-amz-security-token").is_some());

    let (stdout, _) = ok(&env, &["whoami", "admin"]);
    assert!(
        stdout.starts_with("arn      arn:aws:sts::123456789012:assumed-role/admin/mfatui-jo\n"),
        "{stdout}"
    );
    assert_eq!(moto.count("AssumeRole"), 1, "the cached session was used");
}

#[test]
fn buckets_lists_the_buckets_in_moto() {
    let (moto, _home, env) = setup();
    moto.create_bucket("alpha-bucket");
    moto.create_bucket("beta-bucket");
    let (stdout, _) = ok(&env, &["buckets", "jo", "--code", "123456"]);
    let names: Vec<&str> = stdout.lines().collect();
    assert!(
        names.contains(&"alpha-bucket") && names.contains(&"beta-bucket"),
        "{stdout}"
    );
    let (stdout, _) = ok(&env, &["buckets", "jo", "--json"]);
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["buckets"].as_array().unwrap().len(), 2);
    assert_eq!(moto.count("ListBuckets"), 2);
    // A plain keys profile needs no session: its keys are used as they are.
    let (stdout, _) = ok(&env, &["buckets", "plain"]);
    assert!(stdout.contains("alpha-bucket"));
    assert_eq!(moto.count("GetSessionToken"), 1);
}

#[test]
fn exec_runs_a_command_with_the_session_and_its_status() {
    let (_moto, _home, mut env) = setup();
    ok(&env, &["login", "admin", "--code", "123456"]);
    let (exported, _) = ok(&env, &["export", "admin", "--format", "json"]);
    let exported: Value = serde_json::from_str(&exported).unwrap();

    env_set(&mut env, "AWS_PROFILE", "jo");
    env_set(&mut env, "AWS_SECURITY_TOKEN", "stale");
    let script = "printf '%s|%s|%s|%s|%s|%s' \"$AWS_ACCESS_KEY_ID\" \"${AWS_PROFILE-unset}\" \
                  \"${AWS_SECURITY_TOKEN-unset}\" \"$MFATUI_PROFILE\" \"$AWS_REGION\" \
                  \"$AWS_CREDENTIAL_EXPIRATION\"; exit 7";
    let out = mfatui(&env, &["exec", "admin", "--", "sh", "-c", script]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    let fields: Vec<String> = text(&out.stdout).split('|').map(str::to_string).collect();
    assert_eq!(fields[0], exported["AWS_ACCESS_KEY_ID"].as_str().unwrap());
    assert_eq!(fields[1], "unset");
    assert_eq!(fields[2], "unset");
    assert_eq!(fields[3], "admin");
    assert_eq!(fields[4], "eu-west-1");
    assert_eq!(
        fields[5],
        exported["AWS_CREDENTIAL_EXPIRATION"].as_str().unwrap()
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    // Inside an exec of another profile: the session is replaced, and stderr says so.
    env_set(&mut env, "MFATUI_PROFILE", "jo");
    let out = mfatui(
        &env,
        &["exec", "admin", "--", "sh", "-c", "echo $MFATUI_PROFILE"],
    );
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "admin\n");
    assert!(
        text(&out.stderr).contains("replacing the session of jo held by this shell with admin"),
        "{}",
        text(&out.stderr)
    );

    // The default command is the user's shell ($SHELL).
    let shell = home_script(&env);
    env_set(&mut env, "SHELL", shell.to_str().unwrap());
    let out = mfatui(&env, &["exec", "admin"]);
    assert_eq!(text(&out.stdout), "shell for admin\n");

    // A missing command: 127, as a shell says.
    let out = mfatui(&env, &["exec", "admin", "--", "/nonexistent/tool"]);
    assert_eq!(out.status.code(), Some(127));
    assert!(text(&out.stderr).contains("could not run /nonexistent/tool"));
}

/// A tiny "shell" that reports whose session it holds.
fn home_script(env: &[(String, String)]) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let home = std::path::PathBuf::from(env_get(env, "HOME").unwrap());
    let path = home.join("fake-shell");
    std::fs::write(&path, "#!/bin/sh\necho \"shell for $MFATUI_PROFILE\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn the_aws_cli_uses_the_session_through_credential_process() {
    let (moto, home, env) = setup();
    let (stdout, _) = ok(&env, &["login", "admin", "--code", "123456"]);
    assert!(stdout.starts_with("admin: session until"));
    let config = format!(
        "{CONFIG}\n[profile via-mfatui]\nregion = us-east-1\ncredential_process = {} export admin --format process\n",
        mfatui_bin().display()
    );
    home.write_config(&config);
    let (process, _) = ok(&env, &["export", "admin", "--format", "process"]);
    let process: Value = serde_json::from_str(&process).unwrap();
    assert_eq!(process["Version"], 1);
    assert!(process["Expiration"].as_str().unwrap().ends_with('Z'));

    let out = support::run(
        support::aws_cli(),
        &[
            "--endpoint-url",
            &moto.endpoint(),
            "--profile",
            "via-mfatui",
            "--output",
            "json",
            "sts",
            "get-caller-identity",
        ],
        &env,
    );
    assert!(
        out.status.success(),
        "aws: {}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let identity: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        identity["Arn"],
        "arn:aws:sts::123456789012:assumed-role/admin/mfatui-jo"
    );
    // The AWS CLI signed with mfatui's cached role session; nothing was logged in again.
    let call = moto.requests_for("GetCallerIdentity").pop().unwrap();
    assert_eq!(
        call.access_key_id().as_deref(),
        process["AccessKeyId"].as_str()
    );
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_eq!(moto.count("AssumeRole"), 1);

    // mfatui's own checks of a process profile run through the SDK's provider.
    let (stdout, _) = ok(&env, &["whoami", "via-mfatui", "--json"]);
    let identity: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        identity["arn"],
        "arn:aws:sts::123456789012:assumed-role/admin/mfatui-jo"
    );
    let out = mfatui(&env, &["login", "via-mfatui"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("credential_process supplies the credentials itself"));
}

#[test]
fn export_prints_every_format() {
    let (_moto, _home, env) = setup();
    ok(&env, &["login", "jo", "--code", "123456"]);
    let (sh, _) = ok(&env, &["export", "jo"]);
    assert!(sh.contains("unset AWS_PROFILE\n") && sh.contains("export AWS_SESSION_TOKEN='"));
    assert!(sh.contains("export AWS_REGION='us-east-1'\n"));
    let (fish, _) = ok(&env, &["export", "jo", "--format", "fish"]);
    assert!(fish.contains("set -gx AWS_ACCESS_KEY_ID "));
    let (pwsh, _) = ok(&env, &["export", "jo", "--format", "pwsh"]);
    assert!(pwsh.contains("$Env:AWS_SECRET_ACCESS_KEY = '"));
    let (dotenv, _) = ok(&env, &["export", "jo", "--format", "dotenv"]);
    assert!(dotenv.contains("MFATUI_PROFILE="));
    let out = mfatui(&env, &["export", "jo", "--format", "csh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unknown_profile_is_exit_2_with_a_suggestion_everywhere() {
    let (moto, _home, env) = setup();
    for args in [
        &["login", "admni"][..],
        &["export", "admni"],
        &["export", "admni", "--format", "process"],
        &["exec", "admni", "--", "true"],
        &["whoami", "admni"],
        &["buckets", "admni"],
        &["logout", "admni"],
    ] {
        let out = mfatui(&env, args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("profile admni not found (did you mean admin?)"),
            "{args:?}: {stderr}"
        );
    }
    assert!(moto.requests().is_empty());
}

#[test]
fn completions_are_generated() {
    let home = TestHome::new();
    let env = home.env(None);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (stdout, _) = ok(&env, &["completions", shell]);
        assert!(
            stdout.contains("mfatui") && stdout.contains("login"),
            "{shell}"
        );
    }
    let out = mfatui(&env, &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn export_to_the_clipboard_without_a_display_uses_osc52() {
    let (_moto, _home, mut env) = setup();
    ok(&env, &["login", "jo", "--code", "123456"]);
    env_remove(&mut env, "DISPLAY");
    env_remove(&mut env, "WAYLAND_DISPLAY");
    let mut pty = Pty::spawn(
        mfatui_bin(),
        &["export", "jo", "--clipboard"],
        &env,
        120,
        30,
    );
    pty.wait_for_text("OSC 52", Duration::from_secs(30));
    assert!(pty.wait_exit(Duration::from_secs(30)).success());
    assert!(pty.output_contains(b"\x1b]52;c;"));
    assert!(
        !pty.output_text().contains("export AWS_"),
        "the lines were copied, not printed"
    );
}
