//! Reading `Principal` and `NotPrincipal`, and the rules each policy kind
//! sets for them (SPEC §1.6).

use std::borrow::Cow;

use super::parse::{PrincipalEl, Reader};
use super::principal::{check_other, classify_aws};
use super::{Effect, PolicyKind, PrincipalBlock, PrincipalEntry, PrincipalKey};
use crate::diagnostic::{quote, Code};
use crate::json::{Kind, Pull, PullResult};
use crate::span::{Span, Str};

impl Reader {
    pub(super) fn principal_rules<'a>(
        &mut self,
        principal: Option<PrincipalEl<'a>>,
        effect: Option<Effect>,
        opening: Span,
    ) -> Option<PrincipalBlock<'a>> {
        let kind = self.kind;
        let Some(el) = principal else {
            if kind.has_principal() {
                self.error(
                    Code::StatementMissingPrincipal,
                    opening,
                    format!("statement in a {} has no `Principal`", kind.title()),
                );
                if kind == PolicyKind::Rcp {
                    self.help("RCP statements use `\"Principal\": \"*\"`");
                } else {
                    self.help(
                        "add the principals the statement is about, e.g. `\"Principal\": {\"AWS\": \"111122223333\"}`",
                    );
                }
            }
            return None;
        };
        let name = if el.negated { "NotPrincipal" } else { "Principal" };
        if !kind.has_principal() {
            self.error(
                Code::StatementPrincipalNotAllowed,
                el.key_span,
                format!("`{name}` is not allowed in a {}", kind.title()),
            );
            self.help(match kind {
                PolicyKind::Scp => "SCPs apply to the principals of the accounts they are attached to; narrow with conditions such as `aws:PrincipalArn`",
                _ => "identity-based policies apply to the identity they are attached to; remove the element",
            });
            return None;
        }
        if el.negated && kind == PolicyKind::Rcp {
            self.error(
                Code::StatementNotprincipalNotAllowed,
                el.key_span,
                "`NotPrincipal` is not allowed in a resource control policy",
            );
            self.help("use `\"Principal\": \"*\"` with an `aws:PrincipalArn` condition");
            return None;
        }
        if el.negated && effect == Some(Effect::Allow) {
            self.error(
                Code::StatementNotprincipalAllow,
                el.key_span,
                "`NotPrincipal` is not supported with `\"Effect\": \"Allow\"`",
            );
            self.help("name the principals with `Principal`, or use `Deny` with `NotPrincipal`");
            return None;
        }
        self.diags.extend(el.diags);
        let block = el.block?;
        if kind == PolicyKind::Rcp
            && !block
                .entries
                .iter()
                .all(|e| e.value.as_str() == "*" && matches!(e.key, PrincipalKey::Any | PrincipalKey::Aws))
        {
            self.error(
                Code::RcpPrincipalNotStar,
                block.span,
                "in a resource control policy `Principal` must be `\"*\"`",
            );
            self.help("narrow the statement with conditions such as `aws:PrincipalArn` or `aws:PrincipalOrgID`");
            return None;
        }
        Some(block)
    }

    /// Reads a `Principal`/`NotPrincipal` value; its problems are kept
    /// aside until the statement's kind rules are known.
    pub(super) fn principal<'a>(
        &mut self,
        pull: &mut Pull<'a>,
        negated: bool,
        key_span: Span,
    ) -> PullResult<PrincipalEl<'a>> {
        let outer = std::mem::take(&mut self.diags);
        let block = self.principal_block(pull, negated);
        let diags = std::mem::replace(&mut self.diags, outer);
        let block = block?.map(|b| PrincipalBlock { key_span, ..b });
        Ok(PrincipalEl { negated, key_span, block, diags })
    }

    fn principal_block<'a>(&mut self, pull: &mut Pull<'a>, negated: bool) -> PullResult<Option<PrincipalBlock<'a>>> {
        let name = if negated { "NotPrincipal" } else { "Principal" };
        let mut entries = Vec::new();
        let mut ok = true;
        let first = pull.peek()?;
        let start = pull.pos();
        match first {
            Kind::String => {
                let (text, span) = pull.string()?;
                if text == "*" {
                    entries.push(PrincipalEntry {
                        key: PrincipalKey::Any,
                        value: Str::new(text, span),
                        form: Some(super::AwsForm::Everyone),
                    });
                    return Ok(Some(PrincipalBlock { negated, key_span: Span::default(), span, entries }));
                }
                self.error(
                    Code::PrincipalInvalid,
                    span,
                    format!("`{name}` must be `\"*\"` or an object, found the string {}", quote(&text)),
                );
                self.help(format!("write `\"{name}\": {{\"AWS\": \"{text}\"}}`"));
                return Ok(None);
            }
            Kind::Object => {
                let mut obj = pull.open_object()?;
                let mut any = false;
                while let Some((key, key_span)) = pull.key(&mut obj)? {
                    any = true;
                    let Some(pk) = PrincipalKey::from_name(&key) else {
                        self.unknown_element(
                            &key,
                            key_span,
                            &["AWS", "Service", "Federated", "CanonicalUser"],
                            &format!("`{name}`"),
                        );
                        pull.skip()?;
                        ok = false;
                        continue;
                    };
                    let mut values = Vec::new();
                    match pull.peek()? {
                        Kind::String => values.push(pull.string()?),
                        Kind::Array => {
                            let mut arr = pull.open_array()?;
                            let mut n = 0;
                            while pull.item(&mut arr)? {
                                n += 1;
                                match self.string(pull, || format!("each `{}` principal", pk.name()))? {
                                    Some(s) => values.push((s.value, s.span)),
                                    None => ok = false,
                                }
                            }
                            if n == 0 {
                                self.error(
                                    Code::StatementEmptyList,
                                    pull.span_from(arr.start),
                                    format!("`{}` principal list is empty", pk.name()),
                                );
                                ok = false;
                            }
                        }
                        kind => {
                            self.wrong(pull, kind, |found| {
                                format!("`{}` must be a string or an array of strings, found {found}", pk.name())
                            })?;
                            ok = false;
                        }
                    }
                    for (text, span) in values {
                        self.check_chars_of(&text, matches!(text, Cow::Owned(_)), span);
                        let value = Str::new(text, span);
                        let form = if pk == PrincipalKey::Aws {
                            match classify_aws(&value) {
                                Ok(f) => Some(f),
                                Err(d) => {
                                    self.diags.push(d);
                                    ok = false;
                                    continue;
                                }
                            }
                        } else {
                            if let Err(d) = check_other(pk, &value) {
                                self.diags.push(d);
                                ok = false;
                                continue;
                            }
                            None
                        };
                        entries.push(PrincipalEntry { key: pk, value, form });
                    }
                }
                if !any {
                    self.error(Code::PrincipalInvalid, pull.span_from(start), format!("`{name}` is empty"));
                    return Ok(None);
                }
            }
            kind => {
                self.wrong(pull, kind, |found| format!("`{name}` must be `\"*\"` or an object, found {found}"))?;
                return Ok(None);
            }
        }
        let span = pull.span_from(start);
        Ok(ok.then_some(PrincipalBlock { negated, key_span: Span::default(), span, entries }))
    }
}
