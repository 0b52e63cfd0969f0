//! What the dialogs share: copying to the clipboard with a status line,
//! and closing with Escape.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::browser;

/// Copy status shown next to a copy button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    Not,
    Yes,
    Failed,
}

pub fn copy_into(text: String, status: UseStateHandle<Copied>) {
    spawn_local(async move {
        status.set(if browser::copy(&text).await { Copied::Yes } else { Copied::Failed });
    });
}

pub fn status_text(c: Copied, what: &str) -> String {
    match c {
        Copied::Not => String::new(),
        Copied::Yes => format!("{what} copied to the clipboard"),
        Copied::Failed => "Copying was not allowed: select the text and copy it yourself".to_owned(),
    }
}

/// A dialog's `onkeydown`: Escape closes it.
pub fn on_escape(close: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close.emit(());
        }
    })
}

/// Escapes text for a double-quoted HTML attribute.
pub fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}
