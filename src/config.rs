//! Server settings: one `Config`, from a TOML file < `JINDU_*` environment variables < command
//! line flags, validated once. An unknown key in the file is an error that names it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// A key, never printed: its `Debug` shows `***`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// A secret holding `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The key itself, for comparison.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Default listen address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7730";

/// Every setting of `jindu serve`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Index folder.
    pub index: PathBuf,
    /// Corpus paths, used to build the index when none exists.
    pub corpus: Vec<PathBuf>,
    /// Knowledge folder (`None`: `corpus/knowledge` when present).
    pub knowledge: Option<PathBuf>,
    /// Origins allowed by CORS (empty: no CORS headers).
    pub cors_origins: Vec<String>,
    /// Longest a request may take before it is answered `timeout`.
    pub request_timeout: Duration,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Threads running searches.
    pub search_threads: usize,
    /// Requests that may wait for a search thread before `overloaded` answers.
    pub queue_depth: usize,
    /// How often the index folder is checked for a new generation.
    pub reload_interval: Duration,
    /// Log format: `text` or `json`.
    pub log_format: LogFormat,
    /// The key that allows writes (`Authorization: Bearer …`); no key, no writes.
    pub api_key: Option<Secret>,
    /// A key every read must present, if set (the write key also reads).
    pub read_key: Option<Secret>,
    /// Largest body of a write request.
    pub max_write_bytes: usize,
    /// Most documents in one write request.
    pub max_documents: usize,
}

/// How request logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Config {
            addr: DEFAULT_ADDR
                .parse()
                .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 7730))),
            index: PathBuf::from("index"),
            corpus: vec![PathBuf::from("corpus")],
            knowledge: None,
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(10),
            max_body_bytes: 1024 * 1024,
            search_threads: cores.max(2),
            queue_depth: 256,
            reload_interval: Duration::from_millis(1000),
            log_format: LogFormat::Text,
            api_key: None,
            read_key: None,
            max_write_bytes: 16 * 1024 * 1024,
            max_documents: 1000,
        }
    }
}

/// A settings problem, naming the setting and where it came from.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{source_name}: {message}")]
pub struct ConfigError {
    /// `FILE`, `JINDU_X` or `--flag`.
    pub source_name: String,
    /// What is wrong.
    pub message: String,
}

/// The settings a TOML file may hold; every key optional, unknown keys refused.
#[derive(Debug, Default, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// See [`Config::addr`].
    pub addr: Option<String>,
    /// See [`Config::index`].
    pub index: Option<PathBuf>,
    /// See [`Config::corpus`].
    pub corpus: Option<Vec<PathBuf>>,
    /// See [`Config::knowledge`].
    pub knowledge: Option<PathBuf>,
    /// See [`Config::cors_origins`].
    pub cors_origins: Option<Vec<String>>,
    /// See [`Config::request_timeout`], in milliseconds.
    pub request_timeout_ms: Option<u64>,
    /// See [`Config::max_body_bytes`].
    pub max_body_bytes: Option<usize>,
    /// See [`Config::search_threads`].
    pub search_threads: Option<usize>,
    /// See [`Config::queue_depth`].
    pub queue_depth: Option<usize>,
    /// See [`Config::reload_interval`], in milliseconds.
    pub reload_interval_ms: Option<u64>,
    /// See [`Config::log_format`].
    pub log_format: Option<LogFormat>,
    /// See [`Config::api_key`].
    pub api_key: Option<Secret>,
    /// See [`Config::read_key`].
    pub read_key: Option<Secret>,
    /// See [`Config::max_write_bytes`].
    pub max_write_bytes: Option<usize>,
    /// See [`Config::max_documents`].
    pub max_documents: Option<usize>,
}

/// The environment variables read, with the file key each overrides.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("JINDU_ADDR", "addr"),
    ("JINDU_INDEX", "index"),
    ("JINDU_CORPUS", "corpus"),
    ("JINDU_KNOWLEDGE", "knowledge"),
    ("JINDU_CORS_ORIGINS", "cors_origins"),
    ("JINDU_REQUEST_TIMEOUT_MS", "request_timeout_ms"),
    ("JINDU_MAX_BODY_BYTES", "max_body_bytes"),
    ("JINDU_SEARCH_THREADS", "search_threads"),
    ("JINDU_QUEUE_DEPTH", "queue_depth"),
    ("JINDU_RELOAD_INTERVAL_MS", "reload_interval_ms"),
    ("JINDU_LOG_FORMAT", "log_format"),
    ("JINDU_API_KEY", "api_key"),
    ("JINDU_READ_KEY", "read_key"),
    ("JINDU_MAX_WRITE_BYTES", "max_write_bytes"),
    ("JINDU_MAX_DOCUMENTS", "max_documents"),
];

impl ConfigFile {
    /// Reads a TOML file; unknown keys and bad values are errors naming them.
    pub fn read(path: &Path) -> Result<ConfigFile, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            source_name: name.clone(),
            message: e.to_string(),
        })?;
        toml::from_str(&text).map_err(|e| ConfigError {
            source_name: name,
            message: e.message().to_string(),
        })
    }

    /// Settings from `JINDU_*` variables, read through `lookup` (the process environment in
    /// production; a map in tests).
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<ConfigFile, ConfigError> {
        let mut file = ConfigFile::default();
        for (var, _) in ENV_VARS {
            let Some(value) = lookup(var).filter(|v| !v.is_empty()) else {
                continue;
            };
            let bad = |message: String| ConfigError {
                source_name: var.to_string(),
                message,
            };
            let number = |value: &str| -> Result<u64, ConfigError> {
                value
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| bad(format!("{value:?} is not a whole number")))
            };
            let list = |value: &str| -> Vec<String> {
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            match *var {
                "JINDU_ADDR" => file.addr = Some(value),
                "JINDU_INDEX" => file.index = Some(PathBuf::from(value)),
                "JINDU_CORPUS" => {
                    file.corpus = Some(list(&value).into_iter().map(PathBuf::from).collect())
                }
                "JINDU_KNOWLEDGE" => file.knowledge = Some(PathBuf::from(value)),
                "JINDU_CORS_ORIGINS" => file.cors_origins = Some(list(&value)),
                "JINDU_REQUEST_TIMEOUT_MS" => file.request_timeout_ms = Some(number(&value)?),
                "JINDU_MAX_BODY_BYTES" => file.max_body_bytes = Some(number(&value)? as usize),
                "JINDU_SEARCH_THREADS" => file.search_threads = Some(number(&value)? as usize),
                "JINDU_QUEUE_DEPTH" => file.queue_depth = Some(number(&value)? as usize),
                "JINDU_RELOAD_INTERVAL_MS" => file.reload_interval_ms = Some(number(&value)?),
                "JINDU_API_KEY" => file.api_key = Some(Secret(value)),
                "JINDU_READ_KEY" => file.read_key = Some(Secret(value)),
                "JINDU_MAX_WRITE_BYTES" => file.max_write_bytes = Some(number(&value)? as usize),
                "JINDU_MAX_DOCUMENTS" => file.max_documents = Some(number(&value)? as usize),
                "JINDU_LOG_FORMAT" => {
                    file.log_format = Some(match value.as_str() {
                        "text" => LogFormat::Text,
                        "json" => LogFormat::Json,
                        other => return Err(bad(format!("{other:?} is not text or json"))),
                    })
                }
                _ => {}
            }
        }
        Ok(file)
    }

    /// Applies the settings present in `other` over these.
    pub fn overlay(mut self, other: ConfigFile) -> ConfigFile {
        macro_rules! take {
            ($($field:ident),*) => { $( if other.$field.is_some() { self.$field = other.$field; } )* };
        }
        take!(
            addr,
            index,
            corpus,
            knowledge,
            cors_origins,
            request_timeout_ms,
            max_body_bytes,
            search_threads,
            queue_depth,
            reload_interval_ms,
            log_format,
            api_key,
            read_key,
            max_write_bytes,
            max_documents
        );
        self
    }

    /// Validates the merged settings into a [`Config`].
    pub fn into_config(self) -> Result<Config, ConfigError> {
        let defaults = Config::default();
        let bad = |key: &str, message: String| ConfigError {
            source_name: key.to_string(),
            message,
        };
        let addr = match self.addr {
            Some(addr) => addr.parse::<SocketAddr>().map_err(|_| {
                bad(
                    "addr",
                    format!("{addr:?} is not an address like 127.0.0.1:7730"),
                )
            })?,
            None => defaults.addr,
        };
        let positive = |key: &str, value: Option<u64>, default: u64, max: u64| {
            let value = value.unwrap_or(default);
            if value == 0 || value > max {
                Err(bad(key, format!("{value} is out of range 1..={max}")))
            } else {
                Ok(value)
            }
        };
        let request_timeout_ms = positive(
            "request_timeout_ms",
            self.request_timeout_ms,
            defaults.request_timeout.as_millis() as u64,
            600_000,
        )?;
        let reload_interval_ms = positive(
            "reload_interval_ms",
            self.reload_interval_ms,
            defaults.reload_interval.as_millis() as u64,
            3_600_000,
        )?;
        let max_body_bytes = positive(
            "max_body_bytes",
            self.max_body_bytes.map(|v| v as u64),
            defaults.max_body_bytes as u64,
            1 << 30,
        )? as usize;
        let search_threads = positive(
            "search_threads",
            self.search_threads.map(|v| v as u64),
            defaults.search_threads as u64,
            256,
        )? as usize;
        let queue_depth = positive(
            "queue_depth",
            self.queue_depth.map(|v| v as u64),
            defaults.queue_depth as u64,
            100_000,
        )? as usize;
        let max_write_bytes = positive(
            "max_write_bytes",
            self.max_write_bytes.map(|v| v as u64),
            defaults.max_write_bytes as u64,
            1 << 30,
        )? as usize;
        let max_documents = positive(
            "max_documents",
            self.max_documents.map(|v| v as u64),
            defaults.max_documents as u64,
            100_000,
        )? as usize;
        let key = |name: &str, value: Option<Secret>| -> Result<Option<Secret>, ConfigError> {
            match value {
                Some(k) if k.0.trim().is_empty() => Ok(None),
                Some(k)
                    if k.0.len() < 16
                        || k.0.chars().any(|c| c.is_whitespace() || c.is_control()) =>
                {
                    Err(bad(
                        name,
                        "a key needs at least 16 characters and no spaces".to_string(),
                    ))
                }
                other => Ok(other),
            }
        };
        let api_key = key("api_key", self.api_key)?;
        let read_key = key("read_key", self.read_key)?;
        let cors_origins = self.cors_origins.unwrap_or_default();
        for origin in &cors_origins {
            if origin != "*" && !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return Err(bad(
                    "cors_origins",
                    format!("{origin:?} is not an origin like https://example.org or *"),
                ));
            }
        }
        Ok(Config {
            addr,
            index: self.index.unwrap_or(defaults.index),
            corpus: self
                .corpus
                .filter(|c| !c.is_empty())
                .unwrap_or(defaults.corpus),
            knowledge: self.knowledge,
            cors_origins,
            request_timeout: Duration::from_millis(request_timeout_ms),
            max_body_bytes,
            search_threads,
            queue_depth,
            reload_interval: Duration::from_millis(reload_interval_ms),
            log_format: self.log_format.unwrap_or(LogFormat::Text),
            api_key,
            read_key,
            max_write_bytes,
            max_documents,
        })
    }
}

/// Loads settings: `file` (if given) < environment (through `lookup`) < `flags`.
pub fn load(
    file: Option<&Path>,
    lookup: impl Fn(&str) -> Option<String>,
    flags: ConfigFile,
) -> Result<Config, ConfigError> {
    let from_file = match file {
        Some(path) => ConfigFile::read(path)?,
        None => ConfigFile::default(),
    };
    from_file
        .overlay(ConfigFile::from_env(lookup)?)
        .overlay(flags)
        .into_config()
}
