//! The on-disk layout of an index folder: generations beside each other and a `CURRENT` file
//! naming the live one, switched atomically (write a temp file, fsync, rename, fsync the folder).
//!
//! ```text
//! index/
//!   CURRENT                 "gen-1764430000123-4242"
//!   build.lock              held by the process building a new generation
//!   gen-1764430000123-4242/ a complete tantivy index + jindu.json + knowledge/
//!   .building-…/            a generation being built (removed if the build fails or dies)
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::IndexError;

/// Name of the file holding the live generation's folder name.
pub const CURRENT_FILE: &str = "CURRENT";
/// Name of the lock file a build holds.
pub const LOCK_FILE: &str = "build.lock";
const GENERATION_PREFIX: &str = "gen-";
const BUILDING_PREFIX: &str = ".building-";

/// The live generation's folder, or `None` if no index was ever published at `root`.
pub fn current_generation(root: &Path) -> Result<Option<PathBuf>, IndexError> {
    let path = root.join(CURRENT_FILE);
    match fs::read_to_string(&path) {
        Ok(name) => {
            let name = name.trim();
            if name.is_empty() || name.contains('/') || name.contains("..") {
                return Err(IndexError::Corrupt {
                    path,
                    message: format!("bad generation name {name:?}"),
                });
            }
            Ok(Some(root.join(name)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(IndexError::io(&path, e)),
    }
}

/// Reads the `CURRENT` file's content (cheap; used to notice a switch).
pub fn current_name(root: &Path) -> Option<String> {
    fs::read_to_string(root.join(CURRENT_FILE))
        .ok()
        .map(|s| s.trim().to_string())
}

/// An exclusive lock on building at `root`; released on drop (or when the process dies).
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
}

/// Opens `root/name` and takes an exclusive lock on it; `Ok(None)` when another process holds
/// it. Creates `root` if needed.
fn try_lock_file(root: &Path, name: &str) -> Result<Option<File>, IndexError> {
    create_root(root)?;
    let path = root.join(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| IndexError::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(IndexError::io(&path, e)),
    }
}

impl BuildLock {
    /// Takes the lock, creating `root` if needed; fails at once if another build holds it.
    pub fn acquire(root: &Path) -> Result<BuildLock, IndexError> {
        match try_lock_file(root, LOCK_FILE)? {
            Some(file) => Ok(BuildLock { _file: file }),
            None => Err(IndexError::Locked {
                root: root.to_path_buf(),
            }),
        }
    }
}

fn create_root(root: &Path) -> Result<(), IndexError> {
    if root.exists() && !root.is_dir() {
        return Err(IndexError::io(
            root,
            std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists and is not a folder",
            ),
        ));
    }
    fs::create_dir_all(root).map_err(|e| IndexError::io(root, e))
}

/// An exclusive lock a server holds on its index root (it owns the writer and the journal);
/// released on drop or when the process dies.
#[derive(Debug)]
pub struct ServeLock {
    _file: File,
}

/// Name of the lock file a server holds.
pub const SERVE_LOCK_FILE: &str = "serve.lock";

impl ServeLock {
    /// Takes the lock, failing at once when another server holds it.
    pub fn acquire(root: &Path) -> Result<ServeLock, IndexError> {
        match try_lock_file(root, SERVE_LOCK_FILE)? {
            Some(file) => Ok(ServeLock { _file: file }),
            None => Err(IndexError::Corrupt {
                path: root.join(SERVE_LOCK_FILE),
                message: "another jindu serve is using this index folder".to_string(),
            }),
        }
    }
}

/// A fresh folder for a generation being built. Stale ones from dead builds are removed first
/// (the caller holds the [`BuildLock`], so no other build is running).
pub fn new_building_dir(root: &Path, _lock: &BuildLock) -> Result<PathBuf, IndexError> {
    remove_stale_builds(root);
    let name = format!("{BUILDING_PREFIX}{}", unique_suffix());
    let dir = root.join(name);
    fs::create_dir(&dir).map_err(|e| IndexError::io(&dir, e))?;
    Ok(dir)
}

fn unique_suffix() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("{millis:013}-{}", std::process::id())
}

fn remove_stale_builds(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(BUILDING_PREFIX)
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Syncs a folder's entries to disk.
pub fn sync_dir(dir: &Path) -> Result<(), IndexError> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| IndexError::io(dir, e))
}

/// Writes `bytes` to `path` durably: temp file, fsync, rename, fsync of the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(IndexError::io(path, e));
    }
    sync_dir(dir)
}

/// Publishes a finished generation: renames the building folder to a generation name, points
/// `CURRENT` at it, and removes generations older than the previous one (a running server may
/// still be reading the previous one; it switches within seconds).
pub fn publish(root: &Path, building: &Path, _lock: &BuildLock) -> Result<PathBuf, IndexError> {
    sync_dir(building)?;
    let name = format!("{GENERATION_PREFIX}{}", unique_suffix());
    let generation = root.join(&name);
    fs::rename(building, &generation).map_err(|e| IndexError::io(&generation, e))?;
    sync_dir(root)?;
    let previous = current_name(root);
    write_atomically(&root.join(CURRENT_FILE), format!("{name}\n").as_bytes())?;
    if let Ok(entries) = fs::read_dir(root) {
        for entry in entries.flatten() {
            let entry_name = entry.file_name().to_string_lossy().to_string();
            let keep = entry_name == name || Some(&entry_name) == previous.as_ref();
            if entry_name.starts_with(GENERATION_PREFIX) && !keep {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    Ok(generation)
}

/// Removes a failed build's folder.
pub fn discard(building: &Path) {
    let _ = fs::remove_dir_all(building);
}
