//! Credentials for profiles mfatui does not log in itself (sso, credential_process):
//! the SDK's own profile provider, reading the same two files mfatui shows.

use std::time::SystemTime;

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use chrono::{DateTime, Utc};

use super::AwsError;
use crate::profile::Locations;
use crate::session::Credentials;

pub async fn profile_credentials(
    locations: &Locations,
    profile: &str,
) -> Result<Credentials, AwsError> {
    // A file given explicitly must exist for the SDK, while mfatui (like the SDK's own
    // defaults) treats a missing file as empty: many people have only one of the two.
    let mut files = EnvConfigFiles::builder()
        .include_default_config_file(false)
        .include_default_credentials_file(false);
    for (kind, path) in [
        (EnvConfigFileKind::Config, &locations.config),
        (EnvConfigFileKind::Credentials, &locations.credentials),
    ] {
        if path.exists() {
            files = files.with_file(kind, path);
        }
    }
    let files = files.build();
    let provider = ProfileFileCredentialsProvider::builder()
        .profile_files(files)
        .profile_name(profile)
        .build();
    let creds = provider
        .provide_credentials()
        .await
        .map_err(|e| provider_error(profile, &e))?;
    Ok(Credentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().map(str::to_string),
        expiration: creds.expiry().map(|t: SystemTime| DateTime::<Utc>::from(t)),
    })
}

/// The provider's failure in a line: its own words, innermost last, without the repeats and
/// debug dumps of the full chain; for IAM Identity Center, what to run.
fn provider_error(profile: &str, err: &(dyn std::error::Error + 'static)) -> AwsError {
    let mut words: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !words
            .iter()
            .any(|w| w.contains(&text) || text.contains(w.as_str()))
        {
            words.push(text);
        }
        current = e.source();
    }
    let reason = words
        .iter()
        .rev()
        .take(2)
        .rev()
        .cloned()
        .collect::<Vec<_>>()
        .join(": ");
    let sso = words.iter().any(|w| w.contains("SSO") || w.contains("sso"));
    let hint = if sso {
        format!("; run `aws sso login --profile {profile}`")
    } else {
        String::new()
    };
    AwsError::Provider {
        profile: profile.to_string(),
        reason,
        hint,
    }
}
