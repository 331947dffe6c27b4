//! What the script commands share: picking the profile, logging in when needed (with the
//! same rules as the dashboard), and turning engine errors into exit codes.

use chrono::Utc;

use super::prompt::{self, PromptError};
use super::{Env, Failure, exit};
use crate::aws::client::{Service, env_region};
use crate::aws::sts::Signer;
use crate::aws::{AwsError, DEFAULT_REGION, Target, provider};
use crate::profile::{Base, Chain, ProfileSet};
use crate::session::code::CodeError;
use crate::session::{Credentials, Engine, LoginError, LoginOutcome, LoginRequest};

/// Whether a missing code may be asked for on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Terminal,
    /// credential_process has no terminal: never prompt, say how to log in instead.
    Never,
}

/// How to log in when a command needs a session (no Debug: it holds the code).
#[derive(Clone)]
pub struct LoginOptions {
    pub code: Option<String>,
    pub duration: Option<u32>,
    pub force: bool,
    pub ask: Ask,
}

impl LoginOptions {
    pub fn with_code(code: Option<String>) -> LoginOptions {
        LoginOptions {
            code,
            duration: None,
            force: false,
            ask: Ask::Terminal,
        }
    }
}

/// The profile set and the profile the command is about: the argument, else `--profile`,
/// else AWS_PROFILE. Unknown names fail with exit 2 and a "did you mean". File problems
/// are printed as notes: the other profiles still work.
pub fn select(env: &Env, name: Option<&str>) -> Result<(ProfileSet, String), Failure> {
    let set = env.profiles();
    for problem in &set.problems {
        eprintln!("mfatui: {problem}");
    }
    let name = name
        .map(str::to_string)
        .or_else(|| env.profile.clone())
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|v| !v.is_empty()))
        .ok_or_else(|| Failure::new(exit::USAGE, "name a profile (mfatui --help lists how)"))?;
    check_known(&set, &name)?;
    Ok((set, name))
}

/// Exit 2 with a "did you mean" unless `name` is a profile of `set`.
pub fn check_known(set: &ProfileSet, name: &str) -> Result<(), Failure> {
    if set.get(name).is_some() {
        return Ok(());
    }
    let hint = set
        .suggest(name)
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default();
    Err(Failure::new(
        exit::USAGE,
        format!("profile {name} not found{hint}"),
    ))
}

pub fn resolve(set: &ProfileSet, name: &str) -> Result<Chain, Failure> {
    set.resolve(name)
        .map_err(|e| Failure::new(exit::USAGE, e.to_string()))
}

/// Credentials for `name` now: a live session (or a keys profile's keys) as is; for sso,
/// credential_process and credential_source profiles the SDK's own provider; else a login.
pub async fn credentials(
    env: &Env,
    set: &ProfileSet,
    name: &str,
    opts: LoginOptions,
) -> Result<Credentials, Failure> {
    let chain = resolve(set, name)?;
    let engine = env.engine();
    let current = (!opts.force)
        .then(|| engine.current(&chain, Utc::now()))
        .flatten();
    report_cache(&engine);
    if let Some(credentials) = current {
        return Ok(credentials);
    }
    if !matches!(chain.base, Base::Keys { .. }) {
        return provider::profile_credentials(&env.locations, name)
            .await
            .map_err(|e| Failure::new(exit::FAILURE, e.to_string()));
    }
    let outcome = login(env, &engine, set, name, chain, opts).await?;
    Ok(outcome.credentials)
}

/// Log in to `name` (the engine reuses whatever is live), asking for a code as `opts` say.
/// Notes go to stderr.
pub async fn login(
    env: &Env,
    engine: &Engine,
    set: &ProfileSet,
    name: &str,
    chain: Chain,
    opts: LoginOptions,
) -> Result<LoginOutcome, Failure> {
    let mut req = LoginRequest::from_chain(set, name, chain);
    req.code = opts.code;
    req.force = opts.force;
    // The settings file's default_duration is for MFA sessions; the profile's own
    // duration_seconds wins over it. A role asks for its duration_seconds, else 1 h.
    let own = set.get(name).and_then(|p| p.duration_seconds());
    let default = (own.is_none() && req.chain.hops.is_empty())
        .then_some(env.settings.default_duration)
        .flatten();
    req.duration_seconds = opts.duration.or(default);
    let now = Utc::now();
    engine.preflight(&req, now).map_err(|e| failure(name, e))?;
    let needs_code = engine.needs_code(&req, now);
    report_cache(engine);
    if needs_code {
        let device = req.chain.mfa_serial.clone().unwrap_or_default();
        let code = ask_code(name, &device, opts.ask).await.map_err(|mut f| {
            if let Some(why) = req.direct_reason() {
                f.message.push_str(&format!("\n{why}"));
            }
            f
        })?;
        req.code = Some(code);
    }
    let result = engine.login(&req, now).await;
    report_cache(engine);
    let outcome = result.map_err(|e| failure(name, e))?;
    for note in outcome.notes.iter().filter(|_| !outcome.cached) {
        eprintln!("mfatui: note: {note}");
    }
    Ok(outcome)
}

async fn ask_code(name: &str, device: &str, ask: Ask) -> Result<String, Failure> {
    if ask == Ask::Never {
        return Err(Failure::new(
            exit::NO_TERMINAL,
            format!(
                "profile {name} has no live session and needs an MFA code; \
                 run `mfatui login {name}` first (or set mfa_process in the profile)"
            ),
        ));
    }
    let (profile, device) = (name.to_string(), device.to_string());
    let answer = tokio::task::spawn_blocking(move || prompt::read_code(&profile, &device))
        .await
        .unwrap_or(Err(PromptError::NoTerminal));
    answer.map_err(|e| match e {
        PromptError::NoTerminal => Failure::new(
            exit::NO_TERMINAL,
            format!("profile {name} needs an MFA code: pass --code or run in a terminal"),
        ),
        PromptError::NoCode(why) => Failure::new(exit::USAGE, why),
    })
}

/// Cache files that could not be read, said once each.
pub fn report_cache(engine: &Engine) {
    for problem in engine.cache.take_problems() {
        eprintln!("mfatui: note: {problem}");
    }
}

/// An engine error with the exit code it deserves.
pub fn failure(name: &str, e: LoginError) -> Failure {
    let code = match &e {
        e if e.is_rejected_code() => exit::CODE_REJECTED,
        LoginError::Code(CodeError::NotSixDigits) => exit::USAGE,
        LoginError::CodeNeeded { .. } => exit::NO_TERMINAL,
        LoginError::Duration { .. }
        | LoginError::NothingToGet { .. }
        | LoginError::Unsupported { .. } => exit::USAGE,
        _ => exit::FAILURE,
    };
    let message = match e {
        LoginError::CodeNeeded { why, .. } => {
            let why = why.map(|w| format!("\n{w}")).unwrap_or_default();
            format!("profile {name} needs an MFA code: pass --code or run in a terminal{why}")
        }
        e => e.to_string(),
    };
    Failure::new(code, message)
}

/// A check failed because AWS no longer honours the cached session (expired early,
/// revoked): forget it, so the next command logs in again instead of reusing it.
pub fn forget_refused(env: &Env, set: &ProfileSet, name: &str, err: &AwsError) {
    if !matches!(
        err,
        AwsError::SessionExpired { .. } | AwsError::KeyRefused { .. }
    ) {
        return;
    }
    if let Ok(chain) = set.resolve(name)
        && let Some(key) = Engine::final_key(&chain)
    {
        let _ = env.engine().cache.remove(&key);
    }
}

/// The export of a selected profile holding `credentials`, checked for values no
/// environment can hold.
pub fn export_set(
    set: &ProfileSet,
    name: &str,
    credentials: Credentials,
) -> Result<crate::shell::export::ExportSet, Failure> {
    let profile = set.get(name).expect("select checked the name");
    let export = crate::shell::export::ExportSet::for_profile(profile, credentials);
    export
        .validate()
        .map_err(|e| Failure::new(exit::FAILURE, e.to_string()))?;
    Ok(export)
}

/// Log in as needed, then make one call with the profile's session (`whoami`, `buckets`).
/// A session AWS no longer honours is forgotten, so the next command logs in again.
pub async fn call_with_session<T>(
    env: &Env,
    name: Option<&str>,
    code: Option<String>,
    service: Service,
    call: impl for<'a> AsyncFnOnce(&'a Target, Signer<'a>) -> Result<T, AwsError>,
) -> anyhow::Result<(String, T)> {
    let (set, name) = select(env, name)?;
    let credentials = credentials(env, &set, &name, LoginOptions::with_code(code)).await?;
    let target = target(&set, &name, service);
    let signer = Signer {
        profile: &name,
        credentials: &credentials,
    };
    let value = call(&target, signer).await.map_err(|e| {
        forget_refused(env, &set, &name, &e);
        Failure::new(exit::FAILURE, e.to_string())
    })?;
    Ok((name, value))
}

/// Where a check for `name` goes: its region (else AWS_REGION / AWS_DEFAULT_REGION, else
/// us-east-1, said in a note) and its endpoint.
pub fn target(set: &ProfileSet, name: &str, service: Service) -> Target {
    let profile = set.get(name);
    let vars = |k: &str| std::env::var(k).ok();
    let region = profile
        .and_then(|p| p.region())
        .map(str::to_string)
        .or_else(|| env_region(vars));
    if region.is_none() {
        eprintln!("mfatui: note: profile {name} has no region; {DEFAULT_REGION} was used");
    }
    Target::resolve(
        service,
        region.as_deref(),
        profile.and_then(|p| p.endpoint_url()),
        vars,
    )
}
