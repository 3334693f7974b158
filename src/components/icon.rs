use leptos::prelude::*;

/// The icons the app draws (inline SVG: no icon font, no download).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// A pencil: rename, edit.
    Edit,
    /// Two sheets: duplicate, copy.
    Copy,
    /// A bin: delete.
    Delete,
    /// A plus: add.
    Add,
    /// An arrow turning back: undo.
    Undo,
    /// An arrow turning forward: redo.
    Redo,
}

impl IconName {
    fn path(self) -> &'static str {
        match self {
            IconName::Up => "M8 3l-5 5h3v5h4V8h3z",
            IconName::Down => "M8 13l5-5h-3V3H6v5H3z",
            IconName::Edit => "M11.5 2.5l2 2L6 12H4v-2zM3 14h10",
            IconName::Copy => "M5 5h8v8H5zM3 3h8v1H4v7H3z",
            IconName::Delete => "M4 5h8l-1 9H5zM3 3h10v1H3zM6 2h4v1H6z",
            IconName::Add => "M7 3h2v4h4v2H9v4H7V9H3V7h4z",
            IconName::Undo => "M6 2L1.5 6.5 6 11V8h3.5a2.5 2.5 0 010 5H7v2h2.5a4.5 4.5 0 000-9H6z",
            IconName::Redo => "M10 2l4.5 4.5L10 11V8H6.5a2.5 2.5 0 000 5H9v2H6.5a4.5 4.5 0 010-9H10z",
        }
    }
}

/// An icon, sized to the text; decorative (the button around it carries the label).
#[component]
pub fn Icon(name: IconName) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d=name.path() fill="currentColor" stroke="currentColor" stroke-width="0.6" stroke-linejoin="round" />
        </svg>
    }
    .into_any()
}
