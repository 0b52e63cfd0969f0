//! Checks of `Action` and `Resource` values (SPEC §1.7, §1.8).

use super::parse::Reader;
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::span::Str;
use crate::variables;

impl Reader {
    pub(super) fn check_action(&mut self, s: &Str<'_>) -> bool {
        let text = s.as_str();
        if text == "*" {
            return true;
        }
        let bytes = text.as_bytes();
        let Some(colon) = memchr::memchr(b':', bytes) else {
            self.error(Code::ActionInvalid, s.span, format!("{} is not an action", quote(text)));
            self.help("actions are written `service:Operation`, e.g. `s3:GetObject`, or `*` for all");
            return false;
        };
        #[expect(
            clippy::expect_used,
            reason = "`colon` is the offset of a `:` of `text`, so a char boundary within it"
        )]
        let prefix = text.get(..colon).expect("the service prefix");
        if colon == 0 || colon + 1 == bytes.len() {
            self.error(
                Code::ActionInvalid,
                s.span,
                format!("{} is not an action: the service or the operation is empty", quote(text)),
            );
            return false;
        }
        for &b in prefix.as_bytes() {
            if b == b'*' || b == b'?' {
                // AWS refuses the policy ("Action vendors ... must not
                // contain wildcards"); the grammar allows wildcards in the
                // operation name only.
                self.error(
                    Code::ActionWildcardInService,
                    s.span,
                    format!("wildcard in the service prefix of {}", quote(text)),
                );
                self.help("AWS allows wildcards only in the operation name (`s3:Get*`); list the services instead, or write `*` for every action");
                return false;
            }
            if !(b.is_ascii_alphanumeric() || b == b'-') {
                self.error(
                    Code::ActionInvalid,
                    s.span,
                    format!("invalid service prefix {} in {}", quote(prefix), quote(text)),
                );
                self.help("service prefixes are letters, digits and `-`, such as `s3` or `ec2`");
                return false;
            }
        }
        true
    }

    pub(super) fn check_resource(&mut self, s: &Str<'_>) -> bool {
        let text = s.as_str();
        if text == "*" {
            return true;
        }
        if !text.starts_with("arn:") {
            self.error(Code::ResourceInvalid, s.span, format!("{} is not an ARN", quote(text)));
            self.help("resources are ARNs such as `arn:aws:s3:::bucket/*`, or `*` for all");
            return false;
        }
        let bytes = text.as_bytes();
        // Byte offsets of the first five colons.
        let mut colons = [bytes.len(); 5];
        let mut count = 0;
        for (slot, at) in colons.iter_mut().zip(memchr::memchr_iter(b':', bytes)) {
            *slot = at;
            count += 1;
        }
        let part = |k: usize| -> &str {
            let start = if k == 0 { 0 } else { colons.get(k - 1).map_or(bytes.len(), |c| c + 1) };
            let end = colons.get(k).copied().unwrap_or(bytes.len());
            text.get(start.min(end)..end).unwrap_or("")
        };
        let service = part(2);
        if service.bytes().any(|b| b == b'*' || b == b'?') {
            self.error(
                Code::ResourceWildcardInService,
                s.span,
                format!("wildcard in the service part of {}", quote(text)),
            );
            self.help("the service part of a resource ARN must be spelled out, e.g. `s3`");
            return false;
        }
        if service.is_empty() {
            self.error(Code::ResourceInvalid, s.span, format!("{} has an empty service part", quote(text)));
            return false;
        }
        if count < 5 {
            // Fewer than six parts: only a part ending in `*` may stand for the rest.
            let star_end = (1..=count).any(|k| part(k).ends_with('*'));
            if !star_end {
                self.error(
                    Code::ResourceInvalid,
                    s.span,
                    format!(
                        "{} has {} parts; an ARN has six: arn:partition:service:region:account:resource",
                        quote(text),
                        count + 1
                    ),
                );
                return false;
            }
            return true;
        }
        #[expect(
            clippy::expect_used,
            reason = "`text` has five colons here, the fifth at `colons[4]`: the byte after it is a char boundary"
        )]
        let (arn_prefix, res) = text.split_at_checked(colons[4] + 1).expect("the resource part");
        if service == "iam" {
            let bad_type = match memchr::memchr(b'/', res.as_bytes()) {
                Some(i) => res.get(..i).is_some_and(|w| w.contains(['*', '?'])),
                None => res != "*" && res.contains(['*', '?']),
            };
            if bad_type {
                self.error(
                    Code::ResourceWildcardInType,
                    s.span,
                    format!("wildcard in the IAM resource type of {}", quote(text)),
                );
                self.help("write the type in full (`user/`, `role/`, `policy/`...) and put wildcards after it");
                return false;
            }
        }
        if variables::has_variables(arn_prefix) {
            self.diags.push(
                Diagnostic::warning(
                    Code::ResourceVariableOutsideResourcePart,
                    s.span,
                    format!("policy variable before the resource part of {}", quote(text)),
                )
                .with_help("variables are substituted only after the fifth colon; elsewhere they are literal text"),
            );
        }
        true
    }
}
