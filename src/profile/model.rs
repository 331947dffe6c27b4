//! The profile model: what a profile is, once both files are merged.
//!
//! Everything here is plain data. Loading lives in `load.rs`, chains in `chain.rs`.

use std::collections::BTreeMap;
use std::fmt;

/// What kind of credentials a profile stands for, as the dashboard shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Static keys, no MFA.
    Keys,
    /// Static keys plus `mfa_serial`: needs GetSessionToken with a code.
    MfaUser,
    /// `role_arn` with `source_profile` or `credential_source`.
    Role,
    /// IAM Identity Center (`sso_start_url` or `sso_session`).
    Sso,
    /// `credential_process`.
    Process,
    /// Anything else (region-only profiles, web identity, ...).
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Keys => "keys",
            Kind::MfaUser => "mfa-user",
            Kind::Role => "role",
            Kind::Sso => "sso",
            Kind::Process => "process",
            Kind::Other => "other",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Long-term (or, rarely, static session) keys found in a profile.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticKeys {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for StaticKeys {
    // Never print a secret, not even in a panic message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticKeys")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"****")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "****"),
            )
            .finish()
    }
}

/// One profile, merged from `~/.aws/config` and `~/.aws/credentials`.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// Every property, keys lower-cased as the SDKs treat them. A property written with
    /// sub-properties (`s3 =\n  max_concurrent_requests = 10`) keeps its raw value
    /// (`"\nmax_concurrent_requests = 10"`), as the SDKs and the conformance suite have it;
    /// read the pairs with [`Profile::sub_properties`].
    pub properties: BTreeMap<String, String>,
}

/// Properties whose values are secrets: masked in `Debug` output.
const SECRET_PROPERTIES: &[&str] = &[
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

impl fmt::Debug for Profile {
    // Profiles end up in logs and panic messages; secrets must not.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked: BTreeMap<&str, &str> = self
            .properties
            .iter()
            .map(|(k, v)| {
                let v = if SECRET_PROPERTIES.contains(&k.as_str()) {
                    "****"
                } else {
                    v.as_str()
                };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &masked)
            .finish()
    }
}

impl Profile {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn region(&self) -> Option<&str> {
        self.get("region")
    }
    pub fn mfa_serial(&self) -> Option<&str> {
        self.get("mfa_serial")
    }
    pub fn role_arn(&self) -> Option<&str> {
        self.get("role_arn")
    }
    pub fn source_profile(&self) -> Option<&str> {
        self.get("source_profile")
    }
    pub fn credential_source(&self) -> Option<&str> {
        self.get("credential_source")
    }
    pub fn endpoint_url(&self) -> Option<&str> {
        self.get("endpoint_url")
    }
    pub fn mfa_process(&self) -> Option<&str> {
        self.get("mfa_process")
    }
    pub fn external_id(&self) -> Option<&str> {
        self.get("external_id")
    }
    pub fn role_session_name(&self) -> Option<&str> {
        self.get("role_session_name")
    }
    /// `duration_seconds` as written; validation happens in the chain resolver.
    pub fn duration_seconds(&self) -> Option<&str> {
        self.get("duration_seconds")
    }

    /// The `key = value` pairs of a property written with sub-properties (e.g. `s3`).
    pub fn sub_properties(&self, key: &str) -> Vec<(String, String)> {
        self.properties
            .get(key)
            .map(|v| super::section::sub_properties(v))
            .unwrap_or_default()
    }

    pub fn static_keys(&self) -> Option<StaticKeys> {
        Some(StaticKeys {
            access_key_id: self.get("aws_access_key_id")?.to_string(),
            secret_access_key: self.get("aws_secret_access_key")?.to_string(),
            session_token: self.get("aws_session_token").map(str::to_string),
        })
    }

    pub fn kind(&self) -> Kind {
        if self.role_arn().is_some()
            && (self.source_profile().is_some() || self.credential_source().is_some())
        {
            Kind::Role
        } else if self.get("sso_start_url").is_some() || self.get("sso_session").is_some() {
            Kind::Sso
        } else if self.get("credential_process").is_some() {
            Kind::Process
        } else if self.static_keys().is_some() {
            if self.mfa_serial().is_some() {
                Kind::MfaUser
            } else {
                Kind::Keys
            }
        } else {
            Kind::Other
        }
    }
}
