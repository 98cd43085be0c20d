//! Shared test helpers: the project's knowledge, fixture indexes built once, temp folders.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jindu::index::{build_index, BuildOptions, BuildProgress, IndexHandle};
use jindu::knowledge::Knowledge;
use jindu::search::{search, SearchRequest, SearchResult};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled knowledge.
pub fn knowledge() -> Knowledge {
    Knowledge::load(&root().join("corpus/knowledge")).expect("bundled knowledge loads")
}

/// A fresh, empty folder under cargo's test temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Builds an index at a fresh folder from `corpus`, panicking on failure.
pub fn build(name: &str, corpus: &[PathBuf]) -> PathBuf {
    let dir = temp_dir(name);
    build_index(
        &dir,
        corpus,
        &knowledge(),
        &BuildOptions::default(),
        &BuildProgress::default(),
    )
    .expect("fixture builds");
    dir
}

/// The small hand-made fixture (tests/fixtures/small.jsonl), built once per test run.
pub fn fixture() -> &'static IndexHandle {
    static HANDLE: OnceLock<IndexHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let dir = build("fixture", &[root().join("tests/fixtures/small.jsonl")]);
        IndexHandle::open(&dir).expect("fixture opens")
    })
}

/// The bundled corpus, built once per test run.
pub fn bundled() -> &'static IndexHandle {
    static HANDLE: OnceLock<IndexHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let dir = build("bundled", &[root().join("corpus")]);
        IndexHandle::open(&dir).expect("bundled index opens")
    })
}

/// Runs a request, panicking on error.
pub fn run(handle: &IndexHandle, request: SearchRequest) -> SearchResult {
    search(handle, &request).expect("search succeeds")
}

/// Searches `q` with defaults.
pub fn q(handle: &IndexHandle, q: &str) -> SearchResult {
    run(handle, SearchRequest::query(q))
}

/// The ids of the hits, in order.
pub fn ids(result: &SearchResult) -> Vec<String> {
    result.hits.iter().map(|h| h.id.clone()).collect()
}

/// The ids of the hits, sorted.
pub fn sorted_ids(result: &SearchResult) -> Vec<String> {
    let mut ids = ids(result);
    ids.sort();
    ids
}

/// `../shared`, or `None` with a printed note (a failure when `JINDU_REQUIRE_SHARED=1`).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("data").is_dir() {
        return Some(dir);
    }
    if std::env::var("JINDU_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("../shared/data is missing and JINDU_REQUIRE_SHARED=1");
    }
    eprintln!("skipping: ../shared/data is not present (set JINDU_REQUIRE_SHARED=1 to require it)");
    None
}
