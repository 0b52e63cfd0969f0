//! What the linter may know about AWS: services, actions, resource types and
//! condition keys of the service authorization reference.
//!
//! The core has no data of its own. A data crate (`iamtrace-data`)
//! implements [`Knowledge`]; rules that need it are skipped when none is
//! given. The trait is object-safe and returns small plain values, so that it
//! can sit behind `&dyn Knowledge` in the browser as well as in the CLI.

use serde::Serialize;

/// The access level the service authorization reference gives an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessLevel {
    List,
    Read,
    Write,
    /// "Tagging" (a kind of write).
    Tagging,
    /// "Permissions management": changes who may access a resource.
    PermissionsManagement,
}

impl AccessLevel {
    /// The name AWS documents, e.g. `Permissions management`.
    pub fn name(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }

    /// Write, tagging and permissions management change something.
    pub fn is_write(self) -> bool {
        matches!(self, AccessLevel::Write | AccessLevel::Tagging | AccessLevel::PermissionsManagement)
    }
}

/// The type of a condition key's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ValueType {
    String,
    #[serde(rename = "ARN")]
    Arn,
    Bool,
    Date,
    Numeric,
    #[serde(rename = "IPAddress")]
    IpAddress,
    Binary,
}

impl ValueType {
    pub fn name(self) -> &'static str {
        match self {
            ValueType::String => "String",
            ValueType::Arn => "ARN",
            ValueType::Bool => "Bool",
            ValueType::Date => "Date",
            ValueType::Numeric => "Numeric",
            ValueType::IpAddress => "IPAddress",
            ValueType::Binary => "Binary",
        }
    }
}

/// A condition key's type: a value type, and whether the key holds several
/// values (`ArrayOfString`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct KeyType {
    pub value: ValueType,
    pub multivalued: bool,
}

impl KeyType {
    /// Parses the service authorization reference's type names: `String`,
    /// `ArrayOfString`, `ARN`, `ArrayOfARN`, `Bool`, `Date`, `Numeric`,
    /// `IPAddress`, `Binary` and their `ArrayOf` forms.
    pub fn parse(s: &str) -> Option<KeyType> {
        let (multivalued, base) = match s.strip_prefix("ArrayOf") {
            Some(b) => (true, b),
            None => (false, s),
        };
        let value = match base {
            "String" => ValueType::String,
            "ARN" => ValueType::Arn,
            "Bool" => ValueType::Bool,
            "Date" => ValueType::Date,
            "Numeric" => ValueType::Numeric,
            "IPAddress" => ValueType::IpAddress,
            "Binary" => ValueType::Binary,
            _ => return None,
        };
        Some(KeyType { value, multivalued })
    }
}

impl std::fmt::Display for KeyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.multivalued {
            write!(f, "ArrayOf{}", self.value.name())
        } else {
            f.write_str(self.value.name())
        }
    }
}

/// Identifies an action inside one [`Knowledge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ActionId(pub u32);

/// Identifies a resource type inside one [`Knowledge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ResourceTypeId(pub u32);

/// A service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ServiceInfo<'k> {
    /// The prefix as AWS writes it (`s3`).
    pub prefix: &'k str,
    /// The service's name (`Amazon S3`).
    pub name: &'k str,
}

/// An action of the service authorization reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActionInfo<'k> {
    pub id: ActionId,
    pub service: &'k str,
    /// The name as AWS writes it (`GetObject`).
    pub name: &'k str,
    pub access: AccessLevel,
    /// `false` for actions that take no resource (they match only `"Resource": "*"`).
    pub takes_resource: bool,
}

/// A resource type an action acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResourceTypeUse {
    pub id: ResourceTypeId,
    /// Whether the reference marks the resource type as required.
    pub required: bool,
}

/// A resource type, with its ARN formats such as
/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceTypeInfo<'k> {
    pub service: &'k str,
    pub name: &'k str,
    pub arn_formats: Vec<&'k str>,
}

/// A condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyInfo<'k> {
    /// The name as AWS writes it; keys with a placeholder are templates
    /// such as `aws:RequestTag/${TagKey}`.
    pub name: &'k str,
    pub ty: KeyType,
    /// Global keys (`aws:...`, and a few service keys AWS lists with them)
    /// may be present for any action.
    pub global: bool,
    /// For multivalued keys: AWS managed policies compare it with
    /// single-value operators, so the reference's type and AWS's own usage
    /// disagree.
    pub used_as_single_valued: bool,
}

/// Knowledge of AWS services for the linter.
pub trait Knowledge {
    /// The service with this prefix (ASCII case-insensitive).
    fn service(&self, prefix: &str) -> Option<ServiceInfo<'_>>;

    /// Every service prefix, for suggestions.
    fn service_prefixes(&self) -> Vec<&str>;

    /// The actions of `service` whose names match `name_pattern`, a
    /// wildcard pattern (`Get*`) or a plain name, ASCII case-insensitive,
    /// in ascending [`ActionId`] order.
    fn actions(&self, service: &str, name_pattern: &str) -> Vec<ActionInfo<'_>>;

    /// The resource types an action acts on (empty when it takes no resource).
    fn resource_types(&self, action: ActionId) -> Vec<ResourceTypeUse>;

    fn resource_type(&self, id: ResourceTypeId) -> Option<ResourceTypeInfo<'_>>;

    /// Whether a `Resource` pattern (wildcards, maybe policy variables) can
    /// match some ARN of the given format.
    fn arn_pattern_fits(&self, pattern: &str, arn_format: &str) -> bool;

    /// Whether the condition key may be present in a request for the action
    /// (the action's own keys and those of its resource types).
    fn action_supports_key(&self, action: ActionId, key: &str) -> bool;

    /// The condition key, global or of a service (ASCII case-insensitive;
    /// `aws:RequestTag/team` finds the template `aws:RequestTag/${TagKey}`).
    fn condition_key(&self, key: &str) -> Option<KeyInfo<'_>>;

    /// The condition keys whose prefix is `prefix` (`aws`, `s3`, ...), for suggestions.
    fn condition_key_names(&self, prefix: &str) -> Vec<&str>;

    /// Whether AWS managed policies use this service (`name` empty) or
    /// action although the reference does not list it: a retired service or
    /// an undocumented action, which IAM accepts.
    fn is_undocumented(&self, service: &str, name: &str) -> bool;
}
