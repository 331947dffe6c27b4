//! The session engine: which STS calls a profile needs, the one-MFA-per-device rule,
//! and the cache. The dashboard and the script commands both drive this.

use chrono::{DateTime, Utc};

use super::cache::{Cache, SessionKey};
use super::code::{self, CodeError, UsedCodes};
use super::credentials::Credentials;
use super::state::SessionState;
use crate::aws::client::Service;
use crate::aws::sts::{self, AssumeRoleInput, MfaInput, Signer};
use crate::aws::{AwsError, Target};
use crate::profile::{Base, Chain, RoleHop};

/// GetSessionToken's accepted range for IAM users.
pub const SESSION_TOKEN_RANGE: (u32, u32) = (900, 129_600);
/// AssumeRole's accepted range (a role's MaxSessionDuration may be lower).
pub const ROLE_RANGE: (u32, u32) = (900, 43_200);
/// AWS caps a role assumed with temporary credentials ("role chaining") at one hour.
pub const CHAINING_CAP: u32 = 3600;
/// GetSessionToken's own default, used when neither the user nor the profile asks.
pub const DEFAULT_MFA_SESSION: u32 = 43_200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error("an MFA code for {device} is needed")]
    CodeNeeded { device: String },
    #[error("{what} asks for {asked} s; {limit}; {works} s will work")]
    DurationOutOfRange {
        what: &'static str,
        asked: u32,
        limit: String,
        works: u32,
    },
    #[error("profile {profile}: {what} is not supported by mfatui's login yet")]
    Unsupported { profile: String, what: String },
    #[error("profile {profile} has static keys and no MFA device: there is no session to get")]
    NothingToGet { profile: String },
    #[error("could not save the session in {path}: {reason}")]
    CacheWrite { path: String, reason: String },
}

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct LoginRequest {
    pub chain: Chain,
    /// Region of the selected profile (None: the base profile's, then us-east-1).
    pub region: Option<String>,
    /// `endpoint_url` of the selected profile.
    pub endpoint_url: Option<String>,
    pub code: Option<String>,
    pub duration_seconds: Option<u32>,
    /// Renew the profile's own session even while it lives. The MFA session behind a
    /// role is still reused while it lives, so renewing a role needs no new code.
    pub force: bool,
}

#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub credentials: Credentials,
    /// Things the user should know (a capped duration, a reused MFA session).
    pub notes: Vec<String>,
    /// Whether this login sent an MFA code.
    pub used_code: bool,
}

#[derive(Debug)]
pub struct Engine {
    pub cache: Cache,
    used_codes: UsedCodes,
}

impl Engine {
    pub fn new(cache: Cache) -> Engine {
        let used_codes = UsedCodes::new(cache.dir());
        Engine { cache, used_codes }
    }

    /// The key the selected profile's own session is stored under; None for plain keys.
    pub fn final_key(chain: &Chain) -> Option<SessionKey> {
        match chain.hops.last() {
            Some(hop) => Some(SessionKey {
                profile: hop.profile.clone(),
                mfa_serial: chain.mfa_serial.clone(),
                role_arn: Some(hop.role_arn.clone()),
            }),
            None => Self::mfa_key(chain),
        }
    }

    /// The key of the MFA session (GetSessionToken) shared by every role behind one user.
    pub fn mfa_key(chain: &Chain) -> Option<SessionKey> {
        match (&chain.base, &chain.mfa_serial) {
            (Base::Keys { profile, .. }, Some(serial)) => Some(SessionKey {
                profile: profile.clone(),
                mfa_serial: Some(serial.clone()),
                role_arn: None,
            }),
            _ => None,
        }
    }

    fn live(&self, key: &SessionKey, now: DateTime<Utc>) -> Option<Credentials> {
        let session = self.cache.load(key)?;
        SessionState::from_expiry(session.credentials.expiration, now)
            .is_active()
            .then_some(session.credentials)
    }

    pub fn state(&self, chain: &Chain, now: DateTime<Utc>) -> SessionState {
        let expiry = Self::final_key(chain)
            .and_then(|k| self.cache.load(&k))
            .and_then(|s| s.credentials.expiration);
        SessionState::from_expiry(expiry, now)
    }

    /// The credentials to use for the selected profile now, if any are live.
    pub fn current(&self, chain: &Chain, now: DateTime<Utc>) -> Option<Credentials> {
        match Self::final_key(chain) {
            Some(key) => self.live(&key, now),
            None => match &chain.base {
                Base::Keys { keys, .. } if chain.hops.is_empty() => Some(Credentials {
                    access_key_id: keys.access_key_id.clone(),
                    secret_access_key: keys.secret_access_key.clone(),
                    session_token: keys.session_token.clone(),
                    expiration: None,
                }),
                _ => None,
            },
        }
    }

    /// Whether [`Engine::login`] will need a code for this request.
    pub fn needs_code(&self, req: &LoginRequest, now: DateTime<Utc>) -> bool {
        let Some(_) = &req.chain.mfa_serial else {
            return false;
        };
        if !req.force && Self::final_key(&req.chain).is_some_and(|k| self.live(&k, now).is_some()) {
            return false;
        }
        if req.chain.hops.is_empty() || self.direct_role_path(req) {
            return true;
        }
        Self::mfa_key(&req.chain).is_none_or(|k| self.live(&k, now).is_none())
    }

    /// A role session longer than the chaining cap is assumed straight from the long-term
    /// keys, with the device and code on the AssumeRole call itself.
    fn direct_role_path(&self, req: &LoginRequest) -> bool {
        !req.chain.hops.is_empty() && role_duration(req) > CHAINING_CAP
    }

    pub fn forget(&self, chain: &Chain) -> std::io::Result<bool> {
        let mut removed = false;
        for key in Self::final_key(chain)
            .into_iter()
            .chain(Self::mfa_key(chain))
        {
            removed |= self.cache.remove(&key)?;
        }
        Ok(removed)
    }

    pub async fn login(
        &self,
        req: &LoginRequest,
        now: DateTime<Utc>,
    ) -> Result<LoginOutcome, LoginError> {
        let chain = &req.chain;
        if !req.force
            && let Some(key) = Self::final_key(chain)
            && let Some(credentials) = self.live(&key, now)
        {
            return Ok(LoginOutcome {
                credentials,
                notes: vec!["the cached session is still live".into()],
                used_code: false,
            });
        }
        let Base::Keys {
            profile: base_profile,
            keys,
        } = &chain.base
        else {
            return Err(LoginError::Unsupported {
                profile: chain.base.profile().to_string(),
                what: format!("a chain whose base is {:?}", chain.base.profile()),
            });
        };
        let long_term = Credentials {
            access_key_id: keys.access_key_id.clone(),
            secret_access_key: keys.secret_access_key.clone(),
            session_token: keys.session_token.clone(),
            expiration: None,
        };
        let target = Target::resolve(
            Service::Sts,
            req.region.as_deref(),
            req.endpoint_url.as_deref(),
            |k| std::env::var(k).ok(),
        );
        let mut notes = Vec::new();
        let mut used_code = false;

        if chain.hops.is_empty() {
            let serial = chain
                .mfa_serial
                .as_deref()
                .ok_or_else(|| LoginError::NothingToGet {
                    profile: base_profile.clone(),
                })?;
            let duration = check_range(
                "GetSessionToken",
                req.duration_seconds.unwrap_or(DEFAULT_MFA_SESSION),
                SESSION_TOKEN_RANGE,
            )?;
            let code = self.take_code(req, serial, now)?;
            let signer = Signer {
                profile: base_profile,
                credentials: &long_term,
            };
            let creds = sts::get_session_token(
                &target,
                signer,
                &MfaInput {
                    serial,
                    code: &code,
                },
                duration,
            )
            .await?;
            self.used_codes.record(serial, &code, now);
            self.store(
                Self::mfa_key(chain).as_ref().expect("mfa chain has a key"),
                &creds,
            )?;
            return Ok(LoginOutcome {
                credentials: creds,
                notes,
                used_code: true,
            });
        }

        let duration = check_range("AssumeRole", role_duration(req), ROLE_RANGE)?;
        let (mut current, mut signer_profile, first_mfa) = match chain.mfa_serial.as_deref() {
            None => (long_term, base_profile.clone(), None),
            Some(serial) if self.direct_role_path(req) => {
                let code = self.take_code(req, serial, now)?;
                used_code = true;
                (
                    long_term,
                    base_profile.clone(),
                    Some((serial.to_string(), code)),
                )
            }
            Some(serial) => {
                let mfa_key = Self::mfa_key(chain).expect("mfa chain has a key");
                match self.live(&mfa_key, now) {
                    Some(session) => {
                        notes.push(format!("reused the MFA session of {base_profile}"));
                        (session, base_profile.clone(), None)
                    }
                    None => {
                        let code = self.take_code(req, serial, now)?;
                        let signer = Signer {
                            profile: base_profile,
                            credentials: &long_term,
                        };
                        let session = sts::get_session_token(
                            &target,
                            signer,
                            &MfaInput {
                                serial,
                                code: &code,
                            },
                            DEFAULT_MFA_SESSION,
                        )
                        .await?;
                        self.used_codes.record(serial, &code, now);
                        used_code = true;
                        self.store(&mfa_key, &session)?;
                        (session, base_profile.clone(), None)
                    }
                }
            }
        };
        let from_temporary = first_mfa.is_none() && current.session_token.is_some();
        for (i, hop) in chain.hops.iter().enumerate() {
            let chained = i > 0 || from_temporary;
            let asked = if i + 1 == chain.hops.len() {
                duration
            } else {
                CHAINING_CAP
            };
            let this = if chained && asked > CHAINING_CAP {
                notes.push(format!(
                    "{} was capped at 1h: AWS limits roles assumed with temporary credentials (role chaining) to 3600 s",
                    hop.profile
                ));
                CHAINING_CAP
            } else {
                asked
            };
            let mfa = if i == 0 {
                first_mfa
                    .as_ref()
                    .map(|(serial, code)| MfaInput { serial, code })
            } else {
                None
            };
            let hop_target = Target::resolve(
                Service::Sts,
                hop.region.as_deref().or(req.region.as_deref()),
                hop.endpoint_url.as_deref(),
                |k| std::env::var(k).ok(),
            );
            let session_name = session_name(hop, chain);
            let input = AssumeRoleInput {
                role_arn: &hop.role_arn,
                session_name: &session_name,
                external_id: hop.external_id.as_deref(),
                duration_seconds: this,
            };
            let signer = Signer {
                profile: &signer_profile,
                credentials: &current,
            };
            let creds = sts::assume_role(&hop_target, signer, &input, mfa.as_ref()).await?;
            if let Some((serial, code)) = &first_mfa
                && i == 0
            {
                self.used_codes.record(serial, code, now);
            }
            let key = SessionKey {
                profile: hop.profile.clone(),
                mfa_serial: chain.mfa_serial.clone(),
                role_arn: Some(hop.role_arn.clone()),
            };
            self.store(&key, &creds)?;
            current = creds;
            signer_profile = hop.profile.clone();
        }
        Ok(LoginOutcome {
            credentials: current,
            notes,
            used_code,
        })
    }

    fn take_code(
        &self,
        req: &LoginRequest,
        serial: &str,
        now: DateTime<Utc>,
    ) -> Result<String, LoginError> {
        let raw = req.code.as_deref().ok_or_else(|| LoginError::CodeNeeded {
            device: serial.to_string(),
        })?;
        let code = code::validate(raw)?;
        self.used_codes.check(serial, &code, now)?;
        Ok(code)
    }

    fn store(&self, key: &SessionKey, creds: &Credentials) -> Result<(), LoginError> {
        self.cache
            .store(key, creds)
            .map(|_| ())
            .map_err(|e| LoginError::CacheWrite {
                path: self.cache.dir().display().to_string(),
                reason: e.to_string(),
            })
    }
}

fn role_duration(req: &LoginRequest) -> u32 {
    req.duration_seconds
        .or_else(|| req.chain.hops.last().and_then(|h| h.duration_seconds))
        .unwrap_or(CHAINING_CAP)
}

fn check_range(what: &'static str, asked: u32, (min, max): (u32, u32)) -> Result<u32, LoginError> {
    if (min..=max).contains(&asked) {
        return Ok(asked);
    }
    Err(LoginError::DurationOutOfRange {
        what,
        asked,
        limit: format!("the limit is {min} to {max} s"),
        works: asked.clamp(min, max),
    })
}

/// `role_session_name`, else `mfatui-<user>` from the MFA device ARN, else the profile.
fn session_name(hop: &RoleHop, chain: &Chain) -> String {
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
    let cleaned: String = format!("mfatui-{who}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@-_".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    cleaned
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
            vec![900, 1800, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR],
        )
    };
    let first = own.unwrap_or(default);
    choices.retain(|d| *d != first);
    choices.insert(0, first);
    choices
}
