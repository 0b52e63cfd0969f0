//! A collapsible section of the page with a heading button.

use yew::prelude::*;

use crate::context::use_page;
use crate::state::Panel as PanelKind;

#[derive(Properties, PartialEq, Debug)]
pub struct PanelProps {
    pub kind: PanelKind,
    pub open: bool,
    /// Shown right of the heading (counts, menus).
    #[prop_or_default]
    pub aside: Html,
    #[prop_or_default]
    pub subtitle: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Panel(props: &PanelProps) -> Html {
    let page = use_page();
    let key = props.kind.key();
    let body_id = format!("panel-{key}");
    let head_id = format!("panel-{key}-heading");
    let onclick = {
        let (kind, open) = (props.kind, props.open);
        Callback::from(move |_: MouseEvent| page.toggle_panel(kind, !open))
    };
    html! {
        <section class={classes!("panel", format!("panel-{key}"), props.class.clone(), (!props.open).then_some("panel-closed"))}
            aria-labelledby={head_id.clone()} data-testid={format!("panel-{key}")}>
            <header class="panel-head">
                <h2 class="panel-title">
                    <button type="button" id={head_id} class="panel-toggle" aria-expanded={props.open.to_string()}
                        aria-controls={body_id.clone()} {onclick} data-testid={format!("panel-toggle-{key}")}>
                        <span class="chevron" aria-hidden="true" />
                        { props.kind.title() }
                    </button>
                </h2>
                if let Some(s) = &props.subtitle {
                    <span class="panel-subtitle">{ s.clone() }</span>
                }
                <div class="panel-aside">{ props.aside.clone() }</div>
            </header>
            if props.open {
                <div class="panel-body" id={body_id}>{ props.children.clone() }</div>
            }
        </section>
    }
}
