//! Reading `entities`: IAM users (or the root user) with their access keys,
//! roles with their trust policies, and customer managed policies.

use super::model::{AccessKey, Role, Text, User};
use super::read::Parts;
use super::read_policy::R;
use crate::arn::Arn;
use crate::diagnostic::Code;
use crate::eval::Named;
use crate::json::{Pull, PullResult};
use crate::policy::{Policy, PolicyKind};
use crate::span::Span;

pub(super) fn entities<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>, parts: &mut Parts<'a>) -> PullResult<()> {
    let Some(mut obj) = r.object(pull, "`entities`")? else { return Ok(()) };
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "users" | "roles" | "policies" => {
                let Some(mut arr) = r.array(pull, &format!("`entities.{key}`"))? else { continue };
                while pull.item(&mut arr)? {
                    match key.as_ref() {
                        "users" => parts.users.extend(user(r, pull)?),
                        "roles" => parts.roles.extend(role(r, pull)?),
                        _ => parts.managed.extend(customer_policy(r, pull)?),
                    }
                }
            }
            other => {
                r.unknown(other, span, &["users", "roles", "policies"], "`entities`");
                pull.skip()?;
            }
        }
    }
    Ok(())
}

/// The ARN's parts, or an error at its span.
fn arn_parts(r: &mut R<'_, '_>, t: &Text, what: &str, example: &str) -> Option<(String, String, String)> {
    match Arn::parse(&t.text) {
        Ok(a) if crate::arn::is_account_id(a.account) => {
            Some((a.partition.to_owned(), a.account.to_owned(), a.resource.to_owned()))
        }
        _ => {
            r.error(
                Code::ChainInvalidArn,
                t.span,
                format!("`{}` is not {what}", t.text),
                Some(&format!("write `{example}`")),
            );
            None
        }
    }
}

/// A list of identity policies, named after their owner when unnamed.
fn policy_list<'a>(
    r: &mut R<'_, 'a>,
    pull: &mut Pull<'a>,
    kind: PolicyKind,
    owner: &str,
) -> PullResult<Vec<Named<'a>>> {
    let mut out = Vec::new();
    let Some(mut arr) = r.array(pull, "`policies`")? else { return Ok(out) };
    while pull.item(&mut arr)? {
        if let Some((p, name)) = r.policy(pull, kind)? {
            let i = out.len();
            out.push(Named::new(p, i, None, Some(name.unwrap_or_else(|| format!("{owner} policy {}", i + 1)))));
        }
    }
    Ok(out)
}

fn user<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<Option<User<'a>>> {
    let start = pull.pos();
    let Some(mut obj) = r.object(pull, "a user")? else { return Ok(None) };
    let mut arn = None;
    let (mut policies, mut boundary, mut tags, mut keys, mut mfa) = (Vec::new(), None, Vec::new(), Vec::new(), None);
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "arn" => arn = r.string(pull, "the user `arn`")?,
            "policies" => policies = policy_list(r, pull, PolicyKind::Identity, "user")?,
            "boundary" => boundary = r.policy(pull, PolicyKind::Boundary)?,
            "tags" => tags = r.tags(pull, "`tags`")?,
            "mfa_device" => mfa = r.string(pull, "`mfa_device`")?,
            "access_keys" => {
                let Some(mut arr) = r.array(pull, "`access_keys`")? else { continue };
                while pull.item(&mut arr)? {
                    keys.extend(access_key(r, pull)?);
                }
            }
            other => {
                r.unknown(other, span, &["arn", "policies", "boundary", "tags", "access_keys", "mfa_device"], "a user");
                pull.skip()?;
            }
        }
    }
    let Some(arn) = arn else {
        r.error(Code::ChainMissingField, Span::from_range(start, start + 1), "a user needs an `arn`", None);
        return Ok(None);
    };
    let example = "arn:aws:iam::111122223333:user/alice";
    let Some((partition, account, res)) = arn_parts(r, &arn, "an IAM user or root user ARN", example) else {
        return Ok(None);
    };
    let root = res == "root";
    if !root && !res.starts_with("user/") {
        r.error(
            Code::ChainInvalidArn,
            arn.span,
            format!("`{}` is not an IAM user or root user ARN", arn.text),
            Some(&format!("write `{example}`")),
        );
        return Ok(None);
    }
    if root && (!policies.is_empty() || boundary.is_some()) {
        r.error(
            Code::ChainRootPolicies,
            arn.span,
            "the root user cannot have identity policies or a permissions boundary",
            Some("AWS gives the root user full access to its account; describe an IAM user instead"),
        );
    }
    if keys.len() > 2 {
        r.error(Code::ChainAccessKeys, arn.span, format!("{} access keys: a user has at most two", keys.len()), None);
    }
    let name = res.rsplit_once('/').map_or(res.as_str(), |(_, name)| name).to_owned();
    let boundary = boundary.map(|(p, n)| Named::new(p, 0, None, n.or_else(|| Some(format!("{name} boundary")))));
    let tags = tags.into_iter().map(|(k, v)| (k.text, v.text)).collect();
    Ok(Some(User {
        arn: arn.text,
        root,
        account,
        partition,
        name,
        policies,
        boundary,
        tags,
        keys,
        mfa: mfa.map(|m| m.text),
    }))
}

fn access_key<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<Option<AccessKey>> {
    let start = pull.pos();
    let Some(mut obj) = r.object(pull, "an access key")? else { return Ok(None) };
    let (mut id, mut status) = (None, None);
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "id" => id = r.string(pull, "the access key `id`")?,
            "status" => status = r.string(pull, "`status`")?,
            other => {
                r.unknown(other, span, &["id", "status"], "an access key");
                pull.skip()?;
            }
        }
    }
    let (Some(id), Some(status)) = (id, status) else {
        r.error(
            Code::ChainMissingField,
            Span::from_range(start, start + 1),
            "an access key needs `id` and `status`",
            None,
        );
        return Ok(None);
    };
    let active = match status.text.as_str() {
        "Active" => true,
        "Inactive" => false,
        other => {
            r.error(
                Code::ChainInvalidStatus,
                status.span,
                format!("invalid access key status `{other}`"),
                Some("write `Active` or `Inactive`"),
            );
            return Ok(None);
        }
    };
    Ok(Some(AccessKey { id: id.text, active, span: id.span }))
}

fn role<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<Option<Role<'a>>> {
    let start = pull.pos();
    let Some(mut obj) = r.object(pull, "a role")? else { return Ok(None) };
    let (mut arn, mut trust, mut policies, mut boundary, mut tags, mut max) =
        (None, None, Vec::new(), None, Vec::new(), None);
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "arn" => arn = r.string(pull, "the role `arn`")?,
            "trust_policy" => trust = r.policy(pull, PolicyKind::Resource)?,
            "policies" => policies = policy_list(r, pull, PolicyKind::Identity, "role")?,
            "boundary" => boundary = r.policy(pull, PolicyKind::Boundary)?,
            "tags" => tags = r.tags(pull, "`tags`")?,
            "max_session_duration" => max = r.number(pull, "`max_session_duration`")?,
            other => {
                let known = ["arn", "trust_policy", "policies", "boundary", "tags", "max_session_duration"];
                r.unknown(other, span, &known, "a role");
                pull.skip()?;
            }
        }
    }
    let Some(arn) = arn else {
        r.error(Code::ChainMissingField, Span::from_range(start, start + 1), "a role needs an `arn`", None);
        return Ok(None);
    };
    let example = "arn:aws:iam::111122223333:role/path/RoleName";
    let Some((partition, account, res)) = arn_parts(r, &arn, "a role ARN", example) else { return Ok(None) };
    if !res.starts_with("role/") {
        r.error(
            Code::ChainInvalidArn,
            arn.span,
            format!("`{}` is not a role ARN", arn.text),
            Some(&format!("write `{example}`")),
        );
        return Ok(None);
    }
    if let Some(m) = max {
        if !(3600..=43_200).contains(&m.value) {
            r.error(
                Code::ChainInvalidDuration,
                m.span,
                format!("`max_session_duration` {} is outside 3600 to 43200 seconds", m.value),
                Some("IAM sets a role's maximum session duration between one and twelve hours"),
            );
        }
    }
    let name = res.rsplit_once('/').map_or(res.as_str(), |(_, name)| name).to_owned();
    Ok(Some(Role {
        trust: trust.map(|(p, n)| Named::new(p, 0, None, n.or_else(|| Some(format!("{name} trust policy"))))),
        boundary: boundary.map(|(p, n)| Named::new(p, 0, None, n.or_else(|| Some(format!("{name} boundary"))))),
        arn: arn.text,
        account,
        partition,
        name,
        policies,
        tags: tags.into_iter().map(|(k, v)| (k.text, v.text)).collect(),
        max_session_duration: max.and_then(|m| u32::try_from(m.value).ok()),
    }))
}

fn customer_policy<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<Option<(Text, Policy<'a>)>> {
    let start = pull.pos();
    let Some(mut obj) = r.object(pull, "a customer managed policy")? else { return Ok(None) };
    let (mut arn, mut policy) = (None, None);
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "arn" => arn = r.string(pull, "the policy `arn`")?,
            "policy" => policy = r.policy(pull, PolicyKind::Identity)?,
            other => {
                r.unknown(other, span, &["arn", "policy"], "a customer managed policy");
                pull.skip()?;
            }
        }
    }
    match (arn, policy) {
        (Some(a), Some((p, _))) => Ok(Some((a, p))),
        _ => {
            r.error(
                Code::ChainMissingField,
                Span::from_range(start, start + 1),
                "a customer managed policy needs `arn` and `policy`",
                None,
            );
            Ok(None)
        }
    }
}
