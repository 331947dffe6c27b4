//! `mfatui buckets PROFILE [--json]`: S3 ListBuckets with the profile's session.

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
    let (name, buckets) =
        session::call_with_session(env, name, code, Service::S3, sts::list_buckets).await?;
    if as_json {
        serde_json::to_writer_pretty(&mut *out, &json!({ "profile": name, "buckets": buckets }))?;
        writeln!(out)?;
    } else if buckets.is_empty() {
        eprintln!("mfatui: profile {name} sees no buckets");
    } else {
        for bucket in &buckets {
            writeln!(out, "{bucket}")?;
        }
    }
    Ok(())
}
