//! The sending IP's reputation basics, for own servers and dedicated IPs: reverse DNS
//! (forward-confirmed, not a dynamic pool's name), the server's own name, and the blocklists
//! (RFC 5782), asked honestly.

mod blocklists;
mod check;
mod dqs_key;
mod ehlo;
mod ptr;

pub use blocklists::{
    Blocklist, DEADLINE, ListKind, ListVerdict, Listing, blocklists, check_blocklists, is_dqs_key,
    with_dqs_key,
};
pub use check::{ReputationCheck, ReputationRequest, check_reputation};
pub use dqs_key::{DqsKeyError, load_dqs_key, save_dqs_key};
pub use ehlo::{EhloCheck, check_ehlo, greeting_name};
pub use ptr::{PtrCheck, check_ptr, looks_generic};
