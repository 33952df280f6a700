//! The `hearth` command: serve, user, backup, validate.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod validate_903;
mod validate_cin;

#[derive(Parser)]
#[command(name = "hearth", version, about = "Hearth: children's social care records, returns and reports")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a statutory return from its files alone.
    #[command(subcommand)]
    Validate(Validate),
}

#[derive(Subcommand)]
enum Validate {
    /// SSDA903 (children looked after) return: CSV tables or XML.
    #[command(name = "903")]
    Ssda903(validate_903::Args),
    /// CIN census XML.
    Cin(validate_cin::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(Validate::Ssda903(args)) => validate_903::run(args),
        Command::Validate(Validate::Cin(args)) => validate_cin::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
