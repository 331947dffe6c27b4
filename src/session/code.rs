//! MFA codes: exactly six digits, and never the same code twice for one device
//! inside its 30-second window (AWS rejects a reused code).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::lock::FileLock;

/// How long a code that AWS accepted is remembered for its device.
pub const REUSE_WINDOW_SECONDS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("the MFA code must be exactly six digits")]
    NotSixDigits,
    #[error("this code was just used for this device; wait for the next code")]
    Reused { device: String },
}

/// Trimmed, exactly six ASCII digits.
pub fn validate(code: &str) -> Result<String, CodeError> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_string())
    } else {
        Err(CodeError::NotSixDigits)
    }
}

/// Codes recently accepted, per device, stored as hashes in the cache directory so
/// that two `mfatui login` runs in a row see each other.
#[derive(Debug)]
pub struct UsedCodes {
    path: PathBuf,
}

type Entries = BTreeMap<String, (String, DateTime<Utc>)>;

impl UsedCodes {
    pub fn new(cache_dir: &std::path::Path) -> UsedCodes {
        UsedCodes {
            path: cache_dir.join("used-codes.json"),
        }
    }

    pub fn check(&self, device: &str, code: &str, now: DateTime<Utc>) -> Result<(), CodeError> {
        match self.read().get(device) {
            Some((hash, at))
                if *hash == digest(device, code)
                    && (now - *at).num_seconds() < REUSE_WINDOW_SECONDS =>
            {
                Err(CodeError::Reused {
                    device: device.to_string(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Remember an accepted code. Best effort: failing to remember must not fail a login.
    /// The read-modify-write holds a lock, so two processes recording codes for two devices
    /// at once both keep theirs.
    pub fn record(&self, device: &str, code: &str, now: DateTime<Utc>) {
        let dir = self.path.parent().unwrap_or(std::path::Path::new("."));
        let lock = FileLock::path_for(dir, "used-codes");
        let _guard = FileLock::acquire_blocking(&lock, std::time::Duration::from_secs(5)).ok();
        let mut entries = self.read();
        entries.retain(|_, (_, at)| (now - *at).num_seconds() < REUSE_WINDOW_SECONDS);
        entries.insert(device.to_string(), (digest(device, code), now));
        if let Ok(json) = serde_json::to_vec(&entries) {
            let _ = crate::session::cache::write_atomic(&self.path, &json);
        }
    }

    fn read(&self) -> Entries {
        std::fs::read(&self.path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }
}

fn digest(device: &str, code: &str) -> String {
    let d = Sha256::digest(format!("{device}\n{code}").as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_only() {
        assert_eq!(validate(" 123456\n").unwrap(), "123456");
        for bad in ["", "12345", "1234567", "12345a", "١٢٣٤٥٦"] {
            assert_eq!(validate(bad), Err(CodeError::NotSixDigits), "{bad}");
        }
    }

    #[test]
    fn a_used_code_is_refused_inside_its_window() {
        let dir = tempfile::tempdir().unwrap();
        let used = UsedCodes::new(dir.path());
        let now = Utc::now();
        used.record("dev", "123456", now);
        assert!(matches!(
            used.check("dev", "123456", now),
            Err(CodeError::Reused { .. })
        ));
        assert!(used.check("dev", "654321", now).is_ok());
        assert!(used.check("other", "123456", now).is_ok());
        let later = now + chrono::Duration::seconds(REUSE_WINDOW_SECONDS);
        assert!(used.check("dev", "123456", later).is_ok());
    }
}
