//! Environment variables that only the end-to-end tests use to point the app at their own
//! servers (`MAILWRIGHT_HTTPS_PORT`, `MAILWRIGHT_EXTRA_CA`, `MAILWRIGHT_NS_PORT`). They are read
//! in debug builds only: in a release build, what a user installs, they do nothing, so nothing in
//! the environment can add a trusted CA or move a port behind the user's back.

/// The value of the test switch `name`, in a debug build only.
pub fn test_switch(name: &str) -> Option<String> {
    read(name, cfg!(debug_assertions))
}

fn read(name: &str, enabled: bool) -> Option<String> {
    if enabled {
        std::env::var(name).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_are_read_only_when_enabled() {
        // PATH is always set; a release build reads it as unset all the same.
        assert!(read("PATH", true).is_some());
        assert_eq!(read("PATH", false), None);
    }
}
