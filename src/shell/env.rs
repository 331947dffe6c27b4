//! The environment a session puts in a shell: what the export lines set and unset, and what a
//! subshell started by mfatui (`x` in the dashboard, `mfatui exec`) receives.
//!
//! Both paths take their variables from [`subshell_env`], so the exported text and the
//! subshell can never disagree about what a session means.

use std::process::Command;

use super::export::ExportSet;
use crate::timefmt::rfc3339_utc;

/// Names the session that a shell holds; a nested mfatui reads it to say which session a new
/// subshell replaces.
pub const MFATUI_PROFILE: &str = "MFATUI_PROFILE";

/// Variables whose values must never be drawn on screen.
pub const SECRET_VARIABLES: [&str; 2] = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/// Removed from every session environment: some tools let a stale profile name win over the
/// session's keys, and AWS_SECURITY_TOKEN (the boto2-era name of the session token) would be
/// paired with the new keys by the tools that still read it.
const ALWAYS_UNSET: [&str; 3] = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"];

/// What a session sets and removes, in the order the export lines show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubshellEnv {
    pub set: Vec<(String, String)>,
    pub unset: Vec<&'static str>,
}

/// The session's variables.
///
/// A token or expiry the credentials lack is unset rather than left alone: inside a subshell
/// of an earlier session, a stale AWS_SESSION_TOKEN next to long-term keys makes every call
/// fail, and a stale AWS_CREDENTIAL_EXPIRATION makes prompts count down the wrong session. An
/// unknown region, by contrast, leaves the shell's own region in place, which is what the SDK
/// would have used anyway.
pub fn subshell_env(set: &ExportSet) -> SubshellEnv {
    let creds = &set.credentials;
    let mut vars: Vec<(&'static str, String)> = vec![
        ("AWS_ACCESS_KEY_ID", creds.access_key_id.clone()),
        ("AWS_SECRET_ACCESS_KEY", creds.secret_access_key.clone()),
    ];
    let mut unset = ALWAYS_UNSET.to_vec();
    match &creds.session_token {
        Some(token) => vars.push(("AWS_SESSION_TOKEN", token.clone())),
        None => unset.push("AWS_SESSION_TOKEN"),
    }
    if let Some(region) = set.region.as_deref().filter(|r| !r.is_empty()) {
        vars.push(("AWS_REGION", region.to_owned()));
        vars.push(("AWS_DEFAULT_REGION", region.to_owned()));
    }
    match creds.expiration {
        Some(at) => vars.push(("AWS_CREDENTIAL_EXPIRATION", rfc3339_utc(at))),
        None => unset.push("AWS_CREDENTIAL_EXPIRATION"),
    }
    vars.push((MFATUI_PROFILE, set.profile.clone()));
    SubshellEnv {
        set: vars.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        unset,
    }
}

/// Puts the session into a child's environment, on top of what it would inherit.
///
/// `Command` refuses to spawn when a value holds NUL; [`ExportSet::validate`] reports that
/// case with the variable's name beforehand.
pub fn apply(cmd: &mut Command, env: &SubshellEnv) {
    for name in &env.unset {
        cmd.env_remove(name);
    }
    for (name, value) in &env.set {
        cmd.env(name, value);
    }
}

/// The session the current shell already holds, if mfatui started it; an empty value counts
/// as none, since that is how users "clear" it by hand.
pub fn replaced_session(current_env: impl Fn(&str) -> Option<String>) -> Option<String> {
    current_env(MFATUI_PROFILE).filter(|profile| !profile.is_empty())
}

/// The shell to start for the user: $SHELL, else the login shell from the passwd database
/// (SHELL is missing under some sudo, cron and container setups), else /bin/sh.
pub fn user_shell() -> String {
    pick_shell(std::env::var("SHELL").ok(), passwd_shell)
}

fn pick_shell(from_env: Option<String>, from_passwd: impl FnOnce() -> Option<String>) -> String {
    from_env
        .filter(|s| !s.is_empty())
        .or_else(|| from_passwd().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "/bin/sh".to_owned())
}

#[cfg(unix)]
fn passwd_shell() -> Option<String> {
    use std::ffi::CStr;

    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    // SAFETY: sysconf only reads a configuration value.
    let hint = unsafe { libc::sysconf(libc::_SC_GETPW_R_SIZE_MAX) };
    let mut size = usize::try_from(hint)
        .ok()
        .filter(|&n| n > 0)
        .unwrap_or(1024);
    loop {
        let mut buf = vec![0 as libc::c_char; size];
        // SAFETY: passwd is plain C data; all-zero is a valid (empty) value.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer refers to live, writable memory of the stated size; the
        // strings written into `entry` point into `buf`, which outlives their use below.
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &raw mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &raw mut found,
            )
        };
        if rc == libc::ERANGE && size < (1 << 20) {
            size *= 2;
            continue;
        }
        if rc != 0 || found.is_null() || entry.pw_shell.is_null() {
            return None;
        }
        // SAFETY: on success pw_shell is a NUL-terminated string inside `buf`.
        let shell = unsafe { CStr::from_ptr(entry.pw_shell) };
        return shell.to_str().ok().map(str::to_owned);
    }
}

#[cfg(not(unix))]
fn passwd_shell() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::session::credentials::Credentials;

    fn set(token: Option<&str>, region: Option<&str>, expires: bool) -> ExportSet {
        ExportSet {
            credentials: Credentials {
                access_key_id: "ASIAEXAMPLE".into(),
                secret_access_key: "secret".into(),
                session_token: token.map(Into::into),
                expiration: expires.then(|| Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap()),
            },
            region: region.map(Into::into),
            profile: "admin".into(),
        }
    }

    fn names(env: &SubshellEnv) -> Vec<&str> {
        env.set.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn a_full_session_sets_everything_and_unsets_profiles() {
        let env = subshell_env(&set(Some("tok"), Some("eu-west-1"), true));
        assert_eq!(
            names(&env),
            [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_REGION",
                "AWS_DEFAULT_REGION",
                "AWS_CREDENTIAL_EXPIRATION",
                "MFATUI_PROFILE",
            ]
        );
        assert_eq!(env.unset, ALWAYS_UNSET);
        assert!(env.set.contains(&(
            "AWS_CREDENTIAL_EXPIRATION".into(),
            "2030-01-02T03:04:05Z".into()
        )));
    }

    #[test]
    fn long_term_keys_clear_a_stale_token_and_expiry() {
        let env = subshell_env(&set(None, None, false));
        assert_eq!(
            names(&env),
            [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "MFATUI_PROFILE"
            ]
        );
        assert!(env.unset.contains(&"AWS_SESSION_TOKEN"));
        assert!(env.unset.contains(&"AWS_CREDENTIAL_EXPIRATION"));
        assert!(!env.unset.contains(&"AWS_REGION"));
    }

    #[test]
    fn apply_sets_and_removes() {
        let mut cmd = Command::new("true");
        apply(&mut cmd, &subshell_env(&set(Some("tok"), None, true)));
        let envs: Vec<_> = cmd.get_envs().collect();
        assert!(envs.contains(&("AWS_PROFILE".as_ref(), None)));
        assert!(envs.contains(&("AWS_SESSION_TOKEN".as_ref(), Some("tok".as_ref()))));
    }

    #[test]
    fn replaced_session_ignores_absent_and_empty() {
        assert_eq!(replaced_session(|_| None), None);
        assert_eq!(replaced_session(|_| Some(String::new())), None);
        let env = |name: &str| (name == MFATUI_PROFILE).then(|| "dev".to_owned());
        assert_eq!(replaced_session(env), Some("dev".to_owned()));
    }

    #[test]
    fn shell_falls_back_from_env_to_passwd_to_sh() {
        assert_eq!(pick_shell(Some("/bin/zsh".into()), || None), "/bin/zsh");
        assert_eq!(
            pick_shell(Some(String::new()), || Some("/bin/fish".into())),
            "/bin/fish"
        );
        assert_eq!(pick_shell(None, || Some(String::new())), "/bin/sh");
        assert!(!user_shell().is_empty());
    }
}
