//! `BinaryEquals`: byte-for-byte comparison of base-64 values.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub fn matches(policy: &str, request: &str) -> bool {
    match (STANDARD.decode(policy.trim()), STANDARD.decode(request.trim())) {
        (Ok(p), Ok(r)) => p == r,
        // A request value that is not base 64 is compared as text.
        _ => policy == request,
    }
}

pub fn check(value: &str) -> Result<(), String> {
    STANDARD.decode(value.trim()).map(|_| ()).map_err(|_| format!("`{value}` is not base-64 encoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_decoded_bytes() {
        assert!(matches("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="));
        assert!(!matches("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5"));
        assert!(check("not base64!").is_err());
    }
}
