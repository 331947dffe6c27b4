//! Carrying out effects: file and cache reads, STS and S3 calls on background tasks,
//! the clipboard. Results come back to the loop as actions, so the UI never waits on
//! the network. (The subshell needs the terminal, so the loop runs it; see handoff.rs.)

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

use super::Context;
use super::action::{Action, CheckOutput, Effect, Loaded, LoginFailure, LoginSuccess};
use super::rows;
use super::state::{CheckKind, Level};
use crate::aws::client::Service;
use crate::aws::sts::{self, Signer};
use crate::aws::{AwsError, Target, provider};
use crate::profile::{Base, Locations, ProfileSet};
use crate::session::engine::{self, LoginError};
use crate::session::{Cache, Credentials, Engine, LoginRequest};
use crate::settings::Settings;
use crate::shell::export::{self, ExportSet};

pub struct Runtime {
    locations: Locations,
    settings: Settings,
    engine: Arc<Engine>,
    profiles: Arc<ProfileSet>,
    tx: UnboundedSender<Action>,
}

impl Runtime {
    pub fn new(ctx: &Context, tx: UnboundedSender<Action>) -> Runtime {
        Runtime {
            locations: ctx.locations.clone(),
            settings: ctx.settings.clone(),
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
            Effect::Check { profile, kind } => self.check(profile, kind, now),
            Effect::Copy { profile, format } => {
                let said = match self.export_set(&profile, now) {
                    Some(set) => copy(&export::render(format, &set), &self.settings),
                    None => (
                        Level::Warn,
                        format!("{profile} has no live session: press Enter to get one"),
                    ),
                };
                let _ = self.tx.send(Action::Said(said.0, said.1));
            }
            Effect::Forget { profile } => {
                let action = match self
                    .profiles
                    .resolve(&profile)
                    .map(|c| self.engine.forget(&c))
                {
                    Ok(Ok(_)) => Action::Forgotten { profile },
                    Ok(Err(e)) => Action::Said(
                        Level::Error,
                        format!("{profile}: could not remove the cached session ({e})"),
                    ),
                    Err(e) => Action::Said(Level::Error, format!("{profile}: {e}")),
                };
                let _ = self.tx.send(action);
            }
            Effect::Subshell { .. } => unreachable!("the loop runs subshells itself"),
        }
    }

    /// The live credentials of a profile mfatui logs in, as export lines' input.
    pub fn export_set(&self, profile: &str, now: DateTime<Utc>) -> Option<ExportSet> {
        let chain = self.profiles.resolve(profile).ok()?;
        let credentials = self.engine.current(&chain, now)?;
        Some(ExportSet::for_profile(
            self.profiles.get(profile)?,
            credentials,
        ))
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
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
        let Some(selected) = self.profiles.get(&profile).cloned() else {
            return;
        };
        // The settings' default length applies to MFA sessions; a role asks for 1 h.
        let own_duration = selected
            .duration_seconds()
            .and_then(|d| d.parse().ok())
            .or(self
                .settings
                .default_duration
                .filter(|_| chain.hops.is_empty()));
        let req = LoginRequest {
            code,
            duration_seconds: duration.or(own_duration),
            force: renew,
            ..LoginRequest::from_chain(&self.profiles, &profile, chain)
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
                        export: Some(ExportSet::for_profile(&selected, outcome.credentials)),
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

    fn check(&self, profile: String, kind: CheckKind, now: DateTime<Utc>) {
        let tx = self.tx.clone();
        let set = Arc::clone(&self.profiles);
        let engine = Arc::clone(&self.engine);
        let locations = self.locations.clone();
        tokio::spawn(async move {
            let result = run_check(&set, &engine, &locations, &profile, kind, now).await;
            let _ = tx.send(Action::CheckFinished {
                profile,
                kind,
                at: Utc::now(),
                result,
            });
        });
    }
}

async fn run_check(
    set: &ProfileSet,
    engine: &Engine,
    locations: &Locations,
    profile: &str,
    kind: CheckKind,
    now: DateTime<Utc>,
) -> Result<CheckOutput, String> {
    let chain = set.resolve(profile).map_err(|e| e.to_string())?;
    let selected = set.get(profile).ok_or("the profile is gone; press r")?;
    let credentials: Credentials = match (&chain.base, engine.current(&chain, now)) {
        (_, Some(credentials)) => credentials,
        (Base::Sso { .. } | Base::Process { .. }, None) => {
            provider::profile_credentials(locations, profile)
                .await
                .map_err(|e| e.to_string())?
        }
        _ => return Err("no live session: press Enter to get one".into()),
    };
    let signer = Signer {
        profile,
        credentials: &credentials,
    };
    let env = |k: &str| std::env::var(k).ok();
    match kind {
        CheckKind::Identity => {
            let target = Target::resolve(
                Service::Sts,
                selected.region(),
                selected.endpoint_url(),
                env,
            );
            sts::get_caller_identity(&target, signer)
                .await
                .map(CheckOutput::Identity)
        }
        CheckKind::Buckets => {
            let target =
                Target::resolve(Service::S3, selected.region(), selected.endpoint_url(), env);
            sts::list_buckets(&target, signer)
                .await
                .map(CheckOutput::Buckets)
        }
    }
    .map_err(|e| e.to_string())
}

/// Copy export lines; the status says where they went and when they will be cleared.
fn copy(text: &str, settings: &Settings) -> (Level, String) {
    let clear = settings.clipboard_clear;
    match crate::shell::clipboard::copy(text, clear, &mut std::io::stdout()) {
        Ok(method) => (Level::Info, method.message(clear)),
        Err(e) => (Level::Error, format!("could not copy: {e}")),
    }
}
