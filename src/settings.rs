//! mfatui's own settings: `$XDG_CONFIG_HOME/mfatui/config.ini`, else
//! `~/.config/mfatui/config.ini`, read with rust-ini. Every key is optional; a bad
//! value is reported with its line and the default is used. NO_COLOR always wins.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::shell::export::Format;
use crate::timefmt::parse_duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Session length asked for when neither the command nor the profile says.
    pub default_duration: Option<u32>,
    /// Countdowns under this take the warning colour and give a notice.
    pub warning_threshold: Duration,
    pub export_format: Format,
    /// Copied credentials are cleared after this long if the clipboard still holds them.
    pub clipboard_clear: Duration,
    /// The shell for `x` and `exec` (default: $SHELL, then the passwd entry).
    pub shell: Option<String>,
    pub colors: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            default_duration: None,
            warning_threshold: Duration::from_secs(15 * 60),
            export_format: Format::Sh,
            clipboard_clear: Duration::from_secs(45),
            shell: None,
            colors: true,
        }
    }
}

/// Where the settings file is.
pub fn path(env: &impl Fn(&str) -> Option<String>) -> PathBuf {
    let var = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("XDG_CONFIG_HOME")
        .unwrap_or_else(|| var("HOME").unwrap_or_default().join(".config"))
        .join("mfatui")
        .join("config.ini")
}

/// The settings and, in words, every problem found (a missing file is not one).
pub fn load(env: impl Fn(&str) -> Option<String>) -> (Settings, Vec<String>) {
    let file = path(&env);
    let (mut settings, problems) = match std::fs::read_to_string(&file) {
        Ok(text) => parse(&text, &file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), Vec::new()),
        Err(e) => (
            Settings::default(),
            vec![format!(
                "{}: cannot be read ({e}); using defaults",
                file.display()
            )],
        ),
    };
    if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        settings.colors = false;
    }
    (settings, problems)
}

pub fn parse(text: &str, file: &Path) -> (Settings, Vec<String>) {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let ini = match ini::Ini::load_from_str(text) {
        Ok(ini) => ini,
        Err(e) => {
            problems.push(format!("{}: {e}; using defaults", file.display()));
            return (settings, problems);
        }
    };
    for (_, section) in ini.iter() {
        for (key, value) in section.iter() {
            let bad = |expected: &str| {
                format!(
                    "{}:{}: {key} = {value:?} is not {expected}; using the default",
                    file.display(),
                    line_of(text, key)
                )
            };
            let seconds = || parse_duration(value).filter(|s| *s > 0);
            match key {
                "default_duration" => match seconds() {
                    Some(s) if (900..=129_600).contains(&s) => settings.default_duration = Some(s),
                    _ => problems.push(bad("a duration from 15m to 36h")),
                },
                "warning_threshold" => match seconds() {
                    Some(s) => settings.warning_threshold = Duration::from_secs(s.into()),
                    None => problems.push(bad("a duration such as 15m")),
                },
                "clipboard_clear" => match seconds() {
                    Some(s) => settings.clipboard_clear = Duration::from_secs(s.into()),
                    None => problems.push(bad("a duration such as 45s")),
                },
                "export_format" => match value.parse::<Format>() {
                    Ok(f) => settings.export_format = f,
                    Err(_) => problems.push(bad("one of sh, fish, pwsh, dotenv, json, process")),
                },
                "shell" if !value.trim().is_empty() => settings.shell = Some(value.trim().into()),
                "colors" => match value.trim().to_lowercase().as_str() {
                    "on" | "true" | "yes" | "1" => settings.colors = true,
                    "off" | "false" | "no" | "0" => settings.colors = false,
                    _ => problems.push(bad("on or off")),
                },
                _ => problems.push(format!(
                    "{}:{}: unknown setting {key}; ignored",
                    file.display(),
                    line_of(text, key)
                )),
            }
        }
    }
    (settings, problems)
}

/// The 1-based line on which `key` is set (the last one, as the last setting wins).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.split_once('=').is_some_and(|(k, _)| k.trim() == key))
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_values_are_read() {
        let text = "default_duration = 8h\nwarning_threshold = 5m\nexport_format = fish\nclipboard_clear = 10s\nshell = /bin/zsh\ncolors = off\n";
        let (s, problems) = parse(text, Path::new("config.ini"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.default_duration, Some(8 * 3600));
        assert_eq!(s.warning_threshold, Duration::from_secs(300));
        assert_eq!(s.export_format, Format::Fish);
        assert_eq!(s.clipboard_clear, Duration::from_secs(10));
        assert_eq!(s.shell.as_deref(), Some("/bin/zsh"));
        assert!(!s.colors);
    }

    #[test]
    fn a_bad_value_names_its_line_and_keeps_the_default() {
        let text = "# mine\nexport_format = tcsh\ncolors = sometimes\n";
        let (s, problems) = parse(text, Path::new("config.ini"));
        assert_eq!(s, Settings::default());
        assert_eq!(problems.len(), 2);
        assert!(
            problems[0].starts_with("config.ini:2: export_format"),
            "{}",
            problems[0]
        );
        assert!(
            problems[1].starts_with("config.ini:3: colors"),
            "{}",
            problems[1]
        );
    }

    #[test]
    fn no_color_wins_and_xdg_is_honoured() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_string();
        std::fs::create_dir_all(dir.path().join("mfatui")).unwrap();
        std::fs::write(dir.path().join("mfatui/config.ini"), "colors = on\n").unwrap();
        let env = |k: &str| match k {
            "XDG_CONFIG_HOME" => Some(home.clone()),
            "NO_COLOR" => Some("1".to_string()),
            _ => None,
        };
        let (s, problems) = load(env);
        assert!(problems.is_empty());
        assert!(!s.colors);
    }
}
