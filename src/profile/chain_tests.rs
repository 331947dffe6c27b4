//! Chains, problems and suggestions on small realistic setups (unit tests of the whole
//! profile room, kept apart from chain.rs to keep that file short).

use super::{Base, ChainError, Kind, ProfileSet};

fn set(config: &str, credentials: &str) -> ProfileSet {
    ProfileSet::from_strs(config, credentials)
}

// --- chains ---

const KEYS: &str = "aws_access_key_id = AKIA\naws_secret_access_key = SECRET\n";

#[test]
fn role_defined_only_in_the_credentials_file_resolves() {
    let credentials = format!(
        "[base]\n{KEYS}mfa_serial = arn:aws:iam::111122223333:mfa/jo\n\
                               [admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = base\n"
    );
    let s = set("", &credentials);
    let chain = s.resolve("admin").unwrap();
    assert_eq!(chain.names, vec!["admin", "base"]);
    assert_eq!(chain.hops.len(), 1);
    assert_eq!(
        chain.mfa_serial.as_deref(),
        Some("arn:aws:iam::111122223333:mfa/jo")
    );
    assert_eq!(s.get("admin").unwrap().kind(), Kind::Role);
    assert_eq!(s.get("base").unwrap().kind(), Kind::MfaUser);
}

#[test]
fn own_mfa_serial_wins_over_inherited() {
    let config = "[profile r1]\nrole_arn = arn:aws:iam::111122223333:role/A\nsource_profile = r2\n\
                  mfa_serial = arn:aws:iam::111122223333:mfa/own\n\
                  [profile r2]\nrole_arn = arn:aws:iam::111122223333:role/B\nsource_profile = u\n";
    let credentials = format!("[u]\n{KEYS}mfa_serial = arn:aws:iam::111122223333:mfa/user\n");
    let s = set(config, &credentials);
    let r1 = s.resolve("r1").unwrap();
    assert_eq!(
        r1.mfa_serial.as_deref(),
        Some("arn:aws:iam::111122223333:mfa/own")
    );
    assert_eq!(
        r1.hops
            .iter()
            .map(|h| h.profile.as_str())
            .collect::<Vec<_>>(),
        vec!["r2", "r1"]
    );
    assert_eq!(
        s.resolve("r2").unwrap().mfa_serial.as_deref(),
        Some("arn:aws:iam::111122223333:mfa/user")
    );
}

#[test]
fn self_reference_with_keys_is_keys_then_role_not_a_loop() {
    let s = set(
        "",
        &format!("[me]\n{KEYS}role_arn = arn:aws:iam::111122223333:role/A\nsource_profile = me\n"),
    );
    let chain = s.resolve("me").unwrap();
    assert_eq!(chain.names, vec!["me"]);
    assert!(matches!(chain.base, Base::Keys { ref profile, .. } if profile == "me"));
    assert_eq!(chain.hops.len(), 1);
    assert!(s.profile_problems("me").is_empty());
}

#[test]
fn loop_names_every_visited_profile() {
    let role = |n: &str, src: &str| {
        format!(
            "[profile {n}]\nrole_arn = arn:aws:iam::111122223333:role/{n}\nsource_profile = {src}\n"
        )
    };
    let s = set(
        &[
            role("a", "b"),
            role("b", "c"),
            role("c", "a"),
            role("x", "a"),
        ]
        .concat(),
        "",
    );
    let e = s.resolve("a").unwrap_err();
    assert_eq!(e.to_string(), "source_profile loop: a -> b -> c -> a");
    assert_eq!(
        s.resolve("x").unwrap_err().to_string(),
        "source_profile loop: x -> a -> b -> c -> a"
    );
    assert_eq!(
        s.profile_problems("b"),
        vec!["source_profile loop: b -> c -> a -> b"]
    );
}

#[test]
fn credential_source_ends_the_chain() {
    let s = set(
        "[profile ec2]\nrole_arn = arn:aws:iam::111122223333:role/A\ncredential_source = Ec2InstanceMetadata\n",
        "",
    );
    let chain = s.resolve("ec2").unwrap();
    assert!(
        matches!(chain.base, Base::CredentialSource { ref source, .. } if source == "Ec2InstanceMetadata")
    );
    let s = set(
        "[profile bad]\nrole_arn = arn:aws:iam::111122223333:role/A\ncredential_source = Ec2\n",
        "",
    );
    assert!(matches!(
        s.resolve("bad"),
        Err(ChainError::UnknownCredentialSource { .. })
    ));
}

#[test]
fn unknown_profile_and_source_suggest_a_close_name() {
    let s = set(
        "[profile staging]\nrole_arn = arn:aws:iam::111122223333:role/A\nsource_profile = prdo\n",
        &format!("[prod]\n{KEYS}"),
    );
    assert_eq!(
        s.resolve("stagign").unwrap_err().to_string(),
        "profile stagign not found (did you mean staging?)"
    );
    assert_eq!(
        s.resolve("staging").unwrap_err().to_string(),
        "profile staging names source_profile prdo, which does not exist (did you mean prod?)"
    );
    assert_eq!(s.suggest("nothing-like-it"), None);
}

// --- problems ---

#[test]
fn problems_in_plain_words() {
    let config = "[profile lonely]\nrole_arn = arn:aws:iam::111122223333:role/A\n\
                  [profile badarn]\nrole_arn = arn:aws:iam::1234:role/A\nsource_profile = u\n\
                  [profile long]\nrole_arn = arn:aws:iam::111122223333:role/A\nsource_profile = u\nduration_seconds = 86400\n\
                  [profile mfa]\nmfa_serial = 123456\nduration_seconds = 12h\n";
    let credentials = format!("[u]\n{KEYS}[half]\naws_access_key_id = A\n[mfa]\n{KEYS}");
    let s = set(config, &credentials);
    let p = |n: &str| s.profile_problems(n).join(" | ");
    assert_eq!(
        p("lonely"),
        "profile lonely has role_arn but neither source_profile nor credential_source"
    );
    assert!(p("badarn").contains("role_arn arn:aws:iam::1234:role/A does not look like"));
    assert!(p("long").contains(
        "duration_seconds = 86400 is out of range for a role (AssumeRole): 900 to 43200"
    ));
    assert!(p("mfa").contains("mfa_serial 123456 does not look like"));
    assert!(p("mfa").contains("duration_seconds = 12h is not a whole number"));
    assert_eq!(
        p("half"),
        "profile half has aws_access_key_id but no aws_secret_access_key"
    );
    assert_eq!(p("u"), "");
    assert_eq!(p("nope"), "profile nope not found");
}

#[test]
fn mfa_user_duration_allows_up_to_36_hours() {
    let s = set(
        "",
        &format!(
            "[m]\n{KEYS}mfa_serial = GAHT12345678\nduration_seconds = 129600\n[n]\n{KEYS}duration_seconds = 129601\n"
        ),
    );
    assert!(s.profile_problems("m").is_empty());
    assert!(s.profile_problems("n")[0].contains("900 to 129600"));
}

#[test]
fn missing_region_is_a_note_not_a_problem() {
    let s = set(
        "[profile r]\nregion = eu-west-1\n",
        &format!("[r]\n{KEYS}[n]\n{KEYS}"),
    );
    assert_eq!(s.region_note("r"), None);
    assert_eq!(
        s.region_note("n").as_deref(),
        Some("profile n has no region; us-east-1 will be used")
    );
    assert!(s.profile_problems("n").is_empty());
}

#[test]
fn kinds() {
    let config = "[profile sso]\nsso_session = s\nsso_account_id = 111122223333\nsso_role_name = R\n\
                  [sso-session s]\nsso_region = eu-west-1\nsso_start_url = https://x.awsapps.com/start\n\
                  [profile proc]\ncredential_process = /bin/creds --flag\n[profile other]\nregion = x\n";
    let s = set(config, &format!("[keys]\n{KEYS}"));
    let kind = |n: &str| s.get(n).unwrap().kind();
    assert_eq!(
        [kind("sso"), kind("proc"), kind("other"), kind("keys")],
        [Kind::Sso, Kind::Process, Kind::Other, Kind::Keys]
    );
    assert!(matches!(s.resolve("sso").unwrap().base, Base::Sso { .. }));
    assert!(matches!(
        s.resolve("proc").unwrap().base,
        Base::Process { .. }
    ));
    assert!(matches!(
        s.resolve("other"),
        Err(ChainError::NoCredentials { .. })
    ));
}

#[test]
fn debug_output_masks_secrets() {
    let s = set(
        "",
        "[k]\naws_access_key_id = AKIAVISIBLE\naws_secret_access_key = TOPSECRET\naws_session_token = TOKENSECRET\n",
    );
    let shown = format!(
        "{s:?} {:?} {:?}",
        s.get("k").unwrap(),
        s.resolve("k").unwrap()
    );
    assert!(shown.contains("AKIAVISIBLE"));
    assert!(
        !shown.contains("TOPSECRET") && !shown.contains("TOKENSECRET"),
        "{shown}"
    );
}

#[test]
fn debug_output_redacts_process_arguments() {
    let s = set(
        "[profile p]\ncredential_process = /bin/creds --token SECRETARG\n",
        "",
    );
    let shown = format!("{:?}", s.resolve("p").unwrap());
    assert!(
        shown.contains("/bin/creds ** arguments redacted **"),
        "{shown}"
    );
    assert!(!shown.contains("SECRETARG"));
}
