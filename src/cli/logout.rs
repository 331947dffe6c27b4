//! `mfatui logout [PROFILE... | --all]`: forget sessions.
//!
//! Forgetting a role forgets its whole chain: the role's session, its hops' and the MFA
//! session of the user behind it (logging out means no credentials left lying around; the
//! next login asks for a code again).

use std::io::Write;

use super::session::{self, report_cache};
use super::{Env, Failure, exit};
use crate::session::Engine;

pub fn run(env: &Env, names: &[String], all: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let engine = env.engine();
    let io_failure = |e: std::io::Error| {
        Failure::new(
            exit::FAILURE,
            format!(
                "could not remove sessions in {}: {e}",
                env.cache_dir.display()
            ),
        )
    };
    if all {
        let removed = engine.cache.clear_all().map_err(io_failure)?;
        writeln!(out, "forgot {removed} session(s)")?;
        return Ok(());
    }
    if names.is_empty() {
        return Err(
            Failure::new(exit::USAGE, "name the profiles to log out, or pass --all").into(),
        );
    }
    let set = env.profiles();
    // Every name is checked before anything is removed: a typo removes nothing.
    for name in names {
        session::check_known(&set, name)?;
    }
    for name in names {
        let (removed, behind) = match set.resolve(name) {
            Ok(chain) => {
                // Named, because other roles behind the same user lose it too.
                let behind = Engine::mfa_key(&chain)
                    .filter(|k| k.profile != *name)
                    .map(|k| format!(" (and the MFA session of {} behind it)", k.profile));
                (engine.forget(&chain).map_err(io_failure)?, behind)
            }
            Err(_) => (false, None),
        };
        if removed {
            let behind = behind.unwrap_or_default();
            writeln!(out, "{name}: session forgotten{behind}")?;
        } else {
            writeln!(out, "{name}: no session")?;
        }
    }
    report_cache(&engine);
    Ok(())
}
