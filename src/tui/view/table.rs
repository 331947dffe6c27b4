//! The profile table: one row per profile, with a live countdown.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Row as TableRow, Table, TableState};

use super::theme::Theme;
use crate::session::SessionState;
use crate::timefmt::countdown;
use crate::tui::state::{Row, State};

pub fn render(state: &State, now: DateTime<Utc>, frame: &mut Frame, area: Rect, theme: &Theme) {
    let header = TableRow::new(["PROFILE", "KIND", "REGION", "ACCOUNT", "SESSION", "CHAIN"])
        .style(theme.heading);
    // Only the rows that fit are built: at 10,000 profiles building them all would cost
    // more than the frame. The selection stays on screen, at the bottom once it scrolls,
    // as ratatui's own scrolling from the top would put it.
    let height = area.height.saturating_sub(3) as usize; // borders and header
    let visible = state.visible();
    let first = state.selected.saturating_sub(height.saturating_sub(1));
    let window = &visible[first.min(visible.len())..visible.len().min(first + height)];
    let rows = window.iter().map(|&i| &state.rows[i]).map(|row| {
        let (text, style) = session_cell(state, row, now, theme);
        TableRow::new(vec![
            Cell::from(row.name.clone()),
            Cell::from(row.kind.as_str()),
            Cell::from(row.region.clone().unwrap_or_else(|| "-".into())),
            Cell::from(row.account.clone().unwrap_or_else(|| "-".into())),
            Cell::from(Span::styled(text, style)),
            Cell::from(Span::styled(chain_cell(row), theme.dim)),
        ])
    });
    let name_width = state.name_width;
    let widths = [
        Constraint::Length(name_width),
        Constraint::Length(9),
        Constraint::Length(15),
        Constraint::Length(13),
        Constraint::Length(12),
        Constraint::Fill(1),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(theme.selected)
        .block(
            Block::new()
                .borders(Borders::TOP | Borders::BOTTOM)
                .border_style(theme.dim),
        );
    let mut table_state = TableState::new().with_selected(Some(state.selected - first));
    frame.render_stateful_widget(table, area, &mut table_state);
    if visible.is_empty() && !state.rows.is_empty() {
        let text = format!(
            "no profile matches \"{}\"; Esc clears the filter",
            state.filter.value()
        );
        let line_area = Rect {
            y: area.y + 2,
            height: 1,
            ..area
        };
        frame.render_widget(Span::styled(text, theme.warn), line_area);
    }
}

/// The SESSION column: spinner while busy, then the countdown coloured by what is left.
fn session_cell(state: &State, row: &Row, now: DateTime<Utc>, theme: &Theme) -> (String, Style) {
    if state.busy.contains(&row.name) {
        return (
            format!("{} working", super::spinner(state.spinner)),
            theme.warn,
        );
    }
    match row.session(now) {
        SessionState::Active { expires_at } => {
            let left = (expires_at - now).num_seconds();
            let style = if left < state.warn_seconds {
                theme.warn
            } else {
                theme.ok
            };
            (countdown(left), style)
        }
        SessionState::Expired { .. } => ("expired".into(), theme.error),
        SessionState::None => ("-".into(), theme.dim),
    }
}

/// Where the credentials come from: `-> jo` for a role, the problem for a broken profile.
fn chain_cell(row: &Row) -> String {
    match &row.chain {
        Ok(chain) if chain.names.len() > 1 => format!("-> {}", chain.names[1..].join(" -> ")),
        Ok(_) => String::new(),
        Err(_) => "problem: see below".to_string(),
    }
}
