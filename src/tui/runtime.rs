//! Carrying out effects: file and cache reads, STS calls on background tasks. Results
//! come back to the loop as actions, so the UI never waits on the network.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

use super::Context;
use super::action::{Action, Effect, Loaded, LoginFailure, LoginSuccess};
use super::rows;
use crate::aws::AwsError;
use crate::profile::{Locations, ProfileSet};
use crate::session::engine::{self, LoginError};
use crate::session::{Cache, Engine, LoginRequest};

pub struct Runtime {
    locations: Locations,
    engine: Arc<Engine>,
    profiles: Arc<ProfileSet>,
    tx: UnboundedSender<Action>,
}

impl Runtime {
    pub fn new(ctx: &Context, tx: UnboundedSender<Action>) -> Runtime {
        Runtime {
            locations: ctx.locations.clone(),
            engine: Arc::new(Engine::new(Cache::new(ctx.cache_dir.clone()))),
            profiles: Arc::new(ProfileSet::default()),
            tx,
        }
    }

    /// Read both files and the cache afresh.
    pub fn load(&mut self, now: DateTime<Utc>) -> Loaded {
        self.profiles = Arc::new(ProfileSet::load(&self.locations));
        let rows = rows::build(&self.profiles, &self.engine, now);
        let mut problems: Vec<String> = self
            .profiles
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        problems.extend(self.engine.cache.take_problems());
        Loaded {
            rows,
            problems,
            select: None,
        }
    }

    pub fn perform(&mut self, effect: Effect, now: DateTime<Utc>) {
        match effect {
            Effect::Reload => {
                let loaded = self.load(now);
                let _ = self.tx.send(Action::Loaded(loaded));
            }
            Effect::Login {
                profile,
                code,
                duration,
                renew,
            } => self.login(profile, code, duration, renew, now),
        }
    }

    fn login(
        &self,
        profile: String,
        code: Option<String>,
        duration: Option<u32>,
        renew: bool,
        now: DateTime<Utc>,
    ) {
        let fail = |reason: String| Action::LoginFinished {
            profile: profile.clone(),
            result: Err(LoginFailure::Other(reason)),
        };
        let chain = match self.profiles.resolve(&profile) {
            Ok(chain) => chain,
            Err(e) => {
                let _ = self.tx.send(fail(e.to_string()));
                return;
            }
        };
        let selected = self.profiles.get(&profile);
        let own_duration = selected
            .and_then(|p| p.duration_seconds())
            .and_then(|d| d.parse().ok());
        let req = LoginRequest {
            region: selected.and_then(|p| p.region()).map(str::to_string),
            endpoint_url: selected.and_then(|p| p.endpoint_url()).map(str::to_string),
            chain,
            code,
            duration_seconds: duration.or(own_duration),
            force: renew,
        };
        if req.code.is_none() && self.engine.needs_code(&req, now) {
            let device = req.chain.mfa_serial.clone().unwrap_or_default();
            let durations = engine::duration_choices(&req.chain, own_duration);
            let _ = self.tx.send(Action::CodeNeeded {
                profile,
                device,
                durations,
            });
            return;
        }
        let engine = Arc::clone(&self.engine);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let result = match engine.login(&req, now).await {
                Ok(outcome) => {
                    let also_updated = Engine::mfa_key(&req.chain)
                        .filter(|k| k.profile != profile)
                        .and_then(|k| {
                            Some((
                                k.profile.clone(),
                                engine.cache.load(&k)?.credentials.expiration?,
                            ))
                        })
                        .into_iter()
                        .collect();
                    Ok(LoginSuccess {
                        expires_at: outcome.credentials.expiration,
                        notes: outcome.notes,
                        also_updated,
                    })
                }
                Err(e @ (LoginError::Code(_) | LoginError::Aws(AwsError::CodeRejected))) => {
                    Err(LoginFailure::Code(e.to_string()))
                }
                Err(e) => Err(LoginFailure::Other(e.to_string())),
            };
            let _ = tx.send(Action::LoginFinished { profile, result });
        });
    }
}
