//! Colours, or none at all (NO_COLOR, or `colors = off` in the settings).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub dim: Style,
    pub selected: Style,
    pub heading: Style,
}

impl Theme {
    pub fn new(colors: bool) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !colors {
            return Theme {
                title: bold.add_modifier(Modifier::REVERSED),
                ok: Style::new(),
                warn: bold,
                error: bold,
                dim: Style::new(),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                heading: bold,
            };
        }
        Theme {
            title: bold.fg(Color::Black).bg(Color::Cyan),
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            error: Style::new().fg(Color::Red),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            heading: bold.fg(Color::Cyan),
        }
    }
}
