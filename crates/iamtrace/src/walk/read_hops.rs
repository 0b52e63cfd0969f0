//! Reading the hops of `chain`. Names that refer to entities (users, roles,
//! customer managed policies) are kept as text and resolved once the whole
//! scenario is read, since `entities` may come after `chain`.

use super::model::{
    AssumeRoleSpec, AssumeRootSpec, FederationSpec, HopSpec, RequestSpec, SessionParams, SessionTokenSpec, Text,
};
use super::read_policy::R;
use crate::diagnostic::Code;
use crate::eval::Named;
use crate::json::{Pull, PullResult};
use crate::policy::PolicyKind;
use crate::span::Span;

/// A hop as read, before names are resolved.
#[derive(Debug)]
pub(crate) enum Raw<'a> {
    Credential { user: Text, key: Option<Text> },
    Hop(HopSpec<'a>),
}

/// Policy ARNs of a hop, resolved later.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub policy_arns: Vec<Text>,
    pub role_arn: Option<Text>,
}

const HOP_KEYS: [&str; 3] = ["credential", "call", "request"];
const CALLS: [&str; 4] = ["sts:GetSessionToken", "sts:AssumeRole", "sts:GetFederationToken", "sts:AssumeRoot"];
const SESSION_TOKEN_KEYS: [&str; 5] = ["call", "duration_seconds", "serial_number", "token_code", "description"];
const ASSUME_ROLE_KEYS: [&str; 14] = [
    "call",
    "role_arn",
    "role_session_name",
    "duration_seconds",
    "policy",
    "policy_arns",
    "tags",
    "transitive_tag_keys",
    "source_identity",
    "external_id",
    "serial_number",
    "token_code",
    "context",
    "description",
];
const FEDERATION_KEYS: [&str; 8] =
    ["call", "name", "duration_seconds", "policy", "policy_arns", "tags", "context", "description"];
const ASSUME_ROOT_KEYS: [&str; 6] =
    ["call", "target_principal", "task_policy_arn", "duration_seconds", "context", "description"];
const REQUEST_KEYS: [&str; 4] = ["action", "resource", "resource_account", "context"];

impl<'a> R<'_, 'a> {
    /// One hop: an object with `credential`, `call` or `request`.
    pub fn hop(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<(Raw<'a>, Pending, Span)>> {
        let start = pull.pos();
        let Some(mut obj) = self.object(pull, "a hop")? else { return Ok(None) };
        let first = pull.key(&mut obj)?;
        let out = match first {
            Some((k, _)) if k == "credential" => {
                let raw = self.credential(pull)?;
                self.rest_of(pull, &mut obj, &[], "a credential hop")?;
                raw.map(|r| (r, Pending::default()))
            }
            Some((k, _)) if k == "request" => self.request(pull, &mut obj)?.map(|r| (r, Pending::default())),
            Some((k, _)) if k == "call" => {
                let call = self.string(pull, "`call`")?;
                match call {
                    Some(c) if CALLS.contains(&c.text.as_str()) => self.call(pull, &mut obj, &c)?,
                    Some(c) => {
                        self.error(
                            Code::ChainUnknownCall,
                            c.span,
                            format!("unknown call `{}`", c.text),
                            Some("the calls are `sts:GetSessionToken`, `sts:AssumeRole`, `sts:GetFederationToken` and `sts:AssumeRoot`"),
                        );
                        self.rest_of(pull, &mut obj, &["*"], "")?;
                        None
                    }
                    None => None,
                }
            }
            Some((k, span)) => {
                self.unknown(&k, span, &HOP_KEYS, "a hop (write its kind first)");
                pull.skip()?;
                self.rest_of(pull, &mut obj, &["*"], "")?;
                None
            }
            None => {
                self.error(Code::ChainEmptyHop, Span::from_range(start, start + 1), "empty hop", None);
                None
            }
        };
        Ok(out.map(|(r, p)| (r, p, pull.span_from(obj.start))))
    }

    /// Skips the remaining keys of `obj`, reporting each unless `known` is `["*"]`.
    fn rest_of(
        &mut self,
        pull: &mut Pull<'a>,
        obj: &mut crate::json::Obj,
        known: &[&str],
        place: &str,
    ) -> PullResult<()> {
        while let Some((k, span)) = pull.key(obj)? {
            if known != ["*"] {
                self.unknown(&k, span, &HOP_KEYS, place);
            }
            pull.skip()?;
        }
        Ok(())
    }

    fn credential(&mut self, pull: &mut Pull<'a>) -> PullResult<Option<Raw<'a>>> {
        let start = pull.pos();
        let Some(mut obj) = self.object(pull, "`credential`")? else { return Ok(None) };
        let (mut user, mut key) = (None, None);
        while let Some((k, span)) = pull.key(&mut obj)? {
            match k.as_ref() {
                "user" => user = self.string(pull, "`user`")?,
                "access_key" => key = self.string(pull, "`access_key`")?,
                other => {
                    self.unknown(other, span, &["user", "access_key"], "`credential`");
                    pull.skip()?;
                }
            }
        }
        let Some(user) = user else {
            self.error(
                Code::ChainMissingField,
                Span::from_range(start, start + 1),
                "`credential` has no `user`",
                Some("name a user of `entities.users` by ARN (the root user is `arn:aws:iam::ACCOUNT:root`)"),
            );
            return Ok(None);
        };
        Ok(Some(Raw::Credential { user, key }))
    }

    fn request(&mut self, pull: &mut Pull<'a>, hop: &mut crate::json::Obj) -> PullResult<Option<Raw<'a>>> {
        let start = pull.pos();
        let Some(mut obj) = self.object(pull, "`request`")? else { return Ok(None) };
        let (mut action, mut resource, mut account, mut context) = (None, None, None, Vec::new());
        while let Some((k, span)) = pull.key(&mut obj)? {
            match k.as_ref() {
                "action" => action = self.string(pull, "`action`")?,
                "resource" => resource = self.string(pull, "`resource`")?,
                "resource_account" => account = self.string(pull, "`resource_account`")?,
                "context" => context = self.context(pull)?,
                other => {
                    self.unknown(other, span, &REQUEST_KEYS, "the chain's `request`");
                    pull.skip()?;
                }
            }
        }
        let (mut resource_policy, mut vpce) = (None, None);
        while let Some((k, span)) = pull.key(hop)? {
            match k.as_ref() {
                "policies" => (resource_policy, vpce) = self.request_policies(pull)?,
                other => {
                    self.unknown(other, span, &["request", "policies"], "a request hop");
                    pull.skip()?;
                }
            }
        }
        let (Some(action), Some(resource)) = (action, resource) else {
            self.error(
                Code::ChainMissingField,
                Span::from_range(start, start + 1),
                "the chain's `request` needs `action` and `resource`",
                Some("the principal is the credential of the hop before: do not give one"),
            );
            return Ok(None);
        };
        if let Some(a) = &account {
            self.diags.extend(crate::request::resource_account_conflict(&resource.text, &a.text, a.span));
        }
        // AssumeRoot's checks (the caller's account, the organization, the
        // task policy) and AssumeRole's (the source identity and transitive
        // tags a session carries into the next role need
        // `sts:SetSourceIdentity` and `sts:TagSession`; the session name,
        // the duration, role chaining) are those of a call hop: a request
        // hop would skip them.
        for (call, checks) in [
            ("sts:AssumeRoot", "the caller's account, the organization and the task policy"),
            (
                "sts:AssumeRole",
                "the source identity and session tags the session carries, the session name and the duration",
            ),
        ] {
            if action.text.eq_ignore_ascii_case(call) {
                self.error(
                    Code::ChainShape,
                    action.span,
                    format!("the chain's `request` cannot be `{call}`"),
                    Some(&format!("write it as a call hop, `{{\"call\": \"{call}\", ...}}`, which checks {checks}")),
                );
                return Ok(None);
            }
        }
        let spec = RequestSpec { action, resource, resource_account: account, context, resource_policy, vpce };
        Ok(Some(Raw::Hop(HopSpec::Request(Box::new(spec)))))
    }

    /// `{"resource": POLICY, "vpce": POLICY}` of a request hop.
    fn request_policies(&mut self, pull: &mut Pull<'a>) -> PullResult<(Option<Named<'a>>, Option<Named<'a>>)> {
        let (mut resource, mut vpce) = (None, None);
        let Some(mut obj) = self.object(pull, "`policies`")? else { return Ok((None, None)) };
        while let Some((k, span)) = pull.key(&mut obj)? {
            let (kind, slot) = match k.as_ref() {
                "resource" => (PolicyKind::Resource, &mut resource),
                "vpce" => (PolicyKind::Vpce, &mut vpce),
                other => {
                    self.unknown(other, span, &["resource", "vpce"], "a request hop's `policies`");
                    pull.skip()?;
                    continue;
                }
            };
            *slot = self.policy(pull, kind)?.map(|(p, name)| Named::new(p, 0, None, name));
        }
        Ok((resource, vpce))
    }

    fn call(
        &mut self,
        pull: &mut Pull<'a>,
        obj: &mut crate::json::Obj,
        call: &Text,
    ) -> PullResult<Option<(Raw<'a>, Pending)>> {
        let known: &[&str] = match call.text.as_str() {
            "sts:GetSessionToken" => &SESSION_TOKEN_KEYS,
            "sts:AssumeRole" => &ASSUME_ROLE_KEYS,
            "sts:GetFederationToken" => &FEDERATION_KEYS,
            _ => &ASSUME_ROOT_KEYS,
        };
        let mut v = Values::default();
        let mut pending = Pending::default();
        while let Some((k, span)) = pull.key(obj)? {
            if !known.contains(&k.as_ref()) || k == "call" {
                self.unknown(&k, span, known.get(1..).unwrap_or(&[]), &format!("a `{}` hop", call.text));
                pull.skip()?;
                continue;
            }
            match k.as_ref() {
                "duration_seconds" => v.params.duration = self.number(pull, "`duration_seconds`")?,
                "policy" => {
                    if let Some((p, _)) = self.policy(pull, PolicyKind::Session)? {
                        let text = self.policy_text(&p);
                        v.params.policy = Some((p, text));
                    }
                }
                "policy_arns" => pending.policy_arns = self.policy_arns(pull)?,
                "tags" => v.params.tags = self.tags(pull, "`tags`")?,
                "transitive_tag_keys" => v.transitive = self.strings(pull, "`transitive_tag_keys`")?,
                "context" => v.params.context = self.context(pull)?,
                "role_arn" => pending.role_arn = self.string(pull, "`role_arn`")?,
                "description" => {
                    pull.skip()?;
                }
                other => {
                    let t = self.string(pull, &format!("`{other}`"))?;
                    v.texts.push((other.to_owned(), t));
                }
            }
        }
        let text = |name: &str| v.texts.iter().find(|(k, _)| k == name).and_then(|(_, t)| t.clone());
        let hop = match call.text.as_str() {
            "sts:GetSessionToken" => HopSpec::SessionToken(SessionTokenSpec {
                duration: v.params.duration,
                serial_number: text("serial_number"),
                token_code: text("token_code"),
            }),
            "sts:AssumeRole" => {
                let Some(role_arn) = pending.role_arn.clone() else {
                    self.error(Code::ChainMissingField, call.span, "`sts:AssumeRole` needs `role_arn`", None);
                    return Ok(None);
                };
                HopSpec::AssumeRole(Box::new(AssumeRoleSpec {
                    role: usize::MAX,
                    role_arn,
                    session_name: text("role_session_name"),
                    transitive: std::mem::take(&mut v.transitive),
                    source_identity: text("source_identity"),
                    external_id: text("external_id"),
                    serial_number: text("serial_number"),
                    token_code: text("token_code"),
                    params: v.params,
                }))
            }
            "sts:GetFederationToken" => {
                HopSpec::Federation(Box::new(FederationSpec { name: text("name"), params: v.params }))
            }
            _ => HopSpec::AssumeRoot(AssumeRootSpec {
                target: text("target_principal"),
                task_policy_arn: text("task_policy_arn"),
                task_policy: None,
                duration: v.params.duration,
                context: v.params.context,
            }),
        };
        Ok(Some((Raw::Hop(hop), pending)))
    }

    /// `policy_arns`: ARNs, `{"arn": ARN}` objects, or the CLI's `arn=ARN`.
    fn policy_arns(&mut self, pull: &mut Pull<'a>) -> PullResult<Vec<Text>> {
        let mut out = Vec::new();
        let Some(mut arr) = self.array(pull, "`policy_arns`")? else { return Ok(out) };
        while pull.item(&mut arr)? {
            if pull.peek()? == crate::json::Kind::Object {
                let mut obj = pull.open_object()?;
                while let Some((k, span)) = pull.key(&mut obj)? {
                    if k == "arn" {
                        out.extend(self.string(pull, "`arn`")?);
                    } else {
                        self.unknown(&k, span, &["arn"], "a policy ARN");
                        pull.skip()?;
                    }
                }
                continue;
            }
            if let Some(mut t) = self.string(pull, "a policy ARN")? {
                if let Some(rest) = t.text.strip_prefix("arn=") {
                    t.text = rest.to_owned();
                }
                out.push(t);
            }
        }
        Ok(out)
    }
}

/// Parameters gathered while reading a call.
#[derive(Debug, Default)]
struct Values<'a> {
    params: SessionParams<'a>,
    transitive: Vec<Text>,
    texts: Vec<(String, Option<Text>)>,
}
