//! The credential a hop yields: who it acts as, for how long, with which
//! policies, tags and context keys (each with where it comes from), and
//! what AWS documents it cannot call.

use yew::prelude::*;

use crate::components::rich;
use crate::knowledge::chain::CredentialView;

fn kind_title(kind: &str) -> &'static str {
    match kind {
        "root-user" => "Root user access key",
        "iam-user" => "IAM user access key",
        "session-token" => "Temporary credentials (GetSessionToken)",
        "role-session" => "Role session (AssumeRole)",
        "federated-user" => "Federated user session (GetFederationToken)",
        "root-session" => "Privileged root session (AssumeRoot)",
        _ => "Credential",
    }
}

fn duration(seconds: u32) -> String {
    let (h, m) = (seconds / 3600, seconds % 3600 / 60);
    let human = match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    format!("{seconds} seconds ({human})")
}

fn row(label: &str, value: Html) -> Html {
    html! {
        <>
            <dt>{ label.to_owned() }</dt>
            <dd>{ value }</dd>
        </>
    }
}

fn list(items: &[String]) -> Html {
    html! { <>{ for items.iter().enumerate().map(|(i, p)| html! { <>{ if i > 0 { ", " } else { "" } }{ rich(p) }</> }) }</> }
}

pub(super) fn credential_view(c: &CredentialView) -> Html {
    let mono = |s: &str| html! { <code class="mono">{ s.to_owned() }</code> };
    html! {
        <section class="hop-section hop-credential" data-testid="hop-credential" data-kind={c.kind.clone()}>
            <h3 class="hop-h">{ "Yields: " }{ kind_title(&c.kind) }</h3>
            <dl class="facts cred-facts">
                { row("principal", mono(&c.principal)) }
                if let Some(p) = &c.session_parent_arn {
                    { row("session of", mono(p)) }
                }
                { row("account", mono(&c.account)) }
                { row("valid for", match c.duration_seconds {
                    Some(d) => html! { <span data-testid="cred-duration">{ duration(d) }</span> },
                    None => html! { <span class="muted">{ "long-term (until the key is deactivated or deleted)" }</span> },
                }) }
                if !c.identity_policies.is_empty() {
                    { row("identity policies", list(&c.identity_policies)) }
                }
                if let Some(b) = &c.boundary {
                    { row("permissions boundary", rich(b)) }
                }
                if !c.session_policies.is_empty() {
                    { row("session policies", html! { <span data-testid="cred-session-policies">{ list(&c.session_policies) }</span> }) }
                }
                if let Some(s) = &c.source_identity {
                    { row("source identity", mono(s)) }
                }
            </dl>
            if !c.tags.is_empty() {
                <table class="cred-table" data-testid="cred-tags">
                    <caption>{ "Principal tags (aws:PrincipalTag/…)" }</caption>
                    <thead><tr><th>{ "key" }</th><th>{ "value" }</th><th>{ "from" }</th></tr></thead>
                    <tbody>
                        { for c.tags.iter().map(|(k, v, transitive, from)| html! {
                            <tr>
                                <td><code class="mono">{ k.clone() }</code></td>
                                <td><code class="mono">{ v.clone() }</code></td>
                                <td>{ from.clone() }{ if *transitive { " · transitive" } else { "" } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !c.context.is_empty() {
                <table class="cred-table" data-testid="cred-keys">
                    <caption>{ "Context keys in every request it signs" }</caption>
                    <thead><tr><th>{ "key" }</th><th>{ "value" }</th><th>{ "where it comes from" }</th></tr></thead>
                    <tbody>
                        { for c.context.iter().map(|(k, vs, from)| html! {
                            <tr data-testid="cred-key" data-key={k.clone()}>
                                <td><code class="mono">{ k.clone() }</code></td>
                                <td><code class="mono">{ vs.join(", ") }</code></td>
                                <td>{ rich(from) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !c.cannot_call.is_empty() {
                <p class="cred-cannot" data-testid="cred-cannot">
                    <span class="muted">{ "Cannot call: " }</span>{ list(&c.cannot_call) }
                </p>
            }
        </section>
    }
}
