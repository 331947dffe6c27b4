//! The `?` overlay: every key, in one place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

use super::theme::Theme;

/// (keys, what they do), in the order the overlay lists them.
pub const KEYS: [(&str, &str); 16] = [
    ("↑ ↓  j k", "move"),
    ("PgUp PgDn", "move a page"),
    ("g  G", "first, last profile"),
    ("/", "filter as you type (Esc clears)"),
    (
        "Enter",
        "get or renew the session (asks for MFA only when needed)",
    ),
    ("i", "caller identity (STS GetCallerIdentity)"),
    ("b", "S3 buckets (ListBuckets)"),
    ("y", "copy the export lines"),
    ("e", "cycle the export format: sh, fish, pwsh, dotenv"),
    ("x", "open a shell with the session"),
    ("d", "forget the session"),
    ("r", "reload ~/.aws/config and credentials"),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
    ("Tab", "in the MFA prompt: session duration"),
    ("Esc", "close the prompt or this help"),
];

/// The keys, then the problems found in the files (which have no row of their own).
pub fn render(problems: &[String], frame: &mut Frame, area: Rect, theme: &Theme) {
    let extra = if problems.is_empty() {
        0
    } else {
        problems.len() + 2
    };
    let height = (KEYS.len() + 4 + extra) as u16;
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(area.width.min(76))])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!("{keys:<11}"), theme.heading),
                Span::raw(*what),
            ])
        })
        .collect();
    if !problems.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Problems in the files", theme.warn));
        lines.extend(problems.iter().map(|p| Line::raw(p.clone())));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("any key closes this help", theme.dim));
    let block = Block::bordered()
        .title(" Keys ")
        .border_style(theme.heading)
        .padding(Padding::horizontal(1));
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(text, popup);
}
