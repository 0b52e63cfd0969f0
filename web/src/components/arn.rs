//! An ARN broken into its parts as it is typed, or a clear message when it
//! is not one.

use iamtrace::arn::{is_account_id, Arn};
use yew::prelude::*;

/// Which request field the value comes from (each allows different non-ARNs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnField {
    Principal,
    Resource,
    SessionParent,
}

#[derive(Properties, PartialEq, Debug)]
pub struct ArnPartsProps {
    pub value: AttrValue,
    pub field: ArnField,
    /// The element id (inputs point at it with `aria-describedby`).
    pub id: AttrValue,
}

/// The outcome of reading a value as an ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    Empty,
    /// Not an ARN, and fine for this field.
    Note(String),
    Parts {
        partition: String,
        service: String,
        region: String,
        account: String,
        resource: String,
        warning: Option<String>,
    },
    Malformed(String),
}

/// Reads a field value.
pub fn read(value: &str, field: ArnField) -> Reading {
    let v = value.trim();
    if v.is_empty() {
        return Reading::Empty;
    }
    if field == ArnField::Principal && !v.starts_with("arn:") {
        if v == "anonymous" || v == "*" {
            return Reading::Note("an anonymous (unauthenticated) caller".into());
        }
        if v.ends_with(".amazonaws.com") || v.ends_with(".amazonaws.com.cn") {
            return Reading::Note("an AWS service principal".into());
        }
    }
    if field == ArnField::Resource && v == "*" {
        return Reading::Note("every resource: for actions that take no resource ARN".into());
    }
    match Arn::parse(v) {
        Ok(a) => {
            let warning = if !a.account.is_empty() && !is_account_id(a.account) && !a.account.contains(['*', '?']) {
                Some(format!("`{}` is not a 12-digit account ID", a.account))
            } else if a.resource.is_empty() {
                Some("the resource part (after the fifth `:`) is empty".to_owned())
            } else {
                None
            };
            Reading::Parts {
                partition: a.partition.to_owned(),
                service: a.service.to_owned(),
                region: a.region.to_owned(),
                account: a.account.to_owned(),
                resource: a.resource.to_owned(),
                warning,
            }
        }
        Err(e) => {
            let hint = match field {
                ArnField::Principal => " (or `anonymous`, or a service principal such as `sns.amazonaws.com`)",
                ArnField::Resource => " (or `*` for actions without a resource)",
                ArnField::SessionParent => "",
            };
            Reading::Malformed(format!("not an ARN: {e}{hint}"))
        }
    }
}

#[component]
pub fn ArnParts(props: &ArnPartsProps) -> Html {
    let part = |name: &'static str, value: &str| {
        let empty = value.is_empty();
        html! {
            <div class={classes!("arn-part", empty.then_some("arn-part-empty"))}>
                <dt>{ name }</dt>
                <dd>{ if empty { "none".to_owned() } else { value.to_owned() } }</dd>
            </div>
        }
    };
    match read(&props.value, props.field) {
        Reading::Empty => html! { <div id={props.id.clone()} class="arn arn-empty" /> },
        Reading::Note(n) => html! {
            <div id={props.id.clone()} class="arn arn-note" data-testid="arn-note">{ n }</div>
        },
        Reading::Malformed(m) => html! {
            <div id={props.id.clone()} class="arn arn-error" data-testid="arn-error">{ m }</div>
        },
        Reading::Parts { partition, service, region, account, resource, warning } => html! {
            <div id={props.id.clone()} class="arn">
                <dl class="arn-parts" data-testid="arn-parts" aria-label="ARN parts">
                    { part("partition", &partition) }
                    { part("service", &service) }
                    { part("region", &region) }
                    { part("account", &account) }
                    { part("resource", &resource) }
                </dl>
                if let Some(w) = warning {
                    <div class="arn-warning" data-testid="arn-warning">{ w }</div>
                }
            </div>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings() {
        assert_eq!(read("", ArnField::Principal), Reading::Empty);
        assert!(matches!(read("sns.amazonaws.com", ArnField::Principal), Reading::Note(_)));
        assert!(matches!(read("*", ArnField::Resource), Reading::Note(_)));
        assert!(matches!(read("arn:aws:s3", ArnField::Resource), Reading::Malformed(m) if m.contains("six parts")));
        match read("arn:aws:iam::12345:user/a", ArnField::Principal) {
            Reading::Parts { service, warning, .. } => {
                assert_eq!(service, "iam");
                assert!(warning.is_some());
            }
            other => panic!("{other:?}"),
        }
    }
}
