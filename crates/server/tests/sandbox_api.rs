//! The sandbox's operations beyond the lifecycle: authentication, the channel listing, fields,
//! create/clone/update, uploads and their validation errors, previews and downloads, and bad
//! input of every kind answered with a 4xx envelope and nothing written.
mod common;

use common::{
    KEY, PARTNER, Server, WABA1, WABA2, assert_envelope, client, flow_json_form, json, sandbox_config, start,
};
use serde_json::{Value, json};

async fn count(server: &Server) -> usize {
    let (_, list) = json(client().get(server.flows(WABA1, "")).send().await.unwrap()).await;
    list["flows"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_sandbox_surface_wants_its_key() {
    let server = start(sandbox_config("auth")).await;
    let url = server.sandbox_flows(WABA1, "");
    let (status, body) = json(client().get(&url).send().await.unwrap()).await;
    assert_eq!(assert_envelope(status, &body, 401), "Missing X-API-Key header");
    let (status, body) = json(client().get(&url).header("x-api-key", "wrong").send().await.unwrap()).await;
    assert_eq!(assert_envelope(status, &body, 401), "Invalid api key");
    let (status, body) =
        json(client().get(&url).header("authorization", "Bearer x").send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 401).contains("X-API-Key"));
    let (status, list) = json(client().get(&url).header("x-api-key", KEY).send().await.unwrap()).await;
    assert_eq!((status, list["count"].as_u64()), (200, Some(4)), "{list}");
    // Another partner: the key does not reach it. An unknown WABA of ours: not found.
    let other = server.at("/sandbox/api/v2/partners/otherPA/waba_accounts/sandbox1WA/flows");
    let (status, body) = json(client().get(other).header("x-api-key", KEY).send().await.unwrap()).await;
    assert_eq!(assert_envelope(status, &body, 403), "Permission denied for partner otherPA");
    let (status, body) = json(client().get(server.flows("nopeWA", "")).send().await.unwrap()).await;
    assert_envelope(status, &body, 404);
    // A configured key replaces the default.
    let mut config = sandbox_config("auth-custom");
    config.sandbox_api_key = flowsmith_server::config::Secret::new("custom-key");
    let custom = start(config).await;
    let url = custom.sandbox_flows(WABA1, "");
    assert_eq!(client().get(&url).header("x-api-key", KEY).send().await.unwrap().status(), 401);
    assert_eq!(client().get(&url).header("x-api-key", "custom-key").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_channel_listing_finds_the_waba_accounts() {
    let server = start(sandbox_config("channels")).await;
    let url = server.at(&format!("/api/v2/partners/{PARTNER}/channels"));
    let (status, body) = json(client().get(&url).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let ids: Vec<&str> = body["partner_channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["waba_account"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [WABA1, WABA2]);
    assert_eq!((body["count"].as_u64(), body["total"].as_u64()), (Some(2), Some(2)));
    let filtered = format!("{url}?filters=%7B%22waba_account.id%22%3A%22sandbox2WA%22%7D");
    let (_, body) = json(client().get(filtered).send().await.unwrap()).await;
    assert_eq!(body["partner_channels"][0]["waba_account"]["name"], "Sandbox Shop");
    let (_, body) =
        json(client().get(format!("{url}?sort=-id&limit=1&offset=0")).send().await.unwrap()).await;
    assert_eq!((body["count"].as_u64(), body["total"].as_u64()), (Some(1), Some(2)));
    assert_eq!(body["partner_channels"][0]["waba_account"]["id"], WABA2);
    for bad in ["?sort=password", "?limit=-1", "?limit=5000", "?filters=nope"] {
        let (status, body) = json(client().get(format!("{url}{bad}")).send().await.unwrap()).await;
        assert_envelope(status, &body, 400);
    }
}

#[tokio::test]
async fn fields_select_what_is_returned() {
    let server = start(sandbox_config("fields")).await;
    let (_, list) = json(client().get(server.flows(WABA1, "")).send().await.unwrap()).await;
    let first = &list["flows"][0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "name", "categories", "validation_errors", "status"]);
    assert_eq!(first["name"], "customer-survey", "newest first: {list}");
    let all = "?fields=id,name,categories,validation_errors,status,json_version,data_api_version,data_channel_uri,endpoint_uri,preview,whatsapp_business_account";
    let (status, flow) =
        json(client().get(server.flows(WABA1, &format!("/1287346519273402{all}"))).send().await.unwrap())
            .await;
    assert_eq!(status, 200, "{flow}");
    assert_eq!(flow["json_version"], "7.3");
    assert!(flow.get("data_api_version").is_none() && flow.get("endpoint_uri").is_none(), "{flow}");
    assert_eq!(flow["whatsapp_business_account"]["name"], "Sandbox Clinic");
    assert!(flow["preview"]["preview_url"].as_str().unwrap().contains("/embed?flow="));
    let (_, flow) = json(
        client()
            .get(server.flows(WABA1, "/1287346519273402?fields=name&fields=status"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(flow, json!({"id": "1287346519273402", "name": "appointment-booking", "status": "PUBLISHED"}));
    let (status, body) =
        json(client().get(server.flows(WABA1, "?fields=name,secret")).send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 400).contains("Unknown field 'secret'"));
    assert!(body["meta"]["details"]["query"]["fields"].is_array(), "{body}");
    let metric = "/1287346519273402?fields=metric.name(ENDPOINT_REQUEST_COUNT).granularity(DAY)";
    let (status, body) = json(client().get(server.flows(WABA1, metric)).send().await.unwrap()).await;
    assert_envelope(status, &body, 400);
    assert_eq!(body["meta"]["details"]["error"]["code"], 139006);
}

#[tokio::test]
async fn create_validates_its_payload_and_clones() {
    let server = start(sandbox_config("create")).await;
    let before = count(&server).await;
    let url = server.flows(WABA1, "");
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "name"),
        (json!({"name": "x"}), "categories"),
        (json!({"name": "x", "categories": []}), "categories"),
        (json!({"name": "x", "categories": ["SHOPPING"]}), "categories"),
        (json!({"name": "x", "categories": "OTHER"}), "categories"),
        (json!({"name": "  ", "categories": ["OTHER"]}), "name"),
        (json!({"name": "a\r\nSet-Cookie: x=1", "categories": ["OTHER"]}), "name"),
        (json!({"name": "x".repeat(201), "categories": ["OTHER"]}), "name"),
        (json!({"name": 5, "categories": ["OTHER"]}), "name"),
        (json!({"name": "x", "categories": ["OTHER"], "flow_json": "{}"}), "flow_json"),
        (
            json!({"name": "x", "categories": ["OTHER"], "endpoint_uri": "http://insecure.example"}),
            "endpoint_uri",
        ),
        (json!({"name": "x", "categories": ["OTHER"], "clone_flow_id": "../../etc"}), "clone_flow_id"),
    ];
    for (body, field) in cases {
        let (status, answer) = json(client().post(&url).json(&body).send().await.unwrap()).await;
        assert_envelope(status, &answer, 400);
        assert!(answer["meta"]["details"]["json"][field].is_array(), "{body}: {answer}");
    }
    for (content_type, body) in
        [("application/json", "{\"name\": "), ("application/json", "[1]"), ("application/json", "\u{0}")]
    {
        let (status, answer) =
            json(client().post(&url).header("content-type", content_type).body(body).send().await.unwrap())
                .await;
        assert_envelope(status, &answer, 400);
    }
    let (status, answer) =
        json(client().post(&url).header("content-type", "text/plain").body("name=x").send().await.unwrap())
            .await;
    assert_envelope(status, &answer, 415);
    let (status, answer) = json(
        client()
            .post(&url)
            .json(&json!({"name": "x", "categories": ["OTHER"], "clone_flow_id": "1"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_envelope(status, &answer, 400);
    assert_eq!(answer["meta"]["details"]["error"]["code"], 100);
    assert_eq!(count(&server).await, before, "a refused create wrote something");
    // Form-encoded bodies, with categories repeated, comma-joined or as a JSON array.
    for (n, categories) in [
        "categories=OTHER&categories=SURVEY",
        "categories=OTHER,SURVEY",
        "categories=%5B%22OTHER%22%2C%22SURVEY%22%5D",
    ]
    .iter()
    .enumerate()
    {
        let body = format!("name=form-{n}&{categories}");
        let response = client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, created) = json(response).await;
        assert_eq!(status, 200, "{created}");
        let id = created["id"].as_str().unwrap();
        assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit()), "{id}");
        let (_, flow) = json(
            client().get(server.flows(WABA1, &format!("/{id}?fields=categories"))).send().await.unwrap(),
        )
        .await;
        assert_eq!(flow["categories"], json!(["OTHER", "SURVEY"]));
    }
    // A clone takes the source's flow.json; a clone across WABAs of the partner works too.
    let body = json!({"name": "booking v2", "categories": ["APPOINTMENT_BOOKING"], "clone_flow_id": "1287346519273402"});
    let (status, created) =
        json(client().post(server.flows(WABA2, "")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap();
    let (_, flow) = json(
        client().get(server.flows(WABA2, &format!("/{id}?fields=status,json_version"))).send().await.unwrap(),
    )
    .await;
    assert_eq!((flow["status"].as_str(), flow["json_version"].as_str()), (Some("DRAFT"), Some("7.3")));
}

#[tokio::test]
async fn update_renames_and_keeps_names_unique() {
    let server = start(sandbox_config("update")).await;
    let url = server.flows(WABA1, "/1287346519273403");
    let (status, body) =
        json(client().patch(&url).json(&json!({"categories": ["OTHER"]})).send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 400).contains("name"), "{body}");
    let (status, body) =
        json(client().patch(&url).json(&json!({"name": "customer-survey"})).send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 400).contains("not unique"), "{body}");
    let patch = json!({"name": "lead-gen 2026", "categories": ["LEAD_GENERATION", "OTHER"], "endpoint_uri": "https://example.com/x"});
    let (status, body) = json(client().patch(&url).json(&patch).send().await.unwrap()).await;
    assert_eq!((status, body), (200, json!({"success": true})));
    let (_, flow) =
        json(client().get(format!("{url}?fields=name,categories,endpoint_uri")).send().await.unwrap()).await;
    assert_eq!(flow["name"], "lead-gen 2026");
    assert_eq!(flow["endpoint_uri"], "https://example.com/x");
    let (status, _) = json(
        client()
            .patch(&url)
            .json(&json!({"name": "lead-gen 2026", "endpoint_uri": null}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (_, flow) = json(client().get(format!("{url}?fields=endpoint_uri")).send().await.unwrap()).await;
    assert!(flow.get("endpoint_uri").is_none(), "{flow}");
}

#[tokio::test]
async fn uploads_are_validated_and_errors_kept_in_meta_shape() {
    let server = start(sandbox_config("upload")).await;
    let url = server.flows(WABA1, "/1287346519273403/assets");
    let broken = b"{\n  \"version\": \"7.3\",\n  \"screens\": [\n    {\"id\": \"A\",}\n  ]\n}".to_vec();
    let (status, answer) =
        json(client().post(&url).multipart(flow_json_form(broken.clone())).send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["success"], true);
    let error = &answer["validation_errors"][0];
    assert_eq!(error["error"], "INVALID_FLOW_JSON");
    assert_eq!(error["error_type"], "FLOW_JSON_ERROR");
    assert_eq!(error["line_start"], 4, "{error}");
    for key in ["line_end", "column_start", "column_end"] {
        assert!(error[key].is_u64(), "{key}: {error}");
    }
    // The errors persist in GET and in the list, and the broken text is what downloads.
    let (_, flow) = json(
        client().get(server.flows(WABA1, "/1287346519273403?fields=validation_errors")).send().await.unwrap(),
    )
    .await;
    assert_eq!(flow["validation_errors"], answer["validation_errors"]);
    let (_, assets) = json(client().get(&url).send().await.unwrap()).await;
    let link = assets["assets"][0]["download_url"].as_str().unwrap().to_owned();
    assert_eq!(client().get(&link).send().await.unwrap().bytes().await.unwrap().to_vec(), broken);
    // A new upload gives a new link; the old one is gone.
    let form = flow_json_form(flow_model::templates::APPOINTMENT_BOOKING.into());
    let (_, answer) = json(client().post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(answer, json!({"success": true, "validation_errors": []}));
    assert_eq!(client().get(&link).send().await.unwrap().status(), 404);
    // Bad uploads: not multipart, parts missing or wrong, unknown flows, hostile ids.
    let (status, body) = json(client().post(&url).json(&json!({"file": "{}"})).send().await.unwrap()).await;
    assert_envelope(status, &body, 415);
    let form = reqwest::multipart::Form::new().text("name", "flow.json");
    let (status, body) = json(client().post(&url).multipart(form).send().await.unwrap()).await;
    assert_envelope(status, &body, 400);
    assert!(
        body["meta"]["details"]["form"]["file"].is_array()
            && body["meta"]["details"]["form"]["asset_type"].is_array(),
        "{body}"
    );
    let form = flow_json_form(b"{}".to_vec()).text("extra", "1");
    let (status, body) = json(client().post(&url).multipart(form).send().await.unwrap()).await;
    assert!(body["meta"]["details"]["form"]["extra"].is_array(), "{status} {body}");
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"{}".to_vec()).file_name("x.json"))
        .text("name", "other.json")
        .text("asset_type", "IMAGE");
    let (status, body) = json(client().post(&url).multipart(form).send().await.unwrap()).await;
    assert_envelope(status, &body, 400);
    let (status, body) = json(
        client()
            .post(&url)
            .header("content-type", "multipart/form-data; boundary=x")
            .body("garbage")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_envelope(status, &body, 400);
    for id in ["9999999999999999", "..%2F..%2Fetc", "%0d%0aSet-Cookie:x", &"9".repeat(80)] {
        let target = server.flows(WABA1, &format!("/{id}/assets"));
        let (status, body) =
            json(client().post(target).multipart(flow_json_form(b"{}".to_vec())).send().await.unwrap()).await;
        assert_envelope(status, &body, 404);
    }
    // Oversized bodies: refused before anything is read or written.
    let huge = vec![b' '; 12 * 1024 * 1024];
    let (status, body) =
        json(client().post(&url).multipart(flow_json_form(huge)).send().await.unwrap()).await;
    assert_envelope(status, &body, 413);
    let (_, flow) = json(
        client().get(server.flows(WABA1, "/1287346519273403?fields=validation_errors")).send().await.unwrap(),
    )
    .await;
    assert_eq!(flow["validation_errors"], json!([]));
}

#[tokio::test]
async fn a_nearly_10_mb_flow_json_uploads() {
    let server = start(sandbox_config("upload-large")).await;
    let mut flow: Value = serde_json::from_str(flow_model::templates::APPOINTMENT_BOOKING).unwrap();
    flow["pad"] = json!("x".repeat(10 * 1024 * 1024 - 16 * 1024));
    let text = serde_json::to_vec(&flow).unwrap();
    assert!(text.len() < flow_model::MAX_INPUT_BYTES);
    let url = server.flows(WABA1, "/1287346519273403/assets");
    let (status, answer) =
        json(client().post(&url).multipart(flow_json_form(text)).send().await.unwrap()).await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn previews_link_to_the_embed_page_and_rotate() {
    let server = start(sandbox_config("preview")).await;
    let url = server.flows(WABA1, "/1287346519273403/preview");
    let (status, first) = json(client().get(&url).send().await.unwrap()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["id"], "1287346519273403");
    let link = first["preview"]["preview_url"].as_str().unwrap().to_owned();
    let expires = first["preview"]["expires_at"].as_str().unwrap().to_owned();
    assert!(link.starts_with(&format!("{}/embed?flow=", server.url)), "{link}");
    assert_eq!(expires.len(), "2026-12-23T10:00:00+0000".len(), "{expires}");
    assert!(expires.ends_with("+0000"));
    // The embed page loads, and its flow URL serves the flow's current JSON.
    let flow_url: String =
        url::Url::parse(&link).unwrap().query_pairs().find(|(k, _)| k == "flow").unwrap().1.into_owned();
    assert!(flow_url.starts_with(&format!("{}/sandbox/preview/", server.url)), "{flow_url}");
    assert_eq!(client().get(&link).send().await.unwrap().status(), 200);
    let (status, shown) = json(client().get(&flow_url).send().await.unwrap()).await;
    assert_eq!((status, shown["screens"][0]["id"].as_str()), (200, Some("INTEREST")));
    // Asking again gives the same link; invalidate=true a new one, and the old stops working.
    let (_, again) = json(client().get(&url).send().await.unwrap()).await;
    assert_eq!(again, first);
    let (_, rotated) = json(client().get(format!("{url}?invalidate=true")).send().await.unwrap()).await;
    assert_ne!(rotated["preview"]["preview_url"], first["preview"]["preview_url"]);
    let (status, body) = json(client().get(&flow_url).send().await.unwrap()).await;
    assert_envelope(status, &body, 404);
    let (status, body) = json(client().get(format!("{url}?invalidate=maybe")).send().await.unwrap()).await;
    assert_envelope(status, &body, 400);
}

#[tokio::test]
async fn deleted_drafts_are_gone_and_free_their_name() {
    let server = start(sandbox_config("delete")).await;
    let url = server.flows(WABA1, "/1287346519273404");
    let (status, body) = json(client().delete(&url).send().await.unwrap()).await;
    assert_eq!((status, body), (200, json!({"success": true})));
    let (status, body) = json(client().get(&url).send().await.unwrap()).await;
    assert_envelope(status, &body, 404);
    let (status, body) = json(client().delete(&url).send().await.unwrap()).await;
    assert_envelope(status, &body, 404);
    let create = json!({"name": "customer-survey", "categories": ["SURVEY"]});
    assert_eq!(client().post(server.flows(WABA1, "")).json(&create).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_envelope() {
    let server = start(sandbox_config("routes")).await;
    for (method, path) in [
        ("GET", "/sandbox/nothing".to_owned()),
        ("PUT", format!("/sandbox/api/v2/partners/{PARTNER}/waba_accounts/{WABA1}/flows/1")),
        ("GET", "/api/v2/partners".to_owned()),
    ] {
        let request = client().request(method.parse().unwrap(), server.at(&path)).header("x-api-key", KEY);
        let (status, body) = json(request.send().await.unwrap()).await;
        assert!(status == 404 || status == 405, "{method} {path}: {status}");
        assert_envelope(status, &body, status);
    }
}
