//! Property tests: seed → phrase → seed, and encrypt → decrypt for every scheme.

use proptest::prelude::*;
use sogs_client::content::{Content, pad, pad_legacy, unpad};
use sogs_client::e2e::{blinded_dm, one_to_one};
use sogs_client::identity::Identity;
use sogs_client::mnemonic::{phrase_to_seed, seed_to_phrase};
use sogs_protocol::ids::ServerPubkey;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn seed_phrase_seed(seed in any::<[u8; 16]>()) {
        let phrase = seed_to_phrase(&seed);
        prop_assert_eq!(phrase.split(' ').count(), 13);
        prop_assert_eq!(*phrase_to_seed(&phrase).unwrap(), seed);
        let id = Identity::from_session_seed(&seed);
        let restored = id.recovery_phrase().unwrap();
        prop_assert_eq!(restored.as_str(), phrase.as_str());
    }

    #[test]
    fn blinded_dm_encrypt_decrypt(
        a in any::<[u8; 16]>(),
        b in any::<[u8; 16]>(),
        server in any::<[u8; 32]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let (alice, bob) = (Identity::from_session_seed(&a), Identity::from_session_seed(&b));
        let spk = ServerPubkey::from_secret(&server);
        for blind25 in [false, true] {
            let (from, to) = if blind25 {
                (alice.blinded25_id(&spk), bob.blinded25_id(&spk))
            } else {
                (alice.blinded15_id(&spk), bob.blinded15_id(&spk))
            };
            let ct = blinded_dm::encrypt(&alice, &spk, &to, &msg).unwrap();
            for reader in [&bob, &alice] {
                let got = blinded_dm::decrypt(reader, &spk, &from, &to, &ct).unwrap();
                prop_assert_eq!(&got.message, &msg);
                prop_assert_eq!(&got.sender, &alice.session_id());
            }
        }
    }

    #[test]
    fn one_to_one_encrypt_decrypt(
        a in any::<[u8; 32]>(),
        b in any::<[u8; 32]>(),
        msg in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let (alice, bob) = (Identity::from_seed(&a), Identity::from_seed(&b));
        let ct = one_to_one::encrypt_for_recipient(&alice, &bob.session_id(), &msg).unwrap();
        let got = one_to_one::decrypt_incoming(&bob, &ct).unwrap();
        prop_assert_eq!(got.message, msg);
        prop_assert_eq!(got.sender, alice.session_id());
    }

    #[test]
    fn padding_round_trips(msg in proptest::collection::vec(any::<u8>(), 0..400)) {
        // Trailing zeros of the message itself are indistinguishable from padding.
        prop_assume!(msg.last().is_none_or(|&b| b != 0));
        prop_assert_eq!(pad(&msg).len() % 160, 0);
        prop_assert_eq!(pad_legacy(&msg).len() % 160, 159);
        let (current, legacy) = (pad(&msg), pad_legacy(&msg));
        prop_assert_eq!(unpad(&current), &msg[..]);
        prop_assert_eq!(unpad(&legacy), &msg[..]);
    }

    #[test]
    fn text_content_round_trips(body in ".{0,200}", ts in any::<u64>()) {
        let content = Content::text(&body, ts);
        prop_assert_eq!(Content::decode_padded(&content.encode_padded()).unwrap(), content);
    }
}
