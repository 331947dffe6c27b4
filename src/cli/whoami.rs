//! `mfatui whoami PROFILE [--json]`: GetCallerIdentity with the profile's session.

use std::io::Write;

use serde_json::json;

use super::Env;
use super::session;
use crate::aws::client::Service;
use crate::aws::sts;

pub async fn run(
    env: &Env,
    name: Option<&str>,
    as_json: bool,
    code: Option<String>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (name, identity) =
        session::call_with_session(env, name, code, Service::Sts, sts::get_caller_identity).await?;
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
