//! The write API with keys, through `app(state).oneshot(..)` over a real index service:
//! upserts, deletes, validation, limits, durability through the journal, rebuild replay,
//! export round trip.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use jindu::config::{Config, Secret};
use jindu::http::{app, AppState};
use jindu::index::{
    build_index, BuildOptions, BuildProgress, IndexHandle, IndexService, LiveIndex,
};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{build, knowledge, root, temp_dir};

const KEY: &str = "write-key-0123456789";
const READ_KEY: &str = "read-key-0123456789";

struct Setup {
    state: AppState,
    index: std::path::PathBuf,
}

fn setup(name: &str, configure: impl FnOnce(&mut Config)) -> Setup {
    let index = build(name, &[root().join("tests/fixtures/small.jsonl")]);
    let live = LiveIndex::new(&index);
    let service =
        IndexService::start(Arc::clone(&live), Duration::from_millis(100)).expect("service");
    let mut config = Config {
        api_key: Some(Secret::new(KEY)),
        ..Config::default()
    };
    configure(&mut config);
    Setup {
        state: AppState::new(live, config).with_service(Arc::new(service)),
        index,
    }
}

async fn send(
    state: &AppState,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .expect("body");
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn write(
    method: &str,
    uri: &str,
    key: Option<&str>,
    content_type: &str,
    body: String,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(key) = key {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    builder.body(Body::from(body)).expect("request")
}

fn post(body: Value) -> Request<Body> {
    write(
        "POST",
        "/api/documents",
        Some(KEY),
        "application/json",
        body.to_string(),
    )
}

/// `DELETE /api/documents/{id}` with the write key.
fn delete(id: &str) -> Request<Body> {
    write(
        "DELETE",
        &format!("/api/documents/{id}"),
        Some(KEY),
        "application/json",
        String::new(),
    )
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn doc(id: &str, body: &str) -> Value {
    json!({"id": id, "title": format!("标题{id}"), "body": body, "doc_type": "case"})
}

#[tokio::test]
async fn writes_need_the_key() {
    let s = setup("writes-keys", |_| {});
    let body = doc("w1", "正文").to_string();
    let (status, headers, error) = send(
        &s.state,
        write(
            "POST",
            "/api/documents",
            None,
            "application/json",
            body.clone(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    assert_eq!(
        headers
            .get(header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    let (status, _, error) = send(
        &s.state,
        write(
            "POST",
            "/api/documents",
            Some("wrong-key-0123456789"),
            "application/json",
            body.clone(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (status, _, error) = send(
        &s.state,
        write(
            "DELETE",
            "/api/documents/d1",
            None,
            "application/json",
            String::new(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );

    let off = setup("writes-off", |c| c.api_key = None);
    let (status, _, error) = send(
        &off.state,
        write(
            "POST",
            "/api/documents",
            Some(KEY),
            "application/json",
            body,
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("writes_disabled"))
    );
}

#[tokio::test]
async fn an_answered_write_is_searchable_at_once() {
    let s = setup("writes-upsert", |_| {});
    let (status, _, answer) = send(
        &s.state,
        post(doc("w1", "新写入的文档：缅甸警方移交毒贩。")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["results"],
        json!([{"id": "w1", "result": "created"}])
    );
    assert!(answer["journal_seq"].as_u64().unwrap_or(0) >= 1);
    let (status, _, found) = send(
        &s.state,
        get("/api/search?q=%E7%A7%BB%E4%BA%A4%E6%AF%92%E8%B4%A9"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["hits"][0]["id"], "w1");
    // The tagger fills what metadata leaves unknown, and says so.
    let (_, _, view) = send(&s.state, get("/api/documents/w1")).await;
    assert_eq!(view["countries"], json!(["缅甸"]));
    assert_eq!(view["derived"]["countries"], json!(["缅甸"]));

    let batch = json!([doc("w1", "改写后的正文"), doc("w2", "第二篇")]);
    let (status, _, answer) = send(&s.state, post(batch)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["results"],
        json!([{"id": "w1", "result": "updated"}, {"id": "w2", "result": "created"}])
    );
    let (_, _, view) = send(&s.state, get("/api/documents/w1")).await;
    assert_eq!(view["body"], "改写后的正文");

    let ndjson = format!("{}\n{}\n", doc("w3", "三"), doc("w4", "四"));
    let (status, _, answer) = send(
        &s.state,
        write(
            "POST",
            "/api/documents",
            Some(KEY),
            "application/x-ndjson",
            ndjson,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["results"].as_array().map(Vec::len), Some(2));

    let (status, _, answer) = send(
        &s.state,
        write(
            "PUT",
            "/api/documents/w5",
            Some(KEY),
            "application/json",
            json!({"title": "五", "body": "第五篇", "doc_type": "policy"}).to_string(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["results"][0],
        json!({"id": "w5", "result": "created"})
    );
    let (status, _, error) = send(
        &s.state,
        write(
            "PUT",
            "/api/documents/w5",
            Some(KEY),
            "application/json",
            doc("w6", "x").to_string(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str(), error["parameter"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("invalid_parameter"),
            Some("id")
        )
    );

    let (status, _, answer) = send(&s.state, delete("d1")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["results"][0],
        json!({"id": "d1", "result": "deleted"})
    );
    let (status, _, _) = send(&s.state, get("/api/documents/d1")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, error) = send(&s.state, delete("d1")).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("document_not_found"))
    );
}

/// The count of `value` in facet `key` of `/api/facets`, and the filtered search total.
async fn facet_and_filter(state: &AppState, key: &str, value: &str, year: i64) -> (u64, u64) {
    let (_, _, facets) = send(state, get("/api/facets")).await;
    let count = facets[key]
        .as_array()
        .and_then(|v| v.iter().find(|c| c["value"] == value))
        .and_then(|c| c["count"].as_u64())
        .unwrap_or(0);
    let (status, _, found) = send(
        state,
        get(&format!(
            "/api/search?q=%E6%9F%AC%E5%9F%94%E5%AF%A8&{key}=%E6%9F%AC%E5%9F%94%E5%AF%A8&year_from={year}&year_to={year}&sort=year_desc"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    (count, found["total"].as_u64().unwrap_or(0))
}

/// Facets and filters read per-segment copies of the facet columns, made when a searcher is
/// warmed: every write makes a segment, updates and deletes change which copy holds the live
/// value, and copies of segments no searcher uses are dropped.
#[tokio::test]
async fn facet_counts_and_filters_follow_live_writes() {
    let s = setup("writes-facets", |_| {});
    let live = Arc::clone(&s.state.live);
    let before = facet_and_filter(&s.state, "country", "柬埔寨", 2019).await;
    for n in 0..3 {
        let body = json!({"id": format!("k{n}"), "title": "柬埔寨案", "body": "柬埔寨警方移交毒贩",
            "doc_type": "case", "countries": ["柬埔寨"], "year": 2019});
        let (status, _, answer) = send(&s.state, post(body)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    assert_eq!(
        facet_and_filter(&s.state, "country", "柬埔寨", 2019).await,
        (before.0 + 3, before.1 + 3)
    );
    // An update moves k0 to another country and year; a delete removes k1.
    let moved = json!({"id": "k0", "title": "柬埔寨案", "body": "柬埔寨警方移交毒贩",
        "doc_type": "case", "countries": ["老挝"], "year": 2020});
    let (status, _, answer) = send(&s.state, post(moved)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, _, answer) = send(&s.state, delete("k1")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        facet_and_filter(&s.state, "country", "柬埔寨", 2019).await,
        (before.0 + 1, before.1 + 1)
    );
    let (_, _, found) = send(
        &s.state,
        get("/api/search?q=%E6%9F%AC%E5%9F%94%E5%AF%A8&country=%E8%80%81%E6%8C%9D&year_from=2020&year_to=2020"),
    )
    .await;
    assert_eq!(found["hits"][0]["id"], "k0", "{found}");
    // The cache ends up holding the live segments and no others (tantivy collects what no
    // searcher uses once a second).
    let handle = live.get().expect("handle");
    let segments = handle.reader.searcher().segment_readers().len();
    let mut held = handle.columns.len();
    for _ in 0..50 {
        if held == segments {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        held = handle.columns.len();
    }
    assert_eq!(held, segments);
}

#[tokio::test]
async fn invalid_documents_are_refused_whole_with_every_problem() {
    let s = setup("writes-invalid", |c| {
        c.max_documents = 3;
        c.max_write_bytes = 64 * 1024;
    });
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"id": "x1", "title": "t", "doc_type": "case"}),
            "invalid_document",
            "body",
        ),
        (
            json!({"id": "a/b", "title": "t", "body": "b", "doc_type": "case"}),
            "invalid_document",
            "id",
        ),
        (
            json!({"id": "a..b", "title": "t", "body": "b", "doc_type": "case"}),
            "invalid_document",
            "id",
        ),
        (
            json!({"id": "a\u{0}b", "title": "t", "body": "b", "doc_type": "case"}),
            "invalid_document",
            "id",
        ),
        (
            json!({"id": "x2", "title": "长".repeat(1001), "body": "b", "doc_type": "case"}),
            "field_too_long",
            "title",
        ),
        (
            json!({"id": "x3", "title": "t", "body": "b", "doc_type": "news"}),
            "invalid_document",
            "doc_type",
        ),
        (
            json!({"id": "x4", "title": "t", "body": "b", "doc_type": "case", "year": 3000}),
            "invalid_document",
            "year",
        ),
    ];
    for (document, code, field) in cases {
        let batch = json!([doc("ok1", "有效"), document]);
        let (status, _, error) = send(&s.state, post(batch)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert_eq!(error["code"], code, "{error}");
        assert_eq!(error["errors"][0]["index"], 1, "{error}");
        assert_eq!(error["errors"][0]["field"], field, "{error}");
    }
    let (status, _, _) = send(&s.state, get("/api/documents/ok1")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nothing of a refused request is written"
    );

    let four = json!([doc("a", "1"), doc("b", "2"), doc("c", "3"), doc("d", "4")]);
    let (status, _, error) = send(&s.state, post(four)).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_many_documents"))
    );
    let big = doc("big", &"字".repeat(40_000));
    let (status, _, error) = send(&s.state, post(big)).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );
    let twice = json!([doc("t", "1"), doc("t", "2")]);
    let (status, _, error) = send(&s.state, post(twice)).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_document"))
    );
    let (status, _, error) = send(
        &s.state,
        write(
            "POST",
            "/api/documents",
            Some(KEY),
            "application/json",
            "{\"id\": ".to_string(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let (status, _, error) = send(
        &s.state,
        write(
            "POST",
            "/api/documents",
            Some(KEY),
            "text/plain",
            "x".to_string(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported_media_type")
        )
    );
}

#[tokio::test]
async fn a_read_key_guards_reads_but_not_health() {
    let s = setup("writes-readkey", |c| {
        c.read_key = Some(Secret::new(READ_KEY))
    });
    let with = |key: Option<&str>, uri: &str| {
        let mut builder = Request::get(uri);
        if let Some(key) = key {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        builder.body(Body::empty()).expect("request")
    };
    let (status, _, error) = send(&s.state, with(None, "/api/search?q=x")).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, _, error) =
        send(&s.state, with(Some("wrong-key-0123456789"), "/api/facets")).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    for key in [READ_KEY, KEY] {
        let (status, _, _) = send(
            &s.state,
            with(Some(key), "/api/search?q=%E7%BC%85%E7%94%B8"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, error) = send(
        &s.state,
        write(
            "POST",
            "/api/documents",
            Some(READ_KEY),
            "application/json",
            doc("r", "x").to_string(),
        ),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "the read key cannot write"
    );
    for uri in ["/healthz", "/readyz", "/openapi.json", "/"] {
        let response = app(s.state.clone())
            .oneshot(with(None, uri))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn a_rebuild_replays_the_journal_and_an_export_round_trips() {
    let s = setup("writes-rebuild", |_| {});
    let (status, _, _) = send(
        &s.state,
        post(json!([
            doc("j1", "日志里的文档，泰国合作。"),
            doc("j2", "第二篇日志文档")
        ])),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(&s.state, delete("d2")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(&s.state, post(doc("d3", "语料里的d3被改写了"))).await;
    assert_eq!(status, StatusCode::OK);

    // A rebuild from the unchanged corpus keeps every write.
    let report = build_index(
        &s.index,
        &[root().join("tests/fixtures/small.jsonl")],
        &knowledge(),
        &BuildOptions::default(),
        &BuildProgress::default(),
    )
    .expect("rebuild");
    assert_eq!(report.journal_documents, 3);
    let rebuilt = IndexHandle::open(&s.index).expect("opens");
    let ids = |handle: &IndexHandle| {
        let mut out = Vec::new();
        jindu::index::export_jsonl(handle, &mut out).expect("export");
        let mut ids: Vec<String> = String::from_utf8_lossy(&out)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect();
        ids.sort();
        (ids, out)
    };
    let (after, exported) = ids(&rebuilt);
    assert_eq!(
        after,
        vec!["d1", "d3", "d4", "d5", "d6", "d7", "d8", "j1", "j2"]
    );
    let d3 = jindu::search::document_view(&rebuilt, "d3", None)
        .expect("ok")
        .expect("d3");
    assert_eq!(d3.body, "语料里的d3被改写了");

    // The export reads back into an equal collection.
    let dir = temp_dir("writes-export");
    let file = dir.join("export.jsonl");
    std::fs::write(&file, &exported).expect("write export");
    let copy = build("writes-export-index", &[file]);
    let copy = IndexHandle::open(&copy).expect("opens");
    assert_eq!(ids(&copy).0, after);
    let j1 = jindu::search::document_view(&copy, "j1", None)
        .expect("ok")
        .expect("j1");
    assert_eq!(j1.countries, vec!["泰国".to_string()]);
    assert_eq!(
        j1.derived.countries,
        Some(vec!["泰国".to_string()]),
        "derived again, not frozen"
    );

    // The running service moves to the new generation and keeps accepting writes.
    let (status, _, _) = send(&s.state, post(doc("j3", "重建之后写入"))).await;
    assert_eq!(status, StatusCode::OK);
    let started = std::time::Instant::now();
    loop {
        let (status, _, view) = send(&s.state, get("/api/documents/j3")).await;
        if status == StatusCode::OK {
            assert_eq!(view["body"], "重建之后写入");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "j3 not visible");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn a_second_server_on_the_same_index_is_refused() {
    let index = build("writes-lock", &[root().join("tests/fixtures/small.jsonl")]);
    let live = LiveIndex::new(&index);
    let _first = IndexService::start(Arc::clone(&live), Duration::from_millis(100)).expect("first");
    let second = IndexService::start(LiveIndex::new(&index), Duration::from_millis(100));
    assert!(second.is_err());
    assert!(second
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
        .contains("another jindu serve"));
}

#[tokio::test]
async fn metrics_count_requests_documents_and_writes() {
    let s = setup("writes-metrics", |_| {});
    let _ = send(&s.state, get("/api/search?q=%E7%BC%85%E7%94%B8")).await;
    let _ = send(&s.state, get("/api/search?limit=abc")).await;
    let (status, _, _) = send(&s.state, post(json!([doc("m1", "一"), doc("m2", "二")]))).await;
    assert_eq!(status, StatusCode::OK);
    let response = app(s.state.clone())
        .oneshot(get("/metrics"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap_or("")
        .starts_with("text/plain"));
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    let text = String::from_utf8_lossy(&bytes);
    for line in [
        "jindu_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"} 1",
        "jindu_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"400\"} 1",
        "jindu_http_requests_total{route=\"/api/documents\",method=\"POST\",status=\"200\"} 1",
        "jindu_documents 10",
        "jindu_documents_written_total 2",
        "jindu_write_requests_total 1",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains(
        "jindu_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 2"
    ));
    assert!(text.contains("jindu_index_size_bytes "));
}
