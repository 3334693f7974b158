//! The mock endpoint's answers (`flow_model::mock`), data-driven: each `fixtures/mock/CASE.json`
//! holds a flow's name (`flows/NAME.json`), the answers as the preview keeps them and a
//! conversation of requests; `CASE.expected` beside it lists what could not be read
//! (`problem: …`), the screens answered that the flow lacks (`unknown screen …`) and, for each
//! request, `ACTION SCREEN -> answer`, followed by `  ! severity field code` for anything the
//! endpoint tester's check finds wrong with that answer (a mock that answers with what WhatsApp
//! refuses would teach the wrong thing). `FLOW_MODEL_BLESS=1 cargo test -p flow-model --test
//! tests mock` rewrites the expectations after a deliberate change (read the diff first).
use flow_model::endpoint::{Exchange, check_answer};
use flow_model::mock::{MockAnswers, answer};
use serde_json::{Map, Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const TOKEN: &str = "flow-token-7f3a";

fn flow(name: &str) -> Value {
    let text = match name {
        "booking" => include_str!("fixtures/mock/flows/booking.json"),
        "navigate" => include_str!("fixtures/mock/flows/navigate.json"),
        other => panic!("no flow {other} in fixtures/mock/flows"),
    };
    serde_json::from_str(text).expect("the flow is JSON")
}

/// The request's exchange as the endpoint tells them apart: an error notification is an INIT or
/// data_exchange whose data has `error`.
fn exchange<'r>(request: &'r Value, data: &Map<String, Value>) -> Exchange<'r> {
    let screen = request.get("screen").and_then(Value::as_str).unwrap_or_default();
    match request["action"].as_str().expect("an action") {
        _ if data.contains_key("error") => Exchange::ErrorNotification,
        "ping" => Exchange::Ping,
        "INIT" => Exchange::Init,
        "data_exchange" => Exchange::DataExchange { screen },
        "BACK" => Exchange::Back { screen },
        other => panic!("no action {other}"),
    }
}

/// What the fixture gives, as stable text.
fn render(fixture: &Value) -> String {
    let flow = flow(fixture["flow"].as_str().expect("a flow name"));
    let answers = MockAnswers::from_settings(&fixture["answers"]);
    let mut text = String::new();
    for problem in &answers.problems {
        text.push_str(&format!("problem: {problem}\n"));
    }
    for screen in answers.unknown_screens(&flow) {
        text.push_str(&format!("unknown screen {screen}\n"));
    }
    for request in fixture["requests"].as_array().expect("requests") {
        let data = request.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
        let asked = exchange(request, &data);
        let answered = answer(&flow, &answers, asked, TOKEN, &data);
        let screen = request.get("screen").and_then(Value::as_str).unwrap_or("-");
        text.push_str(&format!(
            "{} {screen} -> {answered}\n",
            request["action"].as_str().unwrap_or_default()
        ));
        for problem in check_answer(&flow, asked, TOKEN, &answered) {
            text.push_str(&format!(
                "  ! {} {} {}\n",
                problem.severity.as_str(),
                problem.field,
                problem.code()
            ));
        }
    }
    text
}

fixture_tests!("mock", render, {
    every_action_follows_the_routing_model => "routing-model-without-answers",
    the_previews_written_answers_are_given => "preview-settings-answers",
    a_hosts_options_are_read_too => "host-options-answers",
    document_order_without_a_routing_model => "document-order-without-routing-model",
    answers_that_do_not_read_are_named => "answers-that-do-not-read",
    first_data_that_is_not_json_is_named => "first-data-not-json",
    a_bare_map_is_not_the_settings => "not-settings",
});

/// The same request gets the same answer: a replay never makes the endpoint encrypt a second,
/// different text under the request's key and IV.
#[test]
fn answers_depend_on_the_request_alone() {
    let flow = flow("booking");
    let answers =
        MockAnswers::from_settings(&json!({"mocks": {"PICK": {"screen": "DETAILS", "data": {"price": 3}}}}));
    let data = Map::new();
    for asked in
        [Exchange::Init, Exchange::DataExchange { screen: "PICK" }, Exchange::Back { screen: "DONE" }]
    {
        assert_eq!(
            answer(&flow, &answers, asked, TOKEN, &data),
            answer(&flow, &answers, asked, TOKEN, &data)
        );
    }
}
