//! Everything that can happen to the dashboard, and everything it can ask for.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

use super::state::{CheckKind, Row};
use crate::aws::sts::Identity;
use crate::shell::export::{ExportSet, Format};

#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    /// Time passed: redraw countdowns, turn spinners, give expiry notices.
    Tick,
    Resize,
    Loaded(Loaded),
    /// The engine needs a code before it can log in.
    CodeNeeded {
        profile: String,
        device: String,
        durations: Vec<u32>,
        /// The user whose MFA session lives, when a shorter role session could reuse it.
        reuse: Option<String>,
    },
    LoginFinished {
        profile: String,
        result: Result<LoginSuccess, LoginFailure>,
    },
    CheckFinished {
        profile: String,
        kind: CheckKind,
        at: DateTime<Utc>,
        result: Result<CheckOutput, String>,
    },
    /// A status line from the runtime: copy, subshell or forget done (or failed).
    Said(super::state::Level, String),
    Forgotten {
        profile: String,
    },
    /// A copy was made; an OSC 52 sequence, if that is how, still has to be written.
    Copied {
        level: super::state::Level,
        said: String,
        osc52: Vec<u8>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutput {
    Identity(Identity),
    Buckets(Vec<String>),
}

#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub rows: Vec<Row>,
    pub problems: Vec<String>,
    /// Select this profile after loading (from --profile or AWS_PROFILE).
    pub select: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSuccess {
    pub expires_at: Option<DateTime<Utc>>,
    pub export: Option<ExportSet>,
    pub notes: Vec<String>,
    /// Other profiles whose cached sessions this login wrote (the shared MFA session).
    pub also_updated: Vec<(String, DateTime<Utc>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFailure {
    /// The code was wrong, reused or malformed: the modal stays open.
    Code(String),
    Other(String),
}

/// Work for the runtime: IO the pure update must not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Get or renew a session; `code` None means "ask only if needed".
    Login {
        profile: String,
        code: Option<String>,
        duration: Option<u32>,
        /// Renew even though the session still lives.
        renew: bool,
    },
    Check {
        profile: String,
        kind: CheckKind,
    },
    Copy {
        profile: String,
        format: Format,
    },
    /// Hand the terminal to a shell holding the profile's session.
    Subshell {
        profile: String,
    },
    Forget {
        profile: String,
    },
    Reload,
    /// Bytes for the terminal itself (an OSC 52 copy), written between frames.
    WriteTerminal(Vec<u8>),
}
