//! What the HTML, Word and PDF extractors share: their result, the limits on the work one file
//! may cost, and the guard every extraction runs under (a worker thread with a large stack, a
//! panic caught and a deadline), so no file can crash or hang the reader.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

/// Largest HTML, Word or PDF file read (64 MiB); larger files are reported, not read.
pub const MAX_EXTRACTED_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Most bytes of text taken from one file; past this the file is reported (the body limit).
pub const MAX_EXTRACTED_TEXT_BYTES: usize = super::MAX_BODY_BYTES;
/// Most bytes inflated from one compressed part (a `.docx` member, a PDF stream) and from all
/// of a file's parts together (zip and deflate bombs).
pub const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;
/// Longest time one file's extraction may take.
pub const EXTRACTION_DEADLINE: Duration = Duration::from_secs(120);
/// Stack of the extraction thread: parsers of nested structures recurse.
const EXTRACTION_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Text and metadata taken from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The title the file gives (`<title>`, document properties), if any.
    pub title: Option<String>,
    /// The text, paragraphs separated by newlines.
    pub body: String,
    /// The publication date, `YYYY-MM-DD`, if the file gives one.
    pub date: Option<String>,
}

/// Runs `extract` on a worker thread; a panic or running past [`EXTRACTION_DEADLINE`] becomes an
/// error message. A thread past its deadline is left to finish on its own (its result is
/// dropped): the reader moves on.
pub fn run_guarded<F>(extract: F) -> Result<Extracted, String>
where
    F: FnOnce() -> Result<Extracted, String> + Send + 'static,
{
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("jindu-extract".to_string())
        .stack_size(EXTRACTION_STACK_BYTES)
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(extract));
            let _ = sender.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start the extraction: {e}"));
    }
    match receiver.recv_timeout(EXTRACTION_DEADLINE) {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_string());
            Err(format!(
                "the extractor failed on this file ({detail}); not indexed"
            ))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "extraction took longer than {} s; not indexed",
            EXTRACTION_DEADLINE.as_secs()
        )),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err("the extractor stopped without a result; not indexed".to_string())
        }
    }
}

/// Han ideographs and CJK/full-width punctuation: characters between which a line break or a
/// space is an artefact of layout, not a word boundary.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{FF61}'..='\u{FF65}'
        | '\u{20000}'..='\u{2FA1F}'
        | '“' | '”' | '‘' | '’' | '…' | '—' | '·'
    )
}

/// Joins two pieces of a sentence split by layout: nothing between CJK characters, one space
/// between other text.
pub fn join_broken_line(text: &mut String, next: &str) {
    let next = next.trim_start();
    if next.is_empty() {
        return;
    }
    let last = text.chars().next_back();
    let first = next.chars().next();
    match (last, first) {
        (None, _) => {}
        (Some(a), Some(b)) if is_cjk(a) || is_cjk(b) => {}
        (Some(a), _) if a.is_whitespace() => {}
        _ => text.push(' '),
    }
    text.push_str(next);
}

/// Checks the extracted text's size against [`MAX_EXTRACTED_TEXT_BYTES`].
pub fn check_text_size(bytes: usize) -> Result<(), String> {
    if bytes > MAX_EXTRACTED_TEXT_BYTES {
        return Err(format!(
            "extracted text longer than {MAX_EXTRACTED_TEXT_BYTES} bytes (the body limit); not \
             indexed"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let result = run_guarded(|| -> Result<Extracted, String> { panic!("boom") });
        assert!(
            matches!(&result, Err(m) if m.contains("boom")),
            "{result:?}"
        );
    }

    #[test]
    fn broken_lines_join_without_spaces_between_hanzi() {
        let mut text = "中缅两国".to_string();
        join_broken_line(&mut text, "联合执法");
        assert_eq!(text, "中缅两国联合执法");
        let mut text = "joint".to_string();
        join_broken_line(&mut text, "operation");
        assert_eq!(text, "joint operation");
        let mut text = "禁毒合作，".to_string();
        join_broken_line(&mut text, "UNODC");
        assert_eq!(text, "禁毒合作，UNODC");
    }
}
