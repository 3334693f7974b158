//! The flow editor: the screen list, the selected screen as cards, the palette.
mod canvas;
pub mod component_card;
pub mod palette;
mod screen_list;
mod screens_panel;
pub mod summary;

pub use canvas::Canvas;
pub use screen_list::{ScreenAction, ScreenList};
pub use screens_panel::{ScreensPanel, fresh_screen_id};
