//! The `jindu` binary: parse the command line, run it, exit with its code.

use clap::Parser;

fn main() {
    let cli = jindu::cli::Cli::parse_from(jindu::cli::prepare_args(std::env::args_os()));
    std::process::exit(jindu::cli::run(cli));
}
