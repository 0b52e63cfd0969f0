//! What happens after the gates, by kind of caller: callers without
//! identity policies (services, anonymous, identity providers), the root
//! user, and IAM users, role sessions and federated users (SPEC §5.2 to §5.8).

use super::chain::{first_label, step, Run};
use super::Named;
use crate::policy::Effect;
use crate::trace::{Answer, Decision, Grant, PrincipalKind, Stage, Verdict};

/// Callers without identity policies: only the resource-based policy can allow.
pub(super) fn resource_only<'a>(mut run: Run<'_, 'a>, kind: PrincipalKind) -> Answer<'a> {
    let who = kind.describe();
    let set = run.set;
    let Some(rbp) = set.resource.as_ref() else {
        run.push(step(
            Stage::ResourcePolicy,
            Verdict::NoAllow,
            format!("{who} can only be allowed by a resource-based policy, and the scenario has none"),
        ));
        return run.decide(Decision::ImplicitDeny, Vec::new());
    };
    let found = run.statements(&[rbp], Effect::Allow);
    let allowed = found.any();
    let mut s = if allowed {
        step(Stage::ResourcePolicy, Verdict::Allow, format!("{} allows {who}", first_label(&found)))
    } else {
        step(Stage::ResourcePolicy, Verdict::NoAllow, format!("no statement of the resource-based policy allows {who}"))
    };
    let refs = found.refs();
    s.statements = found.traces;
    run.push(s);
    for stage in [Stage::Identity, Stage::Boundary, Stage::Session] {
        run.push(step(
            stage,
            Verdict::NotApplicable,
            format!("{who} has no identity-based, boundary or session policies"),
        ));
    }
    if let Some(last) = run.steps.iter_mut().rev().find(|s| s.stage == Stage::ResourcePolicy) {
        last.decisive = true;
    }
    if allowed {
        let mut deciding = run.gate_allows.clone();
        deciding.extend(refs);
        run.finish(Decision::Allow, deciding)
    } else {
        run.finish(Decision::ImplicitDeny, Vec::new())
    }
}

/// The account root user: full access to its own account by default.
pub(super) fn root<'a>(mut run: Run<'_, 'a>, trust: bool, kms_key_policy: bool) -> Answer<'a> {
    if trust {
        run.push(step(Stage::ResourcePolicy, Verdict::NoAllow, "the root user cannot assume roles"));
        return run.decide(Decision::ImplicitDeny, Vec::new());
    }
    let cross = run.cross_account;
    if !cross && !kms_key_policy {
        let s = match run.set.resource.as_ref() {
            Some(_) => step(
                Stage::ResourcePolicy,
                Verdict::Skipped,
                "not needed: the root user has full access to its own account's resources",
            ),
            None => step(Stage::ResourcePolicy, Verdict::NotApplicable, "no resource-based policy"),
        };
        run.push(s);
        run.push(step(
            Stage::Identity,
            Verdict::Allow,
            "the root user has full access to its own account's resources by default",
        ));
        run.mark_last_decisive();
        run.push(step(Stage::Boundary, Verdict::NotApplicable, "the root user cannot have a permissions boundary"));
        run.push(step(Stage::Session, Verdict::NotApplicable, "the root user has no session policies"));
        let deciding = run.gate_allows.clone();
        return run.finish(Decision::Allow, deciding);
    }
    // The key policy, or the other account's resource policy, must allow.
    let what = if kms_key_policy && !cross { "key policy" } else { "resource-based policy" };
    let set = run.set;
    let (allowed, refs) = match set.resource.as_ref() {
        None => {
            run.push(step(
                Stage::ResourcePolicy,
                Verdict::NoAllow,
                format!("the resource's account has no {what} that allows the caller"),
            ));
            (false, Vec::new())
        }
        Some(rbp) => {
            let found = run.statements(&[rbp], Effect::Allow);
            let allowed = found.any();
            let mut s = if allowed {
                step(Stage::ResourcePolicy, Verdict::Allow, format!("{} allows the root user", first_label(&found)))
            } else {
                step(
                    Stage::ResourcePolicy,
                    Verdict::NoAllow,
                    format!("no statement of the {what} allows the root user"),
                )
            };
            let refs = found.refs();
            s.statements = found.traces;
            run.push(s);
            (allowed, refs)
        }
    };
    if !allowed {
        run.mark_last_decisive();
    }
    run.push(step(Stage::Identity, Verdict::Allow, "the root user has full access within its own account"));
    run.push(step(Stage::Boundary, Verdict::NotApplicable, "the root user cannot have a permissions boundary"));
    run.push(step(Stage::Session, Verdict::NotApplicable, "the root user has no session policies"));
    if cross {
        let summary = if allowed {
            "both accounts allow: the resource's account through its resource-based policy, the root user's own account by default"
        } else {
            "the resource's account does not allow the request"
        };
        let mut s = step(Stage::CrossAccount, if allowed { Verdict::Allow } else { Verdict::NoAllow }, summary);
        s.decisive = allowed;
        run.push(s);
    } else if allowed {
        if let Some(s) = run.steps.iter_mut().rev().find(|s| s.stage == Stage::ResourcePolicy) {
            s.decisive = true;
        }
    }
    let decision = if allowed { Decision::Allow } else { Decision::ImplicitDeny };
    let mut deciding = Vec::new();
    if allowed {
        deciding = run.gate_allows.clone();
        deciding.extend(refs);
    }
    run.finish(decision, deciding)
}

/// Users, role sessions and federated users.
pub(super) fn identity_principal<'a>(
    mut run: Run<'_, 'a>,
    kind: PrincipalKind,
    trust: bool,
    kms_key_policy: bool,
    service: &str,
    is_session: bool,
) -> Answer<'a> {
    let cross = run.cross_account;
    // Must the resource-based policy itself allow? (trust policies, KMS key policies, other accounts)
    let requires_rbp = trust || kms_key_policy || cross;
    let rbp_name = if trust {
        "trust policy"
    } else if kms_key_policy {
        "key policy"
    } else {
        "resource-based policy"
    };

    // Resource-based policy.
    let mut rbp_refs_direct = Vec::new();
    let mut rbp_refs_entity = Vec::new();
    let mut rbp_refs_any = Vec::new();
    let set = run.set;
    let best = match set.resource.as_ref() {
        None => {
            let mut s = if trust {
                step(Stage::ResourcePolicy, Verdict::NoAllow, "a role can only be assumed when its trust policy allows the caller, and the scenario has no trust policy")
            } else if cross {
                step(
                    Stage::ResourcePolicy,
                    Verdict::NoAllow,
                    "the resource's account has no resource-based policy that allows the caller",
                )
            } else {
                step(Stage::ResourcePolicy, Verdict::NotApplicable, "no resource-based policy")
            };
            if service == "kms" && !trust {
                s.notes.push("no key policy given: assuming the default key policy, which lets IAM policies of the key's account grant access".to_owned());
            }
            run.push(s);
            None
        }
        Some(rbp) => {
            let found = run.statements(&[rbp], Effect::Allow);
            let best = found.best_grant();
            rbp_refs_direct = found.refs_with(|g| matches!(g, Grant::Direct | Grant::Everyone));
            rbp_refs_entity = found.refs_with(|g| g == Grant::Entity);
            rbp_refs_any = found.refs();
            let label = first_label(&found);
            let summary = match best {
                None => format!("no statement of the {rbp_name} allows the caller"),
                Some(_) if cross => format!("{label} allows the caller: the resource's account agrees"),
                Some(Grant::Direct) => format!("{label} names the caller directly, so no identity policy is needed"),
                Some(Grant::Everyone) => format!("{label} allows every principal (`*`), the caller included"),
                Some(Grant::Entity) => match kind {
                    PrincipalKind::FederatedUser => format!("{label} names the IAM user behind the federated session: the boundary and session policies still apply"),
                    _ => format!("{label} names the session's role: the boundary and session policies still apply"),
                },
                Some(Grant::Account) if requires_rbp => format!("{label} trusts the caller's account, which delegates to its IAM policies"),
                Some(Grant::Account) => format!("{label} names the caller's account, which only delegates to the account's IAM policies"),
                Some(Grant::Service | Grant::Federated) => format!("{label} names another kind of principal"),
            };
            let verdict = match best {
                Some(Grant::Account) if !requires_rbp => Verdict::NoAllow,
                Some(_) => Verdict::Allow,
                None => Verdict::NoAllow,
            };
            let mut s = step(Stage::ResourcePolicy, verdict, summary);
            if kms_key_policy && !matches!(best, Some(Grant::Direct | Grant::Everyone | Grant::Entity)) {
                s.notes.push("a key policy must allow: IAM policies count only when it allows the account (`arn:aws:iam::<account>:root`)".to_owned());
            }
            if trust && best.is_none() {
                s.notes.push(
                    "a role's trust policy must allow the caller; an identity-based policy alone is never enough"
                        .to_owned(),
                );
            }
            s.statements = found.traces;
            run.push(s);
            best
        }
    };
    let direct = !cross && matches!(best, Some(Grant::Direct | Grant::Everyone));
    if direct {
        let mut deciding = run.gate_allows.clone();
        deciding.extend(rbp_refs_direct);
        return run.decide(Decision::Allow, deciding);
    }
    let resource_side = best.is_some();
    let entity = !cross && best == Some(Grant::Entity);
    if requires_rbp && !resource_side && !cross {
        return run.decide(Decision::ImplicitDeny, Vec::new());
    }
    // With a trust or key policy that names only the role, the identity
    // policies are not needed.
    let identity_needed = cross || !requires_rbp || best == Some(Grant::Account);

    // Identity-based policies.
    let identity_refs;
    let identity_ok;
    if !identity_needed && entity {
        identity_ok = false;
        identity_refs = Vec::new();
        run.push(step(
            Stage::Identity,
            Verdict::Skipped,
            format!("not needed: the {rbp_name} names the caller's role or IAM user"),
        ));
    } else if run.set.identity.is_empty() {
        identity_ok = false;
        identity_refs = Vec::new();
        run.push(step(
            Stage::Identity,
            Verdict::NoAllow,
            "the scenario has no identity-based policies, so none allows the request",
        ));
    } else {
        let policies: Vec<&Named<'a>> = run.set.identity.iter().collect();
        let no = format!("no identity-based policy allows `{}`", run.target.action);
        (identity_ok, identity_refs) = run.allow_step(Stage::Identity, &policies, no);
    }
    let principal_path = identity_ok;
    if !cross && !entity && !principal_path {
        return run.decide(Decision::ImplicitDeny, Vec::new());
    }

    // Permissions boundary.
    let mut limit_refs = Vec::new();
    let mut limits_ok = true;
    match set.boundary.as_ref() {
        None => run.push(step(Stage::Boundary, Verdict::NotApplicable, "no permissions boundary")),
        Some(b) => {
            let no = format!("the permissions boundary does not allow `{}`", run.target.action);
            let (ok, refs) = run.allow_step(Stage::Boundary, &[b], no);
            limit_refs.extend(refs);
            if !ok {
                limits_ok = false;
                if !cross {
                    return run.decide(Decision::ImplicitDeny, Vec::new());
                }
            }
        }
    }

    // Session policies.
    if !is_session {
        run.push(step(Stage::Session, Verdict::NotApplicable, format!("{} has no session policies", kind.describe())));
    } else if run.set.session.is_empty() {
        let s = if kind == PrincipalKind::FederatedUser {
            limits_ok = false;
            step(
                Stage::Session,
                Verdict::NoAllow,
                "a federated user without a session policy has no permissions except what resource policies grant its own ARN",
            )
        } else {
            step(Stage::Session, Verdict::Pass, "no session policy was passed: the role's permissions apply unchanged")
        };
        run.push(s);
        if !limits_ok && !cross {
            return run.decide(Decision::ImplicitDeny, Vec::new());
        }
    } else {
        let policies: Vec<&Named<'a>> = run.set.session.iter().collect();
        let no = format!("no session policy allows `{}`", run.target.action);
        let (ok, refs) = run.allow_step(Stage::Session, &policies, no);
        limit_refs.extend(refs);
        if !ok {
            limits_ok = false;
            if !cross {
                return run.decide(Decision::ImplicitDeny, Vec::new());
            }
        }
    }

    if cross {
        let principal_ok = principal_path && limits_ok;
        let allowed = resource_side && principal_ok;
        let side_word = |ok: bool| if ok { "allows" } else { "does not allow" };
        let summary = format!(
            "the resource's account {} and the principal's account {}: {}",
            side_word(resource_side),
            side_word(principal_ok),
            if allowed { "both allow" } else { "both must allow" }
        );
        let mut s = step(Stage::CrossAccount, if allowed { Verdict::Allow } else { Verdict::NoAllow }, summary);
        if !allowed {
            // The first failing step decides.
            let first_fail = run.steps.iter_mut().find(|s| {
                matches!(s.stage, Stage::ResourcePolicy | Stage::Identity | Stage::Boundary | Stage::Session)
                    && s.verdict == Verdict::NoAllow
            });
            match first_fail {
                Some(f) => f.decisive = true,
                None => s.decisive = true,
            }
        } else {
            s.decisive = true;
        }
        run.push(s);
        if !allowed {
            return run.finish(Decision::ImplicitDeny, Vec::new());
        }
        let mut deciding = run.gate_allows.clone();
        deciding.extend(rbp_refs_any);
        deciding.extend(identity_refs);
        deciding.extend(limit_refs);
        return run.finish(Decision::Allow, deciding);
    }

    // Same account: the identity path, or a grant to the role / parent user.
    let mut deciding = run.gate_allows.clone();
    if entity {
        deciding.extend(rbp_refs_entity);
    }
    if principal_path {
        if best == Some(Grant::Account) {
            deciding.extend(rbp_refs_any);
        }
        deciding.extend(identity_refs);
    }
    deciding.extend(limit_refs);
    if let Some(s) = run.steps.iter_mut().rev().find(|s| {
        (principal_path && s.stage == Stage::Identity) || (!principal_path && s.stage == Stage::ResourcePolicy)
    }) {
        s.decisive = true;
    }
    run.finish(Decision::Allow, deciding)
}
