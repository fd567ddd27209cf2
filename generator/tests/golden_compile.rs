//! Compiles every golden `expected.rs` (listed here by hand; `golden.rs` checks the list is
//! complete) and checks that the generated types behave as their specs say.

#![allow(dead_code)]
// As in `generated/src/lib.rs`: identifiers are the vendor's names.
#![allow(uncommon_codepoints, confusable_idents, mixed_script_confusables)]

mod inline_name_collision {
    include!("data/inline_name_collision/expected.rs");
}
mod keyword_collision {
    include!("data/keyword_collision/expected.rs");
}
mod security_kinds {
    include!("data/security_kinds/expected.rs");
}
mod security_optional_and_conflicting {
    include!("data/security_optional_and_conflicting/expected.rs");
}
mod name_overrides {
    include!("data/name_overrides/expected.rs");
}
mod name_collision {
    include!("data/name_collision/expected.rs");
}
mod non_ascii_collision {
    include!("data/non_ascii_collision/expected.rs");
}
mod all_of {
    include!("data/all_of/expected.rs");
}
mod array {
    include!("data/array/expected.rs");
}
mod client_multipart {
    include!("data/client_multipart/expected.rs");
}
mod client_path_templates {
    include!("data/client_path_templates/expected.rs");
}
mod client_query_arrays {
    include!("data/client_query_arrays/expected.rs");
}
mod client_wire_forms {
    include!("data/client_wire_forms/expected.rs");
}
mod client_idempotency {
    include!("data/client_idempotency/expected.rs");
}
mod client_status_ranges {
    include!("data/client_status_ranges/expected.rs");
}
mod client_operations {
    include!("data/client_operations/expected.rs");
}
mod credential_name_collisions {
    include!("data/credential_name_collisions/expected.rs");
}
mod defaults {
    include!("data/defaults/expected.rs");
}
mod descriptions_hostile {
    include!("data/descriptions_hostile/expected.rs");
}
mod descriptions_in_containers {
    include!("data/descriptions_in_containers/expected.rs");
}
mod descriptions {
    include!("data/descriptions/expected.rs");
}
mod enum_names_of_serde_internals {
    include!("data/enum_names_of_serde_internals/expected.rs");
}
mod examples_refs {
    include!("data/examples_refs/expected.rs");
}
mod feature_name_collisions {
    include!("data/feature_name_collisions/expected.rs");
}
mod hostile_names {
    include!("data/hostile_names/expected.rs");
}
mod integer_number_formats {
    include!("data/integer_number_formats/expected.rs");
}
mod keywords_and_digits {
    include!("data/keywords_and_digits/expected.rs");
}
mod limits_exact {
    include!("data/limits_exact/expected.rs");
}
mod map {
    include!("data/map/expected.rs");
}
mod merge_keys {
    include!("data/merge_keys/expected.rs");
}
mod names_confusable_and_repeated {
    include!("data/names_confusable_and_repeated/expected.rs");
}
mod nested_inline_object {
    include!("data/nested_inline_object/expected.rs");
}
mod non_ascii_names {
    include!("data/non_ascii_names/expected.rs");
}
mod operation_name_collisions {
    include!("data/operation_name_collisions/expected.rs");
}
mod parameter_name_collisions {
    include!("data/parameter_name_collisions/expected.rs");
}
mod path_item_refs {
    include!("data/path_item_refs/expected.rs");
}
mod overlay_numeric_status {
    include!("data/overlay_numeric_status/expected.rs");
}
mod warning_default_types {
    include!("data/warning_default_types/expected.rs");
}
mod warning_duplicate_operation_id {
    include!("data/warning_duplicate_operation_id/expected.rs");
}
mod warning_unsupported_constructs {
    include!("data/warning_unsupported_constructs/expected.rs");
}
mod nullable {
    include!("data/nullable/expected.rs");
}
mod one_of {
    include!("data/one_of/expected.rs");
}
mod overlay_update_remove {
    include!("data/overlay_update_remove/expected.rs");
}
mod recursive {
    include!("data/recursive/expected.rs");
}
mod refs {
    include!("data/refs/expected.rs");
}
mod reserved_type_names {
    include!("data/reserved_type_names/expected.rs");
}
mod required_optional {
    include!("data/required_optional/expected.rs");
}
mod servers_names_and_variables {
    include!("data/servers_names_and_variables/expected.rs");
}
mod string_enum {
    include!("data/string_enum/expected.rs");
}
mod validate_keywords {
    include!("data/validate_keywords/expected.rs");
}
mod validate_rules {
    include!("data/validate_rules/expected.rs");
}
mod validate_rules_all_of {
    include!("data/validate_rules_all_of/expected.rs");
}
mod warning_numeric_on_string {
    include!("data/warning_numeric_on_string/expected.rs");
}
mod warning_responses_and_servers {
    include!("data/warning_responses_and_servers/expected.rs");
}

mod warning_unchecked_pattern {
    include!("data/warning_unchecked_pattern/expected.rs");
}
mod warning_security_undeclared {
    include!("data/warning_security_undeclared/expected.rs");
}
mod all_of_scalars {
    include!("data/all_of_scalars/expected.rs");
}
mod refs_deep {
    include!("data/refs_deep/expected.rs");
}
mod warning_vendor_shapes {
    include!("data/warning_vendor_shapes/expected.rs");
}
mod client_body_kinds {
    include!("data/client_body_kinds/expected.rs");
}
mod warning_invalid_keywords {
    include!("data/warning_invalid_keywords/expected.rs");
}
mod warning_overlay_blame_shapes {
    include!("data/warning_overlay_blame_shapes/expected.rs");
}
mod warning_wrong_type_required {
    include!("data/warning_wrong_type_required/expected.rs");
}
mod enum_symbols {
    include!("data/enum_symbols/expected.rs");
}
use serde_json::json;

#[path = "../../generated/tests/support/stub.rs"]
mod stub;

fn round_trip<T>(value: serde_json::Value) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let typed: T = serde_json::from_value(value.clone()).expect("deserializes");
    assert_eq!(serde_json::to_value(&typed).expect("serializes"), value);
    typed
}

#[test]
fn required_fields_are_required_and_unknown_fields_ignored() {
    use required_optional::Order;
    let order: Order =
        serde_json::from_value(json!({"id": "o1", "amount": 5, "extra": 1})).unwrap();
    assert_eq!(order, Order::new("o1", 5));
    assert_eq!(
        serde_json::to_value(&order).unwrap(),
        json!({"id": "o1", "amount": 5})
    );
    assert!(serde_json::from_value::<Order>(json!({"id": "o1"})).is_err());
    let order = order.with_note("gift").with_paid(true);
    round_trip::<Order>(json!({"id": "o1", "amount": 5, "note": "gift", "paid": true}));
    assert_eq!(order.note.as_deref(), Some("gift"));
}

#[test]
fn string_enums_keep_unknown_values() {
    use string_enum::{Clash, LinkStatus};
    assert_eq!(
        round_trip::<LinkStatus>(json!("PARTIALLY_PAID")),
        LinkStatus::PartiallyPaid
    );
    assert_eq!(
        round_trip::<LinkStatus>(json!("REFUNDED")),
        LinkStatus::Other("REFUNDED".into())
    );
    assert_eq!(LinkStatus::from("in-progress"), LinkStatus::InProgress);
    assert_eq!(LinkStatus::InProgress.to_string(), "in-progress");
    assert_eq!(round_trip::<Clash>(json!("other")), Clash::Other);
    assert_eq!(round_trip::<Clash>(json!("")), Clash::Empty);
    assert_eq!(
        round_trip::<Clash>(json!("new")),
        Clash::UnknownValue("new".into())
    );
}

#[test]
fn maps_keep_order_and_extra_properties() {
    // From text: a `serde_json::Value` would already have sorted the keys.
    let notes: map::Notes = serde_json::from_str(r#"{"z": "1", "a": "2"}"#).unwrap();
    assert_eq!(notes.keys().collect::<Vec<_>>(), ["z", "a"]);
    assert_eq!(
        serde_json::to_string(&notes).unwrap(),
        r#"{"z":"1","a":"2"}"#
    );
    let entry = round_trip::<map::Entry>(json!({"kind": "k", "b": 2, "a": 1}));
    assert_eq!(entry.additional_properties.get("b"), Some(&2));
    round_trip::<map::Free>(json!({"x": [1, {"y": null}]}));
}

#[test]
fn nullable_fields_tell_null_from_absent() {
    use nullable::Payment;
    let absent = round_trip::<Payment>(json!({"id": "p", "settled_at": null}));
    assert_eq!(absent.note, None);
    let null =
        round_trip::<Payment>(json!({"id": "p", "settled_at": null, "note": null, "meta": null}));
    assert_eq!(null.note, Some(None));
    assert_eq!(null.meta, Some(None));
    let set = round_trip::<Payment>(
        json!({"id": "p", "settled_at": "now", "note": "n", "refunds": [1, null]}),
    );
    assert_eq!(set.note, Some(Some("n".to_owned())));
    assert_eq!(set.refunds, Some(vec![Some(1), None]));
}

#[test]
fn all_of_merges_parts_and_one_of_tries_each_shape() {
    let link = round_trip::<all_of::Link>(
        json!({"id": "l", "url": "u", "created_at": "2021-10-14T15:04:05+05:30"}),
    );
    assert_eq!(
        link.created_at.unwrap().offset().local_minus_utc(),
        5 * 3600 + 1800
    );
    assert!(serde_json::from_value::<all_of::Link>(json!({"id": "l"})).is_err());
    let _: all_of::Renamed = all_of::Base::new("b");
    assert!(matches!(
        round_trip::<one_of::Method>(json!({"last4": "4242"})),
        one_of::Method::Card(_)
    ));
    assert!(matches!(
        round_trip::<one_of::Method>(json!("cash")),
        one_of::Method::String(_)
    ));
    assert!(matches!(
        round_trip::<one_of::Amount>(json!(5)),
        one_of::Amount::Integer(5)
    ));
}

#[test]
fn recursive_types_nest() {
    use recursive::Node;
    let tree = round_trip::<Node>(
        json!({"name": "a", "parent": {"name": "p"}, "children": [{"name": "c", "children": []}]}),
    );
    assert_eq!(tree.parent.unwrap().name, "p");
    round_trip::<recursive::Odd>(json!({"next": {"next": {"next": {}}}}));
}

#[test]
fn awkward_property_names_keep_their_wire_names() {
    use keywords_and_digits::N3dsResult;
    let value = json!({"type": "t", "self": "s", "3ds": true, "async": false, "crate": "c", "camelCaseName": "n", "x-vendor-id": "v"});
    let typed = round_trip::<N3dsResult>(value);
    assert_eq!(typed.r#type, "t");
    assert_eq!(typed.self_.as_deref(), Some("s"));
    assert_eq!(typed._3ds, Some(true));
    assert_eq!(typed.camel_case_name.as_deref(), Some("n"));
}

#[test]
fn schemas_named_like_std_types_do_not_shadow_them() {
    use reserved_type_names::{OptionType, ResultType, SelfType};
    let value = round_trip::<SelfType>(json!({"vec": [{"value": "v", "next": "self"}]}));
    let first: &OptionType = &value.vec.unwrap()[0];
    assert_eq!(first.next, Some(ResultType::SelfValue));
}

#[test]
fn number_formats_map_to_exact_types() {
    let n = round_trip::<integer_number_formats::Numbers>(json!({
        "small": 1, "large": 9007199254740993_i64, "since": 0, "price": 10.25,
        "at": "2021-10-14T15:04:05+05:30", "day": "2021-10-14", "id": "x"
    }));
    assert_eq!(n.large, Some(9007199254740993));
    assert!(!n.since.unwrap().is_set());
    assert_eq!(n.price.unwrap().to_string(), "10.25");
}

/// (path, rule) pairs of a validation at a fixed time (2025-01-01T00:00:00Z).
fn violations<T: paylinks::runtime::validate::Validate>(value: &T) -> Vec<(String, String)> {
    let now = chrono::DateTime::from_timestamp(1_735_689_600, 0).unwrap();
    match value.validate_at(now) {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations
            .into_iter()
            .map(|v| (v.path, v.rule.as_str().to_owned()))
            .collect(),
    }
}

fn expect(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(p, r)| ((*p).to_owned(), (*r).to_owned()))
        .collect()
}

#[test]
fn every_keyword_is_checked() {
    use validate_keywords::Order;
    let valid: Order = serde_json::from_value(json!({
        "id": "abc1", "amount": 10.5, "email": "a@b.co", "site": "https://x.io", "hook": "https://x.io/h",
        "token": "4dfb9780-46fe-11ee-be56-0242ac120002", "at": "2021-10-14T15:04:05+05:30",
        "quantity": 2, "priority": 3, "ratio": 0.5, "tags": ["a", "b"], "labels": {"k": "v"},
        "notes": {"a": "xyz"}, "status": "open", "customer": {"phone": "9999999999"},
        "lines": [{"sku": "s"}], "payment": {"phone": "9999999999"}, "memo": null
    }))
    .unwrap();
    assert_eq!(violations(&valid), expect(&[]));
    let invalid: Order = serde_json::from_value(json!({
        "id": "AB", "amount": 0.001, "email": "a@b", "site": "x.io", "hook": "http://x.io",
        "token": "nope", "quantity": 99, "priority": 4, "ratio": 1.5,
        "tags": ["a", "a", "toolong"], "labels": {"k": "", "l": "x", "m": "y"},
        "notes": {"a": "long", "b": "x", "c": "y"}, "status": "pending", "customer": {"phone": "12"},
        "lines": [{"sku": ""}], "payment": {"phone": "1"}, "memo": "12345"
    }))
    .unwrap();
    assert_eq!(
        violations(&invalid),
        expect(&[
            ("id", "min_length"),
            ("id", "pattern"),
            ("email", "format"),
            ("site", "format"),
            ("hook", "format"),
            ("token", "format"),
            ("amount", "multiple_of"),
            ("quantity", "exclusive_maximum"),
            ("quantity", "multiple_of"),
            ("priority", "enum"),
            ("ratio", "maximum"),
            ("tags", "unique_items"),
            ("tags[2]", "max_length"),
            ("labels", "max_properties"),
            ("labels[\"k\"]", "min_length"),
            ("notes", "max_properties"),
            ("notes[\"a\"]", "max_length"),
            ("status", "enum"),
            ("customer.phone", "pattern"),
            ("lines[0].sku", "min_length"),
            ("payment.phone", "pattern"),
            ("memo", "max_length"),
        ])
    );
}

/// The rules of every `allOf` part (referenced or inline) hold for the merged struct, as they
/// do for inline objects and union members.
#[test]
fn rules_of_all_of_parts_and_nested_objects_are_checked() {
    use validate_rules_all_of::{Derived, Holder, HolderChoice, HolderChoiceVariant1, HolderInner};
    assert_eq!(violations(&Derived::new().with_a("x")), expect(&[]));
    assert_eq!(
        violations(&Derived::new().with_c(1)),
        expect(&[("a", "a_or_b"), ("d", "d_with_c")])
    );
    assert_eq!(
        violations(&Derived::new().with_b("y").with_c(1).with_d(2)),
        expect(&[])
    );
    let holder = Holder::new()
        .with_inner(HolderInner::new())
        .with_choice(HolderChoice::Object(HolderChoiceVariant1::new()));
    assert_eq!(
        violations(&holder),
        expect(&[("inner.e", "e_or_f"), ("choice.g", "g_or_h")])
    );
}

#[test]
fn every_rule_operator_is_checked() {
    use validate_rules::Link;
    let base = || Link::new(100);
    assert_eq!(violations(&base()), expect(&[]));
    let soon = 1_735_689_600 + 3_600;
    let ok = base()
        .with_minimum_partial(50)
        .with_partial(true)
        .with_currency("KWD")
        .with_callback_url("u")
        .with_callback_method("get")
        .with_expire_by(paylinks::runtime::UnixTimestamp::from_secs(soon))
        .with_note(Some("n".into()));
    assert_eq!(violations(&ok), expect(&[]));
    let bad = {
        let mut link = base()
            .with_minimum_partial(150)
            .with_kind(validate_rules::Kind::Upi)
            .with_currency("KWD")
            .with_callback_url("u")
            .with_expire_by(paylinks::runtime::UnixTimestamp::from_secs(
                1_735_689_600 + 60,
            ))
            .with_expiry(chrono::DateTime::parse_from_rfc3339("2025-01-09T00:00:00Z").unwrap())
            .with_note(Some("n".into()));
        link.amount = 105;
        link
    };
    assert_eq!(
        violations(&bad),
        expect(&[
            ("minimum_partial", "partial_below_amount"),
            ("minimum_partial", "partial_needs_flag"),
            ("currency", "upi_in_inr"),
            ("amount", "even_for_three_decimals"),
            ("callback_method", "callback_pair"),
            ("expire_by", "expire_window"),
            ("expiry", "expiry_soon"),
            ("note", "note_with_partial"),
        ])
    );
    // A null note is not a note.
    assert_eq!(
        violations(
            &base()
                .with_minimum_partial(150)
                .with_partial(true)
                .with_note(None)
        ),
        expect(&[("minimum_partial", "partial_below_amount")])
    );
}

#[test]
fn the_client_sends_what_the_spec_declares() {
    use client_operations::{Client, Credentials, Environment, GetItemError, Item};
    use paylinks::runtime::http::{ClientConfig, Error, InvalidRequest, RetryPolicy};
    assert_eq!(
        Environment::Sandbox.base_url(),
        "https://sandbox.example.com/v1"
    );
    assert_eq!(
        Environment::Server2.base_url(),
        "https://api.example.com/v1"
    );
    let _ = Credentials::basic("user", "password");
    let _ = Credentials::bearer("token");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // Nothing listens on port 9: the client reports a transport error and no panic.
        let config = ClientConfig::default().with_retry(RetryPolicy::none());
        let client = Client::with_config(
            Environment::Custom("http://127.0.0.1:9".into()),
            Credentials::api_key_api_secret("k", "s"),
            config,
        )
        .unwrap();
        let error: Error<GetItemError> = client
            .get_item("a b", None, 10, Some("trace"))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        // A path value that would change the path's shape is refused before sending.
        let error: Error<GetItemError> = client
            .get_item("a/b", None, 10, Some("trace"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidRequest(InvalidRequest::PathParameter { .. })
            ),
            "{error:?}"
        );
        // An invalid body is refused before any connection is tried.
        #[allow(deprecated)]
        let invalid = client
            .put_item("a", None, &Item::new(""))
            .await
            .unwrap_err();
        assert!(matches!(invalid, Error::Validation(_)), "{invalid:?}");
    });
}

#[test]
fn multipart_bodies_are_sent_as_forms() {
    use client_multipart::{Client, Credentials, Environment, Upload, UploadDocType};
    use paylinks::runtime::FilePart;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server =
            stub::Stub::start(vec![stub::Reply::json(200, json!({"status": "IN_REVIEW"}))]).await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::Anonymous).unwrap();
        let upload = Upload::new(
            UploadDocType::Pan,
            FilePart::new("pan.jpeg", b"\xff\xd8jpeg-bytes".to_vec())
                .with_content_type("image/jpeg"),
        )
        .with_pages(2);
        let response = client.upload_document("v 1", &upload).await.unwrap();
        assert_eq!(response.body.status.as_deref(), Some("IN_REVIEW"));
        let sent = &server.requests()[0];
        assert_eq!(
            (sent.method.as_str(), sent.target.as_str()),
            ("POST", "/docs/v%201")
        );
        let content_type = sent.header("content-type").unwrap();
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        let body = String::from_utf8_lossy(&sent.body);
        assert!(body.contains("name=\"doc_type\"\r\n\r\nPAN\r\n"), "{body}");
        assert!(
            body.contains(
                "name=\"file\"; filename=\"pan.jpeg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            ),
            "{body}"
        );
        assert!(sent.body.windows(12).any(|w| w == b"\xff\xd8jpeg-bytes"));
        assert!(
            body.contains("name=\"pages\"\r\n\r\n2\r\n") && !body.contains("name=\"note\""),
            "{body}"
        );
        // Validation still runs first for multipart bodies.
        let invalid =
            Upload::new(UploadDocType::Gst, FilePart::new("a", vec![])).with_note("far too long");
        assert!(matches!(
            client.upload_document("x", &invalid).await.unwrap_err(),
            paylinks::runtime::http::Error::Validation(_)
        ));
        assert_eq!(server.requests().len(), 1);
    });
}

#[test]
fn error_statuses_match_codes_then_ranges_then_default() {
    use client_status_ranges::{GetAError, GetBError};
    use paylinks::runtime::http::ErrorResponses;
    let body = br#"{"detail": "x"}"#;
    assert!(matches!(
        GetAError::decode(404, body),
        Some(Ok(GetAError::NotFound(_)))
    ));
    assert!(matches!(
        GetAError::decode(418, body),
        Some(Ok(GetAError::Status4xx(_)))
    ));
    assert!(matches!(
        GetAError::decode(503, body),
        Some(Ok(GetAError::Default(_)))
    ));
    assert!(matches!(GetAError::decode(503, b"<html>"), Some(Err(_))));
    assert!(matches!(
        GetBError::decode(502, b""),
        Some(Ok(GetBError::Status5xx))
    ));
    assert!(GetBError::decode(404, body).is_none());
}

#[test]
fn array_parameters_follow_their_style() {
    use client_query_arrays::{
        Client, Credentials, Environment, ListItemsFilter, ListItemsFilterN, ListItemsPage, Status,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = stub::Stub::start(vec![stub::Reply::json(200, json!(["a"]))]).await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::Anonymous).unwrap();
        let items = client
            .list_items(
                &[1, 2],
                &["x y", "z"],
                Some(&["id", "name"]),
                Some(&[7, 8]),
                Some(&[Status::Open, Status::Closed]),
                Some(
                    &ListItemsFilter::new()
                        .with_a("b c")
                        .with_n(ListItemsFilterN::new().with_b(2)),
                ),
                Some(&ListItemsPage::new().with_size(10).with_after("x")),
            )
            .await
            .unwrap();
        assert_eq!(items.body, ["a"]);
        client
            .list_items(&[3], &[], None, None, None, None, None)
            .await
            .unwrap();
        let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
        assert_eq!(
            targets,
            [
                // `filter` is deepObject (brackets); `page` is form, exploded (a pair per
                // property).
                "/items/1%2C2?tag=x+y&tag=z&fields=id%2Cname&codes=7+8&status=open%7Cclosed\
                 &filter%5Ba%5D=b+c&filter%5Bn%5D%5Bb%5D=2&after=x&size=10",
                "/items/3",
            ]
        );
    });
}

#[test]
fn idempotency_keys_count_only_where_the_spec_says_they_are_honoured() {
    use client_idempotency::{Client, Credentials, Environment, Kind, Order};
    use paylinks::runtime::http::{ClientConfig, Error, RequestOptions, RetryPolicy};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let config = ClientConfig::default().with_retry(RetryPolicy {
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(2),
            ..RetryPolicy::default()
        });
        let keyed = RequestOptions::new().with_idempotency_key("order-1");
        // (credentials, first status, requests expected)
        let cases = [
            (Credentials::api_key_secret("k", "s"), 502, 2),
            (Credentials::api_key_secret("k", "s"), 503, 1), // replayed-statuses
            (Credentials::api_key_secret("k", "s"), 500, 1),
            (Credentials::partner("p"), 502, 1), // not honoured with this alternative
        ];
        for (credentials, status, expected) in cases {
            let server = stub::Stub::start(vec![
                stub::Reply::raw(status, "text/plain", "busy"),
                stub::Reply::json(200, json!({"id": "o1"})),
            ])
            .await;
            let client = Client::with_config(
                Environment::Custom(server.url()),
                credentials,
                config.clone(),
            )
            .unwrap();
            let _ = client.create_order_with(&Order::new("o1"), &keyed).await;
            assert_eq!(server.requests().len(), expected, "{status}");
        }

        let server = stub::Stub::start(vec![stub::Reply::json(200, json!({"id": "o1"}))]).await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::partner("p")).unwrap();
        // A query enum outside its values is refused; an object where an array is
        // documented is a decode error.
        let refused = client
            .list_items(7, Some(&Kind::from("crayon")))
            .await
            .unwrap_err();
        assert!(matches!(refused, Error::Validation(_)), "{refused:?}");
        assert!(server.requests().is_empty());
        let wrong_shape = client.list_items(7, Some(&Kind::Pen)).await.unwrap_err();
        assert!(
            matches!(wrong_shape, Error::Decode { .. }),
            "{wrong_shape:?}"
        );
        assert_eq!(server.requests()[0].target, "/orders/7/items?kind=pen");
    });
}

#[test]
fn several_parameters_share_a_path_segment() {
    use client_path_templates::{Client, Credentials, Environment};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = stub::Stub::start(vec![stub::Reply::json(200, json!({"size": 3}))]).await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::Anonymous).unwrap();
        client.get_file("report v2", "pdf").await.unwrap();
        let _ = client.get_item(2, "a").await;
        let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
        assert_eq!(targets, ["/files/report%20v2.pdf", "/v2/items/a"]);
    });
}

#[test]
fn servers_keep_distinct_names_and_use_their_variables_defaults() {
    use servers_names_and_variables::{ClientType, Environment};
    assert_eq!(Environment::Live.base_url(), "https://live.example.com");
    assert_eq!(Environment::Live2.base_url(), "https://live2.example.com");
    assert_eq!(
        Environment::Custom2.base_url(),
        "https://anything.example.com"
    );
    assert_eq!(Environment::Server4.base_url(), "https://eu.example.com/v2");
    assert_eq!(Environment::Custom("x".into()).base_url(), "x");
    // The schema named `Client` keeps its own validation.
    use paylinks::runtime::validate::Validate;
    assert!(ClientType::new().with_name("abcd").validate().is_err());
}

#[test]
fn limits_are_exact_or_left_unchecked() {
    use limits_exact::Limits;
    use paylinks::runtime::validate::Validate;
    assert!(Limits::new()
        .with_big(9_007_199_254_740_993_i64)
        .validate()
        .is_ok());
    assert!(Limits::new()
        .with_big(9_007_199_254_740_994_i64)
        .validate()
        .is_err());
    // -1e30 fits no decimal: unchecked, so it refuses nothing.
    assert!(Limits::new().with_huge(-1e29).validate().is_ok());
    assert!(Limits::new().with_tiny(0.0000003).validate().is_ok());
    assert!(Limits::new().with_tiny(0.00000035).validate().is_err());
    assert!(Limits::new().with_round(1000.0).validate().is_ok());
    assert!(Limits::new().with_round(1000.5).validate().is_err());
}

#[test]
fn enums_named_like_serde_internals_round_trip() {
    use enum_names_of_serde_internals::{Holder, Visitor, D};
    let holder: Holder = serde_json::from_str(r#"{"v": "b", "d": "c", "e": "x"}"#).unwrap();
    assert_eq!(holder.v, Some(Visitor::B));
    assert_eq!(holder.d, Some(D::C));
    assert_eq!(
        serde_json::to_string(&holder).unwrap(),
        r#"{"v":"b","d":"c","e":"x"}"#
    );
}

#[test]
fn every_type_is_written_by_one_rule_wherever_it_goes() {
    use client_wire_forms::{Client, Credentials, Environment, Filter, Status, UploadRequest};
    use paylinks::runtime::FilePart;
    let at = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05+05:30").unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = stub::Stub::start(vec![
            stub::Reply::json(200, json!({})),
            stub::Reply::json(200, json!({})),
        ])
        .await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::Anonymous).unwrap();
        let filter = Filter::new().with_a("b");
        client
            .get_report(
                "q 1",
                day,
                at,
                Some(at),
                Some("12.50".parse().unwrap()),
                Some(&Status::Closed),
                Some(&[day, day]),
                Some(&[at, at]),
                Some(&filter),
                Some(std::slice::from_ref(&filter)),
                Some(3),
                Some(&[1, 2]),
                Some(true),
                Some("free text"),
            )
            .await
            .unwrap();
        let upload = UploadRequest::new(FilePart::new("a.txt", b"hi".to_vec()), at)
            .with_day(day)
            .with_meta(filter.clone())
            .with_tags(vec!["x".to_owned()]);
        client.upload(&upload).await.unwrap();
        let sent = server.requests();
        let stamp = "2026-01-02T03%3A04%3A05%2B05%3A30";
        // An object in the query is `form`, exploded: a pair per property (`a=b`); an array
        // of objects, which OpenAPI gives no form, uses brackets.
        assert_eq!(
            sent[0].target,
            format!(
                "/reports/q%201/2026-01-02?since={stamp}&until={stamp}&amount=12.50&status=closed\
                 &days=2026-01-02%2C2026-01-02&stamps={stamp}&stamps={stamp}\
                 &a=b&pairs%5B0%5D%5Ba%5D=b&violations=3&any=free+text"
            )
        );
        assert_eq!(sent[0].header("x-trace"), Some("1,2"));
        assert_eq!(sent[0].header("headers"), Some("true"));
        let body = String::from_utf8_lossy(&sent[1].body);
        for part in [
            "name=\"taken_at\"\r\n\r\n2026-01-02T03:04:05+05:30\r\n",
            "name=\"day\"\r\n\r\n2026-01-02\r\n",
            "name=\"meta\"\r\n\r\n{\"a\":\"b\"}\r\n",
            "name=\"tags\"\r\n\r\n[\"x\"]\r\n",
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
    });
}

#[test]
fn overridden_names_keep_the_wire_names() {
    use name_overrides::{Credentials, LinkStatus, PaymentLink};
    let link: PaymentLink = serde_json::from_value(json!({
        "cf_link_id": "l1",
        "link_status": "PARTIALLY_PAID",
        "link_meta": {"return_url": "https://x"}
    }))
    .unwrap();
    assert_eq!(link.id, "l1");
    assert_eq!(link.link_status, Some(LinkStatus::PartPaid));
    assert_eq!(
        link.meta.as_ref().and_then(|m| m.return_url.as_deref()),
        Some("https://x")
    );
    assert_eq!(
        serde_json::to_value(&link).unwrap()["link_status"],
        json!("PARTIALLY_PAID")
    );
    assert_eq!(LinkStatus::Live.as_str(), "ACTIVE");
    let _ = Credentials::app_id_client_secret("id", "secret");
}
mod yaml_bom_and_tags {
    include!("data/yaml_bom_and_tags/expected.rs");
}

#[test]
fn query_and_cookie_keys_and_oauth_tokens_are_sent_and_never_shown() {
    use paylinks::runtime::http::Error;
    use security_kinds::{Client, Credentials, Environment};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = stub::Stub::start(vec![
            stub::Reply::raw(204, "application/json", ""),
            stub::Reply::raw(204, "application/json", ""),
            stub::Reply::json(500, json!({"message": "down"})),
        ])
        .await;
        let both = Credentials::query_key_session("k+y &x=1", "s1d");
        assert!(!format!("{both:?}").contains("k+y") && !format!("{both:?}").contains("s1d"));
        let client = Client::new(Environment::Custom(server.url()), both).unwrap();
        client.list_things().await.unwrap();
        let oauth = Client::new(
            Environment::Custom(server.url()),
            Credentials::oauth("access-token"),
        )
        .unwrap();
        oauth.list_things().await.unwrap();
        let sent = server.requests();
        // The key is one query parameter, its name and value form-encoded.
        assert_eq!(sent[0].target, "/things?api+key=k%2By+%26x%3D1");
        assert_eq!(sent[0].header("cookie"), Some("sid=s1d"));
        assert_eq!(sent[0].header("authorization"), None);
        assert_eq!(sent[1].target, "/things");
        assert_eq!(sent[1].header("authorization"), Some("Bearer access-token"));
        assert_eq!(sent[1].header("cookie"), None);
        // An error never shows the URL's query, where the key travels.
        let keyed = Client::new(
            Environment::Custom(server.url()),
            Credentials::query_key("topsecret"),
        )
        .unwrap();
        let error = keyed.list_things().await.unwrap_err();
        for shown in [format!("{error}"), format!("{error:?}")] {
            assert!(!shown.contains("topsecret"), "{shown}");
        }
        let dead = Client::new(
            Environment::Custom("http://127.0.0.1:9".to_owned()),
            Credentials::query_key("topsecret"),
        )
        .unwrap();
        let error = dead.list_things().await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        for shown in [format!("{error}"), format!("{error:?}")] {
            assert!(!shown.contains("topsecret"), "{shown}");
        }
    });
    // A value a cookie cannot carry is refused before anything is sent.
    let refused = Client::new(
        Environment::Custom("http://127.0.0.1:9".to_owned()),
        Credentials::session("a;b"),
    );
    assert!(refused.is_err());
}

#[test]
fn form_text_and_byte_bodies_land_on_the_wire_as_the_spec_says() {
    use client_body_kinds::{
        ChargeRequest, ChargeRequestItemsItem, ChargeRequestShipping, Client, Credentials,
        Environment, Note,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let ok = || stub::Reply::json(200, json!({}));
        let server = stub::Stub::start(vec![ok(), ok(), ok(), ok(), ok(), ok(), ok(), ok()]).await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::Anonymous).unwrap();
        let mut metadata = indexmap::IndexMap::new();
        metadata.insert("order id".to_owned(), "o&1=2".to_owned());
        let charge = ChargeRequest::new(100)
            .with_description("two words")
            .with_metadata(metadata)
            .with_items(vec![ChargeRequestItemsItem::new()
                .with_price(5)
                .with_sku("s-1")])
            .with_tags(vec!["a".to_owned(), "b".to_owned()])
            .with_shipping(ChargeRequestShipping::new().with_city("Pune"));
        client.create_charge(&charge).await.unwrap();
        client.add_note("plain text ü").await.unwrap();
        client
            .put_file("f 1", Some(b"\x00\xffbytes"))
            .await
            .unwrap();
        client.exchange_token("a.b.c").await.unwrap();
        client
            .post_mixed(&Note::new().with_text("hi"))
            .await
            .unwrap();
        client.post_anything(b"raw").await.unwrap();
        let mut prefs = indexmap::IndexMap::new();
        prefs.insert("theme".to_owned(), "dark mode".to_owned());
        client.set_prefs(Some(&prefs)).await.unwrap();
        client.post_free(Some(&json!([1, "two"]))).await.unwrap();
        let sent = server.requests();
        assert_eq!(String::from_utf8_lossy(&sent[6].body), "theme=dark+mode");
        assert_eq!(sent[7].json(), json!([1, "two"]));
        assert_eq!(
            sent[0].header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        // Brackets for nested values, a space as `+`, reserved characters escaped; `tags`
        // is `style: form, explode: false`; `shipping` is `deepObject`.
        assert_eq!(
            String::from_utf8_lossy(&sent[0].body),
            "amount=100&description=two+words&items%5B0%5D%5Bprice%5D=5\
             &items%5B0%5D%5Bsku%5D=s-1&metadata%5Border+id%5D=o%261%3D2\
             &shipping%5Bcity%5D=Pune&tags=a%2Cb"
        );
        assert_eq!(sent[1].header("content-type"), Some("text/plain"));
        assert_eq!(sent[1].body, "plain text ü".as_bytes());
        assert_eq!(sent[2].target, "/files/f%201");
        assert_eq!(
            sent[2].header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(sent[2].body, b"\x00\xffbytes");
        assert_eq!(sent[3].header("content-type"), Some("application/jwt"));
        assert_eq!(sent[4].header("content-type"), Some("application/json"));
        assert_eq!(sent[4].json(), json!({"text": "hi"}));
        assert_eq!(
            sent[5].header("content-type"),
            Some("application/octet-stream")
        );
        // A form body is validated first, like a JSON one.
        let invalid = ChargeRequest::new(0);
        assert!(matches!(
            client.create_charge(&invalid).await.unwrap_err(),
            paylinks::runtime::http::Error::Validation(_)
        ));
        assert_eq!(server.requests().len(), 8);
    });
}

#[test]
fn a_success_documented_without_a_body_is_unit_whatever_the_gateway_sends() {
    use security_kinds::{Client, Credentials, Environment};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = stub::Stub::start(vec![
            stub::Reply::raw(204, "application/json", ""),
            stub::Reply::raw(200, "text/html", "<p>done</p>"),
            stub::Reply::json(201, json!({"id": 1})),
        ])
        .await;
        let client =
            Client::new(Environment::Custom(server.url()), Credentials::token("t")).unwrap();
        for _ in 0..3 {
            let response = client.list_things().await.unwrap();
            let () = response.body;
        }
    });
}
