//! The request: who asks to do what to which resource, with which context.

mod caller;
mod context;

use std::borrow::Cow;

pub(crate) use caller::is_web_identity_action;
pub use caller::{Caller, CallerError, PrincipalKind, Source};
pub use context::{Context, ContextEntry, ContextValue, Keys};

use crate::diagnostic::{quote, Code, Diagnostic};
use crate::span::{eq_ignoring_spans, Span, Str};

/// Facts the ARNs cannot show (scenario `request.flags`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// The principal belongs to the organization's management account: SCPs do not apply.
    pub principal_in_management_account: bool,
    /// The principal is a service-linked role: neither SCPs nor RCPs apply.
    pub service_linked_role: bool,
    /// The resource belongs to the management account: RCPs do not apply.
    /// Absent: true when the request is same-account and the principal is
    /// in the management account.
    pub resource_in_management_account: Option<bool>,
    /// What-if: evaluate as if `RCPFullAWSAccess` were not attached. AWS
    /// attaches it to every root, OU and account and does not let it be
    /// detached, so by default every RCP level holds it.
    pub rcp_full_aws_access_detached: bool,
}

/// A request as given in a scenario.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub principal: Str<'a>,
    pub action: Str<'a>,
    pub resource: Str<'a>,
    pub resource_account: Option<Str<'a>>,
    pub session_parent_arn: Option<Str<'a>>,
    pub flags: Flags,
    pub context: Context<'a>,
    pub span: Span,
}

/// An error when `account` (a request's `resource_account`, written at
/// `span`) is not the account the ARN `resource` names; `None` when they
/// agree or the resource names no account.
pub fn resource_account_conflict(resource: &str, account: &str, span: Span) -> Option<Diagnostic> {
    let arn = crate::arn::Arn::parse(resource).ok()?;
    if arn.account.is_empty() || arn.account == account {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::RequestInconsistentResourceAccount,
            span,
            format!("{} differs from the account `{}` of the resource ARN", quote(account), arn.account),
        )
        .with_help("leave `resource_account` out: it is for ARNs that carry no account, such as S3's"),
    )
}

// Equality ignores where the request was written.
eq_ignoring_spans!(
    Request { principal, action, resource, resource_account, session_parent_arn, flags, context }
    ignoring { span }
);

impl<'a> Request<'a> {
    /// An error when `resource_account` contradicts the account the
    /// resource ARN names: the field is for ARNs that carry no account (S3),
    /// and taking it over the ARN would move the resource to another
    /// account. Checked where a request is read from the user's input.
    pub fn resource_account_conflict(&self) -> Option<Diagnostic> {
        let given = self.resource_account.as_ref()?;
        resource_account_conflict(&self.resource.value, &given.value, given.span)
    }

    /// A request with no context keys and no flags.
    pub fn new(principal: &'a str, action: &'a str, resource: &'a str) -> Self {
        let s = |t: &'a str| Str::new(Cow::Borrowed(t), Span::default());
        Request {
            principal: s(principal),
            action: s(action),
            resource: s(resource),
            resource_account: None,
            session_parent_arn: None,
            flags: Flags::default(),
            context: Context::new(),
            span: Span::default(),
        }
    }
}
