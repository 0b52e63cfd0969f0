//! The playground's state: the texts people edit, the request, the selected
//! example and which panels are open. Everything shown on the page is
//! derived from this (see [`crate::eval`]); nothing derived is stored here.
//!
//! Editors, SCP/RCP levels and context rows carry stable ids so that removing
//! one never confuses the editor of another.

use std::collections::BTreeSet;
use std::rc::Rc;

use iamtrace::api::{self, ContextInput, FlagsInput, PolicyText};
use iamtrace::policy::PolicyKind;
use iamtrace::Decision;
use yew::Reducible;

use crate::examples;

/// Identifies an editor (a policy text) for the life of a state.
pub type EditorId = u32;

/// One policy text and its display name (empty: no name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyEntry {
    pub id: EditorId,
    pub name: String,
    pub text: String,
}

/// One level of SCPs or RCPs (organization root first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub id: u32,
    pub policies: Vec<PolicyEntry>,
}

/// Every policy of the scenario, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyState {
    pub identity: Vec<PolicyEntry>,
    pub resource: Option<PolicyEntry>,
    pub boundary: Option<PolicyEntry>,
    pub session: Vec<PolicyEntry>,
    pub scp: Vec<Level>,
    pub rcp: Vec<Level>,
    pub vpce: Option<PolicyEntry>,
}

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

/// A section of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Panel {
    Policies,
    Request,
    Decision,
    Trace,
    Diagram,
    /// The access overview: every action of the request's service.
    Overview,
}

impl Panel {
    pub const ALL: [Panel; 6] =
        [Panel::Policies, Panel::Request, Panel::Decision, Panel::Overview, Panel::Trace, Panel::Diagram];

    /// The panel's name in links (`panels=policies,decision`).
    pub fn key(self) -> &'static str {
        match self {
            Panel::Policies => "policies",
            Panel::Request => "request",
            Panel::Decision => "decision",
            Panel::Trace => "trace",
            Panel::Diagram => "diagram",
            Panel::Overview => "overview",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Panel::Policies => "Policies",
            Panel::Request => "Request",
            Panel::Decision => "Decision",
            Panel::Trace => "Trace",
            Panel::Diagram => "Evaluation flow",
            Panel::Overview => "Access overview",
        }
    }

    pub fn parse(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.key() == s.trim())
    }

    fn bit(self) -> u8 {
        match self {
            Panel::Policies => 1,
            Panel::Request => 2,
            Panel::Decision => 4,
            Panel::Trace => 8,
            Panel::Diagram => 16,
            Panel::Overview => 32,
        }
    }
}

/// A set of panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelSet(u8);

impl Default for PanelSet {
    fn default() -> Self {
        PanelSet::default_open()
    }
}

impl PanelSet {
    pub const fn all() -> Self {
        PanelSet(63)
    }

    /// The panels a page opens with: all but the access overview, which
    /// shows its summary in its heading until it is opened.
    pub const fn default_open() -> Self {
        PanelSet(63 & !32)
    }

    pub const fn empty() -> Self {
        PanelSet(0)
    }

    pub fn of(panels: &[Panel]) -> Self {
        PanelSet(panels.iter().fold(0, |acc, p| acc | p.bit()))
    }

    pub fn contains(self, p: Panel) -> bool {
        self.0 & p.bit() != 0
    }

    #[must_use]
    pub fn with(self, p: Panel, on: bool) -> Self {
        if on {
            PanelSet(self.0 | p.bit())
        } else {
            PanelSet(self.0 & !p.bit())
        }
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses `policies,trace`; unknown names are ignored.
    pub fn parse_list(s: &str) -> PanelSet {
        PanelSet::of(&s.split(',').filter_map(Panel::parse).collect::<Vec<_>>())
    }

    /// The panels in page order.
    pub fn panels(self) -> Vec<Panel> {
        Panel::ALL.into_iter().filter(|p| self.contains(*p)).collect()
    }

    /// `policies,trace`.
    pub fn to_list(self) -> String {
        self.panels().iter().map(|p| p.key()).collect::<Vec<_>>().join(",")
    }
}

/// A policy kind that can be added from the "Add policy" menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddKind {
    Identity,
    Resource,
    Boundary,
    Session,
    /// A new SCP level, with one policy.
    ScpLevel,
    /// A new RCP level, with one policy.
    RcpLevel,
    Vpce,
}

impl AddKind {
    pub const ALL: [AddKind; 7] = [
        AddKind::Identity,
        AddKind::Resource,
        AddKind::Boundary,
        AddKind::Session,
        AddKind::ScpLevel,
        AddKind::RcpLevel,
        AddKind::Vpce,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AddKind::Identity => "Identity-based policy",
            AddKind::Resource => "Resource-based policy",
            AddKind::Boundary => "Permissions boundary",
            AddKind::Session => "Session policy",
            AddKind::ScpLevel => "SCP level",
            AddKind::RcpLevel => "RCP level",
            AddKind::Vpce => "VPC endpoint policy",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            AddKind::Identity => "identity",
            AddKind::Resource => "resource",
            AddKind::Boundary => "boundary",
            AddKind::Session => "session",
            AddKind::ScpLevel => "scp",
            AddKind::RcpLevel => "rcp",
            AddKind::Vpce => "vpce",
        }
    }
}

/// Everything the page edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The example this state came from (kept after edits: "based on").
    pub example: Option<String>,
    /// Whether anything changed since the example or link was loaded.
    pub edited: bool,
    pub name: Option<String>,
    pub expected: Option<Decision>,
    pub policies: PolicyState,
    pub request: RequestState,
    /// Panels that are expanded ([`PanelSet::default_open`] unless changed).
    pub open: PanelSet,
    /// Check codes switched off (shared in links; not an input of the evaluation).
    pub lint_off: BTreeSet<String>,
    /// The AWS data versions (`package@version`) of the page that made the
    /// link this state came from, when the link says.
    pub made_with: Option<Vec<String>>,
    /// Bumped by every change of an input (policies or request): the key
    /// under which evaluation results are memoised.
    pub rev: u64,
    /// Bumped when the texts are replaced wholesale, so editors are rebuilt.
    pub generation: u64,
    next_id: u32,
}

impl Default for State {
    fn default() -> Self {
        State {
            example: None,
            edited: false,
            name: None,
            expected: None,
            policies: PolicyState::default(),
            request: RequestState::default(),
            open: PanelSet::default_open(),
            lint_off: BTreeSet::new(),
            made_with: None,
            rev: 0,
            generation: 0,
            next_id: 1,
        }
    }
}

impl State {
    /// A state holding `input`'s texts and request.
    pub fn from_input(input: api::Input, example: Option<String>) -> State {
        let mut s = State { example, name: input.name, expected: input.expected, ..State::default() };
        let p = input.policies;
        s.policies.identity = p.identity.into_iter().map(|t| s.entry(t)).collect();
        s.policies.resource = p.resource.map(|t| s.entry(t));
        s.policies.boundary = p.boundary.map(|t| s.entry(t));
        s.policies.session = p.session.into_iter().map(|t| s.entry(t)).collect();
        s.policies.scp = p.scp.into_iter().map(|l| s.level(l)).collect();
        s.policies.rcp = p.rcp.into_iter().map(|l| s.level(l)).collect();
        s.policies.vpce = p.vpce.map(|t| s.entry(t));
        let r = input.request;
        let context = r
            .context
            .into_iter()
            .map(|(key, v)| {
                let (values, multi) = match v {
                    ContextInput::One(v) => (vec![v], false),
                    ContextInput::Many(vs) => (vs, true),
                };
                let id = s.fresh_id();
                ContextRow { id, key, values, multi }
            })
            .collect();
        s.request = RequestState {
            principal: r.principal,
            action: r.action,
            resource: r.resource,
            resource_account: r.resource_account.unwrap_or_default(),
            session_parent_arn: r.session_parent_arn.unwrap_or_default(),
            flags: r.flags,
            context,
        };
        s
    }

    /// The state of a built-in example, if the id is known and it parses.
    pub fn from_example(id: &str) -> Option<State> {
        let input = examples::input(id)?;
        Some(State::from_input(input, Some(id.to_owned())))
    }

    /// The page's first state: the default example.
    pub fn initial() -> State {
        State::from_example(examples::DEFAULT).unwrap_or_default()
    }

    /// What the scenario is called in an embed: the example's title, else
    /// the scenario's name, else a generic title.
    pub fn title(&self) -> String {
        self.example
            .as_deref()
            .and_then(examples::find)
            .map(|e| e.title.to_owned())
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| "IAM policy evaluation".to_owned())
    }

    /// The texts and request, as the core takes them.
    pub fn to_input(&self) -> api::Input {
        let text =
            |e: &PolicyEntry| PolicyText { name: (!e.name.is_empty()).then(|| e.name.clone()), text: e.text.clone() };
        let level = |l: &Level| l.policies.iter().map(text).collect::<Vec<_>>();
        let p = &self.policies;
        let r = &self.request;
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut context = std::collections::BTreeMap::new();
        for row in &r.context {
            if !row.key.trim().is_empty() {
                context.insert(row.key.clone(), row.input());
            }
        }
        api::Input {
            name: self.name.clone(),
            policies: api::Policies {
                identity: p.identity.iter().map(text).collect(),
                resource: p.resource.as_ref().map(text),
                boundary: p.boundary.as_ref().map(text),
                session: p.session.iter().map(text).collect(),
                scp: p.scp.iter().map(level).collect(),
                rcp: p.rcp.iter().map(level).collect(),
                vpce: p.vpce.as_ref().map(text),
            },
            request: api::RequestInput {
                principal: r.principal.clone(),
                action: r.action.clone(),
                resource: r.resource.clone(),
                resource_account: opt(&r.resource_account),
                session_parent_arn: opt(&r.session_parent_arn),
                flags: r.flags,
                context,
            },
            expected: self.expected,
        }
    }

    /// The editor of a policy, by the core's coordinates.
    pub fn entry_at(&self, kind: PolicyKind, index: usize, level: Option<usize>) -> Option<&PolicyEntry> {
        let p = &self.policies;
        match kind {
            PolicyKind::Identity => p.identity.get(index),
            PolicyKind::Session => p.session.get(index),
            PolicyKind::Resource => p.resource.as_ref(),
            PolicyKind::Boundary => p.boundary.as_ref(),
            PolicyKind::Vpce => p.vpce.as_ref(),
            PolicyKind::Scp => p.scp.get(level.unwrap_or(0)).and_then(|l| l.policies.get(index)),
            PolicyKind::Rcp => p.rcp.get(level.unwrap_or(0)).and_then(|l| l.policies.get(index)),
        }
    }

    /// Every editor, in page order.
    pub fn entries(&self) -> Vec<&PolicyEntry> {
        let p = &self.policies;
        let mut out: Vec<&PolicyEntry> = p.identity.iter().collect();
        out.extend(p.resource.iter());
        out.extend(p.boundary.iter());
        out.extend(p.session.iter());
        out.extend(p.scp.iter().flat_map(|l| l.policies.iter()));
        out.extend(p.rcp.iter().flat_map(|l| l.policies.iter()));
        out.extend(p.vpce.iter());
        out
    }

    /// A label for an editor: `Identity policy 1 "ReadS3"`.
    pub fn entry_label(&self, id: EditorId) -> String {
        let p = &self.policies;
        let named = |base: String, e: &PolicyEntry| {
            if e.name.is_empty() {
                base
            } else {
                format!("{base} “{}”", e.name)
            }
        };
        for (i, e) in p.identity.iter().enumerate() {
            if e.id == id {
                return named(format!("Identity policy {}", i + 1), e);
            }
        }
        for (i, e) in p.session.iter().enumerate() {
            if e.id == id {
                return named(format!("Session policy {}", i + 1), e);
            }
        }
        for (kind, levels) in [("SCP", &p.scp), ("RCP", &p.rcp)] {
            for (l, level) in levels.iter().enumerate() {
                for (i, e) in level.policies.iter().enumerate() {
                    if e.id == id {
                        return named(format!("{kind} level {} policy {}", l + 1, i + 1), e);
                    }
                }
            }
        }
        for (label, e) in [
            ("Resource-based policy", &p.resource),
            ("Permissions boundary", &p.boundary),
            ("VPC endpoint policy", &p.vpce),
        ] {
            if let Some(e) = e {
                if e.id == id {
                    return named(label.to_owned(), e);
                }
            }
        }
        "Policy".to_owned()
    }

    fn fresh_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    fn entry(&mut self, t: PolicyText) -> PolicyEntry {
        PolicyEntry { id: self.fresh_id(), name: t.name.unwrap_or_default(), text: t.text }
    }

    fn level(&mut self, policies: Vec<PolicyText>) -> Level {
        let id = self.fresh_id();
        Level { id, policies: policies.into_iter().map(|t| self.entry(t)).collect() }
    }

    fn entry_mut(&mut self, id: EditorId) -> Option<&mut PolicyEntry> {
        let p = &mut self.policies;
        p.identity
            .iter_mut()
            .chain(p.resource.iter_mut())
            .chain(p.boundary.iter_mut())
            .chain(p.session.iter_mut())
            .chain(p.scp.iter_mut().flat_map(|l| l.policies.iter_mut()))
            .chain(p.rcp.iter_mut().flat_map(|l| l.policies.iter_mut()))
            .chain(p.vpce.iter_mut())
            .find(|e| e.id == id)
    }

    /// Appends a context row as it is (duplicates and empty keys included).
    pub(crate) fn push_context_row(&mut self, key: String, mut values: Vec<String>, multi: bool) {
        if values.is_empty() && !multi {
            values.push(String::new());
        }
        let id = self.fresh_id();
        self.request.context.push(ContextRow { id, key, values, multi });
    }

    fn row_mut(&mut self, id: u32) -> Option<&mut ContextRow> {
        self.request.context.iter_mut().find(|r| r.id == id)
    }

    /// The account of the request's principal, when its ARN has one.
    fn principal_account(&self) -> String {
        iamtrace::arn::Arn::parse(&self.request.principal)
            .ok()
            .map(|a| a.account.to_owned())
            .filter(|a| iamtrace::arn::is_account_id(a))
            .unwrap_or_else(|| "111122223333".to_owned())
    }

    fn template(&self, kind: AddKind) -> String {
        let allow_all = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";
        match kind {
            AddKind::Identity => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n".to_owned(),
            AddKind::Resource => format!(
                "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": \"arn:aws:iam::{}:root\" }},\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    }}\n  ]\n}}\n",
                self.principal_account()
            ),
            AddKind::RcpLevel => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"RCPFullAWSAccess\",\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n".to_owned(),
            AddKind::Vpce => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n".to_owned(),
            AddKind::ScpLevel => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"FullAWSAccess\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n".to_owned(),
            AddKind::Boundary | AddKind::Session => allow_all.to_owned(),
        }
    }

    fn add(&mut self, kind: AddKind) {
        let text = self.template(kind);
        let entry = self.entry(PolicyText { name: None, text });
        let p = &mut self.policies;
        match kind {
            AddKind::Identity => p.identity.push(entry),
            AddKind::Session => p.session.push(entry),
            AddKind::Resource => p.resource = p.resource.take().or(Some(entry)),
            AddKind::Boundary => p.boundary = p.boundary.take().or(Some(entry)),
            AddKind::Vpce => p.vpce = p.vpce.take().or(Some(entry)),
            AddKind::ScpLevel | AddKind::RcpLevel => {
                let id = self.fresh_id();
                let level = Level { id, policies: vec![entry] };
                if kind == AddKind::ScpLevel {
                    self.policies.scp.push(level);
                } else {
                    self.policies.rcp.push(level);
                }
            }
        }
    }

    fn add_to_level(&mut self, level_id: u32) {
        let is_scp = self.policies.scp.iter().any(|l| l.id == level_id);
        let text = self.template(if is_scp { AddKind::ScpLevel } else { AddKind::RcpLevel });
        let entry = self.entry(PolicyText { name: None, text });
        let p = &mut self.policies;
        if let Some(l) = p.scp.iter_mut().chain(p.rcp.iter_mut()).find(|l| l.id == level_id) {
            l.policies.push(entry);
        }
    }

    fn remove(&mut self, id: EditorId) {
        let p = &mut self.policies;
        p.identity.retain(|e| e.id != id);
        p.session.retain(|e| e.id != id);
        for slot in [&mut p.resource, &mut p.boundary, &mut p.vpce] {
            if slot.as_ref().is_some_and(|e| e.id == id) {
                *slot = None;
            }
        }
        for l in p.scp.iter_mut().chain(p.rcp.iter_mut()) {
            l.policies.retain(|e| e.id != id);
        }
    }

    /// Adds a context key (or fills the value of an existing row with that key).
    fn add_context(&mut self, key: String, value: String) {
        if let Some(row) = self.request.context.iter_mut().find(|r| r.key == key) {
            if !value.is_empty() {
                row.values = vec![value];
                row.multi = false;
            }
            return;
        }
        let id = self.fresh_id();
        self.request.context.push(ContextRow { id, key, values: vec![value], multi: false });
    }
}

/// What the page can do to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace everything (an example or a link was opened).
    Load(Box<State>),
    SetText {
        id: EditorId,
        text: String,
    },
    SetName {
        id: EditorId,
        name: String,
    },
    Add(AddKind),
    AddToLevel {
        level: u32,
    },
    Remove {
        id: EditorId,
    },
    RemoveLevel {
        level: u32,
    },
    SetField(Field, String),
    SetFlag(Flag, bool),
    /// Adds a context row (`value` may be empty).
    AddContext {
        key: String,
        value: String,
    },
    SetContextKey {
        row: u32,
        key: String,
    },
    SetContextValue {
        row: u32,
        index: usize,
        value: String,
    },
    AddContextValue {
        row: u32,
    },
    RemoveContextValue {
        row: u32,
        index: usize,
    },
    SetContextMulti {
        row: u32,
        multi: bool,
    },
    RemoveContext {
        row: u32,
    },
    SetPanel(Panel, bool),
    /// Adds an identity policy that names an AWS managed policy.
    AddManaged {
        name: String,
    },
    /// Switches a check code on or off.
    SetLint {
        code: String,
        on: bool,
    },
}

impl State {
    /// Applies an action in place. Returns whether an input changed.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Load(s) => {
                let generation = self.generation + 1;
                let rev = self.rev + 1;
                *self = *s;
                self.generation = generation;
                self.rev = rev;
                return false;
            }
            Action::SetText { id, text } => match self.entry_mut(id) {
                Some(e) if e.text != text => e.text = text,
                _ => return false,
            },
            Action::SetName { id, name } => match self.entry_mut(id) {
                Some(e) => e.name = name,
                None => return false,
            },
            Action::Add(kind) => self.add(kind),
            Action::AddManaged { name } => {
                let entry = self.entry(PolicyText { name: None, text: name });
                self.policies.identity.push(entry);
            }
            Action::AddToLevel { level } => self.add_to_level(level),
            Action::Remove { id } => self.remove(id),
            Action::RemoveLevel { level } => {
                self.policies.scp.retain(|l| l.id != level);
                self.policies.rcp.retain(|l| l.id != level);
            }
            Action::SetField(field, value) => {
                let r = &mut self.request;
                let slot = match field {
                    Field::Principal => &mut r.principal,
                    Field::Action => &mut r.action,
                    Field::Resource => &mut r.resource,
                    Field::ResourceAccount => &mut r.resource_account,
                    Field::SessionParentArn => &mut r.session_parent_arn,
                };
                if *slot == value {
                    return false;
                }
                *slot = value;
            }
            Action::SetFlag(flag, on) => match flag {
                Flag::PrincipalInManagementAccount => self.request.flags.principal_in_management_account = on,
                Flag::ServiceLinkedRole => self.request.flags.service_linked_role = on,
            },
            Action::AddContext { key, value } => self.add_context(key, value),
            Action::SetContextKey { row, key } => match self.row_mut(row) {
                Some(r) => r.key = key,
                None => return false,
            },
            Action::SetContextValue { row, index, value } => {
                match self.row_mut(row).and_then(|r| r.values.get_mut(index)) {
                    Some(v) => *v = value,
                    None => return false,
                }
            }
            Action::AddContextValue { row } => match self.row_mut(row) {
                Some(r) => {
                    r.values.push(String::new());
                    r.multi = true;
                }
                None => return false,
            },
            Action::RemoveContextValue { row, index } => match self.row_mut(row) {
                Some(r) if index < r.values.len() && (r.multi || r.values.len() > 1) => {
                    r.values.remove(index);
                }
                _ => return false,
            },
            Action::SetContextMulti { row, multi } => match self.row_mut(row) {
                Some(r) => {
                    r.multi = multi;
                    if r.values.is_empty() {
                        r.values.push(String::new());
                    }
                    if !multi {
                        r.values.truncate(1);
                    }
                }
                None => return false,
            },
            Action::RemoveContext { row } => self.request.context.retain(|r| r.id != row),
            Action::SetPanel(panel, open) => {
                self.open = self.open.with(panel, open);
                return false;
            }
            Action::SetLint { code, on } => {
                if on {
                    self.lint_off.remove(&code);
                } else {
                    self.lint_off.insert(code);
                }
                return false;
            }
        }
        self.rev += 1;
        self.edited = true;
        true
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_input() {
        let s = State::initial();
        let input = s.to_input();
        let back = State::from_input(input.clone(), s.example.clone());
        assert_eq!(back.to_input(), input);
    }

    #[test]
    fn ids_stay_stable_when_removing() {
        let mut s = State::default();
        s.apply(Action::Add(AddKind::Identity));
        s.apply(Action::Add(AddKind::Identity));
        let second = s.policies.identity[1].id;
        s.apply(Action::Remove { id: s.policies.identity[0].id });
        assert_eq!(s.policies.identity.len(), 1);
        assert_eq!(s.policies.identity[0].id, second);
        assert!(s.apply(Action::SetText { id: second, text: "{}".into() }));
        assert_eq!(s.policies.identity[0].text, "{}");
    }

    #[test]
    fn context_rows_and_multivalue() {
        let mut s = State::default();
        s.apply(Action::AddContext { key: "aws:TagKeys".into(), value: "a".into() });
        let row = s.request.context[0].id;
        s.apply(Action::AddContextValue { row });
        s.apply(Action::SetContextValue { row, index: 1, value: "b".into() });
        let input = s.to_input();
        assert_eq!(input.request.context["aws:TagKeys"], ContextInput::Many(vec!["a".into(), "b".into()]));
        s.apply(Action::SetContextMulti { row, multi: false });
        assert_eq!(s.to_input().request.context["aws:TagKeys"], ContextInput::One("a".into()));
    }

    #[test]
    fn lint_codes_switch_without_changing_inputs() {
        let mut s = State::initial();
        let rev = s.rev;
        assert!(!s.apply(Action::SetLint { code: "missing-version".into(), on: false }));
        assert!(s.lint_off.contains("missing-version"));
        assert_eq!(s.rev, rev);
        s.apply(Action::SetLint { code: "missing-version".into(), on: true });
        assert!(s.lint_off.is_empty());
    }

    #[test]
    fn panel_sets_parse_and_print() {
        let p = PanelSet::parse_list("trace, decision,bogus");
        assert_eq!(p.to_list(), "decision,trace");
        assert!(PanelSet::parse_list("").is_empty());
    }
}
