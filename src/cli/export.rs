//! `jindu export`: the whole current collection as JSON lines (a backup that `jindu index`
//! reads back).

use std::path::PathBuf;

use clap::Args;

use super::{DEFAULT_INDEX_DIR, EXIT_ERROR, EXIT_OK};
use crate::index::{export_jsonl, IndexHandle};

/// Arguments of `jindu export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Index folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
    /// Output file (default: standard output). Written to a temporary file and renamed, so
    /// an interrupted export leaves no half file behind.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `jindu export`.
pub fn run(args: ExportArgs) -> i32 {
    let handle = match IndexHandle::open(&args.index) {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let result = match &args.out {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            export_jsonl(&handle, &mut out).map_err(|e| e.to_string())
        }
        Some(path) => (|| {
            let tmp = path.with_extension("jsonl.partial");
            let file =
                std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let count = export_jsonl(&handle, &mut out).map_err(|e| e.to_string())?;
            let file = out.into_inner().map_err(|e| e.to_string())?;
            file.sync_all().map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(count)
        })(),
    };
    match result {
        Ok(count) => {
            eprintln!("exported {count} documents");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
