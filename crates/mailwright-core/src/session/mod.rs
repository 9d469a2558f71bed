//! The session: what the app (and the command line, from a project file) works on between two
//! commands. It holds the project and saves it whenever it changes, the DNS configuration every
//! check asks through (one shared resolver), the DKIM keys made in this session, the last mail
//! server test, the last checklist, each step's last result, and the tasks a person can stop.
//! The window sends what the user typed and gets views back; it never saves anything itself.

mod bounces;
mod checks;
mod compose;
mod dkim_keys;
mod dkim_provider;
mod edit;
mod keys;
mod mail_server;
mod message;
mod problems;
mod publish;
mod reports;
mod reputation;
mod steps;
mod warmup;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use bounces::BounceSink;
pub use edit::ProjectEdit;
pub use mail_server::sign_in_secret;
pub use problems::{FieldProblem, field_problems, warmup_problems};
pub use reports::ImportSink;
pub use reputation::{ReputationTarget, ReputationView};
pub use steps::{StepId, StepState, StepStatus, from_findings, next_step, step_states};

use crate::clock::today;
use crate::dkim::{CreatedKey, DkimKeyPair, KeyOutcome, KeysMade};
use crate::dns::{DnsConfig, NameserverSource};
use crate::domain::{DomainName, Selector, parse_domain_input};
use crate::error::EngineError;
use crate::files::read_json;
use crate::mta_sts::HttpsConfig;
use crate::project::{Project, ProjectStore};
use crate::publish::PublishSet;
use crate::report::Checklist;
use crate::smtp::{MailServerTest, PortReport};
use crate::spf::SpfSimulation;
use crate::stoppable::{Stoppable, StoppableTask};

use keys::SessionKeys;

/// What the window shows of the session: the project, each step's state, and whether it could
/// be read and saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionView {
    /// The project as saved.
    pub project: Project,
    /// Every step's state, in sidebar order.
    pub steps: Vec<StepStatus>,
    /// The step to do next: the first one not done.
    pub next: Option<StepId>,
    /// Every fault in what was typed, tied to its step and field.
    pub problems: Vec<FieldProblem>,
    /// Set when the saved project could not be read: what happened to it, in a sentence.
    pub recovered: Option<String>,
    /// Set when the last change could not be saved: why, in a sentence.
    pub save_error: Option<String>,
    /// Messages checked in this session (a message dropped on the window counts too), so the
    /// window knows when to show the last one.
    #[serde(default)]
    pub messages_checked: u32,
    /// Why the last message dropped on the window could not be checked, in a sentence.
    #[serde(default)]
    pub message_error: Option<String>,
}

/// Called with the new view whenever the session changes (the app sends it to the window).
pub type Observer = Arc<dyn Fn(SessionView) + Send + Sync>;

/// The session's changing part, behind one lock.
#[derive(Default)]
struct Held {
    /// Whether the project file has been read.
    opened: bool,
    /// False when the file could not be read (too new, unreadable): it is then never written.
    writable: bool,
    project: Project,
    recovered: Option<String>,
    save_error: Option<String>,
    /// The DNS configuration for the project's settings, once chosen.
    dns: Option<DnsConfig>,
    /// How MTA-STS policies are fetched, when not the default.
    https: Option<HttpsConfig>,
    mail_server_test: Option<MailServerTest>,
    checklist: Option<Checklist>,
    /// The SPF step's last simulation (the cross-check tries an address against it).
    spf_simulation: Option<SpfSimulation>,
    /// The Publish step's records, as last gathered.
    publish_set: Option<PublishSet>,
    /// The last message checked (in memory only: a message never goes into the project).
    message_check: Option<crate::message::MessageCheck>,
    /// How many messages were checked in this session.
    messages_checked: u32,
    /// The last reputation check (PTR, EHLO name, blocklists).
    reputation: Option<crate::reputation::ReputationCheck>,
    /// Why the last dropped message could not be checked.
    message_error: Option<String>,
    /// Whether the report may name the checked message's subject (the user ticked it).
    message_subject_in_report: bool,
}

/// The backend's state for one project.
pub struct Session {
    store: ProjectStore,
    held: Mutex<Held>,
    keys: SessionKeys,
    observer: Mutex<Option<Observer>>,
    /// The audit in progress, so it can be stopped.
    pub audit: Stoppable,
    /// The mail server test in progress, so it can be stopped.
    pub mail_server_test: Stoppable,
    /// The check that the records are published, so it can be stopped.
    pub publish_check: Stoppable,
    /// The report import or fetch in progress, so it can be stopped.
    pub reports_import: Stoppable,
    /// Set to stop a report import between two reports (the import runs off the runtime).
    reports_stop: Arc<std::sync::atomic::AtomicBool>,
    /// The reports database.
    reports: Mutex<reports::ReportsHeld>,
    /// The bounce import in progress, so it can be stopped.
    pub bounces_import: Stoppable,
    /// Set to stop a bounce import between two messages.
    bounces_stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Session {
    /// A session whose project file lives in `dir`. Nothing is read until [`Session::open`]
    /// (or the first command that needs the project), so a window can draw first.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Session::with_store(ProjectStore::new(dir))
    }

    /// The command line's session: the project file at `path` (`--project`), read now (a
    /// missing or corrupt file is an error and is left as it is), never written, asking `dns`.
    pub fn from_file(path: &Path, dns: DnsConfig) -> Result<Self, EngineError> {
        let project: Project = read_json(path, "a Mailwright project file")?;
        let session = Session::with_store(ProjectStore::file(path));
        {
            let mut held = session.lock();
            held.opened = true;
            held.project = project;
            held.dns = Some(dns);
        }
        Ok(session)
    }

    /// The command line's session for a domain typed on the command line (no project file):
    /// a new project with that domain, never written, asking `dns`.
    pub fn for_domain(domain: &str, dns: DnsConfig) -> Self {
        let session = Session::with_store(ProjectStore::file(Path::new("")));
        {
            let mut held = session.lock();
            held.opened = true;
            held.project = Project::new();
            held.project.domain = domain.to_owned();
            held.dns = Some(dns);
        }
        session
    }

    fn with_store(store: ProjectStore) -> Self {
        Session {
            store,
            held: Mutex::new(Held::default()),
            keys: SessionKeys::default(),
            observer: Mutex::new(None),
            audit: Stoppable::new(StoppableTask::Audit),
            mail_server_test: Stoppable::new(StoppableTask::MailServerTest),
            publish_check: Stoppable::new(StoppableTask::PublishCheck),
            reports_import: Stoppable::new(StoppableTask::ReportsImport),
            reports_stop: reports::stop_flag(),
            reports: Mutex::new(reports::ReportsHeld::default()),
            bounces_import: Stoppable::new(StoppableTask::BounceImport),
            bounces_stop: reports::stop_flag(),
        }
    }

    /// Where the project file is.
    pub fn project_path(&self) -> PathBuf {
        self.store.path()
    }

    /// Reads the project (the first time) and returns the view as it is now. A corrupt file is
    /// moved aside and a new project started; a file that cannot be read, or was written by a newer Mailwright, is
    /// left untouched and never overwritten in this session.
    pub fn open(&self) -> SessionView {
        let mut held = self.lock();
        self.read(&mut held);
        view_of(&held)
    }

    /// Sends every later change's view to `observer`.
    pub fn watch(&self, observer: Observer) {
        *self.observer.lock().unwrap_or_else(|p| p.into_inner()) = Some(observer);
    }

    /// A copy of the project.
    pub fn project(&self) -> Project {
        let mut held = self.lock();
        self.read(&mut held);
        held.project.clone()
    }

    /// The project's domain, normalized (a URL or an address as typed is fine).
    pub fn domain(&self) -> Result<DomainName, EngineError> {
        let typed = self.project().domain;
        Ok(parse_domain_input(&typed)?.domain)
    }

    /// The DNS configuration every check asks through: the Settings value, else
    /// `MAILWRIGHT_NAMESERVER`, else the system's resolver. Its clones share one resolver.
    pub fn dns(&self) -> Result<DnsConfig, EngineError> {
        let mut held = self.lock();
        self.read(&mut held);
        if let Some(dns) = &held.dns {
            return Ok(dns.clone());
        }
        let dns = dns_for(&held.project)?;
        held.dns = Some(dns.clone());
        Ok(dns)
    }

    /// How MTA-STS policy files are fetched: as [`Session::use_https`] set, else the public
    /// roots on port 443 (or the test switches of a debug build).
    pub fn https(&self) -> Result<HttpsConfig, EngineError> {
        match &self.lock().https {
            Some(https) => Ok(https.clone()),
            None => HttpsConfig::from_environment(),
        }
    }

    /// Fetches MTA-STS policy files as `https` says (the command line's `--ca` and
    /// `--policy-port`, a test's own web server).
    pub fn use_https(&self, https: HttpsConfig) {
        self.lock().https = Some(https);
    }

    /// Applies what the user typed in one step, saves the project and returns the new view.
    pub fn edit(&self, edit: ProjectEdit) -> Result<SessionView, EngineError> {
        self.change(|project| edit.apply(project))?;
        Ok(self.open())
    }

    /// Changes the project with `change` and saves it; nothing changes when `change` fails.
    /// A failed save is kept in the view's `save_error` (the change stays in this session).
    pub fn change<T>(
        &self,
        change: impl FnOnce(&mut Project) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let view = {
            let mut held = self.lock();
            self.read(&mut held);
            let mut project = held.project.clone();
            let answer = change(&mut project)?;
            if project.settings != held.project.settings {
                held.dns = None;
            }
            held.project = project;
            held.save_error = if held.writable {
                self.store
                    .save(&held.project)
                    .err()
                    .map(|e| EngineError::from(e).to_string())
            } else {
                Some(held.recovered.clone().unwrap_or_else(|| {
                    "This project was opened to read only; the change was not saved.".to_owned()
                }))
            };
            (answer, view_of(&held))
        };
        self.notify(view.1);
        Ok(view.0)
    }

    /// Records the state of `step`'s last check in the project (so it survives a restart).
    pub fn record(&self, step: StepId, state: StepState) {
        // A project that cannot be saved keeps the state for this session (`save_error` says so).
        let _ = self.change(|project| {
            project.checked.insert(step, state);
            Ok(())
        });
    }

    /// Records the last mail server test (its transcripts can be exported, the checklist uses
    /// it) and the step's state from its findings.
    pub fn record_mail_server_test(&self, report: &MailServerTest) {
        self.lock().mail_server_test = Some(report.clone());
        let state = from_findings(report.ports.iter().flat_map(|p| &p.findings));
        self.record(StepId::Smtp, state);
    }

    /// The last mail server test, if one ran in this session.
    pub fn last_mail_server_test(&self) -> Option<MailServerTest> {
        self.lock().mail_server_test.clone()
    }

    /// Records the last checklist (it can be saved in any format) and the step's state.
    pub fn record_checklist(&self, report: &Checklist) {
        self.lock().checklist = Some(report.clone());
        let [_, warn, fail, _] = report.totals;
        self.record(StepId::Report, StepState::checked(warn + fail == 0));
    }

    /// The last checklist, if one was made in this session.
    pub fn last_checklist(&self) -> Option<Checklist> {
        self.lock().checklist.clone()
    }

    /// The last checklist, to save; the sentence saying to make it first when there is none.
    pub fn checklist_to_save(&self) -> Result<Checklist, EngineError> {
        self.last_checklist().ok_or(EngineError::NothingYet(
            "There is no report yet. Press “Make the report” first.",
        ))
    }

    /// Port `index` of the last mail server test, whose transcript can be exported; the
    /// sentence saying to run the test first when there is none.
    pub fn tested_port(&self, index: usize) -> Result<PortReport, EngineError> {
        let last = self.last_mail_server_test();
        last.and_then(|test| test.ports.get(index).cloned())
            .ok_or(EngineError::NothingYet(
                "There is no transcript to export yet. Run the test first.",
            ))
    }

    /// Holds the keys just made or imported for this session (replacing the ones before),
    /// records them in the project's DKIM setup and returns what to show.
    pub fn keys_made(
        &self,
        domain: &DomainName,
        created: Vec<CreatedKey>,
    ) -> Result<KeysMade, EngineError> {
        self.keys.hold(domain, &created);
        let keys: Vec<KeyOutcome> = created.into_iter().map(|c| c.outcome).collect();
        let setup = self.change(|project| {
            project.dkim.record_keys(&keys, today());
            Ok(project.dkim.clone())
        })?;
        Ok(KeysMade { keys, setup })
    }

    /// The key for `selector` of `domain` made or imported in this session, if any.
    pub fn held_key(&self, domain: &DomainName, selector: &Selector) -> Option<DkimKeyPair> {
        self.keys.held(domain, selector)
    }

    /// The key for `selector` of `domain`: the one made in this session, else the keychain's.
    pub async fn key(
        &self,
        domain: &DomainName,
        selector: &Selector,
    ) -> Result<DkimKeyPair, EngineError> {
        self.keys.key(domain, selector).await
    }

    fn notify(&self, view: SessionView) {
        let observer = self
            .observer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(observer) = observer {
            observer(view);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the project file the first time the session needs it.
    fn read(&self, held: &mut Held) {
        if held.opened {
            return;
        }
        held.opened = true;
        match self.store.load() {
            Ok(loaded) => {
                held.project = loaded.project;
                held.recovered = loaded.recovered;
                held.writable = true;
            }
            Err(error) => {
                held.project = Project::new();
                held.recovered = Some(EngineError::from(error).to_string());
                held.writable = false;
            }
        }
    }
}

/// The DNS configuration for a project's settings.
fn dns_for(project: &Project) -> Result<DnsConfig, EngineError> {
    DnsConfig::choose_with_environment(Some((
        project.settings.nameserver.as_str(),
        NameserverSource::Settings,
    )))
}

fn view_of(held: &Held) -> SessionView {
    let steps = step_states(&held.project, today());
    SessionView {
        project: held.project.clone(),
        next: next_step(&steps),
        steps,
        problems: field_problems(&held.project),
        recovered: held.recovered.clone(),
        save_error: held.save_error.clone(),
        messages_checked: held.messages_checked,
        message_error: held.message_error.clone(),
    }
}

#[cfg(test)]
mod tests;
