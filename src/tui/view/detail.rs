//! The detail pane: the selected profile's chain, session and problems.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::theme::Theme;
use crate::profile::{Base, Chain, Kind};
use crate::session::SessionState;
use crate::shell::export::render_masked;
use crate::timefmt::{countdown, local_with_zone};
use crate::tui::state::{CheckKind, Checked, Row, State};

pub fn render(state: &State, now: DateTime<Utc>, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(row) = state.selected_row() else {
        return;
    };
    // Values wrap under themselves, not under the labels.
    let width = usize::from(area.width.saturating_sub(2 + LABEL_WIDTH as u16)).max(20);
    let field = |name: &str, value: Span<'static>| -> Vec<Line<'static>> {
        wrap_words(&value.content, width)
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let label = if i == 0 { name } else { "" };
                Line::from(vec![
                    Span::styled(format!(" {label:<9}"), theme.heading),
                    Span::styled(part, value.style),
                ])
            })
            .collect()
    };
    let mut lines = field(
        "Chain",
        match &row.chain {
            Ok(chain) => Span::raw(describe_chain(chain)),
            Err(problem) => Span::styled(problem.clone(), theme.error),
        },
    );
    lines.extend(field("Region", Span::raw(region_text(row))));
    lines.extend(field("Session", session_text(row, now, theme)));
    let spin = |kind| state.checking.contains(&(row.name.clone(), kind));
    if spin(CheckKind::Identity) {
        lines.extend(field(
            "Identity",
            Span::styled(
                format!("{} asking STS...", super::spinner(state.spinner)),
                theme.warn,
            ),
        ));
    } else if let Some(checked) = &row.identity {
        lines.extend(field(
            "Identity",
            checked_span(checked, theme, |id| id.arn.clone()),
        ));
        if let Ok(id) = &checked.result {
            let who = format!("account {} · user id {}", id.account, id.user_id);
            lines.extend(field("", Span::raw(who)));
        }
    }
    if spin(CheckKind::Buckets) {
        lines.extend(field(
            "Buckets",
            Span::styled(
                format!("{} asking S3...", super::spinner(state.spinner)),
                theme.warn,
            ),
        ));
    } else if let Some(checked) = &row.buckets {
        lines.extend(field(
            "Buckets",
            checked_span(checked, theme, |names| bucket_summary(names)),
        ));
    }
    for note in &row.notes {
        lines.extend(field("Note", Span::raw(note.clone())));
    }
    if let Some(error) = &row.last_error {
        lines.extend(field("Error", Span::styled(error.clone(), theme.error)));
    }
    for problem in &row.problems {
        lines.extend(field("Problem", Span::styled(problem.clone(), theme.warn)));
    }
    if let Some(set) = &row.export {
        let text = render_masked(state.export_format, set);
        for (i, line) in text.lines().enumerate() {
            let label = if i == 0 { "Export" } else { "" };
            lines.extend(field(label, Span::styled(line.to_string(), theme.dim)));
        }
    }
    let block = Block::bordered()
        .title(format!(" {} ({}) ", row.name, row.kind))
        .border_style(theme.dim);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The label column: a space and nine characters.
const LABEL_WIDTH: usize = 10;

/// `text` in lines of at most `width` characters, broken at spaces where it can be.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A word longer than a line is cut where the line ends.
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            lines.push(head);
        }
    }
    lines.push(line);
    lines
}

/// `admin -> jo (keys) · MFA arn:aws:iam::111122223333:mfa/jo`
pub fn describe_chain(chain: &Chain) -> String {
    let base = match &chain.base {
        Base::Keys { .. } => "keys".to_string(),
        Base::CredentialSource { source, .. } => format!("credential_source {source}"),
        Base::Sso { .. } => "sso".to_string(),
        Base::Process { .. } => "credential_process".to_string(),
    };
    let mut text = format!("{} ({base})", chain.names.join(" -> "));
    if let Some(serial) = &chain.mfa_serial {
        text.push_str(&format!(" · MFA {serial}"));
    }
    text
}

fn region_text(row: &Row) -> String {
    match &row.region {
        Some(region) => region.clone(),
        None => format!("none set; {} will be used", crate::aws::DEFAULT_REGION),
    }
}

/// Why there is no session, and what to do about it.
fn no_session_text(row: &Row) -> &'static str {
    if row.chain.is_err() {
        return "none: the problem above has to be fixed first";
    }
    let mfa = row.chain.as_ref().is_ok_and(|c| c.mfa_serial.is_some());
    match row.kind {
        Kind::Keys if !mfa => "none needed: long-term keys without MFA",
        Kind::Sso => "from IAM Identity Center (aws sso login); i, b, y and x use it",
        Kind::Process => "from credential_process; i, b, y and x use it",
        Kind::Other => "none: this profile has no credentials of its own",
        _ => "none; press Enter to get one",
    }
}

fn session_text(row: &Row, now: DateTime<Utc>, theme: &Theme) -> Span<'static> {
    match row.session(now) {
        SessionState::Active { expires_at } => Span::styled(
            format!(
                "expires {} · {} left",
                local_with_zone(expires_at),
                countdown((expires_at - now).num_seconds())
            ),
            theme.ok,
        ),
        SessionState::Expired { expires_at } => Span::styled(
            format!("expired {}", local_with_zone(expires_at)),
            theme.error,
        ),
        SessionState::None => Span::styled(no_session_text(row), theme.dim),
    }
}

/// A check's result and its local time, or its error in red.
fn checked_span<T>(
    checked: &Checked<T>,
    theme: &Theme,
    describe: impl Fn(&T) -> String,
) -> Span<'static> {
    let at = checked.at.with_timezone(&chrono::Local).format("%H:%M:%S");
    match &checked.result {
        Ok(value) => Span::raw(format!("{} (at {at})", describe(value))),
        Err(error) => Span::styled(format!("{error} (at {at})"), theme.error),
    }
}

/// `3 buckets: logs, site, backups` with at most the first three names.
fn bucket_summary(names: &[String]) -> String {
    let plural = if names.len() == 1 { "" } else { "s" };
    let mut text = format!("{} bucket{plural}", names.len());
    if !names.is_empty() {
        text.push_str(": ");
        text.push_str(&names.iter().take(3).cloned().collect::<Vec<_>>().join(", "));
        if names.len() > 3 {
            text.push_str(", ...");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::wrap_words;

    #[test]
    fn words_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(wrap_words("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("", 4), [""]);
    }
}
