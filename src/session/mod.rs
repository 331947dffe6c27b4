//! Sessions: getting them from STS, the MFA reuse rules, and the cache on disk.

pub mod cache;
pub mod code;
pub mod credentials;
pub mod engine;
pub mod state;

pub use cache::{Cache, SessionKey};
pub use credentials::Credentials;
pub use engine::{Engine, LoginRequest};
pub use state::SessionState;
