//! A local HTTPS server for MTA-STS policy tests: its own CA (rcgen), a certificate for the
//! given names, and scripted answers by `Host` — a policy, a 404 or a redirect.

use std::net::SocketAddr;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::test_ca::{TestCa, server_config};

/// A running policy server; it stops when dropped.
pub struct PolicyServer {
    addr: SocketAddr,
    ca: CertificateDer<'static>,
    ca_pem: String,
    task: JoinHandle<()>,
}

impl Drop for PolicyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl PolicyServer {
    /// Serves `policies` (host, body) as `text/plain`; any host starting with `redirect.` or
    /// `mta-sts.redirect.` gets a 301, every other host a 404. The certificate covers `names`.
    pub async fn start(names: Vec<String>, policies: Vec<(String, String)>) -> Self {
        let ca = TestCa::new("Mailwright test CA");
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let config = server_config(&ca.issue(&names, false));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let policies = Arc::new(policies);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let policies = policies.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut request = Vec::new();
                    let mut buffer = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 8192 {
                        match tls.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&request);
                    let host = text
                        .lines()
                        .find_map(|l| {
                            l.strip_prefix("host: ")
                                .or_else(|| l.strip_prefix("Host: "))
                        })
                        .unwrap_or_default()
                        .trim()
                        .to_owned();
                    let response = match policies.iter().find(|(h, _)| *h == host) {
                        Some((_, body)) => format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        ),
                        None if host.starts_with("mta-sts.redirect.") => "HTTP/1.1 301 Moved Permanently\r\nlocation: https://www.example.net/mta-sts.txt\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned(),
                        None => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned(),
                    };
                    let _ = tls.write_all(response.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        PolicyServer {
            addr,
            ca: ca.der(),
            ca_pem: ca.pem(),
            task,
        }
    }

    /// The server's address (127.0.0.1 and a free port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The test CA's certificate in PEM form, for `--ca FILE`.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The test CA's certificate, to trust explicitly.
    pub fn ca(&self) -> CertificateDer<'static> {
        self.ca.clone()
    }
}
