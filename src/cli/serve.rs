//! `jindu serve`: the HTTP API and the search page.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::config::{self, ConfigFile, LogFormat};

/// Arguments of `jindu serve` (each overrides the config file and `JINDU_*` variables).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:7730; 127.0.0.1:0 picks a free port].
    #[arg(long, value_name = "ADDR")]
    pub addr: Option<String>,
    /// Index folder [default: index]; built from the corpus if it holds no index.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Corpus files or folders, for a first build (repeatable) [default: corpus].
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    /// TOML settings file (see README for the keys).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JINDU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Runs `jindu serve`.
pub fn run(args: ServeArgs) -> i32 {
    let flags = ConfigFile {
        addr: args.addr,
        index: args.index,
        corpus: (!args.corpus.is_empty()).then_some(args.corpus),
        knowledge: args.knowledge,
        ..ConfigFile::default()
    };
    let config = match config::load(args.config.as_deref(), |k| std::env::var(k).ok(), flags) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    init_logging(config.log_format);
    let knowledge = match load_knowledge(&config.knowledge) {
        Ok(knowledge) => knowledge,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return EXIT_ERROR;
        }
    };
    let result = runtime.block_on(crate::http::serve(config, knowledge, |addr| {
        println!("listening on http://{addr}");
        let _ = std::io::stdout().flush();
    }));
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
