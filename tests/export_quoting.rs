//! Export lines must hand any secret to the shell byte for byte. bash, zsh and fish are run for
//! real (eval / source, then the values are printed back); PowerShell, which cannot be
//! installed here, is checked with a decoder written from its language specification.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use mfatui::session::credentials::Credentials;
use mfatui::shell::export::{ExportSet, Format, MASK, render, render_masked};
use mfatui::shell::quote::is_pwsh_single_quote;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Printed back by every shell run, in this order.
#[rustfmt::skip]
const CHECKED: [&str; 4] =
    ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MFATUI_PROFILE"];
const STALE: [&str; 3] = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"];
const EXPIRY: &str = "2030-01-02T03:04:05Z";

/// Characters and sequences shells, PowerShell or dotenv readers treat specially.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "'", "\"", "$", "`", "\\", "\n", "\r", "%", "!", " ", "\t", "#", "~", "*", "é", "日本語",
    "😀", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "$(id)", "${HOME}", "%s", "-e", "--",
    "''", "\\'", "!!", "\u{f600}",
];

fn config() -> ProptestConfig {
    // Each case spawns a shell; regressions are printed, not written into the source tree.
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..Default::default()
    }
}

/// Strings built from [`PIECES`], plus arbitrary text without NUL.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_owned),
        1 => "[A-Za-z0-9+/=]{1,6}",
    ];
    prop_oneof![
        3 => prop::collection::vec(piece, 0..24).prop_map(|v| v.concat()),
        1 => "[^\\x00]{0,48}",
    ]
}

fn export_set() -> impl Strategy<Value = ExportSet> {
    (nasty(), nasty(), nasty(), nasty()).prop_map(|(id, secret, token, profile)| {
        let mut set = session(Some(&token), Some("2030-01-02T03:04:05.678901Z"));
        set.credentials.access_key_id = id;
        set.credentials.secret_access_key = secret;
        set.profile = profile;
        set
    })
}

fn session(token: Option<&str>, expiration: Option<&str>) -> ExportSet {
    ExportSet {
        credentials: Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            session_token: token.map(Into::into),
            expiration: expiration.map(|t| t.parse().expect("valid instant")),
        },
        region: Some("eu-west-1".into()),
        profile: "admin".into(),
    }
}

fn expected(set: &ExportSet) -> [&str; 4] {
    let c = &set.credentials;
    let token = c.session_token.as_deref().unwrap_or_default();
    [&c.access_key_id, &c.secret_access_key, token, &set.profile]
}

/// The shell's binary; a missing one fails the test, since skipping would pass untested code.
fn shell(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]);
    let found = dirs.find_map(|dir| Some(dir.join(name)).filter(|p| p.is_file()));
    found.unwrap_or_else(|| panic!("{name} is not installed; install it (apt-get install {name})"))
}

type Outcome = (Vec<String>, HashMap<String, String>);

/// Sources `text` in a shell started with stale profile variables, then returns the shell's
/// own values of [`CHECKED`] and the environment a child of that shell receives.
fn run(name: &str, args: &[&str], text: &str) -> Outcome {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("export.txt");
    std::fs::write(&file, text).expect("write export file");
    let mut cmd = Command::new(shell(name));
    cmd.args(args).arg(&file).env("LC_ALL", "C.UTF-8");
    for var in ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"] {
        cmd.env(var, dir.path());
    }
    cmd.envs(STALE.map(|var| (var, "stale")));
    let out = cmd.output().expect("run the shell");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{name}: {stderr}"
    );
    let stdout = String::from_utf8(out.stdout).expect("shell output is UTF-8");
    let mut fields = stdout.split('\0').map(str::to_owned);
    let values = fields.by_ref().take(CHECKED.len()).collect();
    let env = fields.filter_map(|e| e.split_once('=').map(|(k, v)| (k.into(), v.into())));
    (values, env.collect())
}

const PRINT_SH: &str = r#"eval "$(cat "$1")"
printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$MFATUI_PROFILE"
env -0"#;

const PRINT_FISH: &str = r#"source $argv[1]
printf '%s\0' $AWS_ACCESS_KEY_ID $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN $MFATUI_PROFILE
env -0"#;

fn assert_round_trip(name: &str, set: &ExportSet, (values, env): Outcome) {
    let want = expected(set);
    assert_eq!(values, want, "{name}: shell variables differ");
    let exported = |var: &str| env.get(var).map(String::as_str);
    for (var, value) in CHECKED.iter().zip(want) {
        assert_eq!(exported(var), Some(value), "{name}: exported {var}");
    }
    for var in STALE {
        assert_eq!(exported(var), None, "{name}: {var} still set");
    }
    assert_eq!(exported("AWS_CREDENTIAL_EXPIRATION"), Some(EXPIRY));
    assert_eq!(exported("AWS_REGION"), Some("eu-west-1"));
    assert_eq!(exported("AWS_DEFAULT_REGION"), Some("eu-west-1"));
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn bash_round_trips(set in export_set()) {
        let args = ["--noprofile", "--norc", "-c", PRINT_SH, "bash"];
        assert_round_trip("bash", &set, run("bash", &args, &render(Format::Sh, &set)));
    }

    #[test]
    fn zsh_round_trips(set in export_set()) {
        let args = ["-f", "-c", PRINT_SH, "zsh"];
        assert_round_trip("zsh", &set, run("zsh", &args, &render(Format::Sh, &set)));
    }

    #[test]
    fn fish_round_trips(set in export_set()) {
        let args = ["--no-config", "-c", PRINT_FISH];
        assert_round_trip("fish", &set, run("fish", &args, &render(Format::Fish, &set)));
    }

    #[test]
    fn pwsh_round_trips(set in export_set()) {
        let (vars, removed) = pwsh::run(&render(Format::Pwsh, &set));
        for (var, value) in CHECKED.iter().zip(expected(&set)) {
            prop_assert_eq!(vars.get(*var).map(String::as_str), Some(value));
        }
        prop_assert_eq!(removed, STALE);
    }

    #[test]
    fn dotenv_round_trips(set in export_set()) {
        let text = render(Format::Dotenv, &set);
        prop_assert_eq!(text.lines().count(), 7, "one entry per line");
        let vars = dotenv::parse(&text);
        for (var, value) in CHECKED.iter().zip(expected(&set)) {
            prop_assert_eq!(vars.get(*var).map(String::as_str), Some(value));
        }
    }

    #[test]
    fn json_round_trips(set in export_set()) {
        let json: Value = serde_json::from_str(&render(Format::Json, &set)).unwrap();
        for (var, value) in CHECKED.iter().zip(expected(&set)) {
            prop_assert_eq!(json[*var].as_str(), Some(value));
        }
        prop_assert!(STALE.iter().all(|var| json.get(var).is_none()));
    }

    #[test]
    fn masked_output_holds_no_secret(set in export_set(), other in nasty()) {
        // Masked text that stays the same when the secrets change cannot reveal any of them.
        let mut changed = set.clone();
        changed.credentials.secret_access_key = format!("{other}x");
        changed.credentials.session_token = Some(format!("{other}y"));
        for format in Format::ALL {
            let text = render_masked(format, &set);
            prop_assert_eq!(&text, &render_masked(format, &changed), "{} shows a secret", format);
            prop_assert!(text.contains(MASK), "{}: {}", format, text);
        }
    }
}

#[test]
fn unset_lines_are_present_in_every_shell_format() {
    let set = session(Some("token"), Some(EXPIRY));
    for var in STALE {
        assert!(render(Format::Sh, &set).contains(&format!("unset {var}\n")));
        assert!(render(Format::Fish, &set).contains(&format!("set -e -g {var}\n")));
        let pwsh = format!("Remove-Item Env:{var} -ErrorAction SilentlyContinue\n");
        assert!(render(Format::Pwsh, &set).contains(&pwsh));
        for format in [Format::Dotenv, Format::Json, Format::Process] {
            assert!(
                !render(format, &set).contains(var),
                "{format} mentions {var}"
            );
        }
    }
}

#[test]
fn expiration_is_rfc3339_utc_with_whole_seconds() {
    let set = session(Some("token"), Some("2030-01-02T05:04:05.999999999+02:00"));
    let line = format!("export AWS_CREDENTIAL_EXPIRATION='{EXPIRY}'\n");
    assert!(render(Format::Sh, &set).contains(&line));
    let json: Value = serde_json::from_str(&render(Format::Json, &set)).unwrap();
    assert_eq!(json["AWS_CREDENTIAL_EXPIRATION"], EXPIRY);
}

#[test]
fn process_json_has_the_credential_process_shape() {
    let set = session(Some("token"), Some(EXPIRY));
    let json: Value = serde_json::from_str(&render(Format::Process, &set)).unwrap();
    let want = json!({
        "Version": 1,
        "AccessKeyId": "ASIAEXAMPLE",
        "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "SessionToken": "token",
        "Expiration": EXPIRY,
    });
    assert_eq!(json, want);
    assert!(
        json["Version"].is_u64(),
        "Version is the number 1, not a string"
    );

    let long_term = render(Format::Process, &session(None, None));
    let json: Value = serde_json::from_str(&long_term).unwrap();
    let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["AccessKeyId", "SecretAccessKey", "Version"]);
}

#[test]
fn pwsh_decoder_follows_the_spec() {
    // A pair of any two single-quote characters stands for the second one.
    assert_eq!(pwsh::verbatim("'a''b'"), ("a'b".to_owned(), ""));
    let typographic = pwsh::verbatim("\u{2018}x\u{2019}'\u{2019}");
    assert_eq!(typographic, ("x'".to_owned(), ""));
    assert_eq!(
        pwsh::verbatim("'$x `n' rest"),
        ("$x `n".to_owned(), " rest")
    );
}

/// PowerShell verbatim strings, from the PowerShell Language Specification 3.0, §2.3.5.2:
/// a verbatim-string-literal opens and closes with a single-quote-character (`'`, U+2018,
/// U+2019, U+201A, U+201B); inside, any other character stands for itself and two adjacent
/// single-quote-characters stand for one (the tokenizer keeps the second).
mod pwsh {
    use super::is_pwsh_single_quote;
    use std::collections::HashMap;

    /// Decodes one literal at the start of `text`; returns its value and the rest.
    pub fn verbatim(text: &str) -> (String, &str) {
        let mut chars = text.char_indices().peekable();
        let opened = chars.next().is_some_and(|(_, c)| is_pwsh_single_quote(c));
        assert!(opened, "a literal opens with a quote: {text:?}");
        let mut value = String::new();
        while let Some((i, c)) = chars.next() {
            if !is_pwsh_single_quote(c) {
                value.push(c);
                continue;
            }
            match chars.next_if(|&(_, next)| is_pwsh_single_quote(next)) {
                Some((_, second)) => value.push(second),
                None => return (value, &text[i + c.len_utf8()..]),
            }
        }
        panic!("unterminated verbatim string: {text:?}");
    }

    /// Runs the two statement shapes the export emits: the variables set, and those removed.
    pub fn run(mut text: &str) -> (HashMap<String, String>, Vec<String>) {
        let (mut set, mut removed) = (HashMap::new(), Vec::new());
        while !text.is_empty() {
            if let Some(rest) = text.strip_prefix("Remove-Item Env:") {
                let (line, rest) = rest.split_once('\n').expect("one statement per line");
                let name = line.strip_suffix(" -ErrorAction SilentlyContinue");
                removed.push(name.expect("errors silenced").to_owned());
                text = rest;
            } else if let Some(rest) = text.strip_prefix("$Env:") {
                let (name, rest) = rest.split_once(" = ").expect("assignment");
                let (value, rest) = verbatim(rest);
                set.insert(name.to_owned(), value);
                text = rest
                    .strip_prefix('\n')
                    .expect("statement ends at the literal");
            } else {
                panic!("unexpected statement: {text:?}");
            }
        }
        (set, removed)
    }
}

/// The dotenv rule documented on `quote::dotenv` (docker compose / godotenv double quotes).
mod dotenv {
    use std::collections::HashMap;

    pub fn parse(text: &str) -> HashMap<String, String> {
        text.lines().map(entry).collect()
    }

    fn entry(line: &str) -> (String, String) {
        let (name, quoted) = line.split_once('=').expect("NAME=value");
        let inner = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"'));
        let mut chars = inner.expect("double-quoted").chars();
        let mut value = String::new();
        while let Some(c) = chars.next() {
            let unescaped = matches!(c, '"' | '$' | '\r');
            assert!(!unescaped, "unescaped {c:?} in {line:?}");
            value.push(match c {
                '\\' => match chars.next().expect("escape at end") {
                    'n' => '\n',
                    'r' => '\r',
                    other @ ('\\' | '"' | '$') => other,
                    other => panic!("unknown escape \\{other}"),
                },
                other => other,
            });
        }
        (name.to_owned(), value)
    }
}
