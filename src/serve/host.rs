//! Which `Host` a request may name. The preview answers only for its own address and for the
//! loopback names, so a page on another site whose DNS name is rebound to 127.0.0.1 (DNS
//! rebinding) cannot read the preview or its event stream, which carries source lines.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::{Request, header};

/// The hosts this server answers for: `localhost`, any loopback address and the address it is
/// bound to, each with the bound port (a missing port means 80, as in a URL).
#[derive(Debug, Clone, Copy)]
pub struct AllowedHosts {
    bound: SocketAddr,
}

impl AllowedHosts {
    pub fn new(bound: SocketAddr) -> AllowedHosts {
        AllowedHosts { bound }
    }

    /// Whether `req` is for this server: its `Host` header, and the authority of an
    /// absolute-form request target if it has one, name an allowed host.
    pub fn allow<B>(&self, req: &Request<B>) -> bool {
        let Some(host) = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
        else {
            return false;
        };
        self.allows(host)
            && req
                .uri()
                .authority()
                .is_none_or(|authority| self.allows(authority.as_str()))
    }

    /// Whether a `Host` value (`name[:port]`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        port.unwrap_or(80) == self.bound.port() && self.names(name)
    }

    fn names(&self, name: &str) -> bool {
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        // Bound to every interface (`-n 0.0.0.0`), the preview is reached by whichever of the
        // machine's addresses the reader types. An address, unlike a DNS name, cannot be
        // rebound, so every literal address is as safe as the bound one.
        ip.is_loopback() || ip == self.bound.ip() || self.bound.ip().is_unspecified()
    }

    /// The short text a refused request gets.
    pub fn refusal(&self) -> String {
        let port = self.bound.port();
        let mut names = format!("localhost:{port}, 127.0.0.1:{port} or [::1]:{port}");
        if !self.bound.ip().is_loopback() {
            names = format!("{}, {names}", self.bound);
        }
        format!("misdirected request: this guidebook preview answers only requests for {names}\n")
    }
}

/// `name[:port]` split into its name (without the brackets of an IPv6 address) and port.
/// `None` for anything else (an empty name, a bad port, a bare IPv6 address).
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (name, after) = rest.split_once(']')?;
            name.parse::<Ipv6Addr>().ok()?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':')?),
            };
            (name, port)
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port = match port {
        Some(port) => Some(port.parse().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bound: &str) -> AllowedHosts {
        AllowedHosts::new(bound.parse().unwrap())
    }

    #[test]
    fn loopback_names_with_the_port_are_allowed() {
        let local = hosts("127.0.0.1:3000");
        for ok in [
            "localhost:3000",
            "LocalHost:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:3000",
            "evil.example",
            "localhost:3001",
            "localhost",
            "127.0.0.1",
            "localhost.evil.example:3000",
            "127.0.0.1.nip.io:3000",
            "::1:3000",
            "[::1]3000",
            "[evil]:3000",
            "localhost:3000:3000",
            "localhost:",
            ":3000",
            "",
            "192.168.1.5:3000",
        ] {
            assert!(!local.allows(refused), "{refused}");
        }
    }

    #[test]
    fn the_bound_address_is_allowed_too() {
        let lan = hosts("192.168.1.5:3000");
        assert!(lan.allows("192.168.1.5:3000"));
        assert!(lan.allows("localhost:3000"));
        assert!(!lan.allows("192.168.1.6:3000"));
        assert!(!lan.allows("mybox.local:3000"));
        let v6 = hosts("[fd00::5]:3000");
        assert!(v6.allows("[fd00::5]:3000"));
        assert!(!v6.allows("[fd00::6]:3000"));
        // Every interface: any address, never a name other than localhost.
        let all = hosts("0.0.0.0:3000");
        assert!(all.allows("192.168.1.5:3000") && all.allows("[fd00::5]:3000"));
        assert!(!all.allows("evil.example:3000"));
    }

    #[test]
    fn port_80_may_be_left_out() {
        let web = hosts("127.0.0.1:80");
        assert!(web.allows("localhost") && web.allows("localhost:80"));
        assert!(!web.allows("evil.example"));
    }

    #[test]
    fn an_absolute_target_must_name_an_allowed_host_too() {
        let local = hosts("127.0.0.1:3000");
        let request = |uri: &str, host: Option<&str>| {
            let mut r = Request::builder().uri(uri);
            if let Some(h) = host {
                r = r.header(header::HOST, h);
            }
            r.body(()).unwrap()
        };
        assert!(local.allow(&request("/", Some("localhost:3000"))));
        assert!(!local.allow(&request("/", None)));
        assert!(!local.allow(&request("/", Some("evil.example:3000"))));
        assert!(!local.allow(&request(
            "http://evil.example:3000/",
            Some("localhost:3000")
        )));
        assert!(local.allow(&request("http://127.0.0.1:3000/", Some("localhost:3000"))));
    }
}
