//! The sandbox's store: it survives a restart, stays consistent under concurrent requests, and
//! a failed write (a full disk) leaves nothing half-written.
mod common;

use common::{WABA1, assert_envelope, client, flow_json_form, json, sandbox_config, start};
use serde_json::json;

#[tokio::test]
async fn flows_survive_a_restart() {
    let config = sandbox_config("restart");
    let server = start(config.clone()).await;
    let body = json!({"name": "kept", "categories": ["SURVEY"], "endpoint_uri": "https://example.com/e"});
    let (_, created) = json(client().post(server.flows(WABA1, "")).json(&body).send().await.unwrap()).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let upload = client().post(server.flows(WABA1, &format!("/{id}/assets")));
    let form = flow_json_form(flow_model::templates::APPOINTMENT_BOOKING.into());
    assert_eq!(upload.multipart(form).send().await.unwrap().status(), 200);
    assert_eq!(
        client().post(server.flows(WABA1, &format!("/{id}/publish"))).send().await.unwrap().status(),
        200
    );
    let fields = "?fields=name,status,categories,endpoint_uri,json_version,preview";
    let (_, before) =
        json(client().get(server.flows(WABA1, &format!("/{id}{fields}"))).send().await.unwrap()).await;
    drop(server);

    let server = start(config).await;
    let (status, after) =
        json(client().get(server.flows(WABA1, &format!("/{id}{fields}"))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{after}");
    for key in ["name", "status", "categories", "endpoint_uri", "json_version"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(after["status"], "PUBLISHED");
    // The preview token survives too; only the port in the link changed.
    let token = |flow: &serde_json::Value| {
        flow["preview"]["preview_url"].as_str().unwrap().rsplit("preview%2F").next().unwrap().to_owned()
    };
    assert_eq!(token(&after), token(&before));
    // Seeds are written once, not again at the second start.
    let (_, list) = json(client().get(server.flows(WABA1, "")).send().await.unwrap()).await;
    assert_eq!(list["count"], 5, "{list}");
}

#[tokio::test]
async fn concurrent_creates_with_one_name_make_one_flow() {
    let server = start(sandbox_config("concurrent")).await;
    let url = server.flows(WABA1, "");
    let attempts = (0..16).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            let body = json!({"name": "race", "categories": ["OTHER"]});
            json(client().post(url).json(&body).send().await.unwrap()).await
        })
    });
    let mut created = 0;
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        if status == 200 {
            created += 1;
        } else {
            assert!(assert_envelope(status, &body, 400).contains("Flow name is not unique"), "{body}");
            assert_eq!(body["meta"]["details"]["error"]["code"], 100);
        }
    }
    assert_eq!(created, 1);
    let (_, list) = json(client().get(server.flows(WABA1, "?fields=name")).send().await.unwrap()).await;
    let races = list["flows"].as_array().unwrap().iter().filter(|flow| flow["name"] == "race").count();
    assert_eq!(races, 1);
    // Different names at once all succeed.
    let distinct = (0..12).map(|n| {
        let url = url.clone();
        tokio::spawn(async move {
            let body = json!({"name": format!("parallel-{n}"), "categories": ["OTHER"]});
            client().post(url).json(&body).send().await.unwrap().status().as_u16()
        })
    });
    for attempt in distinct {
        assert_eq!(attempt.await.unwrap(), 200);
    }
}

#[tokio::test]
async fn a_full_disk_is_a_clear_507_and_nothing_is_half_written() {
    let server = start(sandbox_config("full")).await;
    let sandbox = server.state.sandbox().unwrap();
    let size = std::fs::metadata(sandbox.store().path()).unwrap().len();
    // Room for nothing more than what is there.
    sandbox.store().cap_size(size).unwrap();
    let big =
        format!("{{\"version\": \"7.3\", \"screens\": [], \"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let url = server.flows(WABA1, "/1287346519273403/assets");
    let (status, body) =
        json(client().post(url).multipart(flow_json_form(big.into_bytes())).send().await.unwrap()).await;
    let message = assert_envelope(status, &body, 507);
    assert!(message.contains("full") && message.contains("Nothing was saved"), "{message}");
    // The flow is as it was: its flow.json, version and status untouched.
    let (_, flow) = json(
        client()
            .get(server.flows(WABA1, "/1287346519273403?fields=status,json_version,validation_errors"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (flow["status"].as_str(), flow["json_version"].as_str()),
        (Some("DRAFT"), Some("7.3")),
        "{flow}"
    );
    assert_eq!(flow["validation_errors"], json!([]));
    // Reads still work, and with room again, writes do too.
    sandbox.store().cap_size(1 << 30).unwrap();
    let small = flow_json_form(flow_model::templates::APPOINTMENT_BOOKING.into());
    let response =
        client().post(server.flows(WABA1, "/1287346519273403/assets")).multipart(small).send().await.unwrap();
    assert_eq!(response.status(), 200);
}
