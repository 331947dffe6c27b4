//! `mfatui whoami PROFILE [--json]`: GetCallerIdentity with the profile's session.

use std::io::Write;

use serde_json::json;

use super::session::{self, LoginOptions};
use super::{Env, Failure, exit};
use crate::aws::client::{Service, env_region};
use crate::aws::sts::{self, Signer};
use crate::aws::{DEFAULT_REGION, Target};
use crate::profile::ProfileSet;

pub async fn run(
    env: &Env,
    name: Option<&str>,
    as_json: bool,
    code: Option<String>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (set, name) = session::select(env, name)?;
    let credentials = session::credentials(env, &set, &name, LoginOptions::with_code(code)).await?;
    let target = target(&set, &name, Service::Sts);
    let signer = Signer {
        profile: &name,
        credentials: &credentials,
    };
    let identity = sts::get_caller_identity(&target, signer)
        .await
        .map_err(|e| {
            session::forget_refused(env, &set, &name, &e);
            Failure::new(exit::FAILURE, e.to_string())
        })?;
    if as_json {
        let value = json!({
            "profile": name,
            "arn": identity.arn,
            "account": identity.account,
            "user_id": identity.user_id,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(out, "arn      {}", identity.arn)?;
        writeln!(out, "account  {}", identity.account)?;
        writeln!(out, "user id  {}", identity.user_id)?;
    }
    Ok(())
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
