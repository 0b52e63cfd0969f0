//! Keeps the string unions of `src/types.d.ts` equal to the serde names of
//! the core's enums. Each variant list is checked by an exhaustive `match`,
//! so a new variant in the core fails to compile here until it is listed
//! (and then fails this test until the `.d.ts` has it too).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use std::collections::BTreeSet;

use iamtrace::cloudtrail::{DenialKind, InputKind, PolicyType};
use iamtrace::operator::{BaseOp, SetQualifier};
use iamtrace::policy::{AwsForm, Effect, PolicyKind, PrincipalKey};
use iamtrace::request::{PrincipalKind, Source};
use iamtrace::trace::{ConditionResult, Decision, DerivedFrom, ElementStatus, Grant, Side, Stage, Verdict};
use iamtrace::walk::{CredentialKind, HopKind, Outcome};
use iamtrace::Severity;

const TYPES: &str = include_str!("../src/types.d.ts");

/// `variants!(Enum: A, B)` is `[Enum::A, Enum::B]`, and fails to compile when
/// `Enum` has a variant that is not listed.
macro_rules! variants {
    ($ty:ident: $($v:ident),+ $(,)?) => {{
        let all = [$($ty::$v),+];
        for v in &all {
            match v { $($ty::$v)|+ => {} }
        }
        all
    }};
}

/// The string members of `export type NAME = "a" | "b";` in the `.d.ts`.
fn union(name: &str) -> BTreeSet<String> {
    let head = format!("export type {name} =");
    let start = TYPES.find(&head).unwrap_or_else(|| panic!("types.d.ts has no `{head}`")) + head.len();
    let body = &TYPES[start..];
    let body = &body[..body.find(';').expect("union ends with `;`")];
    body.split('|').map(|m| m.trim().trim_matches('"').to_owned()).filter(|m| !m.is_empty()).collect()
}

fn serde_names<T: serde::Serialize>(all: &[T]) -> BTreeSet<String> {
    all.iter()
        .map(|v| match serde_json::to_value(v).unwrap() {
            serde_json::Value::String(s) => s,
            other => panic!("not a string enum: {other}"),
        })
        .collect()
}

fn check<T: serde::Serialize>(name: &str, all: &[T]) {
    assert_eq!(union(name), serde_names(all), "`{name}` in src/types.d.ts differs from the serde names");
}

#[test]
fn string_unions_match_the_core_enums() {
    check("Decision", &variants!(Decision: Allow, ExplicitDeny, ImplicitDeny));
    check("PolicyKind", &variants!(PolicyKind: Identity, Resource, Boundary, Session, Scp, Rcp, Vpce));
    check("Effect", &variants!(Effect: Allow, Deny));
    check("Severity", &variants!(Severity: Error, SecurityWarning, Warning, Suggestion));
    check(
        "Stage",
        &variants!(Stage: Request, ExplicitDeny, Credentials, Rcp, Scp, VpcEndpoint, ResourcePolicy, Identity, Boundary, Session, CrossAccount, Decision),
    );
    check(
        "Verdict",
        &variants!(Verdict: Info, Allow, NoAllow, ExplicitDeny, Pass, Skipped, NotApplicable, NotReached, ImplicitDeny),
    );
    check("Side", &variants!(Side: Principal, Resource));
    check("ElementStatus", &variants!(ElementStatus: Matched, NotMatched, NotEvaluated, Omitted));
    check("Grant", &variants!(Grant: Direct, Entity, Account, Everyone, Service, Federated));
    check("PrincipalKey", &variants!(PrincipalKey: Any, Aws, Service, Federated, CanonicalUser));
    check(
        "AwsForm",
        &variants!(AwsForm: Everyone, AccountId, AccountRoot, User, Role, RoleSession, FederatedUser, UniqueId),
    );
    check("SetQualifier", &variants!(SetQualifier: ForAllValues, ForAnyValue));
    check("ConditionResult", &variants!(ConditionResult: True, False));
    check(
        "PrincipalKind",
        &variants!(PrincipalKind: Root, User, RoleSession, FederatedUser, Service, WebIdentity, Anonymous),
    );
    check("Source", &variants!(Source: Given, Derived, Unknown));
    check(
        "DerivedFrom",
        &variants!(DerivedFrom: PrincipalArn, SessionRole, PrincipalKind, UserName, RootAccount, FederatedUser, Anonymous, ResourceAccount, SameAccountAssumed, ServicePrincipal),
    );
    check(
        "HopKind",
        &variants!(HopKind: Credential, GetSessionToken, AssumeRole, GetFederationToken, AssumeRoot, Request),
    );
    check("HopOutcome", &variants!(Outcome: Allow, ExplicitDeny, ImplicitDeny, CheckFailed, NotReached));
    check(
        "CredentialKind",
        &variants!(CredentialKind: RootUser, IamUser, SessionToken, RoleSession, FederatedUser, RootSession),
    );
    check("CloudTrailInputKind", &variants!(InputKind: Record, Records, LookupEvents, DecodedMessage));
    check("DenialKind", &variants!(DenialKind: Explicit, Implicit, Unspecified));
    check(
        "PolicyType",
        &variants!(PolicyType: IdentityBased, ResourceBased, PermissionsBoundary, Session, ServiceControl, ResourceControl, VpcEndpoint, RoleTrust),
    );
    // The core keeps the full operator list itself.
    check("BaseOp", BaseOp::ALL);
}
