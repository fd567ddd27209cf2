//! The vendor's file is kept byte-for-byte: what Cashfree publishes is what we generate from,
//! and every change of ours lives in the overlay.

use sha2::{Digest, Sha256};

#[test]
fn cashfree_spec_is_the_vendor_file_unchanged() {
    let path = xtask::default_root().join("specs/cashfree/links-2022-09-01.yaml");
    let bytes = std::fs::read(&path).expect("the vendor spec exists");
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 788);
    assert_eq!(
        digest, "8d65d7e72a9831a53fb6b78bea6dbfcf38c63cfa408e63d4252d38ab908bad35",
        "specs/cashfree/links-2022-09-01.yaml was edited; put changes in specs/cashfree/overlay.yaml"
    );
}
