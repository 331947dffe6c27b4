//! The dashboard's checks, subshell and crash safety, driven in a pseudo-terminal
//! against moto's server.

mod support;

use std::time::Duration;

use support::{Moto, Pty, TestHome, env_set, mfatui_bin};

const CONFIG: &str = "\
[profile jo]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/jo

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo
region = eu-west-1
";

const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
";

const WAIT: Duration = Duration::from_secs(30);

fn home() -> TestHome {
    let home = TestHome::new();
    home.write_config(CONFIG);
    home.write_credentials(CREDENTIALS);
    home
}

/// Start the dashboard on `profile` and log in with a code.
fn logged_in(env: &[(String, String)], profile: &str) -> Pty {
    let pty = Pty::spawn(mfatui_bin(), &["--profile", profile], env, 120, 40);
    pty.wait_for_text("mfa-user", WAIT);
    pty.enter();
    pty.wait_for_text("MFA code for", WAIT);
    pty.send("123456");
    pty.enter();
    pty.wait_for_text("session ready", WAIT);
    pty
}

#[test]
fn identity_and_buckets_appear_in_the_detail_pane() {
    let moto = Moto::start();
    moto.create_bucket("jo-app-logs");
    moto.create_bucket("jo-terraform-state");
    let home = home();
    let env = home.env(Some(&moto));
    let mut pty = logged_in(&env, "admin");
    pty.send("i");
    let screen = pty.wait_for_text("assumed-role/admin", WAIT);
    assert!(screen.contains("Identity"), "{screen}");
    pty.send("b");
    let screen = pty.wait_for_text("2 buckets", WAIT);
    assert!(screen.contains("jo-app-logs"), "{screen}");
    assert!(screen.contains("jo-terraform-state"), "{screen}");
    assert_eq!(moto.count("GetCallerIdentity"), 1);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn a_subshell_holds_the_session_and_the_dashboard_comes_back() {
    let moto = Moto::start();
    let home = home();
    let mut env = home.env(Some(&moto));
    env_set(&mut env, "SHELL", "/bin/sh");
    env_set(&mut env, "AWS_PROFILE", "jo");
    env_set(&mut env, "PS1", "subshell$ ");
    let mut pty = logged_in(&env, "jo");
    pty.send("x");
    pty.wait_for_text("exit to return to the dashboard", WAIT);
    pty.send("env | grep -E '^(AWS_PROFILE|AWS_SESSION_TOKEN|MFATUI_PROFILE)=' | cut -c1-24 | sort; echo done-$((6*7))\r");
    let screen = pty.wait_for_text("done-42", WAIT);
    assert!(screen.contains("AWS_SESSION_TOKEN="), "{screen}");
    assert!(screen.contains("MFATUI_PROFILE=jo"), "{screen}");
    assert!(
        !screen.contains("AWS_PROFILE="),
        "AWS_PROFILE is unset in the subshell:\n{screen}"
    );
    pty.send("exit 7\r");
    let screen = pty.wait_for_text("exited with status 7", WAIT);
    assert!(screen.contains("mfa-user"), "the table is back:\n{screen}");
    assert!(
        !screen.contains("done-42"),
        "the shell's output is gone after the redraw:\n{screen}"
    );
    // Keys work again.
    pty.send("?");
    pty.wait_for_text("any key closes this help", WAIT);
    pty.send("q");
    pty.wait_for(|s| !s.contains("any key closes this help"), WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn a_panic_restores_the_terminal() {
    let home = home();
    let mut env = home.env(None);
    env_set(&mut env, "MFATUI_TEST_PANIC", "1");
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for_text("mfa-user", WAIT);
    pty.send("!");
    let status = pty.wait_exit(WAIT);
    assert!(!status.success());
    let output = pty.output_text();
    let left = output
        .find("\u{1b}[?1049l")
        .expect("left the alternate screen");
    let message = output
        .find("panic requested")
        .expect("the panic message is printed");
    assert!(
        left < message,
        "the terminal is restored before the panic message"
    );
    pty.assert_terminal_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = home();
    let env = home.env(None);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for_text("mfa-user", WAIT);
    pty.signal(libc::SIGTERM);
    pty.wait_exit(WAIT);
    pty.assert_terminal_restored();
}

#[test]
fn filter_as_you_type_and_resize() {
    let home = home();
    let env = home.env(None);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 100, 30);
    pty.wait_for_text("admin", WAIT);
    pty.send("/adm");
    let screen = pty.wait_for_text("1 shown", WAIT);
    assert!(!screen.lines().any(|l| l.starts_with("jo ")), "{screen}");
    pty.esc();
    pty.wait_for(|s| !s.contains("shown") && s.contains("mfa-user"), WAIT);
    pty.resize(40, 8);
    pty.wait_for_text("Terminal too small", WAIT);
    pty.resize(100, 30);
    pty.wait_for_text("mfa-user", WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn r_reloads_the_files_and_problems_show_with_their_line() {
    let home = home();
    let env = home.env(None);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 110, 34);
    pty.wait_for_text("2 profiles", WAIT);
    home.write_config(&format!(
        "{CONFIG}\n[profile new-one]\nregion = ap-south-1\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nobody\n"
    ));
    pty.send("r");
    let screen = pty.wait_for_text("3 profiles", WAIT);
    assert!(screen.contains("new-one"), "{screen}");
    pty.send("G");
    let screen = pty.wait_for_text("nobody", WAIT);
    assert!(
        screen.contains("Problem") || screen.contains("does not exist"),
        "{screen}"
    );
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn inside_an_mfatui_subshell_the_header_names_the_held_session() {
    let home = home();
    let mut env = home.env(None);
    env_set(&mut env, "MFATUI_PROFILE", "admin");
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 110, 34);
    let screen = pty.wait_for_text("this shell holds admin", WAIT);
    assert!(
        screen.lines().next().unwrap().contains("holds admin"),
        "{screen}"
    );
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn d_forgets_the_session_and_its_cache_file() {
    let moto = Moto::start();
    let home = home();
    let env = home.env(Some(&moto));
    let mut pty = logged_in(&env, "jo");
    assert!(
        !home
            .cache_files()
            .iter()
            .all(|f| f.ends_with("used-codes.json"))
    );
    pty.send("d");
    let screen = pty.wait_for_text("session forgotten", WAIT);
    assert!(screen.contains("none; press Enter"), "{screen}");
    let left: Vec<_> = home
        .cache_files()
        .into_iter()
        .filter(|f| !f.ends_with("used-codes.json"))
        .collect();
    assert!(left.is_empty(), "session files left: {left:?}");
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn no_color_draws_without_colours() {
    let home = home();
    let mut env = home.env(None);
    env_set(&mut env, "NO_COLOR", "1");
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 110, 34);
    pty.wait_for_text("mfa-user", WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
    // SGR sequences (ESC [ params m) with a colour: 30-38 or 40-48 (39 and 49 are "default").
    let out = pty.output_bytes();
    let text = String::from_utf8_lossy(&out);
    let coloured = text.split('\u{1b}').skip(1).any(|seq| {
        let Some(rest) = seq.strip_prefix('[') else {
            return false;
        };
        let end = rest
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        rest[end..].starts_with('m')
            && rest[..end]
                .split(';')
                .any(|p| matches!(p.parse::<u8>(), Ok(30..=38 | 40..=48)))
    });
    assert!(
        !coloured,
        "colour codes were written under NO_COLOR: {:?}",
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn process_profiles_are_checked_through_the_sdk_provider() {
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(
        "[profile tool]\nregion = us-east-1\ncredential_process = echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000001\", \"SecretAccessKey\": \"process/secret\"}'\n",
    );
    let env = home.env(Some(&moto));
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 110, 34);
    pty.wait_for_text("process", WAIT);
    pty.send("i");
    let screen = pty.wait_for_text("arn:aws:sts::", WAIT);
    assert!(screen.contains("Identity"), "{screen}");
    let request = &moto.requests_for("GetCallerIdentity")[0];
    assert_eq!(
        request.access_key_id().as_deref(),
        Some("AKIAPROCESS000000001")
    );
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn a_bad_setting_is_reported_with_its_line_and_the_default_used() {
    let home = home();
    home.write_settings("warning_threshold = 10m\nexport_format = tcsh\n");
    let env = home.env(None);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 110, 34);
    let screen = pty.wait_for_text("config.ini:2: export_format", WAIT);
    assert!(
        screen.contains("export sh"),
        "the default format is used:\n{screen}"
    );
    pty.send("e");
    pty.wait_for_text("export format: fish", WAIT);
    // A reload says it again: the settings file has not changed.
    pty.send("r");
    pty.wait_for_text("config.ini:2: export_format", WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn d_on_a_role_forgets_the_role_and_keeps_the_mfa_session_behind_it() {
    let moto = Moto::start();
    let home = home();
    let env = home.env(Some(&moto));
    let mut pty = logged_in(&env, "admin");
    pty.send("d");
    pty.wait_for_text("admin: session forgotten", WAIT);
    let screen = pty.screen();
    let jo = screen
        .lines()
        .find(|l| l.starts_with("jo "))
        .expect("jo's row");
    assert!(jo.contains("11h"), "jo's MFA session lives on: {jo}");
    // Renewing the role needs no code: the MFA session is reused.
    pty.enter();
    pty.wait_for_text("admin: session ready (reused the MFA session of jo)", WAIT);
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_eq!(moto.count("AssumeRole"), 2);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn x_on_a_credential_process_profile_uses_the_sdk_provider() {
    let home = TestHome::new();
    home.write_config(
        "[profile tool]\nregion = us-east-1\ncredential_process = echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000001\", \"SecretAccessKey\": \"process/secret\"}'\n",
    );
    let mut env = home.env(None);
    env_set(&mut env, "SHELL", "/bin/sh");
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 110, 34);
    pty.wait_for_text("process", WAIT);
    pty.send("x");
    pty.wait_for_text("exit to return to the dashboard", WAIT);
    pty.send("echo key=$AWS_ACCESS_KEY_ID profile=$MFATUI_PROFILE\r");
    pty.wait_for_text("key=AKIAPROCESS000000001 profile=tool", WAIT);
    pty.send("exit\r");
    pty.wait_for_text("exited with status 0", WAIT);
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn an_sso_profile_without_a_login_says_what_to_run() {
    let home = TestHome::new();
    home.write_config(
        "[profile team]\nregion = eu-west-1\nsso_session = corp\nsso_account_id = 777788889999\nsso_role_name = ReadOnly\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    );
    let env = home.env(None);
    let mut pty = Pty::spawn(mfatui_bin(), &[], &env, 140, 34);
    pty.wait_for_text("sso", WAIT);
    pty.send("i");
    let screen = pty.wait_for_text("aws sso login --profile team", WAIT);
    assert!(
        !screen.contains("ProviderError"),
        "no debug dump:\n{screen}"
    );
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}

#[test]
fn a_role_over_an_hour_asks_for_a_code_and_offers_to_reuse_the_mfa_session_for_less() {
    let moto = Moto::start();
    let home = TestHome::new();
    home.write_config(&format!(
        "{CONFIG}\n[profile long]\nrole_arn = arn:aws:iam::123456789012:role/long\nsource_profile = jo\nduration_seconds = 7200\n"
    ));
    home.write_credentials(CREDENTIALS);
    let env = home.env(Some(&moto));
    let out = support::run(mfatui_bin(), &["login", "jo", "--code", "123456"], &env);
    assert!(out.status.success());

    // Without a terminal the refusal says why a code is needed.
    let out = support::run(mfatui_bin(), &["login", "long"], &env);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("straight from the long-term keys"),
        "{stderr}"
    );
    assert!(stderr.contains("--duration 1h"), "{stderr}");

    let mut pty = Pty::spawn(mfatui_bin(), &["--profile", "long"], &env, 120, 40);
    pty.wait_for_text("mfa-user", WAIT);
    pty.enter();
    pty.wait_for_text("over 1 h needs a code", WAIT);
    pty.tab();
    pty.wait_for_text("Enter without a code reuses the MFA session of jo", WAIT);
    pty.enter();
    pty.wait_for_text("long: session ready (reused the MFA session of jo)", WAIT);
    assert_eq!(moto.count("GetSessionToken"), 1, "only jo's login");
    let assume = &moto.requests_for("AssumeRole")[0];
    assert_eq!(assume.param("SerialNumber"), None);
    assert_eq!(assume.param("DurationSeconds").as_deref(), Some("3600"));
    pty.send("q");
    assert!(pty.wait_exit(WAIT).success());
}
