//! Flow JSON versions (§1.1): which exist, which can be published, and what each one allows.
use std::fmt;
use std::str::FromStr;

/// A Flow JSON version, `major.minor`. Minor numbers are not decimals (1.9 < 1.10), so
/// versions compare by major, then minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    major: u16,
    minor: u16,
}

/// Where a version stands with Meta (§1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// New flows can be published with it.
    Publishable,
    /// Existed, but flows with it can no longer be published.
    Frozen,
    /// Not a version Meta offers (e.g. the internal 5.2 and 7.4).
    Unknown,
}

impl Version {
    /// 1.0 (frozen).
    pub const V1_0: Version = Version::new(1, 0);
    /// 1.1 (frozen).
    pub const V1_1: Version = Version::new(1, 1);
    /// 2.0 (frozen).
    pub const V2_0: Version = Version::new(2, 0);
    /// 2.1 (frozen): the base component set.
    pub const V2_1: Version = Version::new(2, 1);
    /// 3.0 (frozen): `data_channel_uri` leaves Flow JSON.
    pub const V3_0: Version = Version::new(3, 0);
    /// 3.1 (frozen).
    pub const V3_1: Version = Version::new(3, 1);
    /// 4.0 (frozen): optional Form, If, Switch, global references, media pickers.
    pub const V4_0: Version = Version::new(4, 0);
    /// 5.0 (frozen): ISO dates, list item images and colors, non-blank titles.
    pub const V5_0: Version = Version::new(5, 0);
    /// 5.1: RichText, markdown, `sensitive`.
    pub const V5_1: Version = Version::new(5, 1);
    /// 6.0: nested expressions, `update_data`, `open_url`, no blank strings.
    pub const V6_0: Version = Version::new(6, 0);
    /// 6.1: CalendarPicker.
    pub const V6_1: Version = Version::new(6, 1);
    /// 6.2: NavigationList, TextInput `pattern`.
    pub const V6_2: Version = Version::new(6, 2);
    /// 6.3: ChipsSelector; RichText may share its screen with a Footer.
    pub const V6_3: Version = Version::new(6, 3);
    /// 7.0: `label-variant`, one Form per screen, typed Form `init-values`.
    pub const V7_0: Version = Version::new(7, 0);
    /// 7.1: ImageCarousel; ChipsSelector actions and conditional placement.
    pub const V7_1: Version = Version::new(7, 1);
    /// 7.2: nested expressions in action payloads are checked.
    pub const V7_2: Version = Version::new(7, 2);
    /// 7.3: stricter routing and data model checks; Data API 4.0.
    pub const V7_3: Version = Version::new(7, 3);

    /// The newest publishable version, the one new flows should use.
    pub const LATEST: Version = Version::V7_3;

    /// Every version that can be published, oldest first.
    pub const PUBLISHABLE: &'static [Version] = &[
        Version::V5_1,
        Version::V6_0,
        Version::V6_1,
        Version::V6_2,
        Version::V6_3,
        Version::V7_0,
        Version::V7_1,
        Version::V7_2,
        Version::V7_3,
    ];

    /// Every frozen version, oldest first: flows with them load but cannot be published.
    pub const FROZEN: &'static [Version] = &[
        Version::V1_0,
        Version::V1_1,
        Version::V2_0,
        Version::V2_1,
        Version::V3_0,
        Version::V3_1,
        Version::V4_0,
        Version::V5_0,
    ];

    /// A version from its parts.
    pub const fn new(major: u16, minor: u16) -> Version {
        Version { major, minor }
    }

    /// The major number.
    pub const fn major(self) -> u16 {
        self.major
    }

    /// The minor number.
    pub const fn minor(self) -> u16 {
        self.minor
    }

    /// Reads `"7.3"`: digits, one dot, digits, nothing else (Meta compares the exact string).
    pub fn parse(text: &str) -> Option<Version> {
        let (major, minor) = text.split_once('.')?;
        let number = |part: &str| -> Option<u16> {
            let plain = !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part.len() == 1 || !part.starts_with('0'));
            if plain { part.parse().ok() } else { None }
        };
        Some(Version::new(number(major)?, number(minor)?))
    }

    /// Publishable, frozen or unknown.
    pub fn status(self) -> Status {
        if Version::PUBLISHABLE.contains(&self) {
            Status::Publishable
        } else if Version::FROZEN.contains(&self) {
            Status::Frozen
        } else {
            Status::Unknown
        }
    }

    /// Whether this version has `feature`.
    pub fn supports(self, feature: Feature) -> bool {
        feature.since() <= self && feature.until().is_none_or(|until| self < until)
    }

    /// The version whose rules apply to a flow declaring this one: itself when Meta knows it;
    /// for an unknown version, the newest publishable version not after it (the oldest when it
    /// is older than all of them).
    pub fn rules(self) -> Version {
        match self.status() {
            Status::Publishable | Status::Frozen => self,
            Status::Unknown => Version::PUBLISHABLE
                .iter()
                .rev()
                .find(|known| **known <= self)
                .copied()
                .unwrap_or(Version::V5_1),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Version {
    type Err = UnknownVersionSyntax;

    fn from_str(text: &str) -> Result<Version, UnknownVersionSyntax> {
        Version::parse(text).ok_or(UnknownVersionSyntax)
    }
}

/// The text is not of the form `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownVersionSyntax;

impl fmt::Display for UnknownVersionSyntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Flow JSON version is written major.minor, e.g. \"7.3\"")
    }
}

impl std::error::Error for UnknownVersionSyntax {}

/// A behaviour that changed with a version (§1.2). Components, properties and actions carry
/// their own versions in the [catalog](crate::catalog); these are the flow-wide changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Feature {
    /// `data_channel_uri` in Flow JSON (until 3.0).
    DataChannelUri,
    /// Form is optional; per-component `init-value` / `error-message` (4.0).
    OptionalForm,
    /// `${screen.ID.data.x}` and `${screen.ID.form.x}` references (4.0).
    GlobalReferences,
    /// Dates are `"YYYY-MM-DD"` strings rather than millisecond timestamps (5.0).
    IsoDates,
    /// Screen titles may not be blank (5.0).
    NonBlankTitle,
    /// The screen's `sensitive` list (5.1).
    SensitiveFields,
    /// No string property may be empty or blank (6.0).
    NonBlankStrings,
    /// Backtick-wrapped nested expressions (6.0).
    NestedExpressions,
    /// A screen must have a `layout` (6.0).
    LayoutRequired,
    /// An input's `name` may not be a binding or an expression (6.0).
    StaticNames,
    /// A component's `on-select-action` also runs when its screen opens (6.0 to 6.3; from 7.0
    /// it runs only on selection).
    SelectActionOnRender,
    /// RichText may share its screen with a Footer (6.3).
    RichTextWithFooter,
    /// Screen ids may not be only underscores, and commas are no longer accepted (7.0).
    StrictScreenIds,
    /// At most one Form per screen (7.0).
    OneFormPerScreen,
    /// Form `init-values` / `error-messages` are checked against the Form's components (7.0).
    TypedFormValues,
    /// Nested expressions in `complete` / `data_exchange` payloads must resolve (7.2).
    PayloadExpressionsChecked,
    /// Navigate payloads must match the next screen's data model: checked in 5.x, dropped in
    /// 6.0, checked again from 7.3.
    NavigatePayloadMatchesDataModel,
    /// Bindings in on-click-action payloads must resolve: checked in 5.x, skipped 6.0 to 7.2,
    /// checked again from 7.3.
    OnClickPayloadChecked,
    /// Navigate actions count as inbound edges when looking for the entry screen, and the
    /// terminal screen's Footer action is checked (7.3).
    StrictRouting,
    /// `data_api_version` "4.0" (7.3).
    DataApi4,
}

impl Feature {
    /// The first version with the feature.
    pub fn since(self) -> Version {
        match self {
            Feature::DataChannelUri => Version::V1_0,
            Feature::OptionalForm | Feature::GlobalReferences => Version::V4_0,
            Feature::IsoDates | Feature::NonBlankTitle => Version::V5_0,
            Feature::SensitiveFields => Version::V5_1,
            Feature::NonBlankStrings
            | Feature::NestedExpressions
            | Feature::LayoutRequired
            | Feature::StaticNames
            | Feature::SelectActionOnRender => Version::V6_0,
            Feature::RichTextWithFooter => Version::V6_3,
            Feature::StrictScreenIds | Feature::OneFormPerScreen | Feature::TypedFormValues => Version::V7_0,
            Feature::PayloadExpressionsChecked => Version::V7_2,
            Feature::NavigatePayloadMatchesDataModel | Feature::OnClickPayloadChecked => Version::V1_0,
            Feature::StrictRouting | Feature::DataApi4 => Version::V7_3,
        }
    }

    /// The first version without it again, for features that were removed.
    pub fn until(self) -> Option<Version> {
        match self {
            Feature::DataChannelUri => Some(Version::V3_0),
            Feature::SelectActionOnRender => Some(Version::V7_0),
            _ => None,
        }
    }

    /// Whether `version` has the feature; for the two checks Meta dropped in 6.0 and brought
    /// back in 7.3, this is false in between.
    pub fn in_version(self, version: Version) -> bool {
        match self {
            Feature::NavigatePayloadMatchesDataModel | Feature::OnClickPayloadChecked => {
                version < Version::V6_0 || version >= Version::V7_3
            }
            _ => version.supports(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_exactly_and_compare_by_parts() {
        assert_eq!(Version::parse("7.3"), Some(Version::V7_3));
        assert_eq!(Version::parse("1.10"), Some(Version::new(1, 10)));
        assert!(Version::new(1, 9) < Version::new(1, 10));
        for bad in ["7", "7.", ".3", "7.3.1", " 7.3", "07.3", "7.03", "v7.3", "7,3", "", "7.-1"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        assert_eq!("6.2".parse::<Version>(), Ok(Version::V6_2));
        assert_eq!(Version::V6_2.to_string(), "6.2");
    }

    #[test]
    fn status_of_every_kind() {
        for version in Version::PUBLISHABLE {
            assert_eq!(version.status(), Status::Publishable);
        }
        assert_eq!(Version::V5_0.status(), Status::Frozen);
        assert_eq!(Version::V2_1.status(), Status::Frozen);
        assert_eq!(Version::new(5, 2).status(), Status::Unknown);
        assert_eq!(Version::new(7, 4).status(), Status::Unknown);
    }

    #[test]
    fn unknown_versions_use_the_rules_of_the_version_before() {
        assert_eq!(Version::new(5, 2).rules(), Version::V5_1);
        assert_eq!(Version::new(7, 4).rules(), Version::V7_3);
        assert_eq!(Version::new(0, 9).rules(), Version::V5_1);
        assert_eq!(Version::V4_0.rules(), Version::V4_0);
    }

    #[test]
    fn feature_gates() {
        assert!(Version::V6_0.supports(Feature::NestedExpressions));
        assert!(!Version::V5_1.supports(Feature::NestedExpressions));
        assert!(Version::V2_1.supports(Feature::DataChannelUri));
        assert!(!Version::V3_0.supports(Feature::DataChannelUri));
        assert!(Version::V6_3.supports(Feature::SelectActionOnRender));
        assert!(!Version::V7_0.supports(Feature::SelectActionOnRender));
        assert!(Feature::NavigatePayloadMatchesDataModel.in_version(Version::V5_1));
        assert!(!Feature::NavigatePayloadMatchesDataModel.in_version(Version::V7_2));
        assert!(Feature::NavigatePayloadMatchesDataModel.in_version(Version::V7_3));
    }
}
