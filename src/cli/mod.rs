//! The command line: global options, then either a script command or the dashboard.

pub mod list;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::profile::{Locations, ProfileSet};
use crate::session::{Cache, Engine};

#[derive(Debug, Parser)]
#[command(
    name = "mfatui",
    version,
    about = "A terminal dashboard for AWS temporary credentials"
)]
pub struct Cli {
    /// Select this profile first (default: AWS_PROFILE).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The AWS config file (default: AWS_CONFIG_FILE, else ~/.aws/config).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The AWS credentials file (default: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials).
    #[arg(long, global = true, value_name = "PATH")]
    pub credentials: Option<PathBuf>,
    /// Where sessions are cached (default: MFATUI_CACHE_DIR, else $XDG_CACHE_HOME/mfatui, else ~/.cache/mfatui).
    #[arg(long, global = true, value_name = "PATH")]
    pub cache_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every profile, its kind, chain and session state.
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// What every command needs: where the files are, the profiles, the session engine.
pub struct Env {
    pub locations: Locations,
    pub cache_dir: PathBuf,
}

impl Env {
    pub fn from_cli(cli: &Cli) -> Env {
        Env {
            locations: Locations::resolve(cli.config.clone(), cli.credentials.clone()),
            cache_dir: Cache::default_dir(cli.cache_dir.clone(), |k| std::env::var(k).ok()),
        }
    }

    pub fn profiles(&self) -> ProfileSet {
        ProfileSet::load(&self.locations)
    }

    pub fn engine(&self) -> Engine {
        Engine::new(Cache::new(self.cache_dir.clone()))
    }
}

/// An error already phrased for the user, with the exit code it deserves.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub fn new(code: i32, message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code,
        }
    }
}

/// Exit codes (README.md lists them).
pub mod exit {
    /// Bad usage or an unknown profile.
    pub const USAGE: i32 = 2;
}
