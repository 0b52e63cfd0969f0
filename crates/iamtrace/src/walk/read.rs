//! Reading a chain scenario strictly, with positions: the top level, the
//! `entities`, and resolving the names hops use.

use std::borrow::Cow;

use super::model::{Chain, HopExpectation, HopSpec, Organization, PolicyArn, Role, Text, User};
use super::read_hops::{Pending, Raw};
use super::read_policy::R;
use super::{Outcome, ParsedChain};
use crate::diagnostic::{Code, Diagnostic};
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
pub(super) struct Parts<'a> {
    pub users: Vec<User<'a>>,
    pub roles: Vec<Role<'a>>,
    pub managed: Vec<(Text, Policy<'a>)>,
    pub hops: Vec<(Raw<'a>, Pending, Span)>,
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
            "entities" => super::read_entities::entities(r, pull, &mut parts)?,
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
                            Code::ScenarioInvalidExpected,
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
        r.error(Code::ChainMissing, Span::from_range(obj.start, obj.start + 1), "scenario has no `chain`", None);
        return Ok((None, name));
    };
    let hops = resolve(r, &mut parts, chain_span);
    if let Some(e) = &expected_hops {
        if e.len() != hops.len() {
            r.error(
                Code::ChainExpectedHops,
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
            None => {
                r.error(Code::ChainInvalidExpected, o.span, format!("invalid hop outcome `{}`", o.text), Some(help))
            }
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
                    r.error(Code::ChainShape, span, "a credential can only start the chain", None);
                }
                let Some(u) = parts.users.iter().position(|u| u.arn == user.text) else {
                    r.error(
                        Code::ChainUnknownUser,
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
                                Code::ChainUnknownKey,
                                k.span,
                                format!("`{}` is not an access key of the user", k.text),
                                None,
                            );
                            continue;
                        }
                    },
                    None if keys.len() > 1 => {
                        r.error(
                            Code::ChainAmbiguousKey,
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
                        Code::ChainShape,
                        span,
                        "the chain must start with a `credential`",
                        Some("add `{\"credential\": {\"user\": ARN}}` first"),
                    );
                }
                if matches!(hop, HopSpec::Request(_)) && i + 1 != n {
                    r.error(Code::ChainShape, span, "the `request` must be the last hop", None);
                }
                resolve_hop(r, parts, &mut hop, pending);
                hop
            }
        };
        if i > 0 && matches!(out.last(), Some((HopSpec::AssumeRoot(_), _))) {
            r.error(
                Code::ChainAfterAssumeRoot,
                span,
                "iamtrace models sts:AssumeRoot up to the session it yields: the chain must end there",
                None,
            );
        }
        out.push((hop, span));
    }
    if out.is_empty() && !r.diags.iter().any(Diagnostic::is_error) {
        r.error(Code::ChainEmpty, chain_span, "the chain has no hops", None);
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
                        Code::ChainUnknownRole,
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
            Some((_, p)) => {
                Some((p.clone(), arn.text.rsplit_once('/').map_or(arn.text.as_str(), |(_, name)| name).to_owned()))
            }
            None if arn.text.split(':').nth(4) == Some("aws") => r.managed(&arn.text, arn.span, PolicyKind::Identity),
            None => {
                r.error(Code::ChainUnknownPolicy, arn.span, format!("`{}` is not in `entities.policies`", arn.text), Some("describe customer managed policies in `entities.policies`; AWS managed ones come from the managed-policy data"));
                None
            }
        };
        if let Some((policy, name)) = resolved {
            params.policy_arns.push(PolicyArn { arn, name, policy });
        }
    }
}
