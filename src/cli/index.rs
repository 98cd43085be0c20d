//! `jindu index`: build a new generation from the corpus and switch to it.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Args;

use super::{load_knowledge, DEFAULT_CORPUS_DIR, DEFAULT_INDEX_DIR, EXIT_ERROR, EXIT_OK};
use crate::corpus::{list_files, DocType, ReadOptions};
use crate::index::{build_index, BuildOptions, BuildProgress, IndexError};

/// Arguments of `jindu index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Corpus files or folders (repeatable) [default: corpus].
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Index folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    /// Index the valid documents and list the invalid ones, instead of indexing nothing.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Document type of text, HTML, Word and PDF files whose front matter or sidecar does not say.
    #[arg(long, value_name = "TYPE", value_parser = ["policy", "case"])]
    pub doc_type: Option<String>,
    /// Analysis threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Runs `jindu index`.
pub fn run(args: IndexArgs) -> i32 {
    let corpus = if args.corpus.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS_DIR)]
    } else {
        args.corpus.clone()
    };
    let knowledge = match load_knowledge(&args.knowledge) {
        Ok(knowledge) => knowledge,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let total_bytes: u64 = match list_files(&corpus) {
        Ok(files) => files
            .iter()
            .filter_map(|(_, path)| std::fs::metadata(path).ok())
            .map(|m| m.len())
            .sum(),
        Err(e) => {
            eprintln!("error: corpus: {e}");
            return EXIT_ERROR;
        }
    };
    let options = BuildOptions {
        skip_invalid: args.skip_invalid,
        analysis_threads: args.threads,
        read: ReadOptions {
            default_doc_type: args.doc_type.as_deref().and_then(DocType::parse),
        },
        ..BuildOptions::default()
    };
    let progress = BuildProgress::default();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total_bytes),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} indexing [{bar:30}] {bytes}/{total_bytes} {msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let result = std::thread::scope(|scope| {
        let worker =
            scope.spawn(|| build_index(&args.index, &corpus, &knowledge, &options, &progress));
        while !worker.is_finished() {
            bar.set_position(progress.text_bytes.load(Ordering::Relaxed));
            bar.set_message(format!(
                "{} documents",
                progress.documents.load(Ordering::Relaxed)
            ));
            std::thread::sleep(Duration::from_millis(100));
        }
        worker.join()
    });
    bar.finish_and_clear();
    let result = match result {
        Ok(result) => result,
        Err(_) => {
            eprintln!("error: the build failed unexpectedly; the previous index is unchanged");
            return EXIT_ERROR;
        }
    };
    match result {
        Ok(report) => {
            for problem in &report.skipped {
                eprintln!("skipped: {problem}");
            }
            if !report.ignored_files.is_empty() {
                eprintln!(
                    "note: ignored {} file(s) of unknown format (e.g. {})",
                    report.ignored_files.len(),
                    report.ignored_files[0].display()
                );
            }
            let mb = report.text_bytes as f64 / 1e6;
            println!(
                "indexed {} documents ({:.2} MB of text) in {:.2} s, {:.2} MB/s; {} skipped; index: {}",
                report.documents,
                mb,
                report.seconds,
                mb / report.seconds.max(1e-9),
                report.skipped.len(),
                report.generation.display()
            );
            EXIT_OK
        }
        Err(IndexError::Invalid { errors }) => {
            for error in &errors {
                eprintln!("{error}");
            }
            eprintln!(
                "error: {} problem(s) in the corpus; nothing was indexed and the previous index \
                 is unchanged (use --skip-invalid to index the valid documents)",
                errors.len()
            );
            EXIT_ERROR
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("the previous index is unchanged");
            EXIT_ERROR
        }
    }
}
