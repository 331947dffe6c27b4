//! Why a login failed, in the words of DESIGN.md's error table. No variant carries a
//! secret: codes, keys and tokens never reach an error.

use super::code::CodeError;
use super::mfa_process::MfaProcessError;
use crate::aws::AwsError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error("an MFA code for {device} is needed{}", why.as_deref().map(|w| format!(" ({w})")).unwrap_or_default())]
    CodeNeeded {
        device: String,
        /// Why a code is needed although an MFA session may live (a role over 1 h).
        why: Option<String>,
    },
    #[error(transparent)]
    MfaProcess(#[from] MfaProcessError),
    /// A duration outside a limit: which call, the limit, the value asked, what will work.
    #[error("{what}: {limit}; {asked} s was asked; {works} s will work")]
    Duration {
        what: String,
        limit: String,
        asked: u32,
        works: u32,
    },
    #[error("profile {profile}: {what}")]
    Unsupported { profile: String, what: String },
    #[error("profile {profile} has static keys and no MFA device: there is no session to get")]
    NothingToGet { profile: String },
    #[error("could not save the session in {path}: {reason}")]
    CacheWrite { path: String, reason: String },
    #[error("another mfatui is logging in to {profile}; gave up waiting after {seconds} s")]
    Busy { profile: String, seconds: u64 },
}

impl LoginError {
    /// The code was refused, by mfatui (reused) or by AWS: the user should try another.
    pub fn is_rejected_code(&self) -> bool {
        matches!(
            self,
            LoginError::Code(CodeError::Reused { .. }) | LoginError::Aws(AwsError::CodeRejected)
        )
    }
}

/// `asked` outside `min..=max`: the error naming the limit and the nearest value that works.
pub fn out_of_range(what: &str, asked: u32, (min, max): (u32, u32)) -> Result<u32, LoginError> {
    if (min..=max).contains(&asked) {
        return Ok(asked);
    }
    Err(LoginError::Duration {
        what: what.to_string(),
        limit: format!("AWS accepts {min} to {max} s"),
        asked,
        works: asked.clamp(min, max),
    })
}

/// AWS's own duration refusal (ValidationError) for an AssumeRole, in words.
pub fn role_duration_refused(profile: &str, asked: u32, aws_message: &str) -> LoginError {
    let limit = if aws_message.to_lowercase().contains("chaining") {
        "AWS limits a role assumed with temporary credentials (role chaining) to 1 h".to_string()
    } else {
        "AWS refused it: the role's maximum session duration (MaxSessionDuration, set on the \
         role in IAM) is shorter"
            .to_string()
    };
    LoginError::Duration {
        what: format!("role {profile}"),
        limit,
        asked,
        works: asked.min(super::request::CHAINING_CAP),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_words_name_limit_asked_and_what_works() {
        let e =
            out_of_range("an MFA session (GetSessionToken)", 200_000, (900, 129_600)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "an MFA session (GetSessionToken): AWS accepts 900 to 129600 s; 200000 s was asked; \
             129600 s will work"
        );
        let e = role_duration_refused(
            "admin",
            7200,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        );
        assert!(e.to_string().contains("MaxSessionDuration"), "{e}");
        assert!(
            e.to_string()
                .ends_with("7200 s was asked; 3600 s will work"),
            "{e}"
        );
    }
}
