//! The app's Partner API client (`flowsmith::api`) against a real `flowsmith serve` sandbox:
//! every operation, its success and its errors, through the same code that builds the requests
//! and reads the answers in the browser (only the transport differs: native HTTP here, fetch
//! there; the browser's is driven by the end-to-end tests).
use bytes::Bytes;
use flowsmith::api::{
    Account, ApiError, Client, ErrorKind, FlowUpdate, HttpRequest, HttpResponse, NewFlow, Transport, Via,
};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::support;

/// The client's requests over native HTTP/1.1.
#[derive(Clone)]
pub struct Native(HyperClient<HttpConnector, Full<Bytes>>);

impl Native {
    /// A client with its own connection pool.
    pub fn new() -> Self {
        Native(HyperClient::builder(TokioExecutor::new()).build_http())
    }
}

impl Transport for Native {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, String> {
        let mut builder = http::Request::builder().method(request.method.as_str()).uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let body = Full::new(Bytes::from(request.body.unwrap_or_default()));
        let response = self
            .0
            .request(builder.body(body).map_err(|e| e.to_string())?)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok(HttpResponse { status, body: String::from_utf8_lossy(&body).into_owned() })
    }
}

const CLINIC: &str = "sandbox1WA";
const SHOP: &str = "sandbox2WA";
const SIGN_UP_DEPRECATED: &str = "1287346519273401";
const BOOKING_PUBLISHED: &str = "1287346519273402";
const LEAD_GEN_DRAFT: &str = "1287346519273403";
const VALID: &str = flow_model::templates::APPOINTMENT_BOOKING;

fn account(waba: &str) -> Account {
    Account { partner_id: "sandboxPA".into(), waba_id: waba.into() }
}

fn kind<T: std::fmt::Debug>(result: Result<T, ApiError>) -> (ErrorKind, Option<u64>, String) {
    let error = result.expect_err("an error");
    (error.kind, error.graph_code(), error.for_people())
}

fn new_flow(name: &str) -> NewFlow {
    NewFlow { name: name.into(), categories: vec!["OTHER".into()], clone_flow_id: None, endpoint_uri: None }
}

#[tokio::test]
#[ignore = "needs the flowsmith binary: run by `cargo xtask test`"]
async fn every_operation_against_the_sandbox_success_and_errors() {
    let (_server, url) = support::start_server();
    let client = Client::new(Native::new(), Via::Server { origin: url.clone() });
    let clinic = account(CLINIC);

    let config = client.server_config().await.expect("config");
    assert!(config.is_sandbox());
    assert_eq!(config.partner_id.as_deref(), Some("sandboxPA"));

    // Channel listing: the partner's accounts; a foreign partner; a malformed id never sent.
    let accounts = client.waba_accounts("sandboxPA").await.expect("accounts");
    let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, [CLINIC, SHOP]);
    assert!(accounts.iter().all(|a| !a.name.is_empty()));
    let (k, _, text) = kind(client.waba_accounts("otherPA").await);
    assert_eq!(k, ErrorKind::Forbidden, "{text}");
    assert!(text.contains("partner otherPA"), "{text}");
    assert_eq!(kind(client.waba_accounts("../x").await).0, ErrorKind::Refused);

    // List and get.
    let flows = client.list_flows(&clinic).await.expect("list");
    assert_eq!(flows.len(), 4);
    let lead = flows.iter().find(|f| f.id == LEAD_GEN_DRAFT).expect("lead-gen");
    assert_eq!((lead.name.as_str(), lead.status.as_str()), ("lead-gen", "DRAFT"));
    assert!(lead.json_version.is_some() && !lead.categories.is_empty());
    let (k, _, text) = kind(client.list_flows(&account("nowhereWA")).await);
    assert_eq!(k, ErrorKind::NotFound, "{text}");
    let got = client.get_flow(&clinic, BOOKING_PUBLISHED).await.expect("get");
    assert_eq!(got.status, "PUBLISHED");
    assert_eq!(kind(client.get_flow(&clinic, "999").await).0, ErrorKind::NotFound);

    // Create; a duplicate name is Meta's code 100.
    let id = client.create_flow(&clinic, &new_flow("client test")).await.expect("create");
    assert_eq!(client.get_flow(&clinic, &id).await.expect("created").status, "DRAFT");
    let (k, code, _) = kind(client.create_flow(&clinic, &new_flow("client test")).await);
    assert_eq!((k, code), (ErrorKind::Meta, Some(100)));
    let no_category = NewFlow { categories: Vec::new(), ..new_flow("x") };
    assert_eq!(kind(client.create_flow(&clinic, &no_category).await).0, ErrorKind::WrongPayload);

    // Update metadata; a deprecated flow cannot change (139001).
    let update =
        FlowUpdate { name: "client test 2".into(), categories: vec!["SURVEY".into()], endpoint_uri: None };
    client.update_flow(&clinic, &id, &update).await.expect("update");
    let updated = client.get_flow(&clinic, &id).await.expect("updated");
    assert_eq!(
        (updated.name.as_str(), updated.categories.as_slice()),
        ("client test 2", ["SURVEY".to_owned()].as_slice())
    );
    let (k, code, _) = kind(client.update_flow(&clinic, SIGN_UP_DEPRECATED, &update).await);
    assert_eq!((k, code), (ErrorKind::Meta, Some(139001)));

    // Upload: valid, with Meta's validation errors, refused, too large.
    assert_eq!(client.flow_json(&clinic, &id).await.expect("no json yet"), None);
    assert!(client.upload_flow_json(&clinic, &id, VALID).await.expect("upload").is_empty());
    assert_eq!(client.flow_json(&clinic, &id).await.expect("download").as_deref(), Some(VALID));
    let assets = client.assets(&clinic, &id).await.expect("assets");
    assert_eq!(assets.len(), 1);
    assert_eq!(assets[0].asset_type, "FLOW_JSON");
    let broken = VALID.replacen("\"TextInput\"", "\"TextInputs\"", 1);
    let errors = client.upload_flow_json(&clinic, LEAD_GEN_DRAFT, &broken).await.expect("upload broken");
    assert!(!errors.is_empty());
    assert!(errors[0].line_start.is_some() && !errors[0].pointers.is_empty(), "{errors:?}");
    assert_eq!(
        client.get_flow(&clinic, LEAD_GEN_DRAFT).await.expect("get").validation_errors.len(),
        errors.len()
    );
    let (k, code, _) = kind(client.upload_flow_json(&clinic, SIGN_UP_DEPRECATED, VALID).await);
    assert_eq!((k, code), (ErrorKind::Meta, Some(139001)));
    let huge =
        format!("{{\"version\": \"7.3\", \"screens\": [], \"x\": \"{}\"}}", "a".repeat(10 * 1024 * 1024));
    let (k, _, text) = kind(client.upload_flow_json(&clinic, &id, &huge).await);
    assert_eq!(k, ErrorKind::Refused);
    assert!(text.contains("at most 10 MB"), "{text}");
    assert_eq!(kind(client.assets(&clinic, "999").await).0, ErrorKind::NotFound);

    // Preview: the same link until a new one is asked for.
    let first = client.preview(&clinic, &id, false).await.expect("preview");
    assert!(first.preview_url.contains("/embed?flow="), "{}", first.preview_url);
    assert!(!first.expires_at.is_empty());
    assert_eq!(client.preview(&clinic, &id, false).await.expect("again").preview_url, first.preview_url);
    assert_ne!(client.preview(&clinic, &id, true).await.expect("new").preview_url, first.preview_url);
    assert_eq!(kind(client.preview(&clinic, "999", false).await).0, ErrorKind::NotFound);

    // Publish: with errors refused (139002), then fine; a published flow again (139002).
    let (k, code, text) = kind(client.publish(&clinic, LEAD_GEN_DRAFT).await);
    assert_eq!((k, code), (ErrorKind::Meta, Some(139002)), "{text}");
    client.publish(&clinic, &id).await.expect("publish");
    assert_eq!(client.get_flow(&clinic, &id).await.expect("published").status, "PUBLISHED");
    assert_eq!(kind(client.publish(&clinic, &id).await).1, Some(139002));

    // Clone: the copy has the source's flow.json; an unknown source is code 100.
    let clone = NewFlow { clone_flow_id: Some(id.clone()), ..new_flow("client test clone") };
    let copy = client.create_flow(&clinic, &clone).await.expect("clone");
    assert_eq!(client.flow_json(&clinic, &copy).await.expect("copy json").as_deref(), Some(VALID));
    let bad_clone = NewFlow { clone_flow_id: Some("999".into()), ..new_flow("client test clone 2") };
    assert_eq!(kind(client.create_flow(&clinic, &bad_clone).await).1, Some(100));

    // Delete: drafts only (139004 for a published flow).
    assert_eq!(kind(client.delete_flow(&clinic, &id).await).1, Some(139004));
    client.delete_flow(&clinic, &copy).await.expect("delete");
    assert_eq!(kind(client.get_flow(&clinic, &copy).await).0, ErrorKind::NotFound);

    // Deprecate: published flows only (139003 for a never-published draft).
    assert_eq!(kind(client.deprecate(&clinic, LEAD_GEN_DRAFT).await).1, Some(139003));
    client.deprecate(&clinic, &id).await.expect("deprecate");
    assert_eq!(client.get_flow(&clinic, &id).await.expect("deprecated").status, "DEPRECATED");

    // Migrate: one copied, one name clash; the source cannot be the destination; a foreign source.
    let names = ["contact-us".to_owned(), "appointment-booking".to_owned()];
    let migration = client.migrate(&clinic, SHOP, Some(&names)).await.expect("migrate");
    assert_eq!(migration.migrated_flows.len(), 1);
    assert_eq!(migration.migrated_flows[0].source_name, "contact-us");
    assert!(!migration.migrated_flows[0].migrated_id.is_empty());
    assert_eq!(migration.failed_flows.len(), 1);
    assert_eq!(migration.failed_flows[0].source_name, "appointment-booking");
    assert_eq!(migration.failed_flows[0].error_code, "4233041");
    assert_eq!(kind(client.migrate(&clinic, CLINIC, None).await).0, ErrorKind::WrongPayload);
    assert_eq!(kind(client.migrate(&clinic, "otherWA", None).await).0, ErrorKind::Forbidden);
}

#[tokio::test]
#[ignore = "needs the flowsmith binary: run by `cargo xtask test`"]
async fn direct_mode_sends_the_key_and_a_wrong_key_or_no_server_is_said_plainly() {
    let (server, url) = support::start_server();
    let direct = |key: &str| {
        Client::new(Native::new(), Via::Direct { base: format!("{url}/sandbox"), key: key.to_owned() })
    };
    let flows = direct("sandbox").list_flows(&account(CLINIC)).await.expect("direct list");
    assert_eq!(flows.len(), 4);
    // The download link of an asset is fetched directly in this mode.
    let text = direct("sandbox").flow_json(&account(CLINIC), LEAD_GEN_DRAFT).await.expect("direct download");
    assert!(text.is_some_and(|text| text.contains("\"screens\"")));
    let (k, _, text) = kind(direct("expired").list_flows(&account(CLINIC)).await);
    assert_eq!(k, ErrorKind::Unauthorized);
    assert!(text.contains("Invalid api key") && text.contains("expired"), "{text}");
    assert!(!text.contains("sandbox\""), "no key in messages: {text}");
    drop(server);
    let gone = Client::new(Native::new(), Via::Server { origin: url });
    let (k, _, text) = kind(gone.list_flows(&account(CLINIC)).await);
    assert_eq!(k, ErrorKind::Offline);
    assert!(text.starts_with("The server could not be reached"), "{text}");
}
