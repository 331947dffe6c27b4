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

/// A session length as people say it: `15m`, `1h`, `1h 30m`; odd seconds as a countdown.
fn countdown_or_hours(seconds: u32) -> String {
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    match (h, m) {
        _ if !seconds.is_multiple_of(60) => countdown(i64::from(seconds)),
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::countdown_or_hours;

    #[test]
    fn lengths_read_as_people_say_them() {
        assert_eq!(countdown_or_hours(900), "15m");
        assert_eq!(countdown_or_hours(3600), "1h");
        assert_eq!(countdown_or_hours(5400), "1h 30m");
        assert_eq!(countdown_or_hours(43200), "12h");
        assert_eq!(countdown_or_hours(905), "15m 05s");
    }
}
