//! The table: every component of §3.3 and §4 with its properties, limits and versions.
use super::{
    ActionName, AllowedAction, Category, Component, Format, Kind, Parents, Property, ScreenLimit, ValueType,
    prop,
};
use crate::version::Version;

type P = Property;

const TEXT: Kind = Kind::String(Format::Text);
const NAME: Kind = Kind::String(Format::Name);
const DATE: Kind = Kind::String(Format::Date);
const IMAGE: Kind = Kind::String(Format::Image);
const TEXT_OR_LIST: Kind = Kind::OneOf(&[TEXT, Kind::List(&TEXT)]);

const fn allow(action: ActionName, since: Version) -> AllowedAction {
    AllowedAction { action, since }
}

const NAVIGATE: AllowedAction = allow(ActionName::Navigate, Version::V1_0);
const COMPLETE: AllowedAction = allow(ActionName::Complete, Version::V1_0);
const DATA_EXCHANGE: AllowedAction = allow(ActionName::DataExchange, Version::V1_0);
const UPDATE_DATA: AllowedAction = allow(ActionName::UpdateData, Version::V6_0);
const OPEN_URL: AllowedAction = allow(ActionName::OpenUrl, Version::V6_0);

// Properties many components share.
const VISIBLE: P = P::new(prop::VISIBLE, Kind::Boolean).dynamic().default("true");
// The style properties TextBody and TextCaption share (§4.1).
const FONT_WEIGHT: P =
    P::new(prop::FONT_WEIGHT, Kind::Enum(&["bold", "italic", "bold_italic", "normal"])).dynamic();
const STRIKETHROUGH: P = P::new(prop::STRIKETHROUGH, Kind::Boolean).dynamic().default("false");
const MARKDOWN: P = P::new(prop::MARKDOWN, Kind::Boolean).since(Version::V5_1).default("false");
const ENABLED: P = P::new(prop::ENABLED, Kind::Boolean).dynamic().default("true");
const REQUIRED: P = P::new(prop::REQUIRED, Kind::Boolean).dynamic().default("false");
const INPUT_NAME: P = P::new(prop::NAME, NAME).required();
const INIT_STRING: P = P::new(prop::INIT_VALUE, TEXT).dynamic().since(Version::V4_0).outside_form_only();
const INIT_STRINGS: P =
    P::new(prop::INIT_VALUE, Kind::List(&TEXT)).dynamic().since(Version::V4_0).outside_form_only();
const ERROR_MESSAGE: P = P::new(prop::ERROR_MESSAGE, TEXT).dynamic().since(Version::V4_0).outside_form_only();
const HELPER_TEXT: P = P::new(prop::HELPER_TEXT, TEXT).dynamic().max_chars(80);
const LABEL_VARIANT: P = P::new(prop::LABEL_VARIANT, Kind::Enum(&["large"])).since(Version::V7_0);
const MEDIA_SIZE: P =
    P::new(prop::MEDIA_SIZE, Kind::Enum(&["regular", "large"])).since(Version::V5_0).default("regular");

const SELECT_ON_SELECT: P = P::new(prop::ON_SELECT_ACTION, Kind::Action(&[DATA_EXCHANGE, UPDATE_DATA]));
const SELECT_ON_UNSELECT: P =
    P::new(prop::ON_UNSELECT_ACTION, Kind::Action(&[UPDATE_DATA])).since(Version::V6_0);
const ITEM_ON_SELECT: P = P::new(prop::ON_SELECT_ACTION, Kind::Action(&[UPDATE_DATA])).since(Version::V6_0);
const ITEM_ON_UNSELECT: P =
    P::new(prop::ON_UNSELECT_ACTION, Kind::Action(&[UPDATE_DATA])).since(Version::V6_0);

/// A data-source item of CheckboxGroup, RadioButtonsGroup and Dropdown (§4.3).
const SELECT_ITEM: &[P] = &[
    P::new(prop::ID, TEXT).required(),
    P::new(prop::TITLE, TEXT).required().max_chars(30),
    P::new(prop::DESCRIPTION, TEXT).max_chars(300),
    P::new(prop::METADATA, TEXT).max_chars(20),
    ENABLED,
    // Item images: 300 KB until 6.0, then 100 KB.
    P::new(prop::IMAGE, IMAGE).dynamic().since(Version::V5_0).until(Version::V6_0).max_kilobytes(300),
    P::new(prop::IMAGE, IMAGE).dynamic().since(Version::V6_0).max_kilobytes(100),
    P::new(prop::ALT_TEXT, TEXT).since(Version::V5_0),
    P::new(prop::COLOR, Kind::String(Format::HexColor)).since(Version::V5_0),
    ITEM_ON_SELECT,
    ITEM_ON_UNSELECT,
];

/// A data-source item of ChipsSelector.
const CHIP_ITEM: &[P] = &[
    P::new(prop::ID, TEXT).required(),
    P::new(prop::TITLE, TEXT).required(),
    ENABLED,
    ITEM_ON_SELECT,
    ITEM_ON_UNSELECT,
];

const SELECT_ITEMS: Kind = Kind::List(&Kind::Object(SELECT_ITEM));

const TEXT_COMPONENT: Parents = Parents {
    layout: Some(Version::V1_0),
    form: Some(Version::V1_0),
    if_branch: Some(Version::V4_0),
    switch_case: Some(Version::V4_0),
};
/// Inputs: inside a Form only before 4.0, anywhere from 4.0.
const INPUT: Parents = Parents {
    layout: Some(Version::V4_0),
    form: Some(Version::V1_0),
    if_branch: Some(Version::V4_0),
    switch_case: Some(Version::V4_0),
};
const MEDIA_PICKER: Parents = Parents {
    layout: Some(Version::V4_0),
    form: Some(Version::V4_0),
    if_branch: Some(Version::V4_0),
    switch_case: Some(Version::V4_0),
};

const fn text_component(name: &'static str, summary: &'static str, properties: &'static [P]) -> Component {
    Component {
        name,
        summary,
        category: Category::Text,
        since: Version::V1_0,
        properties,
        parents: TEXT_COMPONENT,
        per_screen: None,
        per_flow: None,
        value: None,
    }
}

const fn input(
    name: &'static str,
    summary: &'static str,
    since: Version,
    value: ValueType,
    properties: &'static [P],
) -> Component {
    Component {
        name,
        summary,
        category: Category::Input,
        since,
        properties,
        parents: INPUT,
        per_screen: None,
        per_flow: None,
        value: Some(value),
    }
}

const fn limit(max: u32) -> Option<ScreenLimit> {
    Some(ScreenLimit { max, since: Version::V1_0, shared_with: &[] })
}

/// The range-mode objects of CalendarPicker.
const RANGE_TEXT: &[P] = &[P::new(prop::START_DATE, TEXT), P::new(prop::END_DATE, TEXT)];
const RANGE_LABEL: &[P] =
    &[P::new(prop::START_DATE, TEXT).max_chars(40), P::new(prop::END_DATE, TEXT).required().max_chars(40)];
const RANGE_HELPER: &[P] =
    &[P::new(prop::START_DATE, TEXT).max_chars(80), P::new(prop::END_DATE, TEXT).max_chars(80)];
const RANGE_REQUIRED: &[P] =
    &[P::new(prop::START_DATE, Kind::Boolean), P::new(prop::END_DATE, Kind::Boolean)];
const RANGE_DATES: &[P] = &[P::new(prop::START_DATE, DATE), P::new(prop::END_DATE, DATE)];

const MIME_TYPES: &[&str] = &[
    "application/gzip",
    "application/msword",
    "application/pdf",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/x-7z-compressed",
    "application/zip",
    "image/avif",
    "image/gif",
    "image/heic",
    "image/heif",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "image/webp",
    "text/plain",
    "video/mp4",
    "video/mpeg",
];

const PICKER_ERROR: P = P::new(prop::ERROR_MESSAGE, Kind::OneOf(&[TEXT, Kind::Map(&TEXT)]))
    .dynamic()
    .since(Version::V4_0)
    .outside_form_only();
const MAX_FILE_SIZE: P = P::new(prop::MAX_FILE_SIZE_KB, Kind::Integer).range(1.0, 25600.0).default("25600");

/// NavigationList item parts (§4.6).
const MAIN_CONTENT: &[P] = &[
    P::new(prop::TITLE, TEXT).required().max_chars(30),
    P::new(prop::DESCRIPTION, TEXT).max_chars(20),
    P::new(prop::METADATA, TEXT).max_chars(80),
];
const END_CONTENT: &[P] = &[
    P::new(prop::TITLE, TEXT).max_chars(10),
    P::new(prop::DESCRIPTION, TEXT).max_chars(10),
    P::new(prop::METADATA, TEXT).max_chars(10),
];
const START_CONTENT: &[P] =
    &[P::new(prop::IMAGE, IMAGE).required().max_kilobytes(100), P::new(prop::ALT_TEXT, TEXT)];
const NAVIGATION_ON_CLICK: P = P::new(prop::ON_CLICK_ACTION, Kind::Action(&[DATA_EXCHANGE, NAVIGATE]));
const NAVIGATION_ITEM: &[P] = &[
    P::new(prop::ID, TEXT).required(),
    P::new(prop::MAIN_CONTENT, Kind::Object(MAIN_CONTENT)).required(),
    P::new(prop::END, Kind::Object(END_CONTENT)),
    P::new(prop::START, Kind::Object(START_CONTENT)),
    P::new(prop::BADGE, TEXT).max_chars(15),
    P::new(prop::TAGS, Kind::List(&TEXT)).max_items(3).max_chars(15),
    NAVIGATION_ON_CLICK,
];

const CAROUSEL_IMAGE: &[P] = &[P::new(prop::SRC, IMAGE).required(), P::new(prop::ALT_TEXT, TEXT).required()];

/// Every component, in palette order.
pub static COMPONENTS: &[Component] = &[
    text_component(
        "TextHeading",
        "Top level heading",
        &[P::new(prop::TEXT, TEXT).required().dynamic().max_chars(80), VISIBLE],
    ),
    text_component(
        "TextSubheading",
        "Subheading",
        &[P::new(prop::TEXT, TEXT).required().dynamic().max_chars(80), VISIBLE],
    ),
    text_component(
        "TextBody",
        "Body text",
        &[
            P::new(prop::TEXT, TEXT).required().dynamic().max_chars(4096).until(Version::V5_1),
            P::new(prop::TEXT, TEXT_OR_LIST).required().dynamic().max_chars(4096).since(Version::V5_1),
            FONT_WEIGHT,
            STRIKETHROUGH,
            VISIBLE,
            MARKDOWN,
        ],
    ),
    text_component(
        "TextCaption",
        "Caption text",
        &[
            // ⚠ §4.1: the docs say 409 characters (4096 in TextBody); probably a typo, but we
            // follow the stricter reading until Meta says otherwise.
            P::new(prop::TEXT, TEXT).required().dynamic().max_chars(409).until(Version::V5_1),
            P::new(prop::TEXT, TEXT_OR_LIST).required().dynamic().max_chars(409).since(Version::V5_1),
            FONT_WEIGHT,
            STRIKETHROUGH,
            VISIBLE,
            MARKDOWN,
        ],
    ),
    Component {
        name: "RichText",
        summary: "Markdown text with headings, lists, tables and images; alone on its screen",
        category: Category::Text,
        since: Version::V5_1,
        properties: &[P::new(prop::TEXT, TEXT_OR_LIST).required().dynamic(), VISIBLE],
        parents: Parents { layout: Some(Version::V5_1), form: None, if_branch: None, switch_case: None },
        per_screen: None,
        per_flow: None,
        value: None,
    },
    input(
        "TextInput",
        "One line of text: name, email, phone, number, password",
        Version::V1_0,
        ValueType::Text,
        &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(20),
            LABEL_VARIANT,
            P::new(
                prop::INPUT_TYPE,
                Kind::Enum(&["text", "number", "email", "password", "passcode", "phone"]),
            )
            .dynamic()
            .default("text"),
            P::new(prop::PATTERN, Kind::String(Format::Regex)).dynamic().since(Version::V6_2),
            REQUIRED,
            P::new(prop::MIN_CHARS, Kind::Number).dynamic().minimum(0.0),
            P::new(prop::MAX_CHARS, Kind::Number).dynamic().minimum(0.0).default("80"),
            HELPER_TEXT,
            ENABLED,
            VISIBLE,
            INIT_STRING,
            P::new(prop::ERROR_MESSAGE, TEXT)
                .dynamic()
                .since(Version::V4_0)
                .outside_form_only()
                .max_chars(30),
        ],
    ),
    input(
        "TextArea",
        "Several lines of text",
        Version::V1_0,
        ValueType::String,
        &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(20),
            LABEL_VARIANT,
            REQUIRED,
            P::new(prop::MAX_LENGTH, Kind::Integer).dynamic().minimum(0.0).default("600"),
            HELPER_TEXT,
            ENABLED,
            VISIBLE,
            INIT_STRING,
            ERROR_MESSAGE,
        ],
    ),
    input(
        "CheckboxGroup",
        "Pick several options",
        Version::V1_0,
        ValueType::StringArray,
        &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required_since(Version::V4_0).dynamic().max_chars(30),
            P::new(prop::DESCRIPTION, TEXT).dynamic().since(Version::V4_0),
            P::new(prop::DATA_SOURCE, SELECT_ITEMS).required().dynamic().items(1, 20),
            P::new(prop::MIN_SELECTED_ITEMS, Kind::Number).dynamic().minimum(0.0),
            // §4.3 / §12.6: Meta's schema asks for at least 2 (undocumented); we follow it.
            P::new(prop::MAX_SELECTED_ITEMS, Kind::Number).dynamic().minimum(2.0),
            MEDIA_SIZE,
            REQUIRED,
            ENABLED,
            VISIBLE,
            SELECT_ON_SELECT,
            SELECT_ON_UNSELECT,
            INIT_STRINGS,
            ERROR_MESSAGE,
        ],
    ),
    input(
        "RadioButtonsGroup",
        "Pick one option",
        Version::V1_0,
        ValueType::String,
        &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required_since(Version::V4_0).dynamic().max_chars(30),
            P::new(prop::DESCRIPTION, TEXT).dynamic().since(Version::V4_0),
            P::new(prop::DATA_SOURCE, SELECT_ITEMS).required().dynamic().items(1, 20),
            MEDIA_SIZE,
            REQUIRED,
            ENABLED,
            VISIBLE,
            SELECT_ON_SELECT,
            SELECT_ON_UNSELECT,
            // ⚠ §4.3: the docs table says array, Meta's schema says string; we follow the schema.
            INIT_STRING,
            ERROR_MESSAGE,
        ],
    ),
    input(
        "Dropdown",
        "Pick one option from a list",
        Version::V1_0,
        ValueType::String,
        &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(20),
            // 200 options, 100 when any has an image (checked by the data-source rule).
            P::new(prop::DATA_SOURCE, SELECT_ITEMS).required().dynamic().items(1, 200),
            REQUIRED,
            ENABLED,
            VISIBLE,
            SELECT_ON_SELECT,
            SELECT_ON_UNSELECT,
            INIT_STRING,
            ERROR_MESSAGE,
        ],
    ),
    Component {
        parents: Parents {
            layout: Some(Version::V6_3),
            form: Some(Version::V6_3),
            if_branch: Some(Version::V7_1),
            switch_case: Some(Version::V7_1),
        },
        ..input(
            "ChipsSelector",
            "Pick options shown as chips",
            Version::V6_3,
            ValueType::StringArray,
            &[
                INPUT_NAME,
                P::new(prop::LABEL, TEXT).required().dynamic().max_chars(80),
                P::new(prop::DESCRIPTION, TEXT).dynamic().max_chars(300),
                P::new(prop::DATA_SOURCE, Kind::List(&Kind::Object(CHIP_ITEM)))
                    .required()
                    .dynamic()
                    .items(2, 20),
                P::new(prop::MIN_SELECTED_ITEMS, Kind::Number).dynamic().minimum(0.0),
                P::new(prop::MAX_SELECTED_ITEMS, Kind::Number).dynamic().minimum(1.0),
                REQUIRED,
                ENABLED,
                VISIBLE,
                P::new(prop::ON_SELECT_ACTION, Kind::Action(&[DATA_EXCHANGE, UPDATE_DATA]))
                    .since(Version::V7_1),
                P::new(prop::ON_UNSELECT_ACTION, Kind::Action(&[UPDATE_DATA])).since(Version::V7_1),
                INIT_STRINGS,
                ERROR_MESSAGE,
            ],
        )
    },
    input(
        "DatePicker",
        "Pick a date",
        Version::V1_0,
        ValueType::String,
        &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(40),
            HELPER_TEXT,
            REQUIRED,
            ENABLED,
            VISIBLE,
            P::new(prop::MIN_DATE, DATE).dynamic(),
            P::new(prop::MAX_DATE, DATE).dynamic(),
            P::new(prop::UNAVAILABLE_DATES, Kind::List(&DATE)).dynamic(),
            P::new(prop::ON_SELECT_ACTION, Kind::Action(&[DATA_EXCHANGE])),
            P::new(prop::INIT_VALUE, DATE).dynamic().since(Version::V4_0).outside_form_only(),
            P::new(prop::ERROR_MESSAGE, TEXT)
                .dynamic()
                .since(Version::V4_0)
                .outside_form_only()
                .max_chars(80),
        ],
    ),
    Component {
        parents: Parents {
            layout: Some(Version::V6_1),
            form: Some(Version::V6_1),
            if_branch: Some(Version::V6_1),
            switch_case: Some(Version::V6_1),
        },
        ..input(
            "CalendarPicker",
            "Pick a date or a range of dates on a calendar",
            Version::V6_1,
            ValueType::DateOrRange,
            &[
                INPUT_NAME,
                P::new(prop::MODE, Kind::Enum(&["single", "range"])).dynamic().default("single"),
                P::new(prop::TITLE, TEXT).dynamic().max_chars(80),
                P::new(prop::DESCRIPTION, TEXT).dynamic().max_chars(300),
                P::new(prop::LABEL, Kind::OneOf(&[TEXT, Kind::Object(RANGE_LABEL)]))
                    .required()
                    .dynamic()
                    .max_chars(40),
                P::new(prop::HELPER_TEXT, Kind::OneOf(&[TEXT, Kind::Object(RANGE_HELPER)]))
                    .dynamic()
                    .max_chars(80),
                P::new(prop::REQUIRED, Kind::OneOf(&[Kind::Boolean, Kind::Object(RANGE_REQUIRED)]))
                    .dynamic()
                    .default("false"),
                ENABLED,
                VISIBLE,
                P::new(prop::MIN_DATE, DATE).dynamic(),
                P::new(prop::MAX_DATE, DATE).dynamic(),
                P::new(prop::UNAVAILABLE_DATES, Kind::List(&DATE)).dynamic(),
                P::new(
                    prop::INCLUDE_DAYS,
                    Kind::List(&Kind::Enum(&["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])),
                )
                .dynamic(),
                P::new(prop::MIN_DAYS, Kind::Integer).dynamic().minimum(0.0),
                P::new(prop::MAX_DAYS, Kind::Integer).dynamic().minimum(0.0),
                P::new(prop::ON_SELECT_ACTION, Kind::Action(&[DATA_EXCHANGE])),
                P::new(prop::INIT_VALUE, Kind::OneOf(&[DATE, Kind::Object(RANGE_DATES)]))
                    .dynamic()
                    .outside_form_only(),
                P::new(prop::ERROR_MESSAGE, Kind::OneOf(&[TEXT, Kind::Object(RANGE_TEXT)]))
                    .dynamic()
                    .outside_form_only()
                    .max_chars(80),
            ],
        )
    },
    Component {
        per_screen: limit(5),
        ..input(
            "OptIn",
            "A checkbox to agree to something, with an optional \"Read more\" link",
            Version::V1_0,
            ValueType::Boolean,
            &[
                INPUT_NAME,
                P::new(prop::LABEL, TEXT).required().dynamic().max_chars(120),
                REQUIRED,
                VISIBLE,
                P::new(prop::ON_CLICK_ACTION, Kind::Action(&[DATA_EXCHANGE, NAVIGATE, OPEN_URL])),
                P::new(prop::ON_SELECT_ACTION, Kind::Action(&[UPDATE_DATA])).since(Version::V6_0),
                P::new(prop::ON_UNSELECT_ACTION, Kind::Action(&[UPDATE_DATA])).since(Version::V6_0),
                P::new(prop::INIT_VALUE, Kind::Boolean).dynamic().since(Version::V4_0).outside_form_only(),
            ],
        )
    },
    Component {
        name: "PhotoPicker",
        summary: "Take or choose photos to upload",
        category: Category::Media,
        since: Version::V4_0,
        properties: &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(80),
            P::new(prop::DESCRIPTION, TEXT).dynamic().max_chars(300),
            P::new(prop::PHOTO_SOURCE, Kind::Enum(&["camera_gallery", "camera", "gallery"]))
                .dynamic()
                .default("camera_gallery"),
            MAX_FILE_SIZE,
            P::new(prop::MIN_UPLOADED_PHOTOS, Kind::Integer).range(0.0, 30.0).default("0"),
            P::new(prop::MAX_UPLOADED_PHOTOS, Kind::Integer).range(1.0, 30.0).default("30"),
            ENABLED,
            VISIBLE,
            PICKER_ERROR,
        ],
        parents: MEDIA_PICKER,
        per_screen: Some(ScreenLimit { max: 1, since: Version::V1_0, shared_with: &["DocumentPicker"] }),
        per_flow: None,
        value: Some(ValueType::Media),
    },
    Component {
        name: "DocumentPicker",
        summary: "Choose documents to upload",
        category: Category::Media,
        since: Version::V4_0,
        properties: &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(80),
            P::new(prop::DESCRIPTION, TEXT).dynamic().max_chars(300),
            MAX_FILE_SIZE,
            P::new(prop::MIN_UPLOADED_DOCUMENTS, Kind::Integer).range(0.0, 30.0).default("0"),
            P::new(prop::MAX_UPLOADED_DOCUMENTS, Kind::Integer).range(1.0, 30.0).default("30"),
            P::new(prop::ALLOWED_MIME_TYPES, Kind::List(&Kind::Enum(MIME_TYPES))),
            ENABLED,
            VISIBLE,
            PICKER_ERROR,
        ],
        parents: MEDIA_PICKER,
        per_screen: Some(ScreenLimit { max: 1, since: Version::V1_0, shared_with: &["PhotoPicker"] }),
        per_flow: None,
        value: Some(ValueType::Media),
    },
    Component {
        name: "Footer",
        summary: "The button at the bottom of the screen",
        category: Category::Navigation,
        since: Version::V1_0,
        properties: &[
            P::new(prop::LABEL, TEXT).required().dynamic().max_chars(35),
            P::new(prop::ON_CLICK_ACTION, Kind::Action(&[DATA_EXCHANGE, NAVIGATE, COMPLETE])).required(),
            P::new(prop::LEFT_CAPTION, TEXT).dynamic().max_chars(15),
            P::new(prop::CENTER_CAPTION, TEXT).dynamic().max_chars(15),
            P::new(prop::RIGHT_CAPTION, TEXT).dynamic().max_chars(15),
            ENABLED,
        ],
        parents: TEXT_COMPONENT,
        per_screen: limit(1),
        per_flow: None,
        value: None,
    },
    Component {
        name: "EmbeddedLink",
        summary: "A link in the screen's body",
        category: Category::Navigation,
        since: Version::V1_0,
        properties: &[
            // §4.6: 25 characters, says the Components page; Meta's own sign-in template has a
            // link of 30 ("Don't have an account? Sign up"), so longer text is a warning.
            P::new(prop::TEXT, TEXT).required().dynamic().advised_max_chars(25),
            P::new(prop::ON_CLICK_ACTION, Kind::Action(&[DATA_EXCHANGE, NAVIGATE, OPEN_URL])).required(),
            VISIBLE,
        ],
        parents: TEXT_COMPONENT,
        per_screen: limit(2),
        per_flow: None,
        value: None,
    },
    Component {
        name: "Image",
        summary: "A JPEG or PNG image",
        category: Category::Image,
        since: Version::V1_0,
        properties: &[
            // §4.6: "recommended ≤300 KB" (a recommendation: larger images are accepted).
            P::new(prop::SRC, IMAGE).required().dynamic().recommended_kilobytes(300),
            P::new(prop::WIDTH, Kind::Number).dynamic().minimum(0.0),
            P::new(prop::HEIGHT, Kind::Number).dynamic().minimum(0.0),
            P::new(prop::ASPECT_RATIO, Kind::Number).dynamic().minimum(0.0).default("1"),
            P::new(prop::SCALE_TYPE, Kind::Enum(&["cover", "contain"])).dynamic().default("contain"),
            P::new(prop::ALT_TEXT, TEXT).dynamic(),
            VISIBLE,
        ],
        parents: TEXT_COMPONENT,
        per_screen: limit(3),
        per_flow: None,
        value: None,
    },
    Component {
        name: "ImageCarousel",
        summary: "Up to three images to swipe through",
        category: Category::Image,
        since: Version::V7_1,
        properties: &[
            P::new(prop::IMAGES, Kind::List(&Kind::Object(CAROUSEL_IMAGE))).required().dynamic().items(1, 3),
            P::new(prop::ASPECT_RATIO, Kind::Enum(&["4:3", "16:9"])).dynamic().default("4:3"),
            P::new(prop::SCALE_TYPE, Kind::Enum(&["contain", "cover"])).dynamic().default("contain"),
            VISIBLE,
        ],
        parents: Parents {
            layout: Some(Version::V7_1),
            form: Some(Version::V7_1),
            if_branch: None,
            switch_case: None,
        },
        per_screen: limit(2),
        per_flow: Some(3),
        value: None,
    },
    Component {
        name: "NavigationList",
        summary: "A list of rich items that each lead somewhere; alone on its screen",
        category: Category::Navigation,
        since: Version::V6_2,
        properties: &[
            INPUT_NAME,
            P::new(prop::LABEL, TEXT).dynamic().max_chars(80),
            P::new(prop::DESCRIPTION, TEXT).dynamic().max_chars(300),
            P::new(prop::LIST_ITEMS, Kind::List(&Kind::Object(NAVIGATION_ITEM)))
                .required()
                .dynamic()
                .items(1, 20),
            // §4.6: Meta's schema also knows "small"; the docs only "regular" and "large".
            P::new(prop::MEDIA_SIZE, Kind::Enum(&["regular", "large"])).dynamic().default("regular"),
            NAVIGATION_ON_CLICK,
        ],
        parents: Parents {
            layout: Some(Version::V6_2),
            form: Some(Version::V6_2),
            if_branch: None,
            switch_case: None,
        },
        per_screen: limit(2),
        per_flow: None,
        value: None,
    },
    Component {
        name: "Form",
        summary: "Groups inputs with shared initial values and error messages",
        category: Category::Container,
        since: Version::V1_0,
        properties: &[
            P::new(prop::NAME, NAME).required(),
            P::new(prop::CHILDREN, Kind::Components).required(),
            P::new(prop::INIT_VALUES, Kind::Map(&Kind::Any)).dynamic(),
            // Strings until 6.0, any value from 6.0.
            P::new(prop::ERROR_MESSAGES, Kind::Map(&TEXT)).dynamic().until(Version::V6_0),
            P::new(prop::ERROR_MESSAGES, Kind::Map(&Kind::Any)).dynamic().since(Version::V6_0),
        ],
        parents: Parents { layout: Some(Version::V1_0), form: None, if_branch: None, switch_case: None },
        per_screen: Some(ScreenLimit { max: 1, since: Version::V7_0, shared_with: &[] }),
        per_flow: None,
        value: None,
    },
    Component {
        name: "If",
        summary: "Shows one of two lists of components depending on a condition",
        category: Category::Container,
        since: Version::V4_0,
        properties: &[
            P::new(prop::CONDITION, TEXT).required().until(Version::V6_0),
            P::new(prop::CONDITION, Kind::OneOf(&[Kind::Boolean, TEXT])).required().since(Version::V6_0),
            P::new(prop::THEN, Kind::Components).required().min_items(1),
            P::new(prop::ELSE, Kind::Components),
        ],
        parents: Parents {
            layout: Some(Version::V4_0),
            form: Some(Version::V4_0),
            if_branch: Some(Version::V4_0),
            switch_case: None,
        },
        per_screen: None,
        per_flow: None,
        value: None,
    },
    Component {
        name: "Switch",
        summary: "Shows the list of components of the case matching a value",
        category: Category::Container,
        since: Version::V4_0,
        properties: &[
            P::new(prop::VALUE, TEXT).required().dynamic(),
            P::new(prop::CASES, Kind::Cases).required(),
        ],
        parents: Parents {
            layout: Some(Version::V4_0),
            form: Some(Version::V4_0),
            if_branch: Some(Version::V4_0),
            switch_case: None,
        },
        per_screen: None,
        per_flow: None,
        value: None,
    },
];
