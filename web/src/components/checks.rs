//! The checks dialog: every check code by category, each switched on or off
//! (kept in the state, so share links carry it).

use std::collections::BTreeSet;
use std::rc::Rc;

use iamtrace::lint::RULES;
use iamtrace::Severity;
use yew::prelude::*;

use crate::components::dialog::on_escape;
use crate::components::rich;
use crate::context::use_page;
use crate::data::DataState;
use crate::eval::{category_name, category_title, Annotations};
use crate::state::Action;

#[derive(Properties, PartialEq, Debug)]
pub struct ChecksProps {
    /// The codes switched off.
    pub off: BTreeSet<String>,
    pub annotations: Option<Rc<Annotations>>,
    pub data: DataState,
}

const CATEGORIES: [(Severity, &str); 4] = [
    (Severity::Error, "AWS would reject the policy, or it cannot work as written."),
    (Severity::SecurityWarning, "The policy grants more than it probably should."),
    (Severity::Warning, "Valid, but probably not what was meant."),
    (Severity::Suggestion, "Valid; could be written better."),
];

#[component]
pub fn ChecksDialog(props: &ChecksProps) -> Html {
    let page = use_page();
    let off = &props.off;
    let findings = props.annotations.as_deref().map_or(&[][..], |a| a.findings.as_slice());
    let count = |code: &str| findings.iter().filter(|f| f.diagnostic.code.as_str() == code).count();
    let toggle = |code: String| {
        page.on(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            Action::SetLint { code: code.clone(), on: input.checked() }
        })
    };
    let all_on = {
        let (page, off) = (page.clone(), off.clone());
        Callback::from(move |_: MouseEvent| {
            for code in &off {
                page.act(Action::SetLint { code: code.clone(), on: true });
            }
        })
    };
    // Codes switched off that are not checks (warnings of the policy reader).
    let others: Vec<String> =
        off.iter().filter(|c| !RULES.iter().any(|r| r.code.as_str() == c.as_str())).cloned().collect();
    let close = page.on_close::<MouseEvent>();
    let on_key = on_escape(page.on_close());
    let reference = props.data.reference_ready();
    use_effect_with((), |_| crate::browser::focus("checks-first"));
    let mut first = true;
    html! {
        <div class="dialog dialog-wide" id="checks-dialog" role="dialog" aria-labelledby="checks-title" data-testid="checks-dialog"
            onkeydown={on_key}>
            <div class="dialog-head">
                <h2 id="checks-title" class="dialog-title">{ "Policy checks" }</h2>
                <span class="dialog-actions">
                    if !off.is_empty() {
                        <button type="button" class="btn btn-ghost btn-small" onclick={all_on} data-testid="checks-all-on">{ "Turn all on" }</button>
                    }
                    <button type="button" class="btn btn-ghost btn-small" onclick={close} aria-label="Close the checks">{ "Close" }</button>
                </span>
            </div>
            <p class="dialog-text">
                { "The four categories of AWS's policy validation. Findings are underlined in the editors; hover one for its help. Switched-off checks travel with share links." }
                if !reference {
                    <strong>{ " The checks marked “AWS data” run once the service reference has loaded." }</strong>
                }
            </p>
            { for CATEGORIES.iter().map(|(severity, blurb)| {
                let cat = category_name(*severity);
                html! {
                    <section class="checks-group">
                        <h3 class="checks-title">
                            <span class={classes!("badge", "badge-cat", format!("badge-cat-{cat}"))}>{ category_title(*severity) }</span>
                            <span class="checks-blurb">{ *blurb }</span>
                        </h3>
                        <ul class="checks-list">
                            { for RULES.iter().filter(|r| r.severity == *severity).map(|r| {
                                let on = !off.contains(r.code.as_str());
                                let n = count(r.code.as_str());
                                let id = if std::mem::take(&mut first) { Some("checks-first") } else { None };
                                html! {
                                    <li class={classes!("check-row", (!on).then_some("check-off"))}>
                                        <label class="check">
                                            <input type="checkbox" checked={on} onchange={toggle(r.code.as_str().to_owned())} {id}
                                                data-testid="check-toggle" data-code={r.code.as_str()} />
                                            <span class="check-text">
                                                <code class="check-code">{ r.code.as_str() }</code>
                                                <span class="check-summary">{ rich(r.summary) }</span>
                                            </span>
                                        </label>
                                        <span class="check-meta">
                                            if r.needs_knowledge {
                                                <span class="badge badge-muted" title="needs the AWS service reference">{ "AWS data" }</span>
                                            }
                                            if n > 0 {
                                                <span class={classes!("badge", "badge-cat", format!("badge-cat-{cat}"))}>{ n.to_string() }</span>
                                            }
                                        </span>
                                    </li>
                                }
                            }) }
                        </ul>
                    </section>
                }
            }) }
            if !others.is_empty() {
                <section class="checks-group">
                    <h3 class="checks-title"><span class="badge badge-muted">{ "Other" }</span>
                        <span class="checks-blurb">{ "Warnings of the policy reader, switched off from their tooltip." }</span></h3>
                    <ul class="checks-list">
                        { for others.into_iter().map(|code| {
                            let onchange = toggle(code.clone());
                            html! {
                                <li class="check-row check-off">
                                    <label class="check">
                                        <input type="checkbox" checked={false} {onchange} data-testid="check-toggle" data-code={code.clone()} />
                                        <code class="check-code">{ code }</code>
                                    </label>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }
        </div>
    }
}
