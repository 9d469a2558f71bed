//! Shared pieces of the end-to-end suites. Each suite uses part of them.
#![allow(dead_code)]

pub mod postfix;
