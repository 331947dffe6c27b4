//! The detail pane: the selected profile's chain, session and problems.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::theme::Theme;
use crate::profile::{Base, Chain};
use crate::session::SessionState;
use crate::timefmt::{countdown, local_with_zone};
use crate::tui::state::{Row, State};

pub fn render(state: &State, now: DateTime<Utc>, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(row) = state.selected_row() else {
        return;
    };
    let field = |name: &str, value: Span<'static>| {
        Line::from(vec![
            Span::styled(format!(" {name:<9}"), theme.heading),
            value,
        ])
    };
    let mut lines = vec![field(
        "Chain",
        match &row.chain {
            Ok(chain) => Span::raw(describe_chain(chain)),
            Err(problem) => Span::styled(problem.clone(), theme.error),
        },
    )];
    lines.push(field("Region", Span::raw(region_text(row))));
    lines.push(field("Session", session_text(row, now, theme)));
    for note in &row.notes {
        lines.push(field("Note", Span::raw(note.clone())));
    }
    if let Some(error) = &row.last_error {
        lines.push(field("Error", Span::styled(error.clone(), theme.error)));
    }
    for problem in &row.problems {
        lines.push(field("Problem", Span::styled(problem.clone(), theme.warn)));
    }
    let block = Block::bordered()
        .title(format!(" {} ({}) ", row.name, row.kind))
        .border_style(theme.dim);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
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
        SessionState::None => Span::styled("none; press Enter to get one", theme.dim),
    }
}
