//! Quoting of one value for each export format.
//!
//! Every function here is total over `&str` and exact: the shell (or reader) turns the quoted
//! text back into the same bytes, whatever the value holds — quotes, `$`, backticks,
//! backslashes, newlines, `%`, `!`, non-ASCII text. Values are always quoted, even when they
//! would be safe bare, so that no character class can slip through a "looks safe" test.
//!
//! The one thing no format can carry is NUL: environment variables are C strings, so a value
//! holding one cannot be exported by any shell (or by `std::process::Command`, which refuses
//! it). [`check_no_nul`] is how callers reject such a value before rendering.

use std::fmt;

/// A value that cannot live in an environment variable because it holds a NUL character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NulInValue {
    /// The variable whose value holds the NUL (never the value: it may be a secret).
    pub variable: &'static str,
}

impl fmt::Display for NulInValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the value of {} contains a NUL character, which no environment variable can hold",
            self.variable
        )
    }
}

impl std::error::Error for NulInValue {}

/// Rejects a value that would be silently truncated or refused once exported.
pub fn check_no_nul(variable: &'static str, value: &str) -> Result<(), NulInValue> {
    if value.contains('\0') {
        Err(NulInValue { variable })
    } else {
        Ok(())
    }
}

/// POSIX shell (bash, zsh, dash, ksh): a single-quoted word.
///
/// Inside single quotes nothing is special except the closing quote, so a `'` is written as
/// `'\''` (close, escaped quote, reopen). A closing quote is therefore always followed by `\`
/// or by the end of the word, which keeps zsh's RC_QUOTES option (where `''` inside quotes is
/// a literal quote) from changing the meaning.
pub fn sh(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// fish: a single-quoted string, where `\\` and `\'` are the only escapes.
///
/// Every backslash is escaped, not only those before a quote or another backslash: the reader
/// then never has to guess, and a value ending in `\` cannot swallow the closing quote.
pub fn fish(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The characters PowerShell accepts as a single quote (language spec §2.3.5.2,
/// `single-quote-character`): ASCII `'` and the typographic ones Word and Outlook substitute.
pub const PWSH_SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// Whether PowerShell's tokenizer ends (or escapes within) a verbatim string at `c`.
pub fn is_pwsh_single_quote(c: char) -> bool {
    PWSH_SINGLE_QUOTES.contains(&c)
}

/// PowerShell: a verbatim (single-quoted) string literal.
///
/// Any of the five single-quote characters would end the literal, and a pair of them stands
/// for the second one, so each is doubled. Nothing else is special: `$`, backticks and
/// newlines are literal inside single quotes.
pub fn pwsh(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if is_pwsh_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// dotenv: a double-quoted value in the dialect of docker compose (`--env-file`, `env_file:`)
/// and godotenv, the most widely read one.
///
/// The rule: wrap in `"`; write `\` as `\\`, `"` as `\"`, `$` as `\$` (otherwise `$NAME` and
/// `${NAME}` are interpolated), newline as `\n` and carriage return as `\r` (so every entry
/// stays on one line). Everything else, non-ASCII included, is written as is.
///
/// Readers disagree at the edges: python-dotenv decodes the same escapes except `\$`, which
/// it keeps as two characters (it has no way to write a literal `${`), and some compose-go
/// releases take the `\\"` that ends a value ending in a backslash for an escaped quote.
/// AWS-issued keys and session tokens use only `A-Za-z0-9+/=`, so for real credentials every
/// reader gets the same bytes.
pub fn dotenv(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sh_closes_and_reopens_around_a_quote() {
        assert_eq!(sh("it's"), r"'it'\''s'");
        assert_eq!(sh(""), "''");
        assert_eq!(sh("$x `y` \\ \n"), "'$x `y` \\ \n'");
    }

    #[test]
    fn fish_escapes_every_backslash_and_quote() {
        assert_eq!(fish(r"a\b'c"), r"'a\\b\'c'");
        assert_eq!(fish("ends\\"), r"'ends\\'");
        assert_eq!(fish("$HOME\n"), "'$HOME\n'");
    }

    #[test]
    fn pwsh_doubles_all_five_quote_characters() {
        assert_eq!(pwsh("it's"), "'it''s'");
        assert_eq!(
            pwsh("\u{2018}a\u{2019}"),
            "'\u{2018}\u{2018}a\u{2019}\u{2019}'"
        );
        assert_eq!(
            pwsh("\u{201A}\u{201B}"),
            "'\u{201A}\u{201A}\u{201B}\u{201B}'"
        );
        assert_eq!(pwsh("$env:X `n"), "'$env:X `n'");
    }

    #[test]
    fn dotenv_keeps_one_line_and_no_interpolation() {
        assert_eq!(dotenv("a\"b\\c$D\ne\rf"), r#""a\"b\\c\$D\ne\rf""#);
        assert_eq!(dotenv("'é'"), "\"'é'\"");
    }

    #[test]
    fn nul_is_rejected_by_name_only() {
        assert!(check_no_nul("AWS_SECRET_ACCESS_KEY", "fine").is_ok());
        let err = check_no_nul("AWS_SECRET_ACCESS_KEY", "se\0cret").unwrap_err();
        assert_eq!(err.variable, "AWS_SECRET_ACCESS_KEY");
        assert!(!err.to_string().contains("cret"));
    }
}
