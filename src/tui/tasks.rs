//! The background work behind effects. Each function runs off the loop and returns what
//! the loop needs; none touches the state or the terminal.

use chrono::{DateTime, Utc};

use super::action::CheckOutput;
use super::state::{CheckKind, Level};
use crate::aws::client::Service;
use crate::aws::sts::{self, Signer};
use crate::aws::{Target, provider};
use crate::profile::{Base, Locations, ProfileSet};
use crate::session::{Credentials, Engine};
use crate::shell::clipboard;
use crate::shell::export::ExportSet;

/// The credentials a profile's checks and exports use: its live session, else for sso and
/// credential_process profiles what the SDK's own provider gives.
pub async fn credentials(
    set: &ProfileSet,
    engine: &Engine,
    locations: &Locations,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<Credentials, String> {
    let chain = set.resolve(profile).map_err(|e| e.to_string())?;
    if let Some(credentials) = engine.current(&chain, now) {
        return Ok(credentials);
    }
    match &chain.base {
        Base::Sso { .. } | Base::Process { .. } if chain.hops.is_empty() => {
            provider::profile_credentials(locations, profile)
                .await
                .map_err(|e| e.to_string())
        }
        _ => Err(format!(
            "{profile} has no live session: press Enter to get one"
        )),
    }
}

/// What `y` copies and `x` injects for a profile.
pub async fn export_set(
    set: &ProfileSet,
    engine: &Engine,
    locations: &Locations,
    profile: &str,
    now: DateTime<Utc>,
) -> Result<ExportSet, String> {
    let credentials = credentials(set, engine, locations, profile, now).await?;
    let selected = set.get(profile).ok_or("the profile is gone; press r")?;
    let export = ExportSet::for_profile(selected, credentials);
    export.validate().map_err(|e| e.to_string())?;
    Ok(export)
}

pub async fn check(
    set: &ProfileSet,
    engine: &Engine,
    locations: &Locations,
    profile: &str,
    kind: CheckKind,
    now: DateTime<Utc>,
) -> Result<CheckOutput, String> {
    let credentials = credentials(set, engine, locations, profile, now).await?;
    let selected = set.get(profile).ok_or("the profile is gone; press r")?;
    let signer = Signer {
        profile,
        credentials: &credentials,
    };
    let env = |k: &str| std::env::var(k).ok();
    let target =
        |service| Target::resolve(service, selected.region(), selected.endpoint_url(), env);
    match kind {
        CheckKind::Identity => sts::get_caller_identity(&target(Service::Sts), signer)
            .await
            .map(CheckOutput::Identity),
        CheckKind::Buckets => sts::list_buckets(&target(Service::S3), signer)
            .await
            .map(CheckOutput::Buckets),
    }
    .map_err(|e| e.to_string())
}

/// Copy export lines. An OSC 52 sequence is returned, not written: only the loop may
/// write to the terminal, between frames.
pub fn copy(text: &str, clear: std::time::Duration) -> (Level, String, Vec<u8>) {
    let mut osc52 = Vec::new();
    match clipboard::copy(text, clear, &mut osc52) {
        Ok(method) => (Level::Info, method.message(clear), osc52),
        Err(e) => (Level::Error, format!("could not copy: {e}"), Vec::new()),
    }
}
