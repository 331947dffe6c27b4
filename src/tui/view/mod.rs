//! `render(state, now, frame)`: the whole screen from the state, nothing else.

mod detail;
mod empty;
mod help;
mod modal;
mod table;
pub mod theme;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::state::{Level, State};
use theme::Theme;

/// Smallest screen the dashboard draws on; below it, a message says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

pub fn render(state: &State, now: DateTime<Utc>, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(state.colors);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small: {}x{}, mfatui needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Default::default()), area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(state, frame, header, &theme);
    if state.loaded && state.rows.is_empty() {
        empty::render(state, frame, body, &theme);
    } else {
        // A short table leaves the rest to the details; a long one takes half the
        // screen, or all but 20 lines on a tall one.
        let wanted = state.visible().len() as u16 + 3;
        let table_height = wanted
            .min((body.height / 2).max(body.height.saturating_sub(20)))
            .max(4);
        let [list, details] =
            Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(body);
        table::render(state, now, frame, list, &theme);
        detail::render(state, now, frame, details, &theme);
    }
    render_footer(state, frame, footer, &theme);
    if state.show_help {
        help::render(&state.load_problems, frame, area, &theme);
    }
    if let Some(m) = &state.modal {
        modal::render(m, state.spinner, frame, area, &theme);
    }
}

fn render_header(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let count = state.rows.len();
    let shown = state.visible().len();
    let mut spans = vec![
        Span::styled(" mfatui ", theme.title),
        Span::raw(format!(
            " {count} profile{}",
            if count == 1 { "" } else { "s" }
        )),
    ];
    if shown != count {
        spans.push(Span::raw(format!(", {shown} shown")));
    }
    spans.push(Span::styled(
        format!("  · export {}", state.export_format),
        theme.dim,
    ));
    if !state.load_problems.is_empty() {
        let n = state.load_problems.len();
        let plural = if n == 1 { "" } else { "s" };
        spans.push(Span::styled(
            format!("  · {n} problem{plural} in the files (? lists them)"),
            theme.warn,
        ));
    }
    if let Some(held) = &state.held_session {
        spans.push(Span::styled(
            format!("  · this shell holds {held}"),
            theme.warn,
        ));
    }
    frame.render_widget(Line::from(spans), area);
}

fn render_footer(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    if state.filtering || !state.filter.value().is_empty() {
        let hint = if state.filtering {
            "  (Enter keep · Esc clear)"
        } else {
            "  (/ edit · Esc clear)"
        };
        let line = Line::from(vec![
            Span::styled(" / ", theme.heading),
            Span::raw(state.filter.value().to_string()),
            Span::styled(hint, theme.dim),
        ]);
        frame.render_widget(line, area);
        if state.filtering {
            let x = area.x + 3 + state.filter.visual_cursor() as u16;
            frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        }
        return;
    }
    let line = match &state.status {
        Some(status) => {
            let style = match status.level {
                Level::Info => theme.ok,
                Level::Warn => theme.warn,
                Level::Error => theme.error,
            };
            Line::from(Span::styled(format!(" {}", status.text), style))
        }
        None => Line::from(Span::styled(
            " ↑↓ move · Enter session · i identity · b buckets · y copy · x shell · / filter · ? help · q quit",
            theme.dim,
        )),
    };
    frame.render_widget(line, area);
}

/// Every key the help overlay lists, as (keys, what they do).
pub fn help_keys() -> &'static [(&'static str, &'static str)] {
    &help::KEYS
}

/// Spinner frames for work in flight.
pub(crate) fn spinner(tick: usize) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    FRAMES[tick % FRAMES.len()]
}
