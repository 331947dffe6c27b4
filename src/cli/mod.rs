//! The command line: global options, then either a script command or the dashboard.

pub mod buckets;
pub mod completions;
pub mod duration;
pub mod exec;
pub mod export;
pub mod list;
pub mod login;
pub mod logout;
pub mod prompt;
pub mod session;
pub mod whoami;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::profile::{Locations, ProfileSet};
use crate::session::{Cache, Engine};
use crate::settings::Settings;
use crate::shell::export::Format;

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
    /// Internal: holds copied text on the clipboard, then clears it (started by a copy).
    #[command(name = "clipboard-keeper", hide = true)]
    ClipboardKeeper {
        /// Clear the clipboard after this many seconds if it still holds the text (0: never).
        #[arg(long, value_name = "SECONDS")]
        clear_after: u64,
    },
    /// Every profile, its kind, chain and session state.
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Get or renew a session and print its expiry.
    Login {
        /// The profile (default: --profile, else AWS_PROFILE).
        profile: Option<String>,
        #[command(flatten)]
        code: CodeArg,
        /// Session length: seconds (3600) or 12h, 90m, 1h30m (default: the profile's
        /// duration_seconds, else 12 h for an MFA session and 1 h for a role).
        #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
        duration: Option<u32>,
        /// Renew the session even while it is live.
        #[arg(long)]
        force: bool,
    },
    /// Print (or copy) the session's credentials; logs in first if needed.
    Export {
        /// The profile (default: --profile, else AWS_PROFILE).
        profile: Option<String>,
        /// sh (bash, zsh), fish, pwsh, dotenv, json, or process (credential_process JSON;
        /// never prompts). Default: the settings file's, else sh.
        #[arg(long, value_name = "FORMAT")]
        format: Option<Format>,
        /// Copy to the clipboard instead of printing.
        #[arg(long)]
        clipboard: bool,
        #[command(flatten)]
        code: CodeArg,
    },
    /// Run a command (default: your shell) with the session; exits with its status.
    Exec {
        /// The profile (default: --profile, else AWS_PROFILE).
        profile: Option<String>,
        #[command(flatten)]
        code: CodeArg,
        /// The command and its arguments, after `--`.
        #[arg(last = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// Who the session is: GetCallerIdentity.
    Whoami {
        /// The profile (default: --profile, else AWS_PROFILE).
        profile: Option<String>,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        code: CodeArg,
    },
    /// The S3 buckets the session sees: ListBuckets.
    Buckets {
        /// The profile (default: --profile, else AWS_PROFILE).
        profile: Option<String>,
        /// JSON instead of one name a line.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        code: CodeArg,
    },
    /// Forget sessions.
    Logout {
        /// The profiles whose sessions to forget (with their role chains' sessions).
        #[arg(conflicts_with = "all")]
        profiles: Vec<String>,
        /// Forget every session.
        #[arg(long)]
        all: bool,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `--code`, for every command that may log in.
#[derive(Clone, Args)]
pub struct CodeArg {
    /// The six-digit MFA code, if one is needed (else: mfa_process, else a prompt on the
    /// terminal).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
}

impl std::fmt::Debug for CodeArg {
    // A code is a credential for 30 s: never in Debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeArg")
            .field("code", &self.code.as_ref().map(|_| "******"))
            .finish()
    }
}

/// What every command needs: where the files are, the profiles, the session engine.
pub struct Env {
    pub locations: Locations,
    pub cache_dir: PathBuf,
    /// `--profile`, the fallback when a command names no profile.
    pub profile: Option<String>,
    pub settings: Settings,
    /// Bad values in the settings file (the defaults are used instead).
    pub settings_problems: Vec<String>,
}

impl Env {
    pub fn from_cli(cli: &Cli) -> Env {
        let (settings, settings_problems) = crate::settings::load(|k| std::env::var(k).ok());
        Env {
            locations: Locations::resolve(cli.config.clone(), cli.credentials.clone()),
            cache_dir: Cache::default_dir(cli.cache_dir.clone(), |k| std::env::var(k).ok()),
            profile: cli.profile.clone(),
            settings,
            settings_problems,
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

/// Exit codes (README.md, "Exit codes", lists them). `exec` exits with its command's
/// status instead, once the command runs.
pub mod exit {
    pub const OK: i32 = 0;
    /// AWS refused the request (other than the code), an endpoint was unreachable, or a file
    /// could not be read or written.
    pub const FAILURE: i32 = 1;
    /// Bad usage or input: an unknown profile, a malformed code, a duration out of range, a
    /// profile mfatui cannot log in.
    pub const USAGE: i32 = 2;
    /// A code is needed and there is no terminal to ask on (or `--format process`).
    pub const NO_TERMINAL: i32 = 3;
    /// The code was rejected by AWS, or was just used for this device.
    pub const CODE_REJECTED: i32 = 4;
    /// `exec`: the command could not be run (as shells do).
    pub const CANNOT_RUN: i32 = 126;
    /// `exec`: the command was not found.
    pub const NOT_FOUND: i32 = 127;
}

/// Run a script command (not the dashboard). `exec` does not return when its command runs.
pub fn dispatch(env: &Env, command: &Command) -> anyhow::Result<()> {
    let needs_settings = !matches!(
        command,
        Command::List { .. } | Command::Completions { .. } | Command::ClipboardKeeper { .. }
    );
    if needs_settings {
        for problem in &env.settings_problems {
            eprintln!("mfatui: note: {problem}");
        }
    }
    let mut out = std::io::stdout().lock();
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    };
    match command {
        Command::ClipboardKeeper { clear_after } => {
            crate::shell::clipboard::run_keeper(*clear_after)
        }
        Command::List { json } => list::run(env, *json, &mut out),
        Command::Completions { shell } => completions::run(*shell, &mut out),
        Command::Logout { profiles, all } => logout::run(env, profiles, *all, &mut out),
        Command::Login {
            profile,
            code,
            duration,
            force,
        } => {
            let opts = session::LoginOptions {
                code: code.code.clone(),
                duration: *duration,
                force: *force,
                ask: session::Ask::Terminal,
            };
            runtime()?.block_on(login::run(env, profile.as_deref(), opts, &mut out))
        }
        Command::Export {
            profile,
            format,
            clipboard,
            code,
        } => runtime()?.block_on(export::run(
            env,
            profile.as_deref(),
            *format,
            *clipboard,
            code.code.clone(),
            &mut out,
        )),
        Command::Whoami {
            profile,
            json,
            code,
        } => runtime()?.block_on(whoami::run(
            env,
            profile.as_deref(),
            *json,
            code.code.clone(),
            &mut out,
        )),
        Command::Buckets {
            profile,
            json,
            code,
        } => runtime()?.block_on(buckets::run(
            env,
            profile.as_deref(),
            *json,
            code.code.clone(),
            &mut out,
        )),
        Command::Exec {
            profile,
            code,
            command,
        } => {
            let rt = runtime()?;
            let cmd = rt.block_on(exec::prepare(
                env,
                profile.as_deref(),
                code.code.clone(),
                command,
            ))?;
            // No runtime threads or buffered output survive into the command.
            drop(rt);
            drop(out);
            Err(exec::exec(cmd).into())
        }
    }
}
