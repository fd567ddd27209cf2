//! Create a Cashfree Payment Link, read the response metadata, and handle each kind of error.
//!
//! `cargo run -p paylinks --example cashfree_create_link` runs against a local stub server
//! that answers as Cashfree's sandbox does, so it needs no account. With
//! `CASHFREE_CLIENT_ID` and `CASHFREE_CLIENT_SECRET` set, it calls Cashfree's sandbox.

#[path = "../tests/support/stub.rs"]
mod stub;

use std::time::{SystemTime, UNIX_EPOCH};

use paylinks::cashfree::client::PgCreateLinkError;
use paylinks::cashfree::{
    Client, CreateLinkRequest, Credentials, Environment, LinkCustomerDetailsEntity,
};
use paylinks::runtime::http::{Error, RequestOptions};
use paylinks::runtime::JsonDecimal;
use serde_json::json;
use stub::{Reply, Stub};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let link_id = format!("paylinks_example_{now}");
    let (environment, credentials, _stub) = match (
        std::env::var("CASHFREE_CLIENT_ID"),
        std::env::var("CASHFREE_CLIENT_SECRET"),
    ) {
        (Ok(id), Ok(secret)) => {
            println!("calling Cashfree's sandbox");
            (
                Environment::Sandbox,
                Credentials::client_id_client_secret(id, secret),
                None,
            )
        }
        _ => {
            let stub = Stub::start(vec![
                Reply::json(200, json!({
                    "cf_link_id": 1996567, "link_id": link_id, "link_status": "ACTIVE", "link_currency": "INR",
                    "link_amount": 499.5, "link_amount_paid": 0, "link_purpose": "Annual plan",
                    "link_url": "https://payments-test.cashfree.com/links/o1tf1nvcvjhg",
                    "link_created_at": "2024-05-01T10:00:00+05:30", "link_expiry_time": "2024-05-31T10:00:00+05:30"
                }))
                .header("x-request-id", "example-request-1")
                .header("x-ratelimit-limit", "200")
                .header("x-ratelimit-remaining", "199")
                .header("x-ratelimit-retry", "0")
                .header("x-ratelimit-type", "app_id")
                .header("x-idempotency-replayed", "false"),
                Reply::json(409, json!({"message": "link_id already exists", "code": "link_post_failed", "type": "invalid_request_error"})),
            ])
            .await;
            println!("calling a local stub at {} (set CASHFREE_CLIENT_ID and CASHFREE_CLIENT_SECRET for the sandbox)", stub.url());
            (
                Environment::Custom(stub.url()),
                Credentials::client_id_client_secret("stub_id", "stub_secret"),
                Some(stub),
            )
        }
    };
    let client = Client::new(environment, credentials)?;
    println!("client: {client:?}");

    let request = CreateLinkRequest::new(
        link_id.as_str(),
        "499.50".parse::<JsonDecimal>()?,
        "INR",
        "Annual plan",
        LinkCustomerDetailsEntity::new("9999999999").with_customer_email("john@example.com"),
    );
    // An idempotency key makes the request safe to retry after a timeout or a 5xx.
    let options = RequestOptions::new()
        .with_new_idempotency_key()
        .with_request_id("example-request-1");
    match client.pg_create_link_with(&request, &options).await {
        Ok(response) => {
            let link = &response.body;
            println!(
                "created {:?}: {:?} ({:?})",
                link.link_id, link.link_url, link.link_status
            );
            let meta = &response.meta;
            println!(
                "  status {}, request id {:?}, rate limit {:?}/{:?} ({:?}), replayed {:?}, retries {}",
                meta.status, meta.request_id, meta.rate_limit.remaining, meta.rate_limit.limit, meta.rate_limit.kind,
                meta.idempotency_replayed, meta.retries
            );
        }
        Err(error) => report(error),
    }

    // The same link id again: Cashfree answers 409 Conflict.
    if let Err(error) = client.pg_create_link(&request).await {
        report(error);
    }

    // An invalid request is refused before anything is sent.
    let mut invalid = request.clone();
    invalid.link_id = "not a valid id!".into();
    if let Err(error) = client.pg_create_link(&invalid).await {
        report(error);
    }
    Ok(())
}

/// Every kind of failure a call can have.
fn report(error: Error<PgCreateLinkError>) {
    match error {
        Error::Validation(e) => {
            for v in &e.violations {
                println!("not sent: {v} [rule {}]", v.rule);
            }
        }
        Error::Api { error, meta } => match error {
            PgCreateLinkError::Conflict(e) => {
                println!("conflict ({}): {:?}", meta.status, e.message)
            }
            PgCreateLinkError::TooManyRequests(e) => {
                println!(
                    "rate limited: retry in {:?} s ({:?})",
                    meta.rate_limit.retry_after_secs, e.message
                )
            }
            PgCreateLinkError::Unauthorized(e) => {
                println!("check the credentials: {:?}", e.message)
            }
            other => println!("Cashfree error ({}): {other:?}", meta.status),
        },
        Error::UnexpectedStatus(raw) => {
            println!("undocumented status {}: {}", raw.status(), raw.body_text())
        }
        Error::Decode { response, message } => {
            println!("unexpected body with {}: {message}", response.status())
        }
        Error::Timeout => println!(
            "timed out: the link may or may not exist; retry with the same idempotency key"
        ),
        Error::Transport(e) => println!("could not reach Cashfree: {e}"),
        other => println!("failed: {other}"),
    }
}
