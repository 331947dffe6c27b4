//! `mfatui list`: every kind, problems in words, the region a profile without one gets,
//! and the JSON schema of DESIGN.md.

mod support;

use serde_json::Value;
use support::{TestHome, env_set, mfatui_bin, run};

const CONFIG: &str = "\
[profile jo]
region = eu-west-1
mfa_serial = arn:aws:iam::123456789012:mfa/jo

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo

[profile broken]
role_arn = not-an-arn
source_profile = ghost

[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = loop-a

[profile team]
sso_session = corp
sso_account_id = 777788889999
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile tool]
credential_process = /bin/true

[profile bad name]
region = eu-west-1
";

const CREDENTIALS: &str = "\
[jo]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[ci]
aws_access_key_id = AKIAI44QH8DHBEXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
";

fn home() -> TestHome {
    let home = TestHome::new();
    home.write_config(CONFIG);
    home.write_credentials(CREDENTIALS);
    home
}

#[test]
fn json_has_every_field_for_every_kind() {
    let home = home();
    let out = run(mfatui_bin(), &["list", "--json"], &home.env(None));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    let by_name = |name: &str| {
        items
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    for item in &items {
        for key in [
            "name",
            "kind",
            "region",
            "mfa_serial",
            "role_arn",
            "source_profile",
            "chain",
            "session",
            "problems",
        ] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
        assert!(item["session"]["state"].is_string());
    }
    let kinds: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["name"].as_str().unwrap(), i["kind"].as_str().unwrap()))
        .collect();
    for expected in [
        ("jo", "mfa-user"),
        ("admin", "role"),
        ("ci", "keys"),
        ("team", "sso"),
        ("tool", "process"),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
    let admin = by_name("admin");
    assert_eq!(admin["chain"], serde_json::json!(["admin", "jo"]));
    assert_eq!(
        admin["mfa_serial"], "arn:aws:iam::123456789012:mfa/jo",
        "inherited from jo"
    );
    assert_eq!(admin["region"], Value::Null);
    assert_eq!(admin["region_used"], "us-east-1");
    assert!(admin["problems"].as_array().unwrap().is_empty());
    let broken = by_name("broken");
    let problems = broken["problems"].to_string();
    assert!(problems.contains("ghost"), "{problems}");
    assert!(problems.contains("not-an-arn"), "{problems}");
    let looped = by_name("loop-a")["problems"].to_string();
    assert!(looped.contains("loop-a -> loop-b -> loop-a"), "{looped}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad name"),
        "the ignored section is reported: {stderr}"
    );
}

#[test]
fn the_table_names_problems_and_the_region_used() {
    let home = home();
    let mut env = home.env(None);
    env_set(&mut env, "AWS_REGION", "ap-south-1");
    let out = run(mfatui_bin(), &["list"], &env);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let admin = text
        .lines()
        .find(|l| l.starts_with("admin "))
        .expect("admin row");
    assert!(admin.contains("(ap-south-1)"), "{admin}");
    assert!(
        text.contains("broken: profile broken names source_profile ghost"),
        "{text}"
    );
}

#[test]
fn the_dashboard_refuses_an_unknown_profile_with_a_suggestion() {
    let home = home();
    let out = run(mfatui_bin(), &["--profile", "amdin"], &home.env(None));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("profile amdin not found (did you mean admin?)"),
        "{stderr}"
    );

    let mut env = home.env(None);
    env_set(&mut env, "AWS_PROFILE", "jo2");
    let out = run(mfatui_bin(), &[], &env);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("profile jo2 not found (did you mean jo?)"),
        "{stderr}"
    );
}
