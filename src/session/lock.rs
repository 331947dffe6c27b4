//! Advisory file locks (flock) in the cache directory.
//!
//! Two `mfatui login` runs for the same device at the same moment must both succeed: the
//! first takes the device's lock, logs in and stores the session; the second waits for the
//! lock, then finds that session live and uses it instead of sending the same code again
//! (which AWS would reject). flock locks belong to an open file, so two opens in one process
//! (the dashboard logging in to two profiles) exclude each other too, and the kernel drops a
//! lock when its holder dies: a killed mfatui never leaves a stale lock behind.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How often a waiting process tries the lock again.
const POLL: Duration = Duration::from_millis(25);

/// An exclusive lock, released on drop (or when the process dies).
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl FileLock {
    /// The lock file for `name` under `<cache>/locks/` (the name is hashed: it may hold `/`).
    pub fn path_for(cache_dir: &Path, name: &str) -> PathBuf {
        let digest = Sha256::digest(name.as_bytes());
        let hash: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        cache_dir.join("locks").join(format!("{hash}.lock"))
    }

    /// Take the lock if it is free; `None` while another holder has it.
    pub fn try_acquire(path: &Path) -> io::Result<Option<FileLock>> {
        if let Some(dir) = path.parent() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        // SAFETY: flock only reads the descriptor, which `file` keeps open.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            return Ok(Some(FileLock { file }));
        }
        let err = io::Error::last_os_error();
        if err.kind() == io::ErrorKind::WouldBlock {
            Ok(None)
        } else {
            Err(err)
        }
    }

    /// Wait (without blocking the async runtime) until the lock is free, at most `timeout`.
    pub async fn acquire(path: &Path, timeout: Duration) -> io::Result<FileLock> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(lock) = Self::try_acquire(path)? {
                return Ok(lock);
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "lock busy"));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The same, blocking the thread: only for short critical sections.
    pub fn acquire_blocking(path: &Path, timeout: Duration) -> io::Result<FileLock> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(lock) = Self::try_acquire(path)? {
                return Ok(lock);
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "lock busy"));
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // SAFETY: the descriptor is still open; closing it would release the lock anyway.
        unsafe { libc::flock(self.file.as_raw_fd(), libc::LOCK_UN) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = FileLock::path_for(dir.path(), "arn:aws:iam::123456789012:mfa/jo");
        let first = FileLock::try_acquire(&path).unwrap().expect("free");
        assert!(FileLock::try_acquire(&path).unwrap().is_none());
        assert!(FileLock::acquire_blocking(&path, Duration::from_millis(60)).is_err());
        drop(first);
        assert!(FileLock::try_acquire(&path).unwrap().is_some());
    }
}
