//! A private Postfix + Dovecot SASL instance on 127.0.0.1 for the real-server suite
//! (shared/reference/real-servers.md): its own config, queue and data directories under a
//! temporary directory; every listener on loopback; every transport `discard`, so no mail can
//! leave the machine, except mail to `inbox.test`, which Postfix's `virtual` agent delivers to a
//! Maildir (as a receiving MX would), for the message check to read. Needs root and the Debian packages `postfix` and `dovecot-core`
//! (installed by `cargo xtask test`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mailwright_e2e::{free_port, run_logged};

/// The user the instance accepts, and its password.
pub const USER: &str = "tester@mail.test";
/// The password of [`USER`].
pub const PASSWORD: &str = "real-server test password 7f3a";
/// The name on the server certificate.
pub const NAME: &str = "mail.test";
/// The domain Postfix delivers locally (to [`MailServers::delivered`]).
pub const INBOX_DOMAIN: &str = "inbox.test";

/// A running instance; stopped and removed when dropped.
pub struct MailServers {
    dir: tempfile::TempDir,
    /// Where mail to `inbox.test` is delivered: `<maildir>/inbox/new/`.
    maildir: tempfile::TempDir,
    /// Dovecot LMTP's mailboxes (kept until the instance is dropped).
    homes: tempfile::TempDir,
    /// Dovecot's LMTP port: mail to `full.test` goes there, into a mailbox over its quota.
    lmtp: u16,
    /// STARTTLS required, AUTH only inside TLS (587 style).
    pub submission: u16,
    /// Implicit TLS (465 style).
    pub submissions: u16,
    /// Port-25 style: STARTTLS offered, relaying refused to strangers.
    pub smtp: u16,
    /// A deliberately open relay, the classic way: a `mynetworks` that trusts every local
    /// client (every transport discards, so nothing leaves).
    pub open_relay: u16,
    /// TLS 1.0/1.1 only.
    pub legacy: u16,
    /// A receiving server that refuses `nobody@gone.test` as an unknown user (550 5.1.1): mail
    /// sent to `gone.test` is relayed to it, so Postfix itself writes the bounce.
    pub rejecting: u16,
    /// The test CA (PEM file) that issued the server certificate.
    pub ca_file: PathBuf,
}

/// The `postfix` user's uid (`-u`) or gid (`-g`).
fn id(which: &str) -> String {
    let out = Command::new("id")
        .args([which, "postfix"])
        .output()
        .expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl MailServers {
    /// Writes the configuration, starts Dovecot and Postfix, and waits for every listener.
    pub fn start() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("mailwright-postfix")
            .tempdir()
            .unwrap();
        let d = dir.path();
        // Postfix refuses directories other users can write to; the temp dir is 0700 and root's.
        for sub in ["config", "queue", "data", "dovecot", "dovecot-state"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        run_logged(
            Command::new("chown").args(["postfix", d.join("data").to_str().unwrap()]),
            &d.join("setup.log"),
        );

        let ca = mailwright_testkit_ca();
        let (certificate, key, ca_pem) = ca;
        std::fs::write(d.join("cert.pem"), certificate).unwrap();
        std::fs::write(d.join("key.pem"), key).unwrap();
        std::fs::write(d.join("ca.pem"), ca_pem).unwrap();

        std::fs::write(d.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        // Dovecot LMTP's mailboxes (2 KiB of quota each), written as `nobody`.
        let homes = tempfile::Builder::new()
            .prefix("mailwright-lmtp")
            .tempdir()
            .unwrap();
        run_logged(
            Command::new("chmod").args(["777", homes.path().to_str().unwrap()]),
            &d.join("setup.log"),
        );
        let lmtp = free_port();
        let auth_socket = d.join("dovecot/auth-postfix");
        std::fs::write(
            d.join("dovecot.conf"),
            format!(
                "protocols = lmtp\n\
                 base_dir = {base}\n\
                 state_dir = {state}\n\
                 log_path = {log}\n\
                 auth_mechanisms = plain login\n\
                 ssl = no\n\
                 postmaster_address = postmaster@{NAME}\n\
                 mail_location = maildir:~/Maildir\n\
                 mail_plugins = quota\n\
                 plugin {{\n  quota = maildir:User quota\n  quota_rule = *:storage=2K\n}}\n\
                 passdb {{\n  driver = passwd-file\n  args = {users}\n}}\n\
                 userdb {{\n  driver = static\n  args = uid=nobody gid=nogroup home={homes}/%n allow_all_users=yes\n}}\n\
                 service auth {{\n  unix_listener auth-postfix {{\n    mode = 0666\n  }}\n}}\n\
                 service lmtp {{\n  unix_listener lmtp {{\n    mode = 0600\n  }}\n  inet_listener lmtp {{\n    address = 127.0.0.1\n    port = {lmtp}\n  }}\n}}\n",
                base = d.join("dovecot").display(),
                state = d.join("dovecot-state").display(),
                log = d.join("dovecot.log").display(),
                users = d.join("users").display(),
                homes = homes.path().display(),
                lmtp = lmtp,
            ),
        )
        .unwrap();

        // The Maildir, outside the 0700 directory: the virtual agent writes it as `postfix`.
        let maildir = tempfile::Builder::new()
            .prefix("mailwright-maildir")
            .tempdir()
            .unwrap();
        std::fs::create_dir_all(maildir.path().join("inbox")).unwrap();
        let log = d.join("setup.log");
        run_logged(
            Command::new("chmod").args(["755", maildir.path().to_str().unwrap()]),
            &log,
        );
        run_logged(
            Command::new("chown").args(["-R", "postfix:", maildir.path().to_str().unwrap()]),
            &log,
        );
        let servers = MailServers {
            maildir,
            homes,
            lmtp,
            submission: free_port(),
            submissions: free_port(),
            smtp: free_port(),
            open_relay: free_port(),
            legacy: free_port(),
            rejecting: free_port(),
            ca_file: d.join("ca.pem"),
            dir,
        };
        servers.write_postfix_config(&auth_socket);
        let d = servers.dir.path();
        let log = d.join("setup.log");
        run_logged(
            Command::new("dovecot").args(["-c", d.join("dovecot.conf").to_str().unwrap()]),
            &log,
        );
        let config = d.join("config");
        run_logged(
            Command::new("postfix").args(["-c", config.to_str().unwrap(), "check"]),
            &log,
        );
        run_logged(
            Command::new("postfix").args(["-c", config.to_str().unwrap(), "start"]),
            &log,
        );
        servers.wait_for_listeners();
        servers
    }

    fn write_postfix_config(&self, auth_socket: &Path) {
        let d = self.dir.path();
        let main = format!(
            "compatibility_level = 3.6\n\
             queue_directory = {queue}\n\
             data_directory = {data}\n\
             maillog_file = {d}/maillog\n\
             maillog_file_prefixes = {d}\n\
             myhostname = {NAME}\n\
             mydomain = {NAME}\n\
             myorigin = {NAME}\n\
             mydestination =\n\
             inet_interfaces = 127.0.0.1\n\
             inet_protocols = ipv4\n\
             mynetworks = 127.0.0.1/32\n\
             relayhost =\n\
             default_transport = discard\n\
             relay_transport = discard\n\
             local_transport = discard\n\
             virtual_transport = virtual\n\
             virtual_mailbox_domains = {INBOX_DOMAIN}\n\
             virtual_mailbox_base = {maildir}\n\
             virtual_mailbox_maps = static:inbox/\n\
             virtual_uid_maps = static:{uid}\n\
             virtual_gid_maps = static:{gid}\n\
             virtual_minimum_uid = 1\n\
             smtpd_tls_received_header = yes\n\
             alias_maps =\n\
             alias_database =\n\
             local_recipient_maps =\n\
             smtpd_sasl_type = dovecot\n\
             smtpd_sasl_path = {socket}\n\
             smtpd_tls_cert_file = {d}/cert.pem\n\
             smtpd_tls_key_file = {d}/key.pem\n\
             smtpd_tls_security_level = may\n\
             smtpd_tls_auth_only = yes\n\
             smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination\n\
             smtpd_recipient_restrictions =\n\
             transport_maps = texthash:{d}/config/transport\n\
             unknown_users = check_recipient_access texthash:{d}/config/unknown_users\n",
            queue = d.join("queue").display(),
            data = d.join("data").display(),
            d = d.display(),
            socket = auth_socket.display(),
            maildir = self.maildir.path().display(),
            uid = id("-u"),
            gid = id("-g"),
        );
        let legacy = "-o smtpd_tls_security_level=encrypt -o smtpd_tls_protocols=>=TLSv1,<=TLSv1.1 \
                      -o smtpd_tls_mandatory_protocols=>=TLSv1,<=TLSv1.1 \
                      -o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0 -o smtpd_tls_mandatory_ciphers=medium";
        let master = format!(
            "127.0.0.1:{submission} inet n - n - - smtpd -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes\n\
             127.0.0.1:{submissions} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes\n\
             127.0.0.1:{smtp} inet n - n - - smtpd\n\
             127.0.0.1:{open} inet n - n - - smtpd -o mynetworks=127.0.0.0/8 -o smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination\n\
             127.0.0.1:{legacy_port} inet n - n - - smtpd {legacy}\n\
             127.0.0.1:{rejecting} inet n - n - - smtpd -o smtpd_recipient_restrictions=$unknown_users -o smtpd_relay_restrictions=permit_mynetworks,reject\n\
             smtp unix - - n - - smtp\n\
             lmtp unix - - n - - lmtp\n\
             pickup unix n - n 60 1 pickup\n\
             cleanup unix n - n - 0 cleanup\n\
             qmgr unix n - n 300 1 qmgr\n\
             tlsmgr unix - - n 1000? 1 tlsmgr\n\
             rewrite unix - - n - - trivial-rewrite\n\
             bounce unix - - n - 0 bounce\n\
             defer unix - - n - 0 bounce\n\
             trace unix - - n - 0 bounce\n\
             verify unix - - n - 1 verify\n\
             flush unix n - n 1000? 0 flush\n\
             proxymap unix - - n - - proxymap\n\
             showq unix n - n - - showq\n\
             error unix - - n - - error\n\
             retry unix - - n - - error\n\
             discard unix - - n - - discard\n\
             virtual unix - n n - - virtual\n\
             anvil unix - - n - 1 anvil\n\
             scache unix - - n - 1 scache\n\
             postlog unix-dgram n - n - 1 postlogd\n",
            submission = self.submission,
            submissions = self.submissions,
            smtp = self.smtp,
            open = self.open_relay,
            legacy_port = self.legacy,
            rejecting = self.rejecting,
        );
        // Mail to gone.test goes to the rejecting listener (an unknown user there); mail to
        // full.test to Dovecot's LMTP, whose mailboxes hold 2 KiB (over quota). Postfix bounces
        // both to the sender.
        std::fs::write(
            d.join("config/transport"),
            format!(
                "gone.test smtp:[127.0.0.1]:{}\nfull.test lmtp:inet:127.0.0.1:{}\n",
                self.rejecting, self.lmtp
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("config/unknown_users"),
            "nobody@gone.test 550 5.1.1 User unknown\n",
        )
        .unwrap();
        std::fs::write(d.join("config/main.cf"), main).unwrap();
        std::fs::write(d.join("config/master.cf"), master).unwrap();
    }

    /// Where mail to `inbox.test` is delivered (a Maildir).
    pub fn inbox(&self) -> PathBuf {
        self.maildir.path().join("inbox")
    }

    /// The messages delivered to `inbox.test` once there are `count`, waiting up to `within`.
    pub fn delivered_all(&self, count: usize, within: Duration) -> Vec<Vec<u8>> {
        let new = self.inbox().join("new");
        let deadline = Instant::now() + within;
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            if files.len() >= count || Instant::now() > deadline {
                files.sort();
                return files.iter().filter_map(|f| std::fs::read(f).ok()).collect();
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The first message delivered to `inbox.test`, waiting up to `within` for it.
    pub fn delivered(&self, within: Duration) -> Option<Vec<u8>> {
        let new = self.maildir.path().join("inbox/new");
        let deadline = Instant::now() + within;
        loop {
            if let Some(file) = std::fs::read_dir(&new)
                .ok()
                .and_then(|mut entries| entries.next())
                .and_then(Result::ok)
            {
                return std::fs::read(file.path()).ok();
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn wait_for_listeners(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        for port in [
            self.submission,
            self.submissions,
            self.smtp,
            self.open_relay,
            self.legacy,
            self.rejecting,
            self.lmtp,
        ] {
            loop {
                let out = Command::new("ss")
                    .args(["-Hltn", &format!("sport = :{port}")])
                    .output()
                    .expect("ss runs");
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                if !text.trim().is_empty() {
                    assert!(
                        text.contains("127.0.0.1:"),
                        "port {port} must listen on loopback only: {text}"
                    );
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "Postfix did not listen on {port}: {}",
                    self.log()
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }

    /// The instance's logs, for failure messages.
    pub fn log(&self) -> String {
        ["setup.log", "maillog", "dovecot.log"]
            .iter()
            .map(|f| std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for MailServers {
    fn drop(&mut self) {
        let d = self.dir.path();
        for (program, args) in [
            (
                "postfix",
                ["-c", d.join("config").to_str().unwrap(), "stop"],
            ),
            (
                "doveadm",
                ["-c", d.join("dovecot.conf").to_str().unwrap(), "stop"],
            ),
        ] {
            let _ = Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// A server certificate for [`NAME`] and `127.0.0.1` from a fresh test CA: (cert, key, CA) PEM.
fn mailwright_testkit_ca() -> (String, String, String) {
    let ca = mailwright_testkit::TestCa::new("Mailwright real-server test CA");
    let issued = ca.issue(&[NAME, "127.0.0.1"], false);
    (issued.pem.clone(), issued.key_pem.clone(), ca.pem())
}
