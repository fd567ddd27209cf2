//! Shapes that real responses have and the docs do not promise: Razorpay's PHP backend sends
//! `[]` or `null` for empty objects, vendors add enum values, and Cashfree amounts are exact
//! decimals with offsets on timestamps.

use serde_json::Value;

/// Reads `value` as `T` the way users do and the way the clients do (`decode_json`, which
/// refuses structs read from arrays at any depth), and writes it back unchanged.
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"));
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    let text = value.to_string();
    let decoded: T =
        paylinks::runtime::http::decode_json(text.as_bytes(), paylinks::runtime::http::Shape::Any)
            .unwrap_or_else(|e| panic!("the client path refused {value}: {e}"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
    typed
}

#[cfg(feature = "razorpay")]
mod razorpay {
    use super::*;
    use paylinks::razorpay::{
        ErrorResponse, PaymentLink, PaymentLinkCustomer, PaymentLinkNotes, PaymentLinkPayment,
        PaymentLinkReminders, PaymentLinkStatus,
    };
    use paylinks::runtime::UnixTimestamp;
    use serde_json::json;

    fn link(extra: Value) -> Value {
        let mut base = json!({
            "id": "plink_ExjpAUN3gVHrPJ", "amount": 1000, "currency": "INR", "status": "created",
            "short_url": "https://rzp.io/i/nxrHnLJ", "created_at": 1591097057
        });
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base
    }

    #[test]
    fn notes_may_be_an_object_an_empty_array_null_or_absent() {
        let object: PaymentLink =
            round_trip(link(json!({"notes": {"policy_name": "Jeevan Bima"}})));
        match object.notes {
            Some(Some(PaymentLinkNotes::Notes(notes))) => {
                assert_eq!(notes["policy_name"], "Jeevan Bima")
            }
            other => panic!("{other:?}"),
        }
        let empty: PaymentLink = round_trip(link(json!({"notes": []})));
        assert!(matches!(empty.notes, Some(Some(PaymentLinkNotes::EmptyArray(v))) if v.is_empty()));
        let null: PaymentLink = round_trip(link(json!({"notes": null})));
        assert_eq!(null.notes, Some(None));
        let absent: PaymentLink = round_trip(link(json!({})));
        assert_eq!(absent.notes, None);
        // An empty object is still an object.
        let braces: PaymentLink = round_trip(link(json!({"notes": {}})));
        assert!(matches!(braces.notes, Some(Some(PaymentLinkNotes::Notes(n))) if n.is_empty()));
    }

    #[test]
    fn customer_may_be_an_empty_array_or_lack_a_name() {
        let empty: PaymentLink = round_trip(link(json!({"customer": []})));
        assert!(matches!(
            empty.customer,
            Some(PaymentLinkCustomer::EmptyArray(_))
        ));
        let unnamed: PaymentLink =
            round_trip(link(json!({"customer": {"contact": "+919000090000"}})));
        match unnamed.customer {
            Some(PaymentLinkCustomer::Customer(c)) => {
                assert_eq!(c.name, None);
                assert_eq!(c.contact.as_deref(), Some("+919000090000"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn payments_may_be_null_empty_or_carry_only_five_fields() {
        let null: PaymentLink = round_trip(link(json!({"payments": null})));
        assert_eq!(null.payments, Some(None));
        let empty: PaymentLink = round_trip(link(json!({"payments": []})));
        assert_eq!(empty.payments, Some(Some(vec![])));
        let paid: PaymentLink = round_trip(link(json!({"payments": [{
            "amount": 1000, "created_at": 1591097270, "method": "upi",
            "payment_id": "pay_ExjpxRwhbl2aXS", "status": "captured"
        }]})));
        let payments: Vec<PaymentLinkPayment> = paid.payments.flatten().unwrap();
        assert_eq!(payments[0].plink_id, None);
        assert_eq!(payments[0].method.as_str(), "upi");
    }

    #[test]
    fn reminders_may_be_an_empty_array_or_a_status_object() {
        let empty: PaymentLink = round_trip(link(json!({"reminders": []})));
        assert!(matches!(
            empty.reminders,
            Some(PaymentLinkReminders::EmptyArray(_))
        ));
        for status in ["in_progress", "failed"] {
            let object: PaymentLink = round_trip(link(json!({"reminders": {"status": status}})));
            match object.reminders {
                Some(PaymentLinkReminders::ReminderState(r)) => {
                    assert_eq!(r.status.as_deref(), Some(status))
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn unknown_enum_values_round_trip() {
        let link: PaymentLink = round_trip(link(json!({"status": "refunded"})));
        assert_eq!(link.status, PaymentLinkStatus::Other("refunded".into()));
        assert_eq!(link.status.to_string(), "refunded");
        let known: PaymentLinkStatus = round_trip(json!("partially_paid"));
        assert_eq!(known, PaymentLinkStatus::PartiallyPaid);
    }

    #[test]
    fn unset_timestamps_are_zero_and_amounts_are_integer_subunits() {
        let link: PaymentLink = round_trip(link(json!({"cancelled_at": 0, "amount_paid": 500})));
        assert_eq!(link.cancelled_at, Some(UnixTimestamp::UNSET));
        assert_eq!(
            link.created_at.to_datetime().unwrap().timestamp(),
            1591097057
        );
        let paise: i64 = link.amount;
        assert_eq!(paise, 1000);
    }

    #[test]
    fn error_bodies_with_only_code_and_description_and_na_values() {
        let minimal: ErrorResponse = round_trip(
            json!({"error": {"code": "BAD_REQUEST_ERROR", "description": "The id provided does not exist"}}),
        );
        assert_eq!(minimal.error.field, None);
        let na: ErrorResponse = round_trip(json!({"error": {
            "code": "SERVER_ERROR", "description": "x", "source": "NA", "step": "NA", "reason": "NA", "metadata": {}
        }}));
        assert_eq!(na.error.source.as_deref(), Some("NA"));
        let unknown: ErrorResponse =
            round_trip(json!({"error": {"code": "NEW_ERROR", "description": "x"}}));
        assert_eq!(unknown.error.code.as_str(), "NEW_ERROR");
    }
}

#[cfg(feature = "cashfree")]
mod cashfree {
    use super::*;
    use paylinks::cashfree::{
        CreateLinkRequest, LinkCustomerDetailsEntity, LinkEntity, LinkEntityLinkStatus,
    };
    use paylinks::runtime::JsonDecimal;
    use serde_json::json;

    #[test]
    fn amounts_are_exact_decimals_on_the_wire_as_numbers() {
        let entity: LinkEntity = serde_json::from_str(r#"{"link_amount": 100.55, "link_amount_paid": 0.1, "link_minimum_partial_amount": 20}"#).unwrap();
        let amount: Option<JsonDecimal> = entity.link_amount;
        assert_eq!(amount.unwrap().to_string(), "100.55");
        let sum =
            entity.link_amount_paid.unwrap().get() + "0.2".parse::<JsonDecimal>().unwrap().get();
        assert_eq!(sum.to_string(), "0.3");
        assert_eq!(
            serde_json::to_string(&entity).unwrap(),
            r#"{"link_amount":100.55,"link_amount_paid":0.1,"link_minimum_partial_amount":20}"#
        );
    }

    #[test]
    fn link_status_is_typed_and_open_ended() {
        let active: LinkEntity = round_trip(json!({"link_status": "PARTIALLY_PAID"}));
        assert_eq!(
            active.link_status,
            Some(LinkEntityLinkStatus::PartiallyPaid)
        );
        let unknown: LinkEntity = round_trip(json!({"link_status": "ON_HOLD"}));
        assert_eq!(
            unknown.link_status,
            Some(LinkEntityLinkStatus::Other("ON_HOLD".into()))
        );
    }

    #[test]
    fn timestamps_keep_their_offset() {
        let entity: LinkEntity =
            round_trip(json!({"link_expiry_time": "2021-10-14T15:04:05+05:30"}));
        let expiry = entity.link_expiry_time.unwrap();
        assert_eq!(expiry.offset().local_minus_utc(), 19800);
        assert!(
            serde_json::from_value::<LinkEntity>(json!({"link_expiry_time": "tomorrow"})).is_err()
        );
    }

    #[test]
    fn unknown_response_fields_are_ignored() {
        let entity: LinkEntity =
            serde_json::from_value(json!({"link_id": "a", "link_qrcode": "data:..."})).unwrap();
        assert_eq!(entity.link_id.as_deref(), Some("a"));
    }

    #[test]
    fn requests_serialize_only_what_was_set() {
        let request = CreateLinkRequest::new(
            "my_link_id",
            100,
            "INR",
            "Payment for PlayStation 11",
            LinkCustomerDetailsEntity::new("9999999999"),
        )
        .with_link_partial_payments(true)
        .with_link_minimum_partial_amount("20.50".parse::<JsonDecimal>().unwrap());
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "link_id": "my_link_id", "link_amount": 100, "link_currency": "INR",
                "link_purpose": "Payment for PlayStation 11",
                "customer_details": {"customer_phone": "9999999999"},
                "link_partial_payments": true, "link_minimum_partial_amount": 20.5
            })
        );
    }
}
