use std::sync::Arc;

use flow_model::Diagnostic;
use leptos::prelude::*;

use super::{ProblemIndex, RemoteProblem};
use crate::state::{EditorState, Selection, use_editor};

/// One group of the panel: a screen (or the whole flow) and its problems.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    key: String,
    title: String,
    screen: Option<usize>,
    rows: Vec<(usize, Diagnostic)>,
    /// Meta's errors of the last save, by position in the index's `remote`.
    remote: Vec<(usize, RemoteProblem)>,
}

fn groups(index: &ProblemIndex, screen_names: &[String], text_problems: &[Diagnostic]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    if !text_problems.is_empty() {
        groups.push(Group {
            key: "text".into(),
            title: "JSON text (the cards show the last version that parsed)".into(),
            screen: None,
            rows: text_problems.iter().cloned().enumerate().map(|(i, d)| (usize::MAX - i, d)).collect(),
            remote: Vec::new(),
        });
    }
    let mut flow = Group {
        key: "flow".into(),
        title: "Flow".into(),
        screen: None,
        rows: Vec::new(),
        remote: Vec::new(),
    };
    let mut by_screen: Vec<Group> = screen_names
        .iter()
        .enumerate()
        .map(|(screen, name)| Group {
            key: format!("screen-{screen}"),
            title: name.clone(),
            screen: Some(screen),
            rows: Vec::new(),
            remote: Vec::new(),
        })
        .collect();
    for (position, (diagnostic, target)) in index.diagnostics.iter().zip(&index.targets).enumerate() {
        let group = target.screen.and_then(|screen| by_screen.get_mut(screen)).unwrap_or(&mut flow);
        group.rows.push((position, diagnostic.clone()));
    }
    for (position, (problem, target)) in index.remote.iter().zip(&index.remote_targets).enumerate() {
        let group = target.screen.and_then(|screen| by_screen.get_mut(screen)).unwrap_or(&mut flow);
        group.remote.push((position, problem.clone()));
    }
    let shown = |group: &Group| !group.rows.is_empty() || !group.remote.is_empty();
    if shown(&flow) {
        groups.push(flow);
    }
    groups.extend(by_screen.into_iter().filter(shown));
    groups
}

fn problem_row(
    position: usize,
    diagnostic: Diagnostic,
    choose: impl Fn(usize) + Copy + 'static,
) -> impl IntoView {
    // Rows of unparsed text have no place in the document to go to.
    let clickable = position < usize::MAX / 2;
    view! {
        <li>
            <button
                class="problem"
                class:problem--error=diagnostic.is_error()
                data-testid="problem"
                data-code=diagnostic.code().as_str()
                data-pointer=diagnostic.pointer.clone()
                data-position=position
                disabled=!clickable
                on:click=move |_| choose(position)
            >
                <span class="problem__severity">{diagnostic.severity.as_str()}</span>
                <span class="problem__message">{diagnostic.message()}</span>
                <code class="problem__code">{diagnostic.code().as_str()}</code>
            </button>
        </li>
    }
    .into_any()
}

/// Selects what the diagnostic at `position` is about: its screen, card and field. What a
/// click on a row does, and what the graph's overlays do to link to their diagnostic.
pub fn select_problem(state: EditorState, index: &ProblemIndex, position: usize) {
    let Some(target) = index.targets.get(position).cloned() else { return };
    let pointer = index.diagnostics.get(position).map(|d| d.pointer.clone());
    select_target(state, target, pointer);
}

/// Selects `target`'s screen, card and field (`pointer` when the target names no property).
fn select_target(state: EditorState, target: flow_model::walk::Target, pointer: Option<String>) {
    state.selection.set(Selection {
        screen: target.screen.unwrap_or_else(|| state.selection.get_untracked().screen),
        component: target.component,
        field: target.property.or(pointer),
    });
}

/// One of Meta's validation errors: marked as Meta's, with its code.
fn remote_row(
    position: usize,
    problem: RemoteProblem,
    choose: impl Fn(usize) + Copy + 'static,
) -> impl IntoView {
    let code = problem.code.clone();
    view! {
        <li>
            <button
                class="problem problem--error problem--remote"
                data-testid="remote-problem"
                data-code=code
                data-pointer=problem.pointer.clone()
                title="Reported by WhatsApp for the flow.json last saved there"
                on:click=move |_| choose(position)
            >
                <span class="problem__severity problem__source">"WhatsApp"</span>
                <span class="problem__message">{problem.message}</span>
                <code class="problem__code">{problem.code}</code>
            </button>
        </li>
    }
    .into_any()
}

/// Every problem of the flow, grouped by screen with counts. Clicking one selects its screen
/// and card and focuses the field.
#[component]
pub fn ProblemsPanel(
    /// The problem index of the document.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
    /// Screen labels ("TITLE (ID)") by index.
    #[prop(into)]
    screen_names: Signal<Vec<String>>,
) -> impl IntoView {
    let state = use_editor();
    let expanded = RwSignal::new(true);
    let all = Memo::new(move |_| {
        let text_problems = state.text_problems.get();
        index.with(|index| screen_names.with(|names| groups(index, names, &text_problems)))
    });
    let total = move || index.with(|index| index.total);
    let choose = move |position: usize| index.with_untracked(|index| select_problem(state, index, position));
    let choose_remote = move |position: usize| {
        let found = index.with_untracked(|index| {
            Some((index.remote_targets.get(position)?.clone(), index.remote.get(position)?.pointer.clone()))
        });
        if let Some((target, pointer)) = found {
            select_target(state, target, Some(pointer).filter(|pointer| !pointer.is_empty()));
        }
    };
    let remote_total = move || index.with(|index| index.remote.len());
    view! {
        <section class="problems" data-testid="problems" aria-label="Problems">
            <button class="problems__header" aria-expanded=move || expanded.get().to_string() on:click=move |_| expanded.update(|open| *open = !*open)>
                <span class="problems__title">"Problems"</span>
                <span class="badge badge--error" data-testid="error-count">{move || format!("{} errors", total().errors)}</span>
                <span class="badge badge--warning" data-testid="warning-count">{move || format!("{} warnings", total().warnings)}</span>
                <Show when=move || remote_total() != 0>
                    <span class="badge badge--remote" data-testid="remote-error-count" title="Reported by WhatsApp for the flow.json last saved there">
                        {move || format!("{} from WhatsApp", remote_total())}
                    </span>
                </Show>
            </button>
            <Show when=move || expanded.get()>
                <div class="problems__list">
                    <Show when=move || all.with(Vec::is_empty)>
                        <p class="problems__empty">"No problems: Meta would accept this flow. Try it in Preview, or save it to WhatsApp."</p>
                    </Show>
                    {move || {
                        all.get()
                            .into_iter()
                            .map(|group| {
                                let count = group.rows.len() + group.remote.len();
                                view! {
                                    <div class="problems__group" data-testid="problem-group">
                                        <h3>{group.title.clone()} " " <span class="problems__count">{count}</span></h3>
                                        <ul>
                                            {group.rows.into_iter().map(|(position, diagnostic)| problem_row(position, diagnostic, choose)).collect_view()}
                                            {group.remote.into_iter().map(|(position, problem)| remote_row(position, problem, choose_remote)).collect_view()}
                                        </ul>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </Show>
        </section>
    }
    .into_any()
}
