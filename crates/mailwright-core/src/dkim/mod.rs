//! DKIM: generating and importing keys, keeping them in the keychain, composing the record to
//! publish, reading published records, proving that signatures verify, hosted providers,
//! rotation and mail-server configuration.

mod check;
mod create;
mod error;
pub(crate) mod findings;
mod key_file;
mod key_record;
mod keychain;
mod keygen;
mod mta_config;
mod overview;
mod proof;
mod providers;
mod rotation;
mod selector;
mod setup;
mod summary;

pub use check::{DkimCheck, DkimCheckReport, check_selector};
pub use create::{
    CreatedKey, KeyOutcome, KeygenStage, KeysMade, NewKey, create_key, create_keys,
    ed25519_companion, keep_imported,
};
pub use error::DkimError;
pub use key_file::{
    PemFormat, export_private_key, import_private_key, private_key_pem, read_private_key_pem,
};
pub use key_record::{DkimKeyRecord, DkimRecordError, KeyType};
pub use keychain::{delete_key, key_account, load_key, load_system_key, store_key};
pub use keygen::{DkimKeyPair, KeyAlgorithm, generate_key};
pub use mta_config::{MtaSnippet, ServerPathError, mta_snippets};
pub use overview::{DkimOverview, key_file_name, overview};
pub use proof::{Verdict, sign_message, sign_sample, verify_with_record};
pub use providers::{
    DkimProvider, ProviderCheckReport, ProviderRecord, ProviderRecordTemplate, check_provider,
    dkim_provider, dkim_providers, known_dkim_provider,
};
pub use rotation::{
    DEFAULT_KEEP_DAYS, REMOVE_AFTER_REVOKE_DAYS, Rotation, RotationError, RotationStage,
    RotationStatus, RotationStep,
};
pub use selector::{SelectorUse, guard_selector, selector_use, suggest_selector};
pub use setup::{DkimSetup, DkimSigner};
pub use summary::{KeySummary, key_warnings};
