//! `hearth validate` for this return (to be filled in by the returns work).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Return files or a directory holding them.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("validation of this return is not built yet")
}
