//! mfatui: a terminal dashboard for AWS temporary credentials.
//!
//! Rooms: `profile` reads the ~/.aws files; `session` gets, caches and reuses STS
//! sessions; `aws` builds clients and turns SDK errors into words; `shell` formats
//! exports and runs subshells; `tui` is the dashboard; `cli` the script commands.

pub mod aws;
pub mod cli;
pub mod profile;
pub mod session;
pub mod settings;
pub mod shell;
pub mod timefmt;
pub mod tui;
