#include <cstring>
#include <string>

#include "check.h"
#include "pairing.h"
#include "x25519.h"

namespace {

void from_hex(const char* text, uint8_t* out) {
  for (size_t i = 0; i < edge::kX25519Len; ++i) {
    const char pair[3] = {text[2 * i], text[2 * i + 1], '\0'};
    out[i] = static_cast<uint8_t>(std::strtoul(pair, nullptr, 16));
  }
}

std::string hex(const uint8_t* bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < edge::kX25519Len; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

// RFC 7748, section 6.1: Alice's and Bob's keys and their shared secret.
TEST(x25519_matches_rfc_7748) {
  uint8_t alice[32], bob[32], alice_public[32], bob_public[32], shared_a[32], shared_b[32];
  from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", alice);
  from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", bob);
  edge::x25519_public(alice_public, alice);
  edge::x25519_public(bob_public, bob);
  CHECK_EQ(hex(alice_public), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  CHECK_EQ(hex(bob_public), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  edge::x25519(shared_a, alice, bob_public);
  edge::x25519(shared_b, bob, alice_public);
  CHECK_EQ(hex(shared_a), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  CHECK_EQ(hex(shared_b), hex(shared_a));
}

// A box key of low order gives an all-zero secret: no link key comes of it.
TEST(a_low_order_box_key_gives_no_link_key) {
  uint8_t secret[32] = {7}, camera_public[32], link_key[32];
  edge::x25519_public(camera_public, secret);
  const uint8_t zero[32] = {};
  CHECK(!edge::pairing_link_key(secret, camera_public, zero, link_key));
  uint8_t one[32] = {1};
  CHECK(!edge::pairing_link_key(secret, camera_public, one, link_key));
}
