//! The sandbox's lifecycle over HTTP: every cell of the state table of partner-api.md §5, with
//! its status code and, for refusals, the envelope carrying Meta's error code.
mod common;

use common::{
    KEY, Server, WABA1, WABA2, assert_envelope, client, flow_json_form, json, sandbox_config, start,
};
use serde_json::{Value, json};

const VALID: &str = flow_model::templates::APPOINTMENT_BOOKING;

async fn create(server: &Server, name: &str) -> String {
    let body = json!({"name": name, "categories": ["OTHER"]});
    let (status, answer) =
        json(client().post(server.flows(WABA1, "")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
    answer["id"].as_str().unwrap().to_owned()
}

async fn post(server: &Server, id: &str, action: &str) -> (u16, Value) {
    json(client().post(server.flows(WABA1, &format!("/{id}/{action}"))).send().await.unwrap()).await
}

async fn status_of(server: &Server, id: &str) -> String {
    let (_, flow) =
        json(client().get(server.flows(WABA1, &format!("/{id}?fields=status"))).send().await.unwrap()).await;
    flow["status"].as_str().unwrap_or("∅").to_owned()
}

async fn force(server: &Server, id: &str, status: &str) -> (u16, Value) {
    let url = server.at(&format!("/sandbox/control/flows/{id}/status"));
    json(client().post(url).header("x-api-key", KEY).json(&json!({"status": status})).send().await.unwrap())
        .await
}

/// A flow in `state` (DRAFT, DRAFT*, PUBLISHED, THROTTLED, BLOCKED, DEPRECATED or ∅).
async fn flow_in(server: &Server, state: &str, name: &str) -> String {
    if state == "∅" {
        return "9999999999999999".to_owned();
    }
    let id = create(server, name).await;
    let upload =
        client().post(server.flows(WABA1, &format!("/{id}/assets"))).multipart(flow_json_form(VALID.into()));
    assert_eq!(upload.send().await.unwrap().status(), 200);
    if state != "DRAFT" {
        assert_eq!(post(server, &id, "publish").await.0, 200);
    }
    match state {
        "DRAFT*" => {
            let patch = json!({"name": name, "categories": ["SURVEY"]});
            let answer =
                client().patch(server.flows(WABA1, &format!("/{id}"))).json(&patch).send().await.unwrap();
            assert_eq!(answer.status(), 200);
        }
        "THROTTLED" | "BLOCKED" => assert_eq!(force(server, &id, state).await.0, 200),
        "DEPRECATED" => assert_eq!(post(server, &id, "deprecate").await.0, 200),
        _ => {}
    }
    let expected = if state == "DRAFT*" { "DRAFT" } else { state };
    assert_eq!(status_of(server, &id).await, expected);
    id
}

/// What an operation did: the status after it, or the HTTP status and Meta code it was refused with.
#[derive(Debug, PartialEq)]
enum Cell {
    Ok(&'static str),
    Refused(u16, Option<u64>),
}
use Cell::{Ok as Becomes, Refused};

async fn run(server: &Server, operation: &str, id: &str, name: &str) -> (u16, Value) {
    let flow = |rest: &str| server.flows(WABA1, &format!("/{id}{rest}"));
    match operation {
        "get" => json(client().get(flow("")).send().await.unwrap()).await,
        "preview" => json(client().get(flow("/preview")).send().await.unwrap()).await,
        "update" => {
            let body = json!({"name": format!("{name} renamed")});
            json(client().patch(flow("")).json(&body).send().await.unwrap()).await
        }
        "upload" => {
            json(client().post(flow("/assets")).multipart(flow_json_form(VALID.into())).send().await.unwrap())
                .await
        }
        "publish" | "deprecate" => post(server, id, operation).await,
        "delete" => json(client().delete(flow("")).send().await.unwrap()).await,
        "clone" => {
            let body = json!({"name": format!("{name} clone"), "categories": ["OTHER"], "clone_flow_id": id});
            json(client().post(server.flows(WABA1, "")).json(&body).send().await.unwrap()).await
        }
        other => panic!("{other}"),
    }
}

async fn outcome(server: &Server, operation: &str, id: &str, status: u16, body: &Value) -> Cell {
    if status != 200 {
        assert_envelope(status, body, status);
        return Refused(status, body["meta"]["details"]["error"]["code"].as_u64());
    }
    let subject = if operation == "clone" { body["id"].as_str().unwrap().to_owned() } else { id.to_owned() };
    let after = status_of(server, &subject).await;
    // The state names are static in the table below.
    Becomes(
        ["DRAFT", "PUBLISHED", "THROTTLED", "BLOCKED", "DEPRECATED", "∅"]
            .into_iter()
            .find(|s| *s == after)
            .unwrap(),
    )
}

#[tokio::test]
async fn every_cell_of_the_state_table() {
    let server = start(sandbox_config("lifecycle")).await;
    let columns = ["DRAFT", "DRAFT*", "PUBLISHED", "THROTTLED", "BLOCKED", "DEPRECATED", "∅"];
    let e100 = Refused(404, None);
    let rows: Vec<(&str, [Cell; 7])> = vec![
        (
            "get",
            [
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("PUBLISHED"),
                Becomes("THROTTLED"),
                Becomes("BLOCKED"),
                Becomes("DEPRECATED"),
                Refused(404, None),
            ],
        ),
        (
            "preview",
            [
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("PUBLISHED"),
                Becomes("THROTTLED"),
                Becomes("BLOCKED"),
                Becomes("DEPRECATED"),
                Refused(404, None),
            ],
        ),
        (
            "update",
            [
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Refused(400, Some(139001)),
                Refused(400, Some(139001)),
                Refused(400, Some(139001)),
                Refused(404, None),
            ],
        ),
        (
            "upload",
            [
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Refused(400, Some(139001)),
                Refused(400, Some(139001)),
                Refused(400, Some(139001)),
                Refused(404, None),
            ],
        ),
        (
            "publish",
            [
                Becomes("PUBLISHED"),
                Becomes("PUBLISHED"),
                Refused(400, Some(139002)),
                Refused(400, Some(139002)),
                Refused(400, Some(139002)),
                Refused(400, Some(139002)),
                Refused(404, None),
            ],
        ),
        (
            "deprecate",
            [
                Refused(400, Some(139003)),
                Becomes("DEPRECATED"),
                Becomes("DEPRECATED"),
                Becomes("DEPRECATED"),
                Becomes("DEPRECATED"),
                Refused(400, Some(139003)),
                Refused(404, None),
            ],
        ),
        (
            "delete",
            [
                Becomes("∅"),
                Refused(400, Some(139004)),
                Refused(400, Some(139004)),
                Refused(400, Some(139004)),
                Refused(400, Some(139004)),
                Refused(400, Some(139004)),
                e100,
            ],
        ),
        (
            "clone",
            [
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Becomes("DRAFT"),
                Refused(400, Some(100)),
            ],
        ),
    ];
    for (row, (operation, cells)) in rows.into_iter().enumerate() {
        for (column, (state, expected)) in columns.into_iter().zip(cells).enumerate() {
            let name = format!("flow-{row}-{column}");
            let id = flow_in(&server, state, &name).await;
            let (status, body) = run(&server, operation, &id, &name).await;
            let cell = outcome(&server, operation, &id, status, &body).await;
            assert_eq!(cell, expected, "{operation} on {state}: {body}");
        }
    }
}

#[tokio::test]
async fn refusals_say_what_happened_in_meta_terms() {
    let server = start(sandbox_config("refusals")).await;
    let id = flow_in(&server, "PUBLISHED", "live").await;
    let (status, body) = post(&server, &id, "publish").await;
    let message = assert_envelope(status, &body, 400);
    assert!(message.starts_with("(#139002) Publishing Flow in invalid state"), "{message}");
    let graph = &body["meta"]["details"]["error"];
    assert_eq!(graph["type"], "OAuthException");
    assert_eq!(graph["error_user_title"], "Publishing Flow in invalid state");
    assert_eq!(graph["fbtrace_id"], body["meta"]["360dialog_trace_id"]);
    let (status, body) =
        json(client().delete(server.flows(WABA1, &format!("/{id}"))).send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 400).contains("Can't delete published Flow"));
    let (status, body) =
        json(client().get(server.flows(WABA1, "/1234567890123456")).send().await.unwrap()).await;
    assert_eq!(assert_envelope(status, &body, 404), "Flow with specified ID does not exist");
}

#[tokio::test]
async fn publish_is_refused_while_validation_errors_exist_or_without_json() {
    let server = start(sandbox_config("publish-errors")).await;
    let id = create(&server, "broken").await;
    let (status, body) = post(&server, &id, "publish").await;
    assert!(assert_envelope(status, &body, 400).contains("no flow.json yet"), "{body}");
    let upload = client().post(server.flows(WABA1, &format!("/{id}/assets")));
    let (status, answer) =
        json(upload.multipart(flow_json_form(b"{\"version\": \"7.3\",}".to_vec())).send().await.unwrap())
            .await;
    assert_eq!((status, answer["success"].as_bool()), (200, Some(true)), "{answer}");
    assert_eq!(answer["validation_errors"][0]["error"], "INVALID_FLOW_JSON");
    let (status, body) = post(&server, &id, "publish").await;
    assert!(assert_envelope(status, &body, 400).contains("1 validation error(s)"), "{body}");
    assert_eq!(status_of(&server, &id).await, "DRAFT");
}

#[tokio::test]
async fn endpoint_flows_need_an_endpoint_uri_to_publish() {
    let server = start(sandbox_config("endpoint")).await;
    let id = create(&server, "with-endpoint").await;
    let mut flow: Value = serde_json::from_str(VALID).unwrap();
    // An endpoint flow: data_api_version and the routing model that goes with it.
    flow["data_api_version"] = json!("3.0");
    flow["routing_model"] = json!({"APPOINTMENT": ["DETAILS"], "DETAILS": ["SUMMARY"], "SUMMARY": []});
    let form = flow_json_form(serde_json::to_vec_pretty(&flow).unwrap());
    assert_eq!(
        client()
            .post(server.flows(WABA1, &format!("/{id}/assets")))
            .multipart(form)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (status, body) = post(&server, &id, "publish").await;
    assert!(assert_envelope(status, &body, 400).contains("endpoint_uri"), "{body}");
    let patch = json!({"name": "with-endpoint", "endpoint_uri": "https://example.com/flow"});
    assert_eq!(
        client().patch(server.flows(WABA1, &format!("/{id}"))).json(&patch).send().await.unwrap().status(),
        200
    );
    assert_eq!(post(&server, &id, "publish").await.0, 200);
}

#[tokio::test]
async fn health_control_moves_only_published_flows() {
    let server = start(sandbox_config("control")).await;
    let draft = flow_in(&server, "DRAFT", "draft").await;
    let (status, body) = force(&server, &draft, "THROTTLED").await;
    assert!(assert_envelope(status, &body, 400).contains("Only published flows"), "{body}");
    let live = flow_in(&server, "PUBLISHED", "live").await;
    for target in ["THROTTLED", "BLOCKED", "PUBLISHED"] {
        assert_eq!(force(&server, &live, target).await.0, 200);
        assert_eq!(status_of(&server, &live).await, target);
    }
    let (status, body) = force(&server, &live, "DEPRECATED").await;
    assert_envelope(status, &body, 400);
    let url = server.at(&format!("/sandbox/control/flows/{live}/status"));
    let (status, body) =
        json(client().post(url).json(&json!({"status": "BLOCKED"})).send().await.unwrap()).await;
    assert_envelope(status, &body, 401);
}

#[tokio::test]
async fn migrate_copies_by_name_and_reports_clashes() {
    let server = start(sandbox_config("migrate")).await;
    let body = json!({"source_waba_account_id": WABA1, "source_flow_names": ["appointment-booking", "lead-gen", "nope"]});
    let (status, answer) =
        json(client().post(server.flows(WABA2, "/migrate_flows")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
    let migrated = answer["migrated_flows"].as_array().unwrap();
    assert_eq!(migrated.len(), 1, "{answer}");
    assert_eq!(migrated[0]["source_name"], "lead-gen");
    assert_eq!(migrated[0]["source_id"], "1287346519273403");
    let failed = answer["failed_flows"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{answer}");
    assert_eq!(failed[0]["source_name"], "appointment-booking");
    assert_eq!(failed[0]["error_code"], "4233041");
    assert!(failed[0]["error_message"].as_str().unwrap().contains("same name exists in destination"));
    assert!(failed[1]["error_message"].as_str().unwrap().contains("not found in source"));
    // The copy is a new DRAFT with the same flow.json; published sources stay published.
    let copy = migrated[0]["migrated_id"].as_str().unwrap();
    let (_, flow) = json(
        client()
            .get(server.flows(WABA2, &format!("/{copy}?fields=name,status,json_version")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (flow["name"].as_str(), flow["status"].as_str(), flow["json_version"].as_str()),
        (Some("lead-gen"), Some("DRAFT"), Some("7.3"))
    );
    let all = json!({"source_waba_account_id": WABA2});
    let (_, answer) =
        json(client().post(server.flows(WABA1, "/migrate_flows")).json(&all).send().await.unwrap()).await;
    let names: Vec<&str> = answer["migrated_flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["contact-us"], "{answer}");
    let (_, flows) =
        json(client().get(server.flows(WABA1, "?fields=name,status")).send().await.unwrap()).await;
    let contact =
        flows["flows"].as_array().unwrap().iter().find(|f| f["name"] == "contact-us").unwrap().clone();
    assert_eq!(contact["status"], "PUBLISHED");
    // Source is the destination, or a WABA the partner does not hold.
    let same = json!({"source_waba_account_id": WABA1});
    let (status, body) =
        json(client().post(server.flows(WABA1, "/migrate_flows")).json(&same).send().await.unwrap()).await;
    assert_envelope(status, &body, 400);
    let foreign = json!({"source_waba_account_id": "otherWA"});
    let (status, body) =
        json(client().post(server.flows(WABA1, "/migrate_flows")).json(&foreign).send().await.unwrap()).await;
    assert_envelope(status, &body, 403);
}
