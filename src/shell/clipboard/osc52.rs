//! The OSC 52 sequence, bare and wrapped for tmux passthrough (see the tmux section of the
//! [module docs](super)).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The OSC 52 sequence that sets the terminal's clipboard ("c") to `text`, terminated by BEL
/// (understood more widely than ST). With `tmux`, followed by the same sequence wrapped for
/// tmux passthrough (see the module docs).
pub fn osc52_sequence(text: &str, tmux: bool) -> Vec<u8> {
    let plain = format!("\x1b]52;c;{}\x07", BASE64.encode(text)).into_bytes();
    if !tmux {
        return plain;
    }
    let mut seq = plain.clone();
    seq.extend_from_slice(b"\x1bPtmux;");
    for &byte in &plain {
        if byte == 0x1b {
            seq.push(0x1b);
        }
        seq.push(byte);
    }
    seq.extend_from_slice(b"\x1b\\");
    seq
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_the_base64_of_the_text_between_the_introducer_and_bel() {
        assert_eq!(osc52_sequence("hi", false), b"\x1b]52;c;aGk=\x07");
        // The RFC 4648 vectors, padding included.
        for (text, b64) in [
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let expected = format!("\x1b]52;c;{b64}\x07");
            assert_eq!(osc52_sequence(text, false), expected.as_bytes(), "{text}");
        }
        // Export lines: newlines, quotes and non-ASCII travel inside the base64.
        let text = "export AWS_SECRET_ACCESS_KEY='a/b+c=d'\nexport X=\"é\u{1b}\"\n";
        let seq = osc52_sequence(text, false);
        let b64 = &seq[b"\x1b]52;c;".len()..seq.len() - 1];
        assert_eq!(BASE64.decode(b64).unwrap(), text.as_bytes());
        assert!(
            !seq[1..].contains(&0x1b) && !b64.contains(&0x07),
            "no terminator inside"
        );
    }

    #[test]
    fn in_tmux_the_sequence_is_sent_plain_and_wrapped_for_passthrough() {
        assert_eq!(
            osc52_sequence("hi", true),
            b"\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
    }
}
