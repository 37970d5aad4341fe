//! Malformed X-SOGS-* headers over HTTP: every one is a 4xx with the exact text, never a 5xx.

use reqwest::Method;
use sogs_protocol::auth_headers::AuthHeaderError as E;
use sogs_tests::{TestApp, TestUser};

const PATH: &str = "/room/lobby";

/// (header index: 0 pubkey, 1 nonce, 2 timestamp, 3 signature; value; expected status; expected text)
fn cases() -> Vec<(usize, String, u16, String)> {
    let hex = |n: usize| "a".repeat(n);
    let e400 = |e: E| (400u16, e.to_string());
    let too_far = (
        425u16,
        "Invalid authentication: X-SOGS-Timestamp is too far from current time".to_owned(),
    );
    let mut identity = vec![1u8];
    identity.extend([0u8; 31]);
    let rows: Vec<(usize, String, (u16, String))> = vec![
        (0, format!("zz{}", hex(64)), e400(E::PubkeyEncoding)),
        (0, format!("15{}", hex(63)), e400(E::PubkeyEncoding)),
        (0, format!("15{}", hex(65)), e400(E::PubkeyEncoding)),
        (0, format!("05{}", hex(64)), e400(E::PubkeyPrefix)),
        (0, format!("ff{}", hex(64)), e400(E::PubkeyPrefix)),
        (0, format!("15{}", "00".repeat(32)), e400(E::PubkeyPoint)),
        (
            0,
            format!("15{}", hex::encode(&identity)),
            e400(E::PubkeyPoint),
        ),
        (0, format!("15{}", "ff".repeat(32)), e400(E::PubkeyPoint)),
        (
            0,
            format!("25{}", "ec".to_owned() + &"ff".repeat(30) + "7f"),
            e400(E::PubkeyPoint),
        ),
        (
            0,
            "FaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA-".into(),
            e400(E::PubkeyEncoding),
        ),
        (
            0,
            "Fa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            e400(E::PubkeyEncoding),
        ),
        (
            0,
            "Faaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            e400(E::PubkeyEncoding),
        ),
        (0, "é".repeat(33), e400(E::PubkeyEncoding)),
        (0, hex(10_000), e400(E::PubkeyEncoding)),
        (1, hex(31), e400(E::Nonce)),
        (1, hex(33), e400(E::Nonce)),
        (1, "zz".repeat(16), e400(E::Nonce)),
        (1, "AAAAAAAAAAAAAAAAAAAAA".into(), e400(E::Nonce)),
        (1, "AAAAAAAAAAAAAAAAAAAA-_==".into(), e400(E::Nonce)),
        (1, "AAAAAAAAAAAAAAAAAAAAAAAAA".into(), e400(E::Nonce)),
        (1, "ü".repeat(16), e400(E::Nonce)),
        (1, hex(10_000), e400(E::Nonce)),
        (3, hex(127), e400(E::Signature)),
        (3, hex(129), e400(E::Signature)),
        (3, "A".repeat(85), e400(E::Signature)),
        (3, "A".repeat(89), e400(E::Signature)),
        (3, format!("{}-_==", "A".repeat(84)), e400(E::Signature)),
        (3, "ß".repeat(64), e400(E::Signature)),
        (2, "abc".into(), e400(E::Timestamp)),
        (2, "1.5".into(), e400(E::Timestamp)),
        (2, "0x10".into(), e400(E::Timestamp)),
        (2, "1e9".into(), e400(E::Timestamp)),
        (2, "١٢٣".into(), e400(E::Timestamp)),
        (2, "9".repeat(40), too_far.clone()),
        (2, "-5".into(), too_far),
    ];
    rows.into_iter()
        .map(|(i, v, (s, t))| (i, v, s, t))
        .collect()
}

#[tokio::test]
async fn each_malformed_header_gets_its_exact_4xx() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let signer = app.client_15(&TestUser::random()).signer().unwrap().clone();
    let table = cases();
    assert!(table.len() >= 30);
    for (index, value, status, text) in table {
        let headers = signer.sign_now("GET", PATH, b"");
        let mut pairs = headers.pairs();
        pairs[index].1 = &value;
        let resp = app
            .client()
            .send(Method::GET, PATH, &pairs, None)
            .await
            .unwrap();
        let shown: String = value.chars().take(40).collect();
        assert_eq!(
            (resp.status, resp.text()),
            (status, text),
            "header {index} = {shown:?}"
        );
    }
}

#[tokio::test]
async fn random_header_values_never_cause_a_5xx() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let signer = app.client_15(&TestUser::random()).signer().unwrap().clone();
    let alphabet: Vec<char> = "0123456789abcdefABCDEF+/=-_ .éü15".chars().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..300 {
        let index = (next() % 4) as usize;
        let len = (next() % 140) as usize;
        let value: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let headers = signer.sign_now("GET", PATH, b"");
        let mut pairs = headers.pairs();
        pairs[index].1 = value.trim();
        let resp = app
            .client()
            .send(Method::GET, PATH, &pairs, None)
            .await
            .unwrap();
        assert!(
            resp.status < 500,
            "header {index} = {value:?} gave {}",
            resp.status
        );
    }
}
