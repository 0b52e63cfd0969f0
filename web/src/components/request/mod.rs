//! The request form: principal, action, resource, resource account, the
//! rarer facts behind a disclosure, and the context key table with the keys
//! the evaluator derived.

mod context;

use std::rc::Rc;

use yew::prelude::*;

use context::{context_table, use_focus_new_rows};

use crate::components::arn::{ArnField, ArnParts};
use crate::components::input_value;
use crate::components::panel::Panel;
use crate::context::{use_page, PageContext};
use crate::eval::RequestFeedback;
use crate::state::{Action, Field, Flag, Panel as PanelKind, RequestState};

#[derive(Properties, PartialEq, Debug)]
pub struct RequestProps {
    pub request: Rc<RequestState>,
    /// Bumped when a whole new state is loaded.
    pub generation: u64,
    pub open: bool,
    /// What the evaluation says about the request.
    pub feedback: Rc<RequestFeedback>,
}

/// How a text field is shown.
struct FieldView {
    label: &'static str,
    placeholder: &'static str,
    hint: Option<&'static str>,
    arn: Option<ArnField>,
}

fn field_view(f: Field) -> FieldView {
    let v = |label, placeholder, hint, arn| FieldView { label, placeholder, hint, arn };
    match f {
        Field::Principal => v("Principal", "arn:aws:iam::111122223333:user/alice", None, Some(ArnField::Principal)),
        Field::Action => {
            v("Action", "s3:GetObject", Some("service:Operation, as in the policy's Action element"), None)
        }
        Field::Resource => v("Resource", "arn:aws:s3:::amzn-s3-demo-bucket/key", None, Some(ArnField::Resource)),
        Field::ResourceAccount => v(
            "Resource account",
            "from the resource ARN",
            Some("For ARNs without an account, such as S3 buckets: the account that owns the resource."),
            None,
        ),
        Field::SessionParentArn => v(
            "Session parent ARN",
            "arn:aws:iam::111122223333:role/path/RoleName",
            Some("For a role session: the role's ARN with its path. For a federated user: the IAM user's ARN."),
            Some(ArnField::SessionParent),
        ),
    }
}

fn text_field(page: &PageContext, f: Field, value: &str, messages: &[String]) -> Html {
    let FieldView { label, placeholder, hint, arn } = field_view(f);
    let id = format!("req-{}", f.key());
    let described =
        format!("{id}-parts {id}-msg{}", if hint.is_some() { format!(" {id}-hint") } else { String::new() });
    let oninput = page.on(move |e: InputEvent| Action::SetField(f, input_value(&e)));
    let invalid = !messages.is_empty();
    html! {
        <div class={classes!("field", format!("field-{}", f.key()))}>
            <label class="field-label" for={id.clone()}>{ label }</label>
            <input id={id.clone()} class={classes!("input", "mono", invalid.then_some("input-invalid"))} type="text"
                value={value.to_owned()} {placeholder} {oninput} readonly={page.readonly} spellcheck="false" autocomplete="off"
                aria-invalid={invalid.to_string()} aria-describedby={described}
                data-testid={format!("request-{}", f.key().replace('_', "-"))} />
            if let Some(h) = hint {
                <p class="field-hint" id={format!("{id}-hint")}>{ h }</p>
            }
            if let Some(kind) = arn {
                <ArnParts value={AttrValue::from(value.to_owned())} field={kind} id={format!("{id}-parts")} />
            }
            <div id={format!("{id}-msg")} class="field-messages" data-testid={format!("request-{}-messages", f.key())}>
                { for messages.iter().map(|m| html! { <p class="field-error">{ m.clone() }</p> }) }
            </div>
        </div>
    }
}

fn flag(page: &PageContext, flag: Flag, label: &'static str, checked: bool, testid: &'static str) -> Html {
    let onchange = page.on(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        Action::SetFlag(flag, input.checked())
    });
    html! {
        <label class="check">
            <input type="checkbox" {checked} {onchange} disabled={page.readonly} data-testid={testid} />
            { label }
        </label>
    }
}

#[component]
pub fn RequestPanel(props: &RequestProps) -> Html {
    let page = use_page();
    let r = &props.request;
    use_focus_new_rows(&r.context, props.generation);
    // Rows whose long lists of values are shown whole (by row id).
    let all_values = use_state(std::collections::HashSet::<u32>::new);
    let feedback = &props.feedback;
    let field = |f: Field| text_field(&page, f, r.field(f), feedback.fields.get(&f).map_or(&[], Vec::as_slice));
    let show_parent = !r.session_parent_arn.is_empty()
        || r.principal.contains(":assumed-role/")
        || r.principal.contains(":federated-user/")
        || r.flags != Default::default();
    html! {
        <Panel kind={PanelKind::Request} open={props.open} subtitle={feedback.summary.clone().map(AttrValue::from)}>
            <div class="request-grid">
                { field(Field::Principal) }
                { field(Field::Action) }
                { field(Field::Resource) }
                { field(Field::ResourceAccount) }
            </div>
            <details class="more" open={show_parent}>
                <summary>{ "Session parent and flags" }</summary>
                { field(Field::SessionParentArn) }
                <div class="flags">
                    { flag(&page, Flag::PrincipalInManagementAccount, "Principal is in the organization's management account (SCPs do not apply)",
                        r.flags.principal_in_management_account, "flag-management-account") }
                    { flag(&page, Flag::ServiceLinkedRole, "Principal is a service-linked role (SCPs do not apply)", r.flags.service_linked_role,
                        "flag-service-linked-role") }
                </div>
            </details>
            { context_table(&page, &r.context, props.generation, &all_values, &feedback.derived, &feedback.other) }
        </Panel>
    }
}
