//! Carrying out effects: file and cache reads, STS and S3 calls on background tasks,
//! the clipboard. Results come back to the loop as actions, so the UI never waits on
//! the network. (The subshell needs the terminal, so the loop runs it; see handoff.rs.)

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;

use super::Context;
use super::action::{Action, Effect, Loaded, LoginFailure, LoginSuccess};
use super::rows;
use super::state::{CheckKind, Level};
use super::tasks;
use crate::aws::AwsError;
use crate::profile::{Locations, ProfileSet};
use crate::session::engine::{self, LoginError};
use crate::session::{Cache, Engine, LoginRequest, SessionState};
use crate::settings::Settings;
use crate::shell::export::{self, ExportSet, Format};

pub struct Runtime {
    locations: Locations,
    settings: Settings,
    /// Read once at start; said again with every reload, like the files' problems.
    settings_problems: Vec<String>,
    engine: Arc<Engine>,
    profiles: Arc<ProfileSet>,
    tx: UnboundedSender<Action>,
}

impl Runtime {
    pub fn new(ctx: &Context, tx: UnboundedSender<Action>) -> Runtime {
        Runtime {
            locations: ctx.locations.clone(),
            settings: ctx.settings.clone(),
            settings_problems: ctx.settings_problems.clone(),
            engine: Arc::new(Engine::new(Cache::new(ctx.cache_dir.clone()))),
            profiles: Arc::new(ProfileSet::default()),
            tx,
        }
    }

    /// Read both files and the cache afresh.
    pub fn load(&mut self, now: DateTime<Utc>) -> Loaded {
        self.show(ProfileSet::load(&self.locations), now)
    }

    /// Rows for profiles already read (at start, the set the command line checked).
    pub fn show(&mut self, set: ProfileSet, now: DateTime<Utc>) -> Loaded {
        self.profiles = Arc::new(set);
        let rows = rows::build(&self.profiles, &self.engine, now);
        let mut problems: Vec<String> = self
            .profiles
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        problems.extend(self.settings_problems.iter().cloned());
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
            Effect::Copy { profile, format } => self.copy(profile, format, now),
            Effect::Forget { profile } => {
                let action = match self
                    .profiles
                    .resolve(&profile)
                    .map(|c| self.engine.forget_own(&c))
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
            Effect::Subshell { .. } | Effect::WriteTerminal(_) => {
                unreachable!("the loop does what needs the terminal")
            }
        }
    }

    /// What `x` injects: see [`tasks::export_set`].
    pub async fn export_set(&self, profile: &str, now: DateTime<Utc>) -> Result<ExportSet, String> {
        tasks::export_set(&self.profiles, &self.engine, &self.locations, profile, now).await
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
            // A role asking for over 1 h needs a code even while the MFA session lives;
            // the prompt then offers to reuse it for a session of 1 h or less.
            let reuse = Engine::mfa_key(&req.chain)
                .filter(|_| !req.chain.hops.is_empty())
                .filter(|k| {
                    self.engine.cache.load(k).is_some_and(|s| {
                        SessionState::from_expiry(s.credentials.expiration, now).is_active()
                    })
                })
                .map(|k| k.profile);
            let _ = self.tx.send(Action::CodeNeeded {
                profile,
                device,
                durations,
                reuse,
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

    fn copy(&self, profile: String, format: Format, now: DateTime<Utc>) {
        let (tx, set, engine) = (
            self.tx.clone(),
            Arc::clone(&self.profiles),
            Arc::clone(&self.engine),
        );
        let locations = self.locations.clone();
        let clear = self.settings.clipboard_clear;
        tokio::spawn(async move {
            let action = match tasks::export_set(&set, &engine, &locations, &profile, now).await {
                Ok(export) => {
                    let text = export::render(format, &export);
                    // Starting the clipboard keeper waits on a child process.
                    let copied =
                        tokio::task::spawn_blocking(move || tasks::copy(&text, clear)).await;
                    match copied {
                        Ok((level, said, osc52)) => Action::Copied { level, said, osc52 },
                        Err(e) => Action::Said(Level::Error, format!("could not copy: {e}")),
                    }
                }
                Err(e) => Action::Said(Level::Warn, e),
            };
            let _ = tx.send(action);
        });
    }

    fn check(&self, profile: String, kind: CheckKind, now: DateTime<Utc>) {
        let tx = self.tx.clone();
        let set = Arc::clone(&self.profiles);
        let engine = Arc::clone(&self.engine);
        let locations = self.locations.clone();
        tokio::spawn(async move {
            let result = tasks::check(&set, &engine, &locations, &profile, kind, now).await;
            let _ = tx.send(Action::CheckFinished {
                profile,
                kind,
                at: Utc::now(),
                result,
            });
        });
    }
}
