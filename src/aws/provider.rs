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
        .map_err(|e| AwsError::Other {
            url: format!("the SDK's provider for profile {profile}"),
            detail: aws_sdk_sts::error::DisplayErrorContext(&e).to_string(),
        })?;
    Ok(Credentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().map(str::to_string),
        expiration: creds.expiry().map(|t: SystemTime| DateTime::<Utc>::from(t)),
    })
}
