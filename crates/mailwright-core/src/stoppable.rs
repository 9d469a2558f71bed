//! The long tasks a person waits on and can stop, each with the sentence that says it stopped,
//! and the one way such a task is run and stopped.

use std::future::Future;
use std::sync::Mutex;

use tokio::task::JoinHandle;

use crate::error::EngineError;

/// A task the window shows with a Stop button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoppableTask {
    /// The domain audit (step 1).
    Audit,
    /// The mail server test (step 7).
    MailServerTest,
    /// The check that the DNS records are published (step 8).
    PublishCheck,
    /// Importing reports from files or the report mailbox.
    ReportsImport,
    /// Importing bounces from files.
    BounceImport,
}

impl StoppableTask {
    /// What the user reads when the task was stopped before it finished.
    pub fn stopped_sentence(self) -> &'static str {
        match self {
            StoppableTask::Audit => {
                "The audit was stopped before it finished. Run it again when you are ready."
            }
            StoppableTask::MailServerTest => {
                "The mail server test was stopped. Nothing was sent after that point; run it again when you are ready."
            }
            StoppableTask::PublishCheck => {
                "Checking stopped. Press “Check they are published” again when you are ready."
            }
            StoppableTask::ReportsImport => {
                "The import was stopped. Every report imported before that is kept; import again to get the rest."
            }
            StoppableTask::BounceImport => {
                "The import was stopped. Every bounce read before that is kept; import again to get the rest."
            }
        }
    }
}

/// A task the user stopped before it finished: its sentence is the task's
/// [`StoppableTask::stopped_sentence`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.stopped_sentence())]
pub struct Stopped(pub StoppableTask);

impl crate::error::FeatureError for Stopped {
    fn code(&self) -> &'static str {
        "cancelled"
    }
}

/// The running task of one kind, if any: at most one of each kind at a time (a new one stops
/// the previous), stopped by [`Stoppable::stop`]; a stopped task answers with
/// [`Stopped`].
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

    /// Runs `work` as this kind's task on the current Tokio runtime, stopping the one before;
    /// its result, or [`Stopped`] when it was stopped first.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, EngineError>> + Send + 'static,
    ) -> Result<T, EngineError> {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let handle = tokio::spawn(async move {
            let _ = sender.send(work.await);
        });
        if let Some(previous) = self.lock().replace(handle) {
            previous.abort();
        }
        receiver
            .await
            .unwrap_or_else(|_| Err(Stopped(self.task).into()))
    }

    /// Stops the task of this kind, if one is running.
    pub fn stop(&self) {
        if let Some(handle) = self.lock().take() {
            handle.abort();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<JoinHandle<()>>> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stopped_task_answers_with_its_sentence_and_a_new_one_replaces_the_old() {
        let tasks = std::sync::Arc::new(Stoppable::new(StoppableTask::Audit));
        let running = tasks.clone();
        let slow = tokio::spawn(async move {
            running
                .run(async {
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                    Ok(1)
                })
                .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        tasks.stop();
        let stopped = slow.await.unwrap().unwrap_err();
        assert_eq!(stopped.feature(), Some(&Stopped(StoppableTask::Audit)));
        assert_eq!(stopped.code(), "cancelled");
        assert_eq!(tasks.run(async { Ok(2) }).await.unwrap(), 2);
    }
}
