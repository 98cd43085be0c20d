//! Server settings: file < environment < flags, validated once, unknown keys named.

use std::collections::HashMap;
use std::time::Duration;

use jindu::config::{load, ConfigFile, LogFormat};

use crate::common::temp_dir;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |key| map.get(key).cloned()
}

#[test]
fn file_then_environment_then_flags() {
    let dir = temp_dir("config");
    let file = dir.join("jindu.toml");
    std::fs::write(
        &file,
        "addr = \"127.0.0.1:9000\"\nindex = \"from-file\"\nqueue_depth = 7\nrequest_timeout_ms = 1500\ncors_origins = [\"https://example.org\"]\nlog_format = \"json\"\n",
    )
    .expect("write");
    let config = load(
        Some(&file),
        env(&[("JINDU_INDEX", "from-env"), ("JINDU_QUEUE_DEPTH", "9")]),
        ConfigFile {
            queue_depth: Some(11),
            ..ConfigFile::default()
        },
    )
    .expect("valid");
    assert_eq!(config.addr.to_string(), "127.0.0.1:9000");
    assert_eq!(config.index.to_str(), Some("from-env"));
    assert_eq!(config.queue_depth, 11);
    assert_eq!(config.request_timeout, Duration::from_millis(1500));
    assert_eq!(config.cors_origins, vec!["https://example.org".to_string()]);
    assert_eq!(config.log_format, LogFormat::Json);
}

#[test]
fn an_unknown_key_in_the_file_is_named() {
    let dir = temp_dir("config-unknown");
    let file = dir.join("jindu.toml");
    std::fs::write(&file, "addr = \"127.0.0.1:9000\"\nqueue_dept = 3\n").expect("write");
    let error = load(Some(&file), env(&[]), ConfigFile::default()).expect_err("unknown key");
    assert!(error.to_string().contains("queue_dept"), "{error}");
    assert!(error.to_string().contains("jindu.toml"), "{error}");
}

#[test]
fn bad_values_name_their_setting() {
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("JINDU_QUEUE_DEPTH", "many")], "JINDU_QUEUE_DEPTH"),
        (vec![("JINDU_ADDR", "localhost")], "addr"),
        (
            vec![("JINDU_REQUEST_TIMEOUT_MS", "0")],
            "request_timeout_ms",
        ),
        (vec![("JINDU_LOG_FORMAT", "xml")], "JINDU_LOG_FORMAT"),
        (vec![("JINDU_CORS_ORIGINS", "example.org")], "cors_origins"),
    ];
    for (vars, name) in cases {
        let error = load(None, env(&vars), ConfigFile::default()).expect_err("invalid");
        assert!(error.to_string().starts_with(name), "{name}: {error}");
    }
}

#[test]
fn serve_refuses_a_bad_config_file_before_listening() {
    let dir = temp_dir("config-cli");
    let file = dir.join("bad.toml");
    std::fs::write(&file, "colour = \"red\"\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(["serve", "--addr", "127.0.0.1:0", "--config"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("colour"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));
}
