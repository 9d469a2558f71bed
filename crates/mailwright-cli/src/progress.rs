//! The progress line on standard error while lookups run (only on a terminal).

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use mailwright_core::dns::ProgressSink;

/// A spinner with the latest lookup, or nothing when output is not for a person.
pub struct Progress(Option<ProgressBar>);

/// A progress display if `wanted` and standard error is a terminal.
pub fn bar(wanted: bool) -> Progress {
    if !wanted || !std::io::stderr().is_terminal() {
        return Progress(None);
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"));
    bar.enable_steady_tick(Duration::from_millis(100));
    Progress(Some(bar))
}

impl Progress {
    /// The sink the engine reports lookups to.
    pub fn sink(&self) -> Option<ProgressSink> {
        let bar = self.0.clone()?;
        Some(Arc::new(move |p| {
            bar.set_message(format!(
                "Looked up {} of {}: {} {}",
                p.completed, p.started, p.name, p.rtype
            ));
        }))
    }

    /// Shows `message` while a step without lookups runs (such as key generation).
    pub fn message(&self, message: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(message.to_owned());
        }
    }

    /// Removes the progress line.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
