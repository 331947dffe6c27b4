//! From raw sections to profiles: interpreting `[profile NAME]`, `[NAME]`, `[default]` and
//! `[sso-session NAME]` per file, validating names and merging duplicates, as the SDKs do.

use std::collections::BTreeMap;

use super::parser::{FileKind, ParseError, ParsedFile, Properties, RawFile};

const DEFAULT: &str = "default";
const PROFILE: &str = "profile";
const SSO_SESSION: &str = "sso-session";
/// `[services NAME]` holds per-service endpoint settings; valid, but not a profile.
const SERVICES: &str = "services";

/// What the SDKs accept as a profile, session or property name.
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// Where a section's properties go.
#[derive(Debug, PartialEq, Eq)]
enum Target<'a> {
    Profile(&'a str),
    SsoSession(&'a str),
}

/// `[prefix suffix]` or `[suffix]`, split at the first space or tab.
struct Header<'a> {
    prefix: Option<&'a str>,
    name: &'a str,
}

impl<'a> Header<'a> {
    fn parse(text: &'a str) -> Header<'a> {
        let text = text.trim_matches([' ', '\t']);
        match text.split_once([' ', '\t']) {
            Some((prefix, name)) => Header {
                prefix: Some(prefix.trim()),
                name: name.trim(),
            },
            None => Header {
                prefix: None,
                name: text.trim(),
            },
        }
    }

    fn is_prefixed_default(&self) -> bool {
        self.prefix == Some(PROFILE) && self.name == DEFAULT
    }

    fn is_plain_default(&self) -> bool {
        self.prefix.is_none() && self.name == DEFAULT
    }

    /// Where this section's properties go, or why it is ignored (`Ok(None)`: ignored
    /// without a word, because it is valid but not ours).
    fn target(&self, kind: FileKind, raw: &str) -> Result<Option<Target<'a>>, String> {
        let raw = raw.trim_matches([' ', '\t']);
        let invalid = || {
            format!(
                "section [{raw}] ignored: `{}` is not a valid name (use letters, digits and \
                 - _ / . % @ : + only, no spaces)",
                self.name
            )
        };
        match (kind, self.prefix) {
            (FileKind::Config, Some(prefix)) => {
                if !is_identifier(self.name) {
                    return Err(invalid());
                }
                match prefix {
                    PROFILE => Ok(Some(Target::Profile(self.name))),
                    SSO_SESSION => Ok(Some(Target::SsoSession(self.name))),
                    SERVICES => Ok(None),
                    other => Err(format!(
                        "section [{raw}] ignored: `{other}` is not a section type (expected \
                         [profile {n}], [sso-session {n}] or [services {n}])",
                        n = self.name
                    )),
                }
            }
            (FileKind::Config, None) if self.name == DEFAULT => Ok(Some(Target::Profile(DEFAULT))),
            (FileKind::Config, None) => Err(format!(
                "section [{raw}] ignored: in the config file a profile is written [profile {}]",
                self.name
            )),
            (FileKind::Credentials, Some(PROFILE)) if is_identifier(self.name) => Err(format!(
                "section [{raw}] ignored: in the credentials file a profile is written [{}], \
                 without `profile`",
                self.name
            )),
            (FileKind::Credentials, Some(_)) => Err(format!(
                "section [{raw}] ignored: `{raw}` is not a valid name (use letters, digits and \
                 - _ / . % @ : + only, no spaces)"
            )),
            (FileKind::Credentials, None) if is_identifier(self.name) => {
                Ok(Some(Target::Profile(self.name)))
            }
            (FileKind::Credentials, None) => Err(invalid()),
        }
    }
}

/// Merge a file's sections in file order: a later definition of a property wins,
/// and `[profile default]` anywhere in the config file hides every `[default]` there.
pub(crate) fn normalize(raw: RawFile, kind: FileKind) -> ParsedFile {
    let mut out = ParsedFile {
        errors: raw.errors,
        ..ParsedFile::default()
    };
    let prefixed_default = kind == FileKind::Config
        && raw
            .sections
            .iter()
            .any(|s| Header::parse(&s.header).is_prefixed_default());
    for section in raw.sections {
        let header = Header::parse(&section.header);
        let warn = |message: String| ParseError {
            line: section.line,
            message,
        };
        if prefixed_default && header.is_plain_default() {
            out.warnings.push(warn(
                "section [default] ignored: [profile default] is also defined and takes \
                 precedence"
                    .into(),
            ));
            continue;
        }
        let target = match header.target(kind, &section.header) {
            Ok(Some(target)) => target,
            Ok(None) => continue,
            Err(message) => {
                out.warnings.push(warn(message));
                continue;
            }
        };
        let props = match target {
            Target::Profile(name) => entry(&mut out.profiles, name),
            Target::SsoSession(name) => entry(&mut out.sso_sessions, name),
        };
        for p in section.properties {
            if is_identifier(&p.key) {
                props.insert(p.key, p.value);
            } else {
                out.warnings.push(ParseError {
                    line: p.line,
                    message: format!(
                        "property `{}` ignored: not a valid property name (use letters, digits \
                         and - _ / . % @ : + only)",
                        p.key
                    ),
                });
            }
        }
    }
    out
}

/// `entry()` without allocating the key when the section is already there.
fn entry<'m>(map: &'m mut BTreeMap<String, Properties>, name: &str) -> &'m mut Properties {
    if !map.contains_key(name) {
        map.insert(name.to_string(), Properties::new());
    }
    map.get_mut(name).expect("just inserted")
}

/// `key = value` lines of a property written with sub-properties (`s3 =\n  key = value`).
/// Lines without `=` are skipped, as the SDKs skip them.
pub fn sub_properties(value: &str) -> Vec<(String, String)> {
    value
        .split('\n')
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| {
            (
                k.trim_matches([' ', '\t']).to_string(),
                v.trim_matches([' ', '\t']).to_string(),
            )
        })
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::parser::parse;

    #[test]
    fn ignored_sections_are_explained_with_their_line() {
        let p = parse(
            "[profile ok]\n[profle typo]\n[bare]\n[profile a b]\n",
            FileKind::Config,
        );
        let w: Vec<(usize, bool)> = p
            .warnings
            .iter()
            .map(|w| (w.line, w.message.contains("ignored")))
            .collect();
        assert_eq!(w, vec![(2, true), (3, true), (4, true)]);
        assert!(p.warnings[1].message.contains("[profile bare]"));
        assert_eq!(p.profiles.keys().collect::<Vec<_>>(), vec!["ok"]);
    }

    #[test]
    fn services_sections_are_silently_not_profiles() {
        let p = parse(
            "[services s]\ns3 =\n  endpoint_url = http://x\n",
            FileKind::Config,
        );
        assert!(p.profiles.is_empty() && p.warnings.is_empty() && p.errors.is_empty());
    }

    #[test]
    fn sub_properties_split_lines() {
        let v = "\nmax_concurrent_requests = 10\nbad\n  region = x ";
        assert_eq!(
            sub_properties(v),
            vec![
                ("max_concurrent_requests".to_string(), "10".to_string()),
                ("region".to_string(), "x".to_string())
            ]
        );
    }
}
