//! SDK errors in the words users read (DESIGN.md, "Errors users meet").

use std::error::Error as StdError;

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

use super::client::CONNECT_TIMEOUT;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwsError {
    #[error("the code was rejected; check the device's clock or wait for the next code")]
    CodeRejected,
    #[error("the access key of profile {profile} was refused by AWS (InvalidClientTokenId)")]
    KeyRefused { profile: String },
    #[error(
        "the secret key of profile {profile} does not match its access key (SignatureDoesNotMatch)"
    )]
    SecretMismatch { profile: String },
    #[error("the session of profile {profile} has expired (ExpiredToken); log in again")]
    SessionExpired { profile: String },
    #[error("AWS is throttling requests ({code}); try again in a moment")]
    Throttled { code: String },
    #[error("{message}")]
    Duration { message: String },
    #[error("AWS refused the request ({code}): {message}")]
    Refused { code: String, message: String },
    #[error("could not reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url} did not answer within {seconds} s")]
    TimedOut { url: String, seconds: u64 },
    #[error("the credentials of profile {profile} could not be loaded: {reason}{hint}")]
    Provider {
        profile: String,
        reason: String,
        hint: String,
    },
    #[error("unexpected answer from {url}: {detail}")]
    Other { url: String, detail: String },
}

/// What the failing call was about, for the words.
#[derive(Debug, Clone, Copy)]
pub struct CallContext<'a> {
    /// The profile whose credentials signed the call.
    pub profile: &'a str,
    /// The endpoint, or the AWS default for the region.
    pub url: &'a str,
}

pub fn classify<E>(err: SdkError<E, HttpResponse>, ctx: CallContext<'_>) -> AwsError
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    let url = ctx.url.to_string();
    match &err {
        SdkError::TimeoutError(_) => {
            return AwsError::TimedOut {
                url,
                seconds: CONNECT_TIMEOUT.as_secs(),
            };
        }
        SdkError::DispatchFailure(failure) => {
            if failure.is_timeout() {
                return AwsError::TimedOut {
                    url,
                    seconds: CONNECT_TIMEOUT.as_secs(),
                };
            }
            return AwsError::Unreachable {
                url,
                reason: root_cause(&err),
            };
        }
        SdkError::ServiceError(_) => {}
        _ => {
            return AwsError::Other {
                url,
                detail: root_cause(&err),
            };
        }
    }
    let Some(code) = err.code().map(str::to_string) else {
        // Something answered, but not AWS: a proxy, a captive portal, a wrong endpoint_url.
        let status = err.raw_response().map(|r| r.status().as_u16());
        return AwsError::Other {
            url,
            detail: match status {
                Some(status) => {
                    format!("HTTP {status} without an AWS error; is this an AWS endpoint?")
                }
                None => root_cause(&err),
            },
        };
    };
    let message = err.message().unwrap_or_default().to_string();
    from_code(&code, &message, ctx)
}

/// The mapping from an AWS error code and message to words; separate so the stub-backed
/// tests and the unit tests check the same table.
pub fn from_code(code: &str, message: &str, ctx: CallContext<'_>) -> AwsError {
    let profile = ctx.profile.to_string();
    match code {
        "AccessDenied" if message.contains("MultiFactorAuthentication") => AwsError::CodeRejected,
        "InvalidClientTokenId" => AwsError::KeyRefused { profile },
        "SignatureDoesNotMatch" => AwsError::SecretMismatch { profile },
        "ExpiredToken" | "ExpiredTokenException" => AwsError::SessionExpired { profile },
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "SlowDown" => {
            AwsError::Throttled {
                code: code.to_string(),
            }
        }
        "ValidationError" if message.to_lowercase().contains("duration") => AwsError::Duration {
            message: message.to_string(),
        },
        _ => AwsError::Refused {
            code: code.to_string(),
            message: message.to_string(),
        },
    }
}

/// The innermost error's text: for a refused connection, the OS reason.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: CallContext<'static> = CallContext {
        profile: "jo",
        url: "http://127.0.0.1:1",
    };

    #[test]
    fn mfa_failures_read_as_a_rejected_code() {
        let e = from_code(
            "AccessDenied",
            "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
            CTX,
        );
        assert_eq!(e, AwsError::CodeRejected);
        assert_eq!(
            e.to_string(),
            "the code was rejected; check the device's clock or wait for the next code"
        );
    }

    #[test]
    fn refused_key_names_the_profile() {
        let e = from_code(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            CTX,
        );
        assert_eq!(
            e.to_string(),
            "the access key of profile jo was refused by AWS (InvalidClientTokenId)"
        );
    }
}
