//! A private Dovecot IMAP server on 127.0.0.1 for the report mailbox tests: TLS from the first
//! byte on one port, STARTTLS on another (`ssl = required`: no sign-in without TLS), a server
//! certificate from a fresh test CA, one user whose Maildir the test fills as a receiver's
//! reports would arrive. Needs root and the Debian packages `dovecot-core` and `dovecot-imapd`
//! (installed by `cargo xtask test`).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mailwright_e2e::{free_port, run_logged};

/// The mailbox user.
pub const USER: &str = "dmarc@mail.test";
/// Its password.
pub const PASSWORD: &str = "report mailbox password 51c9";
/// The name on the server certificate.
pub const NAME: &str = "mail.test";

/// A running Dovecot; stopped and removed when dropped.
pub struct ImapServer {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
    /// Implicit TLS (993 style).
    pub imaps: u16,
    /// STARTTLS (143 style).
    pub imap: u16,
    /// The test CA (PEM file) that issued the server certificate.
    pub ca_file: PathBuf,
    delivered: std::cell::Cell<u32>,
}

impl ImapServer {
    /// Writes the configuration, starts Dovecot and waits for both listeners.
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("mailwright-imap")
            .tempdir()
            .unwrap();
        let d = dir.path();
        let log = d.join("setup.log");
        run_logged(
            Command::new("chmod").args(["755", d.to_str().unwrap()]),
            &log,
        );
        for sub in ["run", "state"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        let ca = mailwright_testkit::TestCa::new("Mailwright IMAP test CA");
        let issued = ca.issue(&[NAME, "127.0.0.1"], false);
        std::fs::write(d.join("cert.pem"), &issued.pem).unwrap();
        std::fs::write(d.join("key.pem"), &issued.key_pem).unwrap();
        std::fs::write(d.join("ca.pem"), ca.pem()).unwrap();
        std::fs::write(d.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();

        // The mail home, written by the mail processes as `nobody`.
        let home = tempfile::Builder::new()
            .prefix("mailwright-imap-home")
            .tempdir()
            .unwrap();
        for folder in ["Maildir/new", "Maildir/cur", "Maildir/tmp"] {
            std::fs::create_dir_all(home.path().join(folder)).unwrap();
        }
        run_logged(
            Command::new("chown").args(["-R", "nobody:nogroup", home.path().to_str().unwrap()]),
            &log,
        );
        let (imaps, imap) = (free_port(), free_port());
        std::fs::write(
            d.join("dovecot.conf"),
            format!(
                "protocols = imap\n\
                 listen = 127.0.0.1\n\
                 base_dir = {run}\n\
                 state_dir = {state}\n\
                 log_path = {log}\n\
                 ssl = required\n\
                 ssl_cert = <{cert}\n\
                 ssl_key = <{key}\n\
                 disable_plaintext_auth = yes\n\
                 auth_mechanisms = plain login\n\
                 mail_location = maildir:{home}/Maildir\n\
                 passdb {{\n  driver = passwd-file\n  args = {users}\n}}\n\
                 userdb {{\n  driver = static\n  args = uid=nobody gid=nogroup home={home}\n}}\n\
                 service imap-login {{\n  inet_listener imap {{\n    port = {imap}\n  }}\n  inet_listener imaps {{\n    port = {imaps}\n    ssl = yes\n  }}\n}}\n\
                 service stats {{\n  unix_listener stats-writer {{\n    mode = 0666\n  }}\n}}\n",
                run = d.join("run").display(),
                state = d.join("state").display(),
                log = d.join("dovecot.log").display(),
                cert = d.join("cert.pem").display(),
                key = d.join("key.pem").display(),
                users = d.join("users").display(),
                home = home.path().display(),
            ),
        )
        .unwrap();
        run_logged(
            Command::new("dovecot").args(["-c", d.join("dovecot.conf").to_str().unwrap()]),
            &log,
        );
        let server = ImapServer {
            ca_file: d.join("ca.pem"),
            dir,
            home,
            imaps,
            imap,
            delivered: std::cell::Cell::new(0),
        };
        server.wait_for_listeners();
        server
    }

    /// Puts `message` into the INBOX, as delivery would (a new file in `Maildir/new`).
    pub fn deliver(&self, message: &[u8]) {
        let n = self.delivered.get() + 1;
        self.delivered.set(n);
        let name = format!("1764547200.M{n}P1.mail.test");
        let tmp = self.home.path().join("Maildir/tmp").join(&name);
        std::fs::write(&tmp, message).unwrap();
        let log = self.dir.path().join("setup.log");
        run_logged(
            Command::new("chown").args(["nobody:nogroup", tmp.to_str().unwrap()]),
            &log,
        );
        std::fs::rename(&tmp, self.home.path().join("Maildir/new").join(&name)).unwrap();
    }

    /// How many messages the INBOX holds (new and seen).
    pub fn inbox_count(&self) -> usize {
        self.count("Maildir")
    }

    /// Makes the folder `name` (Maildir++: `Maildir/.name`).
    pub fn create_folder(&self, name: &str) {
        let folder = self.home.path().join(format!("Maildir/.{name}"));
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(folder.join(sub)).unwrap();
        }
        run_logged(
            Command::new("chown").args(["-R", "nobody:nogroup", folder.to_str().unwrap()]),
            &self.dir.path().join("setup.log"),
        );
    }

    /// How many messages the folder `name` holds.
    pub fn folder_count(&self, name: &str) -> usize {
        self.count(&format!("Maildir/.{name}"))
    }

    fn count(&self, maildir: &str) -> usize {
        ["new", "cur"]
            .iter()
            .map(|f| {
                std::fs::read_dir(self.home.path().join(maildir).join(f))
                    .map(|d| d.count())
                    .unwrap_or(0)
            })
            .sum()
    }

    fn wait_for_listeners(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        for port in [self.imaps, self.imap] {
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "Dovecot did not listen on {port}: {}",
                    self.log()
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }

    /// Cuts every open IMAP session at once (kills the `imap` processes, as a crash or a
    /// network failure would); the server goes on accepting new connections.
    pub fn cut_connections(&self) {
        let _ = Command::new("pkill")
            .args(["-KILL", "-x", "imap"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Waits (up to 15 s) until Dovecot's logs contain `needle` at or after byte `from`:
    /// Dovecot writes a connection's line when it ends, after a refused login's delay, so
    /// a test that reads the log right after the client returns may read it too early.
    pub fn wait_for_log(&self, from: usize, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.log().get(from..).unwrap_or("").contains(needle) {
            assert!(
                Instant::now() < deadline,
                "Dovecot never logged {needle:?}: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Dovecot's logs, for failure messages.
    pub fn log(&self) -> String {
        ["setup.log", "dovecot.log"]
            .iter()
            .map(|f| std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        let _ = Command::new("doveadm")
            .args([
                "-c",
                self.dir.path().join("dovecot.conf").to_str().unwrap(),
                "stop",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
