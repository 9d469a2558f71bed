//! MTA-STS (RFC 8461) and TLS reporting (RFC 8460): records, the policy file, the HTTPS fetch,
//! the checker and the composer.

mod check;
mod compose;
mod fetch;
mod policy;
mod record_findings;
mod records;
mod setup;

pub use check::{MtaStsCheckReport, check_mta_sts};
pub use compose::{
    ENFORCE_MAX_AGE, MtaStsComposition, PublishedSts, TESTING_MAX_AGE, compose_mta_sts,
    compose_mta_sts_for,
};
pub use fetch::{
    ENV_EXTRA_CA, ENV_HTTPS_PORT, FetchError, HttpsConfig, MAX_POLICY_BYTES, fetch_policy,
    read_ca_file,
};
pub use policy::{MAX_AGE_LIMIT, StsMode, StsPolicy, StsPolicyError};
pub(crate) use record_findings::{MTA_STS, TLS_RPT, record_finding};
pub use records::{StsRecordError, parse_sts_record, parse_tls_rpt_record};
pub use setup::MtaStsSetup;
