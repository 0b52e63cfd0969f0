//! `Bool`: compares `true`/`false`, ignoring case (AWS accepts `"True"`).

pub fn parse(s: &str) -> Option<bool> {
    if s.trim().eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.trim().eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

pub fn matches(policy: &str, request: &str) -> bool {
    match (parse(policy), parse(request)) {
        (Some(p), Some(r)) => p == r,
        _ => false,
    }
}

pub fn check(value: &str) -> Result<(), String> {
    parse(value).map(|_| ()).ok_or_else(|| format!("`{value}` is not `true` or `false`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_ignore_case() {
        assert!(matches("false", "False"));
        assert!(matches("TRUE", "true"));
        assert!(!matches("true", "false"));
        assert!(!matches("true", "yes"));
    }
}
