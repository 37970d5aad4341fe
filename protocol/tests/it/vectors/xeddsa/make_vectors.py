#!/usr/bin/env python3
"""Known-answer vectors for XEdDSA (Signal's XEdDSA spec, as Session uses it for 05 ids).

Independent of the Rust code: every curve operation is libsodium's, through PyNaCl's
`nacl.bindings`. Run once with
    python3 -m venv /tmp/xed-venv && /tmp/xed-venv/bin/pip install pynacl
    /tmp/xed-venv/bin/python make_vectors.py > xeddsa.json

Signing (XEdDSA, section 2.3 of the spec), from an Ed25519 seed as Session derives keys:
    a  = crypto_sign_ed25519_sk_to_curve25519(sk) mod L   (the clamped X25519 private key)
    A  = a*B (noclamp); if A has sign bit 1: a = -a, A = -A (so A has sign bit 0)
    r  = reduce(SHA-512(0xFE || 0xFF*31 || a || M || Z))   (Z = 64 random bytes, given here)
    R  = r*B;  h = reduce(SHA-512(R || A || M));  s = r + h*a;  signature = R || s
Verification: A = the Edwards point with sign bit 0 of the X25519 key u (y = (u-1)/(u+1)),
then crypto_sign_verify_detached(signature, M, A).
"""
import hashlib
import json

from nacl import bindings as b

HASH1_PREFIX = b"\xfe" + b"\xff" * 31


def reduce64(data: bytes) -> bytes:
    return b.crypto_core_ed25519_scalar_reduce(data)


def xeddsa_sign(seed: bytes, msg: bytes, z: bytes) -> tuple[bytes, bytes]:
    """Returns (signature, the positive Ed25519 key A)."""
    pk, sk = b.crypto_sign_seed_keypair(seed)
    # k: the clamped X25519 private key; a = k mod L (negated below if needed).
    a = reduce64(b.crypto_sign_ed25519_sk_to_curve25519(sk) + bytes(32))
    big_a = b.crypto_scalarmult_ed25519_base_noclamp(a)
    assert big_a == pk
    if big_a[31] & 0x80:
        a = b.crypto_core_ed25519_scalar_negate(a)
        big_a = b.crypto_scalarmult_ed25519_base_noclamp(a)
    assert big_a[31] & 0x80 == 0
    r = reduce64(hashlib.sha512(HASH1_PREFIX + a + msg + z).digest())
    big_r = b.crypto_scalarmult_ed25519_base_noclamp(r)
    h = reduce64(hashlib.sha512(big_r + big_a + msg).digest())
    s = b.crypto_core_ed25519_scalar_add(r, b.crypto_core_ed25519_scalar_mul(h, a))
    sig = big_r + s
    assert verify(sig, msg, big_a)
    return sig, big_a


def verify(sig: bytes, msg: bytes, pk: bytes) -> bool:
    """libsodium crypto_sign_open (the verification of crypto_sign_verify_detached)."""
    try:
        b.crypto_sign_open(sig + msg, pk)
        return True
    except Exception:
        return False


def det(label: str, n: int) -> bytes:
    """Deterministic test bytes."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha512(f"{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def session_seed(i: int) -> bytes:
    """A Session seed: 16 bytes padded with 16 zero bytes."""
    return det(f"seed{i}", 16) + bytes(16)


def main() -> None:
    messages = [b"", b"hello", det("msg", 160), det("long", 1000)]
    vectors = []
    seen = {0: 0, 1: 0}
    i = 0
    # Keys of both Ed25519 sign bits; the sign-bit-1 ones exercise the negation.
    while seen[0] < 3 or seen[1] < 3:
        seed = session_seed(i)
        i += 1
        pk, sk = b.crypto_sign_seed_keypair(seed)
        bit = pk[31] >> 7
        if seen[bit] >= 3:
            continue
        x_pk = b.crypto_sign_ed25519_pk_to_curve25519(pk)
        msg = messages[(seen[0] + seen[1]) % len(messages)]
        z = det(f"z{i}", 64)
        sig, positive = xeddsa_sign(seed, msg, z)
        seen[bit] += 1
        assert xed_positive(x_pk) == positive
        vectors.append({
            "case": f"valid, ed25519 sign bit {bit}",
            "ed25519_seed": seed.hex(),
            "ed25519_pk": pk.hex(),
            "x25519_pk": x_pk.hex(),
            "xed25519_pk": positive.hex(),
            "msg": msg.hex(),
            "random": z.hex(),
            "signature": sig.hex(),
            "valid": True,
        })
    negatives = []
    for v in vectors[:4]:
        sig = bytes.fromhex(v["signature"])
        msg = bytes.fromhex(v["msg"])
        pk = bytes.fromhex(v["ed25519_pk"])
        flipped_r = bytes([sig[0] ^ 1]) + sig[1:]
        flipped_s = sig[:40] + bytes([sig[40] ^ 0x10]) + sig[41:]
        other_msg = msg + b"!"
        cases = [
            ("tampered R", v["x25519_pk"], v["msg"], flipped_r),
            ("tampered s", v["x25519_pk"], v["msg"], flipped_s),
            ("tampered message", v["x25519_pk"], other_msg.hex(), sig),
        ]
        if pk[31] & 0x80:
            # A plain Ed25519 signature by a key with sign bit 1 does not verify as XEdDSA.
            plain = b.crypto_sign(msg, b.crypto_sign_seed_keypair(
                bytes.fromhex(v["ed25519_seed"]))[1])[:64]
            cases.append(("plain Ed25519 signature, sign bit 1", v["x25519_pk"], v["msg"], plain))
        # s + L (non-canonical s) must be refused.
        s_int = int.from_bytes(sig[32:], "little") + (2**252 + 27742317777372353535851937790883648493)
        if s_int < 2**256:
            cases.append(("non-canonical s (s + L)", v["x25519_pk"], v["msg"],
                          sig[:32] + s_int.to_bytes(32, "little")))
        other = vectors[-1]["x25519_pk"] if vectors[-1] is not v else vectors[0]["x25519_pk"]
        cases.append(("other key", other, v["msg"], sig))
        for case, x_pk, m, s in cases:
            assert not verify(s, bytes.fromhex(m), xed_positive(bytes.fromhex(x_pk))), case
            negatives.append({"case": case, "x25519_pk": x_pk, "msg": m,
                              "signature": s.hex(), "valid": False})
    # u = p - 1 has no Edwards point (u + 1 = 0): every signature is refused.
    minus_one = (2**255 - 20).to_bytes(32, "little").hex()
    negatives.append({"case": "X25519 key u = -1 (no Edwards point)", "x25519_pk": minus_one,
                      "msg": vectors[0]["msg"], "signature": vectors[0]["signature"],
                      "valid": False})
    import nacl
    print(json.dumps({
        "source": "protocol/tests/it/vectors/xeddsa/make_vectors.py, PyNaCl "
                  + nacl.__version__ + " (libsodium)",
        "vectors": vectors + negatives,
    }, indent=2))


def xed_positive(x_pk: bytes) -> bytes:
    """The Ed25519 key with sign bit 0 of an X25519 key: y = (u-1)/(u+1) mod p."""
    p = 2**255 - 19
    u = int.from_bytes(x_pk, "little") % p
    y = (u - 1) * pow(u + 1, p - 2, p) % p
    return y.to_bytes(32, "little")


if __name__ == "__main__":
    main()
