//! Widgets shared by the features.
mod dialog;
mod icon;
mod notices;

pub use dialog::Dialog;
pub use icon::{Icon, IconName};
pub use notices::Notices;
