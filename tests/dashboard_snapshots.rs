//! The dashboard's screens, rendered from state with a fixed `now` on ratatui's
//! TestBackend and compared with insta snapshots.

use chrono::{DateTime, Duration, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use mfatui::profile::ProfileSet;
use mfatui::session::{Cache, Engine};
use mfatui::tui::action::{Action, Loaded};
use mfatui::tui::rows;
use mfatui::tui::state::{Sources, State};
use mfatui::tui::update::update;
use mfatui::tui::view;

const CONFIG: &str = "\
[profile jo]
region = eu-west-1
mfa_serial = arn:aws:iam::111122223333:mfa/jo

[profile admin]
role_arn = arn:aws:iam::444455556666:role/admin
source_profile = jo
region = eu-central-1

[profile ci-bot]
region = us-west-2

[profile team-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 777788889999
sso_role_name = ReadOnly

[profile tool]
credential_process = /usr/local/bin/get-creds
";

const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[ci-bot]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-03T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn state_with(config: &str, credentials: &str) -> State {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Cache::new(dir.path().to_path_buf()));
    let set = ProfileSet::from_strs(config, credentials);
    let mut state = State::new(Sources {
        config: "/home/jo/.aws/config".into(),
        credentials: "/home/jo/.aws/credentials".into(),
    });
    let loaded = Loaded {
        rows: rows::build(&set, &engine, now()),
        problems: set.problems.iter().map(ToString::to_string).collect(),
        select: None,
    };
    update(&mut state, Action::Loaded(loaded), now());
    state
}

fn screen(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| view::render(state, now(), frame))
        .unwrap();
    terminal.backend().to_string()
}

/// Local time depends on the machine's zone; the countdowns next to it do not.
fn assert_screen(name: &str, text: String) {
    insta::with_settings!({filters => vec![
        (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \([^)]*\)", "[local time]"),
    ]}, {
        insta::assert_snapshot!(name, text);
    });
}

fn press(state: &mut State, code: KeyCode) -> Vec<mfatui::tui::action::Effect> {
    update(
        state,
        Action::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        now(),
    )
}

#[test]
fn no_profiles_says_what_to_create() {
    let state = state_with("", "");
    let text = screen(&state, 90, 30);
    assert!(text.contains("No AWS profiles found"));
    assert!(text.contains("/home/jo/.aws/config"));
    assert_screen("empty", text);
}

#[test]
fn profiles_of_every_kind() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    state.rows[2].expires_at = Some(now() + Duration::seconds(11 * 3600 + 42 * 60 + 7));
    state.rows[0].expires_at = Some(now() + Duration::seconds(4 * 60 + 9));
    let text = screen(&state, 100, 28);
    for kind in ["mfa-user", "role", "keys", "sso", "process"] {
        assert!(text.contains(kind), "{kind} missing:\n{text}");
    }
    assert!(text.contains("11h 42m"), "{text}");
    assert!(text.contains("4m 09s"), "{text}");
    assert_screen("profiles", text);
}

#[test]
fn the_mfa_modal_over_the_dashboard() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    let jo = state.rows.iter().position(|r| r.name == "jo").unwrap();
    state.selected = jo;
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(effects.len(), 1, "Enter asks the runtime to log in");
    update(
        &mut state,
        Action::CodeNeeded {
            profile: "jo".into(),
            device: "arn:aws:iam::111122223333:mfa/jo".into(),
            durations: vec![43200, 3600],
            reuse: None,
        },
        now(),
    );
    for c in "12x34".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    let text = screen(&state, 100, 28);
    assert!(text.contains("MFA code for jo"), "{text}");
    assert!(text.contains("1 2 3 4 _ _"), "{text}");
    assert_screen("modal", text);
}

#[test]
fn a_tiny_terminal_says_so() {
    let state = state_with(CONFIG, CREDENTIALS);
    let text = screen(&state, 40, 8);
    assert!(text.contains("Terminal too small"), "{text}");
}

#[test]
fn the_help_overlay_lists_every_key() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    press(&mut state, KeyCode::Char('?'));
    let text = screen(&state, 100, 30);
    for (keys, _) in mfatui::tui::view::help_keys() {
        assert!(text.contains(keys), "{keys} missing:\n{text}");
    }
    assert_screen("help", text);
    press(&mut state, KeyCode::Esc);
    assert!(!state.show_help);
}

#[test]
fn the_filter_narrows_the_table() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    press(&mut state, KeyCode::Char('/'));
    for c in "TO".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    let text = screen(&state, 100, 28);
    assert!(
        text.contains("1 shown") && text.contains("tool"),
        "case-insensitive match:\n{text}"
    );
    assert_screen("filter", text);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.visible().len(), 5);
}

#[test]
fn checks_and_masked_exports_in_the_detail_pane() {
    use mfatui::aws::sts::Identity;
    use mfatui::session::Credentials;
    use mfatui::shell::export::ExportSet;
    use mfatui::tui::action::CheckOutput;
    use mfatui::tui::state::CheckKind;

    let mut state = state_with(CONFIG, CREDENTIALS);
    state.select_name("admin");
    let expires = now() + Duration::seconds(3000);
    let secret = "wJalrXUtnFEMI/K7MDENG/SESSIONSECRET";
    update(
        &mut state,
        Action::LoginFinished {
            profile: "admin".into(),
            result: Ok(mfatui::tui::action::LoginSuccess {
                expires_at: Some(expires),
                export: Some(ExportSet {
                    credentials: Credentials {
                        access_key_id: "ASIAEXAMPLEADMIN".into(),
                        secret_access_key: secret.into(),
                        session_token: Some("FwoGZXIvYXdzEXAMPLETOKEN".into()),
                        expiration: Some(expires),
                    },
                    region: Some("eu-central-1".into()),
                    profile: "admin".into(),
                }),
                notes: vec!["reused the MFA session of jo".into()],
                also_updated: vec![("jo".into(), expires)],
            }),
        },
        now(),
    );
    for (kind, output) in [
        (
            CheckKind::Identity,
            CheckOutput::Identity(Identity {
                arn: "arn:aws:sts::444455556666:assumed-role/admin/mfatui-jo".into(),
                account: "444455556666".into(),
                user_id: "AROAEXAMPLE:mfatui-jo".into(),
            }),
        ),
        (
            CheckKind::Buckets,
            CheckOutput::Buckets(vec!["logs".into(), "site".into(), "backups".into()]),
        ),
    ] {
        update(
            &mut state,
            Action::CheckFinished {
                profile: "admin".into(),
                kind,
                at: now(),
                result: Ok(output),
            },
            now(),
        );
    }
    let text = screen(&state, 110, 36);
    assert!(text.contains("assumed-role/admin"), "{text}");
    assert!(text.contains("3 buckets: logs, site, backups"), "{text}");
    assert!(
        text.contains("AWS_ACCESS_KEY_ID='ASIAEXAMPLEADMIN'"),
        "{text}"
    );
    assert!(
        !text.contains(secret) && !text.contains("EXAMPLETOKEN"),
        "secrets masked:\n{text}"
    );
    insta::with_settings!({filters => vec![
        (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \([^)]*\)", "[local time]"),
        (r"at \d\d:\d\d:\d\d", "at [local]"),
    ]}, {
        insta::assert_snapshot!("detail", text);
    });
}

#[test]
fn notices_when_a_session_nears_and_passes_expiry() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    state.rows[2].expires_at = Some(now() + Duration::seconds(16 * 60));
    update(&mut state, Action::Tick, now());
    assert!(
        state.status.is_none(),
        "nothing to say with 16 minutes left"
    );
    let later = now() + Duration::seconds(90);
    update(&mut state, Action::Tick, later);
    let status = state.status.clone().expect("a warning");
    assert!(
        status.text.contains("jo: session expires in 14m 30s"),
        "{status:?}"
    );
    state.status = None;
    update(&mut state, Action::Tick, later + Duration::seconds(1));
    assert!(state.status.is_none(), "the warning is given once");
    update(
        &mut state,
        Action::Tick,
        now() + Duration::seconds(16 * 60 - 30),
    );
    assert!(
        state
            .status
            .expect("expired")
            .text
            .contains("jo: session expired")
    );
}

#[test]
fn the_modal_while_sts_answers_and_after_a_rejection() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    state.select_name("jo");
    update(
        &mut state,
        Action::CodeNeeded {
            profile: "jo".into(),
            device: "arn:aws:iam::111122223333:mfa/jo".into(),
            durations: vec![43200, 3600],
            reuse: None,
        },
        now(),
    );
    for c in "123456".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [mfatui::tui::action::Effect::Login { code: Some(code), duration: Some(43200), .. }] if code == "123456"
    ));
    let text = screen(&state, 100, 28);
    assert!(text.contains("asking STS"), "{text}");
    assert_screen("modal_busy", text);
    update(
        &mut state,
        Action::LoginFinished {
            profile: "jo".into(),
            result: Err(mfatui::tui::action::LoginFailure::Code(
                "the code was rejected; check the device's clock or wait for the next code".into(),
            )),
        },
        now(),
    );
    let text = screen(&state, 100, 28);
    assert!(text.contains("the code was rejected"), "{text}");
    assert!(text.contains("_ _ _ _ _ _"), "{text}");
    assert_screen("modal_rejected", text);
}

#[test]
fn a_tiny_terminal_snapshot() {
    let state = state_with(CONFIG, CREDENTIALS);
    assert_screen("too_small", screen(&state, 40, 8));
}

#[test]
fn moving_through_a_long_list() {
    let config: String = (0..50)
        .map(|i| format!("[profile p{i:02}]\nregion = eu-west-1\n"))
        .collect();
    let mut state = state_with(&config, "");
    press(&mut state, KeyCode::PageDown);
    assert_eq!(state.selected_row().unwrap().name, "p10");
    press(&mut state, KeyCode::Char('G'));
    assert_eq!(state.selected_row().unwrap().name, "p49");
    press(&mut state, KeyCode::PageUp);
    assert_eq!(state.selected_row().unwrap().name, "p39");
    press(&mut state, KeyCode::Char('k'));
    assert_eq!(state.selected_row().unwrap().name, "p38");
    press(&mut state, KeyCode::Char('g'));
    assert_eq!(state.selected_row().unwrap().name, "p00");
    press(&mut state, KeyCode::Up);
    assert_eq!(state.selected_row().unwrap().name, "p00");
    let text = screen(&state, 100, 30);
    assert!(text.contains("p00") && !text.contains("p49"), "{text}");
    press(&mut state, KeyCode::Char('G'));
    let text = screen(&state, 100, 30);
    assert!(text.contains("p49"), "the selection stays visible:\n{text}");
}

#[test]
fn file_problems_are_counted_in_the_header_and_listed_in_the_help() {
    let config =
        format!("{CONFIG}\n[profile half\nregion = x\n\n[profile ok-after]\nregion = eu-west-1\n");
    let mut state = state_with(&config, CREDENTIALS);
    assert!(
        state.rows.iter().any(|r| r.name == "ok-after"),
        "later profiles still load"
    );
    let text = screen(&state, 100, 30);
    assert!(text.contains("1 problem in the files"), "{text}");
    press(&mut state, KeyCode::Char('?'));
    let text = screen(&state, 100, 40);
    assert!(text.contains("config:"), "the line is named:\n{text}");
    assert_screen("help_with_problems", text);
}

#[test]
fn the_filter_keeps_the_selection_and_says_when_nothing_matches() {
    let mut state = state_with(CONFIG, CREDENTIALS);
    state.select_name("jo");
    press(&mut state, KeyCode::Char('/'));
    assert_eq!(
        state.selected_row().unwrap().name,
        "jo",
        "/ alone moves nothing"
    );
    press(&mut state, KeyCode::Char('o'));
    assert_eq!(
        state.selected_row().unwrap().name,
        "jo",
        "still shown, still selected"
    );
    for c in "zz".chars() {
        press(&mut state, KeyCode::Char(c));
    }
    assert!(state.selected_row().is_none());
    let text = screen(&state, 100, 28);
    assert!(text.contains("no profile matches \"ozz\""), "{text}");
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.visible().len(), 5);
}
