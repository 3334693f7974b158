//! Asynchronous work as plain signals: a value loaded by a future ([`Loaded`]) and a long
//! operation started by a button ([`Task`]).
//!
//! Leptos has `LocalResource` and `Action` for these. Both are built on its async-derived
//! machinery (an async lock, a suspense notifier, wrapped futures and mapped signals per value
//! type), which cost the editor's wasm 37.8 KB raw (14.4 KB gzip) for the four lists and three
//! operations the flows library has. The app needs none of what that machinery adds (no
//! `Suspense`, no server rendering): a signal, an effect and `spawn_local` say the same thing.
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// A value loaded by a future, loaded again whenever a signal the loader reads changes (or on
/// [`reload`](Loaded::reload)). `None` until the first load ends; while a later load runs, the
/// previous value stays (no flicker), and only the latest load's value is kept.
pub struct Loaded<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    reloads: Trigger,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Send + Sync + 'static> Loaded<T> {
    /// Starts loading. `loader` runs in an effect: the signals it reads are tracked, and the
    /// future it returns is awaited outside it.
    pub fn new<F>(loader: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = T> + 'static,
    {
        let value = RwSignal::new(None);
        let reloads = Trigger::new();
        // Which load is the latest: an earlier one that ends later must not overwrite it.
        let latest = Rc::new(Cell::new(0u32));
        Effect::new(move |_| {
            reloads.track();
            let load = loader();
            let this = latest.get().wrapping_add(1);
            latest.set(this);
            let latest = Rc::clone(&latest);
            spawn_local(async move {
                let loaded = load.await;
                if latest.get() == this {
                    // A no-op once the owner (a closed dialog) is gone.
                    value.try_set(Some(loaded));
                }
            });
        });
        Self { value, reloads }
    }

    /// Loads again with the same inputs (a Refresh button).
    pub fn reload(&self) {
        self.reloads.notify();
    }
}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    /// The value, without tracking it (outside effects and views).
    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }

    /// The loaded value (tracked), `None` before the first load ends.
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }
}

type Run<I, O> = Rc<dyn Fn(I) -> Pin<Box<dyn Future<Output = O>>>>;

/// A long operation: started with an input, one at a time, its outcome kept until the next
/// run ends or [`forget`](Task::forget). Every button that starts it reads [`pending`](Task::pending)
/// to disable itself, so nothing is submitted twice.
pub struct Task<I: Send + Sync + 'static, O: Send + Sync + 'static> {
    /// The running operation's input; `None` when nothing runs.
    input: RwSignal<Option<I>>,
    value: RwSignal<Option<O>>,
    run: StoredValue<Run<I, O>, LocalStorage>,
}

impl<I: Send + Sync + 'static, O: Send + Sync + 'static> Clone for Task<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: Send + Sync + 'static, O: Send + Sync + 'static> Copy for Task<I, O> {}

impl<I, O> Task<I, O>
where
    I: Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    /// An operation that runs `run` on each start.
    pub fn new<F>(run: impl Fn(I) -> F + 'static) -> Self
    where
        F: Future<Output = O> + 'static,
    {
        let run: Run<I, O> = Rc::new(move |input| Box::pin(run(input)));
        Self { input: RwSignal::new(None), value: RwSignal::new(None), run: StoredValue::new_local(run) }
    }

    /// Starts the operation unless it is running; returns whether it started.
    pub fn start(&self, input: I) -> bool {
        if self.pending_untracked() {
            return false;
        }
        // What the operation reads before its first await is not a dependency of whoever
        // started it (as with Leptos's `Action`).
        let future = untrack(|| self.run.with_value(|run| run(input.clone())));
        self.input.set(Some(input));
        let (running, value) = (self.input, self.value);
        spawn_local(async move {
            let outcome = future.await;
            value.try_set(Some(outcome));
            running.try_set(None);
        });
        true
    }

    /// Whether it runs (tracked).
    pub fn pending(&self) -> bool {
        self.input.with(Option::is_some)
    }

    /// Whether it runs, without tracking (in event handlers).
    pub fn pending_untracked(&self) -> bool {
        self.input.with_untracked(Option::is_some)
    }

    /// Reads the running operation's input (tracked).
    pub fn with_input<R>(&self, read: impl FnOnce(Option<&I>) -> R) -> R {
        self.input.with(|input| read(input.as_ref()))
    }

    /// Reads the last outcome (tracked).
    pub fn with_value<R>(&self, read: impl FnOnce(Option<&O>) -> R) -> R {
        self.value.with(|value| read(value.as_ref()))
    }

    /// The last outcome, without tracking.
    pub fn value_untracked(&self) -> Option<O> {
        self.value.get_untracked()
    }

    /// Forgets the last outcome (a dismissed failure).
    pub fn forget(&self) {
        self.value.set(None);
    }
}
