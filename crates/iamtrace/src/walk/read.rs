//! Reading a chain scenario strictly, with positions: the top level, the
//! `entities`, and resolving the names hops use.

use std::borrow::Cow;

use super::model::{AccessKey, Chain, HopExpectation, HopSpec, Organization, PolicyArn, Role, Text, User};
use super::read_hops::{Pending, Raw};
use super::read_policy::R;
use super::{Outcome, ParsedChain};
use crate::arn::Arn;
use crate::diagnostic::Diagnostic;
use crate::eval::Named;
use crate::json::{Kind, Pull, PullResult};
use crate::policy::{Policy, PolicyKind};
use crate::scenario::{Document, Origin, PolicyLibrary};
use crate::span::Span;
use crate::trace::Decision;

const KEYS: [&str; 8] = ["name", "entities", "chain", "policies", "organization", "now", "expected", "expected_hops"];
const DOC_KEYS: [&str; 6] = ["why", "source", "confidence", "description", "notes", "tags"];

/// Reads one chain scenario from its text.
pub fn parse<'a>(text: &'a str, library: Option<&dyn PolicyLibrary>) -> ParsedChain<'a> {
    parse_at(text, 0, library)
}

/// Reads one chain scenario whose text starts at byte `base` of a larger file.
pub fn parse_at<'a>(text: &'a str, base: u32, library: Option<&dyn PolicyLibrary>) -> ParsedChain<'a> {
    let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base } }];
    let mut r = R { docs, diags: Vec::new(), library };
    let mut pull = Pull::new(text);
    let read = scenario(&mut r, &mut pull).and_then(|c| pull.finish().map(|()| c));
    match read {
        Ok((chain, name)) => {
            let ok = !r.diags.iter().any(Diagnostic::is_error);
            ParsedChain { chain: if ok { chain } else { None }, name, docs: r.docs, diagnostics: r.diags }
        }
        Err(e) => {
            let docs = vec![Document { text: Cow::Borrowed(text), origin: Origin::Root { base } }];
            ParsedChain { chain: None, name: None, docs, diagnostics: vec![*e] }
        }
    }
}

/// Everything read before names are resolved.
#[derive(Default)]
struct Parts<'a> {
    users: Vec<User<'a>>,
    roles: Vec<Role<'a>>,
    managed: Vec<(Text, Policy<'a>)>,
    hops: Vec<(Raw<'a>, Pending, Span)>,
}

fn scenario<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<(Option<Chain<'a>>, Option<String>)> {
    let Some(mut obj) = r.object(pull, "a scenario")? else { return Ok((None, None)) };
    let mut parts = Parts::default();
    let (mut name, mut now, mut expected, mut expected_hops) = (None, None, None, None);
    let (mut scp, mut rcp) = (Vec::new(), Vec::new());
    let mut organization = Organization::default();
    let mut chain_span = None;
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "name" => name = r.string(pull, "`name`")?.map(|t| t.text),
            "entities" => entities(r, pull, &mut parts)?,
            "chain" => {
                chain_span = Some(span);
                if let Some(mut arr) = r.array(pull, "`chain`")? {
                    while pull.item(&mut arr)? {
                        parts.hops.extend(r.hop(pull)?);
                    }
                }
            }
            "policies" => (scp, rcp) = org_policies(r, pull)?,
            "organization" => organization = read_organization(r, pull)?,
            "now" => now = r.string(pull, "`now`")?.map(|t| t.text),
            "expected" => {
                if let Some(t) = r.string(pull, "`expected`")? {
                    expected = Decision::parse(&t.text);
                    if expected.is_none() {
                        r.error(
                            "scenario-invalid-expected",
                            t.span,
                            format!("invalid `expected` `{}`", t.text),
                            Some("write `Allow`, `ExplicitDeny` or `ImplicitDeny`"),
                        );
                    }
                }
            }
            "expected_hops" => expected_hops = Some(read_expected_hops(r, pull)?),
            k if DOC_KEYS.contains(&k) => {
                pull.skip()?;
            }
            other => {
                let mut known = KEYS.to_vec();
                known.extend(DOC_KEYS);
                r.unknown(other, span, &known, "a chain scenario");
                pull.skip()?;
            }
        }
    }
    let Some(chain_span) = chain_span else {
        r.error("chain-missing", Span::from_range(obj.start, obj.start + 1), "scenario has no `chain`", None);
        return Ok((None, name));
    };
    let hops = resolve(r, &mut parts, chain_span);
    if let Some(e) = &expected_hops {
        if e.len() != hops.len() {
            r.error(
                "chain-expected-hops",
                chain_span,
                format!("`expected_hops` has {} entries for {} hops", e.len(), hops.len()),
                Some("give one expectation per hop"),
            );
        }
    }
    let chain = Chain {
        name: name.clone(),
        expected,
        expected_hops,
        users: parts.users,
        roles: parts.roles,
        scp,
        rcp,
        organization,
        now,
        hops,
    };
    Ok((Some(chain), name))
}

fn entities<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>, parts: &mut Parts<'a>) -> PullResult<()> {
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
                "chain-invalid-arn",
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
        r.error("chain-missing-field", Span::from_range(start, start + 1), "a user needs an `arn`", None);
        return Ok(None);
    };
    let example = "arn:aws:iam::111122223333:user/alice";
    let Some((partition, account, res)) = arn_parts(r, &arn, "an IAM user or root user ARN", example) else {
        return Ok(None);
    };
    let root = res == "root";
    if !root && !res.starts_with("user/") {
        r.error(
            "chain-invalid-arn",
            arn.span,
            format!("`{}` is not an IAM user or root user ARN", arn.text),
            Some(&format!("write `{example}`")),
        );
        return Ok(None);
    }
    if root && (!policies.is_empty() || boundary.is_some()) {
        r.error(
            "chain-root-policies",
            arn.span,
            "the root user cannot have identity policies or a permissions boundary",
            Some("AWS gives the root user full access to its account; describe an IAM user instead"),
        );
    }
    if keys.len() > 2 {
        r.error("chain-access-keys", arn.span, format!("{} access keys: a user has at most two", keys.len()), None);
    }
    let name = res.rsplit('/').next().unwrap_or_default().to_owned();
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
            "chain-missing-field",
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
                "chain-invalid-status",
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
        r.error("chain-missing-field", Span::from_range(start, start + 1), "a role needs an `arn`", None);
        return Ok(None);
    };
    let example = "arn:aws:iam::111122223333:role/path/RoleName";
    let Some((partition, account, res)) = arn_parts(r, &arn, "a role ARN", example) else { return Ok(None) };
    if !res.starts_with("role/") {
        r.error(
            "chain-invalid-arn",
            arn.span,
            format!("`{}` is not a role ARN", arn.text),
            Some(&format!("write `{example}`")),
        );
        return Ok(None);
    }
    if let Some(m) = max {
        if !(3600..=43_200).contains(&m.value) {
            r.error(
                "chain-invalid-duration",
                m.span,
                format!("`max_session_duration` {} is outside 3600 to 43200 seconds", m.value),
                Some("IAM sets a role's maximum session duration between one and twelve hours"),
            );
        }
    }
    let name = res.rsplit('/').next().unwrap_or_default().to_owned();
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
                "chain-missing-field",
                Span::from_range(start, start + 1),
                "a customer managed policy needs `arn` and `policy`",
                None,
            );
            Ok(None)
        }
    }
}

fn read_organization<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<Organization> {
    let mut org = Organization::default();
    let Some(mut obj) = r.object(pull, "`organization`")? else { return Ok(org) };
    while let Some((key, span)) = pull.key(&mut obj)? {
        match key.as_ref() {
            "management_account" => org.management_account = r.string(pull, "`management_account`")?.map(|t| t.text),
            "delegated_administrators" => {
                org.delegated_admins =
                    r.strings(pull, "`delegated_administrators`")?.into_iter().map(|t| t.text).collect();
            }
            "centralized_root_access" => org.centralized_root_access = r.boolean(pull, "`centralized_root_access`")?,
            other => {
                let known = ["management_account", "delegated_administrators", "centralized_root_access"];
                r.unknown(other, span, &known, "`organization`");
                pull.skip()?;
            }
        }
    }
    Ok(org)
}

type Levels<'a> = Vec<Vec<Named<'a>>>;

/// `policies` of a chain scenario: SCPs and RCPs only.
fn org_policies<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<(Levels<'a>, Levels<'a>)> {
    let (mut scp, mut rcp) = (Vec::new(), Vec::new());
    let Some(mut obj) = r.object(pull, "`policies`")? else { return Ok((scp, rcp)) };
    while let Some((key, span)) = pull.key(&mut obj)? {
        let kind = match key.as_ref() {
            "scp" => PolicyKind::Scp,
            "rcp" => PolicyKind::Rcp,
            other => {
                r.unknown(
                    other,
                    span,
                    &["scp", "rcp"],
                    "a chain scenario's `policies` (the other kinds belong to entities and hops)",
                );
                pull.skip()?;
                continue;
            }
        };
        let mut levels: Levels<'a> = Vec::new();
        let Some(mut arr) = r.array(pull, &format!("`{key}`"))? else { continue };
        while pull.item(&mut arr)? {
            if pull.peek()? == Kind::Array {
                let l = levels.len();
                let mut level = Vec::new();
                let mut inner = pull.open_array()?;
                while pull.item(&mut inner)? {
                    if let Some((p, n)) = r.policy(pull, kind)? {
                        level.push(Named::new(p, level.len(), Some(l), n));
                    }
                }
                levels.push(level);
            } else if let Some((p, n)) = r.policy(pull, kind)? {
                if levels.is_empty() {
                    levels.push(Vec::new());
                }
                if let Some(first) = levels.first_mut() {
                    first.push(Named::new(p, first.len(), Some(0), n));
                }
            }
        }
        if kind == PolicyKind::Scp {
            scp = levels;
        } else {
            rcp = levels;
        }
    }
    Ok((scp, rcp))
}

fn read_expected_hops<'a>(r: &mut R<'_, 'a>, pull: &mut Pull<'a>) -> PullResult<Vec<HopExpectation>> {
    let mut out = Vec::new();
    let Some(mut arr) = r.array(pull, "`expected_hops`")? else { return Ok(out) };
    let help = "write `Allow`, `ExplicitDeny`, `ImplicitDeny`, `CheckFailed` or `NotReached`, or {\"outcome\": ..., \"check\": CODE}";
    while pull.item(&mut arr)? {
        let (outcome, check) = if pull.peek()? == Kind::Object {
            let mut obj = pull.open_object()?;
            let (mut o, mut c) = (None, None);
            while let Some((key, span)) = pull.key(&mut obj)? {
                match key.as_ref() {
                    "outcome" => o = r.string(pull, "`outcome`")?,
                    "check" => c = r.string(pull, "`check`")?.map(|t| t.text),
                    other => {
                        r.unknown(other, span, &["outcome", "check"], "a hop expectation");
                        pull.skip()?;
                    }
                }
            }
            (o, c)
        } else {
            (r.string(pull, "a hop expectation")?, None)
        };
        let Some(o) = outcome else { continue };
        match Outcome::parse(&o.text) {
            Some(outcome) => out.push(HopExpectation { outcome, check }),
            None => r.error("chain-invalid-expected", o.span, format!("invalid hop outcome `{}`", o.text), Some(help)),
        }
    }
    Ok(out)
}

/// Resolves names to entities and checks the chain's shape: a credential
/// first, a request (if any) last, nothing after AssumeRoot.
fn resolve<'a>(r: &mut R<'_, 'a>, parts: &mut Parts<'a>, chain_span: Span) -> Vec<(HopSpec<'a>, Span)> {
    let mut out = Vec::new();
    let n = parts.hops.len();
    for (i, (raw, pending, span)) in std::mem::take(&mut parts.hops).into_iter().enumerate() {
        let hop = match raw {
            Raw::Credential { user, key } => {
                if i != 0 {
                    r.error("chain-shape", span, "a credential can only start the chain", None);
                }
                let Some(u) = parts.users.iter().position(|u| u.arn == user.text) else {
                    r.error(
                        "chain-unknown-user",
                        user.span,
                        format!("`{}` is not in `entities.users`", user.text),
                        Some("describe the user (or the root user) in `entities.users`"),
                    );
                    continue;
                };
                let keys = parts.users.get(u).map(|u| u.keys.as_slice()).unwrap_or(&[]);
                let key = match &key {
                    Some(k) => match keys.iter().position(|x| x.id == k.text) {
                        Some(p) => Some(p),
                        None => {
                            r.error(
                                "chain-unknown-key",
                                k.span,
                                format!("`{}` is not an access key of the user", k.text),
                                None,
                            );
                            continue;
                        }
                    },
                    None if keys.len() > 1 => {
                        r.error(
                            "chain-ambiguous-key",
                            user.span,
                            "the user has two access keys: name one in `access_key`",
                            None,
                        );
                        continue;
                    }
                    None => (!keys.is_empty()).then_some(0),
                };
                HopSpec::Credential { user: u, key }
            }
            Raw::Hop(mut hop) => {
                if i == 0 {
                    r.error(
                        "chain-shape",
                        span,
                        "the chain must start with a `credential`",
                        Some("add `{\"credential\": {\"user\": ARN}}` first"),
                    );
                }
                if matches!(hop, HopSpec::Request(_)) && i + 1 != n {
                    r.error("chain-shape", span, "the `request` must be the last hop", None);
                }
                resolve_hop(r, parts, &mut hop, pending);
                hop
            }
        };
        if i > 0 && matches!(out.last(), Some((HopSpec::AssumeRoot(_), _))) {
            r.error(
                "chain-after-assume-root",
                span,
                "iamtrace models sts:AssumeRoot up to the session it yields: the chain must end there",
                None,
            );
        }
        out.push((hop, span));
    }
    if out.is_empty() && !r.diags.iter().any(Diagnostic::is_error) {
        r.error("chain-empty", chain_span, "the chain has no hops", None);
    }
    out
}

fn resolve_hop<'a>(r: &mut R<'_, 'a>, parts: &Parts<'a>, hop: &mut HopSpec<'a>, pending: Pending) {
    let params =
        match hop {
            HopSpec::AssumeRole(s) => {
                match parts.roles.iter().position(|x| x.arn == s.role_arn.text) {
                    Some(p) => s.role = p,
                    None => r.error(
                        "chain-unknown-role",
                        s.role_arn.span,
                        format!("`{}` is not in `entities.roles`", s.role_arn.text),
                        Some("describe the role, with its trust policy, in `entities.roles`"),
                    ),
                }
                Some(&mut s.params)
            }
            HopSpec::Federation(s) => Some(&mut s.params),
            HopSpec::AssumeRoot(s) => {
                if let Some(t) = &s.task_policy_arn {
                    if r.library.is_some() && t.text.contains(":policy/root-task/") {
                        s.task_policy = r
                            .managed(&t.text, t.span, PolicyKind::Identity)
                            .map(|(policy, name)| PolicyArn { arn: t.clone(), name, policy });
                    }
                }
                None
            }
            _ => None,
        };
    let Some(params) = params else { return };
    for arn in pending.policy_arns {
        let customer = parts.managed.iter().find(|(a, _)| a.text == arn.text);
        let resolved = match customer {
            Some((_, p)) => Some((p.clone(), arn.text.rsplit('/').next().unwrap_or_default().to_owned())),
            None if arn.text.split(':').nth(4) == Some("aws") => r.managed(&arn.text, arn.span, PolicyKind::Identity),
            None => {
                r.error("chain-unknown-policy", arn.span, format!("`{}` is not in `entities.policies`", arn.text), Some("describe customer managed policies in `entities.policies`; AWS managed ones come from the managed-policy data"));
                None
            }
        };
        if let Some((policy, name)) = resolved {
            params.policy_arns.push(PolicyArn { arn, name, policy });
        }
    }
}
