//! Every component property name of the catalog (and of the objects inside components, such
//! as data-source items), written once: the table in `components.rs`, the validator and the
//! app name properties through these constants. Names that are also structural keys of Flow
//! JSON (`name`, `visible`, `children`, ...) are `model::key`'s, re-exported here.
pub use crate::model::key::{
    CASES, CHILDREN, CONDITION, ELSE, ERROR_MESSAGE, ERROR_MESSAGES, ID, INIT_VALUE, INIT_VALUES, NAME,
    REQUIRED, THEN, TITLE, VALUE, VISIBLE,
};

/// `allowed-mime-types`.
pub const ALLOWED_MIME_TYPES: &str = "allowed-mime-types";
/// `alt-text`.
pub const ALT_TEXT: &str = "alt-text";
/// `aspect-ratio`.
pub const ASPECT_RATIO: &str = "aspect-ratio";
/// `badge`.
pub const BADGE: &str = "badge";
/// `center-caption`.
pub const CENTER_CAPTION: &str = "center-caption";
/// `color`.
pub const COLOR: &str = "color";
/// `data-source`.
pub const DATA_SOURCE: &str = "data-source";
/// `description`.
pub const DESCRIPTION: &str = "description";
/// `enabled`.
pub const ENABLED: &str = "enabled";
/// `end`.
pub const END: &str = "end";
/// `end-date`.
pub const END_DATE: &str = "end-date";
/// `font-weight`.
pub const FONT_WEIGHT: &str = "font-weight";
/// `height`.
pub const HEIGHT: &str = "height";
/// `helper-text`.
pub const HELPER_TEXT: &str = "helper-text";
/// `image`.
pub const IMAGE: &str = "image";
/// `images`.
pub const IMAGES: &str = "images";
/// `include-days`.
pub const INCLUDE_DAYS: &str = "include-days";
/// `input-type`.
pub const INPUT_TYPE: &str = "input-type";
/// `label`.
pub const LABEL: &str = "label";
/// `label-variant`.
pub const LABEL_VARIANT: &str = "label-variant";
/// `left-caption`.
pub const LEFT_CAPTION: &str = "left-caption";
/// `list-items`.
pub const LIST_ITEMS: &str = "list-items";
/// `main-content`.
pub const MAIN_CONTENT: &str = "main-content";
/// `markdown`.
pub const MARKDOWN: &str = "markdown";
/// `max-chars`.
pub const MAX_CHARS: &str = "max-chars";
/// `max-date`.
pub const MAX_DATE: &str = "max-date";
/// `max-days`.
pub const MAX_DAYS: &str = "max-days";
/// `max-file-size-kb`.
pub const MAX_FILE_SIZE_KB: &str = "max-file-size-kb";
/// `max-length`.
pub const MAX_LENGTH: &str = "max-length";
/// `max-selected-items`.
pub const MAX_SELECTED_ITEMS: &str = "max-selected-items";
/// `max-uploaded-documents`.
pub const MAX_UPLOADED_DOCUMENTS: &str = "max-uploaded-documents";
/// `max-uploaded-photos`.
pub const MAX_UPLOADED_PHOTOS: &str = "max-uploaded-photos";
/// `media-size`.
pub const MEDIA_SIZE: &str = "media-size";
/// `metadata`.
pub const METADATA: &str = "metadata";
/// `min-chars`.
pub const MIN_CHARS: &str = "min-chars";
/// `min-date`.
pub const MIN_DATE: &str = "min-date";
/// `min-days`.
pub const MIN_DAYS: &str = "min-days";
/// `min-selected-items`.
pub const MIN_SELECTED_ITEMS: &str = "min-selected-items";
/// `min-uploaded-documents`.
pub const MIN_UPLOADED_DOCUMENTS: &str = "min-uploaded-documents";
/// `min-uploaded-photos`.
pub const MIN_UPLOADED_PHOTOS: &str = "min-uploaded-photos";
/// `mode`.
pub const MODE: &str = "mode";
/// `on-click-action`.
pub const ON_CLICK_ACTION: &str = "on-click-action";
/// `on-select-action`.
pub const ON_SELECT_ACTION: &str = "on-select-action";
/// `on-unselect-action`.
pub const ON_UNSELECT_ACTION: &str = "on-unselect-action";
/// `pattern`.
pub const PATTERN: &str = "pattern";
/// `photo-source`.
pub const PHOTO_SOURCE: &str = "photo-source";
/// `right-caption`.
pub const RIGHT_CAPTION: &str = "right-caption";
/// `scale-type`.
pub const SCALE_TYPE: &str = "scale-type";
/// `src`.
pub const SRC: &str = "src";
/// `start`.
pub const START: &str = "start";
/// `start-date`.
pub const START_DATE: &str = "start-date";
/// `strikethrough`.
pub const STRIKETHROUGH: &str = "strikethrough";
/// `tags`.
pub const TAGS: &str = "tags";
/// `text`.
pub const TEXT: &str = "text";
/// `unavailable-dates`.
pub const UNAVAILABLE_DATES: &str = "unavailable-dates";
/// `width`.
pub const WIDTH: &str = "width";
