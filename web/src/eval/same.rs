//! Whether two answers are the same, so that the trace of one is the trace
//! of the other. The core's trace types have no `PartialEq` (deriving it
//! there would make this file one `==`); every struct is taken apart
//! without `..`, so a field added to one of them fails to compile here
//! until it is compared.

use iamtrace::trace::{Answer, ConditionTrace, ElementTrace, PrincipalHit, PrincipalTrace, StatementTrace, Step};

fn all<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
}

pub fn answer(a: &Answer<'_>, b: &Answer<'_>) -> bool {
    let Answer { decision, summary, trace, deciding, missing_keys } = a;
    *decision == b.decision
        && *summary == b.summary
        && *deciding == b.deciding
        && *missing_keys == b.missing_keys
        && all(trace, &b.trace, step)
}

fn step(a: &Step<'_>, b: &Step<'_>) -> bool {
    let Step { stage, level, side, verdict, decisive, title, summary, notes, request, statements } = a;
    *stage == b.stage
        && *level == b.level
        && *side == b.side
        && *verdict == b.verdict
        && *decisive == b.decisive
        && *title == b.title
        && *summary == b.summary
        && *notes == b.notes
        && *request == b.request
        && all(statements, &b.statements, statement)
}

fn statement(a: &StatementTrace<'_>, b: &StatementTrace<'_>) -> bool {
    let StatementTrace {
        statement,
        applies,
        action,
        resource,
        principal: p,
        conditions_evaluated,
        conditions,
        condition_span,
    } = a;
    *statement == b.statement
        && *applies == b.applies
        && element(action, &b.action)
        && element(resource, &b.resource)
        && match (p, &b.principal) {
            (Some(x), Some(y)) => principal(x, y),
            (None, None) => true,
            _ => false,
        }
        && *conditions_evaluated == b.conditions_evaluated
        && *condition_span == b.condition_span
        && all(conditions, &b.conditions, condition)
}

fn element(a: &ElementTrace<'_>, b: &ElementTrace<'_>) -> bool {
    let ElementTrace { element, status, against, hit, dropped, span } = a;
    *element == b.element
        && *status == b.status
        && *against == b.against
        && *hit == b.hit
        && *dropped == b.dropped
        && *span == b.span
}

fn principal(a: &PrincipalTrace<'_>, b: &PrincipalTrace<'_>) -> bool {
    let PrincipalTrace { element, status, against, hits, grant, note, span } = a;
    *element == b.element
        && *status == b.status
        && *against == b.against
        && all(hits, &b.hits, hit)
        && *grant == b.grant
        && *note == b.note
        && *span == b.span
}

fn hit(a: &PrincipalHit<'_>, b: &PrincipalHit<'_>) -> bool {
    let PrincipalHit { key, form, value, span } = a;
    *key == b.key && *form == b.form && *value == b.value && *span == b.span
}

fn condition(a: &ConditionTrace<'_>, b: &ConditionTrace<'_>) -> bool {
    let ConditionTrace {
        operator,
        parsed,
        negated,
        operator_span,
        key,
        key_span,
        key_found,
        derived,
        request_values,
        policy_values,
        values_span,
        span,
        result,
        reason,
    } = a;
    *operator == b.operator
        && *parsed == b.parsed
        && *negated == b.negated
        && *operator_span == b.operator_span
        && *key == b.key
        && *key_span == b.key_span
        && *key_found == b.key_found
        && *derived == b.derived
        && *request_values == b.request_values
        && *policy_values == b.policy_values
        && *values_span == b.values_span
        && *span == b.span
        && *result == b.result
        && *reason == b.reason
}
