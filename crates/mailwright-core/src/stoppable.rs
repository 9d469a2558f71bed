//! The long tasks a person waits on and can stop, each with the sentence that says it stopped.

/// A task the window shows with a Stop button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoppableTask {
    /// The domain audit (step 1).
    Audit,
    /// The mail server test (step 7).
    MailServerTest,
    /// The check that the DNS records are published (step 8).
    PublishCheck,
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
        }
    }
}
