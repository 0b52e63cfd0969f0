//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`,
//! and the literal specials `${*}`, `${?}`, `${$}`.
//!
//! Variables are substituted only in policies with `Version: 2012-10-17`;
//! elsewhere the text is literal. The caller decides where substitution
//! applies (the resource part of `Resource`, values of string and ARN
//! condition operators).

use serde::Serialize;

use crate::glob;

/// One piece of a value that may hold variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    /// `${key}` or `${key, 'default'}`; `span` is the byte range of the whole
    /// `${...}` inside the template.
    Var {
        key: &'a str,
        default: Option<&'a str>,
        start: usize,
        end: usize,
    },
    /// `${*}`, `${?}` or `${$}`: the character itself, never a wildcard.
    Special(char),
}

/// Whether `s` contains anything that looks like a variable.
pub fn has_variables(s: &str) -> bool {
    memchr::memchr_iter(b'$', s.as_bytes()).any(|i| s.as_bytes().get(i + 1) == Some(&b'{'))
}

/// Splits a template into text, variables and specials. Malformed `${`
/// sequences stay literal text.
pub fn parse(s: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest_start = 0;
    let mut i = 0;
    while let Some(found) = s.get(i..).and_then(|r| r.find("${")) {
        let start = i + found;
        match parse_one(s, start) {
            Some((part, end)) => {
                if start > rest_start {
                    if let Some(t) = s.get(rest_start..start) {
                        parts.push(Part::Text(t));
                    }
                }
                parts.push(part);
                rest_start = end;
                i = end;
            }
            None => i = start + 2,
        }
    }
    if rest_start < s.len() {
        if let Some(t) = s.get(rest_start..) {
            parts.push(Part::Text(t));
        }
    }
    parts
}

/// Parses one `${...}` starting at `start`; returns the part and the end offset.
fn parse_one(s: &str, start: usize) -> Option<(Part<'_>, usize)> {
    let body_start = start + 2;
    let rest = s.get(body_start..)?;
    let close = rest.find(['}', ','])?;
    let key = rest.get(..close)?.trim();
    let after = rest.get(close..)?;
    if after.starts_with('}') {
        let end = body_start + close + 1;
        let part = match key {
            "*" => Part::Special('*'),
            "?" => Part::Special('?'),
            "$" => Part::Special('$'),
            "" => return None,
            k => Part::Var { key: k, default: None, start, end },
        };
        return Some((part, end));
    }
    // `, 'default'}`
    let after_comma = after.get(1..)?;
    let trimmed = after_comma.trim_start();
    let quote_at = body_start + close + 1 + (after_comma.len() - trimmed.len());
    let quoted = trimmed.strip_prefix('\'')?;
    let q_end = quoted.find('\'')?;
    let default = quoted.get(..q_end)?;
    let tail = quoted.get(q_end + 1..)?;
    let tail_trimmed = tail.trim_start();
    if !tail_trimmed.starts_with('}') || key.is_empty() {
        return None;
    }
    let end = quote_at + 1 + q_end + 1 + (tail.len() - tail_trimmed.len()) + 1;
    Some((Part::Var { key, default: Some(default), start, end }, end))
}

/// What a context lookup found for a variable's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'c> {
    Single(&'c str),
    /// The key is multivalued; such keys cannot be variables.
    Multi,
    Missing,
}

/// How a variable was resolved, for the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// The key as written in the policy.
    pub key: String,
    /// The value used, if any.
    pub value: Option<String>,
    /// `value`, `default`, `missing` or `multivalued`.
    pub how: &'static str,
}

/// The result of substituting a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substituted {
    /// The text with variables replaced; `None` when a variable without a
    /// default had no value.
    pub text: Option<String>,
    pub resolutions: Vec<Resolution>,
}

/// Output form of a substitution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plain text, for exact comparisons.
    Plain,
    /// [`glob`] pattern syntax: literal text escaped, wildcards of the
    /// template kept, inserted values literal.
    Glob,
}

/// Substitutes the variables of `template` using `lookup`.
pub fn substitute<'c>(template: &str, mode: Mode, lookup: impl Fn(&str) -> Found<'c>) -> Substituted {
    let mut out = String::with_capacity(template.len() + 16);
    let mut ok = true;
    let mut resolutions = Vec::new();
    for part in parse(template) {
        match part {
            Part::Text(t) => match mode {
                Mode::Plain => out.push_str(t),
                Mode::Glob => out.push_str(&glob::escape(t)),
            },
            Part::Special(c) => match mode {
                Mode::Plain => out.push(c),
                Mode::Glob => glob::push_literal(&mut out, c.encode_utf8(&mut [0; 4])),
            },
            Part::Var { key, default, .. } => {
                let found = lookup(key);
                let (value, how) = match (found, default) {
                    (Found::Single(v), _) => (Some(v.to_owned()), "value"),
                    (Found::Multi, Some(d)) => (Some(d.to_owned()), "default"),
                    (Found::Missing, Some(d)) => (Some(d.to_owned()), "default"),
                    (Found::Multi, None) => (None, "multivalued"),
                    (Found::Missing, None) => (None, "missing"),
                };
                match &value {
                    Some(v) => match mode {
                        Mode::Plain => out.push_str(v),
                        Mode::Glob => glob::push_literal(&mut out, v),
                    },
                    None => ok = false,
                }
                resolutions.push(Resolution { key: key.to_owned(), value, how });
            }
        }
    }
    Substituted { text: ok.then_some(out), resolutions }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(key: &str) -> Found<'static> {
        match key.to_ascii_lowercase().as_str() {
            "aws:username" => Found::Single("alice"),
            "aws:tagkeys" => Found::Multi,
            _ => Found::Missing,
        }
    }

    #[test]
    fn parses_parts() {
        let p = parse("a/${aws:username}/${*}x${aws:PrincipalTag/team, 'company-wide'}");
        assert_eq!(p[0], Part::Text("a/"));
        assert!(matches!(p[1], Part::Var { key: "aws:username", default: None, .. }));
        assert_eq!(p[3], Part::Special('*'));
        assert!(matches!(p[5], Part::Var { key: "aws:PrincipalTag/team", default: Some("company-wide"), .. }));
        assert_eq!(parse("${aws:username"), vec![Part::Text("${aws:username")]);
        assert_eq!(parse("$${}x"), vec![Part::Text("$${}x")]);
    }

    #[test]
    fn var_spans_cover_the_whole_reference() {
        let s = "x${aws:PrincipalTag/team,  'd' }y";
        let p = parse(s);
        let Part::Var { start, end, .. } = p[1] else { panic!() };
        assert_eq!(&s[start..end], "${aws:PrincipalTag/team,  'd' }");
        assert_eq!(p[2], Part::Text("y"));
    }

    #[test]
    fn substitutes_values_and_defaults() {
        let s = substitute("home/${aws:username}/", Mode::Plain, ctx);
        assert_eq!(s.text.as_deref(), Some("home/alice/"));
        let s = substitute("b-${aws:PrincipalTag/team, 'company-wide'}", Mode::Plain, ctx);
        assert_eq!(s.text.as_deref(), Some("b-company-wide"));
        assert_eq!(s.resolutions[0].how, "default");
        let s = substitute("${aws:PrincipalTag/team}", Mode::Plain, ctx);
        assert_eq!(s.text, None);
        assert_eq!(s.resolutions[0].how, "missing");
        let s = substitute("${aws:TagKeys}", Mode::Plain, ctx);
        assert_eq!(s.text, None);
        assert_eq!(s.resolutions[0].how, "multivalued");
    }

    #[test]
    fn glob_mode_keeps_template_wildcards_and_escapes_values() {
        let s = substitute("data${*}", Mode::Glob, ctx).text.unwrap();
        assert!(glob::matches(&s, "data*"));
        assert!(!glob::matches(&s, "database"));
        let s = substitute("home/${aws:username}/*", Mode::Glob, ctx).text.unwrap();
        assert!(glob::matches(&s, "home/alice/x/y"));
        assert_eq!(substitute("${$}", Mode::Plain, ctx).text.as_deref(), Some("$"));
    }
}
