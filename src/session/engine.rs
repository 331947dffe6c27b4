//! The session engine: which STS calls a profile needs, the one-MFA-per-device rule,
//! and the cache. The dashboard and the script commands both drive this.
//!
//! A login is planned first ([`Engine::needs_code`] and [`Engine::login`] share the plan, so
//! the dashboard never opens the MFA modal for a login that needs no code), then carried out
//! under the device's lock, so two mfatui processes never spend the same code twice.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::cache::{Cache, SessionKey};
use super::code::UsedCodes;
use super::credentials::Credentials;
use super::error;
use super::lock::FileLock;
use super::request::{CHAINING_CAP, LoginRequest, SESSION_TOKEN_RANGE};
use super::run::{MFA_SESSION, Run, role_range};
use super::state::SessionState;
use crate::profile::{Base, Chain};

pub use super::error::LoginError;
pub use super::request::{DEFAULT_MFA_SESSION, duration_choices};

/// How long a login waits for another mfatui logging in with the same device: longer than
/// that one's worst case (an `mfa_process` waiting for a touch, then the STS calls).
const LOCK_WAIT: Duration = Duration::from_secs(150);

#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub credentials: Credentials,
    /// Things the user should know (a capped duration, a reused MFA session, a region).
    pub notes: Vec<String>,
    /// Whether this login sent an MFA code.
    pub used_code: bool,
    /// The profile's own session was still live; nothing was sent.
    pub cached: bool,
}

/// Where the first credentials of a role chain come from.
pub(super) enum Source {
    /// Long-term keys, no MFA device.
    LongTerm,
    /// Long-term keys with the device and code on the first AssumeRole (sessions over 1 h).
    Direct { serial: String },
    /// The live MFA session of the user, reused without a code.
    MfaSession(Credentials),
    /// A new MFA session first (GetSessionToken with a code).
    NewMfaSession { serial: String },
    /// The live cached session of hop `first_hop - 1`.
    Hop(Credentials),
}

pub(super) enum Plan {
    Cached(Credentials),
    MfaUser { serial: String },
    Role { from: Source, first_hop: usize },
}

impl Plan {
    fn needs_code(&self) -> bool {
        matches!(
            self,
            Plan::MfaUser { .. }
                | Plan::Role {
                    from: Source::Direct { .. } | Source::NewMfaSession { .. },
                    ..
                }
        )
    }
}

#[derive(Debug)]
pub struct Engine {
    pub cache: Cache,
    pub(super) used_codes: UsedCodes,
}

impl Engine {
    pub fn new(cache: Cache) -> Engine {
        let used_codes = UsedCodes::new(cache.dir());
        Engine { cache, used_codes }
    }

    /// The key the session of hop `i` is stored under.
    pub fn hop_key(chain: &Chain, i: usize) -> SessionKey {
        let hop = &chain.hops[i];
        SessionKey {
            profile: hop.profile.clone(),
            mfa_serial: chain.mfa_serial.clone(),
            role_arn: Some(hop.role_arn.clone()),
        }
    }

    /// The key the selected profile's own session is stored under; None for plain keys.
    pub fn final_key(chain: &Chain) -> Option<SessionKey> {
        match chain.hops.len() {
            0 => Self::mfa_key(chain),
            n => Some(Self::hop_key(chain, n - 1)),
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

    /// A cached session, if it is outside the safety margin of its expiry.
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

    /// The credentials to use for the selected profile now, if any are live: its own
    /// session, or for a plain keys profile its keys.
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

    /// Whether [`Engine::login`] needs a code that the user must type: one is needed, and
    /// neither the request nor the profile's `mfa_process` supplies it.
    pub fn needs_code(&self, req: &LoginRequest, now: DateTime<Utc>) -> bool {
        req.code.is_none()
            && req.mfa_process.is_none()
            && self.plan(req, now).is_ok_and(|p| p.needs_code())
    }

    /// The checks a login makes before any call (durations, a supported chain), so a
    /// caller can fail before asking for a code.
    pub fn preflight(&self, req: &LoginRequest, now: DateTime<Utc>) -> Result<(), LoginError> {
        match self.plan(req, now)? {
            Plan::Cached(_) => Ok(()),
            Plan::MfaUser { .. } => {
                error::out_of_range(MFA_SESSION, req.mfa_duration(), SESSION_TOKEN_RANGE).map(drop)
            }
            Plan::Role { .. } => role_range(req).map(drop),
        }
    }

    fn plan(&self, req: &LoginRequest, now: DateTime<Utc>) -> Result<Plan, LoginError> {
        let chain = &req.chain;
        if !req.force
            && let Some(credentials) = Self::final_key(chain).and_then(|k| self.live(&k, now))
        {
            return Ok(Plan::Cached(credentials));
        }
        let (profile, keys) = match &chain.base {
            Base::Keys { profile, keys } => (profile, keys),
            other => return Err(unsupported(other)),
        };
        let Some(last) = chain.hops.len().checked_sub(1) else {
            let serial = chain.mfa_serial.clone().ok_or(LoginError::NothingToGet {
                profile: profile.clone(),
            })?;
            return Ok(Plan::MfaUser { serial });
        };
        // Every cached hop is checked on its own: resume after the last one still live.
        for i in (0..last).rev() {
            if let Some(credentials) = self.live(&Self::hop_key(chain, i), now) {
                return Ok(Plan::Role {
                    from: Source::Hop(credentials),
                    first_hop: i + 1,
                });
            }
        }
        let from = match &chain.mfa_serial {
            None => Source::LongTerm,
            Some(serial)
                if last == 0
                    && keys.session_token.is_none()
                    && req.role_duration() > CHAINING_CAP =>
            {
                Source::Direct {
                    serial: serial.clone(),
                }
            }
            Some(serial) => match Self::mfa_key(chain).and_then(|k| self.live(&k, now)) {
                Some(session) => Source::MfaSession(session),
                None => Source::NewMfaSession {
                    serial: serial.clone(),
                },
            },
        };
        Ok(Plan::Role { from, first_hop: 0 })
    }

    /// Forget every session of the chain: the profile's, its hops' and the MFA session.
    pub fn forget(&self, chain: &Chain) -> std::io::Result<bool> {
        let mut removed = false;
        let keys = (0..chain.hops.len())
            .map(|i| Self::hop_key(chain, i))
            .chain(Self::mfa_key(chain));
        for key in keys {
            removed |= self.cache.remove(&key)?;
        }
        Ok(removed)
    }

    /// Forget only the profile's own session (a role's last hop, or an MFA user's session);
    /// the MFA session behind a role stays, so other roles keep working.
    pub fn forget_own(&self, chain: &Chain) -> std::io::Result<bool> {
        match Self::final_key(chain) {
            Some(key) => self.cache.remove(&key),
            None => Ok(false),
        }
    }

    pub async fn login(
        &self,
        req: &LoginRequest,
        now: DateTime<Utc>,
    ) -> Result<LoginOutcome, LoginError> {
        let lock_name = match &req.chain.mfa_serial {
            Some(serial) => format!("device\n{serial}"),
            None => format!("profile\n{}", req.profile()),
        };
        let _lock = FileLock::acquire(&FileLock::path_for(self.cache.dir(), &lock_name), LOCK_WAIT)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::TimedOut => LoginError::Busy {
                    profile: req.profile().to_string(),
                    seconds: LOCK_WAIT.as_secs(),
                },
                _ => self.cache_error(e),
            })?;
        // Another process may have logged in while this one waited.
        let now = now.max(Utc::now());
        let mut run = Run {
            engine: self,
            req,
            now,
            notes: Vec::new(),
            used_code: false,
        };
        let credentials = match self.plan(req, now)? {
            Plan::Cached(credentials) => {
                return Ok(LoginOutcome {
                    credentials,
                    notes: vec!["the cached session is still live".into()],
                    used_code: false,
                    cached: true,
                });
            }
            Plan::MfaUser { serial } => run.mfa_user(&serial).await?,
            Plan::Role { from, first_hop } => run.roles(from, first_hop).await?,
        };
        Ok(LoginOutcome {
            credentials,
            notes: run.notes,
            used_code: run.used_code,
            cached: false,
        })
    }

    pub(super) fn store(&self, key: &SessionKey, creds: &Credentials) -> Result<(), LoginError> {
        self.cache
            .store(key, creds)
            .map(drop)
            .map_err(|e| self.cache_error(e))
    }

    fn cache_error(&self, e: std::io::Error) -> LoginError {
        LoginError::CacheWrite {
            path: self.cache.dir().display().to_string(),
            reason: e.to_string(),
        }
    }
}

/// Why a chain that does not start from static keys has no mfatui login, and what works.
fn unsupported(base: &Base) -> LoginError {
    let (profile, what) = match base {
        Base::Sso { profile } => (
            profile,
            format!(
                "IAM Identity Center (sso) sessions come from `aws sso login --profile \
                 {profile}`; export, exec, whoami and buckets then use them"
            ),
        ),
        Base::Process { profile, .. } => (
            profile,
            "credential_process supplies the credentials itself; export, exec, whoami and \
             buckets use it"
                .to_string(),
        ),
        Base::CredentialSource { profile, source } => (
            profile,
            format!("credential_source = {source} is not something mfatui logs in to"),
        ),
        Base::Keys { profile, .. } => (profile, "static keys".to_string()),
    };
    LoginError::Unsupported {
        profile: profile.clone(),
        what,
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
