//! A chain scenario as read: the entities it describes and its hops, with
//! the spans they came from. Evaluation lives in the sibling files.

use std::borrow::Cow;

use crate::eval::Named;
use crate::policy::Policy;
use crate::request::ContextValue;
use crate::span::Span;
use crate::trace::Decision;

use super::Outcome;

/// A string of the scenario with its span (document 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    pub text: String,
    pub span: Span,
}

/// A number of the scenario (durations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Number {
    pub value: i64,
    pub span: Span,
}

/// An access key of an IAM user or the root user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccessKey {
    pub id: String,
    pub active: bool,
    pub span: Span,
}

/// An IAM user, or the root user when `root` is set.
#[derive(Debug, Clone)]
pub(crate) struct User<'a> {
    pub arn: String,
    pub root: bool,
    pub account: String,
    pub partition: String,
    pub name: String,
    pub policies: Vec<Named<'a>>,
    pub boundary: Option<Named<'a>>,
    pub tags: Vec<(String, String)>,
    pub keys: Vec<AccessKey>,
    /// The serial number or ARN of the MFA device.
    pub mfa: Option<String>,
}

/// An IAM role.
#[derive(Debug, Clone)]
pub(crate) struct Role<'a> {
    pub arn: String,
    pub account: String,
    pub partition: String,
    pub name: String,
    pub trust: Option<Named<'a>>,
    pub policies: Vec<Named<'a>>,
    pub boundary: Option<Named<'a>>,
    pub tags: Vec<(String, String)>,
    /// Seconds; `None` means IAM's default of one hour.
    pub max_session_duration: Option<u32>,
}

/// A managed policy named by ARN in `policy_arns`: resolved from the
/// scenario's `entities.policies` or from the managed-policy library.
#[derive(Debug, Clone)]
pub(crate) struct PolicyArn<'a> {
    pub arn: Text,
    pub name: String,
    /// Read as an identity policy; the kind is changed where it is used.
    pub policy: Policy<'a>,
}

/// A context key given in the scenario.
#[derive(Debug, Clone)]
pub(crate) struct GivenKey<'a> {
    pub key: Cow<'a, str>,
    pub value: ContextValue<'a>,
    pub span: Span,
}

/// Parameters shared by the calls that pass session policies and tags.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionParams<'a> {
    pub duration: Option<Number>,
    /// The inline session policy and its text as written.
    pub policy: Option<(Policy<'a>, String)>,
    pub policy_arns: Vec<PolicyArn<'a>>,
    pub tags: Vec<(Text, Text)>,
    pub context: Vec<GivenKey<'a>>,
}

#[derive(Debug, Clone)]
pub(crate) struct AssumeRoleSpec<'a> {
    pub role: usize,
    pub role_arn: Text,
    pub session_name: Option<Text>,
    pub params: SessionParams<'a>,
    pub transitive: Vec<Text>,
    pub source_identity: Option<Text>,
    pub external_id: Option<Text>,
    pub serial_number: Option<Text>,
    pub token_code: Option<Text>,
}

#[derive(Debug, Clone)]
pub(crate) struct FederationSpec<'a> {
    pub name: Option<Text>,
    pub params: SessionParams<'a>,
}

#[derive(Debug, Clone)]
pub(crate) struct SessionTokenSpec {
    pub duration: Option<Number>,
    pub serial_number: Option<Text>,
    pub token_code: Option<Text>,
}

#[derive(Debug, Clone)]
pub(crate) struct AssumeRootSpec<'a> {
    pub target: Option<Text>,
    pub task_policy_arn: Option<Text>,
    /// The task policy, when the managed-policy library knows it.
    pub task_policy: Option<PolicyArn<'a>>,
    pub duration: Option<Number>,
    pub context: Vec<GivenKey<'a>>,
}

#[derive(Debug, Clone)]
pub(crate) struct RequestSpec<'a> {
    pub action: Text,
    pub resource: Text,
    pub resource_account: Option<Text>,
    pub context: Vec<GivenKey<'a>>,
    pub resource_policy: Option<Named<'a>>,
    pub vpce: Option<Named<'a>>,
}

/// One hop of the chain.
#[derive(Debug, Clone)]
pub(crate) enum HopSpec<'a> {
    Credential { user: usize, key: Option<usize> },
    SessionToken(SessionTokenSpec),
    AssumeRole(Box<AssumeRoleSpec<'a>>),
    Federation(Box<FederationSpec<'a>>),
    AssumeRoot(AssumeRootSpec<'a>),
    Request(Box<RequestSpec<'a>>),
}

/// The organization facts AssumeRoot needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Organization {
    pub management_account: Option<String>,
    pub delegated_admins: Vec<String>,
    pub centralized_root_access: Option<bool>,
}

/// What a scenario expects of one hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopExpectation {
    pub outcome: Outcome,
    /// The code of the check that should fail, when `outcome` is `CheckFailed`.
    pub check: Option<String>,
}

/// A valid chain scenario, ready to walk.
#[derive(Debug, Clone)]
pub struct Chain<'a> {
    pub name: Option<String>,
    pub expected: Option<Decision>,
    pub expected_hops: Option<Vec<HopExpectation>>,
    pub(crate) users: Vec<User<'a>>,
    pub(crate) roles: Vec<Role<'a>>,
    pub(crate) scp: Vec<Vec<Named<'a>>>,
    pub(crate) rcp: Vec<Vec<Named<'a>>>,
    pub(crate) organization: Organization,
    /// `now`: the time every hop happens at (ISO 8601), if given.
    pub(crate) now: Option<String>,
    pub(crate) hops: Vec<(HopSpec<'a>, Span)>,
}
