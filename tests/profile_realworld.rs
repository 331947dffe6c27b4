//! Real-world ~/.aws files: what people actually write, beyond the conformance suite.

use std::fs;
use std::path::Path;

use mfatui::profile::{Locations, ProfileSet};

fn set(config: &str, credentials: &str) -> ProfileSet {
    ProfileSet::from_strs(config, credentials)
}

fn value<'a>(set: &'a ProfileSet, profile: &str, key: &str) -> Option<&'a str> {
    set.get(profile)?.properties.get(key).map(String::as_str)
}

fn locations(dir: &Path) -> Locations {
    Locations {
        config: dir.join("config"),
        credentials: dir.join("credentials"),
    }
}

// --- parsing ---

#[test]
fn utf8_bom_is_skipped() {
    let s = set(
        "\u{feff}[default]\nregion = eu-west-1\n",
        "\u{feff}[default]\naws_access_key_id = A\n",
    );
    assert_eq!(value(&s, "default", "region"), Some("eu-west-1"));
    assert_eq!(value(&s, "default", "aws_access_key_id"), Some("A"));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn crlf_line_endings_leave_no_carriage_returns() {
    let s = set(
        "[profile a]\r\nregion = x\r\ns3 =\r\n  max_concurrent_requests = 10\r\n",
        "",
    );
    assert_eq!(value(&s, "a", "region"), Some("x"));
    assert_eq!(value(&s, "a", "s3"), Some("\nmax_concurrent_requests = 10"));
    let sub = s.get("a").unwrap().sub_properties("s3");
    assert_eq!(sub, vec![("max_concurrent_requests".into(), "10".into())]);
}

#[test]
fn spaces_inside_the_header_are_trimmed() {
    let s = set(
        "[profile    wide]\nregion = a\n[  profile\ttabbed  ]\nregion = b\n",
        "[  spaced  ]\nregion = c\n",
    );
    assert_eq!(value(&s, "wide", "region"), Some("a"));
    assert_eq!(value(&s, "tabbed", "region"), Some("b"));
    assert_eq!(value(&s, "spaced", "region"), Some("c"));
}

#[test]
fn odd_but_valid_names_load() {
    let names = [
        "team.prod",
        "org/admin",
        "jo@example.com",
        "a+b",
        "acct:123",
        "50%",
    ];
    let config: String = names
        .iter()
        .map(|n| format!("[profile {n}]\nregion = x\n"))
        .collect();
    let s = set(&config, "");
    for n in names {
        assert!(s.get(n).is_some(), "{n} missing");
    }
    assert!(s.problems.is_empty());
}

#[test]
fn names_with_spaces_are_ignored_as_the_sdks_do_and_reported_with_their_line() {
    let s = set(
        "[profile ok]\n[profile my admin]\nregion = x\n",
        "[my keys]\naws_access_key_id = A\n",
    );
    assert_eq!(s.names().collect::<Vec<_>>(), vec!["ok"]);
    let shown: Vec<String> = s.problems.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].starts_with("config:2: section [profile my admin] ignored"),
        "{shown:?}"
    );
    assert!(
        shown[1].starts_with("credentials:1: section [my keys] ignored"),
        "{shown:?}"
    );
}

#[test]
fn inline_comments_need_whitespace_before_them() {
    let config = "[profile a]\nregion = eu-west-1 # note\noutput = json ; note\n\
                  endpoint_url = https://example.com/#x\nexternal_id = abc;def\n";
    let s = set(config, "");
    assert_eq!(value(&s, "a", "region"), Some("eu-west-1"));
    assert_eq!(value(&s, "a", "output"), Some("json"));
    assert_eq!(
        value(&s, "a", "endpoint_url"),
        Some("https://example.com/#x")
    );
    assert_eq!(value(&s, "a", "external_id"), Some("abc;def"));
}

#[test]
fn wrong_prefix_per_file_is_explained() {
    let s = set(
        "[bare]\nregion = x\n",
        "[profile keyed]\naws_access_key_id = A\n",
    );
    assert!(s.is_empty());
    assert!(s.problems[0].message.contains("[profile bare]"));
    assert!(s.problems[1].message.contains("without `profile`"));
}

#[test]
fn profile_default_hides_plain_default_with_a_warning() {
    let s = set(
        "[default]\nregion = a\n[profile default]\noutput = json\n",
        "",
    );
    assert_eq!(value(&s, "default", "region"), None);
    assert_eq!(value(&s, "default", "output"), Some("json"));
    assert_eq!(s.problems[0].line, Some(1));
}

#[test]
fn credentials_win_property_by_property() {
    let s = set(
        "[profile a]\nregion = x\naws_access_key_id = OLD\n",
        "[a]\naws_access_key_id = NEW\n",
    );
    assert_eq!(value(&s, "a", "aws_access_key_id"), Some("NEW"));
    assert_eq!(value(&s, "a", "region"), Some("x"));
}

// --- loading files ---

#[test]
fn syntax_error_reports_file_and_line_and_other_profiles_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let config = "[profile good]\nregion = x\n[profile broken\nregion = y\n[profile after]\nkey : value\nregion = z\n";
    fs::write(dir.path().join("config"), config).unwrap();
    let s = ProfileSet::load(&locations(dir.path()));
    assert_eq!(s.names().collect::<Vec<_>>(), vec!["after", "good"]);
    assert_eq!(value(&s, "after", "region"), Some("z"));
    let path = dir.path().join("config");
    let shown: Vec<String> = s.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with(&format!(
        "{}:3: Profile definition must end with ']'",
        path.display()
    )));
    assert!(shown[1].starts_with(&format!("{}:6: Expected an '=' sign", path.display())));
    assert!(ProfileSet::try_from_strs(config, "").is_err());
}

#[test]
fn missing_files_are_an_empty_state_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let s = ProfileSet::load(&locations(dir.path()));
    assert!(s.is_empty() && s.problems.is_empty());
    assert_eq!(s.locations, Some(locations(dir.path())));
    fs::write(
        dir.path().join("credentials"),
        "[k]\naws_access_key_id = A\naws_secret_access_key = B\n",
    )
    .unwrap();
    let s = ProfileSet::load(&locations(dir.path()));
    assert_eq!(s.len(), 1);
    assert!(s.problems.is_empty());
}

#[test]
fn unreadable_file_is_a_problem_without_a_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("config")).unwrap();
    fs::write(dir.path().join("credentials"), "[k]\nregion = x\n").unwrap();
    let s = ProfileSet::load(&locations(dir.path()));
    assert_eq!(s.len(), 1);
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].line, None);
    assert!(s.problems[0].message.starts_with("cannot read the file"));
}

#[test]
fn non_ascii_paths_and_invalid_utf8_content() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("Jörg Ünïcødé ✓");
    fs::create_dir(&home).unwrap();
    fs::write(
        home.join("config"),
        "[profile ü]\n[profile jörg]\nregion = eu-central-1\n",
    )
    .unwrap();
    fs::write(home.join("credentials"), b"[k]\nregion = x\xff\n").unwrap();
    let s = ProfileSet::load(&locations(&home));
    // Non-ASCII profile names are not valid SDK identifiers; values may be anything.
    assert_eq!(s.names().collect::<Vec<_>>(), vec!["k"]);
    assert_eq!(value(&s, "k", "region"), Some("x\u{fffd}"));
    assert!(
        s.problems
            .iter()
            .any(|p| p.path == home.join("credentials") && p.message.contains("UTF-8"))
    );
    assert!(s.problems.iter().all(|p| p.path.starts_with(&home)));
}
