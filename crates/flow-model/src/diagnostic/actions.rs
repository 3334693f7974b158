//! Problems of actions: which are allowed, where they go, what they carry (§5).
use super::List;
use crate::catalog::ActionName;

family! {
    /// Problems of actions: which are allowed, where they go, what they carry (§5).
    pub enum ActionProblem in Action {
        /// An action a property does not accept (in this version).
        ActionNotAllowed {
            /// The action as written.
            action: String,
            /// The property, e.g. `on-click-action`.
            event: &'static str,
            /// The component (or `data-source item`).
            owner: String,
            /// The actions accepted.
            allowed: Vec<ActionName>,
        } => Code::InvalidEnumValue, |f| {
            write!(
                f,
                "Action '{action}' is not allowed in '{event}' of {owner}. Value should be one of: {}.",
                List(allowed)
            )
        };
        /// A navigate action to a screen that does not exist.
        UnknownNextScreen {
            /// The id.
            id: String,
        } => Code::InvalidNavigateActionNextScreenName, |f| {
            write!(f, "Unknown screen ids found: [{id}].")
        };
        /// A navigate action to its own screen.
        SameScreenNavigation {
            /// The id.
            id: String,
        } => Code::InvalidNavigateActionNextScreenName, |f| {
            write!(f, "Same screen navigation is not allowed. Loop detected at [{id}].")
        };
        /// Navigate payload fields the next screen does not declare.
        PayloadFieldsNotInDataModel {
            /// The fields.
            fields: Vec<String>,
        } => Code::InvalidNavigateActionPayload, |f| {
            write!(f, "Following fields are missing in the next screen's data model: {}.", List(fields))
        };
        /// Next screen data model fields the navigate payload does not give.
        DataModelFieldsNotInPayload {
            /// The fields.
            fields: Vec<String>,
        } => Code::InvalidNavigateActionPayload, |f| {
            write!(
                f,
                "Following fields are expected in the next screen's data model but missing in payload: {}.",
                List(fields)
            )
        };
        /// A navigate action without payload to a screen with a data model.
        MissingNavigatePayload {
            /// The next screen.
            screen: String,
        } => Code::MissingNavigationActionPayload, |f| {
            write!(
                f,
                "Navigate action payload is missing: screen '{screen}' declares a data model, so the payload must give its fields."
            )
        };
        /// A navigate payload value whose type differs from the next screen's declaration.
        NavigatePayloadType {
            /// The field.
            field: String,
            /// The declared type.
            expected: String,
            /// The type given.
            found: String,
        } => Code::InvalidNavigateActionPayload, |f| {
            write!(
                f,
                "Expected '{field}' to be of type '{expected}' as the next screen's data model declares, but found '{found}'."
            )
        };
        /// A media picker value in a navigate payload.
        MediaInNavigatePayload => Code::InvalidOnClickActionPayload, |f| {
            f.write_str(
                "Media picker values are not allowed in a navigate action payload; read them on a later screen with ${screen.SCREEN_ID.form.name}.",
            )
        };
        /// A media picker value nested inside a payload value.
        MediaNotTopLevel => Code::InvalidOnClickActionPayload, |f| {
            f.write_str(
                "Media picker values can only be used as a top-level value of the payload, e.g. \"photos\": \"${form.photos}\".",
            )
        };
        /// The pickers of a complete payload allow more files or bytes than a message carries.
        MediaPayloadTooLarge {
            /// Files allowed by the pickers.
            files: u64,
            /// Kilobytes allowed by the pickers (sum of their max-file-size-kb).
            kilobytes: u64,
        } => Code::InvalidOnClickActionPayload, |f| {
            write!(
                f,
                "The media pickers in this payload allow {files} files and {kilobytes} KB, but a response carries at most 10 files and 100 MiB (102400 KB)."
            )
        };
        /// `complete` on a screen that is not terminal.
        CompleteNotTerminal => Code::InvalidCompleteAction, |f| {
            f.write_str("On-click-action 'complete' can only be configured on a terminal screen.")
        };
        /// `update_data` on a screen without data model.
        UpdateDataNoDataModel {
            /// The screen id.
            screen: String,
        } => Code::InvalidUpdateDataActionPayload, |f| {
            write!(f, "No data model is defined in the screen '{screen}'.")
        };
        /// `update_data` keys the screen's data model does not declare.
        UpdateDataUnknownFields {
            /// The screen id.
            screen: String,
            /// The keys.
            fields: Vec<String>,
        } => Code::InvalidUpdateDataActionPayload, |f| {
            write!(
                f,
                "Following fields are missing in the screen '{screen}' data model: {}.",
                List(fields)
            )
        };
        /// `update_data` setting a key to its own value.
        UpdateDataSelf => Code::InvalidUpdateDataActionPayload, |f| {
            f.write_str("Attempting to update a key with its own value is redundant and not allowed.")
        };
        /// A binding in a payload expression that does not resolve (7.2+).
        PayloadPropertyMissing {
            /// The binding.
            reference: String,
        } => Code::InvalidActionPayloadProperty, |f| {
            write!(f, "The following property {reference} does not exist in the screen data model.")
        };
    }
}
