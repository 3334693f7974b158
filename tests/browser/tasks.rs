use std::cell::RefCell;
use std::rc::Rc;

use flowsmith::tasks::{Loaded, Task};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, sleep, tick};

/// Runs `make` under a mounted owner (effects need one) and hands back what it made.
fn under_owner<T: Clone + 'static>(make: impl Fn() -> T + 'static) -> T {
    let made = Rc::new(RefCell::new(None));
    let captured = Rc::clone(&made);
    leptos::mount::mount_to(container(), move || {
        *captured.borrow_mut() = Some(make());
    })
    .forget();
    made.borrow().clone().expect("made")
}

/// A load whose input changed while it ran ends after the newer one: the newer value stays.
/// A reload loads again with the same input and keeps the value meanwhile.
#[wasm_bindgen_test]
async fn a_load_that_ends_after_a_newer_one_does_not_overwrite_it() {
    let (query, loads, loaded) = under_owner(|| {
        let query = RwSignal::new(1u64);
        let loads = RwSignal::new(0u32);
        let loaded = Loaded::new(move || {
            let asked = query.get();
            let load = loads.get_untracked() + 1;
            loads.set(load);
            async move {
                // The first load is the slow one.
                sleep(if asked == 1 { 80 } else { 5 }).await;
                format!("result {asked}, load {load}")
            }
        });
        (query, loads, loaded)
    });
    tick().await;
    assert_eq!(loaded.get(), None, "nothing before the first load ends");
    query.set(2);
    sleep(30).await;
    assert_eq!(loaded.get().as_deref(), Some("result 2, load 2"));
    sleep(100).await;
    assert_eq!(loaded.get().as_deref(), Some("result 2, load 2"), "the slow first load ended last");

    loaded.reload();
    tick().await;
    assert_eq!(loads.get_untracked(), 3, "a reload loads again");
    assert_eq!(loaded.get().as_deref(), Some("result 2, load 2"), "the value stays while it runs");
    sleep(30).await;
    assert_eq!(loaded.get().as_deref(), Some("result 2, load 3"));
}

/// One run at a time: a second start while one runs is refused; the outcome stays until
/// forgotten; the input is readable while it runs.
#[wasm_bindgen_test]
async fn a_task_runs_once_at_a_time_and_keeps_its_outcome() {
    let runs = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&runs);
    let task = under_owner(move || {
        let seen = Rc::clone(&seen);
        Task::new(move |input: u32| {
            seen.borrow_mut().push(input);
            async move {
                sleep(20).await;
                input * 10
            }
        })
    });
    assert!(!task.pending_untracked());
    assert!(task.start(1));
    assert!(!task.start(2), "refused while the first runs");
    assert!(task.pending());
    assert_eq!(task.with_input(|input| input.copied()), Some(1));
    assert_eq!(task.value_untracked(), None);
    sleep(50).await;
    assert!(!task.pending());
    assert_eq!(task.with_input(|input| input.copied()), None);
    assert_eq!(task.with_value(|value| value.copied()), Some(10));
    assert_eq!(*runs.borrow(), [1]);

    assert!(task.start(3));
    assert_eq!(task.value_untracked(), Some(10), "the last outcome stays while the next runs");
    sleep(50).await;
    assert_eq!(task.value_untracked(), Some(30));
    task.forget();
    assert_eq!(task.value_untracked(), None);
    assert_eq!(*runs.borrow(), [1, 3]);
}

/// What an operation reads as it starts is not a dependency of the effect that started it: a
/// change there does not start it again.
#[wasm_bindgen_test]
async fn a_task_started_by_an_effect_does_not_make_it_depend_on_what_the_task_reads() {
    let (read, runs) = under_owner(|| {
        let read = RwSignal::new(0u32);
        let runs = RwSignal::new(0u32);
        let task = Task::new(move |()| {
            let seen = read.get();
            async move { seen }
        });
        Effect::new(move |_| {
            runs.update(|n| *n += 1);
            task.start(());
        });
        (read, runs)
    });
    tick().await;
    assert_eq!(runs.get_untracked(), 1);
    read.set(1);
    tick().await;
    assert_eq!(runs.get_untracked(), 1, "the effect ran again for what the task read");
}
