//! Export lines for `mfatui export`, the `y` key and the detail pane.
//!
//! The variables come from [`subshell_env`]; this module only writes them in each format's
//! syntax, with the quoting from [`quote`].

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::env::{MFATUI_PROFILE, SECRET_VARIABLES, subshell_env};
use super::quote::{self, NulInValue};
use crate::session::credentials::Credentials;
use crate::timefmt::rfc3339_utc;

/// What stands for a secret on screen. It carries no character of the secret, not even a
/// prefix: a screenshot or a shoulder-surfer must learn nothing from it.
pub const MASK: &str = "****";

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// bash and zsh (any POSIX shell).
    Sh,
    Fish,
    /// PowerShell (Windows PowerShell 5.1 and pwsh 7).
    Pwsh,
    Dotenv,
    /// An object of the variables, for scripts that set the environment themselves.
    Json,
    /// The credential_process protocol, so `credential_process = mfatui export NAME --format
    /// process` lets every AWS tool reuse mfatui's session.
    Process,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Sh,
        Format::Fish,
        Format::Pwsh,
        Format::Dotenv,
        Format::Json,
        Format::Process,
    ];

    /// The formats the dashboard's `e` key steps through: the ones a person pastes into a
    /// shell or a file. json and process are for programs and are reached from the CLI.
    pub const CYCLE: [Format; 4] = [Format::Sh, Format::Fish, Format::Pwsh, Format::Dotenv];

    pub fn name(self) -> &'static str {
        match self {
            Format::Sh => "sh",
            Format::Fish => "fish",
            Format::Pwsh => "pwsh",
            Format::Dotenv => "dotenv",
            Format::Json => "json",
            Format::Process => "process",
        }
    }

    /// The next format for the dashboard; json and process (set from the settings file) step
    /// back into the cycle at its start.
    pub fn cycle_next(self) -> Format {
        match Self::CYCLE.iter().position(|&f| f == self) {
            Some(i) => Self::CYCLE[(i + 1) % Self::CYCLE.len()],
            None => Self::CYCLE[0],
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format `{0}`; expected one of sh, fish, pwsh, dotenv, json, process")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the canonical names, case-insensitively, plus the shell names people type
    /// (bash, zsh, powershell, env) for the format that serves them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let format = match s.trim().to_ascii_lowercase().as_str() {
            "sh" | "bash" | "zsh" => Format::Sh,
            "fish" => Format::Fish,
            "pwsh" | "powershell" => Format::Pwsh,
            "dotenv" | "env" => Format::Dotenv,
            "json" => Format::Json,
            "process" => Format::Process,
            _ => return Err(UnknownFormat(s.to_owned())),
        };
        Ok(format)
    }
}

/// Everything the export lines say about one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSet {
    pub credentials: Credentials,
    pub region: Option<String>,
    pub profile: String,
}

impl ExportSet {
    /// The export of `profile` holding `credentials`: its region, its name.
    pub fn for_profile(profile: &crate::profile::Profile, credentials: Credentials) -> ExportSet {
        ExportSet {
            credentials,
            region: profile.region().map(str::to_string),
            profile: profile.name.clone(),
        }
    }

    /// Rejects values that no environment can hold (a NUL, say from a corrupt cache file)
    /// before they are rendered or handed to a subshell, naming the variable only.
    pub fn validate(&self) -> Result<(), NulInValue> {
        let creds = &self.credentials;
        quote::check_no_nul("AWS_ACCESS_KEY_ID", &creds.access_key_id)?;
        quote::check_no_nul("AWS_SECRET_ACCESS_KEY", &creds.secret_access_key)?;
        if let Some(token) = &creds.session_token {
            quote::check_no_nul("AWS_SESSION_TOKEN", token)?;
        }
        if let Some(region) = &self.region {
            quote::check_no_nul("AWS_REGION", region)?;
        }
        quote::check_no_nul(MFATUI_PROFILE, &self.profile)
    }
}

/// The export text, secrets included, ending in a newline.
///
/// Unset lines come first so that the text's last command sets a variable and succeeds: a
/// shell sourcing it (`eval`, fish `source`) then reports success even though removing an
/// absent variable fails in fish. Call [`ExportSet::validate`] first; a NUL cannot be quoted.
pub fn render(format: Format, set: &ExportSet) -> String {
    render_with(format, set, false)
}

/// The same text with the secret access key and session token replaced by [`MASK`], for the
/// screen. The access key id is shown: it identifies the key and grants nothing.
pub fn render_masked(format: Format, set: &ExportSet) -> String {
    render_with(format, set, true)
}

fn render_with(format: Format, set: &ExportSet, masked: bool) -> String {
    if format == Format::Process {
        return process_json(set, masked);
    }
    let env = subshell_env(set);
    let vars = env.set.iter().map(|(name, value)| {
        let secret = SECRET_VARIABLES.contains(&name.as_str());
        (name.as_str(), shown(value, masked && secret))
    });
    if format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> =
            vars.map(|(k, v)| (k.to_owned(), v.into())).collect();
        return pretty(&map);
    }
    let mut out = String::new();
    for name in &env.unset {
        let line = match format {
            Format::Sh => format!("unset {name}"),
            // -g: erasing without a scope would, when only a universal variable exists,
            // delete it from every fish session of the user for good.
            Format::Fish => format!("set -e -g {name}"),
            Format::Pwsh => format!("Remove-Item Env:{name} -ErrorAction SilentlyContinue"),
            // Absent from a file means absent; there is no unset syntax.
            _ => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    for (name, value) in vars {
        let line = match format {
            Format::Sh => format!("export {name}={}", quote::sh(value)),
            Format::Fish => format!("set -gx {name} {}", quote::fish(value)),
            Format::Pwsh => format!("$Env:{name} = {}", quote::pwsh(value)),
            _ => format!("{name}={}", quote::dotenv(value)),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The credential_process output (AWS SDK "sourcing credentials with an external process").
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ProcessCredentials<'a> {
    version: u8,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration: Option<String>,
}

fn process_json(set: &ExportSet, masked: bool) -> String {
    let creds = &set.credentials;
    pretty(&ProcessCredentials {
        version: 1,
        access_key_id: &creds.access_key_id,
        secret_access_key: shown(&creds.secret_access_key, masked),
        session_token: creds.session_token.as_deref().map(|t| shown(t, masked)),
        expiration: creds.expiration.map(rfc3339_utc),
    })
}

fn shown(value: &str, masked: bool) -> &str {
    if masked { MASK } else { value }
}

fn pretty(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("strings and numbers serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ExportSet {
        ExportSet {
            credentials: Credentials {
                access_key_id: "ASIAEXAMPLE".into(),
                secret_access_key: "s3cr'et".into(),
                session_token: Some("tok$en".into()),
                expiration: Some("2030-01-02T03:04:05.678Z".parse().unwrap()),
            },
            region: Some("eu-west-1".into()),
            profile: "admin".into(),
        }
    }

    #[test]
    fn names_round_trip_and_the_cycle_skips_program_formats() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("ZSH".parse::<Format>(), Ok(Format::Sh));
        assert!("csh".parse::<Format>().is_err());
        assert_eq!(Format::Sh.cycle_next(), Format::Fish);
        assert_eq!(Format::Dotenv.cycle_next(), Format::Sh);
        assert_eq!(Format::Process.cycle_next(), Format::Sh);
    }

    #[test]
    fn sh_lines() {
        let text = render(Format::Sh, &sample());
        assert!(text.starts_with("unset AWS_PROFILE\n"));
        assert!(text.contains("export AWS_SECRET_ACCESS_KEY='s3cr'\\''et'\n"));
        assert!(text.contains("export AWS_CREDENTIAL_EXPIRATION='2030-01-02T03:04:05Z'\n"));
        assert!(text.ends_with("export MFATUI_PROFILE='admin'\n"));
    }

    #[test]
    fn masked_lines_hold_no_secret() {
        for f in Format::ALL {
            let text = render_masked(f, &sample());
            assert!(
                !text.contains("s3cr") && !text.contains("tok"),
                "{f}: {text}"
            );
            assert!(
                text.contains("ASIAEXAMPLE") && text.contains(MASK),
                "{f}: {text}"
            );
        }
    }

    #[test]
    fn validate_names_the_variable() {
        let mut set = sample();
        set.credentials.session_token = Some("a\0b".into());
        assert_eq!(set.validate().unwrap_err().variable, "AWS_SESSION_TOKEN");
        assert!(sample().validate().is_ok());
    }
}
