//! DKIM: generating keys, composing the record to publish, and reading published records.

mod key_record;
mod keygen;

pub use key_record::{DkimKeyRecord, DkimRecordError, KeyType};
pub use keygen::{DkimKeyPair, KeyAlgorithm, generate_key};
