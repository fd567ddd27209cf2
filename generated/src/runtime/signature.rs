//! Signatures payment-link integrations must check: Razorpay's callback redirect and
//! webhooks, and Cashfree's webhooks. All are HMAC-SHA256; verification compares in constant
//! time and works on the raw bytes received (verify before parsing).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::secret::Secret;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &Secret, parts: &[&[u8]]) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(key.expose().as_bytes()).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    let pairs = text.trim().as_bytes().chunks(2);
    pairs
        .map(|pair| match pair {
            [high, low] => Some((hex_digit(*high)? << 4) | hex_digit(*low)?),
            _ => None,
        })
        .collect()
}

fn hex_digit(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Razorpay signatures (hex-encoded HMAC-SHA256).
pub mod razorpay {
    use super::*;

    fn callback_message(
        link_id: &str,
        reference_id: &str,
        status: &str,
        payment_id: &str,
    ) -> String {
        format!("{link_id}|{reference_id}|{status}|{payment_id}")
    }

    /// The `razorpay_signature` Razorpay adds to a Payment Link's callback URL:
    /// HMAC-SHA256 over `link_id|reference_id|status|payment_id`, keyed with the API key
    /// secret. The values are the callback's `razorpay_payment_link_id`,
    /// `razorpay_payment_link_reference_id`, `razorpay_payment_link_status` and
    /// `razorpay_payment_id` query parameters.
    pub fn payment_link_callback_signature(
        key_secret: &Secret,
        link_id: &str,
        reference_id: &str,
        status: &str,
        payment_id: &str,
    ) -> String {
        let message = callback_message(link_id, reference_id, status, payment_id);
        to_hex(
            &mac(key_secret, &[message.as_bytes()])
                .finalize()
                .into_bytes(),
        )
    }

    /// Whether `signature` (hex) is the callback's true signature; constant time.
    pub fn verify_payment_link_callback(
        key_secret: &Secret,
        link_id: &str,
        reference_id: &str,
        status: &str,
        payment_id: &str,
        signature: &str,
    ) -> bool {
        let message = callback_message(link_id, reference_id, status, payment_id);
        from_hex(signature).is_some_and(|s| {
            mac(key_secret, &[message.as_bytes()])
                .verify_slice(&s)
                .is_ok()
        })
    }

    /// The `X-Razorpay-Signature` of a webhook: HMAC-SHA256 over the raw body, keyed with
    /// the webhook secret (not the API key secret).
    pub fn webhook_signature(webhook_secret: &Secret, raw_body: &[u8]) -> String {
        to_hex(&mac(webhook_secret, &[raw_body]).finalize().into_bytes())
    }

    /// Whether `signature` (the `X-Razorpay-Signature` header) signs `raw_body`; constant
    /// time. Verify the bytes as received, before parsing them.
    pub fn verify_webhook(webhook_secret: &Secret, raw_body: &[u8], signature: &str) -> bool {
        from_hex(signature)
            .is_some_and(|s| mac(webhook_secret, &[raw_body]).verify_slice(&s).is_ok())
    }
}

/// Cashfree signatures (base64-encoded HMAC-SHA256).
pub mod cashfree {
    use super::*;

    /// The `x-webhook-signature` of a webhook: HMAC-SHA256 over the `x-webhook-timestamp`
    /// header followed by the raw body, keyed with the API client secret.
    pub fn webhook_signature(client_secret: &Secret, timestamp: &str, raw_body: &[u8]) -> String {
        let digest = mac(client_secret, &[timestamp.as_bytes(), raw_body])
            .finalize()
            .into_bytes();
        base64::engine::general_purpose::STANDARD.encode(digest)
    }

    /// Whether `signature` (the `x-webhook-signature` header) signs `timestamp` + `raw_body`;
    /// constant time.
    pub fn verify_webhook(
        client_secret: &Secret,
        timestamp: &str,
        raw_body: &[u8],
        signature: &str,
    ) -> bool {
        base64::engine::general_purpose::STANDARD
            .decode(signature.trim())
            .is_ok_and(|s| {
                mac(client_secret, &[timestamp.as_bytes(), raw_body])
                    .verify_slice(&s)
                    .is_ok()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Razorpay's SDK test vector for the Payment Link callback.
    #[test]
    fn razorpay_callback_vector() {
        let secret = Secret::new("EnLs21M47BllR3X8PSFtjtbd");
        let expected = "07ae18789e35093e51d0a491eb9922646f3f82773547e5b0f67ee3f2d3bf7d5b";
        let args = (
            "plink_IH3cNucfVEgV68",
            "TSsd1989",
            "paid",
            "pay_IH3d0ara9bSsjQ",
        );
        assert_eq!(
            razorpay::payment_link_callback_signature(&secret, args.0, args.1, args.2, args.3),
            expected
        );
        assert!(razorpay::verify_payment_link_callback(
            &secret, args.0, args.1, args.2, args.3, expected
        ));
        assert!(razorpay::verify_payment_link_callback(
            &secret,
            args.0,
            args.1,
            args.2,
            args.3,
            &expected.to_uppercase()
        ));
        assert!(!razorpay::verify_payment_link_callback(
            &secret,
            args.0,
            args.1,
            "cancelled",
            args.3,
            expected
        ));
        assert!(!razorpay::verify_payment_link_callback(
            &Secret::new("other"),
            args.0,
            args.1,
            args.2,
            args.3,
            expected
        ));
        assert!(!razorpay::verify_payment_link_callback(
            &secret, args.0, args.1, args.2, args.3, "07ae"
        ));
        assert!(!razorpay::verify_payment_link_callback(
            &secret, args.0, args.1, args.2, args.3, "zz"
        ));
    }

    /// Razorpay's SDK test vector for webhooks.
    #[test]
    fn razorpay_webhook_vector() {
        let secret = Secret::new("123456");
        let body = br#"{"a":1,"b":2,"c":{"d":3}}"#;
        let expected = "2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc";
        assert_eq!(razorpay::webhook_signature(&secret, body), expected);
        assert!(razorpay::verify_webhook(&secret, body, expected));
        // One byte of whitespace changes the signature: verify the raw bytes, not re-serialized JSON.
        assert!(!razorpay::verify_webhook(
            &secret,
            br#"{"a":1, "b":2,"c":{"d":3}}"#,
            expected
        ));
    }

    /// No published Cashfree vector is at hand; this one was computed independently with
    /// Python's `hmac` and `base64` modules.
    #[test]
    fn cashfree_webhook_vector() {
        let secret = Secret::new("cfsk_ma_test_secret");
        let body = br#"{"data":{"link_id":"my_link_id"},"type":"PAYMENT_LINK_EVENT"}"#;
        let expected = "NsBL42W0d5WMwD+51uY0WnA3J5qb2RFcQqp3CKqSm5Y=";
        assert_eq!(
            cashfree::webhook_signature(&secret, "1700000000123", body),
            expected
        );
        assert!(cashfree::verify_webhook(
            &secret,
            "1700000000123",
            body,
            expected
        ));
        assert!(!cashfree::verify_webhook(
            &secret,
            "1700000000124",
            body,
            expected
        ));
        assert!(!cashfree::verify_webhook(
            &secret,
            "1700000000123",
            body,
            "not base64!"
        ));
    }
}
