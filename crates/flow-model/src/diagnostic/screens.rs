//! Problems of screens: how many, their ids and properties, terminal screens (§2, §7.2).

family! {
    /// Problems of screens: how many, their ids and properties, terminal screens (§2, §7.2).
    pub enum ScreenProblem in Screen {
        /// `screens` has more than 100 screens.
        TooManyScreens {
            /// How many.
            found: usize,
        } => Code::MaxScreensNumber, |f| {
            write!(f, "Maximum number of screens allowed per Flow is 100 but found {found}.")
        };
        /// A screen id with characters other than letters and underscores.
        ScreenIdPattern {
            /// The id.
            id: String,
            /// 7.0+: not only underscores, and no commas.
            strict: bool,
        } => Code::PatternMismatch, |f| {
            write!(f, "Screen id '{id}' should only consist of alphabets and underscores")?;
            f.write_str(if *strict { ", and not only underscores." } else { "." })
        };
        /// `SUCCESS` (any case) is reserved.
        ReservedScreenId {
            /// The id as written.
            id: String,
        } => Code::ScreenIdIsReservedKeyword, |f| {
            write!(f, "Screen id cannot be '{id}' since it is a reserved keyword.")
        };
        /// Two screens with one id.
        DuplicateScreenId {
            /// The id.
            id: String,
        } => Code::DuplicateScreenIds, |f| {
            write!(f, "Duplicate screen id found: '{id}'.")
        };
        /// `success` on a screen that is not terminal.
        SuccessOnlyOnTerminal => Code::NotKeywordSchemaValidationFailed, |f| {
            f.write_str("Property 'success' can only be specified on a terminal screen.")
        };
        /// Every terminal screen has `success: false`.
        NoSuccessfulTerminal => Code::InvalidPropertyValue, |f| {
            f.write_str(
                "At least one terminal screen must end the flow successfully, but 'success' is false on all of them.",
            )
        };
        /// `refresh_on_back: true` in a flow without `data_api_version`.
        RefreshOnBackWithoutEndpoint => Code::InvalidPropertyValue, |f| {
            f.write_str(
                "Property 'refresh_on_back' can be true only when property 'data_api_version' is set.",
            )
        };
        /// A `sensitive` entry that names no component of the screen.
        InvalidSensitiveField {
            /// The entry.
            field: String,
        } => Code::InvalidSensitiveField, |f| {
            write!(
                f,
                "Sensitive field '{field}' is not the name of a component on this screen."
            )
        };
        /// No screen is terminal.
        MissingTerminalScreen => Code::MissingTerminalScreen, |f| {
            f.write_str("Terminal screen is required but not provided.")
        };
        /// A terminal screen without a Footer.
        MissingFooterOnTerminal {
            /// The screen id.
            screen: String,
        } => Code::MissingFooterOnTerminalScreen, |f| {
            write!(f, "Footer component is missing on terminal screen(s) [{screen}].")
        };
        /// The Footer of a terminal screen does not end the flow (7.3+).
        TerminalFooterAction {
            /// The action found.
            found: String,
            /// Whether the flow has an endpoint (then data_exchange is allowed too).
            endpoint: bool,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "The Footer of a terminal screen must end the flow with 'complete'{} but uses '{found}'.",
                if *endpoint { " or 'data_exchange'" } else { "" }
            )
        };
    }
}
