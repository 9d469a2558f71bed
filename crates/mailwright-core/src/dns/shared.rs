//! One resolver per DNS configuration, built on first use and shared by every client made from
//! that configuration, so a session's checks do not each build their own.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_resolver::TokioResolver;

/// The settings a resolver was built for: a configuration changed after its resolver was built
/// gets a new one.
type Settings = (Option<SocketAddr>, Duration, usize);

/// The resolver of one configuration and its clones, once built.
#[derive(Clone, Default)]
pub(crate) struct SharedResolver(Arc<Mutex<Option<(Settings, TokioResolver)>>>);

impl SharedResolver {
    /// The resolver built for `settings`, building it with `build` the first time.
    pub(crate) fn get_or_build<E>(
        &self,
        settings: Settings,
        build: impl FnOnce() -> Result<TokioResolver, E>,
    ) -> Result<TokioResolver, E> {
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((built_for, resolver)) = slot.as_ref()
            && *built_for == settings
        {
            return Ok(resolver.clone());
        }
        let resolver = build()?;
        *slot = Some((settings, resolver.clone()));
        Ok(resolver)
    }
}

impl std::fmt::Debug for SharedResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedResolver")
    }
}

/// Configurations are equal by their settings; which resolver they share does not count.
impl PartialEq for SharedResolver {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Eq for SharedResolver {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{DnsConfig, NameserverSource};

    #[tokio::test]
    async fn clones_share_one_resolver_until_their_settings_change() {
        let addr: SocketAddr = "127.0.0.1:53".parse().unwrap();
        let config = DnsConfig::with_nameserver(addr, NameserverSource::CommandLine);
        let builds = std::cell::Cell::new(0);
        let build = || {
            builds.set(builds.get() + 1);
            crate::dns::client::build_resolver(&config)
        };
        let copy = config.clone();
        let settings = (config.nameserver, config.timeout, config.retries);
        config.shared.get_or_build(settings, build).unwrap();
        copy.shared.get_or_build(settings, build).unwrap();
        assert_eq!(builds.get(), 1, "a clone reuses the resolver");
        let other = (
            Some("127.0.0.2:53".parse().unwrap()),
            config.timeout,
            config.retries,
        );
        copy.shared.get_or_build(other, build).unwrap();
        assert_eq!(builds.get(), 2, "other settings build another");
    }
}
