//! Every component property name of the catalog (and of the objects inside components, such
//! as data-source items), written once: the table in `components.rs`, the validator and the
//! app name properties through these constants. Names that are also structural keys of Flow
//! JSON (`name`, `visible`, `children`, ...) are `model::key`'s, re-exported here.
pub use crate::model::key::{
    CASES, CHILDREN, CONDITION, ELSE, ERROR_MESSAGE, ERROR_MESSAGES, ID, INIT_VALUE, INIT_VALUES, NAME,
    REQUIRED, THEN, TITLE, VALUE, VISIBLE,
};

crate::model::key_names! {
    /// `allowed-mime-types`.
    ALLOWED_MIME_TYPES = "allowed-mime-types";
    /// `alt-text`.
    ALT_TEXT = "alt-text";
    /// `aspect-ratio`.
    ASPECT_RATIO = "aspect-ratio";
    /// `badge`.
    BADGE = "badge";
    /// `center-caption`.
    CENTER_CAPTION = "center-caption";
    /// `color`.
    COLOR = "color";
    /// `data-source`.
    DATA_SOURCE = "data-source";
    /// `description`.
    DESCRIPTION = "description";
    /// `enabled`.
    ENABLED = "enabled";
    /// `end`.
    END = "end";
    /// `end-date`.
    END_DATE = "end-date";
    /// `font-weight`.
    FONT_WEIGHT = "font-weight";
    /// `height`.
    HEIGHT = "height";
    /// `helper-text`.
    HELPER_TEXT = "helper-text";
    /// `image`.
    IMAGE = "image";
    /// `images`.
    IMAGES = "images";
    /// `include-days`.
    INCLUDE_DAYS = "include-days";
    /// `input-type`.
    INPUT_TYPE = "input-type";
    /// `label`.
    LABEL = "label";
    /// `label-variant`.
    LABEL_VARIANT = "label-variant";
    /// `left-caption`.
    LEFT_CAPTION = "left-caption";
    /// `list-items`.
    LIST_ITEMS = "list-items";
    /// `main-content`.
    MAIN_CONTENT = "main-content";
    /// `markdown`.
    MARKDOWN = "markdown";
    /// `max-chars`.
    MAX_CHARS = "max-chars";
    /// `max-date`.
    MAX_DATE = "max-date";
    /// `max-days`.
    MAX_DAYS = "max-days";
    /// `max-file-size-kb`.
    MAX_FILE_SIZE_KB = "max-file-size-kb";
    /// `max-length`.
    MAX_LENGTH = "max-length";
    /// `max-selected-items`.
    MAX_SELECTED_ITEMS = "max-selected-items";
    /// `max-uploaded-documents`.
    MAX_UPLOADED_DOCUMENTS = "max-uploaded-documents";
    /// `max-uploaded-photos`.
    MAX_UPLOADED_PHOTOS = "max-uploaded-photos";
    /// `media-size`.
    MEDIA_SIZE = "media-size";
    /// `metadata`.
    METADATA = "metadata";
    /// `min-chars`.
    MIN_CHARS = "min-chars";
    /// `min-date`.
    MIN_DATE = "min-date";
    /// `min-days`.
    MIN_DAYS = "min-days";
    /// `min-selected-items`.
    MIN_SELECTED_ITEMS = "min-selected-items";
    /// `min-uploaded-documents`.
    MIN_UPLOADED_DOCUMENTS = "min-uploaded-documents";
    /// `min-uploaded-photos`.
    MIN_UPLOADED_PHOTOS = "min-uploaded-photos";
    /// `mode`.
    MODE = "mode";
    /// `on-click-action`.
    ON_CLICK_ACTION = "on-click-action";
    /// `on-select-action`.
    ON_SELECT_ACTION = "on-select-action";
    /// `on-unselect-action`.
    ON_UNSELECT_ACTION = "on-unselect-action";
    /// `pattern`.
    PATTERN = "pattern";
    /// `photo-source`.
    PHOTO_SOURCE = "photo-source";
    /// `right-caption`.
    RIGHT_CAPTION = "right-caption";
    /// `scale-type`.
    SCALE_TYPE = "scale-type";
    /// `src`.
    SRC = "src";
    /// `start`.
    START = "start";
    /// `start-date`.
    START_DATE = "start-date";
    /// `strikethrough`.
    STRIKETHROUGH = "strikethrough";
    /// `tags`.
    TAGS = "tags";
    /// `text`.
    TEXT = "text";
    /// `unavailable-dates`.
    UNAVAILABLE_DATES = "unavailable-dates";
    /// `width`.
    WIDTH = "width";
}
