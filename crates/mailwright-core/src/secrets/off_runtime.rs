//! Keychain calls block (D-Bus, the macOS and Windows credential APIs), and a keyring that
//! shows an unlock prompt nobody answers can block for ever. Every call from async code goes
//! through [`keychain_call`]: on a blocking thread, within [`KEYCHAIN_TIMEOUT`], and
//! cancellable: when the task that awaits it is stopped, nothing waits for the answer.

use std::time::Duration;

use super::SecretError;

/// How long a keychain call may take before Mailwright stops waiting.
pub const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(20);

/// Runs `call` off the async runtime within [`KEYCHAIN_TIMEOUT`].
pub async fn keychain_call<T: Send + 'static, E: From<SecretError> + Send + 'static>(
    call: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    within(KEYCHAIN_TIMEOUT, call).await
}

/// [`keychain_call`] for code that is not async (the command line): `call` on a thread of its
/// own, given up after [`KEYCHAIN_TIMEOUT`].
pub fn keychain_call_blocking<T: Send + 'static, E: From<SecretError> + Send + 'static>(
    call: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    blocking_within(KEYCHAIN_TIMEOUT, call)
}

fn blocking_within<T: Send + 'static, E: From<SecretError> + Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(call());
    });
    receiver.recv_timeout(limit).unwrap_or_else(|_| {
        Err(SecretError::Failed(format!(
            "it did not answer within {} seconds; a keyring prompt may be waiting for you",
            limit.as_secs()
        ))
        .into())
    })
}

async fn within<T: Send + 'static, E: From<SecretError> + Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(call)).await {
        Ok(Ok(result)) => result,
        Ok(Err(stopped)) => {
            Err(SecretError::Failed(format!("the request stopped: {stopped}")).into())
        }
        Err(_) => Err(SecretError::Failed(format!(
            "it did not answer within {} seconds; a keyring prompt may be waiting for you",
            limit.as_secs()
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_keychain_that_never_answers_is_given_up_on() {
        let started = std::time::Instant::now();
        let result: Result<(), SecretError> = within(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        })
        .await;
        assert!(started.elapsed() < Duration::from_secs(1));
        let message = result.unwrap_err().to_string();
        assert!(message.contains("did not answer"), "{message}");
        assert_eq!(
            within(Duration::from_secs(1), || Ok::<_, SecretError>(7)).await,
            Ok(7)
        );
        let started = std::time::Instant::now();
        let blocked: Result<(), SecretError> = blocking_within(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        });
        assert!(started.elapsed() < Duration::from_secs(1) && blocked.is_err());
    }
}
