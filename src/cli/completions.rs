//! `mfatui completions SHELL`: the completion script clap_complete writes for the shell.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

pub fn run(shell: Shell, out: &mut impl Write) -> anyhow::Result<()> {
    clap_complete::generate(shell, &mut Cli::command(), "mfatui", out);
    Ok(())
}
