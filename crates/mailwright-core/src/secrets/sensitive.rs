//! `Sensitive<T>`: redacted `Debug`, no `Display`, zeroized on drop.

use zeroize::{Zeroize, Zeroizing};

/// A secret value. Its `Debug` output is `Sensitive(<redacted>)`, it has no `Display`, and its
/// memory is wiped when dropped; read it only through [`Sensitive::expose`].
pub struct Sensitive<T: Zeroize>(Zeroizing<T>);

impl<T: Zeroize> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Sensitive(Zeroizing::new(value))
    }

    /// The secret itself; keep the borrow short and never log it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize + Clone> Clone for Sensitive<T> {
    fn clone(&self) -> Self {
        Sensitive::new(self.expose().clone())
    }
}

impl<T: Zeroize> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret() {
        let secret = Sensitive::new(b"hunter2-private-key".to_vec());
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted"));
        assert_eq!(secret.expose(), b"hunter2-private-key");
    }
}
