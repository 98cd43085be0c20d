//! The HTTP API (`jindu serve`): routes, the JSON error envelope, and a bounded pool that runs
//! searches off the async runtime. Thin: it validates, calls `search`, and shapes JSON.

mod auth;
mod error;
mod handlers;
mod metrics;
pub mod openapi;
mod page;
mod params;
mod pool;
mod writes;

pub use auth::keys_equal;
pub use error::{ApiError, ERROR_CODES};
pub use pool::WorkPool;
pub use writes::{check_write_id, DocumentProblem};

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::index::{
    build_index, layout, BuildOptions, BuildProgress, IndexError, IndexService, LiveIndex,
};
use crate::knowledge::Knowledge;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The live index.
    pub live: Arc<LiveIndex>,
    /// The worker pool for CPU work.
    pub pool: Arc<WorkPool>,
    /// Settings.
    pub config: Arc<Config>,
    /// The index service that applies writes, set once the index is open (unset in read-only
    /// embeddings and most tests).
    pub service: Arc<std::sync::OnceLock<Arc<IndexService>>>,
    /// Request and write counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    /// State over a live index with the pool sized by `config`.
    pub fn new(live: Arc<LiveIndex>, config: Config) -> AppState {
        AppState {
            live,
            pool: Arc::new(WorkPool::new(
                config.search_threads,
                config.queue_depth,
                config.request_timeout,
            )),
            config: Arc::new(config),
            service: Arc::default(),
            metrics: Arc::default(),
        }
    }

    /// The same state with an index service for writes.
    pub fn with_service(self, service: Arc<IndexService>) -> AppState {
        let _ = self.service.set(service);
        self
    }
}

/// The router, shared by `serve` and the tests (`app(state).oneshot(request)`).
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/", get(page::index))
        .route("/assets/{file}", get(page::asset))
        .route(
            "/api/search",
            get(handlers::search_get).post(handlers::search_post),
        )
        .route(
            "/api/documents",
            post(writes::post_documents).layer(DefaultBodyLimit::max(state.config.max_write_bytes)),
        )
        .route(
            "/api/documents/{id}",
            get(handlers::document)
                .put(writes::put_document)
                .delete(writes::delete_document)
                .layer(DefaultBodyLimit::max(state.config.max_write_bytes)),
        )
        .route(
            "/api/documents/{id}/similar",
            get(handlers::similar_documents),
        )
        .route("/api/facets", get(handlers::facets))
        .route("/api/analyze", get(handlers::analyze))
        .route("/healthz", get(handlers::health))
        .route("/readyz", get(handlers::ready))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route("/metrics", get(metrics::metrics))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes));
    if !state.config.cors_origins.is_empty() {
        let origins = &state.config.cors_origins;
        let allow = if origins.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok())
                    .collect::<Vec<_>>(),
            )
        };
        router = router.layer(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
        );
    }
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(
            TraceLayer::new_for_http()
                // Statuses are logged by `on_response`; 503 answers are expected (loading,
                // overload) and not worth an ERROR line.
                .on_failure(())
                .make_span_with(|request: &axum::http::Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_response(
                    |response: &axum::http::Response<_>,
                     latency: std::time::Duration,
                     _span: &tracing::Span| {
                        tracing::info!(
                            status = response.status().as_u16(),
                            latency_ms = latency.as_secs_f64() * 1000.0,
                            "response"
                        );
                    },
                ),
        )
        .with_state(state)
}

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The index could not be built or opened.
    #[error("{0}")]
    Index(#[from] IndexError),
    /// The server failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the API. Binds first and calls `on_listening` with the bound address, then builds the
/// index from the corpus if none exists (answering `not_ready` meanwhile), opens it, watches
/// for new generations, and stops gracefully on SIGTERM or Ctrl-C.
pub async fn serve(
    config: Config,
    knowledge: Knowledge,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr()?;
    on_listening(addr);

    let live = LiveIndex::new(&config.index);
    let state = AppState::new(Arc::clone(&live), config.clone());
    let prepare = {
        let live = Arc::clone(&live);
        let config = config.clone();
        let slot = Arc::clone(&state.service);
        tokio::task::spawn_blocking(move || -> Result<(), IndexError> {
            if layout::current_generation(&config.index)?.is_none() {
                tracing::info!(index = %config.index.display(), "no index yet: building it from the corpus");
                let report = build_index(
                    &config.index,
                    &config.corpus,
                    &knowledge,
                    &BuildOptions::default(),
                    &BuildProgress::default(),
                )?;
                tracing::info!(
                    documents = report.documents,
                    seconds = report.seconds,
                    "index built"
                );
            }
            let service = IndexService::start(Arc::clone(&live), config.reload_interval)?;
            let _ = slot.set(Arc::new(service));
            tracing::info!(
                documents = live.get().map(|h| h.num_docs()).unwrap_or(0),
                "ready"
            );
            Ok(())
        })
    };
    let server = std::future::IntoFuture::into_future(
        axum::serve(listener, app(state)).with_graceful_shutdown(shutdown_signal()),
    );
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => return result.map_err(ServeError::Io),
        prepared = prepare => match prepared {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(ServeError::Index(e)),
            Err(e) => return Err(ServeError::Io(std::io::Error::other(e.to_string()))),
        },
    }
    server.await.map_err(ServeError::Io)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
