//! The `jindu` binary: parse the command line, run it, exit with its code.

use clap::Parser;

/// mimalloc rather than glibc's malloc: with many threads (HTTP, search workers, the index
/// writer and its merges) glibc's per-thread arenas kept growing under a mixed soak.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = jindu::cli::Cli::parse_from(jindu::cli::prepare_args(std::env::args_os()));
    std::process::exit(jindu::cli::run(cli));
}
