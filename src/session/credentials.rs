//! Temporary credentials as mfatui holds them.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A set of temporary (or, for keys profiles, long-term) credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// UTC instant after which AWS refuses the credentials; None for long-term keys.
    pub expiration: Option<DateTime<Utc>>,
}

impl fmt::Debug for Credentials {
    // Secrets never reach logs, panic messages or error text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"****")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "****"),
            )
            .field("expiration", &self.expiration)
            .finish()
    }
}
