//! Chain resolution: from a selected profile, hop by hop through `source_profile`,
//! down to the profile that holds the base credentials.
//!
//! The walk is the one the AWS SDKs make (shared/conformance/assume-role-tests.json):
//! - a profile with `role_arn` is a hop; its own keys are ignored unless it names itself as
//!   `source_profile` (then: its keys, then its role — not a loop);
//! - after the first profile, a source profile with complete static keys ends the walk, even if
//!   it has a `role_arn` too;
//! - `credential_source` ends the walk at the profile that names it;
//! - revisiting a profile is a loop, reported with every profile visited.
//!
//! Providers mfatui does not drive itself (web identity, console login sessions) resolve to
//! [`ChainError::Unsupported`] rather than to a chain the SDK would not build.

use super::load::ProfileSet;
use super::model::{Profile, StaticKeys};

/// Where the first credentials of a chain come from.
#[derive(Clone, PartialEq, Eq)]
pub enum Base {
    /// Static keys in `profile` (long-term keys, possibly MFA-protected).
    Keys { profile: String, keys: StaticKeys },
    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    CredentialSource { profile: String, source: String },
    /// IAM Identity Center; mfatui lists it and checks it through the SDK's provider.
    Sso { profile: String },
    /// `credential_process`; checked through the SDK's provider.
    Process { profile: String, command: String },
}

impl std::fmt::Debug for Base {
    // A credential_process command line may carry a secret in its arguments (the SDKs redact
    // them too); keys are masked by StaticKeys' own Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Base::Keys { profile, keys } => f
                .debug_struct("Keys")
                .field("profile", profile)
                .field("keys", keys)
                .finish(),
            Base::CredentialSource { profile, source } => f
                .debug_struct("CredentialSource")
                .field("profile", profile)
                .field("source", source)
                .finish(),
            Base::Sso { profile } => f.debug_struct("Sso").field("profile", profile).finish(),
            Base::Process { profile, command } => {
                let program = command.split_whitespace().next().unwrap_or_default();
                let redacted = if command.trim() == program {
                    program.to_string()
                } else {
                    format!("{program} ** arguments redacted **")
                };
                f.debug_struct("Process")
                    .field("profile", profile)
                    .field("command", &redacted)
                    .finish()
            }
        }
    }
}

impl Base {
    pub fn profile(&self) -> &str {
        match self {
            Base::Keys { profile, .. }
            | Base::CredentialSource { profile, .. }
            | Base::Sso { profile }
            | Base::Process { profile, .. } => profile,
        }
    }
}

/// One AssumeRole hop, in the order hops are taken (the first uses the base credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleHop {
    pub profile: String,
    pub role_arn: String,
    pub external_id: Option<String>,
    pub role_session_name: Option<String>,
    /// `None` when absent or not a number; [`ProfileSet::profile_problems`] reports the latter.
    pub duration_seconds: Option<u32>,
    /// The hop profile's own `mfa_serial`, if it names one.
    pub mfa_serial: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// A resolved chain for one selected profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Profile names from the selected one down to the one holding the base credentials
    /// (each name once: a self-referencing profile appears once).
    pub names: Vec<String>,
    pub base: Base,
    /// Role hops, first to assume first. Empty for keys and mfa-user profiles.
    pub hops: Vec<RoleHop>,
    /// The MFA device for this chain: the selected profile's own `mfa_serial`,
    /// else the first one found walking down the source chain.
    pub mfa_serial: Option<String>,
}

/// Why a profile has no usable chain, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("profile {name} not found{}", did_you_mean(suggestion))]
    UnknownProfile {
        name: String,
        suggestion: Option<String>,
    },
    #[error(
        "profile {profile} names source_profile {source_name}, which does not exist{}",
        did_you_mean(suggestion)
    )]
    UnknownSource {
        profile: String,
        source_name: String,
        suggestion: Option<String>,
    },
    /// Every profile visited, ending with the one seen twice.
    #[error("source_profile loop: {}", .0.join(" -> "))]
    Loop(Vec<String>),
    #[error("profile {profile} has role_arn but neither source_profile nor credential_source")]
    RoleWithoutSource { profile: String },
    #[error("profile {profile} sets both source_profile and credential_source; keep only one")]
    BothSources { profile: String },
    #[error(
        "profile {profile} has credential_source = {source_name}; expected Environment, \
         Ec2InstanceMetadata or EcsContainer"
    )]
    UnknownCredentialSource {
        profile: String,
        source_name: String,
    },
    #[error("profile {profile} has {present} but no {missing}")]
    MissingKey {
        profile: String,
        present: &'static str,
        missing: &'static str,
    },
    #[error("profile {profile} has no credentials (no keys, role, sso or credential_process)")]
    NoCredentials { profile: String },
    #[error("profile {profile} names sso_session {session}, which does not exist")]
    UnknownSsoSession { profile: String, session: String },
    /// A configuration the SDK rejects (SSO settings, web identity without a role).
    #[error("profile {profile}: {message}")]
    Invalid { profile: String, message: String },
    #[error("profile {profile} uses {what}, which is not supported by mfatui")]
    Unsupported { profile: String, what: String },
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

/// The `credential_source` values the SDKs know.
pub const CREDENTIAL_SOURCES: &[&str] = &["Environment", "Ec2InstanceMetadata", "EcsContainer"];

pub(crate) fn resolve(set: &ProfileSet, name: &str) -> Result<Chain, ChainError> {
    let mut profile = set.get(name).ok_or_else(|| ChainError::UnknownProfile {
        name: name.to_string(),
        suggestion: set.suggest(name),
    })?;
    let mut names: Vec<String> = Vec::new();
    let mut hops = Vec::new();
    let base = loop {
        if names.contains(&profile.name) {
            names.push(profile.name.clone());
            return Err(ChainError::Loop(names));
        }
        names.push(profile.name.clone());
        if names.len() > 1
            && let Some(keys) = profile.static_keys()
        {
            break Base::Keys {
                profile: profile.name.clone(),
                keys,
            };
        }
        if profile.get("web_identity_token_file").is_some() || profile.role_arn().is_none() {
            break base(set, profile)?;
        }
        hops.push(hop(profile));
        match next(profile)? {
            None => break base(set, profile)?,
            Some(source) => {
                profile = set.get(source).ok_or_else(|| ChainError::UnknownSource {
                    profile: profile.name.clone(),
                    source_name: source.to_string(),
                    suggestion: set.suggest(source),
                })?;
            }
        }
    };
    hops.reverse();
    let mfa_serial = names
        .iter()
        .find_map(|n| set.get(n).and_then(Profile::mfa_serial))
        .map(str::to_string);
    Ok(Chain {
        names,
        base,
        hops,
        mfa_serial,
    })
}

/// The profile a role hop takes its credentials from; `None` when it is the hop's own
/// profile (self-reference or `credential_source`).
fn next(profile: &Profile) -> Result<Option<&str>, ChainError> {
    match (profile.source_profile(), profile.credential_source()) {
        (Some(_), Some(_)) => Err(ChainError::BothSources {
            profile: profile.name.clone(),
        }),
        (None, None) => Err(ChainError::RoleWithoutSource {
            profile: profile.name.clone(),
        }),
        (Some(source), None) if source == profile.name => Ok(None),
        (Some(source), None) => Ok(Some(source)),
        (None, Some(_)) => Ok(None),
    }
}

fn hop(p: &Profile) -> RoleHop {
    let owned = |v: Option<&str>| v.map(str::to_string);
    RoleHop {
        profile: p.name.clone(),
        role_arn: owned(p.role_arn()).unwrap_or_default(),
        external_id: owned(p.external_id()),
        role_session_name: owned(p.role_session_name()),
        duration_seconds: p.duration_seconds().and_then(|d| d.parse().ok()),
        mfa_serial: owned(p.mfa_serial()),
        region: owned(p.region()),
        endpoint_url: owned(p.endpoint_url()),
    }
}

/// The base provider of a profile, in the SDKs' order of precedence.
fn base(set: &ProfileSet, p: &Profile) -> Result<Base, ChainError> {
    let name = || p.name.clone();
    if let Some(source) = p.credential_source() {
        if !CREDENTIAL_SOURCES.contains(&source) {
            return Err(ChainError::UnknownCredentialSource {
                profile: name(),
                source_name: source.to_string(),
            });
        }
        return Ok(Base::CredentialSource {
            profile: name(),
            source: source.to_string(),
        });
    }
    if p.get("web_identity_token_file").is_some() {
        return Err(match p.role_arn() {
            Some(_) => ChainError::Unsupported {
                profile: name(),
                what: "web identity (web_identity_token_file)".into(),
            },
            None => ChainError::Invalid {
                profile: name(),
                message: "web_identity_token_file is set but role_arn is missing".into(),
            },
        });
    }
    if is_sso(p) {
        check_sso(set, p)?;
        return Ok(Base::Sso { profile: name() });
    }
    if p.get("login_session").is_some() {
        return Err(ChainError::Unsupported {
            profile: name(),
            what: "a console login session (login_session)".into(),
        });
    }
    if let Some(command) = p.get("credential_process") {
        return Ok(Base::Process {
            profile: name(),
            command: command.to_string(),
        });
    }
    let (id, secret) = (p.get("aws_access_key_id"), p.get("aws_secret_access_key"));
    match (id, secret, p.get("aws_session_token")) {
        (Some(_), Some(_), _) => Ok(Base::Keys {
            profile: name(),
            keys: p.static_keys().expect("both keys are present"),
        }),
        (None, None, None) => Err(ChainError::NoCredentials { profile: name() }),
        (None, _, _) => Err(ChainError::MissingKey {
            profile: name(),
            present: if secret.is_some() {
                "aws_secret_access_key"
            } else {
                "aws_session_token"
            },
            missing: "aws_access_key_id",
        }),
        (Some(_), None, _) => Err(ChainError::MissingKey {
            profile: name(),
            present: "aws_access_key_id",
            missing: "aws_secret_access_key",
        }),
    }
}

const SSO_KEYS: &[&str] = &[
    "sso_account_id",
    "sso_region",
    "sso_role_name",
    "sso_start_url",
    "sso_session",
];

fn is_sso(p: &Profile) -> bool {
    SSO_KEYS.iter().any(|k| p.get(k).is_some())
}

/// The SDK's SSO rules, so a profile the SDK would refuse is flagged before a check runs.
fn check_sso(set: &ProfileSet, p: &Profile) -> Result<(), ChainError> {
    let invalid = |message: String| ChainError::Invalid {
        profile: p.name.clone(),
        message,
    };
    let (mut region, mut start_url) = (p.get("sso_region"), p.get("sso_start_url"));
    if let Some(session) = p.get("sso_session") {
        for key in ["sso_start_url", "sso_region"] {
            if p.get(key).is_some() {
                return Err(invalid(format!(
                    "{key} belongs in the [sso-session {session}] section when sso_session is set"
                )));
            }
        }
        let section = set
            .sso_session(session)
            .ok_or_else(|| ChainError::UnknownSsoSession {
                profile: p.name.clone(),
                session: session.to_string(),
            })?;
        let get = |k: &str| section.get(k).map(String::as_str).filter(|v| !v.is_empty());
        (region, start_url) = (get("sso_region"), get("sso_start_url"));
    }
    match (p.get("sso_account_id"), p.get("sso_role_name")) {
        (Some(_), None) => {
            return Err(invalid(
                "sso_account_id is set, so sso_role_name must be set too".into(),
            ));
        }
        (None, Some(_)) => {
            return Err(invalid(
                "sso_role_name is set, so sso_account_id must be set too".into(),
            ));
        }
        _ => {}
    }
    if region.is_none() {
        return Err(invalid("sso_region is missing".into()));
    }
    if start_url.is_none() {
        return Err(invalid("sso_start_url is missing".into()));
    }
    Ok(())
}
