#include "frame_mac.h"

#include <string.h>

namespace edge {

namespace {

constexpr char kSessionLabel[] = "edge-session-v1";  // the terminating 0x00 is part of the label
constexpr char kFrameLabel[] = "edge-frame-v1";

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

}  // namespace edge
