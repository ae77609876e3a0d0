#include <algorithm>
#include <cstring>
#include <string>

#include "check.h"
#include "frame_mac.h"
#include "sha256.h"

namespace {

std::string hex(const uint8_t* bytes, size_t len) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string sha256_hex(const std::string& text, size_t chunk) {
  edge::Sha256 hash;
  for (size_t i = 0; i < text.size(); i += chunk) {
    hash.update(reinterpret_cast<const uint8_t*>(text.data()) + i,
                std::min(chunk, text.size() - i));
  }
  uint8_t out[edge::kSha256Len];
  hash.finish(out);
  return hex(out, sizeof(out));
}

}  // namespace

// Known answers from FIPS 180-4's examples and RFC 4231.
TEST(sha256_matches_the_published_examples_in_any_chunking) {
  CHECK_EQ(sha256_hex("abc", 3),
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_EQ(sha256_hex("", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t chunk : {1u, 7u, 56u, 64u}) {
    CHECK_EQ(sha256_hex(two_blocks, chunk),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  CHECK_EQ(sha256_hex(std::string(1000000, 'a'), 4096),
           "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(hmac_sha256_matches_rfc4231) {
  const std::string data = "what do ya want for nothing?";
  edge::HmacSha256 mac(reinterpret_cast<const uint8_t*>("Jefe"), 4);
  mac.update(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  uint8_t out[edge::kSha256Len];
  mac.finish(out);
  CHECK_EQ(hex(out, sizeof(out)),
           "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  uint8_t key[131];  // keys over 64 bytes are hashed first (test case 6)
  std::memset(key, 0xaa, sizeof(key));
  const std::string text = "Test Using Larger Than Block-Size Key - Hash Key First";
  edge::HmacSha256 hashed_key(key, sizeof(key));
  hashed_key.update(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  hashed_key.finish(out);
  CHECK_EQ(hex(out, sizeof(out)),
           "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(frame_mac_covers_every_field_and_the_jpeg) {
  uint8_t key[edge::kSha256Len] = {7};
  const uint8_t jpeg[] = {0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9};
  edge_capture_v1_PushFrameRequest request = edge_capture_v1_PushFrameRequest_init_zero;
  std::strcpy(request.camera_id, "esp32cam-01");
  request.sequence = 5;
  uint8_t base[edge::kMacLen], other[edge::kMacLen];
  edge::sign_frame(key, request, jpeg, sizeof(jpeg), base);
  edge_capture_v1_PushFrameRequest changed = request;
  changed.command_id = 1;
  edge::sign_frame(key, changed, jpeg, sizeof(jpeg), other);
  CHECK(std::memcmp(base, other, edge::kMacLen) != 0);
  changed = request;
  changed.sequence = 6;
  edge::sign_frame(key, changed, jpeg, sizeof(jpeg), other);
  CHECK(std::memcmp(base, other, edge::kMacLen) != 0);
  edge::sign_frame(key, request, jpeg, sizeof(jpeg) - 1, other);
  CHECK(std::memcmp(base, other, edge::kMacLen) != 0);
  edge::sign_frame(key, request, jpeg, sizeof(jpeg), other);
  CHECK(std::memcmp(base, other, edge::kMacLen) == 0);
}
