//! Taking the terminal and always giving it back: on quit, on error, on panic
//! (ratatui's hook restores before the message prints) and on SIGTERM/SIGHUP.

use ratatui::DefaultTerminal;

/// Owns the terminal while the dashboard runs; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<TerminalGuard> {
        // try_init enters raw mode and the alternate screen, and installs a panic hook
        // that restores the terminal before the panic is printed.
        let terminal = ratatui::try_init()?;
        Ok(TerminalGuard { terminal })
    }

    /// Give the terminal back to the shell (cooked mode, main screen).
    pub fn suspend(&mut self) {
        ratatui::restore();
    }

    /// Take it again and redraw everything: whatever the shell printed is gone.
    pub fn resume(&mut self) -> std::io::Result<()> {
        self.terminal = ratatui::try_init()?;
        self.terminal.clear()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
