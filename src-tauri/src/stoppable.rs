//! One way to run a task the user can stop: at most one of each kind at a time (a new one stops
//! the previous), stopped by the matching `*_stop` command, and a stopped task answers with the
//! engine's sentence for it.

use std::future::Future;
use std::sync::Mutex;

use mailwright_core::EngineError;
use mailwright_core::stoppable::StoppableTask;
use tauri::async_runtime::JoinHandle;

/// The running task of one kind, if any.
pub struct Stoppable {
    task: StoppableTask,
    running: Mutex<Option<JoinHandle<()>>>,
}

impl Stoppable {
    /// No task of kind `task` running yet.
    pub fn new(task: StoppableTask) -> Self {
        Stoppable {
            task,
            running: Mutex::new(None),
        }
    }

    /// Runs `work` as this kind's task, stopping the one before; its result, or
    /// `EngineError::Stopped` when it was stopped first.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, EngineError>> + Send + 'static,
    ) -> Result<T, EngineError> {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let handle = tauri::async_runtime::spawn(async move {
            let _ = sender.send(work.await);
        });
        if let Some(previous) = self.running.lock().unwrap().replace(handle) {
            previous.abort();
        }
        receiver
            .await
            .unwrap_or(Err(EngineError::Stopped(self.task)))
    }

    /// Stops the task of this kind, if one is running.
    pub fn stop(&self) {
        if let Some(handle) = self.running.lock().unwrap().take() {
            handle.abort();
        }
    }
}
