//! The root component: calls the page's hooks (`crate::hooks`), shares
//! what every panel may do through the page's context, and hands each
//! panel what it renders. Which column a panel sits in is
//! [`Panel::column`]; what it takes is the arm of [`App`]'s `panel` below.

use iamtrace::api;
use yew::prelude::*;

use crate::components::chain::{ChainMarks, ChainPanel};
use crate::components::checks::ChecksDialog;
use crate::components::decision::DecisionPanel;
use crate::components::diagram::DiagramPanel;
use crate::components::embed_bar::EmbedBar;
use crate::components::embed_dialog::EmbedDialog;
use crate::components::footer::Footer;
use crate::components::header::Header;
use crate::components::lazy_panels::{Lazy, LazyPanel};
use crate::components::link_error::link_error;
use crate::components::managed::ManagedPicker;
use crate::components::overview::OverviewPanel;
use crate::components::policies::PoliciesPanel;
use crate::components::request::RequestPanel;
use crate::components::share_dialog::ShareDialog;
use crate::components::trace::TracePanel;
use crate::context::{Dialog, PageContext};
use crate::hooks::appearance::use_appearance;
use crate::hooks::aws_data::use_aws_data;
use crate::hooks::editor_events::use_editor_events;
use crate::hooks::evaluation::use_evaluation;
use crate::hooks::scenario::use_scenario;
use crate::hooks::selection::use_selection;
use crate::hooks::url_sync::use_url_sync;
use crate::num::fixed;
use crate::share::RequestV1;
use crate::state::{Action, State};
use crate::state::{Column, Panel, PanelSet};

#[component]
pub fn App() -> Html {
    let scenario = use_scenario();
    let state = scenario.state.clone();
    let dialog = use_state_eq(|| None::<Dialog>);
    let wants_managed =
        *dialog == Some(Dialog::Managed) || state.policies.iter().any(|(_, e)| api::names_managed_policy(&e.text));
    let data = use_aws_data(wants_managed);
    let chain_marks = use_reducer_eq(ChainMarks::default);
    let chain_problems = use_state_eq(|| AttrValue::Static("[]"));
    let ev = use_evaluation(&state, &data);
    let selection = use_selection(&state, &ev.shown, &ev.current, &ev.annotations);
    let appearance = use_appearance(&scenario.view);
    use_url_sync(&scenario);
    let actions = state.dispatcher().to_callback();
    use_editor_events(actions.clone());
    let on_example = {
        let opener = scenario.opener.clone();
        use_callback((), move |id: String, _| opener.open_example(&id))
    };
    let on_dismiss = {
        let opener = scenario.opener.clone();
        use_callback((), move |_: (), _| opener.dismiss_link_error())
    };

    let view = scenario.view;
    let embed = view.embed;
    let context = PageContext::new(
        embed && view.readonly,
        actions.clone(),
        selection.select.clone(),
        dialog.setter().to_callback(),
    );
    let panel = |kind: Panel| -> Html {
        let open = state.open.contains(kind);
        match kind {
            Panel::Policies => html! {
                <PoliciesPanel policies={state.policies.clone()} generation={state.generation} checks_off={state.lint_off.len()}
                    {open} evaluated={ev.current.clone()} annotations={ev.annotations.clone()}
                    highlights={selection.highlights.clone()} data={data.clone()} />
            },
            Panel::Request => html! {
                <RequestPanel request={state.request.clone()} generation={state.generation} {open}
                    feedback={ev.current.request.clone()} />
            },
            Panel::Decision => html! {
                <DecisionPanel evaluated={ev.current.clone()} annotations={ev.annotations.clone()} expected={state.expected}
                    policies={state.policies.clone()} {open} />
            },
            Panel::Overview => html! {
                <OverviewPanel policies={state.policies.clone()} request={state.request.clone()} data={data.clone()} {open} />
            },
            Panel::Trace => html! {
                <TracePanel evaluated={ev.shown.clone()} stale={ev.stale} {open} picked={selection.picked}
                    data={data.generation()} />
            },
            Panel::Diagram => html! {
                <DiagramPanel evaluated={ev.shown.clone()} stale={ev.stale} {open} picked={selection.picked} />
            },
            Panel::CloudTrail => {
                // The request is evaluated against the page's policies: the
                // scenario is written only while the panel is open.
                let scenario = if open {
                    AttrValue::from(serde_json::to_string(&api::scenario_doc(&state.to_input())).unwrap_or_default())
                } else {
                    AttrValue::Static("")
                };
                let act = actions.clone();
                let on_use = Callback::from(move |json: String| {
                    if let Ok(r) = serde_json::from_str::<RequestV1>(&json) {
                        act.emit(Action::SetRequest(Box::new(r.into_input())));
                    }
                });
                html! {
                    <LazyPanel {kind} what={Lazy::CloudTrail(scenario, embed && view.readonly)} module={data.module}
                        generation={data.status.generation} {open} on_json={on_use} />
                }
            }
            Panel::Chain => html! {
                <ChainPanel text={AttrValue::from(state.chain.clone().unwrap_or_default())} generation={state.generation}
                    marks={(*chain_marks).clone()} problems={(*chain_problems).clone()} {open} />
            },
            Panel::Walk => {
                let marks = chain_marks.dispatcher();
                let problems = chain_problems.setter();
                let act = actions.clone();
                let on_load = Callback::from(move |json: String| {
                    if let Ok(input) = api::input_from_scenario(&json) {
                        act.emit(Action::Load(Box::new(State::from_input(input, None))));
                    }
                });
                html! {
                    <LazyPanel {kind} what={Lazy::Walk(AttrValue::from(state.chain.clone().unwrap_or_default()))}
                        module={data.module} generation={data.status.generation} {open} on_json={on_load}
                        on_marks={Callback::from(move |json: AttrValue| marks.dispatch(json))}
                        on_problems={Callback::from(move |json: AttrValue| problems.set(json))} />
                }
            }
        }
    };
    // A chain scenario shows its own panels; one request, the others.
    let chain_mode = state.chain.is_some();
    let mode = PanelSet::of(&Panel::ALL.into_iter().filter(|p| p.is_chain() == chain_mode).collect::<Vec<_>>());
    let visible = if embed { view.panels.unwrap_or_else(PanelSet::embed_default) } else { PanelSet::all() };
    let visible = match visible.intersect(mode) {
        v if v.is_empty() && chain_mode => PanelSet::of(&[Panel::Walk]),
        v => v,
    };
    let column = |c: Column| visible.panels().into_iter().filter(|p| p.column() == c).map(panel).collect::<Vec<_>>();
    let (input, output) = (column(Column::Input), column(Column::Output));
    let layout = classes!("workspace", (input.is_empty() || output.is_empty()).then_some("workspace-single"));

    let dialog_view = match *dialog {
        _ if embed => Html::default(),
        None => Html::default(),
        Some(Dialog::Share) => html! { <ShareDialog state={state.clone()} /> },
        Some(Dialog::Embed) => html! { <EmbedDialog state={state.clone()} /> },
        Some(Dialog::Checks) => html! {
            <ChecksDialog off={state.lint_off.clone()} annotations={ev.annotations.clone()} data={data.clone()} />
        },
        Some(Dialog::Managed) => html! { <ManagedPicker data={data.clone()} /> },
    };
    let lint_ms = ev.annotations.as_ref().and_then(|a| a.lint_ms);

    html! {
        <ContextProvider<PageContext> {context}>
            <div class={classes!("app", embed.then_some("app-embed"))} data-testid="app" data-rev={state.rev.to_string()}
                data-eval-ms={fixed(ev.ms, 3)} data-data={data.summary()}
                data-lint-ms={lint_ms.map(|(inside, total)| format!("{} {}", fixed(inside, 3), fixed(total, 3)))}
                data-checked-rev={ev.annotations.as_ref().map(|a| a.rev.to_string())}>
                <a class="skip-link" href="#answer">{ "Skip to the decision" }</a>
                if embed {
                    <EmbedBar state={state.clone()} />
                } else {
                    <Header example={state.example.clone().map(AttrValue::from)} edited={state.edited} show_decision={!chain_mode}
                        decision={ev.current.decision} errors={ev.current.errors} theme={appearance.theme} dialog={*dialog}
                        {on_example} on_theme={appearance.toggle_theme.clone()} />
                }
                { for scenario.link_error.as_ref().map(|message| link_error(message, &on_dismiss)) }
                { dialog_view }
                <main class={layout}>
                    if !input.is_empty() {
                        <div class="col col-input">{ for input }</div>
                    }
                    if !output.is_empty() {
                        <div class="col col-output" id="answer">{ for output }</div>
                    }
                </main>
                if !embed {
                    <Footer data={data.clone()} made_with={state.made_with.clone()} eval_ms={ev.ms}
                        lint_ms={lint_ms.map(|(_, total)| total)} />
                }
            </div>
        </ContextProvider<PageContext>>
    }
}
