//! mfatui's own settings. For now only what the environment says (NO_COLOR); the
//! settings file (`~/.config/mfatui/config.ini`) is read here once it exists.

/// NO_COLOR set to anything non-empty turns colours off (no-color.org).
pub fn colors_enabled(env: impl Fn(&str) -> Option<String>) -> bool {
    env("NO_COLOR").is_none_or(|v| v.is_empty())
}
