//! A real, in-process authoritative DNS server (hickory-server) on 127.0.0.1 at an ephemeral
//! port, serving zones from zone-file text, with injectable latency, SERVFAIL and dropped queries.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_proto::op::{Header, HeaderCounts, ResponseCode};
use hickory_proto::rr::{LowerName, Name, Record, RecordType};
use hickory_proto::serialize::txt::Parser;
use hickory_server::Server;
use hickory_server::net::runtime::{Time, TokioRuntimeProvider};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, MessageResponseBuilder, ZoneType};
use tokio::net::{TcpListener, UdpSocket};

/// One zone: its origin and its records in zone-file syntax (relative names allowed). An SOA is
/// added, so the text holds only the records a test cares about. Lines are trimmed, so every
/// record must name its owner (`@` for the apex).
#[derive(Clone, Debug)]
pub struct Zone {
    origin: String,
    records: String,
    built: Vec<Record>,
}

impl Zone {
    /// A zone for `origin` (e.g. `example.com`) with `records` in zone-file syntax.
    pub fn new(origin: &str, records: &str) -> Self {
        let records = records
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n");
        Zone {
            origin: origin.trim_end_matches('.').to_owned(),
            records,
            built: Vec::new(),
        }
    }

    /// The root zone holding `records` as built, for names no zone file can write (spaces, `%`,
    /// any byte) such as the SPF conformance suite's.
    pub fn root_with(records: Vec<Record>) -> Self {
        Zone {
            origin: String::new(),
            records: String::new(),
            built: records,
        }
    }

    fn handler(&self) -> InMemoryZoneHandler<TokioRuntimeProvider> {
        let origin = Name::from_ascii(format!("{}.", self.origin)).expect("a valid zone origin");
        let soa_owner = if self.origin.is_empty() { "." } else { "@" };
        let text = format!(
            "$TTL 300\n{soa_owner} IN SOA ns1.test. hostmaster.test. 1 7200 3600 1209600 300\n{}\n",
            self.records
        );
        let (origin, records) = Parser::new(text, None, Some(origin))
            .parse()
            .unwrap_or_else(|e| panic!("zone {} does not parse: {e}", self.origin));
        let mut handler =
            InMemoryZoneHandler::new(origin, records, ZoneType::Primary, AxfrPolicy::Deny)
                .unwrap_or_else(|e| panic!("zone {} is not valid: {e}", self.origin));
        for record in &self.built {
            handler.upsert_mut(record.clone(), 1);
        }
        handler
    }
}

/// Faults to inject; names are lower-case without the trailing dot.
#[derive(Default)]
struct Faults {
    latency: Mutex<Duration>,
    servfail: Mutex<HashSet<String>>,
    dropped: Mutex<HashSet<String>>,
    drop_all: Mutex<bool>,
    /// Names whose queries are never answered, except for the listed types.
    dropped_except: Mutex<std::collections::HashMap<String, Vec<RecordType>>>,
    /// Names answered NXDOMAIN for their next N queries (a record not yet published).
    hidden: Mutex<std::collections::HashMap<String, usize>>,
}

struct FaultyCatalog {
    catalog: Catalog,
    faults: Arc<Faults>,
    queries: Arc<AtomicUsize>,
}

#[async_trait::async_trait]
impl RequestHandler for FaultyCatalog {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        self.queries.fetch_add(1, Ordering::SeqCst);
        let name = request
            .queries
            .queries()
            .first()
            .map(|q| {
                q.name()
                    .to_string()
                    .trim_end_matches('.')
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let latency = *self.faults.latency.lock().unwrap();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let rtype = request.queries.queries().first().map(|q| q.query_type());
        let dropped = *self.faults.drop_all.lock().unwrap()
            || self.faults.dropped.lock().unwrap().contains(&name)
            || self
                .faults
                .dropped_except
                .lock()
                .unwrap()
                .get(&name)
                .is_some_and(|kept| rtype.is_none_or(|t| !kept.contains(&t)));
        if dropped {
            let mut metadata = request.metadata;
            metadata.response_code = ResponseCode::ServFail;
            return ResponseInfo::from(Header {
                metadata,
                counts: HeaderCounts::default(),
            });
        }
        let hidden = {
            let mut hidden = self.faults.hidden.lock().unwrap();
            match hidden.get_mut(&name) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    true
                }
                _ => false,
            }
        };
        if hidden {
            let response = MessageResponseBuilder::new(&request.queries, None)
                .error_msg(&request.metadata, ResponseCode::NXDomain);
            return match response_handle.send_response(response).await {
                Ok(info) => info,
                Err(e) => panic!("test DNS server could not send NXDOMAIN: {e}"),
            };
        }
        if self.faults.servfail.lock().unwrap().contains(&name) {
            let response = MessageResponseBuilder::new(&request.queries, None)
                .error_msg(&request.metadata, ResponseCode::ServFail);
            return match response_handle.send_response(response).await {
                Ok(info) => info,
                Err(e) => panic!("test DNS server could not send SERVFAIL: {e}"),
            };
        }
        self.catalog
            .handle_request::<R, T>(request, response_handle)
            .await
    }
}

/// A running test DNS server; it stops when dropped.
pub struct TestDns {
    addr: SocketAddr,
    faults: Arc<Faults>,
    queries: Arc<AtomicUsize>,
    server: Option<Server<FaultyCatalog>>,
}

impl TestDns {
    /// Starts a server for `zones` on 127.0.0.1 (UDP and TCP on the same ephemeral port).
    /// A root zone is always added, so names outside the given zones get NXDOMAIN, as on the
    /// real Internet, rather than REFUSED.
    pub async fn start(zones: &[Zone]) -> TestDns {
        let mut catalog = Catalog::new();
        let mut all = zones.to_vec();
        if !all.iter().any(|z| z.origin.is_empty()) {
            all.push(Zone::new("", ""));
        }
        for zone in &all {
            let handler = zone.handler();
            let origin = Name::from_ascii(format!("{}.", zone.origin)).unwrap();
            catalog.upsert(LowerName::new(&origin), vec![Arc::new(handler)]);
        }
        let faults = Arc::new(Faults::default());
        let queries = Arc::new(AtomicUsize::new(0));
        let handler = FaultyCatalog {
            catalog,
            faults: faults.clone(),
            queries: queries.clone(),
        };
        // Bind UDP first on an ephemeral port, then TCP on the same port (retry if taken).
        let (udp, tcp) = loop {
            let udp = UdpSocket::bind("127.0.0.1:0")
                .await
                .expect("bind UDP on loopback");
            let port = udp.local_addr().unwrap().port();
            if let Ok(tcp) = TcpListener::bind(("127.0.0.1", port)).await {
                break (udp, tcp);
            }
        };
        let addr = udp.local_addr().unwrap();
        let mut server = Server::new(handler);
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 4096);
        TestDns {
            addr,
            faults,
            queries,
            server: Some(server),
        }
    }

    /// The address to give the resolver (`127.0.0.1:PORT`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Delays every answer by `latency`.
    pub fn set_latency(&self, latency: Duration) {
        *self.faults.latency.lock().unwrap() = latency;
    }

    /// Answers SERVFAIL for queries about `name`.
    pub fn servfail(&self, name: &str) {
        self.faults.servfail.lock().unwrap().insert(normalize(name));
    }

    /// Never answers queries about `name`.
    pub fn drop_queries(&self, name: &str) {
        self.faults.dropped.lock().unwrap().insert(normalize(name));
    }

    /// Never answers queries about `name` except those for the `answered` types: a server that
    /// times out for some types only.
    pub fn drop_queries_except(&self, name: &str, answered: &[RecordType]) {
        self.faults
            .dropped_except
            .lock()
            .unwrap()
            .insert(normalize(name), answered.to_vec());
    }

    /// Answers NXDOMAIN for the next `queries` queries about `name`, then the zone's records:
    /// a record that appears after a few polls.
    pub fn hide_for(&self, name: &str, queries: usize) {
        self.faults
            .hidden
            .lock()
            .unwrap()
            .insert(normalize(name), queries);
    }

    /// Never answers any query.
    pub fn drop_all(&self) {
        *self.faults.drop_all.lock().unwrap() = true;
    }

    /// How many queries have arrived so far (answered or not).
    pub fn queries(&self) -> usize {
        self.queries.load(Ordering::SeqCst)
    }
}

impl Drop for TestDns {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown_token().cancel();
        }
    }
}

fn normalize(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// An address on loopback where a UDP socket is bound but nothing ever answers: a DNS server
/// that is "unreachable". Keep the returned socket alive for as long as the address is used.
pub fn silent_dns_server() -> (std::net::UdpSocket, SocketAddr) {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind UDP on loopback");
    let addr = socket.local_addr().unwrap();
    (socket, addr)
}
