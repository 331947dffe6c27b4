//! The session cache on disk: one JSON file per session, written atomically.
//!
//! Layout: `<dir>/<encoded profile>.<hash>.json`. The hash covers the whole key
//! (profile, device, role), and the key is stored inside the file and compared on
//! read, so lookups are exact: no prefix matching, and `acme` never finds `acme-dev`.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::credentials::Credentials;

const FORMAT: &str = "mfatui-session-v1";

/// Which session a file holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionKey {
    /// The keys profile for an MFA session; the role profile for a role session.
    pub profile: String,
    pub mfa_serial: Option<String>,
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedSession {
    pub credentials: Credentials,
    pub obtained_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: String,
    key: SessionKey,
    obtained_at: DateTime<Utc>,
    credentials: Credentials,
}

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Unreadable files already reported, so each is reported once.
    reported: Mutex<HashSet<PathBuf>>,
    problems: Mutex<Vec<String>>,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            reported: Mutex::new(HashSet::new()),
            problems: Mutex::new(Vec::new()),
        }
    }

    /// `--cache-dir`, else MFATUI_CACHE_DIR, else `$XDG_CACHE_HOME/mfatui`, else `~/.cache/mfatui`.
    pub fn default_dir(flag: Option<PathBuf>, env: impl Fn(&str) -> Option<String>) -> PathBuf {
        let var = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        flag.or_else(|| var("MFATUI_CACHE_DIR"))
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("mfatui")))
            .unwrap_or_else(|| {
                var("HOME")
                    .unwrap_or_default()
                    .join(".cache")
                    .join("mfatui")
            })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path_for(&self, key: &SessionKey) -> PathBuf {
        let canonical = serde_json::to_vec(key).expect("a key always serializes");
        let digest = Sha256::digest(&canonical);
        let hash: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        self.dir
            .join(format!("{}.{hash}.json", encode_name(&key.profile)))
    }

    /// The stored session for exactly this key; a missing file is `None`, and so is a
    /// corrupt, empty or foreign one (reported once through [`Cache::take_problems`]).
    pub fn load(&self, key: &SessionKey) -> Option<CachedSession> {
        let path = self.path_for(key);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                self.report(&path, &format!("cannot be read ({e})"));
                return None;
            }
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(file) if file.format == FORMAT && &file.key == key => Some(CachedSession {
                credentials: file.credentials,
                obtained_at: file.obtained_at,
            }),
            Ok(_) => {
                self.report(&path, "belongs to another session and was ignored");
                None
            }
            Err(_) => {
                self.report(&path, "is not a valid session file and was ignored");
                None
            }
        }
    }

    /// Write atomically (see [`write_atomic`]). Two writers at once both succeed; the
    /// last rename wins, whole.
    pub fn store(&self, key: &SessionKey, credentials: &Credentials) -> std::io::Result<PathBuf> {
        let file = CacheFile {
            format: FORMAT.to_string(),
            key: key.clone(),
            obtained_at: Utc::now(),
            credentials: credentials.clone(),
        };
        let mut json = serde_json::to_vec_pretty(&file)?;
        json.push(b'\n');
        let path = self.path_for(key);
        write_atomic(&path, &json)?;
        Ok(path)
    }

    /// Forget one session; true if a file was removed.
    pub fn remove(&self, key: &SessionKey) -> std::io::Result<bool> {
        match fs::remove_file(self.path_for(key)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Forget every session in the directory (`logout --all`); the number removed. Only
    /// files named as sessions are touched (`<name>.<hash>.json`), so a cache directory
    /// shared with other files by mistake loses nothing else.
    pub fn clear_all(&self) -> std::io::Result<usize> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if entry.file_type()?.is_file() && is_session_file_name(&name.to_string_lossy()) {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Problems found while reading, each reported once.
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().expect("cache lock"))
    }

    fn report(&self, path: &Path, what: &str) {
        if self
            .reported
            .lock()
            .expect("cache lock")
            .insert(path.to_path_buf())
        {
            self.problems
                .lock()
                .expect("cache lock")
                .push(format!("cache file {} {what}", path.display()));
        }
    }
}

/// Write `bytes` to `path` so that readers see the old file or the new one, never a torn
/// one: a temporary file (0600) in the same directory (created 0700 if missing), fsync,
/// rename, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".json")
        .tempfile_in(dir)?;
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(0o600))?;
    tmp.as_file_mut().write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    fs::File::open(dir)?.sync_all()
}

/// `<encoded name>.<24 hex digits>.json`, as [`Cache::path_for`] names files.
fn is_session_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else {
        return false;
    };
    match stem.rsplit_once('.') {
        Some((profile, hash)) => {
            !profile.is_empty()
                && !profile.starts_with('.')
                && hash.len() == 24
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// A profile name as a file name: letters, digits, `-` and `_` stay; every other byte
/// becomes `%XX` (so `/`, spaces, dots and `..` are safe). Truncated; the hash keeps it exact.
fn encode_name(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if out.len() >= 80 {
            break;
        }
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(id: &str) -> Credentials {
        Credentials {
            access_key_id: id.into(),
            secret_access_key: "secret".into(),
            session_token: Some("token".into()),
            expiration: Some(DateTime::from_timestamp(1_800_000_000, 0).unwrap()),
        }
    }

    fn key(profile: &str) -> SessionKey {
        SessionKey {
            profile: profile.into(),
            mfa_serial: Some("arn:aws:iam::123456789012:mfa/jo".into()),
            role_arn: None,
        }
    }

    #[test]
    fn round_trip_with_modes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("mfatui"));
        let path = cache.store(&key("jo"), &creds("ASIA1")).unwrap();
        assert_eq!(cache.load(&key("jo")).unwrap().credentials, creds("ASIA1"));
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(cache.dir()), 0o700);
    }

    #[test]
    fn keys_are_exact() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        for name in ["acme", "acme-dev", "a/b c.d", "..", "ünï"] {
            cache.store(&key(name), &creds(name)).unwrap();
        }
        for name in ["acme", "acme-dev", "a/b c.d", "..", "ünï"] {
            assert_eq!(
                cache.load(&key(name)).unwrap().credentials.access_key_id,
                name
            );
        }
        assert!(cache.load(&key("acm")).is_none());
        let mut other = key("acme");
        other.role_arn = Some("arn:aws:iam::123456789012:role/x".into());
        assert!(cache.load(&other).is_none());
    }

    #[test]
    fn corrupt_or_empty_files_are_absent_and_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let path = cache.store(&key("jo"), &creds("x")).unwrap();
        fs::write(&path, b"").unwrap();
        assert!(cache.load(&key("jo")).is_none());
        assert!(cache.load(&key("jo")).is_none());
        let problems = cache.take_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("not a valid session file"));
        fs::write(&path, b"{\"format\": 7}").unwrap();
        assert!(cache.load(&key("jo")).is_none());
    }

    #[test]
    fn clear_all_removes_sessions_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        cache.store(&key("jo"), &creds("x")).unwrap();
        cache.store(&key("a/b c.d"), &creds("y")).unwrap();
        fs::write(dir.path().join("used-codes.json"), b"{}").unwrap();
        fs::write(dir.path().join("notes.json"), b"{}").unwrap();
        assert_eq!(cache.clear_all().unwrap(), 2);
        assert!(cache.load(&key("jo")).is_none());
        assert!(dir.path().join("used-codes.json").exists());
        assert!(dir.path().join("notes.json").exists());
    }

    #[test]
    fn encoded_names_are_plain_file_names() {
        assert_eq!(encode_name("a/b c.d"), "a%2Fb%20c%2Ed");
        assert_eq!(encode_name(".."), "%2E%2E");
    }
}
