//! The live index a server answers from: the current generation, swapped for a new one when
//! `CURRENT` changes (a `jindu index` run finished), without failing a request in flight
//! (each request holds the `Arc` of the generation it started with).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use arc_swap::ArcSwapOption;

use super::handle::IndexHandle;
use super::layout;
use super::IndexError;

/// The current generation under an index root, reloadable.
pub struct LiveIndex {
    root: PathBuf,
    current: ArcSwapOption<IndexHandle>,
    /// The generation name last opened (or last failed to open), to notice switches.
    opened: Mutex<Option<String>>,
}

impl std::fmt::Debug for LiveIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveIndex")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl LiveIndex {
    /// A live index over `root`, not yet opened.
    pub fn new(root: &Path) -> Arc<LiveIndex> {
        Arc::new(LiveIndex {
            root: root.to_path_buf(),
            current: ArcSwapOption::empty(),
            opened: Mutex::new(None),
        })
    }

    /// A live index holding an already opened generation (tests, embedding).
    pub fn from_handle(handle: IndexHandle) -> Arc<LiveIndex> {
        let name = handle
            .generation
            .file_name()
            .map(|n| n.to_string_lossy().to_string());
        let live = LiveIndex::new(&handle.root.clone());
        if let Ok(mut opened) = live.opened.lock() {
            *opened = name;
        }
        live.current.store(Some(Arc::new(handle)));
        live
    }

    /// The index root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The current generation, if one is open.
    pub fn get(&self) -> Option<Arc<IndexHandle>> {
        self.current.load_full()
    }

    /// Makes `handle` the current generation (requests already running keep the old one).
    pub fn set(&self, handle: Arc<IndexHandle>) {
        if let Ok(mut opened) = self.opened.lock() {
            *opened = handle
                .generation
                .file_name()
                .map(|n| n.to_string_lossy().to_string());
        }
        self.current.store(Some(handle));
    }

    /// Opens the generation `CURRENT` names if it is not the one open; returns whether it
    /// switched. A generation that fails to open is reported once and the old one kept.
    pub fn refresh(&self) -> Result<bool, IndexError> {
        let Some(name) = layout::current_name(&self.root) else {
            if self.get().is_none() {
                return Err(IndexError::NotFound {
                    root: self.root.clone(),
                });
            }
            return Ok(false);
        };
        {
            let opened = self.opened.lock().map_err(|_| IndexError::Corrupt {
                path: self.root.clone(),
                message: "live index lock poisoned".to_string(),
            })?;
            if opened.as_deref() == Some(name.as_str()) {
                return Ok(false);
            }
        }
        let result = IndexHandle::open(&self.root);
        if let Ok(mut opened) = self.opened.lock() {
            *opened = Some(name);
        }
        let handle = result?;
        self.current.store(Some(Arc::new(handle)));
        Ok(true)
    }

    /// Polls for new generations every `interval` on a background thread, which ends when the
    /// last `Arc` of this live index is dropped.
    pub fn watch(self: &Arc<Self>, interval: Duration) -> std::thread::JoinHandle<()> {
        let weak: Weak<LiveIndex> = Arc::downgrade(self);
        std::thread::spawn(move || loop {
            std::thread::sleep(interval);
            let Some(live) = weak.upgrade() else { return };
            match live.refresh() {
                Ok(true) => {
                    tracing::info!(root = %live.root.display(), "switched to a new index generation")
                }
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "could not open the new index generation; still serving the previous one")
                }
            }
        })
    }
}
