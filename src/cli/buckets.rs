//! `mfatui buckets PROFILE [--json]`: S3 ListBuckets with the profile's session.

use std::io::Write;

use serde_json::json;

use super::session::{self, LoginOptions};
use super::whoami::target;
use super::{Env, Failure, exit};
use crate::aws::client::Service;
use crate::aws::sts::{self, Signer};

pub async fn run(
    env: &Env,
    name: Option<&str>,
    as_json: bool,
    code: Option<String>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (set, name) = session::select(env, name)?;
    let credentials = session::credentials(env, &set, &name, LoginOptions::with_code(code)).await?;
    let target = target(&set, &name, Service::S3);
    let signer = Signer {
        profile: &name,
        credentials: &credentials,
    };
    let buckets = sts::list_buckets(&target, signer).await.map_err(|e| {
        session::forget_refused(env, &set, &name, &e);
        Failure::new(exit::FAILURE, e.to_string())
    })?;
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
