//! Carrying out a planned login: the STS calls in order, each result cached as it comes,
//! notes for the user gathered on the way.

use chrono::{DateTime, Utc};

use super::cache::SessionKey;
use super::code;
use super::credentials::Credentials;
use super::engine::{Engine, Source};
use super::error::{self, LoginError};
use super::mfa_process;
use super::request::{CHAINING_CAP, LoginRequest, ROLE_RANGE, SESSION_TOKEN_RANGE, session_name};
use crate::aws::client::{Service, env_region};
use crate::aws::sts::{self, AssumeRoleInput, MfaInput, Signer};
use crate::aws::{AwsError, DEFAULT_REGION, Target};
use crate::profile::Base;

pub(super) const MFA_SESSION: &str = "an MFA session (GetSessionToken)";

pub(super) fn role_range(req: &LoginRequest) -> Result<u32, LoginError> {
    let what = format!("role {} (AssumeRole)", req.profile());
    error::out_of_range(&what, req.role_duration(), ROLE_RANGE)
}

/// One login in progress: the notes it gathers and whether it spent a code.
pub(super) struct Run<'a> {
    pub engine: &'a Engine,
    pub req: &'a LoginRequest,
    pub now: DateTime<Utc>,
    pub notes: Vec<String>,
    pub used_code: bool,
}

impl Run<'_> {
    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Where a call for `profile` goes: its own region, else the selected profile's, else
    /// AWS_REGION / AWS_DEFAULT_REGION, else us-east-1 (said in a note).
    fn target(&mut self, profile: &str, region: Option<&str>, endpoint: Option<&str>) -> Target {
        let region = region
            .or(self.req.region.as_deref())
            .map(str::to_string)
            .or_else(|| env_region(|k| std::env::var(k).ok()));
        if region.is_none() {
            self.note(format!(
                "profile {profile} has no region; {DEFAULT_REGION} was used"
            ));
        }
        Target::resolve(
            Service::Sts,
            region.as_deref(),
            endpoint.or(self.req.endpoint_url.as_deref()),
            |k| std::env::var(k).ok(),
        )
    }

    fn long_term(&self) -> (String, Credentials) {
        let Base::Keys { profile, keys } = &self.req.chain.base else {
            unreachable!("planned logins start from keys");
        };
        let credentials = Credentials {
            access_key_id: keys.access_key_id.clone(),
            secret_access_key: keys.secret_access_key.clone(),
            session_token: keys.session_token.clone(),
            expiration: None,
        };
        (profile.clone(), credentials)
    }

    /// The code for `serial`: the request's, else the profile's `mfa_process`; six digits,
    /// and not one just accepted for the device.
    async fn take_code(&mut self, serial: &str) -> Result<String, LoginError> {
        let code = match (&self.req.code, &self.req.mfa_process) {
            (Some(raw), _) => code::validate(raw)?,
            (None, Some(command)) => {
                mfa_process::run(command, self.req.profile(), mfa_process::TIMEOUT).await?
            }
            (None, None) => {
                return Err(LoginError::CodeNeeded {
                    device: serial.to_string(),
                    why: None,
                });
            }
        };
        self.engine.used_codes.check(serial, &code, self.now)?;
        Ok(code)
    }

    /// GetSessionToken with the long-term keys; the session is cached under the MFA key.
    async fn mfa_session(
        &mut self,
        serial: &str,
        duration: u32,
    ) -> Result<Credentials, LoginError> {
        let code = self.take_code(serial).await?;
        let (profile, keys) = self.long_term();
        let (region, endpoint) = (
            self.req.base_region.clone(),
            self.req.base_endpoint_url.clone(),
        );
        let target = self.target(&profile, region.as_deref(), endpoint.as_deref());
        let signer = Signer {
            profile: &profile,
            credentials: &keys,
        };
        let mfa = MfaInput {
            serial,
            code: &code,
        };
        let creds = sts::get_session_token(&target, signer, &mfa, duration)
            .await
            .map_err(|e| match e {
                AwsError::Duration { message } => LoginError::Duration {
                    what: MFA_SESSION.into(),
                    limit: format!("AWS refused it: {}", message.trim()),
                    asked: duration,
                    works: duration.min(CHAINING_CAP),
                },
                e => e.into(),
            })?;
        self.engine.used_codes.record(serial, &code, self.now);
        self.used_code = true;
        let key = Engine::mfa_key(&self.req.chain).expect("an MFA chain has a key");
        self.engine.store(&key, &creds)?;
        Ok(creds)
    }

    pub async fn mfa_user(&mut self, serial: &str) -> Result<Credentials, LoginError> {
        let duration =
            error::out_of_range(MFA_SESSION, self.req.mfa_duration(), SESSION_TOKEN_RANGE)?;
        self.mfa_session(serial, duration).await
    }

    pub async fn roles(
        &mut self,
        from: Source,
        first_hop: usize,
    ) -> Result<Credentials, LoginError> {
        let req = self.req;
        let duration = role_range(req)?;
        let chain = &req.chain;
        let (base_profile, long_term) = self.long_term();
        // The key of a cached session the chain starts from: dropped if AWS refuses it.
        let mut reused: Option<SessionKey> = None;
        let (mut current, mut signer_profile, mut direct) = match from {
            Source::LongTerm => (long_term, base_profile, None),
            Source::Direct { serial } => {
                let code = self.take_code(&serial).await.map_err(|e| match e {
                    LoginError::CodeNeeded { device, .. } => LoginError::CodeNeeded {
                        device,
                        why: req.direct_reason(),
                    },
                    e => e,
                })?;
                (long_term, base_profile, Some((serial, code)))
            }
            Source::MfaSession(session) => {
                self.note(format!("reused the MFA session of {base_profile}"));
                reused = Engine::mfa_key(chain);
                (session, base_profile, None)
            }
            Source::NewMfaSession { serial } => {
                let session = self.mfa_session(&serial, req.shared_mfa_duration()).await?;
                (session, base_profile, None)
            }
            Source::Hop(session) => {
                let previous = first_hop - 1;
                reused = Some(Engine::hop_key(chain, previous));
                (session, chain.hops[previous].profile.clone(), None)
            }
        };
        for i in first_hop..chain.hops.len() {
            let hop = &chain.hops[i];
            let asked = if i + 1 == chain.hops.len() {
                duration
            } else {
                CHAINING_CAP
            };
            // Temporary credentials signing an AssumeRole make it role chaining.
            let chained = current.session_token.is_some();
            let this = if chained && asked > CHAINING_CAP {
                self.note(format!(
                    "role {} was capped at 1 h (3600 s instead of {asked} s): AWS limits a role \
                     assumed with temporary credentials (role chaining) to 1 h",
                    hop.profile
                ));
                CHAINING_CAP
            } else {
                asked
            };
            let target = self.target(
                &hop.profile,
                hop.region.as_deref(),
                hop.endpoint_url.as_deref(),
            );
            let name = session_name(hop, chain);
            let input = AssumeRoleInput {
                role_arn: &hop.role_arn,
                session_name: &name,
                external_id: hop.external_id.as_deref(),
                duration_seconds: this,
            };
            let mfa = direct
                .as_ref()
                .map(|(serial, code)| MfaInput { serial, code });
            let signer = Signer {
                profile: &signer_profile,
                credentials: &current,
            };
            let result = sts::assume_role(&target, signer, &input, mfa.as_ref()).await;
            let creds = match result {
                Ok(creds) => creds,
                Err(AwsError::Duration { message }) => {
                    return Err(error::role_duration_refused(&hop.profile, this, &message));
                }
                Err(e) => {
                    if matches!(
                        e,
                        AwsError::SessionExpired { .. } | AwsError::KeyRefused { .. }
                    ) && let Some(key) = reused.take()
                    {
                        // AWS no longer honours the cached session: forget it, so the next
                        // login asks for a fresh one instead of failing again.
                        let _ = self.engine.cache.remove(&key);
                    }
                    return Err(e.into());
                }
            };
            if let Some((serial, code)) = direct.take() {
                self.engine.used_codes.record(&serial, &code, self.now);
                self.used_code = true;
            }
            reused = None;
            self.engine.store(&Engine::hop_key(chain, i), &creds)?;
            current = creds;
            signer_profile = hop.profile.clone();
        }
        Ok(current)
    }
}
