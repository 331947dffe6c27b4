//! Where the two files are: flags, then AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE,
//! then `~/.aws/config` and `~/.aws/credentials`, with the home directory found as the SDKs
//! find it.
//!
//! Paths are built as strings with the platform's separator rather than with `Path::join`,
//! so the Windows rules can be checked (and tested) on any OS.

use std::path::PathBuf;

/// Whose rules find the home directory and separate path components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Unix,
    Windows,
}

impl Platform {
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }

    fn separator(self) -> char {
        match self {
            Platform::Unix => '/',
            Platform::Windows => '\\',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl Locations {
    /// Resolve from explicit overrides, then the process environment.
    pub fn resolve(config: Option<PathBuf>, credentials: Option<PathBuf>) -> Locations {
        Self::resolve_with(config, credentials, |k| std::env::var(k).ok())
    }

    /// Same as [`Locations::resolve`] with an injectable environment (for tests).
    pub fn resolve_with(
        config: Option<PathBuf>,
        credentials: Option<PathBuf>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Locations {
        Self::resolve_for(config, credentials, env, Platform::current())
    }

    /// Same as [`Locations::resolve_with`] for a given platform's rules.
    pub fn resolve_for(
        config: Option<PathBuf>,
        credentials: Option<PathBuf>,
        env: impl Fn(&str) -> Option<String>,
        platform: Platform,
    ) -> Locations {
        let home = home_dir(&env, platform);
        let pick = |flag: Option<PathBuf>, var: &str, file: &str| -> PathBuf {
            let sep = platform.separator();
            match flag {
                Some(path) => match path.to_str() {
                    Some(text) => expand_home(text, home.as_deref(), platform),
                    None => path,
                },
                None => match env(var).filter(|v| !v.is_empty()) {
                    Some(text) => expand_home(&text, home.as_deref(), platform),
                    None => {
                        let home = home.as_deref().unwrap_or("~");
                        let home = home.strip_suffix(sep).unwrap_or(home);
                        PathBuf::from(format!("{home}{sep}.aws{sep}{file}"))
                    }
                },
            }
        };
        Locations {
            config: pick(config, "AWS_CONFIG_FILE", "config"),
            credentials: pick(credentials, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        }
    }
}

/// The home directory as the SDKs find it: HOME first everywhere; on Windows then
/// USERPROFILE, then HOMEDRIVE followed by HOMEPATH.
pub fn home_dir(env: impl Fn(&str) -> Option<String>, platform: Platform) -> Option<String> {
    let var = |k: &str| env(k).filter(|v| !v.is_empty());
    if let Some(home) = var("HOME") {
        return Some(home);
    }
    if platform == Platform::Windows {
        if let Some(home) = var("USERPROFILE") {
            return Some(home);
        }
        if let (Some(drive), Some(path)) = (var("HOMEDRIVE"), var("HOMEPATH")) {
            return Some(drive + &path);
        }
    }
    None
}

/// The profile to select: the flag, else AWS_PROFILE, else `default`.
pub fn selected_profile(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> String {
    flag.map(str::to_string)
        .or_else(|| env("AWS_PROFILE"))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// `~` alone or followed by a separator means the home directory; `~user` is left alone
/// (the SDKs do not expand it either). Without a home directory the path is kept as written.
fn expand_home(path: &str, home: Option<&str>, platform: Platform) -> PathBuf {
    let sep = platform.separator();
    let rest = match path.strip_prefix('~') {
        Some("") => "",
        Some(rest) if rest.starts_with('/') || rest.starts_with(sep) => rest,
        _ => return PathBuf::from(path),
    };
    let Some(home) = home else {
        return PathBuf::from(path);
    };
    let home = home.strip_suffix(sep).unwrap_or(home);
    PathBuf::from(format!("{home}{}", rest.replace('/', &sep.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn flags_win_and_tilde_expands() {
        let l = Locations::resolve_for(
            Some("~/c".into()),
            None,
            env(&[("HOME", "/h"), ("AWS_SHARED_CREDENTIALS_FILE", "~/cr")]),
            Platform::Unix,
        );
        assert_eq!(l.config, PathBuf::from("/h/c"));
        assert_eq!(l.credentials, PathBuf::from("/h/cr"));
    }

    #[test]
    fn no_home_keeps_tilde() {
        let l = Locations::resolve_for(None, None, env(&[]), Platform::Unix);
        assert_eq!(l.config, PathBuf::from("~/.aws/config"));
    }

    #[test]
    fn windows_home_trailing_separator_is_not_doubled() {
        let l = Locations::resolve_for(
            None,
            None,
            env(&[("USERPROFILE", "C:\\u\\")]),
            Platform::Windows,
        );
        assert_eq!(l.config, PathBuf::from("C:\\u\\.aws\\config"));
        assert_eq!(selected_profile(None, env(&[("AWS_PROFILE", "x")])), "x");
        assert_eq!(
            selected_profile(Some("y"), env(&[("AWS_PROFILE", "x")])),
            "y"
        );
    }
}
