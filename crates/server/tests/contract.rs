//! Contract: every sandbox response, success and error, validated against the seed OpenAPI
//! spec of 360dialog's Partner API flows endpoints (a copy in `tests/contract/`).
//!
//! The spec's `FlowAssetUpdateError` forbids extra members, but Meta's `validation_errors`
//! items carry `pointers` (flow-json.md §8.1) and 360dialog passes Meta's items through; the
//! sandbox returns them, so the one overlay here adds `pointers` to that schema. Statuses the
//! spec does not list for an operation (401, 403, 413, 415) are checked against its error
//! envelope `DefaultHttpError`.
mod common;

use common::{KEY, Server, WABA1, WABA2, client, flow_json_form, sandbox_config, start};
use serde_json::{Value, json};

const SPEC: &str = include_str!("contract/360dialog-partner-flows.openapi.json");
const FLOWS: &str = "/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows";

struct Contract {
    spec: Value,
    checked: std::cell::Cell<usize>,
}

impl Contract {
    fn new() -> Self {
        let mut spec: Value = serde_json::from_str(SPEC).unwrap();
        let position = json!({"type": "integer"});
        spec["components"]["schemas"]["FlowAssetUpdateError"]["properties"]["pointers"] = json!({
            "type": "array",
            "items": {"type": "object", "additionalProperties": false, "required": ["path"], "properties": {
                "path": {"type": "string"}, "line_start": position, "line_end": position,
                "column_start": position, "column_end": position}}
        });
        Contract { spec, checked: std::cell::Cell::new(0) }
    }

    fn schema_for(&self, template: &str, method: &str, status: u16) -> String {
        let responses = &self.spec["paths"][template][method]["responses"];
        assert!(responses.is_object(), "{method} {template} is not in the spec");
        let declared = &responses[status.to_string()]["content"]["application/json"]["schema"]["$ref"];
        match declared.as_str() {
            Some(reference) => reference.to_owned(),
            None => {
                assert!(status >= 400, "{method} {template} answered {status}, which the spec does not list");
                "#/components/schemas/DefaultHttpError".to_owned()
            }
        }
    }

    async fn check(&self, template: &str, method: &str, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        let reference = self.schema_for(template, method, status);
        let schema = json!({"$ref": reference, "components": self.spec["components"]});
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{method} {template} {status} breaks {reference}: {errors:?}\n{body}");
        self.checked.set(self.checked.get() + 1);
        (status, body)
    }
}

fn flows(server: &Server, waba: &str, rest: &str) -> String {
    server.sandbox_flows(waba, rest)
}

#[tokio::test]
async fn every_operation_answers_as_the_spec_says() {
    let server = start(sandbox_config("contract")).await;
    let contract = Contract::new();
    let http = client();
    let key = |builder: reqwest::RequestBuilder| builder.header("x-api-key", KEY);
    let flow = format!("{FLOWS}/{{flow_external_id}}");

    // List: defaults, every field, and errors.
    let all = "?fields=id,name,categories,validation_errors,status,json_version,data_api_version,data_channel_uri,endpoint_uri,preview,whatsapp_business_account";
    for query in ["", all, "?fields=name,nope"] {
        contract.check(FLOWS, "get", key(http.get(flows(&server, WABA1, query)))).await;
    }
    contract.check(FLOWS, "get", key(http.get(flows(&server, "nopeWA", "")))).await;
    contract.check(FLOWS, "get", http.get(flows(&server, WABA1, ""))).await;

    // Create, with and without a clone source, and refused.
    let (status, created) = contract
        .check(
            FLOWS,
            "post",
            key(http.post(flows(&server, WABA1, ""))).json(&json!({"name": "c1", "categories": ["OTHER"]})),
        )
        .await;
    assert_eq!(status, 200);
    let id = created["id"].as_str().unwrap().to_owned();
    let clone = json!({"name": "c2", "categories": ["OTHER"], "clone_flow_id": "1287346519273402", "endpoint_uri": "https://example.com/e"});
    contract.check(FLOWS, "post", key(http.post(flows(&server, WABA1, ""))).json(&clone)).await;
    for bad in [
        json!({"name": "c1", "categories": ["OTHER"]}),
        json!({"categories": ["NOPE"]}),
        json!({"name": "x", "categories": ["OTHER"], "clone_flow_id": "1"}),
    ] {
        let (status, _) =
            contract.check(FLOWS, "post", key(http.post(flows(&server, WABA1, ""))).json(&bad)).await;
        assert_eq!(status, 400);
    }
    contract
        .check(
            FLOWS,
            "post",
            key(http.post(flows(&server, WABA1, ""))).header("content-type", "text/plain").body("x"),
        )
        .await;

    // Get, update, assets, upload (valid and broken), preview.
    for query in ["", all] {
        contract.check(&flow, "get", key(http.get(flows(&server, WABA1, &format!("/{id}{query}"))))).await;
    }
    contract.check(&flow, "get", key(http.get(flows(&server, WABA1, "/1234567890123456")))).await;
    contract
        .check(
            &flow,
            "patch",
            key(http.patch(flows(&server, WABA1, &format!("/{id}")))).json(&json!({"name": "c1b"})),
        )
        .await;
    contract
        .check(
            &flow,
            "patch",
            key(http.patch(flows(&server, WABA1, &format!("/{id}")))).json(&json!({"categories": ["OTHER"]})),
        )
        .await;
    let assets = format!("{flow}/assets");
    contract.check(&assets, "get", key(http.get(flows(&server, WABA1, &format!("/{id}/assets"))))).await;
    let broken = b"{\"version\": \"7.3\", \"screens\": [1,]}".to_vec();
    let (_, answer) = contract
        .check(
            &assets,
            "post",
            key(http.post(flows(&server, WABA1, &format!("/{id}/assets")))).multipart(flow_json_form(broken)),
        )
        .await;
    assert!(!answer["validation_errors"].as_array().unwrap().is_empty());
    let (_, listed) = contract.check(FLOWS, "get", key(http.get(flows(&server, WABA1, "")))).await;
    assert!(
        listed["flows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| !f["validation_errors"].as_array().unwrap().is_empty())
    );
    contract
        .check(
            &format!("{flow}/publish"),
            "post",
            key(http.post(flows(&server, WABA1, &format!("/{id}/publish")))),
        )
        .await;
    let valid = flow_json_form(flow_model::templates::APPOINTMENT_BOOKING.into());
    contract
        .check(
            &assets,
            "post",
            key(http.post(flows(&server, WABA1, &format!("/{id}/assets")))).multipart(valid),
        )
        .await;
    contract.check(&assets, "get", key(http.get(flows(&server, WABA1, &format!("/{id}/assets"))))).await;
    contract
        .check(
            &assets,
            "post",
            key(http.post(flows(&server, WABA1, &format!("/{id}/assets")))).json(&json!({})),
        )
        .await;
    let preview = format!("{flow}/preview");
    for query in ["", "?invalidate=true", "?invalidate=perhaps"] {
        contract
            .check(&preview, "get", key(http.get(flows(&server, WABA1, &format!("/{id}/preview{query}")))))
            .await;
    }

    // Lifecycle: publish, refused publish, deprecate, refused deprecate and delete, delete.
    let publish = format!("{flow}/publish");
    let deprecate = format!("{flow}/deprecate");
    let (status, _) = contract
        .check(&publish, "post", key(http.post(flows(&server, WABA1, &format!("/{id}/publish")))))
        .await;
    assert_eq!(status, 200);
    contract.check(&publish, "post", key(http.post(flows(&server, WABA1, &format!("/{id}/publish"))))).await;
    contract.check(&flow, "delete", key(http.delete(flows(&server, WABA1, &format!("/{id}"))))).await;
    contract
        .check(&deprecate, "post", key(http.post(flows(&server, WABA1, &format!("/{id}/deprecate")))))
        .await;
    contract
        .check(&deprecate, "post", key(http.post(flows(&server, WABA1, &format!("/{id}/deprecate")))))
        .await;
    contract
        .check(&deprecate, "post", key(http.post(flows(&server, WABA1, "/1287346519273403/deprecate"))))
        .await;
    let (status, _) =
        contract.check(&flow, "delete", key(http.delete(flows(&server, WABA1, "/1287346519273403")))).await;
    assert_eq!(status, 200);
    contract.check(&flow, "delete", key(http.delete(flows(&server, WABA1, "/1287346519273403")))).await;

    // Migrate: success with failures, and refused.
    let migrate = format!("{FLOWS}/migrate_flows");
    let body = json!({"source_waba_account_id": WABA1, "source_flow_names": ["appointment-booking", "customer-survey", "nope"]});
    let (status, answer) = contract
        .check(&migrate, "post", key(http.post(flows(&server, WABA2, "/migrate_flows"))).json(&body))
        .await;
    assert_eq!((status, answer["failed_flows"].as_array().unwrap().len()), (200, 2));
    for bad in
        [json!({}), json!({"source_waba_account_id": "otherWA"}), json!({"source_waba_account_id": WABA2})]
    {
        contract
            .check(&migrate, "post", key(http.post(flows(&server, WABA2, "/migrate_flows"))).json(&bad))
            .await;
    }
    assert_eq!(contract.checked.get(), 38);
}

#[test]
fn the_validator_rejects_what_the_spec_forbids() {
    let contract = Contract::new();
    let validator = |reference: &str| {
        let schema = json!({"$ref": reference, "components": contract.spec["components"]});
        jsonschema::draft202012::new(&schema).unwrap()
    };
    let envelope = validator("#/components/schemas/DefaultHttpError");
    assert!(
        envelope.is_valid(&json!({"meta": {"success": false, "http_code": 404, "developer_message": "x"}}))
    );
    assert!(!envelope.is_valid(&json!({"meta": {"success": false, "http_code": 404}})));
    assert!(!envelope.is_valid(
        &json!({"meta": {"success": false, "http_code": 404, "developer_message": "x", "extra": 1}})
    ));
    let list = validator("#/components/schemas/AllFlowsOut");
    assert!(!list.is_valid(&json!({"flows": [{"id": "1", "categories": ["SHOPPING"]}]})));
    assert!(!list.is_valid(&json!({"flows": [], "paging": {}})));
}
