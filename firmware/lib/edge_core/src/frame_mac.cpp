#include "frame_mac.h"

#include <string.h>

namespace edge {

namespace {

constexpr char kSessionLabel[] = "edge-session-v1";  // the terminating 0x00 is part of the label
constexpr char kFrameLabel[] = "edge-frame-v1";
constexpr char kHelloLabel[] = "edge-hello-v1";
constexpr char kHelloReplyLabel[] = "edge-hello-reply-v1";
constexpr char kFrameReplyLabel[] = "edge-frame-reply-v1";
// A signed reply ends with field 15 (bytes, 32 long): tag 0x7a, length 0x20, the MAC.
constexpr uint8_t kMacField[2] = {15 << 3 | 2, kMacLen};

bool same(const uint8_t* a, const uint8_t* b, size_t len) {
  uint8_t diff = 0;
  for (size_t i = 0; i < len; ++i) diff = uint8_t(diff | (a[i] ^ b[i]));
  return diff == 0;
}

// Splits a signed reply into the bytes its MAC covers (len - 34) and the MAC; false if it has none.
bool signed_part(const uint8_t* body, size_t len, size_t* covered) {
  if (len < sizeof(kMacField) + kMacLen) return false;
  *covered = len - sizeof(kMacField) - kMacLen;
  return body[*covered] == kMacField[0] && body[*covered + 1] == kMacField[1];
}

void put_be(uint8_t*& p, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) *p++ = uint8_t(value >> (8 * i));
}

}  // namespace

void derive_session_key(const uint8_t* link_key, size_t key_len, const uint8_t* session_id,
                        size_t session_id_len, uint8_t out[kSha256Len]) {
  HmacSha256 mac(link_key, key_len);
  mac.update(reinterpret_cast<const uint8_t*>(kSessionLabel), sizeof(kSessionLabel));
  mac.update(session_id, session_id_len);
  mac.finish(out);
}

void sign_frame(const uint8_t session_key[kSha256Len],
                const edge_capture_v1_PushFrameRequest& request, const uint8_t* jpeg, size_t jpeg_len, uint8_t out[kMacLen]) {
  HmacSha256 mac(session_key, kSha256Len);
  mac.update(reinterpret_cast<const uint8_t*>(kFrameLabel), sizeof(kFrameLabel));
  const size_t id_len = strlen(request.camera_id);
  uint8_t header[1 + 4 + 8 + 4 + 1 + 4 + 4];
  uint8_t* p = header;
  put_be(p, id_len, 1);
  mac.update(header, 1);
  mac.update(reinterpret_cast<const uint8_t*>(request.camera_id), id_len);
  p = header;
  put_be(p, request.sequence, 4);
  put_be(p, request.captured_at_ms, 8);
  put_be(p, static_cast<uint32_t>(request.frame_size), 4);
  put_be(p, request.high_quality ? 1 : 0, 1);
  put_be(p, request.command_id, 4);
  put_be(p, jpeg_len, 4);
  mac.update(header, static_cast<size_t>(p - header));
  mac.update(jpeg, jpeg_len);
  mac.finish(out);
}

void sign_hello(const uint8_t key[kSha256Len], const char* camera_id, const uint8_t* device_nonce,
                size_t device_nonce_len, const uint8_t hello_nonce[kHelloNonceLen], uint8_t out[kMacLen]) {
  HmacSha256 mac(key, kSha256Len);
  mac.update(reinterpret_cast<const uint8_t*>(kHelloLabel), sizeof(kHelloLabel));
  const uint8_t id_len = uint8_t(strlen(camera_id));
  mac.update(&id_len, 1);
  mac.update(reinterpret_cast<const uint8_t*>(camera_id), id_len);
  mac.update(device_nonce, device_nonce_len);
  mac.update(hello_nonce, kHelloNonceLen);
  mac.finish(out);
}

bool hello_reply_valid(const uint8_t key[kSha256Len], const uint8_t hello_nonce[kHelloNonceLen],
                       const uint8_t* body, size_t len) {
  size_t covered = 0;
  if (!signed_part(body, len, &covered)) return false;
  HmacSha256 mac(key, kSha256Len);
  mac.update(reinterpret_cast<const uint8_t*>(kHelloReplyLabel), sizeof(kHelloReplyLabel));
  mac.update(hello_nonce, kHelloNonceLen);
  mac.update(body, covered);
  uint8_t expected[kMacLen];
  mac.finish(expected);
  return same(expected, body + covered + sizeof(kMacField), kMacLen);
}

bool frame_reply_valid(const uint8_t session_key[kSha256Len], uint32_t sequence, const uint8_t* body,
                       size_t len) {
  size_t covered = 0;
  if (!signed_part(body, len, &covered)) return false;
  HmacSha256 mac(session_key, kSha256Len);
  mac.update(reinterpret_cast<const uint8_t*>(kFrameReplyLabel), sizeof(kFrameReplyLabel));
  uint8_t be[4];
  uint8_t* p = be;
  put_be(p, sequence, 4);
  mac.update(be, sizeof(be));
  mac.update(body, covered);
  uint8_t expected[kMacLen];
  mac.finish(expected);
  return same(expected, body + covered + sizeof(kMacField), kMacLen);
}

}  // namespace edge
