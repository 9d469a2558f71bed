//! What the app keeps between commands: where the project lives, the running audit, and the
//! DKIM keys made or imported in this session (so it can be exported even when the keychain
//! refused it).

use std::path::PathBuf;
use std::sync::Mutex;

use mailwright_core::clock::today;
use mailwright_core::dkim::{CreatedKey, DkimKeyPair, KeyOutcome, KeysMade, load_system_key};
use mailwright_core::logs::LogGuard;
use mailwright_core::project::DkimSetup;
use mailwright_core::project::ProjectStore;
use mailwright_core::report::Report;
use mailwright_core::secrets::keychain_call;
use mailwright_core::smtp::SmtpTestReport;
use mailwright_core::stoppable::StoppableTask;
use mailwright_core::{DomainName, EngineError, Selector};

use crate::stoppable::Stoppable;

/// The last DKIM key made or imported, held in memory only (zeroized when replaced).
struct PendingKey {
    domain: DomainName,
    selector: Selector,
    pair: DkimKeyPair,
}

/// Shared app state.
pub struct AppState {
    /// The project file in the OS app-data directory.
    pub store: ProjectStore,
    /// The audit in progress, so it can be stopped.
    pub audit: Stoppable,
    /// The mail server test in progress, so it can be stopped.
    pub smtp_test: Stoppable,
    /// The last mail server test, whose transcripts can be exported.
    pub smtp_report: Mutex<Option<SmtpTestReport>>,
    /// The publish check in progress, so it can be stopped.
    pub publish_check: Stoppable,
    /// The last checklist report, which can be saved in any format.
    pub report: Mutex<Option<Report>>,
    keys: Mutex<Vec<PendingKey>>,
    /// Files the user chose in the system's file dialog in this session: the only paths, with
    /// new files in Documents and Downloads, the app writes to.
    chosen: Mutex<Vec<PathBuf>>,
    /// The running log (its folder goes into the diagnostics), if it could start.
    pub log: Option<LogGuard>,
}

impl AppState {
    /// State for an app whose data lives in `dir`, logging through `log`.
    pub fn new(dir: PathBuf, log: Option<LogGuard>) -> Self {
        AppState {
            store: ProjectStore::new(dir),
            audit: Stoppable::new(StoppableTask::Audit),
            smtp_test: Stoppable::new(StoppableTask::MailServerTest),
            smtp_report: Mutex::new(None),
            report: Mutex::new(None),
            publish_check: Stoppable::new(StoppableTask::PublishCheck),
            keys: Mutex::new(Vec::new()),
            chosen: Mutex::new(Vec::new()),
            log,
        }
    }

    /// Keeps the keys just made or imported for this session (replacing the previous ones)
    /// and returns what to show, with `setup` updated for them.
    pub fn remember(
        &self,
        domain: &DomainName,
        created: Vec<CreatedKey>,
        mut setup: DkimSetup,
    ) -> KeysMade {
        let keys: Vec<KeyOutcome> = created.iter().map(|c| c.outcome.clone()).collect();
        setup.record_keys(&keys, today());
        *self.keys.lock().unwrap() = created
            .into_iter()
            .filter_map(|c| {
                let selector = Selector::parse(&c.outcome.summary.selector).ok()?;
                Some(PendingKey {
                    domain: domain.clone(),
                    selector,
                    pair: c.pair,
                })
            })
            .collect();
        KeysMade { keys, setup }
    }

    /// Remembers a file the user chose in the system's dialog.
    pub fn chose(&self, path: PathBuf) {
        let mut chosen = self.chosen.lock().unwrap();
        if !chosen.contains(&path) {
            chosen.push(path);
        }
    }

    /// Whether the user chose `path` in the system's dialog in this session.
    pub fn was_chosen(&self, path: &std::path::Path) -> bool {
        self.chosen.lock().unwrap().iter().any(|p| p == path)
    }

    /// The key for `selector` of `domain` made or imported in this session, if any.
    pub fn remembered_key(&self, domain: &DomainName, selector: &Selector) -> Option<DkimKeyPair> {
        self.keys
            .lock()
            .unwrap()
            .iter()
            .find(|k| &k.domain == domain && &k.selector == selector)
            .map(|k| k.pair.clone())
    }

    /// The key for `selector` of `domain`: the one in memory, else the keychain's.
    pub async fn key(
        &self,
        domain: &DomainName,
        selector: &Selector,
    ) -> Result<DkimKeyPair, EngineError> {
        if let Some(pair) = self.remembered_key(domain, selector) {
            return Ok(pair);
        }
        let (domain, selector) = (domain.clone(), selector.clone());
        keychain_call(move || load_system_key(&selector, &domain))
            .await
            .map_err(EngineError::from)
    }
}
