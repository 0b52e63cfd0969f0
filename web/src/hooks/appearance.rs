//! The theme (asked for by the link, saved by the toggle, or the system's)
//! and the embed layout, applied to the root element.

use yew::prelude::*;

use crate::browser;
use crate::share::{Theme, ViewOptions};

fn initial_theme(asked: Option<Theme>, embed: bool) -> Theme {
    if let Some(t) = asked {
        return t;
    }
    match browser::saved_theme().as_deref() {
        Some("dark") if !embed => Theme::Dark,
        Some("light") if !embed => Theme::Light,
        _ if browser::prefers_dark() => Theme::Dark,
        _ => Theme::Light,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    pub theme: Theme,
    /// Switches between light and dark (and remembers it, outside embeds).
    pub toggle_theme: Callback<()>,
}

#[hook]
pub fn use_appearance(view: &ViewOptions) -> Appearance {
    let theme = use_state_eq(|| initial_theme(view.theme, view.embed));
    use_effect_with(*theme, |t| browser::apply_theme(t.key()));
    use_effect_with(view.embed, |e| browser::set_root_flag("data-embed", *e));
    let toggle_theme = {
        let setter = theme.setter();
        use_callback((*theme, view.embed), move |_: (), &(current, embed): &(Theme, bool)| {
            let next = if current == Theme::Dark { Theme::Light } else { Theme::Dark };
            if !embed {
                browser::save_theme(next.key());
            }
            setter.set(next);
        })
    };
    Appearance { theme: *theme, toggle_theme }
}
