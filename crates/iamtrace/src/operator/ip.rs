//! `IpAddress` / `NotIpAddress`: IPv4 and IPv6 CIDR ranges.

use std::net::IpAddr;

/// A network: address and prefix length. An address without `/n` is a
/// single host (`/32` for IPv4, `/128` for IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
        Some(_) => return None,
    };
    (prefix <= max).then_some(Cidr { addr, prefix })
}

pub fn contains(net: Cidr, ip: IpAddr) -> bool {
    match (net.addr, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(net.prefix)).unwrap_or(0);
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(net.prefix)).unwrap_or(0);
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

pub fn matches(policy: &str, request: &str) -> bool {
    let Some(net) = parse_cidr(policy) else { return false };
    match request.trim().parse::<IpAddr>() {
        Ok(ip) => contains(net, ip),
        Err(_) => false,
    }
}

pub fn check(value: &str) -> Result<(), String> {
    parse_cidr(value).map(|_| ()).ok_or_else(|| format!("`{value}` is not an IP address or CIDR range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_and_ipv6_ranges() {
        assert!(matches("203.0.113.0/24", "203.0.113.7"));
        assert!(!matches("203.0.113.0/24", "203.0.114.7"));
        assert!(matches("203.0.113.5", "203.0.113.5"));
        assert!(!matches("203.0.113.5", "203.0.113.6"));
        assert!(matches("0.0.0.0/0", "8.8.8.8"));
        assert!(matches("2001:DB8:1234:5678::/64", "2001:db8:1234:5678:abcd::1"));
        assert!(!matches("2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1"));
        assert!(!matches("203.0.113.0/24", "2001:db8::1"));
        assert!(matches("::/0", "::1"));
        assert!(!matches("203.0.113.0/33", "203.0.113.1"));
        assert!(!matches("203.0.113.0/24", "not-an-ip"));
    }
}
