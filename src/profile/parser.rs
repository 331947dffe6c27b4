//! Line-level parsing of one `~/.aws/config` or `~/.aws/credentials` file.
//!
//! Follows the AWS SDKs' shared-config rules (the cross-SDK conformance suite), with one
//! addition: after a syntax error the SDKs give up on the whole file, while mfatui records the
//! error with its line and keeps reading, so one typo does not hide every other profile.
//! [`parse_strict`] gives the SDK behaviour (the first error fails the file).

use std::collections::BTreeMap;

use super::section;

/// Which file a text came from: the two files name their sections differently
/// (`[profile NAME]` in config, `[NAME]` in credentials).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Config,
    Credentials,
}

/// A line the parser could not understand, or a section/property it had to ignore.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based, as editors count.
    pub line: usize,
    pub message: String,
}

/// Properties of one section, keys lower-cased.
pub type Properties = BTreeMap<String, String>;

/// One file, normalized: profile names without `profile `, invalid sections dropped.
#[derive(Debug, Default, Clone)]
pub struct ParsedFile {
    /// Profile name -> properties.
    pub profiles: BTreeMap<String, Properties>,
    /// `[sso-session NAME]` sections (config file only).
    pub sso_sessions: BTreeMap<String, Properties>,
    /// Syntax errors: the SDKs would reject the whole file for any of these.
    pub errors: Vec<ParseError>,
    /// Sections or properties the SDKs silently ignore (invalid names, wrong prefix, ...);
    /// mfatui says so, because an ignored profile is otherwise a mystery.
    pub warnings: Vec<ParseError>,
}

/// Parse leniently: every syntax error is recorded and parsing goes on.
pub fn parse(text: &str, kind: FileKind) -> ParsedFile {
    let raw = parse_raw(text, kind);
    section::normalize(raw, kind)
}

/// Parse as the SDKs do: the first syntax error fails the file.
pub fn parse_strict(text: &str, kind: FileKind) -> Result<ParsedFile, ParseError> {
    let mut parsed = parse(text, kind);
    if parsed.errors.is_empty() {
        Ok(parsed)
    } else {
        Err(parsed.errors.swap_remove(0))
    }
}

/// A section as written, before its header is interpreted.
#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    /// Between the brackets, comments removed, not yet trimmed or split.
    pub header: String,
    pub line: usize,
    pub properties: Vec<RawProperty>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawProperty {
    /// Lower-cased (property names are case-insensitive), not yet validated.
    pub key: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub(crate) struct RawFile {
    pub sections: Vec<RawSection>,
    pub errors: Vec<ParseError>,
}

/// The SDKs treat only space and tab as whitespace around tokens.
const WHITESPACE: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];

/// What a continuation line (one starting with whitespace) attaches to.
enum Continue {
    /// No property yet in this section: a continuation here is an error.
    Nothing,
    /// The last property of the current section; `sub` when its value started empty.
    Property { sub: bool },
    /// After an error: drop continuation lines silently rather than report each one.
    Discard,
}

enum State {
    /// Before the first section header.
    Start,
    Section(Continue),
    /// After a broken header: the section's lines belong to nothing we can name.
    Skipping,
}

pub(crate) fn parse_raw(text: &str, kind: FileKind) -> RawFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut file = RawFile::default();
    let mut state = State::Start;
    for (index, line) in text.split('\n').enumerate() {
        let n = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(COMMENT) {
            continue;
        }
        let mut fail = |message: String| file.errors.push(ParseError { line: n, message });
        if line.starts_with('[') {
            state = match header(line) {
                Ok(name) => {
                    file.sections.push(RawSection {
                        header: name.to_string(),
                        line: n,
                        properties: Vec::new(),
                    });
                    State::Section(Continue::Nothing)
                }
                Err(message) => {
                    fail(message);
                    State::Skipping
                }
            };
            continue;
        }
        let continuation = line.starts_with(WHITESPACE);
        match &mut state {
            State::Skipping => {}
            State::Start => {
                fail(format!(
                    "Expected a profile definition ({}) before any property",
                    match kind {
                        FileKind::Config => "[profile NAME] or [default]",
                        FileKind::Credentials => "[NAME]",
                    }
                ));
                // One report is enough: what follows is just as orphaned.
                state = State::Skipping;
            }
            State::Section(cont) if continuation => {
                let section = file.sections.last_mut().expect("a section is open");
                match cont {
                    Continue::Discard => {}
                    Continue::Nothing => {
                        fail(
                            "Expected a property definition, found continuation (an indented \
                             line continues the property above it; remove the indentation)"
                                .into(),
                        );
                        *cont = Continue::Discard;
                    }
                    Continue::Property { sub } => {
                        if *sub && let Err(e) = property(line) {
                            fail(e.message("sub-property"));
                            continue;
                        }
                        let prop = section.properties.last_mut().expect("a property is open");
                        prop.value.push('\n');
                        prop.value.push_str(line.trim_matches(WHITESPACE));
                    }
                }
            }
            State::Section(cont) => match property(line) {
                Ok((key, value)) => {
                    *cont = Continue::Property {
                        sub: value.is_empty(),
                    };
                    let section = file.sections.last_mut().expect("a section is open");
                    section.properties.push(RawProperty {
                        key: key.to_ascii_lowercase(),
                        value: value.to_string(),
                        line: n,
                    });
                }
                Err(e) => {
                    fail(e.message("property"));
                    *cont = Continue::Discard;
                }
            },
        }
    }
    file
}

/// The text between the brackets of a section header line.
fn header(line: &str) -> Result<&str, String> {
    // In a header any `#` or `;` starts a comment, even right after `]`.
    let line = strip_comment(line, false);
    line.strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .ok_or_else(|| {
            "Profile definition must end with ']' (expected [profile NAME] in config, [NAME] in \
             credentials); lines up to the next section are ignored"
                .to_string()
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PropertyError {
    NoEquals,
    NoName,
}

impl PropertyError {
    fn message(self, what: &str) -> String {
        match self {
            PropertyError::NoEquals => {
                format!("Expected an '=' sign defining a {what} (key = value)")
            }
            PropertyError::NoName => {
                let mut what = what.to_string();
                what[..1].make_ascii_uppercase();
                format!("{what} did not have a name (expected key = value)")
            }
        }
    }
}

fn property(line: &str) -> Result<(&str, &str), PropertyError> {
    // In a value, `#`/`;` start a comment only after whitespace: `https://host/#x` keeps it.
    let line = strip_comment(line, true);
    let (key, value) = line.split_once('=').ok_or(PropertyError::NoEquals)?;
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err(PropertyError::NoName);
    }
    Ok((key, value.trim_matches(WHITESPACE)))
}

fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut prev_whitespace = false;
    for (index, c) in line.char_indices() {
        if COMMENT.contains(&c) && (prev_whitespace || !needs_whitespace) {
            return line[..index].trim_matches(WHITESPACE);
        }
        prev_whitespace = c.is_whitespace();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_rules_differ_between_headers_and_values() {
        assert_eq!(strip_comment("[profile a]# x", false), "[profile a]");
        assert_eq!(
            strip_comment("url = https://h/#x", true),
            "url = https://h/#x"
        );
        assert_eq!(
            strip_comment("region = eu-west-1 # note", true),
            "region = eu-west-1"
        );
        assert_eq!(strip_comment("a = b\t;c", true), "a = b");
    }

    #[test]
    fn lenient_parse_keeps_going_after_errors() {
        let text = "[profile a]\nx : 1\n  cont\ny = 2\n[profile b\nz = 3\n[profile c]\nw = 4\n";
        let parsed = parse(text, FileKind::Config);
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 5]);
        assert_eq!(parsed.profiles["a"]["y"], "2");
        assert!(!parsed.profiles.contains_key("b"));
        assert_eq!(parsed.profiles["c"]["w"], "4");
        assert!(parse_strict(text, FileKind::Config).is_err());
    }

    #[test]
    fn orphan_lines_are_reported_once() {
        let parsed = parse("a = 1\nb = 2\n[default]\nc = 3", FileKind::Credentials);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 1);
        assert_eq!(parsed.profiles["default"]["c"], "3");
    }
}
