//! Sessions: getting them from STS, the MFA reuse rules, and the cache on disk.

pub mod cache;
pub mod code;
pub mod credentials;
pub mod engine;
pub mod error;
pub mod lock;
pub mod mfa_process;
pub mod request;
mod run;
pub mod state;

pub use cache::{Cache, SessionKey};
pub use credentials::Credentials;
pub use engine::{Engine, LoginOutcome};
pub use error::LoginError;
pub use request::LoginRequest;
pub use state::SessionState;
