//! The scenario format (SCENARIO.md, v1): policies and a request in one JSON
//! document. Policies may be JSON objects, JSON strings holding the pasted
//! text (each becomes its own [`Document`]), `{"name": ..., "policy": ...}`
//! wrappers, or managed-policy names resolved through a [`PolicyLibrary`].

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{quote, Code, Diagnostic, DocId};
use crate::eval::{self, PolicySet};
use crate::json::{Kind, Pull, PullResult};
use crate::request::Request;
use crate::span::Span;
use crate::trace::{Answer, Decision};

/// A policy as text, with an optional display name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub text: String,
}

/// A text that spans point into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    pub text: Cow<'a, str>,
    pub origin: Origin,
}

/// Where a document's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The scenario text itself, starting at byte `base` of its file.
    Root { base: u32 },
    /// A policy given as a JSON string; `literal` is the string's span
    /// (quotes included) in document 0.
    Embedded { literal: Span },
    /// A managed policy resolved by name.
    Managed { name: String, arn: String },
}

/// A managed policy known to a [`PolicyLibrary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub text: Cow<'static, str>,
}

/// Resolves managed-policy names and ARNs (provided by the data crate).
pub trait PolicyLibrary {
    /// Looks up `arn:aws:iam::aws:policy/Name` or a bare `Name`.
    fn managed_policy(&self, name_or_arn: &str) -> Option<ManagedPolicy>;
}

/// Whether a policy's text names a managed policy (an ARN or a bare name)
/// rather than holding a document.
pub fn names_managed_policy(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.starts_with('{') && !t.contains(char::is_whitespace)
}

/// Looks up the managed policy `name` in `library`. The error, at `span`,
/// says whether no data is loaded (with `unavailable_help`, which differs
/// between the command line and the page) or the name is unknown.
pub(crate) fn resolve_managed(
    library: Option<&dyn PolicyLibrary>,
    name: &str,
    span: Span,
    unavailable_help: &str,
) -> Result<ManagedPolicy, Diagnostic> {
    let Some(library) = library else {
        return Err(Diagnostic::error(
            Code::PolicyManagedUnavailable,
            span,
            format!("{} looks like a managed policy name, but no managed-policy data is loaded", quote(name)),
        )
        .with_help(unavailable_help));
    };
    library.managed_policy(name).ok_or_else(|| {
        Diagnostic::error(Code::PolicyManagedUnknown, span, format!("unknown managed policy {}", quote(name)))
            .with_help("give an AWS managed policy name such as `ReadOnlyAccess`, or its ARN")
    })
}

/// A valid scenario, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Scenario<'a> {
    pub name: Option<String>,
    pub policies: PolicySet<'a>,
    pub request: Request<'a>,
    pub expected: Option<Decision>,
}

impl<'a> Scenario<'a> {
    pub fn evaluate(&self) -> Result<Answer<'_>, Vec<Diagnostic>> {
        eval::evaluate(&self.policies, &self.request)
    }
}

/// A scenario as read, with every diagnostic and the documents they refer to.
#[derive(Debug, Clone)]
pub struct ParsedScenario<'a> {
    /// `None` when any diagnostic is an error.
    pub scenario: Option<Scenario<'a>>,
    /// The scenario's name, if it could be read.
    pub name: Option<String>,
    pub docs: Vec<Document<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedScenario<'_> {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads one scenario from its text.
pub fn parse<'a>(text: &'a str, library: Option<&dyn PolicyLibrary>) -> ParsedScenario<'a> {
    parse_at(text, 0, library)
}

/// Reads one scenario whose text starts at byte `base` of a larger file.
pub fn parse_at<'a>(text: &'a str, base: u32, library: Option<&dyn PolicyLibrary>) -> ParsedScenario<'a> {
    let mut pull = Pull::new(text);
    let one = read_one(&mut pull, text, base, library).and_then(|p| pull.finish().map(|()| p));
    one.unwrap_or_else(|e| json_error(text, base, *e))
}

fn json_error(text: &str, base: u32, e: Diagnostic) -> ParsedScenario<'_> {
    let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base } }];
    ParsedScenario { scenario: None, name: None, docs, diagnostics: vec![e] }
}

/// Reads the scenario at the reader's position.
fn read_one<'a>(
    pull: &mut Pull<'a>,
    text: &'a str,
    base: u32,
    library: Option<&dyn PolicyLibrary>,
) -> PullResult<ParsedScenario<'a>> {
    let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base } }];
    let mut r = Reader { docs, diags: Vec::new(), library, texts: None };
    let (scenario, name) = r.scenario(pull)?;
    let ok = !r.diags.iter().any(Diagnostic::is_error);
    Ok(ParsedScenario { scenario: if ok { scenario } else { None }, name, docs: r.docs, diagnostics: r.diags })
}

/// A scenario read with its policies as texts (for shells that show and
/// edit them: the page, the JS module): the same reader, with the same
/// errors, as [`parse`]; only the policies are kept as their texts, to be
/// parsed (and their errors shown in place) when they are evaluated.
#[derive(Debug, Clone)]
pub struct ScenarioTexts<'a> {
    pub name: Option<String>,
    pub policies: crate::policy::ByKind<PolicyText>,
    /// `None` when the scenario has errors.
    pub request: Option<Request<'a>>,
    pub expected: Option<Decision>,
    /// Errors and warnings, spans in `text`.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one scenario, keeping its policies as texts (see [`ScenarioTexts`]).
pub fn parse_texts(text: &str) -> ScenarioTexts<'_> {
    let mut pull = Pull::new(text);
    let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base: 0 } }];
    let mut r = Reader { docs, diags: Vec::new(), library: None, texts: Some(Default::default()) };
    let read = r.scenario(&mut pull).and_then(|x| pull.finish().map(|()| x));
    let mut diagnostics = r.diags;
    let (scenario, name) = match read {
        Ok(x) => x,
        Err(e) => {
            diagnostics.push(*e);
            (None, None)
        }
    };
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    let (request, expected) = match scenario.filter(|_| ok) {
        Some(s) => (Some(s.request), s.expected),
        None => (None, None),
    };
    ScenarioTexts { name, policies: r.texts.unwrap_or_default(), request, expected, diagnostics }
}

/// Reads a file of scenarios: one object, an array of objects, or JSON
/// Lines. Each scenario is read on its own; one bad scenario does not stop
/// the others. A file that is not valid JSON at all gives one entry with the error.
pub fn parse_many<'a>(text: &'a str, library: Option<&dyn PolicyLibrary>) -> Vec<ParsedScenario<'a>> {
    let mut pull = Pull::new(text);
    let read = (|| -> PullResult<Vec<ParsedScenario<'a>>> {
        let out = if pull.peek()? == Kind::Array {
            let mut arr = pull.open_array()?;
            let mut out = Vec::new();
            while pull.item(&mut arr)? {
                out.push(read_one(&mut pull, text, 0, library)?);
            }
            out
        } else {
            vec![read_one(&mut pull, text, 0, library)?]
        };
        pull.finish()?;
        Ok(out)
    })();
    match read {
        Ok(all) => all,
        Err(first) => {
            // JSON Lines: several non-empty lines, each read alone.
            let lines: Vec<(usize, &str)> = line_spans(text).filter(|(_, l)| !l.trim().is_empty()).collect();
            if first.code == Code::JsonTrailingCharacters && lines.len() > 1 {
                lines
                    .into_iter()
                    .map(|(start, line)| parse_at(line, u32::try_from(start).unwrap_or(u32::MAX), library))
                    .collect()
            } else {
                vec![json_error(text, 0, *first)]
            }
        }
    }
}

fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, l.trim_end_matches(['\n', '\r']))
    })
}

/// Maps a span of document `doc` to a span of the file the scenario came
/// from (through the escapes of a policy embedded as a JSON string).
pub fn file_span(docs: &[Document<'_>], doc: DocId, span: Span) -> Option<Span> {
    let root = docs.first()?;
    let Origin::Root { base } = root.origin else { return None };
    let d = docs.get(doc.0 as usize)?;
    match &d.origin {
        Origin::Root { base } => Some(Span::new(span.start + base, span.end + base)),
        Origin::Embedded { literal } => {
            let raw = literal.slice(&root.text);
            let start = literal.start + 1 + decoded_to_raw(raw.get(1..).unwrap_or(""), span.start as usize) as u32;
            let end = literal.start + 1 + decoded_to_raw(raw.get(1..).unwrap_or(""), span.end as usize) as u32;
            Some(Span::new(start + base, end + base))
        }
        Origin::Managed { .. } => None,
    }
}

/// The raw offset inside a JSON string literal body for a decoded offset.
fn decoded_to_raw(raw: &str, decoded: usize) -> usize {
    let bytes = raw.as_bytes();
    let (mut r, mut d) = (0usize, 0usize);
    while d < decoded && r < bytes.len() {
        match bytes.get(r) {
            Some(b'\\') => {
                let (raw_len, dec_len) = match bytes.get(r + 1) {
                    Some(b'u') => {
                        let hex = raw.get(r + 2..r + 6).and_then(|h| u32::from_str_radix(h, 16).ok()).unwrap_or(0);
                        if (0xD800..0xDC00).contains(&hex) {
                            (12, 4)
                        } else {
                            (6, char::from_u32(hex).map_or(1, char::len_utf8))
                        }
                    }
                    _ => (2, 1),
                };
                r += raw_len;
                d += dec_len;
            }
            Some(_) => {
                r += 1;
                d += 1;
            }
            None => break,
        }
    }
    r.min(bytes.len())
}

mod read;
mod split;

use read::Reader;
pub use split::{split_many, Split};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_offsets_map_back_through_escapes() {
        let raw = r#"{\n  \"a\": \"\u00e9x\"}"#;
        // decoded: {<nl>  "a": "éx"}
        let decoded = "{\n  \"a\": \"éx\"}";
        let x = decoded.find('x').unwrap();
        let r = decoded_to_raw(raw, x);
        assert_eq!(&raw[r..r + 1], "x");
        assert_eq!(decoded_to_raw(raw, 0), 0);
        assert_eq!(decoded_to_raw(raw, 1), 1);
        assert_eq!(decoded_to_raw(raw, 2), 3);
    }

    #[test]
    fn a_resource_account_contradicting_the_arn_is_an_error_at_the_field() {
        let text = r#"{"request":{"principal":"arn:aws:iam::444455556666:user/bob","action":"sqs:SendMessage",
            "resource":"arn:aws:sqs:us-east-1:111122223333:q","resource_account":"444455556666"}}"#;
        let p = parse(text, None);
        let d = p.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(d.code, Code::RequestInconsistentResourceAccount);
        assert_eq!(&text[d.span.start as usize..d.span.end as usize], "\"444455556666\"");
        assert!(parse(&text.replace(r#""444455556666"}"#, r#""111122223333"}"#), None).scenario.is_some());
    }

    #[test]
    fn many_reads_arrays_objects_and_lines() {
        let one = r#"{"request":{"principal":"anonymous","action":"s3:GetObject","resource":"*"}}"#;
        assert_eq!(parse_many(one, None).len(), 1);
        let arr = format!("[{one},{one}]");
        assert_eq!(parse_many(&arr, None).len(), 2);
        let lines = format!("{one}\n\n{one}\n{{bad\n");
        let many = parse_many(&lines, None);
        assert_eq!(many.len(), 3);
        assert!(many[0].scenario.is_some());
        assert!(many[2].has_errors());
        match many[1].docs[0].origin {
            Origin::Root { base } => assert_eq!(base as usize, one.len() + 2),
            _ => panic!(),
        }
    }

    #[test]
    fn policies_as_strings_get_their_own_documents() {
        let text = r#"{"policies":{"identity":["{\n\"Statement\": {\"Effect\":\"Alow\",\"Action\":\"*\",\"Resource\":\"*\"}}"]},
            "request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#;
        let p = parse(text, None);
        assert!(p.has_errors());
        let d = &p.diagnostics[0];
        assert_eq!(d.code, Code::StatementInvalidEffect);
        assert_eq!(d.doc, DocId(1));
        assert_eq!(d.span.slice(&p.docs[1].text), "\"Alow\"");
        let in_file = file_span(&p.docs, d.doc, d.span).unwrap();
        assert_eq!(in_file.slice(text), r#"\"Alow\""#);
    }

    #[test]
    fn request_errors_point_at_fields() {
        let text =
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resourse":"*"}}"#;
        let p = parse(text, None);
        let codes: Vec<&str> = p.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["scenario-unknown-field", "request-missing-field"]);
        assert_eq!(p.diagnostics[0].help.as_deref(), Some("did you mean `resource`?"));
        assert_eq!(p.diagnostics[0].span.slice(text), "\"resourse\"");
    }

    #[test]
    fn named_wrappers_and_levels() {
        let text = r#"{"policies":{
            "identity":[{"name":"ReadOnly","policy":{"Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}}],
            "scp":[[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}],[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]]},
            "request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}"#;
        let p = parse(text, None);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let s = p.scenario.unwrap();
        assert_eq!(s.policies.identity[0].reference().name.as_deref(), Some("ReadOnly"));
        assert_eq!(s.policies.scp.len(), 2);
        assert_eq!(s.evaluate().unwrap().decision, Decision::Allow);
    }

    #[test]
    fn scp_levels_hold_policies_in_place() {
        let allow = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let request =
            r#""request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}"#;
        let places = |scp: &str| {
            let text = format!(r#"{{"policies":{{"scp":{scp}}},{request}}}"#);
            let p = parse(&text, None);
            assert!(!p.has_errors(), "{:?}", p.diagnostics);
            let s = p.scenario.unwrap();
            let levels: Vec<Vec<(Option<usize>, usize)>> = s
                .policies
                .scp
                .iter()
                .map(|l| l.iter().map(|n| (n.reference().level, n.reference().index)).collect())
                .collect();
            levels
        };
        // A flat list is one level.
        assert_eq!(places(&format!("[{allow},{allow}]")), [vec![(Some(0), 0), (Some(0), 1)]]);
        assert_eq!(
            places(&format!("[[{allow}],[{allow},{allow}]]")),
            [vec![(Some(0), 0)], vec![(Some(1), 0), (Some(1), 1)]]
        );
    }

    #[test]
    fn scp_levels_reject_arrays_and_mixtures_where_they_stand() {
        let allow = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let request =
            r#""request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}"#;
        for (scp, message, at) in [
            (format!("[{allow},[1]]"), "`scp` levels hold policies, not arrays", "[1]"),
            (format!("[[{allow},[1]]]"), "`scp` levels hold policies, not arrays", "[1]"),
            (format!("[[{allow}],{allow}]"), "`scp` mixes levels and policies: expected an array (one level)", allow),
        ] {
            let text = format!(r#"{{"policies":{{"scp":{scp}}},{request}}}"#);
            let p = parse(&text, None);
            assert!(p.scenario.is_none(), "{scp}");
            let d = &p.diagnostics[0];
            assert_eq!(d.code, Code::ScenarioWrongType, "{scp}");
            assert!(d.message.starts_with(message), "{scp}: {}", d.message);
            let after = text.find(&scp).unwrap() + 1;
            assert_eq!(d.span.slice(&text), at, "{scp}");
            assert!(d.span.start as usize > after, "{scp}: the error points at the entry, not the list");
        }
    }

    #[test]
    fn managed_names_need_a_library() {
        let text = r#"{"policies":{"identity":["ReadOnlyAccess"]},"request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#;
        let p = parse(text, None);
        assert_eq!(p.diagnostics[0].code, Code::PolicyManagedUnavailable);
    }
}
