//! The engine's plan without the network: when a code is needed, which cached sessions are
//! reused, and the checks made before anything is sent.

use chrono::{Duration, Utc};

use super::*;
use crate::profile::ProfileSet;

const CONFIG: &str = "\
[profile jo]
mfa_serial = arn:aws:iam::123456789012:mfa/jo
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo
[profile deep]
role_arn = arn:aws:iam::123456789012:role/deep
source_profile = admin
[profile long]
role_arn = arn:aws:iam::123456789012:role/long
source_profile = jo
duration_seconds = 7200
[profile open]
role_arn = arn:aws:iam::123456789012:role/open
source_profile = plain
[profile sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Admin
";
const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIA1
aws_secret_access_key = s
[plain]
aws_access_key_id = AKIA2
aws_secret_access_key = s
";

fn setup() -> (tempfile::TempDir, Engine, ProfileSet) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(Cache::new(dir.path().to_path_buf()));
    (dir, engine, ProfileSet::from_strs(CONFIG, CREDENTIALS))
}

fn req(set: &ProfileSet, name: &str) -> LoginRequest {
    LoginRequest::for_profile(set, name).unwrap()
}

fn session(seconds: i64) -> Credentials {
    Credentials {
        access_key_id: "ASIA".into(),
        secret_access_key: "s".into(),
        session_token: Some("t".into()),
        expiration: Some(Utc::now() + Duration::seconds(seconds)),
    }
}

#[test]
fn an_mfa_user_needs_a_code_unless_one_is_supplied_or_its_session_lives() {
    let (_dir, engine, set) = setup();
    let now = Utc::now();
    let mut jo = req(&set, "jo");
    assert!(engine.needs_code(&jo, now));
    jo.code = Some("123456".into());
    assert!(!engine.needs_code(&jo, now));
    jo.code = None;
    jo.mfa_process = Some("echo 123456".into());
    assert!(!engine.needs_code(&jo, now), "mfa_process supplies it");
    jo.mfa_process = None;
    let key = Engine::mfa_key(&jo.chain).unwrap();
    engine.cache.store(&key, &session(3600)).unwrap();
    assert!(!engine.needs_code(&jo, now));
    jo.force = true;
    assert!(
        engine.needs_code(&jo, now),
        "renewing an MFA session takes a code"
    );
    // Inside the safety margin the session counts as gone.
    engine.cache.store(&key, &session(59)).unwrap();
    jo.force = false;
    assert!(engine.needs_code(&jo, now));
}

#[test]
fn roles_reuse_the_mfa_session_unless_they_ask_for_more_than_an_hour() {
    let (_dir, engine, set) = setup();
    let now = Utc::now();
    let admin = req(&set, "admin");
    assert!(engine.needs_code(&admin, now));
    let key = Engine::mfa_key(&admin.chain).unwrap();
    assert_eq!(key.profile, "jo");
    engine.cache.store(&key, &session(3600)).unwrap();
    assert!(!engine.needs_code(&admin, now));
    let mut renew = admin.clone();
    renew.force = true;
    assert!(
        !engine.needs_code(&renew, now),
        "renewing a role reuses the MFA session"
    );
    // Over an hour: straight from the keys with the code, even with a live MFA session.
    assert!(engine.needs_code(&req(&set, "long"), now));
    let mut short = req(&set, "long");
    short.duration_seconds = Some(3600);
    assert!(!engine.needs_code(&short, now));
    // A chain of two roles is capped anyway: it reuses the MFA session.
    let mut deep = req(&set, "deep");
    deep.duration_seconds = Some(7200);
    assert!(!engine.needs_code(&deep, now));
}

#[test]
fn a_live_intermediate_hop_is_resumed_and_each_hop_is_checked() {
    let (_dir, engine, set) = setup();
    let now = Utc::now();
    let deep = req(&set, "deep");
    assert!(engine.needs_code(&deep, now));
    let admin_key = Engine::hop_key(&deep.chain, 0);
    engine.cache.store(&admin_key, &session(3600)).unwrap();
    assert!(
        !engine.needs_code(&deep, now),
        "resumes from admin's session"
    );
    engine.cache.store(&admin_key, &session(30)).unwrap();
    assert!(
        engine.needs_code(&deep, now),
        "admin's session is inside the margin"
    );
    // The final hop's session is the profile's own.
    assert_eq!(Engine::final_key(&deep.chain).unwrap().profile, "deep");
}

#[test]
fn roles_without_a_device_need_no_code_and_plain_keys_have_nothing_to_get() {
    let (_dir, engine, set) = setup();
    let now = Utc::now();
    assert!(!engine.needs_code(&req(&set, "open"), now));
    assert!(engine.preflight(&req(&set, "open"), now).is_ok());
    let sso = engine.preflight(&req(&set, "sso"), now).unwrap_err();
    assert!(
        sso.to_string().contains("aws sso login --profile sso"),
        "{sso}"
    );
    let set = ProfileSet::from_strs(
        "",
        "[plain]\naws_access_key_id = A\naws_secret_access_key = s\n",
    );
    let err = engine.preflight(&req(&set, "plain"), now).unwrap_err();
    assert!(matches!(err, LoginError::NothingToGet { .. }), "{err}");
}

#[test]
fn durations_are_checked_before_anything_is_asked() {
    let (_dir, engine, set) = setup();
    let now = Utc::now();
    let mut jo = req(&set, "jo");
    jo.duration_seconds = Some(600);
    let err = engine.preflight(&jo, now).unwrap_err();
    assert_eq!(
        err.to_string(),
        "an MFA session (GetSessionToken): AWS accepts 900 to 129600 s; 600 s was asked; 900 s will work"
    );
    let mut admin = req(&set, "admin");
    admin.duration_seconds = Some(50_000);
    assert!(
        engine
            .preflight(&admin, now)
            .unwrap_err()
            .to_string()
            .contains("43200 s will work")
    );
}

#[test]
fn forget_removes_the_whole_chain() {
    let (_dir, engine, set) = setup();
    let deep = req(&set, "deep");
    for key in [
        Engine::hop_key(&deep.chain, 0),
        Engine::hop_key(&deep.chain, 1),
        Engine::mfa_key(&deep.chain).unwrap(),
    ] {
        engine.cache.store(&key, &session(3600)).unwrap();
    }
    assert!(engine.forget(&deep.chain).unwrap());
    assert!(engine.needs_code(&deep, Utc::now()));
    assert!(!engine.forget(&deep.chain).unwrap());
}
