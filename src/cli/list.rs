//! `mfatui list [--json]`: every profile, its kind, chain and session state.

use std::io::Write;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Env;
use crate::profile::{Profile, ProfileSet};
use crate::session::{Engine, SessionState};
use crate::timefmt::{countdown, rfc3339_utc};

pub fn run(env: &Env, as_json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let set = env.profiles();
    let engine = env.engine();
    let now = Utc::now();
    for problem in &set.problems {
        eprintln!("mfatui: {problem}");
    }
    if as_json {
        let items: Vec<Value> = set.iter().map(|p| entry(&set, &engine, p, now)).collect();
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
    } else {
        table(&set, &engine, now, out)?;
    }
    for problem in engine.cache.take_problems() {
        eprintln!("mfatui: {problem}");
    }
    Ok(())
}

fn session_of(set: &ProfileSet, engine: &Engine, name: &str, now: DateTime<Utc>) -> SessionState {
    set.resolve(name)
        .map(|chain| engine.state(&chain, now))
        .unwrap_or(SessionState::None)
}

fn entry(set: &ProfileSet, engine: &Engine, p: &Profile, now: DateTime<Utc>) -> Value {
    let chain = set.resolve(&p.name).ok();
    let session = session_of(set, engine, &p.name, now);
    json!({
        "name": p.name,
        "kind": p.kind().as_str(),
        "region": p.region(),
        "region_used": region_used(p),
        "mfa_serial": chain.as_ref().and_then(|c| c.mfa_serial.clone()).or(p.mfa_serial().map(str::to_string)),
        "role_arn": p.role_arn(),
        "source_profile": p.source_profile(),
        "chain": chain.as_ref().map(|c| c.names.clone()).unwrap_or_default(),
        "session": {
            "state": session.label(),
            "expires_at": session.expires_at().map(rfc3339_utc),
            "remaining_seconds": session.remaining_seconds(now),
        },
        "problems": set.profile_problems(&p.name),
        "notes": region_note(p).into_iter().collect::<Vec<_>>(),
    })
}

/// The region calls for this profile go to: its own, else AWS_REGION / AWS_DEFAULT_REGION,
/// else the SDKs' default.
fn region_used(p: &Profile) -> String {
    p.region()
        .map(str::to_string)
        .or_else(env_region)
        .unwrap_or_else(|| crate::aws::DEFAULT_REGION.to_string())
}

fn env_region() -> Option<String> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

fn region_note(p: &Profile) -> Option<String> {
    let source = if env_region().is_some() {
        "from the environment"
    } else {
        "the default"
    };
    p.region().is_none().then(|| {
        format!(
            "profile {} sets no region; {} ({source}) will be used",
            p.name,
            region_used(p)
        )
    })
}

fn table(
    set: &ProfileSet,
    engine: &Engine,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let width = set
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    writeln!(
        out,
        "{:<width$}  {:<8}  {:<14}  {:<9}  CHAIN",
        "PROFILE", "KIND", "REGION", "SESSION"
    )?;
    for p in set.iter() {
        let session = match session_of(set, engine, &p.name, now) {
            s @ SessionState::Active { .. } => countdown(s.remaining_seconds(now).unwrap_or(0)),
            s => s.label().to_string(),
        };
        let chain = match set.resolve(&p.name) {
            Ok(c) => c.names.join(" -> "),
            Err(e) => format!("problem: {e}"),
        };
        writeln!(
            out,
            "{:<width$}  {:<8}  {:<14}  {:<9}  {chain}",
            p.name,
            p.kind().as_str(),
            p.region()
                .map_or_else(|| format!("({})", region_used(p)), str::to_string),
            session
        )?;
    }
    let problems: Vec<String> = set
        .iter()
        .flat_map(|p| {
            set.profile_problems(&p.name)
                .into_iter()
                .map(move |e| format!("  {}: {e}", p.name))
        })
        .collect();
    if !problems.is_empty() {
        writeln!(out, "\nProblems:")?;
        for line in problems {
            writeln!(out, "{line}")?;
        }
    }
    if set.iter().any(|p| p.region().is_none()) {
        writeln!(
            out,
            "\n(region): the profile sets none; calls go to that region (AWS_REGION, else us-east-1)."
        )?;
    }
    Ok(())
}
