//! A fake HOME in a temporary directory and the hermetic environment that points into it.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::moto::Moto;

/// Endpoint used when a test runs without moto: nothing listens on port 9 of the loopback
/// interface, so a request fails at once instead of reaching the real AWS.
pub const DEAD_ENDPOINT: &str = "http://127.0.0.1:9";

/// A temporary HOME directory, deleted on drop:
///
/// ```text
/// <home>/.aws/config            AWS_CONFIG_FILE              (write_config)
/// <home>/.aws/credentials       AWS_SHARED_CREDENTIALS_FILE  (write_credentials, mode 0600)
/// <home>/.config                XDG_CONFIG_HOME
/// <home>/.config/mfatui/config.ini  mfatui settings          (write_settings)
/// <home>/.cache                 XDG_CACHE_HOME
/// <home>/.cache/mfatui          MFATUI_CACHE_DIR             (NOT created: mfatui must create it, 0700)
/// <home>/.local/share, .local/state  XDG_DATA_HOME, XDG_STATE_HOME (shell history etc.)
/// ```
pub struct TestHome {
    dir: tempfile::TempDir,
}

impl Default for TestHome {
    fn default() -> Self {
        Self::new()
    }
}

impl TestHome {
    /// Creates the directory with an empty `.aws/` and `.config/` (no files in them).
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("mfatui-test-home-")
            .tempdir()
            .expect("create a temporary HOME");
        let home = Self { dir };
        fs::create_dir_all(home.aws_dir()).expect("create .aws");
        fs::create_dir_all(home.xdg_config_home()).expect("create .config");
        home
    }

    /// The HOME directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn aws_dir(&self) -> PathBuf {
        self.path().join(".aws")
    }

    pub fn config_path(&self) -> PathBuf {
        self.aws_dir().join("config")
    }

    pub fn credentials_path(&self) -> PathBuf {
        self.aws_dir().join("credentials")
    }

    /// MFATUI_CACHE_DIR. Not created in advance.
    pub fn cache_dir(&self) -> PathBuf {
        self.xdg_cache_home().join("mfatui")
    }

    pub fn xdg_config_home(&self) -> PathBuf {
        self.path().join(".config")
    }

    pub fn xdg_cache_home(&self) -> PathBuf {
        self.path().join(".cache")
    }

    /// mfatui's own settings file (`$XDG_CONFIG_HOME/mfatui/config.ini`).
    pub fn settings_path(&self) -> PathBuf {
        self.xdg_config_home().join("mfatui").join("config.ini")
    }

    /// Writes `~/.aws/config` (replacing it) and returns its path.
    pub fn write_config(&self, contents: &str) -> PathBuf {
        let path = self.config_path();
        write_with_mode(&path, contents.as_bytes(), 0o644);
        path
    }

    /// Writes `~/.aws/credentials` (replacing it) with mode 0600 and returns its path.
    pub fn write_credentials(&self, contents: &str) -> PathBuf {
        let path = self.credentials_path();
        write_with_mode(&path, contents.as_bytes(), 0o600);
        path
    }

    /// Writes `$XDG_CONFIG_HOME/mfatui/config.ini` and returns its path.
    pub fn write_settings(&self, contents: &str) -> PathBuf {
        let path = self.settings_path();
        write_with_mode(&path, contents.as_bytes(), 0o644);
        path
    }

    /// Writes any file below HOME (parents created) and returns its path.
    pub fn write_file(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        write_with_mode(&path, contents.as_ref(), 0o644);
        path
    }

    /// Reads a file below HOME as text (lossy). Panics if it is missing.
    pub fn read_file(&self, relative: impl AsRef<Path>) -> String {
        let path = self.path().join(relative);
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The regular files in the cache dir, sorted (empty when the dir does not exist).
    pub fn cache_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = match fs::read_dir(self.cache_dir()) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files
    }

    /// The complete environment for a child process (use it as is; nothing else is inherited):
    ///
    /// * the test process's environment minus everything that could leak the developer's or the
    ///   CI machine's setup into a test (see [`sanitize_outer_env`]): every `AWS_*` and
    ///   `MFATUI_*` variable, HOME, XDG dirs, TERM, SHELL, colour switches (NO_COLOR, ...),
    ///   locale, TZ, HTTP proxies, tmux/screen markers, BASH_ENV/ENV/ZDOTDIR;
    /// * HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, MFATUI_CACHE_DIR, XDG_CONFIG_HOME,
    ///   XDG_CACHE_HOME, XDG_DATA_HOME, XDG_STATE_HOME pointing into this directory;
    /// * AWS_ENDPOINT_URL = `moto.endpoint()` (the counting proxy), or [`DEAD_ENDPOINT`] without
    ///   moto, so no test ever reaches the real AWS; AWS_ENDPOINT_URL_STS/_S3 are not set (set
    ///   them with [`env_set`] to test them);
    /// * AWS_EC2_METADATA_DISABLED=true, TERM=xterm-256color, SHELL=/bin/sh, TZ=UTC,
    ///   LANG=C.UTF-8, NO_PROXY=127.0.0.1,localhost. NO_COLOR is unset.
    ///
    /// Kept from outside: PATH, USER/LOGNAME, DISPLAY/XAUTHORITY/WAYLAND_DISPLAY and
    /// XDG_RUNTIME_DIR (clipboard tests), RUST_BACKTRACE, RUST_LOG and the rest.
    pub fn env(&self, moto: Option<&Moto>) -> Vec<(String, String)> {
        let mut env = sanitize_outer_env(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        );
        let p = |path: PathBuf| path.to_string_lossy().into_owned();
        let endpoint = moto.map_or_else(|| DEAD_ENDPOINT.to_string(), Moto::endpoint);
        let ours = [
            ("HOME", p(self.path().to_path_buf())),
            ("AWS_CONFIG_FILE", p(self.config_path())),
            ("AWS_SHARED_CREDENTIALS_FILE", p(self.credentials_path())),
            ("MFATUI_CACHE_DIR", p(self.cache_dir())),
            ("XDG_CONFIG_HOME", p(self.xdg_config_home())),
            ("XDG_CACHE_HOME", p(self.xdg_cache_home())),
            ("XDG_DATA_HOME", p(self.path().join(".local").join("share"))),
            (
                "XDG_STATE_HOME",
                p(self.path().join(".local").join("state")),
            ),
            ("AWS_ENDPOINT_URL", endpoint),
            ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
            ("TERM", "xterm-256color".to_string()),
            ("SHELL", "/bin/sh".to_string()),
            ("TZ", "UTC".to_string()),
            ("LANG", "C.UTF-8".to_string()),
            ("NO_PROXY", "127.0.0.1,localhost".to_string()),
            ("no_proxy", "127.0.0.1,localhost".to_string()),
        ];
        for (k, v) in ours {
            env_set(&mut env, k, v);
        }
        if !env.iter().any(|(k, _)| k == "PATH") {
            env_set(&mut env, "PATH", "/usr/local/bin:/usr/bin:/bin");
        }
        env
    }
}

/// Drops from `vars` every variable that would make a test depend on the machine it runs on.
pub fn sanitize_outer_env(
    vars: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    const DROP_EXACT: &[&str] = &[
        "HOME",
        "TERM",
        "SHELL",
        "NO_COLOR",
        "COLORTERM",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "TZ",
        "LANG",
        "LANGUAGE",
        "COLUMNS",
        "LINES",
        "TMUX",
        "TMUX_PANE",
        "STY",
        "BASH_ENV",
        "ENV",
        "ZDOTDIR",
        "PROMPT_COMMAND",
        "PS1",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_DATA_HOME",
        "XDG_STATE_HOME",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ];
    const DROP_PREFIX: &[&str] = &["AWS_", "MFATUI_", "LC_"];
    vars.into_iter()
        .filter(|(k, _)| {
            !DROP_EXACT.contains(&k.as_str()) && !DROP_PREFIX.iter().any(|p| k.starts_with(p))
        })
        .collect()
}

/// Sets `key` to `value` in `env`, replacing an existing entry.
pub fn env_set(env: &mut Vec<(String, String)>, key: &str, value: impl Into<String>) {
    let value = value.into();
    match env.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value,
        None => env.push((key.to_string(), value)),
    }
}

/// Removes `key` from `env`.
pub fn env_remove(env: &mut Vec<(String, String)>, key: &str) {
    env.retain(|(k, _)| k != key);
}

/// The value of `key` in `env`.
pub fn env_get<'a>(env: &'a [(String, String)], key: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn write_with_mode(path: &Path, contents: &[u8], mode: u32) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    let mut file =
        fs::File::create(path).unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
    file.set_permissions(fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
    file.write_all(contents)
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
