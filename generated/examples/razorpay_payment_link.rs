//! Create, fetch and cancel a Razorpay Payment Link, and handle each kind of error.
//!
//! `cargo run -p paylinks --example razorpay_payment_link` runs against a local stub server
//! that answers as Razorpay does, so it needs no account. With `RAZORPAY_KEY_ID` and
//! `RAZORPAY_KEY_SECRET` set (test-mode keys), it calls Razorpay.

#[path = "../tests/support/stub.rs"]
mod stub;

use paylinks::razorpay::client::FetchPaymentLinkError;
use paylinks::razorpay::{
    CallbackMethod, Client, CreatePaymentLinkRequest, Credentials, Customer, Environment, Notify,
};
use paylinks::runtime::http::Error;
use paylinks::runtime::UnixTimestamp;
use serde_json::json;
use stub::{Reply, Stub};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let link = |status: &str| {
        json!({"id": "plink_ExjpAUN3gVHrPJ", "amount": 1000, "amount_paid": 0, "currency": "INR", "status": status,
               "short_url": "https://rzp.io/i/nxrHnLJ", "created_at": 1591097057, "reference_id": "TS1989",
               "payments": null, "reminders": [], "notes": {"policy_name": "Jeevan Bima"}, "customer": {"contact": "+919000090000"}})
    };
    let (environment, credentials, _stub) = match (
        std::env::var("RAZORPAY_KEY_ID"),
        std::env::var("RAZORPAY_KEY_SECRET"),
    ) {
        (Ok(id), Ok(secret)) => {
            println!("calling Razorpay");
            (Environment::Api, Credentials::basic_auth(id, secret), None)
        }
        _ => {
            let stub = Stub::start(vec![
                Reply::json(200, link("created")),
                Reply::json(200, link("created")),
                Reply::json(200, link("cancelled")),
                Reply::json(400, json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "The id provided does not exist",
                                                  "source": "NA", "step": "NA", "reason": "NA", "metadata": {}}})),
            ])
            .await;
            println!("calling a local stub at {} (set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET for Razorpay)", stub.url());
            (
                Environment::Custom(stub.url()),
                Credentials::basic_auth("rzp_test_stub", "stub_secret"),
                Some(stub),
            )
        }
    };
    let client = Client::new(environment, credentials)?;

    let in_a_week = UnixTimestamp::from_secs(chrono::Utc::now().timestamp() + 7 * 86_400);
    let request = CreatePaymentLinkRequest::new(1000)
        .with_currency("INR")
        .with_description("Payment for policy no #23456")
        .with_customer(
            Customer::new()
                .with_name("Gaurav Kumar")
                .with_contact("+919000090000"),
        )
        .with_notify(Notify::new().with_sms(true))
        .with_expire_by(in_a_week)
        .with_callback_url("https://example-callback-url.com/")
        .with_callback_method(CallbackMethod::Get);
    let created = client.create_payment_link(&request).await?;
    println!(
        "created {} ({}) at {}; {} paise",
        created.body.id, created.body.status, created.body.short_url, created.body.amount
    );

    let fetched = client.fetch_payment_link(&created.body.id).await?;
    let paid = fetched.body.payments.flatten().unwrap_or_default().len();
    println!(
        "fetched {}: {} payment(s), status {}",
        fetched.body.id, paid, fetched.body.status
    );

    let cancelled = client.cancel_payment_link(&created.body.id).await?;
    println!("cancelled: status {}", cancelled.body.status);

    // Razorpay answers an unknown id with 400, not 404.
    match client.fetch_payment_link("plink_doesnotexist").await {
        Err(Error::Api {
            error: FetchPaymentLinkError::BadRequest(e),
            meta,
        }) => {
            println!(
                "{}: {} ({})",
                meta.status, e.error.description, e.error.code
            )
        }
        Err(Error::UnexpectedStatus(raw)) => {
            println!("undocumented status {}: {}", raw.status(), raw.body_text())
        }
        Err(Error::Timeout) => println!("timed out; a GET is safe to repeat"),
        Err(other) => println!("failed: {other}"),
        Ok(response) => println!("unexpectedly found {}", response.body.id),
    }

    // A UPI link in dollars is refused before anything is sent.
    let invalid = CreatePaymentLinkRequest::new(1000)
        .with_upi_link(true)
        .with_currency("USD");
    if let Err(Error::Validation(e)) = client.create_payment_link(&invalid).await {
        for v in &e.violations {
            println!("not sent: {v}");
        }
    }
    Ok(())
}
