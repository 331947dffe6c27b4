//! `mfatui login PROFILE [--code CODE] [--duration 12h] [--force]`: get or renew a session
//! and print its expiry.

use std::io::Write;

use chrono::Utc;

use super::session::{self, LoginOptions};
use super::{Env, Failure, exit};
use crate::timefmt::{countdown, local_with_zone, rfc3339_utc};

pub async fn run(
    env: &Env,
    name: Option<&str>,
    opts: LoginOptions,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (set, name) = session::select(env, name)?;
    let chain = session::resolve(&set, &name)?;
    let engine = env.engine();
    let code_given = opts.code.is_some();
    let outcome = session::login(env, &engine, &set, &name, chain, opts).await?;
    let Some(expires_at) = outcome.credentials.expiration else {
        return Err(Failure::new(exit::FAILURE, "AWS returned a session without an expiry").into());
    };
    let left = countdown((expires_at - Utc::now()).num_seconds());
    if outcome.cached {
        writeln!(
            out,
            "{name}: the session is still live until {} ({}, {left} left); --force renews it",
            rfc3339_utc(expires_at),
            local_with_zone(expires_at)
        )?;
        if code_given {
            eprintln!("mfatui: note: --code was not used");
        }
    } else {
        writeln!(
            out,
            "{name}: session until {} ({}, {left} left)",
            rfc3339_utc(expires_at),
            local_with_zone(expires_at)
        )?;
    }
    Ok(())
}
