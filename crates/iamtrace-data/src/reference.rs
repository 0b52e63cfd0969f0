//! The service authorization reference: services, actions, resource types
//! and condition keys, read from `sar.txt` (and, on demand, the
//! descriptions of `sar-desc.txt`).

use std::cmp::Ordering;

use iamtrace::glob;
use iamtrace::lint::{AccessLevel, ActionId, KeyType, ResourceTypeId};

use crate::text::{cmp_ci, err, fields, header, lines, split_byte, u32_of, utf8, LoadError, Slice, Source, Span32};

#[derive(Debug, Clone, Copy)]
struct ServiceRec {
    prefix: Slice,
    name: Slice,
    keys: Span32,
    resource_types: Span32,
    actions: Span32,
}

#[derive(Debug, Clone, Copy)]
struct ActionRec {
    service: u32,
    name: Slice,
    access: AccessLevel,
    /// Into `uses`.
    resource_types: Span32,
    /// Into `key_refs`.
    keys: Span32,
}

#[derive(Debug, Clone, Copy)]
struct ResourceTypeRec {
    service: u32,
    name: Slice,
    /// Into `arns`.
    arns: Span32,
    /// Into `key_refs`.
    keys: Span32,
}

#[derive(Debug, Clone, Copy)]
struct UseRec {
    resource_type: u32,
    required: bool,
    /// Into `key_refs`.
    keys: Span32,
}

#[derive(Debug, Clone, Copy)]
struct KeyRec {
    name: Slice,
    ty: KeyType,
    template: bool,
}

#[derive(Debug, Clone, Copy)]
struct GlobalRec {
    name: Slice,
    ty: KeyType,
    category: Slice,
    template: bool,
}

/// Descriptions, aligned with the keys and actions of the reference.
#[derive(Debug, Clone)]
struct Descriptions {
    text: Box<str>,
    sources: Vec<Source>,
    keys: Vec<Slice>,
    actions: Vec<Slice>,
}

/// The service authorization reference, read from `sar.txt`.
///
/// The text is kept as one owned string and every name is a range of it,
/// so loading allocates a few flat tables and no string per name. Services
/// and actions are sorted by lowercase name, so lookups are binary searches.
#[derive(Debug, Clone)]
pub struct ServiceReference {
    text: Box<str>,
    sources: Vec<Source>,
    services: Vec<ServiceRec>,
    actions: Vec<ActionRec>,
    resource_types: Vec<ResourceTypeRec>,
    keys: Vec<KeyRec>,
    globals: Vec<GlobalRec>,
    /// Key prefixes owned by services (`saml` → `sts`).
    unassociated: Vec<(Slice, Vec<u32>)>,
    /// Undocumented services (`deepracer`) and actions (`cloudhsm:DescribeHapg`), sorted by lowercase.
    undocumented: Vec<Slice>,
    /// Multivalued keys that AWS managed policies compare with single-value operators, sorted by lowercase.
    single_in_practice: Vec<Slice>,
    uses: Vec<UseRec>,
    arns: Vec<Slice>,
    key_refs: Vec<u32>,
    descriptions: Option<Descriptions>,
}

impl ServiceReference {
    /// Reads `sar.txt` from bytes (copied into an owned text).
    pub fn from_bytes(bytes: &[u8]) -> Result<ServiceReference, LoadError> {
        Self::parse(utf8(bytes)?.to_owned())
    }

    /// Reads `sar.txt`.
    pub fn parse(text: impl Into<String>) -> Result<ServiceReference, LoadError> {
        let text: Box<str> = text.into().into_boxed_str();
        let sources = header(&text, "sar")?;
        let mut r = ServiceReference {
            text: Box::from(""),
            sources,
            services: Vec::new(),
            actions: Vec::with_capacity(24_000),
            resource_types: Vec::with_capacity(2_500),
            keys: Vec::with_capacity(2_700),
            globals: Vec::new(),
            unassociated: Vec::new(),
            undocumented: Vec::new(),
            single_in_practice: Vec::new(),
            uses: Vec::with_capacity(24_000),
            arns: Vec::with_capacity(2_500),
            key_refs: Vec::with_capacity(200_000),
            descriptions: None,
        };
        let mut unassociated_names: Vec<(usize, Slice, Slice)> = Vec::new();
        for (n, start, line) in lines(&text) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f = fields(line, start);
            let field = |i: usize| f.get(i).copied().unwrap_or_default();
            let s = |i: usize| field(i).get(&text);
            match s(0) {
                "G" => {
                    let ty = key_type(s(2), n)?;
                    r.globals.push(GlobalRec { name: field(1), ty, category: field(3), template: s(1).contains("${") });
                }
                "U" => unassociated_names.push((n, field(1), field(2))),
                "S" => {
                    if let Some(prev) = r.services.last() {
                        if cmp_ci(prev.prefix.get(&text), s(1)) != Ordering::Less {
                            return Err(err(n, format!("service `{}` is out of order", s(1))));
                        }
                    }
                    let at = |v: usize| Span32 { start: u32_of(v), end: u32_of(v) };
                    r.services.push(ServiceRec {
                        prefix: field(1),
                        name: field(2),
                        keys: at(r.keys.len()),
                        resource_types: at(r.resource_types.len()),
                        actions: at(r.actions.len()),
                    });
                }
                "K" => {
                    let ty = key_type(s(2), n)?;
                    r.keys.push(KeyRec { name: field(1), ty, template: s(1).contains("${") });
                    let end = u32_of(r.keys.len());
                    r.current(n)?.keys.end = end;
                }
                "R" => {
                    let service = r.current_index(n)?;
                    let svc = r.services.get(service as usize).copied().unwrap_or_else(unreachable_service);
                    let arn_start = r.arns.len();
                    let arn_field = field(2);
                    let mut offset = arn_field.start;
                    for part in split_byte(s(2), b'|') {
                        r.arns.push(Slice { start: offset, end: offset + u32_of(part.len()) });
                        offset += u32_of(part.len()) + 1;
                    }
                    let keys = r.push_keys(s(3), b',', svc.keys, n)?;
                    r.resource_types.push(ResourceTypeRec {
                        service,
                        name: field(1),
                        arns: Span32 { start: u32_of(arn_start), end: u32_of(r.arns.len()) },
                        keys,
                    });
                    if let Some(last) = r.services.last_mut() {
                        last.resource_types.end = u32_of(r.resource_types.len());
                    }
                }
                "A" => {
                    let service = r.current_index(n)?;
                    let svc = r.services.get(service as usize).copied().unwrap_or_else(unreachable_service);
                    if svc.actions.len() > 0 {
                        let prev = r.actions.last().map_or("", |a| a.name.get(&text));
                        if cmp_ci(prev, s(1)) != Ordering::Less {
                            return Err(err(n, format!("action `{}` is out of order", s(1))));
                        }
                    }
                    let access = match s(2) {
                        "L" => AccessLevel::List,
                        "R" => AccessLevel::Read,
                        "W" => AccessLevel::Write,
                        "T" => AccessLevel::Tagging,
                        "P" => AccessLevel::PermissionsManagement,
                        other => return Err(err(n, format!("unknown access level `{other}`"))),
                    };
                    let uses_start = r.uses.len();
                    for item in split_byte(s(3), b',').filter(|x| !x.is_empty()) {
                        let (head, keys) = match item.split_once('/') {
                            Some((h, k)) => (h, k),
                            None => (item, ""),
                        };
                        let (index, required) = match head.strip_suffix('!') {
                            Some(i) => (i, true),
                            None => (head, false),
                        };
                        let local: usize =
                            index.parse().map_err(|_| err(n, format!("bad resource reference `{item}`")))?;
                        if local >= svc.resource_types.len() {
                            return Err(err(n, format!("resource type {local} does not exist")));
                        }
                        let keys = r.push_keys(keys, b'.', svc.keys, n)?;
                        r.uses.push(UseRec { resource_type: svc.resource_types.start + u32_of(local), required, keys });
                    }
                    let uses = Span32 { start: u32_of(uses_start), end: u32_of(r.uses.len()) };
                    let keys = r.push_keys(s(4), b',', svc.keys, n)?;
                    r.actions.push(ActionRec { service, name: field(1), access, resource_types: uses, keys });
                    if let Some(last) = r.services.last_mut() {
                        last.actions.end = u32_of(r.actions.len());
                    }
                }
                "X" => r.undocumented.push(field(1)),
                "M" => r.single_in_practice.push(field(1)),
                other => return Err(err(n, format!("unknown line kind `{other}`"))),
            }
        }
        for (n, prefix, owners) in unassociated_names {
            let mut list = Vec::new();
            for owner in owners.get(&text).split(',') {
                let i = r.service_index_in(&text, owner).ok_or_else(|| err(n, format!("unknown service `{owner}`")))?;
                list.push(i);
            }
            r.unassociated.push((prefix, list));
        }
        if r.services.is_empty() {
            return Err(err(0, "no services"));
        }
        r.text = text;
        Ok(r)
    }

    fn current(&mut self, n: usize) -> Result<&mut ServiceRec, LoadError> {
        self.services.last_mut().ok_or_else(|| err(n, "a line before the first service"))
    }

    fn current_index(&self, n: usize) -> Result<u32, LoadError> {
        self.services.len().checked_sub(1).map(u32_of).ok_or_else(|| err(n, "a line before the first service"))
    }

    /// Appends key indices (local to the service) as global key indices.
    fn push_keys(&mut self, list: &str, sep: u8, keys: Span32, n: usize) -> Result<Span32, LoadError> {
        let start = self.key_refs.len();
        for item in split_byte(list, sep).filter(|x| !x.is_empty()) {
            let local: usize = item.parse().map_err(|_| err(n, format!("bad condition key reference `{item}`")))?;
            if local >= keys.len() {
                return Err(err(n, format!("condition key {local} does not exist")));
            }
            self.key_refs.push(keys.start + u32_of(local));
        }
        Ok(Span32 { start: u32_of(start), end: u32_of(self.key_refs.len()) })
    }

    fn s(&self, slice: Slice) -> &str {
        slice.get(&self.text)
    }

    /// The condition keys a span of `key_refs` lists.
    fn keys_in(&self, span: Span32) -> impl Iterator<Item = ConditionKey<'_>> + '_ {
        self.key_refs.get(span.range()).unwrap_or(&[]).iter().map(move |&k| ConditionKey { data: self, index: k })
    }

    fn service_index_in(&self, text: &str, prefix: &str) -> Option<u32> {
        self.services.binary_search_by(|s| cmp_ci(s.prefix.get(text), prefix)).ok().map(u32_of)
    }

    /// Adds the descriptions of `sar-desc.txt`; they must come from the same
    /// package version.
    pub fn load_descriptions(&mut self, text: impl Into<String>) -> Result<(), LoadError> {
        let text: Box<str> = text.into().into_boxed_str();
        let sources = header(&text, "sar-desc")?;
        if sources.first() != self.sources.first() {
            return Err(err(1, "the descriptions come from another version of the service reference"));
        }
        let mut keys = Vec::with_capacity(self.keys.len());
        let mut actions = Vec::with_capacity(self.actions.len());
        let mut service: Option<usize> = None;
        let mut seen = 0usize;
        let finish = |service: Option<usize>, seen: usize, n: usize| -> Result<(), LoadError> {
            if let Some(i) = service {
                let svc = self.services.get(i).ok_or_else(|| err(n, "too many services"))?;
                if seen != svc.keys.len() + svc.actions.len() {
                    return Err(err(
                        n,
                        format!(
                            "service `{}` has {seen} descriptions, expected {}",
                            self.s(svc.prefix),
                            svc.keys.len() + svc.actions.len()
                        ),
                    ));
                }
            }
            Ok(())
        };
        for (n, start, line) in lines(&text).skip(1) {
            let slice = Slice { start: u32_of(start), end: u32_of(start + line.len()) };
            if let Some(prefix) = line.strip_prefix("S\t") {
                finish(service, seen, n)?;
                let next = service.map_or(0, |i| i + 1);
                let expected = self.services.get(next).map(|s| self.s(s.prefix));
                if expected != Some(prefix) {
                    return Err(err(n, format!("service `{prefix}` is not the next service of the reference")));
                }
                service = Some(next);
                seen = 0;
                continue;
            }
            let svc = service
                .and_then(|i| self.services.get(i))
                .ok_or_else(|| err(n, "a description before the first service"))?;
            if seen < svc.keys.len() {
                keys.push(slice);
            } else {
                actions.push(slice);
            }
            seen += 1;
        }
        finish(service, seen, 0)?;
        if keys.len() != self.keys.len() || actions.len() != self.actions.len() {
            return Err(err(0, "the descriptions do not cover every service"));
        }
        self.descriptions = Some(Descriptions { text, sources, keys, actions });
        Ok(())
    }

    /// Whether [`load_descriptions`](Self::load_descriptions) was called.
    pub fn has_descriptions(&self) -> bool {
        self.descriptions.is_some()
    }

    /// The packages the data was generated from.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn services(&self) -> impl ExactSizeIterator<Item = Service<'_>> + '_ {
        (0..self.services.len()).map(move |i| Service { data: self, index: u32_of(i) })
    }

    /// The service with this prefix (ASCII case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        self.service_index_in(&self.text, prefix).map(|index| Service { data: self, index })
    }

    /// The action `service:Name` (ASCII case-insensitive).
    pub fn action(&self, full_name: &str) -> Option<Action<'_>> {
        let (service, name) = full_name.split_once(':')?;
        self.service(service)?.action(name)
    }

    /// The action with this id.
    pub fn action_by_id(&self, id: ActionId) -> Option<Action<'_>> {
        (id.0 < u32_of(self.actions.len())).then_some(Action { data: self, index: id.0 })
    }

    pub fn resource_type_by_id(&self, id: ResourceTypeId) -> Option<ResourceType<'_>> {
        (id.0 < u32_of(self.resource_types.len())).then_some(ResourceType { data: self, index: id.0 })
    }

    /// How many actions [`expand`](Self::expand) would list, without
    /// listing every action for `*`.
    pub fn count(&self, pattern: &str) -> usize {
        if pattern == "*" {
            return self.actions.len();
        }
        self.expand(pattern).len()
    }

    /// Every action an action pattern such as `s3:Get*` covers (`*` covers
    /// every action of every service). Wildcards are allowed in the name
    /// only, as in policies; an unknown service covers nothing.
    pub fn expand(&self, pattern: &str) -> Vec<Action<'_>> {
        if pattern == "*" {
            return (0..self.actions.len()).map(|i| Action { data: self, index: u32_of(i) }).collect();
        }
        let Some((service, name)) = pattern.split_once(':') else { return Vec::new() };
        self.service(service).map_or_else(Vec::new, |s| s.actions_matching(name))
    }

    pub fn global_keys(&self) -> impl ExactSizeIterator<Item = GlobalKey<'_>> + '_ {
        self.globals.iter().map(move |g| GlobalKey { data: self, rec: *g })
    }

    /// A condition key, global or of a service (ASCII case-insensitive;
    /// `aws:RequestTag/team` finds `aws:RequestTag/${TagKey}`). Global keys
    /// are searched first.
    pub fn condition_key(&self, key: &str) -> Option<KeyRef<'_>> {
        if let Some(g) = self.globals.iter().find(|g| key_matches(self.s(g.name), g.template, key)) {
            return Some(KeyRef::Global(GlobalKey { data: self, rec: *g }));
        }
        let prefix = key.split_once(':')?.0;
        for service in self.key_services(prefix) {
            let Some(svc) = self.services.get(service as usize) else { continue };
            let keys = self.keys.get(svc.keys.range()).unwrap_or(&[]);
            // Keys are sorted by lowercase name: exact names by binary search, templates by scan.
            let found = keys
                .binary_search_by(|k| cmp_ci(self.s(k.name), key))
                .ok()
                .or_else(|| keys.iter().position(|k| k.template && key_matches(self.s(k.name), true, key)));
            if let Some(i) = found {
                return Some(KeyRef::Service(ConditionKey { data: self, index: svc.keys.start + u32_of(i) }));
            }
        }
        None
    }

    /// The services whose keys use `prefix` (its own service, or the owners
    /// of an unassociated prefix such as `saml`).
    fn key_services(&self, prefix: &str) -> Vec<u32> {
        let mut out: Vec<u32> = self.service_index_in(&self.text, prefix).into_iter().collect();
        for (p, owners) in &self.unassociated {
            let name = self.s(*p);
            if key_matches(name, name.contains("${"), prefix) {
                out.extend(owners.iter().filter(|o| !out.contains(o)).collect::<Vec<_>>());
            }
        }
        out
    }

    /// The names of every condition key with this prefix (global keys for `aws`).
    pub fn condition_key_names(&self, prefix: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .globals
            .iter()
            .map(|g| self.s(g.name))
            .filter(|n| n.split_once(':').is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix)))
            .collect();
        for service in self.key_services(prefix) {
            if let Some(svc) = self.services.get(service as usize) {
                out.extend(
                    self.keys
                        .get(svc.keys.range())
                        .unwrap_or(&[])
                        .iter()
                        .map(|k| self.s(k.name))
                        .filter(|n| n.split_once(':').is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix))),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether AWS managed policies name this service (`name` empty) or
    /// action although the reference does not list it.
    pub fn is_undocumented(&self, service: &str, name: &str) -> bool {
        let found = |needle: &str| self.undocumented.binary_search_by(|u| cmp_ci(self.s(*u), needle)).is_ok();
        if found(service) {
            return true;
        }
        !name.is_empty() && found(&format!("{service}:{name}"))
    }

    /// Whether AWS managed policies compare this multivalued key (by its
    /// name in the reference) with single-value operators.
    pub fn is_used_as_single_valued(&self, name: &str) -> bool {
        self.single_in_practice.binary_search_by(|u| cmp_ci(self.s(*u), name)).is_ok()
    }

    /// Whether the action may see the condition key: its own keys, those
    /// its resource types carry for it, and the resource types' own keys.
    pub fn action_supports_key(&self, id: ActionId, key: &str) -> bool {
        let Some(a) = self.actions.get(id.0 as usize) else { return false };
        let matches =
            |span: Span32| {
                self.key_refs.get(span.range()).unwrap_or(&[]).iter().any(|&k| {
                    self.keys.get(k as usize).is_some_and(|rec| key_matches(self.s(rec.name), rec.template, key))
                })
            };
        if matches(a.keys) {
            return true;
        }
        self.uses.get(a.resource_types.range()).unwrap_or(&[]).iter().any(|u| {
            matches(u.keys) || self.resource_types.get(u.resource_type as usize).is_some_and(|rt| matches(rt.keys))
        })
    }

    /// Counts, for reports.
    pub fn counts(&self) -> Counts {
        Counts {
            services: self.services.len(),
            actions: self.actions.len(),
            resource_types: self.resource_types.len(),
            condition_keys: self.keys.len(),
            global_condition_keys: self.globals.len(),
        }
    }
}

fn unreachable_service() -> ServiceRec {
    ServiceRec {
        prefix: Slice::default(),
        name: Slice::default(),
        keys: Span32::default(),
        resource_types: Span32::default(),
        actions: Span32::default(),
    }
}

fn key_type(s: &str, n: usize) -> Result<KeyType, LoadError> {
    KeyType::parse(s).ok_or_else(|| err(n, format!("unknown condition key type `{s}`")))
}

/// Whether `key` is the key `name`, or fits the template `name` (each
/// `${...}` standing for one or more characters); ASCII case-insensitive.
pub(crate) fn key_matches(name: &str, template: bool, key: &str) -> bool {
    if !template {
        return name.eq_ignore_ascii_case(key);
    }
    let mut pattern = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find("${") {
        glob::push_literal(&mut pattern, rest.get(..i).unwrap_or(""));
        pattern.push_str("?*");
        rest = match rest.get(i..).and_then(|r| r.find('}')) {
            Some(close) => rest.get(i + close + 1..).unwrap_or(""),
            None => "",
        };
    }
    glob::push_literal(&mut pattern, rest);
    glob::matches_ignore_case(&pattern, key)
}

/// Sizes of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub services: usize,
    pub actions: usize,
    pub resource_types: usize,
    pub condition_keys: usize,
    pub global_condition_keys: usize,
}

/// A service of the reference.
#[derive(Debug, Clone, Copy)]
pub struct Service<'d> {
    data: &'d ServiceReference,
    index: u32,
}

impl<'d> Service<'d> {
    fn rec(&self) -> ServiceRec {
        self.data.services.get(self.index as usize).copied().unwrap_or_else(unreachable_service)
    }

    /// The prefix, e.g. `s3`.
    pub fn prefix(&self) -> &'d str {
        self.data.s(self.rec().prefix)
    }

    /// The name, e.g. `Amazon S3`.
    pub fn name(&self) -> &'d str {
        self.data.s(self.rec().name)
    }

    /// The actions, sorted by lowercase name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'d>> + 'd {
        let data = self.data;
        self.rec().actions.range().map(move |i| Action { data, index: u32_of(i) })
    }

    /// The action of this name (ASCII case-insensitive).
    pub fn action(&self, name: &str) -> Option<Action<'d>> {
        let span = self.rec().actions;
        let list = self.data.actions.get(span.range())?;
        let i = list.binary_search_by(|a| cmp_ci(self.data.s(a.name), name)).ok()?;
        Some(Action { data: self.data, index: span.start + u32_of(i) })
    }

    /// The actions whose names match a wildcard pattern such as `Get*`
    /// (ASCII case-insensitive), in order.
    pub fn actions_matching(&self, name_pattern: &str) -> Vec<Action<'d>> {
        if !name_pattern.contains(['*', '?']) {
            return self.action(name_pattern).into_iter().collect();
        }
        // Names are sorted by lowercase: only those starting with the text
        // before the first wildcard can match.
        let stem = name_pattern.split(['*', '?']).next().unwrap_or("");
        let span = self.rec().actions;
        let list = self.data.actions.get(span.range()).unwrap_or(&[]);
        let head = |a: &ActionRec| {
            let name = self.data.s(a.name);
            name.get(..stem.len().min(name.len())).unwrap_or(name)
        };
        let from = list.partition_point(|a| cmp_ci(head(a), stem) == Ordering::Less);
        let to = list.partition_point(|a| cmp_ci(head(a), stem) != Ordering::Greater);
        let pattern = glob::escape(name_pattern);
        (from..to.max(from))
            .map(|i| Action { data: self.data, index: span.start + u32_of(i) })
            .filter(|a| glob::matches_ignore_case(&pattern, a.name()))
            .collect()
    }

    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType<'d>> + 'd {
        let data = self.data;
        self.rec().resource_types.range().map(move |i| ResourceType { data, index: u32_of(i) })
    }

    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKey<'d>> + 'd {
        let data = self.data;
        self.rec().keys.range().map(move |i| ConditionKey { data, index: u32_of(i) })
    }
}

/// An action of the reference.
#[derive(Debug, Clone, Copy)]
pub struct Action<'d> {
    data: &'d ServiceReference,
    index: u32,
}

impl<'d> Action<'d> {
    fn rec(&self) -> Option<&'d ActionRec> {
        self.data.actions.get(self.index as usize)
    }

    pub fn id(&self) -> ActionId {
        ActionId(self.index)
    }

    pub fn service(&self) -> Service<'d> {
        Service { data: self.data, index: self.rec().map_or(0, |a| a.service) }
    }

    /// The name as AWS writes it, e.g. `GetObject`.
    pub fn name(&self) -> &'d str {
        self.rec().map_or("", |a| self.data.s(a.name))
    }

    /// `service:Name`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service().prefix(), self.name())
    }

    pub fn access_level(&self) -> AccessLevel {
        self.rec().map_or(AccessLevel::Read, |a| a.access)
    }

    /// Whether the action acts on resource types (if not, it takes `*`).
    pub fn takes_resource(&self) -> bool {
        self.rec().is_some_and(|a| a.resource_types.len() > 0)
    }

    /// The resource types the action acts on, with the required flag and
    /// the condition keys that apply with each.
    pub fn resource_types(&self) -> impl Iterator<Item = ResourceTypeUse<'d>> + 'd {
        let data = self.data;
        let span = self.rec().map_or(Span32::default(), |a| a.resource_types);
        data.uses.get(span.range()).unwrap_or(&[]).iter().map(move |u| ResourceTypeUse {
            resource_type: ResourceType { data, index: u.resource_type },
            required: u.required,
            keys: u.keys,
            data,
        })
    }

    /// The action's own condition keys.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'d>> + 'd {
        self.data.keys_in(self.rec().map_or(Span32::default(), |a| a.keys))
    }

    /// The description, when descriptions are loaded.
    pub fn description(&self) -> Option<&'d str> {
        let d = self.data.descriptions.as_ref()?;
        d.actions.get(self.index as usize).map(|s| s.get(&d.text))
    }
}

/// A resource type an action acts on.
#[derive(Debug, Clone, Copy)]
pub struct ResourceTypeUse<'d> {
    pub resource_type: ResourceType<'d>,
    pub required: bool,
    keys: Span32,
    data: &'d ServiceReference,
}

impl<'d> ResourceTypeUse<'d> {
    /// Condition keys that apply when the action acts on this resource type.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'d>> + 'd {
        self.data.keys_in(self.keys)
    }
}

/// A resource type of the reference.
#[derive(Debug, Clone, Copy)]
pub struct ResourceType<'d> {
    data: &'d ServiceReference,
    index: u32,
}

impl<'d> ResourceType<'d> {
    fn rec(&self) -> Option<&'d ResourceTypeRec> {
        self.data.resource_types.get(self.index as usize)
    }

    pub fn id(&self) -> ResourceTypeId {
        ResourceTypeId(self.index)
    }

    pub fn service(&self) -> Service<'d> {
        Service { data: self.data, index: self.rec().map_or(0, |r| r.service) }
    }

    /// The name, e.g. `object` (may contain spaces: `bot alias`).
    pub fn name(&self) -> &'d str {
        self.rec().map_or("", |r| self.data.s(r.name))
    }

    /// The ARN formats, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub fn arn_formats(&self) -> impl Iterator<Item = &'d str> + 'd {
        let data = self.data;
        let span = self.rec().map_or(Span32::default(), |r| r.arns);
        data.arns.get(span.range()).unwrap_or(&[]).iter().map(move |s| data.s(*s))
    }

    /// Whether a policy `Resource` pattern can match an ARN of this type.
    pub fn fits(&self, pattern: &str) -> bool {
        self.arn_formats().any(|f| crate::arn_format::pattern_fits(pattern, f))
    }

    /// The resource type's condition keys (such as `aws:ResourceTag/${TagKey}`).
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'d>> + 'd {
        self.data.keys_in(self.rec().map_or(Span32::default(), |r| r.keys))
    }
}

/// A condition key of a service.
#[derive(Debug, Clone, Copy)]
pub struct ConditionKey<'d> {
    data: &'d ServiceReference,
    index: u32,
}

impl<'d> ConditionKey<'d> {
    fn rec(&self) -> Option<&'d KeyRec> {
        self.data.keys.get(self.index as usize)
    }

    /// The name; keys with placeholders are templates such as `s3:RequestObjectTag/${Key}`.
    pub fn name(&self) -> &'d str {
        self.rec().map_or("", |k| self.data.s(k.name))
    }

    pub fn key_type(&self) -> KeyType {
        self.rec().map_or(KeyType { value: iamtrace::lint::ValueType::String, multivalued: false }, |k| k.ty)
    }

    pub fn is_template(&self) -> bool {
        self.rec().is_some_and(|k| k.template)
    }

    /// The description, when descriptions are loaded.
    pub fn description(&self) -> Option<&'d str> {
        let d = self.data.descriptions.as_ref()?;
        d.keys.get(self.index as usize).map(|s| s.get(&d.text))
    }
}

/// A global condition key (`aws:SourceIp`, ...).
#[derive(Debug, Clone, Copy)]
pub struct GlobalKey<'d> {
    data: &'d ServiceReference,
    rec: GlobalRec,
}

impl<'d> GlobalKey<'d> {
    pub fn name(&self) -> &'d str {
        self.data.s(self.rec.name)
    }

    pub fn key_type(&self) -> KeyType {
        self.rec.ty
    }

    /// `principal`, `session`, `network`, `resource` or `request`.
    pub fn category(&self) -> &'d str {
        self.data.s(self.rec.category)
    }

    pub fn is_template(&self) -> bool {
        self.rec.template
    }
}

/// A condition key found by [`ServiceReference::condition_key`].
#[derive(Debug, Clone, Copy)]
pub enum KeyRef<'d> {
    Global(GlobalKey<'d>),
    Service(ConditionKey<'d>),
}

impl<'d> KeyRef<'d> {
    pub fn name(&self) -> &'d str {
        match self {
            KeyRef::Global(g) => g.name(),
            KeyRef::Service(k) => k.name(),
        }
    }

    pub fn key_type(&self) -> KeyType {
        match self {
            KeyRef::Global(g) => g.key_type(),
            KeyRef::Service(k) => k.key_type(),
        }
    }

    pub fn is_global(&self) -> bool {
        matches!(self, KeyRef::Global(_))
    }

    /// The description (service keys, when descriptions are loaded).
    pub fn description(&self) -> Option<&'d str> {
        match self {
            KeyRef::Global(_) => None,
            KeyRef::Service(k) => k.description(),
        }
    }
}

impl ServiceReference {
    /// The source of the descriptions, when loaded.
    pub fn description_sources(&self) -> Option<&[Source]> {
        self.descriptions.as_ref().map(|d| d.sources.as_slice())
    }
}
