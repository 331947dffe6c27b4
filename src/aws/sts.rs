//! The STS and S3 calls mfatui makes, each returning plain data or an [`AwsError`].

use chrono::{DateTime, Utc};

use super::client::Target;
use super::error::{AwsError, CallContext, classify};
use crate::session::Credentials;

/// The profile that signs a call, with its credentials.
#[derive(Debug, Clone, Copy)]
pub struct Signer<'a> {
    pub profile: &'a str,
    pub credentials: &'a Credentials,
}

impl<'a> Signer<'a> {
    /// What a failed call was about, for its error words.
    fn at(&self, url: &'a str) -> CallContext<'a> {
        CallContext {
            profile: self.profile,
            url,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaInput<'a> {
    pub serial: &'a str,
    pub code: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleInput<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub arn: String,
    pub account: String,
    pub user_id: String,
}

fn url_of(target: &Target) -> String {
    target
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("https://sts.{}.amazonaws.com", target.region))
}

fn convert(c: &aws_sdk_sts::types::Credentials) -> Credentials {
    let exp = c.expiration();
    Credentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: c.secret_access_key().to_string(),
        session_token: Some(c.session_token().to_string()),
        expiration: DateTime::<Utc>::from_timestamp(exp.secs(), exp.subsec_nanos()),
    }
}

fn missing(url: String) -> AwsError {
    AwsError::Other {
        url,
        detail: "the answer held no credentials".into(),
    }
}

/// GetSessionToken with the long-term keys and, never empty, the device and code.
pub async fn get_session_token(
    target: &Target,
    signer: Signer<'_>,
    mfa: &MfaInput<'_>,
    duration_seconds: u32,
) -> Result<Credentials, AwsError> {
    let url = url_of(target);
    let out = target
        .sts(signer.credentials)
        .get_session_token()
        .duration_seconds(duration_seconds as i32)
        .serial_number(mfa.serial)
        .token_code(mfa.code)
        .send()
        .await
        .map_err(|e| classify(e, signer.at(&url)))?;
    out.credentials().map(convert).ok_or_else(|| missing(url))
}

/// AssumeRole, with SerialNumber and TokenCode only when `mfa` is given.
pub async fn assume_role(
    target: &Target,
    signer: Signer<'_>,
    input: &AssumeRoleInput<'_>,
    mfa: Option<&MfaInput<'_>>,
) -> Result<Credentials, AwsError> {
    let url = url_of(target);
    let mut call = target
        .sts(signer.credentials)
        .assume_role()
        .role_arn(input.role_arn)
        .role_session_name(input.session_name)
        .duration_seconds(input.duration_seconds as i32)
        .set_external_id(input.external_id.map(str::to_string));
    if let Some(mfa) = mfa {
        call = call.serial_number(mfa.serial).token_code(mfa.code);
    }
    let out = call
        .send()
        .await
        .map_err(|e| classify(e, signer.at(&url)))?;
    out.credentials().map(convert).ok_or_else(|| missing(url))
}

pub async fn get_caller_identity(
    target: &Target,
    signer: Signer<'_>,
) -> Result<Identity, AwsError> {
    let url = url_of(target);
    let out = target
        .sts(signer.credentials)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| classify(e, signer.at(&url)))?;
    Ok(Identity {
        arn: out.arn().unwrap_or_default().to_string(),
        account: out.account().unwrap_or_default().to_string(),
        user_id: out.user_id().unwrap_or_default().to_string(),
    })
}

/// S3 ListBuckets: the bucket names, in the order S3 returns them.
pub async fn list_buckets(target: &Target, signer: Signer<'_>) -> Result<Vec<String>, AwsError> {
    let url = target
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", target.region));
    let out = target
        .s3(signer.credentials)
        .list_buckets()
        .send()
        .await
        .map_err(|e| classify(e, signer.at(&url)))?;
    Ok(out
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_string))
        .collect())
}
