//! Getting credentials out: export formats with exact quoting, the subshell environment.

pub mod clipboard;
pub mod env;
pub mod export;
pub mod quote;
