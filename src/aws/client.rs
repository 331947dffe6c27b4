//! Building SDK clients for one call: which credentials, region and endpoint.

use std::time::{Duration, SystemTime};

use aws_sdk_sts::config::retry::RetryConfig;
use aws_sdk_sts::config::timeout::TimeoutConfig;
use aws_sdk_sts::config::{BehaviorVersion, Region};

use crate::session::Credentials;

/// The region used when a profile names none (the SDKs' global STS default).
pub const DEFAULT_REGION: &str = "us-east-1";

/// How long a call may take before "endpoint unreachable" / "did not answer": the bound
/// DESIGN.md promises (default 10 s). It bounds the connection, each attempt, and the whole
/// call with its retry, so a closed port, a dropped connection and a blackholed one all
/// fail within it.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where one call goes: region and endpoint, resolved once from the profile and the
/// environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub region: String,
    /// None: the SDK's own endpoint for the region.
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub enum Service {
    Sts,
    S3,
}

impl Service {
    fn env_suffix(self) -> &'static str {
        match self {
            Service::Sts => "STS",
            Service::S3 => "S3",
        }
    }
}

impl Target {
    /// AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the profile's `endpoint_url`,
    /// the order the SDKs use.
    pub fn resolve(
        service: Service,
        region: Option<&str>,
        profile_endpoint: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Target {
        let var = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let endpoint_url = var(&format!("AWS_ENDPOINT_URL_{}", service.env_suffix()))
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .or_else(|| profile_endpoint.map(str::to_string));
        Target {
            region: region.unwrap_or(DEFAULT_REGION).to_string(),
            endpoint_url,
        }
    }

    pub fn sts(&self, credentials: &Credentials) -> aws_sdk_sts::Client {
        let mut config = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(self.region.clone()))
            .credentials_provider(sdk_credentials(credentials))
            .timeout_config(timeouts())
            .retry_config(RetryConfig::standard().with_max_attempts(2));
        if let Some(url) = &self.endpoint_url {
            config = config.endpoint_url(url);
        }
        aws_sdk_sts::Client::from_conf(config.build())
    }

    pub fn s3(&self, credentials: &Credentials) -> aws_sdk_s3::Client {
        let mut config = aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new(self.region.clone()))
            .credentials_provider(sdk_credentials(credentials))
            .timeout_config(timeouts())
            .retry_config(RetryConfig::standard().with_max_attempts(2));
        if let Some(url) = &self.endpoint_url {
            // Custom endpoints (moto, MinIO, VPC endpoints) rarely resolve bucket subdomains.
            config = config.endpoint_url(url).force_path_style(true);
        }
        aws_sdk_s3::Client::from_conf(config.build())
    }
}

fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(CONNECT_TIMEOUT)
        .operation_timeout(CONNECT_TIMEOUT)
        .build()
}

/// The region the environment names (AWS_REGION, then AWS_DEFAULT_REGION), if any.
pub fn env_region(env: impl Fn(&str) -> Option<String>) -> Option<String> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .into_iter()
        .find_map(|k| {
            env(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        })
}

fn sdk_credentials(c: &Credentials) -> aws_sdk_sts::config::Credentials {
    aws_sdk_sts::config::Credentials::new(
        c.access_key_id.clone(),
        c.secret_access_key.clone(),
        c.session_token.clone(),
        c.expiration.map(SystemTime::from),
        "mfatui",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_variable_wins_over_global_and_profile() {
        let env = |k: &str| match k {
            "AWS_ENDPOINT_URL_STS" => Some("http://sts.local".to_string()),
            "AWS_ENDPOINT_URL" => Some("http://all.local".to_string()),
            _ => None,
        };
        let t = Target::resolve(Service::Sts, None, Some("http://profile"), env);
        assert_eq!(t.endpoint_url.as_deref(), Some("http://sts.local"));
        assert_eq!(t.region, DEFAULT_REGION);
        let t = Target::resolve(Service::S3, Some("eu-west-1"), Some("http://profile"), env);
        assert_eq!(t.endpoint_url.as_deref(), Some("http://all.local"));
        let t = Target::resolve(Service::S3, None, Some("http://profile"), |_| None);
        assert_eq!(t.endpoint_url.as_deref(), Some("http://profile"));
    }
}
