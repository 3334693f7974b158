//! A stand-in of the 360dialog Partner API for benchmarks: answers every request with a small
//! flows list, on 127.0.0.1 and the port given as the first argument (0: a free one), and
//! prints its URL. A second argument delays every answer by that many milliseconds, as a
//! remote API does (without it the stub does no work at all, which is the worst case for the
//! proxy's share of the CPU). `cargo xtask bench server` measures the proxy against it. A third
//! argument `graph` makes it Meta's Graph API instead (the same flow in a one-page `data`
//! listing), for `cargo xtask bench graph`.
use std::time::Duration;

use axum::Router;

const FLOWS: &str = r#"{"flows":[{"id":"1287346519273402","name":"appointment-booking","status":"PUBLISHED","categories":["APPOINTMENT_BOOKING"],"validation_errors":[]}],"count":1,"total":1}"#;
const GRAPH_FLOWS: &str = r#"{"data":[{"id":"1287346519273402","name":"appointment-booking","status":"PUBLISHED","categories":["APPOINTMENT_BOOKING"],"validation_errors":[]}],"paging":{"cursors":{"before":"QVFI","after":"QVFI"}}}"#;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(0);
    let delay = Duration::from_millis(args.next().and_then(|arg| arg.parse().ok()).unwrap_or(0));
    let answer = if args.next().as_deref() == Some("graph") { GRAPH_FLOWS } else { FLOWS };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("bench_stub: serving http://{}/", listener.local_addr()?);
    let app = Router::new().fallback(move || async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        ([("content-type", "application/json")], answer)
    });
    axum::serve(listener, app).await
}
