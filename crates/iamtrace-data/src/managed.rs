//! AWS managed policies, read from `managed.txt`, resolvable by name or ARN.

use std::borrow::Cow;

use iamtrace::scenario::{ManagedPolicy as ResolvedPolicy, PolicyLibrary};

use crate::text::{cmp_ci, err, fields, header, lines, u32_of, utf8, LoadError, Slice, Source};

#[derive(Debug, Clone, Copy)]
struct PolicyRec {
    name: Slice,
    path: Slice,
    version: Slice,
    updated: Slice,
    document: Slice,
}

/// The default version of every AWS managed policy.
#[derive(Debug, Clone)]
pub struct ManagedPolicies {
    text: Box<str>,
    sources: Vec<Source>,
    /// Sorted by lowercase name.
    policies: Vec<PolicyRec>,
}

impl ManagedPolicies {
    /// Reads `managed.txt` from bytes (copied into an owned text).
    pub fn from_bytes(bytes: &[u8]) -> Result<ManagedPolicies, LoadError> {
        Self::parse(utf8(bytes)?.to_owned())
    }

    /// Reads `managed.txt`: a header, then two lines per policy,
    /// `P name path version updated` and the minified document.
    pub fn parse(text: impl Into<String>) -> Result<ManagedPolicies, LoadError> {
        let text: Box<str> = text.into().into_boxed_str();
        let sources = header(&text, "managed")?;
        let mut policies: Vec<PolicyRec> = Vec::with_capacity(1_700);
        let mut pending: Option<(usize, PolicyRec)> = None;
        for (n, start, line) in lines(&text).skip(1) {
            let slice =
                |from: usize, len: usize| Slice { start: u32_of(start + from), end: u32_of(start + from + len) };
            if let Some((_, mut rec)) = pending.take() {
                if !line.starts_with('{') {
                    return Err(err(n, "expected a policy document"));
                }
                rec.document = slice(0, line.len());
                if let Some(prev) = policies.last() {
                    if cmp_ci(prev.name.get(&text), rec.name.get(&text)) != std::cmp::Ordering::Less {
                        return Err(err(n, format!("policy `{}` is out of order", rec.name.get(&text))));
                    }
                }
                policies.push(rec);
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts = fields(line, start);
            let [kind, name, path, version, updated] = parts.as_slice() else {
                return Err(err(n, "expected `P name path version updated`"));
            };
            if kind.get(&text) != "P" {
                return Err(err(n, "expected a `P` line"));
            }
            pending = Some((
                n,
                PolicyRec {
                    name: *name,
                    path: *path,
                    version: *version,
                    updated: *updated,
                    document: Slice::default(),
                },
            ));
        }
        if let Some((n, _)) = pending {
            return Err(err(n, "the last policy has no document"));
        }
        Ok(ManagedPolicies { text, sources, policies })
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Every policy, sorted by lowercase name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ManagedPolicyRef<'_>> + '_ {
        self.policies.iter().map(move |rec| ManagedPolicyRef { text: &self.text, rec: *rec })
    }

    /// A policy by name (ASCII case-insensitive) or by ARN
    /// (`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`;
    /// the path must be right, the partition may be any).
    pub fn get(&self, name_or_arn: &str) -> Option<ManagedPolicyRef<'_>> {
        let (name, path) = match name_or_arn.strip_prefix("arn:") {
            Some(rest) => {
                let (_partition, rest) = rest.split_once(':')?;
                let rest = rest.strip_prefix("iam::aws:policy")?;
                let slash = rest.rfind('/')?;
                (rest.get(slash + 1..)?, Some(rest.get(..=slash)?))
            }
            None => (name_or_arn, None),
        };
        let i = self.policies.binary_search_by(|p| cmp_ci(p.name.get(&self.text), name)).ok()?;
        let rec = *self.policies.get(i)?;
        if path.is_some_and(|p| p != rec.path.get(&self.text)) {
            return None;
        }
        Some(ManagedPolicyRef { text: &self.text, rec })
    }
}

impl PolicyLibrary for ManagedPolicies {
    /// Resolves a name or ARN to the policy, pretty-printed so that spans
    /// in the trace and in findings land on readable lines.
    fn managed_policy(&self, name_or_arn: &str) -> Option<ResolvedPolicy> {
        let p = self.get(name_or_arn)?;
        Some(ResolvedPolicy { name: p.name().to_owned(), arn: p.arn(), text: Cow::Owned(p.document_pretty()) })
    }
}

/// One managed policy.
#[derive(Debug, Clone, Copy)]
pub struct ManagedPolicyRef<'d> {
    text: &'d str,
    rec: PolicyRec,
}

impl<'d> ManagedPolicyRef<'d> {
    pub fn name(&self) -> &'d str {
        self.rec.name.get(self.text)
    }

    /// The path, e.g. `/` or `/service-role/`.
    pub fn path(&self) -> &'d str {
        self.rec.path.get(self.text)
    }

    /// `arn:aws:iam::aws:policy` + path + name.
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::aws:policy{}{}", self.path(), self.name())
    }

    /// The default version, e.g. `v3`.
    pub fn version_id(&self) -> &'d str {
        self.rec.version.get(self.text)
    }

    /// When the policy was last updated (ISO 8601).
    pub fn updated(&self) -> &'d str {
        self.rec.updated.get(self.text)
    }

    /// The document as minified JSON.
    pub fn document(&self) -> &'d str {
        self.rec.document.get(self.text)
    }

    /// The document indented with four spaces, as the IAM console shows it.
    pub fn document_pretty(&self) -> String {
        pretty(self.document())
    }
}

/// Indents minified JSON (as `JSON.stringify(value, null, 4)` would);
/// strings are copied unchanged.
pub fn pretty(minified: &str) -> String {
    let mut out = String::with_capacity(minified.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = minified.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "#iamtrace-data\tmanaged\t1\taws-iam-managed-policies@0.0.1\t2026-01-01\n\
P\tAdministratorAccess\t/\tv1\t2015-02-06T18:39:46.000Z\n\
{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}\n\
P\tAWSLambdaBasicExecutionRole\t/service-role/\tv1\t2015-04-09T15:03:43.000Z\n\
{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\"],\"Resource\":\"*\",\"Condition\":{}}]}\n";

    #[test]
    fn finds_policies_by_name_and_arn() {
        let m = ManagedPolicies::parse(FILE).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("administratoraccess").unwrap().name(), "AdministratorAccess");
        let arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
        assert_eq!(m.get(arn).unwrap().arn(), arn);
        assert!(m.get("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole").is_none());
        assert!(m.get("arn:aws-cn:iam::aws:policy/AdministratorAccess").is_some());
        assert!(m.get("Nope").is_none());
        let resolved = m.managed_policy("AdministratorAccess").unwrap();
        assert!(resolved.text.contains("\n    \"Statement\": [\n        {\n"));
    }

    #[test]
    fn pretty_keeps_strings_and_empty_containers() {
        let p = pretty(r#"{"a":"x,{}\"y:","b":[],"c":{}}"#);
        assert_eq!(p, "{\n    \"a\": \"x,{}\\\"y:\",\n    \"b\": [],\n    \"c\": {}\n}");
    }

    #[test]
    fn rejects_broken_files() {
        assert!(ManagedPolicies::parse("#iamtrace-data\tmanaged\t1\nP\tA\t/\tv1\td\n").is_err());
        assert!(ManagedPolicies::parse("#iamtrace-data\tmanaged\t1\nP\tB\t/\tv1\td\n{}\nP\tA\t/\tv1\td\n{}\n").is_err());
    }
}
