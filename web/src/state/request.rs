//! The request as typed: its fields, flags and the context key table. Rows
//! carry stable ids, like editors.

use std::collections::BTreeMap;

use iamtrace::api::{self, ContextInput, FlagsInput};

use crate::state::policies::Ids;

/// One row of the context key table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextRow {
    pub id: u32,
    pub key: String,
    /// At least one value; only the first counts unless `multi`.
    pub values: Vec<String>,
    /// A multivalued key (a JSON array in the scenario).
    pub multi: bool,
}

impl ContextRow {
    /// The value as the core takes it.
    pub fn input(&self) -> ContextInput {
        if self.multi {
            ContextInput::Many(self.values.clone())
        } else {
            ContextInput::One(self.values.first().cloned().unwrap_or_default())
        }
    }
}

/// The request as typed (empty optional fields mean "not given").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestState {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub resource_account: String,
    pub session_parent_arn: String,
    pub flags: FlagsInput,
    pub context: Vec<ContextRow>,
}

/// A request text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Principal,
    Action,
    Resource,
    ResourceAccount,
    SessionParentArn,
}

impl Field {
    pub const ALL: [Field; 5] =
        [Field::Principal, Field::Action, Field::Resource, Field::ResourceAccount, Field::SessionParentArn];

    /// The field's name in the scenario format and in the core's diagnostics.
    pub fn key(self) -> &'static str {
        match self {
            Field::Principal => "principal",
            Field::Action => "action",
            Field::Resource => "resource",
            Field::ResourceAccount => "resource_account",
            Field::SessionParentArn => "session_parent_arn",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// A request flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    PrincipalInManagementAccount,
    ServiceLinkedRole,
}

impl RequestState {
    /// The request of a scenario, its context rows in key order.
    pub fn from_input(r: api::RequestInput, ids: &mut Ids) -> RequestState {
        let context = r
            .context
            .into_iter()
            .map(|(key, v)| {
                let (values, multi) = match v {
                    ContextInput::One(v) => (vec![v], false),
                    ContextInput::Many(vs) => (vs, true),
                };
                ContextRow { id: ids.fresh(), key, values, multi }
            })
            .collect();
        RequestState {
            principal: r.principal,
            action: r.action,
            resource: r.resource,
            resource_account: r.resource_account.unwrap_or_default(),
            session_parent_arn: r.session_parent_arn.unwrap_or_default(),
            flags: r.flags,
            context,
        }
    }

    /// The request as the core takes it (rows without a key are left out;
    /// of two rows with one key, the later wins).
    pub fn input(&self) -> api::RequestInput {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut context = BTreeMap::new();
        for row in &self.context {
            if !row.key.trim().is_empty() {
                context.insert(row.key.clone(), row.input());
            }
        }
        api::RequestInput {
            principal: self.principal.clone(),
            action: self.action.clone(),
            resource: self.resource.clone(),
            resource_account: opt(&self.resource_account),
            session_parent_arn: opt(&self.session_parent_arn),
            flags: self.flags,
            context,
        }
    }

    pub fn field(&self, field: Field) -> &str {
        match field {
            Field::Principal => &self.principal,
            Field::Action => &self.action,
            Field::Resource => &self.resource,
            Field::ResourceAccount => &self.resource_account,
            Field::SessionParentArn => &self.session_parent_arn,
        }
    }

    /// Sets a field; returns whether it changed.
    pub fn set_field(&mut self, field: Field, value: String) -> bool {
        let slot = match field {
            Field::Principal => &mut self.principal,
            Field::Action => &mut self.action,
            Field::Resource => &mut self.resource,
            Field::ResourceAccount => &mut self.resource_account,
            Field::SessionParentArn => &mut self.session_parent_arn,
        };
        if *slot == value {
            return false;
        }
        *slot = value;
        true
    }

    pub fn set_flag(&mut self, flag: Flag, on: bool) {
        match flag {
            Flag::PrincipalInManagementAccount => self.flags.principal_in_management_account = on,
            Flag::ServiceLinkedRole => self.flags.service_linked_role = on,
        }
    }

    /// The account of the principal, when its ARN has one.
    pub fn principal_account(&self) -> Option<String> {
        iamtrace::arn::Arn::parse(&self.principal)
            .ok()
            .map(|a| a.account.to_owned())
            .filter(|a| iamtrace::arn::is_account_id(a))
    }

    /// Appends a context row as it is (duplicates and empty keys included).
    pub fn push_row(&mut self, key: String, mut values: Vec<String>, multi: bool, ids: &mut Ids) {
        if values.is_empty() && !multi {
            values.push(String::new());
        }
        self.context.push(ContextRow { id: ids.fresh(), key, values, multi });
    }

    /// Adds a context key (or fills the value of an existing row with that key).
    pub fn add_context(&mut self, key: String, value: String, ids: &mut Ids) {
        if let Some(row) = self.context.iter_mut().find(|r| r.key == key) {
            if !value.is_empty() {
                row.values = vec![value];
                row.multi = false;
            }
            return;
        }
        self.context.push(ContextRow { id: ids.fresh(), key, values: vec![value], multi: false });
    }

    pub fn row_mut(&mut self, id: u32) -> Option<&mut ContextRow> {
        self.context.iter_mut().find(|r| r.id == id)
    }
}
