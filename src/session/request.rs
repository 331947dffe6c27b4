//! What a login asks for, built from the profile files, and the duration rules that decide
//! which STS calls it takes.

use std::fmt;

use crate::profile::{Chain, ChainError, ProfileSet, RoleHop};

/// GetSessionToken's accepted range for IAM users.
pub const SESSION_TOKEN_RANGE: (u32, u32) = (900, 129_600);
/// AssumeRole's accepted range (a role's MaxSessionDuration may be lower).
pub const ROLE_RANGE: (u32, u32) = (900, 43_200);
/// AWS caps a role assumed with temporary credentials ("role chaining") at one hour.
pub const CHAINING_CAP: u32 = 3600;
/// GetSessionToken's own default, used when neither the user nor the profile asks.
pub const DEFAULT_MFA_SESSION: u32 = 43_200;

/// What the user asked for, and the profile settings the STS calls need.
#[derive(Clone)]
pub struct LoginRequest {
    pub chain: Chain,
    /// Region of the selected profile (None: each call's own profile, then AWS_REGION /
    /// AWS_DEFAULT_REGION, then us-east-1).
    pub region: Option<String>,
    /// `endpoint_url` of the selected profile.
    pub endpoint_url: Option<String>,
    /// Region and `endpoint_url` of the profile holding the keys (GetSessionToken goes there).
    pub base_region: Option<String>,
    pub base_endpoint_url: Option<String>,
    /// `duration_seconds` of the profile holding the keys: the length of its MFA session.
    pub mfa_duration_seconds: Option<u32>,
    /// `mfa_process` of the selected profile, else the first one down its chain.
    pub mfa_process: Option<String>,
    pub code: Option<String>,
    /// The session length asked for; None: the profile's `duration_seconds`, then defaults.
    pub duration_seconds: Option<u32>,
    /// Renew the profile's own session even while it lives. The MFA session behind a
    /// role is still reused while it lives, so renewing a role needs no new code.
    pub force: bool,
}

impl fmt::Debug for LoginRequest {
    // The code is masked: requests end up in logs and panic messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("chain", &self.chain)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("base_region", &self.base_region)
            .field("base_endpoint_url", &self.base_endpoint_url)
            .field("mfa_duration_seconds", &self.mfa_duration_seconds)
            .field("mfa_process", &self.mfa_process)
            .field("code", &self.code.as_ref().map(|_| "******"))
            .field("duration_seconds", &self.duration_seconds)
            .field("force", &self.force)
            .finish()
    }
}

impl LoginRequest {
    /// A request for profile `name` with no code, no explicit duration, no force.
    pub fn for_profile(set: &ProfileSet, name: &str) -> Result<LoginRequest, ChainError> {
        Ok(Self::from_chain(set, name, set.resolve(name)?))
    }

    /// The same, for a chain already resolved from `set`.
    pub fn from_chain(set: &ProfileSet, name: &str, chain: Chain) -> LoginRequest {
        let selected = set.get(name);
        let base = set.get(chain.base.profile());
        let owned = |v: Option<&str>| v.map(str::to_string);
        let mfa_process = chain
            .names
            .iter()
            .find_map(|n| set.get(n).and_then(|p| p.mfa_process()))
            .map(str::to_string);
        LoginRequest {
            region: owned(selected.and_then(|p| p.region())),
            endpoint_url: owned(selected.and_then(|p| p.endpoint_url())),
            base_region: owned(base.and_then(|p| p.region())),
            base_endpoint_url: owned(base.and_then(|p| p.endpoint_url())),
            mfa_duration_seconds: base
                .and_then(|p| p.duration_seconds())
                .and_then(|d| d.parse().ok()),
            mfa_process,
            chain,
            code: None,
            duration_seconds: None,
            force: false,
        }
    }

    /// The profile the session belongs to.
    pub fn profile(&self) -> &str {
        self.chain
            .names
            .first()
            .map(String::as_str)
            .unwrap_or(self.chain.base.profile())
    }

    /// The length asked for the final role session.
    /// Why this request needs a code even while an MFA session may live: a role asked for
    /// over 1 h is assumed straight from the long-term keys.
    pub fn direct_reason(&self) -> Option<String> {
        let duration = self.role_duration();
        (!self.chain.hops.is_empty() && duration > CHAINING_CAP).then(|| {
            format!(
                "a {duration} s role session is assumed straight from the long-term keys: AWS \
                 caps a role assumed from the MFA session at 1 h; ask for --duration 1h to \
                 reuse the MFA session"
            )
        })
    }

    pub fn role_duration(&self) -> u32 {
        self.duration_seconds
            .or_else(|| self.chain.hops.last().and_then(|h| h.duration_seconds))
            .unwrap_or(CHAINING_CAP)
    }

    /// The length asked for the MFA session of an mfa-user.
    pub fn mfa_duration(&self) -> u32 {
        self.duration_seconds
            .or(self.mfa_duration_seconds)
            .unwrap_or(DEFAULT_MFA_SESSION)
    }

    /// The MFA session behind a role: the base profile's own length, else GetSessionToken's
    /// default. Not the role's length: the session outlives many role sessions.
    pub fn shared_mfa_duration(&self) -> u32 {
        self.mfa_duration_seconds.unwrap_or(DEFAULT_MFA_SESSION)
    }
}

/// `role_session_name`, else `mfatui-<user>` from the MFA device ARN, else the profile.
pub fn session_name(hop: &RoleHop, chain: &Chain) -> String {
    if let Some(name) = &hop.role_session_name {
        return name.clone();
    }
    let who = chain
        .mfa_serial
        .as_deref()
        .and_then(|s| {
            s.rsplit_once(":mfa/")
                .map(|(_, user)| user.rsplit('/').next().unwrap_or(user))
        })
        .unwrap_or(chain.base.profile());
    format!("mfatui-{who}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@-_".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect()
}

/// The durations the MFA modal offers, the profile's own `duration_seconds` (or the
/// default) first.
pub fn duration_choices(chain: &Chain, own: Option<u32>) -> Vec<u32> {
    const HOUR: u32 = 3600;
    let (default, mut choices) = if chain.hops.is_empty() {
        (
            DEFAULT_MFA_SESSION,
            vec![HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, 24 * HOUR, 36 * HOUR],
        )
    } else {
        (
            HOUR,
            vec![HOUR, 900, 1800, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR],
        )
    };
    let first = own.unwrap_or(default);
    choices.retain(|d| *d != first);
    choices.insert(0, first);
    choices
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[profile jo]
region = eu-west-1
mfa_serial = arn:aws:iam::123456789012:mfa/team/jo
duration_seconds = 7200
mfa_process = echo 123456
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = jo
duration_seconds = 1800
";
    const CREDENTIALS: &str = "[jo]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n";

    #[test]
    fn a_request_gathers_the_chain_settings() {
        let set = ProfileSet::from_strs(CONFIG, CREDENTIALS);
        let req = LoginRequest::for_profile(&set, "admin").unwrap();
        assert_eq!(req.profile(), "admin");
        assert_eq!(req.region, None);
        assert_eq!(req.base_region.as_deref(), Some("eu-west-1"));
        assert_eq!(req.mfa_process.as_deref(), Some("echo 123456"));
        assert_eq!(req.role_duration(), 1800);
        assert_eq!(req.shared_mfa_duration(), 7200);
        assert_eq!(session_name(&req.chain.hops[0], &req.chain), "mfatui-jo");
        let mut jo = LoginRequest::for_profile(&set, "jo").unwrap();
        assert_eq!(jo.mfa_duration(), 7200);
        jo.code = Some("135790".into());
        let debug = format!("{jo:?}");
        assert!(!debug.contains("135790") && !debug.contains("secret_access_key: \"s\""));
    }
}
