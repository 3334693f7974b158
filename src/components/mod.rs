//! Widgets shared by the features.
mod comparison;
mod dialog;
mod dialog_actions;
mod icon;
mod menu;
mod notices;
mod rate_limit_wait;

pub use comparison::ComparisonList;
pub use dialog::Dialog;
pub use dialog_actions::DialogActions;
pub use icon::{Icon, IconName};
pub use menu::Menu;
pub use notices::Notices;
pub use rate_limit_wait::{RateLimitNotice, RateLimitWait};
