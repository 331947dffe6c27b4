//! The MFA modal: six digits, a duration to choose, and what STS said.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

#[derive(Debug, Clone, Default)]
pub struct MfaModal {
    pub profile: String,
    pub device: String,
    pub input: Input,
    /// Durations allowed for this profile, in seconds; Tab cycles through them.
    pub durations: Vec<u32>,
    pub duration_index: usize,
    /// An STS call is in flight for this code.
    pub busy: bool,
    /// The user whose MFA session lives: up to 1 h, Enter without a code reuses it.
    pub reuse: Option<String>,
    pub error: Option<String>,
}

/// What a key did to the modal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModalOutcome {
    Stay,
    Cancel,
    /// `code` None: reuse the live MFA session (only offered up to 1 h).
    Submit {
        code: Option<String>,
        duration: u32,
    },
}

impl MfaModal {
    pub fn new(profile: String, device: String, durations: Vec<u32>) -> MfaModal {
        MfaModal {
            profile,
            device,
            durations,
            ..MfaModal::default()
        }
    }

    pub fn duration(&self) -> u32 {
        self.durations
            .get(self.duration_index)
            .copied()
            .unwrap_or(3600)
    }

    pub fn on_key(&mut self, key: KeyEvent) -> ModalOutcome {
        if key.code == KeyCode::Esc {
            return ModalOutcome::Cancel;
        }
        if self.busy {
            return ModalOutcome::Stay;
        }
        match key.code {
            KeyCode::Enter if self.input.value().len() == 6 => {
                self.busy = true;
                self.error = None;
                ModalOutcome::Submit {
                    code: Some(self.input.value().to_string()),
                    duration: self.duration(),
                }
            }
            KeyCode::Enter if self.input.value().is_empty() && self.can_reuse() => {
                self.busy = true;
                self.error = None;
                ModalOutcome::Submit {
                    code: None,
                    duration: self.duration(),
                }
            }
            KeyCode::Enter => {
                self.error = Some("the code has six digits".into());
                ModalOutcome::Stay
            }
            KeyCode::Tab if !self.durations.is_empty() => {
                self.duration_index = (self.duration_index + 1) % self.durations.len();
                ModalOutcome::Stay
            }
            KeyCode::BackTab if !self.durations.is_empty() => {
                let n = self.durations.len();
                self.duration_index = (self.duration_index + n - 1) % n;
                ModalOutcome::Stay
            }
            KeyCode::Char(c) if key.modifiers.difference(KeyModifiers::SHIFT).is_empty() => {
                if c.is_ascii_digit() && self.input.value().len() < 6 {
                    self.input.handle_event(&Event::Key(key));
                    self.error = None;
                }
                ModalOutcome::Stay
            }
            _ => {
                self.input.handle_event(&Event::Key(key));
                ModalOutcome::Stay
            }
        }
    }

    /// Whether the chosen duration lets a live MFA session stand in for a code: AWS caps a
    /// role assumed from it at one hour.
    pub fn can_reuse(&self) -> bool {
        self.reuse.is_some() && self.duration() <= crate::session::request::CHAINING_CAP
    }

    /// STS rejected the code: keep the modal open, clear the digits, say why.
    pub fn rejected(&mut self, reason: String) {
        self.busy = false;
        self.input.reset();
        self.error = Some(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(modal: &mut MfaModal, text: &str) {
        for c in text.chars() {
            modal.on_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn only_six_digits_are_accepted() {
        let mut m = MfaModal::new("jo".into(), "dev".into(), vec![3600, 43200]);
        typed(&mut m, "12a3-45678");
        assert_eq!(m.input.value(), "123456");
        assert_eq!(
            m.on_key(key(KeyCode::Enter)),
            ModalOutcome::Submit {
                code: Some("123456".into()),
                duration: 3600
            }
        );
        assert!(m.busy);
    }

    #[test]
    fn enter_with_fewer_digits_stays_and_says_so() {
        let mut m = MfaModal::new("jo".into(), "dev".into(), vec![3600]);
        typed(&mut m, "123");
        assert_eq!(m.on_key(key(KeyCode::Enter)), ModalOutcome::Stay);
        assert!(m.error.is_some());
    }

    #[test]
    fn tab_cycles_durations() {
        let mut m = MfaModal::new("jo".into(), "dev".into(), vec![3600, 7200, 43200]);
        m.on_key(key(KeyCode::Tab));
        m.on_key(key(KeyCode::Tab));
        assert_eq!(m.duration(), 43200);
        m.on_key(key(KeyCode::Tab));
        assert_eq!(m.duration(), 3600);
        m.on_key(key(KeyCode::BackTab));
        assert_eq!(m.duration(), 43200);
    }

    #[test]
    fn a_rejected_code_keeps_the_modal_with_the_reason() {
        let mut m = MfaModal::new("jo".into(), "dev".into(), vec![3600]);
        typed(&mut m, "123456");
        m.on_key(key(KeyCode::Enter));
        m.rejected("the code was rejected".into());
        assert!(!m.busy);
        assert_eq!(m.input.value(), "");
        assert_eq!(m.error.as_deref(), Some("the code was rejected"));
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::*;

    #[test]
    fn up_to_an_hour_enter_without_a_code_reuses_the_mfa_session() {
        let mut m = MfaModal::new("ro".into(), "dev".into(), vec![7200, 3600]);
        m.reuse = Some("jo".into());
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(m.on_key(enter), ModalOutcome::Stay, "7200 s needs a code");
        m.on_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        assert_eq!(
            m.on_key(enter),
            ModalOutcome::Submit {
                code: None,
                duration: 3600
            }
        );
    }
}
