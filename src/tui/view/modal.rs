//! The MFA modal, drawn over the dashboard.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

use super::theme::Theme;
use crate::timefmt::countdown;
use crate::tui::modal::MfaModal;

pub fn render(modal: &MfaModal, tick: usize, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = area.width.min(72);
    let [row] = Layout::vertical([Constraint::Length(10)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(format!(" MFA code for {} ", modal.profile))
        .border_style(theme.heading)
        .padding(Padding::horizontal(1));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let digits = modal.input.value();
    let boxes: String = (0..6)
        .map(|i| digits.chars().nth(i).unwrap_or('_'))
        .map(|c| format!("{c} "))
        .collect();
    let status = if modal.busy {
        Span::styled(
            format!("{} asking STS...", super::spinner(tick)),
            theme.warn,
        )
    } else if let Some(error) = &modal.error {
        Span::styled(error.clone(), theme.error)
    } else if let (true, Some(user)) = (modal.can_reuse(), &modal.reuse) {
        Span::styled(
            format!("Enter without a code reuses the MFA session of {user}"),
            theme.ok,
        )
    } else if modal.reuse.is_some() {
        Span::styled(
            "over 1 h needs a code; Tab to 1h or less to reuse the MFA session",
            theme.dim,
        )
    } else {
        Span::styled("Enter submit · Esc cancel · Tab duration", theme.dim)
    };
    let lines = vec![
        Line::from(vec![
            Span::styled("Device   ", theme.dim),
            Span::raw(modal.device.clone()),
        ]),
        Line::from(vec![
            Span::styled("Duration ", theme.dim),
            Span::raw(countdown_or_hours(modal.duration())),
        ]),
        Line::raw(""),
        Line::from(vec![Span::styled("Code     ", theme.dim), Span::raw(boxes)]),
        Line::raw(""),
        Line::from(status),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if !modal.busy {
        let x = inner.x + 9 + 2 * digits.len().min(5) as u16;
        frame.set_cursor_position(Position::new(x, inner.y + 3));
    }
}

fn countdown_or_hours(seconds: u32) -> String {
    if seconds.is_multiple_of(3600) {
        format!("{}h", seconds / 3600)
    } else {
        countdown(i64::from(seconds))
    }
}
