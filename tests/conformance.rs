//! The AWS SDKs' cross-SDK conformance suites, every case by name.
//!
//! Each test runs all cases of one file, collects the failures with the case name, and fails
//! once at the end, so one broken rule shows every case it breaks. Run with `--nocapture` to
//! see the counts.
//!
//! The JSON files are looked up in $MFATUI_CONFORMANCE_DIR, else tests/conformance/, else
//! ../shared/conformance/ (next to the crate).

use std::collections::BTreeMap;
use std::path::PathBuf;

use mfatui::profile::location::{Platform, selected_profile};
use mfatui::profile::{Base, Chain, ChainError, Locations, ProfileSet};
use serde_json::{Map, Value, json};

fn load(file: &str) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        std::env::var_os("MFATUI_CONFORMANCE_DIR").map(PathBuf::from),
        Some(root.join("tests/conformance")),
        Some(root.join("../shared/conformance")),
    ];
    let path = dirs
        .into_iter()
        .flatten()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{file} not found; set MFATUI_CONFORMANCE_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn report(file: &str, total: usize, failures: Vec<String>, notes: &[String]) {
    let by_design = match notes.len() {
        0 => String::new(),
        n => format!(" ({n} of them by answering Unsupported)"),
    };
    println!(
        "{file}: {}/{total} cases passed{by_design}",
        total - failures.len()
    );
    for note in notes {
        println!("  {note}");
    }
    assert!(
        failures.is_empty(),
        "{file}: {} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn props(v: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

#[test]
fn profile_parser_tests() {
    let suite = load("profile-parser-tests.json");
    let cases = suite["tests"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let text = |k: &str| case["input"][k].as_str().unwrap_or("").to_string();
        let (config, credentials) = (text("configFile"), text("credentialsFile"));
        let strict = ProfileSet::try_from_strs(&config, &credentials);
        let output = &case["output"];
        if let Some(wanted) = output["errorContaining"].as_str() {
            let lenient = ProfileSet::from_strs(&config, &credentials);
            match strict {
                Ok(_) => failures.push(format!("{name}: parsed, expected error `{wanted}`")),
                Err(e) if !e.message.contains(wanted) => {
                    failures.push(format!("{name}: error `{e}` lacks `{wanted}`"))
                }
                Err(_) if !lenient.problems.iter().any(|p| p.message.contains(wanted)) => {
                    failures.push(format!("{name}: lenient load did not report `{wanted}`"))
                }
                Err(_) => {}
            }
            continue;
        }
        let set = match strict {
            Ok(set) => set,
            Err(e) => {
                failures.push(format!("{name}: unexpected error {e}"));
                continue;
            }
        };
        let got: BTreeMap<_, _> = set
            .iter()
            .map(|p| (p.name.clone(), p.properties.clone()))
            .collect();
        let wanted = props(&output["config"]["profiles"]);
        if got != wanted {
            failures.push(format!("{name}: profiles {got:?}, expected {wanted:?}"));
        }
        if let Some(sessions) = output["config"].get("sso_sessions") {
            let got: BTreeMap<_, _> = set
                .sso_sessions()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            if got != props(sessions) {
                failures.push(format!("{name}: sso_sessions {got:?}, expected {sessions}"));
            }
        }
    }
    report("profile-parser-tests.json", cases.len(), failures, &[]);
}

#[test]
fn file_location_tests() {
    let suite = load("file-location-tests.json");
    let cases = suite["tests"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let vars: BTreeMap<String, String> =
            serde_json::from_value(case["environment"].clone()).unwrap();
        let env = |k: &str| vars.get(k).cloned();
        let platform = match case["platform"].as_str() {
            Some("windows") => Platform::Windows,
            _ => Platform::Unix,
        };
        let got = Locations::resolve_for(None, None, env, platform);
        let path = |k: &str| PathBuf::from(case[k].as_str().unwrap());
        if got.config != path("configLocation") || got.credentials != path("credentialsLocation") {
            failures.push(format!("{name}: got {got:?}"));
        }
        if let Some(wanted) = case["profile"].as_str() {
            let got = selected_profile(None, env);
            if got != wanted {
                failures.push(format!("{name}: selected profile {got}, expected {wanted}"));
            }
        }
    }
    report("file-location-tests.json", cases.len(), failures, &[]);
}

/// The chain in the suite's notation, base first.
fn as_suite_chain(set: &ProfileSet, chain: &Chain) -> Vec<Value> {
    let profile = set.get(chain.base.profile()).unwrap();
    let mut fields = Map::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            fields.insert(k.to_string(), json!(v));
        }
    };
    let base = match &chain.base {
        Base::Keys { keys, .. } => {
            put("access_key_id", Some(&keys.access_key_id));
            put("secret_access_key", Some(&keys.secret_access_key));
            put("session_token", keys.session_token.as_deref());
            put("account_id", profile.get("aws_account_id"));
            json!({ "AccessKey": fields })
        }
        Base::CredentialSource { source, .. } => json!({ "NamedSource": source }),
        Base::Sso { .. } => {
            let session = profile.get("sso_session").and_then(|s| set.sso_session(s));
            let from_session = |k: &str| session.and_then(|s| s.get(k)).map(String::as_str);
            for k in ["sso_account_id", "sso_role_name", "sso_session"] {
                put(k, profile.get(k));
            }
            for k in ["sso_region", "sso_start_url"] {
                put(k, profile.get(k).or_else(|| from_session(k)));
            }
            json!({ "Sso": fields })
        }
        Base::Process { command, .. } => json!({ "CredentialProcess": command }),
    };
    let hops = chain.hops.iter().map(|h| {
        let mut role = Map::new();
        role.insert("role_arn".into(), json!(h.role_arn));
        if let Some(v) = &h.role_session_name {
            role.insert("role_session_name".into(), json!(v));
        }
        if let Some(v) = &h.external_id {
            role.insert("external_id".into(), json!(v));
        }
        json!({ "AssumeRole": role })
    });
    std::iter::once(base).chain(hops).collect()
}

/// Which of our errors stands for the SDK's error text.
fn matches_sdk_error(sdk: &str, ours: &ChainError) -> bool {
    use ChainError::*;
    match ours {
        Loop(_) => sdk.contains("infinite loop"),
        UnknownSource { .. } => sdk.contains("could not find source profile"),
        UnknownProfile { .. } => sdk.contains("No profiles were defined"),
        NoCredentials { .. } => sdk.contains("did not contain credential information"),
        MissingKey { missing, .. } => sdk.contains(&format!("missing {missing}")),
        RoleWithoutSource { .. } => sdk.contains("must contain `source_profile`"),
        BothSources { .. } => sdk.contains("both source_profile and credential_source"),
        UnknownSsoSession { session, .. } => {
            sdk.contains(&format!("sso-session named `{session}`"))
        }
        // Every setting the SDK names in `backticks` must be named in ours too.
        Invalid { message, .. } => sdk
            .split('`')
            .skip(1)
            .step_by(2)
            .all(|k| message.contains(k)),
        UnknownCredentialSource { .. } | Unsupported { .. } => false,
    }
}

/// Providers the suite expects that mfatui deliberately does not build.
const NOT_BUILT: &[&str] = &["WebIdentityToken"];

#[test]
fn assume_role_tests() {
    let suite = load("assume-role-tests.json");
    let cases = suite.as_array().unwrap();
    let (mut failures, mut notes) = (Vec::new(), Vec::new());
    for case in cases {
        let name = case["docs"].as_str().unwrap();
        let input = &case["input"];
        let set = ProfileSet::from_maps(props(&input["profiles"]), props(&input["sso_sessions"]));
        let got = set.resolve(input["selected_profile"].as_str().unwrap());
        let output = &case["output"];
        if let Some(sdk_error) = output["Error"].as_str() {
            match got {
                Ok(chain) => failures.push(format!("{name}: got {chain:?}, expected {sdk_error}")),
                Err(e) if !matches_sdk_error(sdk_error, &e) => {
                    failures.push(format!("{name}: error `{e}` does not match `{sdk_error}`"))
                }
                Err(_) => {}
            }
            continue;
        }
        let wanted = output["ProfileChain"].as_array().unwrap();
        let unbuilt = wanted
            .iter()
            .any(|p| NOT_BUILT.iter().any(|k| p.get(k).is_some()));
        match got {
            Ok(chain) => {
                let got = as_suite_chain(&set, &chain);
                if got != *wanted {
                    failures.push(format!("{name}: chain {got:?}, expected {wanted:?}"));
                }
            }
            Err(e @ ChainError::Unsupported { .. }) if unbuilt => {
                notes.push(format!("unsupported by design: {name}: {e}"));
            }
            Err(e) => failures.push(format!("{name}: error `{e}`, expected {wanted:?}")),
        }
    }
    report("assume-role-tests.json", cases.len(), failures, &notes);
}
