//! CPU work (search, segmentation) off the async runtime: a fixed number of blocking workers
//! behind a bounded queue. Requests beyond the queue are answered `overloaded` at once instead
//! of piling up; a request that waits too long is answered `timeout`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::error::ApiError;

/// The bounded worker pool.
#[derive(Debug)]
pub struct WorkPool {
    permits: Arc<Semaphore>,
    in_flight: AtomicUsize,
    capacity: usize,
    timeout: Duration,
}

struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl WorkPool {
    /// `workers` running at once, `queue` more waiting, each request bounded by `timeout`.
    pub fn new(workers: usize, queue: usize, timeout: Duration) -> WorkPool {
        WorkPool {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            in_flight: AtomicUsize::new(0),
            capacity: workers.max(1) + queue,
            timeout,
        }
    }

    /// Requests running or waiting now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Runs `work` on a blocking thread once a worker is free.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        if self.in_flight.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            return Err(ApiError::overloaded());
        }
        let _in_flight = InFlight(&self.in_flight);
        let permits = Arc::clone(&self.permits);
        let task = async move {
            let permit = permits
                .acquire_owned()
                .await
                .map_err(|e| ApiError::internal(format!("work pool closed: {e}")))?;
            // The permit moves into the blocking task: it is released when the work ends,
            // even if the request has already timed out.
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                work()
            })
            .await
            .map_err(|e| ApiError::internal(format!("search task failed: {e}")))
        };
        match tokio::time::timeout(self.timeout, task).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::timeout(self.timeout)),
        }
    }
}
