//! Widgets shared by the features.
mod comparison;
mod dialog;
mod icon;
mod menu;
mod notices;

pub use comparison::ComparisonList;
pub use dialog::Dialog;
pub use icon::{Icon, IconName};
pub use menu::Menu;
pub use notices::Notices;
