//! Telling a server that only speaks TLS 1.0/1.1 from one that is simply broken: rustls cannot
//! speak those versions, so after a failed handshake Mailwright sends a minimal TLS 1.1
//! ClientHello (RFC 4346 §7.4.1.2) and reads the version in the ServerHello.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The version a server answered a TLS 1.1 ClientHello with, such as `TLS 1.0`; `None` when it
/// refused it too (or sent something else).
pub(crate) async fn legacy_version<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    server_name: Option<&str>,
    limit: Duration,
) -> Option<&'static str> {
    let exchange = async {
        stream.write_all(&client_hello(server_name)).await.ok()?;
        let mut header = [0u8; 5];
        stream.read_exact(&mut header).await.ok()?;
        let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
        if header[0] != 0x16 || length < 6 {
            return None;
        }
        let mut body = [0u8; 6];
        stream.read_exact(&mut body).await.ok()?;
        // Handshake type 2 (ServerHello), 3-byte length, then server_version.
        (body[0] == 0x02).then_some([body[4], body[5]])
    };
    match tokio::time::timeout(limit, exchange).await.ok().flatten()? {
        [3, 1] => Some("TLS 1.0"),
        [3, 2] => Some("TLS 1.1"),
        [3, 0] => Some("SSL 3.0"),
        _ => None,
    }
}

/// A TLS 1.1 ClientHello offering the usual suites of that era, for RSA and ECDSA certificates.
fn client_hello(server_name: Option<&str>) -> Vec<u8> {
    let mut extensions = Vec::new();
    if let Some(name) = server_name.filter(|n| n.parse::<std::net::IpAddr>().is_err()) {
        let name = name.as_bytes();
        let list_len = name.len() + 3;
        extensions.extend_from_slice(&[0x00, 0x00]);
        extensions.extend_from_slice(&u16_bytes(list_len + 2));
        extensions.extend_from_slice(&u16_bytes(list_len));
        extensions.push(0x00);
        extensions.extend_from_slice(&u16_bytes(name.len()));
        extensions.extend_from_slice(name);
    }
    // supported_groups: secp256r1, secp384r1; ec_point_formats: uncompressed.
    extensions.extend_from_slice(&[0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x18]);
    extensions.extend_from_slice(&[0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);

    let mut hello = vec![0x03, 0x02];
    let mut random = [0u8; 32];
    let _ = getrandom::fill(&mut random);
    hello.extend_from_slice(&random);
    hello.push(0x00); // no session id
    let suites = [
        0xc0, 0x0a, 0xc0, 0x09, // ECDHE_ECDSA with AES-256/128-CBC-SHA
        0xc0, 0x14, 0xc0, 0x13, // ECDHE_RSA with AES-256/128-CBC-SHA
        0x00, 0x35, 0x00, 0x2f, 0x00, 0x0a, // RSA with AES-256/128-CBC-SHA, 3DES
    ];
    hello.extend_from_slice(&u16_bytes(suites.len()));
    hello.extend_from_slice(&suites);
    hello.extend_from_slice(&[0x01, 0x00]); // compression: null
    hello.extend_from_slice(&u16_bytes(extensions.len()));
    hello.extend_from_slice(&extensions);

    let mut handshake = vec![0x01];
    handshake.extend_from_slice(&(hello.len() as u32).to_be_bytes()[1..]);
    handshake.extend_from_slice(&hello);
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend_from_slice(&u16_bytes(handshake.len()));
    record.extend_from_slice(&handshake);
    record
}

fn u16_bytes(n: usize) -> [u8; 2] {
    u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hello_is_a_well_formed_tls_1_1_record() {
        let hello = client_hello(Some("smtp.example.com"));
        assert_eq!(&hello[..3], &[0x16, 0x03, 0x01]);
        assert_eq!(
            usize::from(u16::from_be_bytes([hello[3], hello[4]])),
            hello.len() - 5
        );
        assert_eq!(hello[5], 0x01, "ClientHello");
        assert_eq!(&hello[9..11], &[0x03, 0x02], "client_version TLS 1.1");
        assert!(hello.windows(16).any(|w| w == b"smtp.example.com"));
        assert!(
            !client_hello(Some("127.0.0.1"))
                .windows(9)
                .any(|w| w == b"127.0.0.1")
        );
    }

    #[tokio::test]
    async fn reads_the_server_hello_version_and_refusals() {
        let (mut client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            let mut buf = [0u8; 512];
            let _ = server.read(&mut buf).await;
            server
                .write_all(&[
                    0x16, 0x03, 0x01, 0x00, 0x06, 0x02, 0x00, 0x00, 0x02, 0x03, 0x01,
                ])
                .await
                .unwrap();
        });
        let found = legacy_version(&mut client, None, Duration::from_secs(1)).await;
        assert_eq!(found, Some("TLS 1.0"));
        let (mut client, mut server) = tokio::io::duplex(4096);
        tokio::spawn(async move {
            let mut buf = [0u8; 512];
            let _ = server.read(&mut buf).await;
            // alert: protocol_version
            server
                .write_all(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])
                .await
                .unwrap();
        });
        assert_eq!(
            legacy_version(&mut client, None, Duration::from_secs(1)).await,
            None
        );
    }
}
