//! The flow editor: screens and components as cards.
mod screen_card;
mod screen_list;

pub use screen_card::ScreenCard;
pub use screen_list::ScreenList;
