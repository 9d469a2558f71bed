//! The lookups of one SPF evaluation, fetched ahead: as soon as a record is read, every name its
//! terms will ask for (and the records they include, recursively) is asked concurrently, and the
//! evaluation then reads the answers in RFC order. A record of depth d so costs about d round
//! trips instead of one per lookup. Each name and type is asked once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, Weak};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use tokio::task::AbortHandle;

use super::is_spf;
use super::macros::{MacroValues, expand_name, uses_validated_name};
use crate::dns::{DnsClient, Lookup, Outcome, RecordType};
use crate::spf_record::{MacroContext, Mechanism, SpfRecord, macro_tokens};

/// Names fetched ahead at most; the evaluation itself asks for what it needs beyond them.
const MAX_PREFETCH: usize = 200;
/// MX or PTR names whose addresses are asked (RFC 7208 §4.6.4).
pub(crate) const MAX_NAMES_PER_TERM: usize = 10;

type Answer = Shared<BoxFuture<'static, Lookup>>;

/// The answers of one evaluation, shared by the evaluation and the lookups fetched ahead.
pub(crate) struct Lookups {
    client: Arc<DnsClient>,
    values: MacroValues,
    answers: Mutex<HashMap<(String, RecordType), Answer>>,
    tasks: Mutex<Vec<AbortHandle>>,
    prefetched: Mutex<usize>,
    me: Weak<Lookups>,
}

impl Lookups {
    /// The lookups for one evaluation of the message described by `values`.
    pub(crate) fn new(client: DnsClient, values: MacroValues) -> Arc<Self> {
        Arc::new_cyclic(|me| Lookups {
            client: Arc::new(client),
            values,
            answers: Mutex::new(HashMap::new()),
            tasks: Mutex::new(Vec::new()),
            prefetched: Mutex::new(0),
            me: me.clone(),
        })
    }

    /// The answer for `name`/`rtype`: fetched ahead, or asked now.
    pub(crate) async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        self.answer(name, rtype).await
    }

    /// The address type that matters for the client: A for IPv4, AAAA for IPv6.
    pub(crate) fn address_type(&self) -> RecordType {
        match self.values.ip {
            IpAddr::V4(_) => RecordType::A,
            IpAddr::V6(_) => RecordType::AAAA,
        }
    }

    fn answer(&self, name: &str, rtype: RecordType) -> Answer {
        let key = (name.to_ascii_lowercase(), rtype);
        let mut answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(answer) = answers.get(&key) {
            return answer.clone();
        }
        let client = self.client.clone();
        let owned = name.to_owned();
        let task = tokio::spawn(async move { client.lookup(&owned, rtype).await });
        self.tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(task.abort_handle());
        let unanswered = Lookup {
            name: name.to_owned(),
            rtype,
            cnames: Vec::new(),
            outcome: Outcome::Timeout,
        };
        let answer = async move { task.await.unwrap_or(unanswered) }
            .boxed()
            .shared();
        answers.insert(key, answer.clone());
        answer
    }

    /// Every answer that has arrived so far.
    pub(crate) fn answered(&self) -> Vec<Lookup> {
        self.answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter_map(|answer| answer.peek().cloned())
            .collect()
    }

    /// Takes one name from the budget for fetching ahead.
    fn take_prefetch(&self) -> bool {
        let mut used = self.prefetched.lock().unwrap_or_else(|e| e.into_inner());
        *used += 1;
        *used <= MAX_PREFETCH
    }

    /// Starts, without waiting, every lookup `record` (published at `domain`) will need, and
    /// those of the records it includes or redirects to.
    pub(crate) fn prefetch(&self, domain: &str, record: &SpfRecord) {
        for (_, mechanism, _) in record.mechanisms() {
            match mechanism {
                Mechanism::Include(spec) => self.prefetch_record(domain, spec),
                Mechanism::A(spec, _) => {
                    self.prefetch_name(domain, spec.as_deref(), self.address_type())
                }
                Mechanism::Mx(spec, _) => self.prefetch_mx(domain, spec.as_deref()),
                Mechanism::Exists(spec) => self.prefetch_name(domain, Some(spec), RecordType::A),
                _ => {}
            }
        }
        if let (Some(target), false) = (record.redirect(), record.has_all()) {
            self.prefetch_record(domain, target);
        }
        if let Some(exp) = record.explanation() {
            self.prefetch_name(domain, Some(exp), RecordType::TXT);
        }
    }

    /// The name a domain-spec expands to, when it can be known ahead (not with `%{p}`).
    fn target(&self, domain: &str, spec: Option<&str>) -> Option<String> {
        let Some(spec) = spec else {
            return Some(domain.to_owned());
        };
        let tokens = macro_tokens(spec, MacroContext::DomainSpec)?;
        (!uses_validated_name(&tokens)).then(|| expand_name(&tokens, &self.values, domain, ""))
    }

    fn prefetch_name(&self, domain: &str, spec: Option<&str>, rtype: RecordType) {
        if let Some(name) = self.target(domain, spec)
            && self.take_prefetch()
        {
            drop(self.answer(&name, rtype));
        }
    }

    fn prefetch_mx(&self, domain: &str, spec: Option<&str>) {
        let Some(name) = self.target(domain, spec).filter(|_| self.take_prefetch()) else {
            return;
        };
        let answer = self.answer(&name, RecordType::MX);
        let me = self.me.clone();
        self.spawn(async move {
            let lookup = answer.await;
            let Some(me) = me.upgrade() else { return };
            let rtype = me.address_type();
            for host in lookup.host_names().into_iter().take(MAX_NAMES_PER_TERM) {
                if me.take_prefetch() {
                    drop(me.answer(&host, rtype));
                }
            }
        });
    }

    fn prefetch_record(&self, domain: &str, spec: &str) {
        let Some(name) = self
            .target(domain, Some(spec))
            .filter(|_| self.take_prefetch())
        else {
            return;
        };
        let answer = self.answer(&name, RecordType::TXT);
        let me = self.me.clone();
        self.spawn(async move {
            let lookup = answer.await;
            let Some(me) = me.upgrade() else { return };
            if let [one] = spf_records(&lookup).as_slice()
                && let Ok(record) = SpfRecord::parse(one)
            {
                me.prefetch(&name, &record);
            }
        });
    }

    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(task);
        self.tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(handle.abort_handle());
    }
}

impl Drop for Lookups {
    fn drop(&mut self) {
        for task in self
            .tasks
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            task.abort();
        }
    }
}

/// The SPF records among a TXT answer (RFC 7208 §4.5).
pub(crate) fn spf_records(lookup: &Lookup) -> Vec<String> {
    lookup.txt().into_iter().filter(|t| is_spf(t)).collect()
}
