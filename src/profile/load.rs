//! Loading both files into one [`ProfileSet`].
//!
//! Loading never fails: the dashboard must come up with whatever could be read, and say what
//! could not. A missing file is normal (many people only have one of the two) and is not a
//! problem; an unreadable file, a syntax error or an ignored section is.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

pub use super::chain::ChainError;
use super::chain::{self, Chain};
use super::location::Locations;
use super::model::Profile;
use super::parser::{self, FileKind, ParseError, ParsedFile, Properties};
use super::problems;

/// Something wrong with a file: unreadable, a syntax error on a line, an ignored section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for FileProblem {}

impl FileProblem {
    fn at(path: &Path, e: ParseError) -> FileProblem {
        FileProblem {
            path: path.to_path_buf(),
            line: Some(e.line),
            message: e.message,
        }
    }
}

/// Every profile of both files, merged (credentials win property by property).
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Properties>,
    /// File problems in file order: syntax errors and ignored sections, with their lines.
    pub problems: Vec<FileProblem>,
    pub locations: Option<Locations>,
}

/// The names [`ProfileSet::from_strs`] gives the two texts in its problems.
const CONFIG_NAME: &str = "config";
const CREDENTIALS_NAME: &str = "credentials";

impl ProfileSet {
    pub fn load(locations: &Locations) -> ProfileSet {
        let mut problems = Vec::new();
        let config = read(&locations.config, &mut problems);
        let credentials = read(&locations.credentials, &mut problems);
        let mut set = Self::from_texts(
            (&config, &locations.config),
            (&credentials, &locations.credentials),
        );
        problems.append(&mut set.problems);
        set.problems = problems;
        set.locations = Some(locations.clone());
        set
    }

    /// Lenient, as [`ProfileSet::load`]; problems name the files `config` and `credentials`.
    pub fn from_strs(config: &str, credentials: &str) -> ProfileSet {
        Self::from_texts(
            (config, Path::new(CONFIG_NAME)),
            (credentials, Path::new(CREDENTIALS_NAME)),
        )
    }

    /// Strict, as the SDKs parse: the first syntax error fails (ignored sections do not).
    pub fn try_from_strs(config: &str, credentials: &str) -> Result<ProfileSet, FileProblem> {
        let strict = |text, kind, name: &str| {
            parser::parse_strict(text, kind).map_err(|e| FileProblem::at(Path::new(name), e))
        };
        let config = strict(config, FileKind::Config, CONFIG_NAME)?;
        let credentials = strict(credentials, FileKind::Credentials, CREDENTIALS_NAME)?;
        Ok(Self::merge(
            [config, credentials],
            [Path::new(CONFIG_NAME), Path::new(CREDENTIALS_NAME)],
        ))
    }

    /// Build from already-parsed profiles and sso-sessions (demo data, tests).
    pub fn from_maps(
        profiles: impl IntoIterator<Item = (String, Properties)>,
        sso_sessions: impl IntoIterator<Item = (String, Properties)>,
    ) -> ProfileSet {
        ProfileSet {
            profiles: profiles
                .into_iter()
                .map(|(name, properties)| (name.clone(), Profile { name, properties }))
                .collect(),
            sso_sessions: sso_sessions.into_iter().collect(),
            ..ProfileSet::default()
        }
    }

    fn from_texts(config: (&str, &Path), credentials: (&str, &Path)) -> ProfileSet {
        let parsed = [
            parser::parse(config.0, FileKind::Config),
            parser::parse(credentials.0, FileKind::Credentials),
        ];
        Self::merge(parsed, [config.1, credentials.1])
    }

    fn merge(files: [ParsedFile; 2], paths: [&Path; 2]) -> ProfileSet {
        let mut set = ProfileSet::default();
        for (file, path) in files.into_iter().zip(paths) {
            let mut found: Vec<ParseError> = file.errors.into_iter().chain(file.warnings).collect();
            found.sort_by_key(|e| e.line);
            set.problems
                .extend(found.into_iter().map(|e| FileProblem::at(path, e)));
            for (name, properties) in file.profiles {
                match set.profiles.get_mut(&name) {
                    Some(profile) => profile.properties.extend(properties),
                    None => {
                        set.profiles
                            .insert(name.clone(), Profile { name, properties });
                    }
                }
            }
            for (name, properties) in file.sso_sessions {
                set.sso_sessions.entry(name).or_default().extend(properties);
            }
        }
        set
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
    pub fn len(&self) -> usize {
        self.profiles.len()
    }
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }
    /// Profiles in name order.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }
    /// Profile names in name order.
    pub fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.profiles.keys().map(String::as_str)
    }
    /// An `[sso-session NAME]` section of the config file.
    pub fn sso_session(&self, name: &str) -> Option<&Properties> {
        self.sso_sessions.get(name)
    }
    /// Every `[sso-session NAME]` section, in name order.
    pub fn sso_sessions(&self) -> impl Iterator<Item = (&str, &Properties)> {
        self.sso_sessions.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Problems of one profile, in words (empty when fine): its chain's (unknown source, loop,
    /// role without a source, missing keys, unsupported provider) and its own values'
    /// (malformed role_arn or mfa_serial, duration_seconds AWS would refuse).
    /// A missing region is not among them: see [`ProfileSet::region_note`].
    pub fn profile_problems(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = self.resolve(name) {
            out.push(e.to_string());
        }
        if let Some(p) = self.get(name) {
            for problem in problems::own_problems(p) {
                if !out.contains(&problem) {
                    out.push(problem);
                }
            }
        }
        out
    }

    /// "no region; us-east-1 will be used" when the profile sets no region.
    ///
    /// Kept apart from [`ProfileSet::profile_problems`] on purpose: the profile works (the STS
    /// calls go to us-east-1), and AWS_REGION / AWS_DEFAULT_REGION may supply the region at run
    /// time, which the caller knows and this set does not. Callers show it as a note only when
    /// the environment sets no region.
    pub fn region_note(&self, name: &str) -> Option<String> {
        let p = self.get(name)?;
        match p.region() {
            Some(_) => None,
            None => Some(format!(
                "profile {name} has no region; us-east-1 will be used"
            )),
        }
    }

    /// A "did you mean" candidate for an unknown profile name; `None` if nothing is close.
    pub fn suggest(&self, name: &str) -> Option<String> {
        problems::suggest(name, self.names())
    }

    /// The chain of `name` down to its base credentials, as the SDKs would build it.
    pub fn resolve(&self, name: &str) -> Result<Chain, ChainError> {
        chain::resolve(self, name)
    }
}

/// A file's text, or "" with a problem when it exists but cannot be read.
fn read(path: &Path, problems: &mut Vec<FileProblem>) -> String {
    let problem = |message: String| FileProblem {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                // The SDKs read it lossily too; say so, because a mangled value fails later.
                problems.push(problem(
                    "the file is not valid UTF-8; invalid bytes were replaced".into(),
                ));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        },
        Err(e) if e.kind() == ErrorKind::NotFound => String::new(),
        Err(e) => {
            problems.push(problem(format!("cannot read the file: {e}")));
            String::new()
        }
    }
}
