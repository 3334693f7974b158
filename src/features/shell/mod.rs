//! The editor's frame: the toolbar, the panes with their splitters and rails, the preview
//! area, the first visit's hint.
//!
//! The layout is CSS (`style/main.css`): panes keep their minimum widths, and the media queries
//! there, sums of those minimums, say which pane collapses to a rail at which window width.
//! What people do to the frame (drag a splitter, open a rail, leave a menu, move between tabs
//! with the arrow keys, get focus back from a dialog) is handled by `shell.js` with listeners
//! on the document; the state they see here is the view, the preview and its tab.
mod dock;
mod preview_area;
mod toolbar;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub use dock::Dock;
pub use preview_area::PreviewArea;
pub use toolbar::Toolbar;

#[wasm_bindgen(module = "/src/features/shell/shell.js")]
extern "C" {
    /// Starts the frame's behaviour (once per page) and applies the pane widths this browser
    /// kept; returns whether this browser never opened Flowsmith before.
    #[wasm_bindgen(js_name = startShell)]
    pub fn start_shell() -> bool;
}

/// The panes beside the main one: resizable, and collapsing to a rail when the window is narrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// Screens, flow settings and palette, on the left.
    Screens,
    /// The preview area, right of the main pane.
    Preview,
    /// The inspector, on the right.
    Inspector,
}

impl Pane {
    /// (smallest, default, largest) width in CSS pixels, as `style/main.css` has them (its
    /// `min-width`s, `--fs-w-*` defaults and media queries): change them together. Text,
    /// since they are only ever attributes.
    pub const fn widths(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Pane::Screens => ("200", "240", "480"),
            Pane::Preview => ("340", "380", "640"),
            Pane::Inspector => ("280", "320", "560"),
        }
    }

    /// Its name in classes, CSS variables and test ids.
    pub const fn name(self) -> &'static str {
        match self {
            Pane::Screens => "screens",
            Pane::Preview => "preview",
            Pane::Inspector => "inspector",
        }
    }

    /// Its name for people (the rail, the landmark).
    pub const fn label(self) -> &'static str {
        match self {
            Pane::Screens => "Screens",
            Pane::Preview => "Preview",
            Pane::Inspector => "Inspector",
        }
    }
}

/// What the main pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The selected screen's cards.
    Cards,
    /// The routing graph.
    Graph,
    /// flow.json as text.
    Json,
}

/// The frame's state, made by the shell and given to the parts that need it as a prop.
#[derive(Clone, Copy)]
pub struct Layout {
    /// What the main pane shows.
    pub view: RwSignal<View>,
    /// Whether the preview area is open.
    pub preview: RwSignal<bool>,
    /// Whether WhatsApp's preview is the tab chosen (else the phone).
    pub whatsapp: RwSignal<bool>,
}

impl Layout {
    /// The layout for this window at start. The preview opens at once on a window wide enough for every pane
    /// at its default width.
    pub fn for_window() -> Layout {
        let wide = window().inner_width().ok().and_then(|width| width.as_f64()).unwrap_or_default() >= 1400.0;
        Layout {
            view: RwSignal::new(View::Cards),
            preview: RwSignal::new(wide),
            whatsapp: RwSignal::new(false),
        }
    }
}
