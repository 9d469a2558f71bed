//! The "Reports" step for the session: the reports database beside the project file, imports
//! from files and from the report mailbox (its password in the keychain, bound to its server),
//! naming new sources through the session's DNS, the view of the chosen period, "this is mine"
//! and "not mine", and the ramp's evidence for the DMARC step.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::{Session, StepId, StepState};
use crate::error::EngineError;
use crate::reports::{
    DATABASE_FILE, ImportProgress, ImportSummary, Importer, MailboxAccess, MailboxSetup, Period,
    RampEvidence, ReportStore, ReportsError, ReportsView, SourceKind, fetch_reports,
    identify_sources, list_folders, reports_view,
};
use crate::secrets::{SecretStore, Sensitive, keychain_call};
use crate::senders::SenderChoice;
use crate::smtp::{PasswordBinding, PasswordKeychainError, load_bound, save_bound};

/// Progress of an import, sent as it goes.
pub type ImportSink = Arc<dyn Fn(ImportProgress) + Send + Sync>;

/// How many new sources are named (reverse DNS, sender) after one import; the rest are named
/// after the next.
const NAMED_PER_IMPORT: u32 = 500;

/// The reports database of a session, once opened, and what opening it said.
#[derive(Default)]
pub(super) struct ReportsHeld {
    /// Where the database is when not beside the project file (`--database`).
    path: Option<PathBuf>,
    store: Option<Arc<Mutex<ReportStore>>>,
    /// Set when a damaged or newer database was moved aside.
    note: Option<String>,
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ReportsError> + Send + 'static,
) -> Result<T, EngineError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| EngineError::from(ReportsError::Database(e.to_string())))?
        .map_err(EngineError::from)
}

impl Session {
    /// Keeps the reports database at `path` instead of beside the project file.
    pub fn use_reports_database(&self, path: PathBuf) {
        let mut held = self.reports.lock().unwrap_or_else(|e| e.into_inner());
        held.path = Some(path);
        held.store = None;
    }

    /// The reports database, opened the first time (a damaged or newer file is moved aside
    /// and the view says so).
    pub(super) fn reports_store(&self) -> Result<Arc<Mutex<ReportStore>>, EngineError> {
        let mut held = self.reports.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(store) = &held.store {
            return Ok(store.clone());
        }
        let path = held.path.clone().unwrap_or_else(|| {
            self.project_path()
                .parent()
                .map(|dir| dir.join(DATABASE_FILE))
                .unwrap_or_else(|| PathBuf::from(DATABASE_FILE))
        });
        let opened = ReportStore::open(&path, now())?;
        if let Some(note) = &opened.set_aside {
            tracing::warn!("{note}");
        }
        held.note = opened.set_aside;
        let store = Arc::new(Mutex::new(opened.store));
        held.store = Some(store.clone());
        Ok(store)
    }

    /// Stops the import or fetch in progress (what was imported is kept).
    pub fn stop_reports(&self) {
        self.reports_stop.store(true, Ordering::Relaxed);
        self.reports_import.stop();
    }

    /// Imports the report files and folders at `paths`, then names the new sources.
    pub async fn import_report_files(
        &self,
        paths: Vec<PathBuf>,
        progress: Option<ImportSink>,
    ) -> Result<ImportSummary, EngineError> {
        let domain = self.domain()?.as_str().to_owned();
        let store = self.reports_store()?;
        self.reports_stop.store(false, Ordering::Relaxed);
        let stop = self.reports_stop.clone();
        let summary = self
            .reports_import
            .run(async move {
                blocking(move || {
                    let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
                    let report = |p: &ImportProgress| {
                        if let Some(sink) = &progress {
                            sink(p.clone());
                        }
                    };
                    let mut importer = Importer::new(&mut store, &domain, now(), &report, &stop);
                    importer.paths(&paths);
                    importer.finish()
                })
                .await
            })
            .await?;
        self.after_import().await;
        Ok(summary)
    }

    /// Fetches the reports that arrived in the report mailbox since the last fetch (the setup
    /// is kept in the project). `token` is a password typed to use once; otherwise the one
    /// saved in the keychain for this very server is used. The password goes only to that
    /// server, only after its certificate is verified.
    pub async fn fetch_report_mailbox(
        &self,
        setup: MailboxSetup,
        token: Sensitive<String>,
        progress: Option<ImportSink>,
    ) -> Result<ImportSummary, EngineError> {
        setup.validate()?;
        let kept = setup.clone();
        self.change(move |project| {
            project.reports.mailbox = Some(kept);
            Ok(())
        })?;
        let domain = self.domain()?.as_str().to_owned();
        let dns = self.dns()?;
        let trust = self.project().reports.trust()?;
        let password = self.mailbox_password(&setup, token).await?;
        let store = self.reports_store()?;
        let progress: Arc<dyn Fn(&ImportProgress) + Send + Sync> = match progress {
            Some(sink) => Arc::new(move |p: &ImportProgress| sink(p.clone())),
            None => Arc::new(|_: &ImportProgress| {}),
        };
        let summary = self
            .reports_import
            .run(async move {
                let access = MailboxAccess {
                    setup: &setup,
                    password: &password,
                    trust: &trust,
                    dns: &dns,
                };
                fetch_reports(&access, store, &domain, now(), progress)
                    .await
                    .map_err(EngineError::from)
            })
            .await?;
        self.after_import().await;
        Ok(summary)
    }

    /// The folders of the report mailbox, for the user to choose the one reports arrive in.
    pub async fn report_mailbox_folders(
        &self,
        setup: MailboxSetup,
        token: Sensitive<String>,
    ) -> Result<Vec<String>, EngineError> {
        let dns = self.dns()?;
        let trust = self.project().reports.trust()?;
        let password = self.mailbox_password(&setup, token).await?;
        let access = MailboxAccess {
            setup: &setup,
            password: &password,
            trust: &trust,
            dns: &dns,
        };
        Ok(list_folders(&access).await?)
    }

    /// Saves the report mailbox's password in the keychain, bound to its server, the name its
    /// certificate must carry, the certificates trusted and the DNS server.
    pub async fn save_mailbox_password(
        &self,
        setup: &MailboxSetup,
        password: Sensitive<String>,
    ) -> Result<(), EngineError> {
        setup.validate()?;
        let binding = self.mailbox_binding(setup)?;
        let account = setup.password_account();
        keychain_call::<_, PasswordKeychainError>(move || {
            Ok(save_bound(
                &SecretStore::system()?,
                &account,
                &binding,
                &password,
            )?)
        })
        .await?;
        Ok(())
    }

    fn mailbox_binding(&self, setup: &MailboxSetup) -> Result<PasswordBinding, EngineError> {
        let trust = self.project().reports.trust()?;
        Ok(PasswordBinding::for_host(
            &setup.host,
            &setup.certificate_name(),
            &trust,
            &self.dns()?,
        ))
    }

    /// The typed password when there is one, else the keychain's for exactly this setup.
    async fn mailbox_password(
        &self,
        setup: &MailboxSetup,
        token: Sensitive<String>,
    ) -> Result<Sensitive<String>, EngineError> {
        setup.validate()?;
        if !token.expose().is_empty() {
            return Ok(token);
        }
        let binding = self.mailbox_binding(setup)?;
        let account = setup.password_account();
        let saved = keychain_call::<_, PasswordKeychainError>(move || {
            Ok(load_bound(&SecretStore::system()?, &account, &binding)?)
        })
        .await?;
        let (user, host) = (setup.user.trim(), setup.host.trim());
        // The mail server's rule: a password saved for another setup is not sent.
        saved
            .into_secret(user, host)?
            .ok_or_else(|| ReportsError::NoPassword(format!("{user} at {host}")).into())
    }

    /// Names the sources not named yet and records the step's state.
    async fn after_import(&self) {
        if let Err(e) = self.name_new_sources().await {
            tracing::warn!("naming report sources: {e}");
        }
        if let Ok(view) = self.reports_view().await {
            self.record_reports_state(&view);
        }
    }

    /// Looks up the reverse DNS and the sender of up to [`NAMED_PER_IMPORT`] new sources.
    async fn name_new_sources(&self) -> Result<(), EngineError> {
        let store = self.reports_store()?;
        let ips = {
            let store = store.clone();
            blocking(move || {
                let store = store.lock().unwrap_or_else(|e| e.into_inner());
                let mut out = Vec::new();
                for ip in store.unnamed_sources(NAMED_PER_IMPORT)? {
                    if let Ok(parsed) = ip.parse() {
                        out.push((parsed, store.source_dkim(&ip)?));
                    }
                }
                Ok(out)
            })
            .await?
        };
        if ips.is_empty() {
            return Ok(());
        }
        let domain = self.domain()?.as_str().to_owned();
        let inventory = self.project().senders;
        let named = identify_sources(ips, &domain, &inventory, &self.dns()?).await;
        blocking(move || {
            let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
            let at = now();
            for n in named {
                store.name_source(
                    &n.ip.to_string(),
                    n.ptr.as_deref(),
                    n.sender_id.as_deref(),
                    n.matched_by.as_deref(),
                    at,
                )?;
            }
            Ok(())
        })
        .await
    }

    /// The Reports step's view of the chosen period (the last 30 days unless chosen).
    pub async fn reports_view(&self) -> Result<ReportsView, EngineError> {
        let project = self.project();
        let period = Period::last_days(now(), project.reports.period());
        let store = self.reports_store()?;
        let (inventory, thresholds) = (project.senders, project.reports.thresholds);
        let mut view = blocking(move || {
            let store = store.lock().unwrap_or_else(|e| e.into_inner());
            reports_view(&store, period, &inventory, thresholds)
        })
        .await?;
        view.note = self
            .reports
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .note
            .clone();
        Ok(view)
    }

    /// The view of `period` (the command line's `--since`).
    pub async fn reports_view_of(&self, period: Period) -> Result<ReportsView, EngineError> {
        let project = self.project();
        let store = self.reports_store()?;
        let (inventory, thresholds) = (project.senders, project.reports.thresholds);
        blocking(move || {
            let store = store.lock().unwrap_or_else(|e| e.into_inner());
            reports_view(&store, period, &inventory, thresholds)
        })
        .await
    }

    /// What the user said about a source: `Some(true)` "this is mine" (the sender it was
    /// recognised as, or the address as one of the user's own servers, goes into Senders, so the
    /// Senders and SPF steps pick it up), `Some(false)` "not mine", `None` undecided again.
    pub async fn mark_report_source(
        &self,
        ip: String,
        mine: Option<bool>,
    ) -> Result<ReportsView, EngineError> {
        let address: std::net::IpAddr = ip
            .trim()
            .parse()
            .map_err(|_| ReportsError::Source(ip.clone()))?;
        let view = self.reports_view().await?;
        let source = view
            .sources
            .iter()
            .find(|s| s.totals.ip == address.to_string())
            .ok_or_else(|| ReportsError::Source(ip.clone()))?
            .clone();
        let store = self.reports_store()?;
        let key = source.totals.ip.clone();
        blocking(move || {
            store
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .mark_source(&key, mine, now())
        })
        .await?;
        if mine == Some(true) {
            self.change(|project| {
                let senders = &mut project.senders.senders;
                match source.totals.sender_id.as_deref() {
                    Some(id) if id != "own_server" => {
                        if !senders.iter().any(|s| s.id == id) {
                            senders.push(SenderChoice {
                                id: id.to_owned(),
                                ..SenderChoice::default()
                            });
                        }
                    }
                    _ => {
                        let host = address.to_string();
                        match senders.iter_mut().find(|s| s.id == "own_server") {
                            Some(own) if own.hosts.contains(&host) => {}
                            Some(own) => own.hosts.push(host),
                            None => senders.push(SenderChoice {
                                id: "own_server".into(),
                                hosts: vec![host],
                                ..SenderChoice::default()
                            }),
                        }
                    }
                }
                Ok(())
            })?;
        }
        let view = self.reports_view().await?;
        self.record_reports_state(&view);
        Ok(view)
    }

    /// The ramp's evidence for the DMARC step, when there are reports.
    pub async fn reports_ramp(&self) -> Option<RampEvidence> {
        let view = self.reports_view().await.ok()?;
        (view.counts.dmarc_reports > 0).then_some(view.ramp)
    }

    fn record_reports_state(&self, view: &ReportsView) {
        if view.counts.reports == 0 {
            return;
        }
        let undecided = view
            .sources
            .iter()
            .any(|s| matches!(s.kind, SourceKind::Unknown | SourceKind::NotListed));
        self.record(StepId::Reports, StepState::checked(!undecided));
    }
}

/// A fresh stop flag for a session.
pub(super) fn stop_flag() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}
