//! The AWS knowledge: loads once the page is interactive (after its first
//! render), and the managed policies when they are wanted. The page works
//! the same without it.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::data::{self, DataState};
use crate::knowledge::wire::Phase;

/// How long after the first render the knowledge module starts loading.
const DATA_DELAY_MS: u32 = 30;

/// What is known about AWS so far. `wants_managed`: a policy slot names an
/// AWS managed policy, or the picker is open.
#[hook]
pub fn use_aws_data(wants_managed: bool) -> DataState {
    let data = use_state_eq(DataState::default);
    {
        let data = data.setter();
        use_effect_with((), move |_| {
            data::mark_interactive();
            let on_change = Callback::from(move |d: DataState| data.set(d));
            Timeout::new(DATA_DELAY_MS, move || data::start(on_change)).forget();
        });
    }
    let load_managed = wants_managed && data.module == Phase::Ready && data.status.managed == Phase::Idle;
    use_effect_with(load_managed, |load| {
        if *load {
            data::ensure("managed");
        }
    });
    (*data).clone()
}
