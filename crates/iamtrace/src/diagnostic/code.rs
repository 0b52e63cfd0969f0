//! The catalogue of diagnostic codes: one variant per code, with its stable
//! kebab-case string (what the JSON outputs and `--disable` use) and a
//! one-line description.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! codes {
    ($($variant:ident => $code:literal, $describe:literal;)*) => {
        /// A diagnostic code. Serialised as its kebab-case string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $describe] $variant,)*
        }

        impl Code {
            /// Every code, grouped by where it comes from.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case string, such as `json-duplicate-key`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// What the code is about, in one line.
            pub const fn describe(self) -> &'static str {
                match self {
                    $(Code::$variant => $describe,)*
                }
            }
        }
    };
}

codes! {
    // The JSON reader
    JsonSyntax => "json-syntax", "the text is not valid JSON";
    JsonDuplicateKey => "json-duplicate-key", "an object has the same key twice";
    JsonTrailingComma => "json-trailing-comma", "a comma before a closing `]` or `}`";
    JsonTrailingCharacters => "json-trailing-characters", "more text after the end of the JSON value";
    JsonTooDeep => "json-too-deep", "arrays and objects nested deeper than the reader accepts";
    JsonTooLarge => "json-too-large", "the input is larger than the reader accepts";
    JsonInvalidUtf8 => "json-invalid-utf8", "the input is not UTF-8";
    // Bounded output
    DiagnosticsOmitted => "diagnostics-omitted", "more diagnostics than iamtrace shows: the count of those left out";
    // Policy documents
    PolicyWrongType => "policy-wrong-type", "a policy element has the wrong JSON type";
    PolicyUnknownElement => "policy-unknown-element", "an element name the policy grammar does not have";
    PolicyInvalidVersion => "policy-invalid-version", "`Version` is neither `2012-10-17` nor `2008-10-17`";
    PolicyInvalidCharacter => "policy-invalid-character", "a character IAM does not allow in policies";
    PolicyMissingStatement => "policy-missing-statement", "the policy has no `Statement`";
    PolicyNoStatements => "policy-no-statements", "`Statement` is an empty list";
    PolicyDuplicateSid => "policy-duplicate-sid", "two statements have the same `Sid`";
    PolicyIdInIdentityPolicy => "policy-id-in-identity-policy", "`Id` in a policy kind that does not use it";
    PolicyTooLarge => "policy-too-large", "the policy text is larger than iamtrace reads";
    PolicyManagedUnknown => "policy-managed-unknown", "a managed policy name or ARN that the data does not have";
    PolicyManagedUnavailable => "policy-managed-unavailable", "a managed policy is named but no managed-policy data is loaded";
    PolicyManagedInvalid => "policy-managed-invalid", "a managed policy document that could not be read";
    // Statements
    StatementMissingEffect => "statement-missing-effect", "a statement without `Effect`";
    StatementInvalidEffect => "statement-invalid-effect", "`Effect` is neither `Allow` nor `Deny`";
    StatementInvalidSid => "statement-invalid-sid", "a `Sid` with characters IAM does not allow";
    StatementMissingAction => "statement-missing-action", "a statement with neither `Action` nor `NotAction`";
    StatementMissingResource => "statement-missing-resource", "a statement with neither `Resource` nor `NotResource`";
    StatementMissingPrincipal => "statement-missing-principal", "a statement without `Principal` in a policy kind that needs one";
    StatementConflictingElements => "statement-conflicting-elements", "an element and its `Not` form in one statement";
    StatementPrincipalNotAllowed => "statement-principal-not-allowed", "`Principal` or `NotPrincipal` in a policy kind that does not take one";
    StatementNotprincipalAllow => "statement-notprincipal-allow", "`NotPrincipal` with `\"Effect\": \"Allow\"`";
    StatementNotprincipalNotAllowed => "statement-notprincipal-not-allowed", "`NotPrincipal` in a resource control policy";
    StatementEmptyList => "statement-empty-list", "an empty principal list";
    // Actions and resources
    ActionInvalid => "action-invalid", "an action that is not `service:Operation` or `*`";
    ActionWildcardInService => "action-wildcard-in-service", "a wildcard in an action's service prefix (AWS refuses the policy)";
    ResourceInvalid => "resource-invalid", "a resource that is not an ARN or `*`";
    ResourceWildcardInService => "resource-wildcard-in-service", "a wildcard in a resource ARN's service part";
    ResourceWildcardInType => "resource-wildcard-in-type", "a wildcard in an IAM resource ARN's resource type";
    ResourceVariableOutsideResourcePart => "resource-variable-outside-resource-part", "a policy variable before the resource part of an ARN";
    // Principals
    PrincipalInvalid => "principal-invalid", "a principal value that is not `\"*\"` or a map of principals";
    PrincipalWildcard => "principal-wildcard", "a wildcard inside a principal value";
    PrincipalServiceStar => "principal-service-star", "`\"Service\": \"*\"`";
    PrincipalGroup => "principal-group", "an IAM group named as a principal";
    RcpPrincipalNotStar => "rcp-principal-not-star", "a resource control policy whose `Principal` is not `\"*\"`";
    RcpVersion => "rcp-version", "a resource control policy without `\"Version\": \"2012-10-17\"`";
    RcpNotAction => "rcp-notaction", "`NotAction` in a resource control policy";
    RcpAllow => "rcp-allow", "an `Allow` statement in a resource control policy other than `RCPFullAWSAccess`";
    // Conditions
    ConditionEmpty => "condition-empty", "an empty `Condition` block";
    ConditionUnknownOperator => "condition-unknown-operator", "an operator name AWS does not have";
    ConditionNullIfexists => "condition-null-ifexists", "`Null` with the `IfExists` suffix";
    ConditionNullSetQualifier => "condition-null-set-qualifier", "`Null` with `ForAllValues:` or `ForAnyValue:`";
    ConditionNoKeys => "condition-no-keys", "an operator block without condition keys";
    ConditionEmptyKey => "condition-empty-key", "an empty condition key";
    ConditionEmptyValues => "condition-empty-values", "an empty value list for a condition key";
    ConditionInvalidValue => "condition-invalid-value", "a value its operator cannot compare (not a number, date, ...)";
    ConditionBoolVariable => "condition-bool-variable", "a policy variable in a `Bool` value, which AWS's pages disagree on";
    ConditionSetVariable => "condition-set-variable", "a policy variable in a `ForAllValues:`/`ForAnyValue:` string operator other than `StringLike`";
    ConditionVariableNotAllowed => "condition-variable-not-allowed", "a policy variable in a Numeric, Date, Binary, IP address or Null value (AWS does not allow it)";
    ConditionKeyCaseDuplicate => "condition-key-case-duplicate", "a condition key repeated in one operator block with other letter case";
    // Scenarios and requests
    ScenarioWrongType => "scenario-wrong-type", "a scenario field has the wrong JSON type";
    ScenarioUnknownField => "scenario-unknown-field", "a field the scenario format does not have";
    ScenarioMissingField => "scenario-missing-field", "a required scenario field is missing";
    ScenarioMissingRequest => "scenario-missing-request", "a scenario without `request`";
    ScenarioInvalidExpected => "scenario-invalid-expected", "`expected` is not `Allow`, `ExplicitDeny` or `ImplicitDeny`";
    RequestMissingField => "request-missing-field", "a request without `principal`, `action` or `resource`";
    ScenarioTooMany => "scenario-too-many", "a file holds more scenarios than iamtrace reads";
    RequestInvalidContext => "request-invalid-context", "an empty context key, or a value that is not a string, number, boolean or list of them";
    RequestDuplicateContextKey => "request-duplicate-context-key", "a context key given twice (keys compare without case)";
    RequestInvalidPrincipal => "request-invalid-principal", "a request principal iamtrace cannot classify";
    RequestInvalidAction => "request-invalid-action", "a request action that is not `service:Operation`";
    RequestInvalidResource => "request-invalid-resource", "a request resource that is not an ARN or `*`";
    RequestInvalidAccount => "request-invalid-account", "`resource_account` is not a 12-digit account ID";
    RequestInvalidSessionParent => "request-invalid-session-parent", "`session_parent_arn` is not the ARN it should be";
    RequestInconsistentSessionParent => "request-inconsistent-session-parent", "`session_parent_arn` does not belong to the principal";
    RequestInconsistentResourceAccount => "request-inconsistent-resource-account", "`resource_account` differs from the account in the resource ARN";
    RequestUnusedSessionParent => "request-unused-session-parent", "`session_parent_arn` given for a principal that has no parent";
    // Credential chains
    ChainMissing => "chain-missing", "a scenario without `chain`";
    ChainEmpty => "chain-empty", "a chain without hops";
    ChainEmptyHop => "chain-empty-hop", "an empty hop";
    ChainShape => "chain-shape", "a hop where the chain cannot have it (a credential first, the request last)";
    ChainUnknownCall => "chain-unknown-call", "a hop calls an operation iamtrace does not model";
    ChainAfterAssumeRoot => "chain-after-assume-root", "hops after `sts:AssumeRoot`";
    ChainMissingField => "chain-missing-field", "a chain entity or hop without a required field";
    ChainInvalidArn => "chain-invalid-arn", "an entity ARN of the wrong form";
    ChainInvalidDuration => "chain-invalid-duration", "a role's `max_session_duration` outside 3600 to 43200 seconds";
    ChainInvalidStatus => "chain-invalid-status", "an access key status that is neither `Active` nor `Inactive`";
    ChainInvalidExpected => "chain-invalid-expected", "an expected hop outcome that does not exist";
    ChainExpectedHops => "chain-expected-hops", "`expected_hops` does not have one entry per hop";
    ChainAccessKeys => "chain-access-keys", "a user with more than two access keys";
    ChainAmbiguousKey => "chain-ambiguous-key", "a user with two access keys and no `access_key` to choose one";
    ChainUnknownKey => "chain-unknown-key", "an access key that is not the user's";
    ChainUnknownUser => "chain-unknown-user", "a user that is not in `entities.users`";
    ChainUnknownRole => "chain-unknown-role", "a role that is not in `entities.roles`";
    ChainUnknownPolicy => "chain-unknown-policy", "a policy ARN that is not in `entities.policies`";
    ChainRootPolicies => "chain-root-policies", "identity policies or a boundary on the root user";
    // CloudTrail import
    CloudtrailNotARecord => "cloudtrail-not-a-record", "the input is not a CloudTrail record";
    CloudtrailNoRequest => "cloudtrail-no-request", "an event that describes no single request (an Insights event)";
    CloudtrailMissingField => "cloudtrail-missing-field", "a record without a field the request needs";
    CloudtrailWrongType => "cloudtrail-wrong-type", "a record field with the wrong JSON type";
    CloudtrailUnknownIdentityType => "cloudtrail-unknown-identity-type", "a `userIdentity.type` iamtrace does not know";
    CloudtrailUnknownSource => "cloudtrail-unknown-source", "an `eventSource` that is not an AWS service endpoint";
    CloudtrailNoAction => "cloudtrail-no-action", "an event name that maps to no IAM action";
    // The JavaScript module's inputs and outputs
    InputInvalid => "input-invalid", "a value not shaped like `Input`";
    InputNotAString => "input-not-a-string", "a policy document or value that is not a string";
    OutputUnserializable => "output-unserializable", "an answer that could not be converted to a JavaScript value";
    // Policy checks (`iamtrace lint`; their categories and summaries are in `lint::RULES`)
    ActionUnknownService => "action-unknown-service", "an action names a service that does not exist";
    ActionUnknown => "action-unknown", "an action does not exist in its service";
    ActionMatchesNothing => "action-matches-nothing", "an action pattern with wildcards matches no action";
    ConditionMissingQualifier => "condition-missing-qualifier", "a single-value operator on a multivalued condition key";
    VariableInOldVersion => "variable-in-old-version", "a policy variable under a `Version` that reads it as plain text";
    PolicySizeExceeded => "policy-size-exceeded", "the policy is larger than AWS allows for its kind";
    AdminEquivalent => "admin-equivalent", "an identity policy grants administrator access or a way to get it";
    AllowWithNotAction => "allow-with-not-action", "`Allow` with `NotAction` grants every action not listed";
    AllowWithNotResource => "allow-with-not-resource", "`Allow` with `NotResource` grants every resource not listed";
    PassRoleAnyResource => "pass-role-any-resource", "`iam:PassRole` on every role without `iam:PassedToService`";
    PrincipalPublic => "principal-public", "`Principal: \"*\"` in a resource policy without a narrowing condition";
    DenyWithNotPrincipal => "deny-with-not-principal", "`Deny` with `NotPrincipal`";
    ConditionForallvaluesSingleValued => "condition-forallvalues-single-valued", "`ForAllValues` on a single-valued key is true when the key is missing";
    MissingVersion => "missing-version", "the policy has no `Version`";
    ActionUndocumented => "action-undocumented", "a retired service or undocumented action that AWS managed policies still use";
    ActionWildcardService => "action-wildcard-service", "`service:*` on every resource";
    ActionWildcardPermissions => "action-wildcard-permissions", "a wildcard also covers permissions-management actions";
    ResourceMismatch => "resource-mismatch", "a resource ARN fits no resource type of the statement's actions";
    ActionTakesNoResource => "action-takes-no-resource", "an action that takes no resource is paired only with specific ARNs";
    ConditionKeyUnknown => "condition-key-unknown", "an unknown condition key";
    ConditionKeyNotApplicable => "condition-key-not-applicable", "a condition key that is never present for the statement's actions";
    ConditionTypeMismatch => "condition-type-mismatch", "the operator does not fit the condition key's type";
    ActionRedundant => "action-redundant", "an action pattern already covered by another in the same list";
    ResourceRedundant => "resource-redundant", "a resource already covered by another in the same list";
}

impl Code {
    /// The code whose string is `s`.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// `s` is not the string of any code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown diagnostic code `{}`", self.0)
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::parse(s).ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// The code's string; width and alignment apply (`{:<40}` in `lint --list`).
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Lets a code stand where a `&str` is expected (`&d.code` in a renderer).
impl std::ops::Deref for Code {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::parse(&s).ok_or_else(|| serde::de::Error::custom(UnknownCode(s.into_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_described() {
        let mut seen = std::collections::BTreeSet::new();
        for &c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(
                !s.is_empty()
                    && s.split('-')
                        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "not kebab-case: {s}"
            );
            assert!(!c.describe().is_empty() && !c.describe().ends_with('.'), "{s}: {}", c.describe());
            assert_eq!(s.parse::<Code>(), Ok(c));
            assert_eq!(Code::parse(s), Some(c));
        }
        assert_eq!("json-syntax ".parse::<Code>(), Err(UnknownCode("json-syntax ".into())));
    }

    #[test]
    fn serialises_as_its_string() {
        let json = serde_json::to_string(&Code::JsonDuplicateKey).unwrap();
        assert_eq!(json, "\"json-duplicate-key\"");
        assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), Code::JsonDuplicateKey);
        assert!(serde_json::from_str::<Code>("\"no-such-code\"").is_err());
        assert_eq!(Code::MissingVersion.to_string(), "missing-version");
        assert_eq!(format!("[{:<18}]", Code::MissingVersion), "[missing-version   ]");
    }
}
