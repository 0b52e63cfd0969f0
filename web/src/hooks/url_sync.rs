//! The address bar follows the state, throttled (Safari allows about 100
//! changes in 30 s; one a second is plenty for a person typing), and a link
//! pasted into the address bar of an open page opens.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::browser;
use crate::hooks::scenario::Scenario;
use crate::share::{self, ViewOptions};
use crate::state::State;

/// The least time between two address-bar updates.
const URL_THROTTLE_MS: f64 = 1000.0;

/// Throttled address-bar updates.
#[derive(Default)]
struct UrlSync {
    armed: bool,
    pending: bool,
    last_write: f64,
    /// The fragment written last (to tell our writes from the user's).
    written: String,
    latest: Option<(UseReducerHandle<State>, ViewOptions)>,
    /// The pending write; dropped (cancelled) when the app unmounts, so an
    /// app that is gone never writes over the address bar of its successor.
    timer: Option<Timeout>,
}

fn write_now(sync: &Rc<RefCell<UrlSync>>) {
    let mut s = sync.borrow_mut();
    s.pending = false;
    s.last_write = browser::now();
    // The address bar changed since our last write (a link opened, Back) and
    // its `hashchange` is still queued behind this timer: that link wins, and
    // writing now would erase it before it is read.
    if browser::fragment() != s.written {
        return;
    }
    if let Some((state, view)) = &s.latest {
        let fragment = share::fragment_for(state, view);
        if fragment != s.written {
            browser::replace_fragment(&fragment);
            // As the browser holds it, to compare with what it gives back.
            s.written = browser::fragment();
        }
    }
}

fn schedule_write(sync: &Rc<RefCell<UrlSync>>) {
    let wait = {
        let mut s = sync.borrow_mut();
        if s.pending {
            return;
        }
        s.pending = true;
        (s.last_write + URL_THROTTLE_MS - browser::now()).clamp(150.0, URL_THROTTLE_MS)
    };
    let timer = {
        let sync = sync.clone();
        Timeout::new(wait as u32, move || write_now(&sync))
    };
    // The timer that fired before (if any) is dropped here, outside its callback.
    sync.borrow_mut().timer = Some(timer);
}

/// Keeps the address bar in step with `scenario`; our own first render
/// leaves the link as it came.
#[hook]
pub fn use_url_sync(scenario: &Scenario) {
    let sync = use_mut_ref(UrlSync::default);
    let state = &scenario.state;
    sync.borrow_mut().latest = Some((state.clone(), scenario.view));
    {
        let sync = sync.clone();
        use_effect_with((state.rev, state.open, state.lint_off.clone(), scenario.view), move |_| {
            let armed = std::mem::replace(&mut sync.borrow_mut().armed, true);
            if armed {
                schedule_write(&sync);
            } else {
                sync.borrow_mut().written = browser::fragment();
            }
        });
    }
    let opener = scenario.opener.clone();
    use_effect_with((), move |_| {
        let on_unmount = sync.clone();
        let listener = web_sys::window().map(|w| {
            EventListener::new(&w, "hashchange", move |_| {
                let fragment = browser::fragment();
                if fragment == sync.borrow().written {
                    return;
                }
                sync.borrow_mut().written = fragment.clone();
                opener.open_link(&fragment);
            })
        });
        move || {
            drop(listener);
            let mut s = on_unmount.borrow_mut();
            s.timer = None;
            s.latest = None;
        }
    });
}
