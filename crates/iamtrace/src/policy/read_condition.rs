//! Reading `Condition` blocks: operators, keys and values (SPEC §1.9).

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};

use super::parse::Reader;
use super::Condition;
use crate::diagnostic::{quote, Code, Diagnostic};
use crate::json::{Kind, Pull, PullResult};
use crate::operator::{check_value, Family, Operator};
use crate::span::{Span, Str};
use crate::variables;

impl Reader {
    pub(super) fn conditions<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Vec<Condition<'a>>> {
        let kind = pull.peek()?;
        if kind != Kind::Object {
            self.wrong(pull, kind, |found| format!("`Condition` must be an object, found {found}"))?;
            self.help("write `\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}`");
            return Ok(Vec::new());
        }
        let mut ops = pull.open_object()?;
        let mut out = Vec::new();
        let mut any = false;
        while let Some((op_text, op_span)) = pull.key(&mut ops)? {
            any = true;
            self.check_chars_of(&op_text, matches!(op_text, Cow::Owned(_)), op_span);
            let operator = match Operator::parse(&op_text, op_span) {
                Ok(o) => Some(o),
                Err(d) => {
                    self.diags.push(d);
                    None
                }
            };
            let kind = pull.peek()?;
            if kind != Kind::Object {
                self.wrong(pull, kind, |found| {
                    format!("the value of {} must be an object of condition keys, found {found}", quote(&op_text))
                })?;
                self.help(format!("write `{}: {{\"aws:SourceIp\": \"203.0.113.0/24\"}}`", quote(&op_text)));
                continue;
            }
            let mut keys = pull.open_object()?;
            let mut any_key = false;
            // The block's keys so far: AWS refuses a key repeated with other
            // letter case (identical keys are a JSON duplicate already).
            // Keys in lower case, each with the key as first written (a
            // map: blocks of thousands of keys stay linear).
            let mut seen: HashMap<String, Cow<'a, str>> = HashMap::new();
            while let Some((key, key_span)) = pull.key(&mut keys)? {
                any_key = true;
                match seen.entry(key.to_ascii_lowercase()) {
                    Entry::Occupied(first) => {
                        self.error(
                            Code::ConditionKeyCaseDuplicate,
                            key_span,
                            format!("{} repeats {} in the same operator block", quote(&key), quote(first.get())),
                        );
                        self.help("condition keys ignore letter case: write the key once, with all its values");
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(key.clone());
                    }
                }
                self.check_chars_of(&key, matches!(key, Cow::Owned(_)), key_span);
                if key.is_empty() {
                    self.error(Code::ConditionEmptyKey, key_span, "empty condition key");
                    pull.skip()?;
                    continue;
                }
                let (values, values_span) = self.condition_values(pull, &key)?;
                let (Some(operator), Some(values)) = (operator, values) else { continue };
                for v in &values {
                    let family = operator.base.family();
                    if matches!(family, Family::Numeric | Family::Date | Family::Binary | Family::Ip | Family::Null)
                        && variables::has_variables(v.as_str())
                    {
                        self.error(
                            Code::ConditionVariableNotAllowed,
                            v.span,
                            format!("{} does not take policy variables such as {}", quote(&op_text), quote(v.as_str())),
                        );
                        self.help("AWS substitutes policy variables in String and ARN operators only (and IAM refuses them elsewhere): write the value out");
                        // Under another version `${...}` is plain text: the
                        // policy's reader then keeps the warning below instead.
                    }
                    if family == Family::Bool && variables::has_variables(v.as_str()) {
                        self.diags.push(
                            Diagnostic::warning(
                                Code::ConditionBoolVariable,
                                v.span,
                                format!(
                                    "AWS's pages disagree on whether `Bool` substitutes policy variables such as {}",
                                    quote(v.as_str())
                                ),
                            )
                            .with_help(
                                "under `\"Version\": \"2012-10-17\"` iamtrace takes the reading that denies: \
                                 substituted in a Deny statement, left as written (matching nothing) in an Allow",
                            ),
                        );
                        continue;
                    }
                    if operator.is_set_without_like() && variables::has_variables(v.as_str()) {
                        self.diags.push(
                            Diagnostic::warning(
                                Code::ConditionSetVariable,
                                v.span,
                                format!(
                                    "AWS asks for `StringLike` when a multivalued key is compared with a policy variable such as {}",
                                    quote(v.as_str())
                                ),
                            )
                            .with_help(
                                "write `ForAnyValue:StringLike` (or `ForAllValues:StringLike`); until then iamtrace takes \
                                 the reading that denies: the variable is substituted where that denies and left as \
                                 written (matching only itself) where it would allow",
                            ),
                        );
                    }
                    if let Err(msg) = check_value(operator.base, v.as_str()) {
                        self.diags.push(
                            Diagnostic::warning(Code::ConditionInvalidValue, v.span, msg).with_help(format!(
                                "`{}` compares {}",
                                operator.base.name(),
                                value_help(operator)
                            )),
                        );
                    }
                }
                out.push(Condition {
                    operator,
                    operator_text: Str::new(op_text.clone(), op_span),
                    key: Str::new(key, key_span),
                    values,
                    values_span,
                });
            }
            if !any_key {
                self.error(
                    Code::ConditionNoKeys,
                    pull.span_from(keys.start),
                    format!("no condition keys under {}", quote(&op_text)),
                );
            }
        }
        if !any {
            self.diags.push(
                Diagnostic::warning(Code::ConditionEmpty, pull.span_from(ops.start), "`Condition` is empty")
                    .with_help("remove it, or add an operator block"),
            );
        }
        Ok(out)
    }

    fn condition_value<'a>(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Str<'a>>> {
        let kind = pull.peek()?;
        if matches!(kind, Kind::Object | Kind::Array | Kind::Null) {
            self.wrong(pull, kind, |found| {
                format!("condition values must be strings, numbers or booleans, found {found}")
            })?;
            return Ok(None);
        }
        let (scalar, span) = pull.scalar()?;
        let Some(text) = scalar.into_text() else { return Ok(None) };
        self.check_chars_of(&text, matches!(text, Cow::Owned(_)), span);
        Ok(Some(Str::new(text, span)))
    }

    fn condition_values<'a>(&mut self, pull: &mut Pull<'a>, key: &str) -> PullResult<(Option<Vec<Str<'a>>>, Span)> {
        if pull.peek()? != Kind::Array {
            let start = pull.pos();
            let v = self.condition_value(pull)?;
            let span = pull.span_from(start);
            return Ok((v.map(|v| vec![v]), span));
        }
        let mut arr = pull.open_array()?;
        let mut out = Vec::new();
        let mut ok = true;
        while pull.item(&mut arr)? {
            match self.condition_value(pull)? {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        let span = pull.span_from(arr.start);
        if out.is_empty() && ok {
            self.error(Code::ConditionEmptyValues, span, format!("empty value list for condition key {}", quote(key)));
            self.help("list at least one value");
            return Ok((None, span));
        }
        Ok((ok.then_some(out), span))
    }
}

fn value_help(op: Operator) -> &'static str {
    use crate::operator::Family;
    match op.base.family() {
        Family::Numeric => "numbers such as `3600` or `2.5`",
        Family::Date => "dates such as `2026-01-01T00:00:00Z` or epoch seconds",
        Family::Bool => "`true` or `false`",
        Family::Binary => "base-64 encoded bytes",
        Family::Ip => "IP addresses or CIDR ranges such as `203.0.113.0/24`",
        Family::Null => "`true` (key absent) or `false` (key present)",
        Family::String | Family::Arn => "text",
    }
}
