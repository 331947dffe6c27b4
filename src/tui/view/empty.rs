//! What the dashboard says when there is not a single profile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use crate::tui::state::State;

pub fn render(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = vec![
        Line::from(Span::styled("No AWS profiles found.", theme.heading)),
        Line::raw(""),
        Line::raw("mfatui reads profiles from:"),
        Line::raw(format!("  config       {}", state.sources.config)),
        Line::raw(format!("  credentials  {}", state.sources.credentials)),
        Line::raw(""),
        Line::raw("Create them, for example an IAM user whose keys need MFA:"),
        Line::raw(""),
        Line::styled(format!("  # {}", state.sources.credentials), theme.dim),
        Line::raw("  [jo]"),
        Line::raw("  aws_access_key_id = AKIA..."),
        Line::raw("  aws_secret_access_key = ..."),
        Line::raw(""),
        Line::styled(format!("  # {}", state.sources.config), theme.dim),
        Line::raw("  [profile jo]"),
        Line::raw("  region = eu-west-1"),
        Line::raw("  mfa_serial = arn:aws:iam::111122223333:mfa/jo"),
        Line::raw(""),
        Line::raw("then press r to reload."),
    ];
    for problem in &state.load_problems {
        lines.push(Line::styled(problem.clone(), theme.error));
    }
    let block = Block::new().borders(Borders::TOP).border_style(theme.dim);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
