use std::process::ExitCode;

use clap::Parser;

use mfatui::cli::{self, Cli, Env, Failure};
use mfatui::tui;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = Env::from_cli(&cli);
    let result = match &cli.command {
        Some(command) => cli::dispatch(&env, command),
        None => dashboard(&cli, &env),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = err
                .downcast_ref::<Failure>()
                .map_or(cli::exit::FAILURE, |f| f.code);
            eprintln!("mfatui: {err:#}");
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
    }
}

fn dashboard(cli: &Cli, env: &Env) -> anyhow::Result<()> {
    let select = cli
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|v| !v.is_empty()));
    let set = env.profiles();
    if let Some(name) = &select
        && !set.is_empty()
        && set.get(name).is_none()
    {
        let hint = set
            .suggest(name)
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        return Err(
            Failure::new(cli::exit::USAGE, format!("profile {name} not found{hint}")).into(),
        );
    }
    // Inside an mfatui shell, start on the profile that shell holds (if it still exists).
    let held = std::env::var("MFATUI_PROFILE")
        .ok()
        .filter(|v| !v.is_empty());
    let select = select.or_else(|| held.filter(|name| set.get(name).is_some()));
    let ctx = tui::Context {
        profiles: set,
        locations: env.locations.clone(),
        cache_dir: env.cache_dir.clone(),
        select,
        settings: env.settings.clone(),
        settings_problems: env.settings_problems.clone(),
        held_session: std::env::var("MFATUI_PROFILE")
            .ok()
            .filter(|v| !v.is_empty()),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(tui::run(ctx))
}
