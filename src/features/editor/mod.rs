//! The flow editor: the screen list, the selected screen as cards (with what each card says,
//! `summary`), the palette and the flow's settings (version, routing, data API version).
mod canvas;
pub mod component_card;
mod flow_settings;
pub mod palette;
mod screen_list;
mod screens_panel;
pub mod summary;

pub use canvas::Canvas;
pub use flow_settings::FlowSettings;
pub use palette::Palette;
pub use screen_list::{ScreenAction, ScreenList};
pub use screens_panel::{DeleteScreenDialog, ScreensPanel, fresh_screen_id};
