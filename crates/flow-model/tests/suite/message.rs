//! The interactive flow message, data-driven: each `fixtures/message/CASE.json` holds a Cloud
//! API message body, the flow it opens (`flows/NAME.json`) and where that flow stands;
//! `CASE.expected` beside it lists what is wrong, one `severity field code: message` line each
//! (`refused field code: message` when the body is not a flow message at all). Every body that
//! reads must be written back by the builder exactly as it is in the fixture.
//! `FLOW_MODEL_BLESS=1 cargo test -p flow-model --test tests message` rewrites the
//! expectations after a deliberate change (read the diff before committing).
use flow_model::message::{
    Backend, FlowAction, FlowMessage, FlowRef, Mode, Publication, check, curl, entry_screens, example_data,
};
use serde_json::{Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SHOP: &str = include_str!("fixtures/message/flows/shop.json");
const ENDPOINT: &str = include_str!("fixtures/message/flows/endpoint.json");

fn flow(name: &str) -> Value {
    let text = match name {
        "shop" => SHOP,
        "endpoint" => ENDPOINT,
        other => panic!("no flow {other} in fixtures/message/flows"),
    };
    serde_json::from_str(text).expect("the flow is JSON")
}

fn publication(name: &str) -> Publication {
    match name {
        "draft" => Publication::Draft,
        "published" => Publication::Published,
        "published_with_draft" => Publication::PublishedWithDraft,
        other => panic!("no publication {other}"),
    }
}

/// What the fixture's message gives, as stable text.
fn render(fixture: &Value) -> String {
    let message = &fixture["message"];
    let read = match FlowMessage::from_json(message) {
        Ok(read) => read,
        Err(problem) => return format!("refused {} {}: {}\n", problem.field, problem.code(), problem),
    };
    assert_eq!(&read.to_json(), message, "the builder writes the message back as it was read");
    let flow = flow(fixture["flow"].as_str().expect("a flow name"));
    let publication = publication(fixture["publication"].as_str().expect("a publication"));
    check(&read, &flow, publication)
        .iter()
        .map(|problem| {
            format!("{} {} {}: {}\n", problem.severity.as_str(), problem.field, problem.code(), problem)
        })
        .collect()
}

fixture_tests!("message", render, {
    metas_navigate_example_is_sent_as_it_is => "meta-example-navigate-with-data",
    metas_data_exchange_example_as_a_draft => "meta-example-data-exchange-draft",
    the_golden_path_message_by_flow_name => "golden-path-by-flow-name",
    a_draft_of_a_published_flow_with_changes => "draft-of-a-published-flow-with-changes",
    texts_over_their_limits => "texts-too-long",
    empty_texts => "texts-empty",
    an_emoji_on_the_button => "cta-with-emoji",
    malformed_phone_and_flow_id => "phone-and-flow-id-malformed",
    short_phone_with_a_trunk_zero => "phone-too-short-and-leading-zero",
    a_screen_the_flow_lacks => "unknown-screen",
    a_screen_other_screens_lead_to => "not-an-entry-screen",
    empty_data => "data-empty",
    data_left_out => "data-left-out",
    data_against_the_data_model => "data-mismatches-the-data-model",
    data_exchange_without_an_endpoint => "data-exchange-without-endpoint",
    a_draft_of_a_published_flow => "draft-of-a-published-flow",
    published_before_publishing => "published-before-publishing",
    a_message_version_other_than_3 => "unsupported-message-version",
    not_a_flow_message => "not-a-flow-message",
    both_flow_id_and_flow_name => "both-flow-id-and-name",
    a_flow_action_other_than_navigate_or_data_exchange => "unknown-flow-action",
    a_payload_with_data_exchange => "payload-with-data-exchange",
});

#[test]
fn the_fixture_flows_are_valid() {
    for (name, text) in [("shop", SHOP), ("endpoint", ENDPOINT)] {
        let report = flow_model::check(text);
        assert!(report.diagnostics.iter().all(|d| !d.is_error()), "{name}: {:?}", report.diagnostics);
    }
}

#[test]
fn entry_screens_and_examples_for_the_dialog() {
    assert_eq!(entry_screens(&flow("shop")), ["PRODUCT", "BASKET"]);
    assert_eq!(entry_screens(&flow("endpoint")), ["WELCOME"]);
    let examples = example_data(&flow("shop"), "PRODUCT");
    assert_eq!(
        Value::Object(examples),
        json!({"product_name": "Desk lamp", "product_description": "Warm light, brass finish",
               "product_price": 100})
    );
    assert!(example_data(&flow("shop"), "NOWHERE").is_empty());
    assert!(example_data(&flow("endpoint"), "WELCOME").is_empty());
}

/// A message filled from the examples passes the check with nothing to say: what the dialog
/// offers first is sendable.
#[test]
fn a_message_prefilled_from_the_examples_has_no_problem() {
    let shop = flow("shop");
    let message = FlowMessage {
        to: "+15551234567".into(),
        header: None,
        body: "Our pick for you".into(),
        footer: None,
        cta: "Open".into(),
        flow_token: Some("session-1".into()),
        flow: FlowRef::Id("123456789012345".into()),
        action: FlowAction::Navigate { screen: "PRODUCT".into(), data: Some(example_data(&shop, "PRODUCT")) },
        mode: Mode::Published,
        flow_message_version: flow_model::message::FLOW_MESSAGE_VERSION.into(),
    };
    assert_eq!(check(&message, &shop, Publication::Published), []);
}

/// Problems name the fields of `POST /api/messages` and of the Send dialog: the first screen
/// is `screen`, its data `data.NAME`; the rest keep their names.
#[test]
fn problems_name_the_fields_of_the_send_body() {
    let shop = flow("shop");
    let mut data = example_data(&shop, "PRODUCT");
    data.insert("not_declared".into(), json!(1));
    let mut message = FlowMessage {
        to: "12".into(),
        header: None,
        body: "Hi".into(),
        footer: None,
        cta: "Open".into(),
        flow_token: None,
        flow: FlowRef::Id("123456789012345".into()),
        action: FlowAction::Navigate { screen: "PRODUCT".into(), data: Some(data) },
        mode: Mode::Draft,
        flow_message_version: flow_model::message::FLOW_MESSAGE_VERSION.into(),
    };
    let fields = |message: &FlowMessage| -> Vec<String> {
        check(message, &shop, Publication::Published).iter().map(|p| p.send_field().to_owned()).collect()
    };
    assert_eq!(fields(&message), ["to", "data.not_declared", "mode"]);
    message.action = FlowAction::Navigate { screen: "NOWHERE".into(), data: None };
    assert_eq!(fields(&message), ["to", "screen", "mode"]);
}

#[test]
fn the_curl_command_of_each_backend() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/message/meta-example-navigate-with-data.json")).unwrap();
    let message = &fixture["message"];
    let backends = [
        Backend::Graph { phone_number_id: "106540352242922".into(), version: "v21.0".into() },
        Backend::Dialog360,
        Backend::Sandbox { base: "http://127.0.0.1:8080/sandbox".into() },
    ];
    let actual: String = backends.iter().map(|backend| format!("{}\n\n", curl(message, backend))).collect();
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("FLOW_MODEL_BLESS").is_some() {
        let path = format!("{}/tests/suite/fixtures/message/curl.txt", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(path, &actual).expect("write the expectation");
        return;
    }
    assert_eq!(actual, include_str!("fixtures/message/curl.txt").replace("\r\n", "\n"));
    for command in actual.split("\n\n").filter(|command| !command.is_empty()) {
        assert_eq!(&body_of(command), message, "the command sends the message as it is");
        assert!(!command.contains("EAA") && command.contains("$"), "secrets are shell variables: {command}");
    }
}

/// The body a shell passes for `-d '…'` at the end of a command: the single-quoted words
/// joined, each `'\''` an apostrophe.
pub fn body_of(command: &str) -> Value {
    let quoted = command.rsplit_once(" -d ").expect("a -d argument").1;
    let text = quoted.strip_prefix('\'').and_then(|rest| rest.strip_suffix('\'')).expect("single quotes");
    serde_json::from_str(&text.replace("'\\''", "'")).expect("the body is JSON")
}

/// Any well-formed message, built and checked: the check has nothing to say, the body reads
/// back as the same message, and its cURL command (with apostrophes in the texts) sends it
/// unchanged.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text of 1 to `max` characters, not blank, with apostrophes and non-ASCII letters.
    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!("[A-Za-zé0-9][A-Za-zé0-9 ,.!'?ñ]{{0,{}}}", max - 1))
            .expect("a regex")
    }

    fn phone() -> impl Strategy<Value = String> {
        ("\\+?", "[1-9][0-9]{6,14}").prop_map(|(plus, digits)| format!("{plus}{digits}"))
    }

    /// (flow name, action, publication, mode) that fit together.
    fn opening() -> impl Strategy<Value = (&'static str, FlowAction, Publication, Mode)> {
        let shop = flow("shop");
        let navigate = |screen: &str| FlowAction::Navigate {
            screen: screen.into(),
            data: Some(example_data(&shop, screen)),
        };
        let flows = prop_oneof![
            Just(("shop", navigate("PRODUCT"))),
            Just(("shop", navigate("BASKET"))),
            Just(("endpoint", FlowAction::DataExchange)),
            Just(("endpoint", FlowAction::Navigate { screen: "WELCOME".into(), data: None })),
        ];
        let states = prop_oneof![
            Just((Publication::Draft, Mode::Draft)),
            Just((Publication::Published, Mode::Published)),
            Just((Publication::PublishedWithDraft, Mode::Draft)),
            Just((Publication::PublishedWithDraft, Mode::Published)),
        ];
        (flows, states).prop_map(|((name, action), (publication, mode))| (name, action, publication, mode))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn well_formed_messages_pass_and_survive_json_and_curl(
            to in phone(),
            header in proptest::option::of(text(60)),
            body in text(1024),
            footer in proptest::option::of(text(60)),
            cta in text(30),
            flow_token in proptest::option::of("[A-Za-z0-9_.-]{1,40}"),
            by_name in any::<bool>(),
            id in "[1-9][0-9]{0,15}",
            (name, action, publication, mode) in opening(),
        ) {
            let flow_ref = if by_name { FlowRef::Name(format!("flow_{id}")) } else { FlowRef::Id(id) };
            let message = FlowMessage {
                to, header, body, footer, cta, flow_token, flow: flow_ref, action, mode,
                flow_message_version: flow_model::message::FLOW_MESSAGE_VERSION.into(),
            };
            prop_assert_eq!(check(&message, &flow(name), publication), []);
            let json = message.to_json();
            let read = FlowMessage::from_json(&json);
            prop_assert_eq!(read.as_ref(), Ok(&message));
            let command = curl(&json, &Backend::Dialog360);
            prop_assert_eq!(body_of(&command), json);
        }
    }
}
