//! A stand-in of the 360dialog Partner API for benchmarks: answers every request with a small
//! flows list, on 127.0.0.1 and the port given as the first argument (0: a free one), and
//! prints its URL. `BENCHMARKS.md` shows how the proxy is measured against it.
use axum::Router;

const FLOWS: &str = r#"{"flows":[{"id":"1287346519273402","name":"appointment-booking","status":"PUBLISHED","categories":["APPOINTMENT_BOOKING"],"validation_errors":[]}],"count":1,"total":1}"#;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("bench_stub: serving http://{}/", listener.local_addr()?);
    let app = Router::new().fallback(|| async { ([("content-type", "application/json")], FLOWS) });
    axum::serve(listener, app).await
}
