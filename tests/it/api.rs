//! The HTTP API through `app(state).oneshot(..)`: every endpoint and every error code.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use jindu::config::Config;
use jindu::http::{app, ApiError, AppState, WorkPool, ERROR_CODES};
use jindu::index::{IndexHandle, LiveIndex};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{build, root, temp_dir};

/// State over the small fixture (built once, its own handle).
pub fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let dir = build("api-fixture", &[root().join("tests/fixtures/small.jsonl")]);
            let handle = IndexHandle::open(&dir).expect("opens");
            let config = Config {
                max_body_bytes: 4096,
                ..Config::default()
            };
            AppState::new(LiveIndex::from_handle(handle), config)
        })
        .clone()
}

/// Sends a request, returns the status, headers and JSON body.
async fn send(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    send_to(state(), request).await
}

async fn send_to(
    state: AppState,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app(state).oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).to_string()));
    (status, headers, value)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn post_json(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

fn enc(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn hit_ids(result: &Value) -> Vec<String> {
    let mut ids: Vec<String> = result["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

#[tokio::test]
async fn get_search_filters_and_counts_agree_with_hits() {
    let uri = format!(
        "/api/search?q={}&country={}&limit=100",
        enc("缅甸"),
        enc("缅甸")
    );
    let (status, _, result) = send(get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    for key in [
        "query", "total", "took_ms", "limit", "offset", "hits", "facets",
    ] {
        assert!(result.get(key).is_some(), "missing {key}");
    }
    let hits = result["hits"].as_array().expect("hits");
    assert_eq!(hits.len() as u64, result["total"].as_u64().unwrap_or(99));
    let myanmar = result["facets"]["country"]
        .as_array()
        .and_then(|v| v.iter().find(|c| c["value"] == "缅甸"))
        .expect("缅甸 in facets");
    assert_eq!(myanmar["count"], result["total"]);
    let with_laos = hits
        .iter()
        .filter(|h| {
            h["countries"]
                .as_array()
                .is_some_and(|c| c.contains(&json!("老挝")))
        })
        .count() as u64;
    let laos = result["facets"]["country"]
        .as_array()
        .and_then(|v| v.iter().find(|c| c["value"] == "老挝"))
        .expect("老挝 in facets");
    assert!(
        laos["count"].as_u64().unwrap_or(0) >= with_laos,
        "disjunctive: counts ignore the country filter"
    );
    let coop_total: u64 = result["facets"]["doc_type"]
        .as_array()
        .map(|v| v.iter().filter_map(|c| c["count"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(coop_total, result["total"].as_u64().unwrap_or(0));
}

#[tokio::test]
async fn repeated_filters_and_year_ranges() {
    let uri = format!(
        "/api/search?country={}&country={}&year_from=2012&year_to=2016&sort=year_asc",
        enc("美国"),
        enc("巴基斯坦")
    );
    let (status, _, result) = send(get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(hit_ids(&result), vec!["d4", "d7"]);
    assert_eq!(result["hits"][0]["year"], 2012);
}

#[tokio::test]
async fn post_search_answers_like_get() {
    let (_, _, by_get) = send(get(&format!(
        "/api/search?q={}&doc_type=case&year_from=2011",
        enc("执法")
    )))
    .await;
    let body =
        json!({"q": "执法", "filters": {"doc_type": ["case"], "year": {"from": 2011}}}).to_string();
    let (status, _, by_post) = send(post_json("/api/search", &body)).await;
    assert_eq!(status, StatusCode::OK, "{by_post}");
    assert_eq!(hit_ids(&by_get), hit_ids(&by_post));
    assert_eq!(by_get["facets"], by_post["facets"]);
    assert!(by_post["total"].as_u64().unwrap_or(0) > 0);
}

#[tokio::test]
async fn an_empty_query_lists_everything() {
    let (status, _, result) = send(get("/api/search")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result["total"], 8);
    assert_eq!(result["limit"], 10);
}

#[tokio::test]
async fn documents_by_id_with_highlights_in_code_points() {
    let (status, _, doc) = send(get(&format!("/api/documents/d3?q={}", enc("緬甸 湄公河")))).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    for key in [
        "id",
        "title",
        "body",
        "doc_type",
        "year",
        "date",
        "countries",
        "coop_types",
        "source",
        "url",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    let body: Vec<char> = doc["body"].as_str().unwrap_or("").chars().collect();
    let ranges = doc["body_highlights"].as_array().expect("body_highlights");
    assert!(!ranges.is_empty());
    for range in ranges {
        let (start, end) = (
            range["start"].as_u64().unwrap_or(0) as usize,
            range["end"].as_u64().unwrap_or(0) as usize,
        );
        let text: String = body[start..end].iter().collect();
        assert!(text == "缅甸" || text == "湄公河", "{text}");
    }
    assert!(doc["title_highlights"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    let (_, _, plain) = send(get("/api/documents/d3")).await;
    assert!(plain.get("body_highlights").is_none());
}

#[tokio::test]
async fn document_ids_are_one_percent_encoded_segment() {
    let dir = temp_dir("api-ids");
    let corpus = dir.join("odd.jsonl");
    std::fs::write(
        &corpus,
        r#"{"id": "cases/2011 湄公河?#1", "title": "t", "body": "正文", "doc_type": "case"}"#,
    )
    .expect("write");
    let index = build("api-ids-index", &[corpus]);
    let state = AppState::new(
        LiveIndex::from_handle(IndexHandle::open(&index).expect("opens")),
        Config::default(),
    );
    let uri = format!(
        "/api/documents/{}",
        utf8_percent_encode("cases/2011 湄公河?#1")
    );
    let (status, _, doc) = send_to(state.clone(), get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {doc}");
    assert_eq!(doc["id"], "cases/2011 湄公河?#1");
    let (status, _, error) = send_to(state, get("/api/documents/missing")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["code"], "document_not_found");
}

fn utf8_percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn facets_cover_the_whole_index() {
    let (status, _, facets) = send(get("/api/facets")).await;
    assert_eq!(status, StatusCode::OK);
    let myanmar = facets["country"]
        .as_array()
        .and_then(|v| v.iter().find(|c| c["value"] == "缅甸"))
        .expect("缅甸");
    assert_eq!(myanmar["count"], 4);
    let total: u64 = facets["doc_type"]
        .as_array()
        .map(|v| v.iter().filter_map(|c| c["count"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(total, 8);
    assert!(facets["year"]
        .as_array()
        .is_some_and(|y| y.iter().all(|v| v["value"].is_i64())));
}

#[tokio::test]
async fn analyze_shows_both_sides_and_bigrams() {
    let (status, _, answer) = send(get(&format!(
        "/api/analyze?text={}",
        enc("中國農業發展銀行")
    )))
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let tokens = answer["tokens"].as_array().expect("tokens");
    let agriculture = tokens
        .iter()
        .find(|t| t["text"] == "农业")
        .expect("农业 sub-word");
    assert_eq!(agriculture["start"], 2);
    assert_eq!(agriculture["byte_start"], 6);
    assert_eq!(agriculture["position"], 2);
    let (_, _, query) = send(get(&format!(
        "/api/analyze?text={}&side=query",
        enc("缅甸的毒品吗")
    )))
    .await;
    assert_eq!(query["side"], "query");
    assert!(
        query["dropped_words"]
            .as_array()
            .is_some_and(|d| d.contains(&json!("吗"))),
        "{query}"
    );
    let (_, _, grams) = send(get(&format!(
        "/api/analyze?text={}&side=grams",
        enc("禁毒合作")
    )))
    .await;
    assert_eq!(grams["tokens"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn health_and_readiness() {
    let (status, _, health) = send(get("/healthz")).await;
    assert_eq!((status, health), (StatusCode::OK, json!({"status": "ok"})));
    let (status, _, ready) = send(get("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["documents"], 8);

    let loading = AppState::new(LiveIndex::new(&temp_dir("api-empty")), Config::default());
    let (status, headers, error) = send_to(loading.clone(), get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error["code"], "not_ready");
    assert!(headers.contains_key(header::RETRY_AFTER));
    let (status, _, error) = send_to(loading, get("/api/search?q=x")).await;
    assert_eq!(
        (status, error["code"].clone()),
        (StatusCode::SERVICE_UNAVAILABLE, json!("not_ready"))
    );
}

#[tokio::test]
async fn every_client_error_has_its_code() {
    let long_q = "缅".repeat(1001);
    let cases: Vec<(Request<Body>, StatusCode, &str, Option<&str>)> = vec![
        (
            get("/api/search?limit=abc"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("limit"),
        ),
        (
            get("/api/search?limit=-1"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("limit"),
        ),
        (
            get("/api/search?limit=101"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("limit"),
        ),
        (
            get("/api/search?offset=10001"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("offset"),
        ),
        (
            get("/api/search?year_from=2015&year_to=2010"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("year_from"),
        ),
        (
            get("/api/search?year_from=abc"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("year_from"),
        ),
        (
            get("/api/search?sort=random"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("sort"),
        ),
        (
            get("/api/search?doc_type=news"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("doc_type"),
        ),
        (
            get("/api/search?q=a&q=b"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("q"),
        ),
        (
            get("/api/search?explain=maybe"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("explain"),
        ),
        (
            get("/api/search?colour=red"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            Some("colour"),
        ),
        (
            get("/api/facets?q=x"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            Some("q"),
        ),
        (
            get("/api/analyze"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("text"),
        ),
        (
            get("/api/analyze?text=x&side=left"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("side"),
        ),
        (
            get(&format!("/api/search?q={}", enc(&long_q))),
            StatusCode::BAD_REQUEST,
            "query_too_long",
            Some("q"),
        ),
        (
            get(&format!("/api/documents/d1?q={}", enc(&long_q))),
            StatusCode::BAD_REQUEST,
            "query_too_long",
            Some("q"),
        ),
        (
            post_json("/api/search", "{\"q\": "),
            StatusCode::BAD_REQUEST,
            "invalid_json",
            None,
        ),
        (
            post_json("/api/search", "[1, 2]"),
            StatusCode::BAD_REQUEST,
            "invalid_json",
            None,
        ),
        (
            post_json("/api/search", "{\"q\": 5}"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("q"),
        ),
        (
            post_json("/api/search", "{\"limit\": -3}"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("limit"),
        ),
        (
            post_json("/api/search", "{\"limit\": 500}"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("limit"),
        ),
        (
            post_json(
                "/api/search",
                "{\"filters\": {\"year\": {\"from\": \"x\"}}}",
            ),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            Some("filters.year.from"),
        ),
        (
            post_json("/api/search", "{\"query\": \"x\"}"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            Some("query"),
        ),
        (
            post_json("/api/search", "{\"filters\": {\"land\": []}}"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            Some("filters.land"),
        ),
        (
            post_json("/api/search", &json!({"q": long_q}).to_string()),
            StatusCode::BAD_REQUEST,
            "query_too_long",
            Some("q"),
        ),
        (
            Request::post("/api/search")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .expect("request"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
        ),
        (
            post_json(
                "/api/search",
                &format!("{{\"q\": \"{}\"}}", "x".repeat(5000)),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            None,
        ),
        (
            get("/api/nothing"),
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        ),
        (
            get("/api/documents/nobody"),
            StatusCode::NOT_FOUND,
            "document_not_found",
            None,
        ),
        (
            Request::delete("/api/search")
                .body(Body::empty())
                .expect("request"),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            None,
        ),
        (
            Request::post("/healthz")
                .body(Body::empty())
                .expect("request"),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            None,
        ),
    ];
    for (request, status, code, parameter) in cases {
        let label = format!("{} {}", request.method(), request.uri());
        let (got_status, _, body) = send(request).await;
        assert_eq!(got_status, status, "{label}: {body}");
        assert_eq!(body["code"], code, "{label}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{label}"
        );
        if let Some(parameter) = parameter {
            assert_eq!(body["parameter"], parameter, "{label}: {body}");
        }
    }
}

#[tokio::test]
async fn malformed_requests_never_get_a_5xx() {
    let uris = [
        "/api/search?q=%FF%FE",
        "/api/search?q=%",
        "/api/search?country=",
        "/api/search?limit=",
        "/api/search?year_from=99999",
        "/api/search?q=%22unclosed",
        "/api/search?q=-",
        "/api/search?q=OR%20OR",
        "/api/search?&&&",
        "/api/documents/%FF",
        "/api/documents/",
        "/api/analyze?text=",
        "/api/search?snippet_chars=5",
        "/api/search?offset=99999999999999999999999",
    ];
    for uri in uris {
        let (status, _, body) = send(get(uri)).await;
        assert!(status.as_u16() < 500, "{uri}: {status} {body}");
        if !status.is_success() {
            assert!(body["code"].is_string(), "{uri}: {body}");
        }
    }
}

#[tokio::test]
async fn overload_and_timeout_answers() {
    let pool = Arc::new(WorkPool::new(1, 0, std::time::Duration::from_millis(200)));
    let busy = {
        let pool = Arc::clone(&pool);
        tokio::spawn(async move {
            pool.run(|| std::thread::sleep(std::time::Duration::from_millis(400)))
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let refused = pool.run(|| ()).await;
    assert_eq!(refused.map_err(|e| e.code), Err("overloaded"));
    let timed_out = busy.await.expect("joined");
    assert_eq!(timed_out.map_err(|e| e.code), Err("timeout"));

    let response = axum::response::IntoResponse::into_response(ApiError::overloaded());
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
}

#[tokio::test]
async fn openapi_describes_every_route_and_resolves() {
    let (status, _, doc) = send(get("/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/search", "get"),
        ("/api/search", "post"),
        ("/api/documents/{id}", "get"),
        ("/api/documents/{id}", "put"),
        ("/api/documents/{id}", "delete"),
        ("/api/documents", "post"),
        ("/api/documents/{id}/similar", "get"),
        ("/api/facets", "get"),
        ("/api/analyze", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/openapi.json", "get"),
        ("/metrics", "get"),
    ] {
        let operation = &paths[path][method];
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{method} {path}"
        );
        assert!(operation["operationId"].is_string(), "{method} {path}");
    }
    // Every $ref resolves, and every error code is listed in the Error schema.
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "$ref" {
                        if let Some(r) = v.as_str() {
                            out.push(r.to_string());
                        }
                    }
                    refs(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for reference in all {
        let pointer = reference.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "unresolved {reference}");
    }
    let codes = doc["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
        .as_array()
        .expect("codes");
    assert_eq!(codes.len(), ERROR_CODES.len());
    // Path parameters are declared.
    let id_param = &paths["/api/documents/{id}"]["get"]["parameters"][0];
    assert_eq!(
        (id_param["name"].as_str(), id_param["in"].as_str()),
        (Some("id"), Some("path"))
    );
}

#[tokio::test]
async fn the_page_is_served() {
    let response = app(state()).oneshot(get("/")).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("body");
    assert!(String::from_utf8_lossy(&bytes).contains("禁毒国际合作"));
}

/// Issue 5: the page's assets are served with their types, and none of them loads anything
/// from another host (no CDN, no web fonts).
#[tokio::test]
async fn the_page_assets_are_served_and_fetch_nothing_from_elsewhere() {
    let mut texts = Vec::new();
    for (uri, mime) in [
        ("/", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
    ] {
        let response = app(state()).oneshot(get(uri)).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(content_type.starts_with(mime), "{uri}: {content_type}");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        texts.push((uri, String::from_utf8_lossy(&bytes).to_string()));
    }
    for (uri, text) in &texts {
        for remote in [
            "http://",
            "https://",
            "src=\"//",
            "href=\"//",
            "url(",
            "@import",
        ] {
            assert!(!text.contains(remote), "{uri} refers to {remote}");
        }
    }
    let (_, html) = &texts[0];
    assert!(html.contains("src=\"/assets/app.js\""));
    assert!(html.contains("href=\"/assets/app.css\""));
    let response = app(state())
        .oneshot(get("/assets/nothing.js"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cors_origins_from_the_config() {
    let dir = build("api-cors", &[root().join("tests/fixtures/small.jsonl")]);
    let state = AppState::new(
        LiveIndex::from_handle(IndexHandle::open(&dir).expect("opens")),
        Config {
            cors_origins: vec!["https://analyst.example.org".to_string()],
            ..Config::default()
        },
    );
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/search")
        .header(header::ORIGIN, "https://analyst.example.org")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .body(Body::empty())
        .expect("request");
    let response = app(state.clone())
        .oneshot(preflight)
        .await
        .expect("infallible");
    assert_eq!(
        response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .and_then(|v| v.to_str().ok()),
        Some("https://analyst.example.org")
    );
    let other = Request::get("/api/search")
        .header(header::ORIGIN, "https://elsewhere.example.com")
        .body(Body::empty())
        .expect("request");
    let response = app(state).oneshot(other).await.expect("infallible");
    assert!(response
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    let response = app(crate::api::state())
        .oneshot(get("/api/search"))
        .await
        .expect("infallible");
    assert!(
        response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none(),
        "no CORS without origins"
    );
}
