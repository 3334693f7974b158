//! Widgets shared by the features.
mod dialog;
mod dialog_actions;
mod icon;
mod notices;

pub use dialog::Dialog;
pub use dialog_actions::DialogActions;
pub use icon::{Icon, IconName};
pub use notices::Notices;
