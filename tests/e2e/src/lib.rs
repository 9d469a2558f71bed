//! End-to-end tests of the Mailwright window; see tests/.
