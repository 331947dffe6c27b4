//! Proves the test harness in `tests/support/` works, independently of mfatui's own UI: moto
//! answers real STS/S3 calls made by the aws CLI, the recorder counts them, the pty runs a
//! program and shows its screen, and the environment is hermetic.

mod support;

use std::time::Duration;

use support::{Moto, Pty, TestHome, env_get, env_set};

const T: Duration = Duration::from_secs(20);

/// The environment for the venv's aws CLI: a TestHome pointing at moto, with dummy keys.
fn aws_env(home: &TestHome, moto: &Moto) -> Vec<(String, String)> {
    let mut env = home.env(Some(moto));
    env_set(&mut env, "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env_set(
        &mut env,
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    env_set(&mut env, "AWS_DEFAULT_REGION", "us-east-1");
    env
}

fn aws(moto: &Moto, env: &[(String, String)], args: &[&str]) -> String {
    let endpoint = moto.endpoint();
    let mut full = vec!["--endpoint-url", endpoint.as_str(), "--output", "json"];
    full.extend_from_slice(args);
    let out = support::run(support::aws_cli(), &full, env);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "aws {}: {}\nstdout: {stdout}\nstderr: {}\nmoto log:\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr),
        moto.log_tail()
    );
    stdout
}

#[test]
fn moto_answers_sts_and_the_recorder_counts_it() {
    let moto = Moto::start();
    assert!(moto.endpoint().starts_with("http://127.0.0.1:"));
    let home = TestHome::new();
    let env = aws_env(&home, &moto);

    assert_eq!(moto.count("GetCallerIdentity"), 0);
    let identity = aws(&moto, &env, &["sts", "get-caller-identity"]);
    assert!(
        identity.contains("\"Account\": \"123456789012\""),
        "{identity}"
    );
    assert_eq!(moto.count("GetCallerIdentity"), 1);

    // GetSessionToken with an MFA device: any six-digit code is accepted, and the recorder
    // shows the decoded parameters the client sent.
    let session = aws(
        &moto,
        &env,
        &[
            "sts",
            "get-session-token",
            "--serial-number",
            "arn:aws:iam::123456789012:mfa/jo",
            "--token-code",
            "123456",
            "--duration-seconds",
            "3600",
        ],
    );
    assert!(session.contains("\"SessionToken\""), "{session}");
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_eq!(moto.count("GetCallerIdentity"), 1);
    let req = &moto.requests_for("GetSessionToken")[0];
    assert_eq!(req.param("TokenCode").as_deref(), Some("123456"));
    assert_eq!(
        req.param("SerialNumber").as_deref(),
        Some("arn:aws:iam::123456789012:mfa/jo")
    );
    assert_eq!(req.param("DurationSeconds").as_deref(), Some("3600"));
    assert_eq!(req.service.as_deref(), Some("sts"));
    assert_eq!(req.access_key_id().as_deref(), Some("AKIAIOSFODNN7EXAMPLE"));
    assert_eq!(req.status, Some(200));

    // AssumeRole, then GetCallerIdentity with the role's credentials: the assumed-role ARN.
    let assumed = aws(
        &moto,
        &env,
        &[
            "sts",
            "assume-role",
            "--role-arn",
            "arn:aws:iam::111122223333:role/Admin",
            "--role-session-name",
            "selftest",
        ],
    );
    let creds: Vec<String> = ["AccessKeyId", "SecretAccessKey", "SessionToken"]
        .iter()
        .map(|k| json_string(&assumed, k))
        .collect();
    let mut role_env = env.clone();
    env_set(&mut role_env, "AWS_ACCESS_KEY_ID", creds[0].clone());
    env_set(&mut role_env, "AWS_SECRET_ACCESS_KEY", creds[1].clone());
    env_set(&mut role_env, "AWS_SESSION_TOKEN", creds[2].clone());
    let role_identity = aws(&moto, &role_env, &["sts", "get-caller-identity"]);
    assert!(
        role_identity.contains("arn:aws:sts::111122223333:assumed-role/Admin/selftest"),
        "{role_identity}"
    );
    assert_eq!(moto.count("AssumeRole"), 1);
    assert_eq!(moto.wait_for_count("GetCallerIdentity", 2, T), 2);
    let last = moto.requests_for("GetCallerIdentity").pop().unwrap();
    assert_eq!(last.access_key_id(), Some(creds[0].clone()));
    assert_eq!(last.header("x-amz-security-token"), Some(creds[2].as_str()));

    moto.clear_requests();
    assert_eq!(moto.count("GetCallerIdentity"), 0);
}

#[test]
fn moto_s3_buckets_reset_and_list_buckets_count() {
    let moto = Moto::start();
    let home = TestHome::new();
    let env = aws_env(&home, &moto);

    moto.create_bucket("made-directly");
    aws(
        &moto,
        &env,
        &["s3api", "create-bucket", "--bucket", "made-by-cli"],
    );
    let listing = aws(&moto, &env, &["s3api", "list-buckets"]);
    assert!(
        listing.contains("made-directly") && listing.contains("made-by-cli"),
        "{listing}"
    );
    // create_bucket bypasses the recorder; the CLI's requests are recorded.
    assert_eq!(moto.count("ListBuckets"), 1);
    assert_eq!(moto.count_where(|r| r.service.as_deref() == Some("s3")), 2);

    moto.reset();
    assert_eq!(moto.count("ListBuckets"), 0);
    let listing = aws(&moto, &env, &["s3api", "list-buckets"]);
    assert!(!listing.contains("made-by-cli"), "{listing}");
    assert_eq!(moto.count("ListBuckets"), 1);
}

#[test]
#[should_panic(expected = "python3 -m venv .venv")]
fn missing_moto_binary_says_how_to_install_it() {
    let _ = Moto::start_with_binary("/nonexistent/moto_server");
}

#[test]
fn pty_runs_a_program_and_shows_its_screen() {
    let home = TestHome::new();
    let env = home.env(None);
    let mut pty = Pty::spawn(
        "bash",
        &[
            "--norc",
            "--noprofile",
            "-c",
            "printf \"hello\"; read x; echo got $x",
        ],
        &env,
        80,
        24,
    );
    let screen = pty.wait_for(|s| s.contains("hello"), T);
    assert!(screen.starts_with("hello"), "{screen}");
    pty.send("world");
    pty.enter();
    pty.wait_for_text("got world", T);
    let status = pty.wait_exit(T);
    assert!(status.success(), "{status:?}");
    // The terminal echoed the typed text (cooked mode) and the program's output is all there.
    assert!(
        pty.screen().contains("helloworld\ngot world"),
        "{}",
        pty.screen()
    );
    assert!(pty.output_text().contains("got world"));
    assert!(!pty.entered_alternate_screen());
    pty.assert_terminal_restored();
}

#[test]
fn pty_tracks_alternate_screen_and_raw_mode() {
    let home = TestHome::new();
    let env = home.env(None);
    // Like a TUI: raw mode, alternate screen, hidden cursor; on a key, restore everything.
    let script = r#"
        stty raw -echo
        printf '\033[?1049h\033[?25l\033[HFULL SCREEN'
        IFS= read -r -n1 key
        printf '\033[?25h\033[?1049l'
        stty sane
        echo "restored after $key"
    "#;
    let mut pty = Pty::spawn(
        "bash",
        &["--norc", "--noprofile", "-c", script],
        &env,
        60,
        10,
    );
    pty.wait_for_text("FULL SCREEN", T);
    assert!(pty.in_alternate_screen());
    assert_eq!(pty.is_raw_mode(), Some(true));
    assert!(pty.with_screen(|s| s.hide_cursor()));
    let problems = pty.terminal_problems();
    assert_eq!(problems.len(), 4, "{problems:?}"); // alt screen (x2), raw mode, cursor

    pty.send("q");
    pty.wait_for_text("restored after q", T);
    assert!(pty.wait_exit(T).success());
    assert!(pty.entered_alternate_screen());
    assert!(pty.left_alternate_screen());
    assert!(pty.output_contains(b"\x1b[?1049l"));
    assert_eq!(pty.is_raw_mode(), Some(false));
    pty.assert_terminal_restored();
}

#[test]
fn pty_detects_a_terminal_left_broken() {
    let home = TestHome::new();
    let env = home.env(None);
    let script = r#"stty raw -echo; printf '\033[?1049h\033[?25lBROKEN'; exit 0"#;
    let mut pty = Pty::spawn(
        "bash",
        &["--norc", "--noprofile", "-c", script],
        &env,
        60,
        10,
    );
    assert!(pty.wait_exit(T).success());
    assert!(pty.screen().contains("BROKEN"));
    // Raw mode outlives the program: it is a property of the terminal.
    assert_eq!(pty.is_raw_mode(), Some(true));
    assert!(!pty.left_alternate_screen());
    let problems = pty.terminal_problems();
    assert!(
        problems.iter().any(|p| p.contains("alternate screen"))
            && problems.iter().any(|p| p.contains("raw mode"))
            && problems.iter().any(|p| p.contains("cursor")),
        "{problems:?}"
    );
}

#[test]
fn pty_keys_resize_signals_and_terminal_queries() {
    let home = TestHome::new();
    let env = home.env(None);
    // Cursor position query: answered by the harness like a terminal would.
    let script = r#"
        printf 'ab'
        IFS=';' read -r -s -d R -p $'\033[6n' row col
        echo " pos=${row#*[}:$col"
        read -r line
        echo "size=$(stty size)"
        trap 'echo got TERM; exit 7' TERM
        echo ready
        while :; do sleep 0.05; done
    "#;
    let mut pty = Pty::spawn(
        "bash",
        &["--norc", "--noprofile", "-c", script],
        &env,
        80,
        24,
    );
    pty.wait_for_text("ab pos=1:3", T);
    pty.resize(100, 30);
    pty.enter();
    pty.wait_for_text("size=30 100", T);
    pty.wait_for_text("ready", T);
    pty.signal(libc::SIGTERM);
    pty.wait_for_text("got TERM", T);
    let status = pty.wait_exit(T);
    assert_eq!(status.exit_code(), 7);
}

#[test]
#[should_panic(expected = "last screen")]
fn pty_wait_for_fails_with_the_screen() {
    let home = TestHome::new();
    let env = home.env(None);
    let pty = Pty::spawn(
        "bash",
        &[
            "--norc",
            "--noprofile",
            "-c",
            "echo something else; sleep 5",
        ],
        &env,
        40,
        5,
    );
    pty.wait_for_text("never shown", Duration::from_millis(300));
}

#[test]
fn test_home_env_is_hermetic() {
    let home = TestHome::new();
    home.write_config("[profile jo]\nregion = eu-west-1\n");
    let creds = home.write_credentials("[jo]\naws_access_key_id = AKIA\n");
    let mode = std::fs::metadata(&creds).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );

    let env = home.env(None);
    let home_str = home.path().to_str().unwrap();
    assert_eq!(env_get(&env, "HOME"), Some(home_str));
    for key in [
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "MFATUI_CACHE_DIR",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
    ] {
        assert!(env_get(&env, key).unwrap().starts_with(home_str), "{key}");
    }
    assert_eq!(
        env_get(&env, "AWS_ENDPOINT_URL"),
        Some(support::env::DEAD_ENDPOINT)
    );
    assert_eq!(env_get(&env, "AWS_EC2_METADATA_DISABLED"), Some("true"));
    assert_eq!(env_get(&env, "TERM"), Some("xterm-256color"));
    assert_eq!(env_get(&env, "NO_COLOR"), None);
    assert!(env_get(&env, "PATH").is_some());
    let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "duplicate variables");

    // What the outer environment could leak is dropped.
    let outer = [
        ("AWS_PROFILE", "prod"),
        ("AWS_ACCESS_KEY_ID", "AKIAREAL"),
        ("AWS_SESSION_TOKEN", "x"),
        ("AWS_ENDPOINT_URL_STS", "https://sts.amazonaws.com"),
        ("MFATUI_PROFILE", "prod"),
        ("NO_COLOR", "1"),
        ("HOME", "/root"),
        ("https_proxy", "http://proxy:3128"),
        ("LC_ALL", "de_DE.UTF-8"),
        ("PATH", "/usr/bin"),
        ("DISPLAY", ":99"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let kept = support::env::sanitize_outer_env(outer);
    let kept: Vec<&str> = kept.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kept, ["PATH", "DISPLAY"]);

    // And the child really sees only that environment.
    let out = support::run("sh", &["-c", "env"], &env);
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains(&format!("HOME={home_str}\n")), "{printed}");
    assert!(
        !printed.lines().any(|l| l.starts_with("AWS_PROFILE=")),
        "{printed}"
    );
}

#[test]
fn run_closes_stdin_and_captures_output() {
    let env = TestHome::new().env(None);
    let out = support::run("sh", &["-c", "cat; echo out; echo err >&2; exit 3"], &env);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(out.stdout, b"out\n");
    assert_eq!(out.stderr, b"err\n");
    let out = support::run_with_stdin("sh", &["-c", "tr a-z A-Z"], &env, b"abc");
    assert_eq!(out.stdout, b"ABC");
}

/// `"Key": "value"` from the aws CLI's JSON output.
fn json_string(json: &str, key: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).expect("aws CLI JSON");
    fn find(v: &serde_json::Value, key: &str) -> Option<String> {
        match v {
            serde_json::Value::Object(map) => map
                .get(key)
                .and_then(|x| x.as_str().map(str::to_string))
                .or_else(|| map.values().find_map(|x| find(x, key))),
            _ => None,
        }
    }
    find(&v, key).unwrap_or_else(|| panic!("{key} not in {json}"))
}

/// The Rust SDK's own HTTP client (a connection pool with keep-alive) works through the
/// recording proxy, which closes each connection after one exchange, and is counted exactly.
#[test]
fn rust_sdk_works_through_the_recording_proxy() {
    use aws_credential_types::Credentials;
    let moto = Moto::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let creds = Credentials::from_keys(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
        );
        let region = aws_sdk_sts::config::Region::new("eu-west-1");
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::Config::builder()
                .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
                .region(region.clone())
                .credentials_provider(creds.clone())
                .endpoint_url(moto.endpoint())
                .build(),
        );
        for _ in 0..3 {
            let out = sts
                .get_caller_identity()
                .send()
                .await
                .expect("GetCallerIdentity");
            assert_eq!(out.account(), Some("123456789012"));
        }
        let session = sts
            .get_session_token()
            .serial_number("arn:aws:iam::123456789012:mfa/jo")
            .token_code("654321")
            .duration_seconds(900)
            .send()
            .await
            .expect("GetSessionToken");
        assert!(session.credentials().is_some());

        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::Config::builder()
                .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
                .region(region)
                .credentials_provider(creds)
                .endpoint_url(moto.endpoint())
                .force_path_style(true)
                .build(),
        );
        moto.create_bucket("from-the-harness");
        let buckets = s3.list_buckets().send().await.expect("ListBuckets");
        let names: Vec<&str> = buckets.buckets().iter().filter_map(|b| b.name()).collect();
        assert_eq!(names, ["from-the-harness"]);
    });
    assert_eq!(moto.count("GetCallerIdentity"), 3);
    assert_eq!(moto.count("GetSessionToken"), 1);
    assert_eq!(moto.count("ListBuckets"), 1);
    assert_eq!(moto.requests().len(), 5, "no retries, nothing else");
    let gst = &moto.requests_for("GetSessionToken")[0];
    assert_eq!(gst.param("TokenCode").as_deref(), Some("654321"));
    assert!(moto.requests().iter().all(|r| r.status == Some(200)));
}

#[test]
fn shared_moto_is_started_once() {
    let a = Moto::shared();
    let b = Moto::shared();
    assert_eq!(a.port(), b.port());
    let (status, _) = a.direct_request("GET", "/moto-api/", &[], b"").unwrap();
    assert_eq!(status, 200);
}
