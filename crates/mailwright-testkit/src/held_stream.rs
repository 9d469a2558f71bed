//! A server-side TCP stream that can hold back the server's second flight of a TLS 1.2
//! handshake (its ChangeCipherSpec and Finished) for a while, to widen the window between the
//! client judging the certificate and the handshake ending.

use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

/// A [`TcpStream`] whose first write after the client's second flight waits `hold`.
pub struct HeldStream {
    inner: TcpStream,
    hold: Option<Duration>,
    wrote: bool,
    read_after_write: bool,
    sleep: Option<Pin<Box<Sleep>>>,
}

impl HeldStream {
    /// Wraps `inner`; `None` holds nothing back.
    pub fn new(inner: TcpStream, hold: Option<Duration>) -> Self {
        HeldStream {
            inner,
            hold,
            wrote: false,
            read_after_write: false,
            sleep: None,
        }
    }
}

impl AsyncRead for HeldStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before && self.wrote {
            self.read_after_write = true;
        }
        result
    }
}

impl AsyncWrite for HeldStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.wrote && self.read_after_write {
            if let Some(hold) = self.hold.take() {
                self.sleep = Some(Box::pin(tokio::time::sleep(hold)));
            }
            if let Some(sleep) = self.sleep.as_mut() {
                ready!(sleep.as_mut().poll(cx));
                self.sleep = None;
            }
        }
        let result = ready!(Pin::new(&mut self.inner).poll_write(cx, buf));
        if matches!(result, Ok(n) if n > 0) {
            self.wrote = true;
        }
        Poll::Ready(result)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
