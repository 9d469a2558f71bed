//! Who sends as the user's domain: the sender catalog and the user's inventory.

mod catalog;
mod inventory;

pub use catalog::{
    DkimMethod, ReturnPath, Sender, SenderKind, SubdomainAdvice, sender, sender_for_term, senders,
    senders_for,
};
pub use inventory::{Inventory, InventoryError, SenderChoice, own_server_term};
