//! The sending IP's reputation basics, for own servers and dedicated IPs: reverse DNS
//! (forward-confirmed, not a dynamic pool's name) and the blocklists (RFC 5782), asked honestly.

mod blocklists;
mod ptr;

pub use blocklists::{
    Blocklist, DEADLINE, ListKind, ListVerdict, Listing, blocklists, check_blocklists,
};
pub use ptr::{PtrCheck, check_ptr, looks_generic};
