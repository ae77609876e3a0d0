// The camera link's keys and MACs (capture.proto: HelloRequest.hello_mac, HelloResponse.mac,
// PushFrameRequest.mac, PushFrameResponse.mac); the box computes the same bytes in
// edge_node/common/frame_mac.py.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "capture.pb.h"
#include "sha256.h"

namespace edge {

constexpr size_t kSessionIdLen = 8;
constexpr size_t kMacLen = kSha256Len;
constexpr size_t kHelloNonceLen = 16;

// HMAC-SHA256(link_key, "edge-session-v1" 0x00 || session_id).
void derive_session_key(const uint8_t* link_key, size_t key_len, const uint8_t* session_id,
                        size_t session_id_len, uint8_t out[kSha256Len]);

// HMAC-SHA256(session_key, "edge-frame-v1" 0x00 || u8 len(camera_id) || camera_id ||
// u32 sequence || u64 captured_at_ms || u32 frame_size || u8 high_quality || u32 command_id ||
// u32 len(jpeg) || jpeg), big-endian; the jpeg is passed apart because nanopb streams it from the
// frame buffer.
void sign_frame(const uint8_t session_key[kSha256Len],
                const edge_capture_v1_PushFrameRequest& request, const uint8_t* jpeg, size_t jpeg_len, uint8_t out[kMacLen]);

// HMAC-SHA256(key, "edge-hello-v1" 0x00 || u8 len(camera_id) || camera_id || device_nonce ||
// hello_nonce): hello_mac with the link key, pairing_mac with the key of a pairing exchange.
void sign_hello(const uint8_t key[kSha256Len], const char* camera_id, const uint8_t* device_nonce,
                size_t device_nonce_len, const uint8_t hello_nonce[kHelloNonceLen], uint8_t out[kMacLen]);

// True when the HelloResponse bytes end with its mac field, HMAC-SHA256(key, "edge-hello-reply-v1"
// 0x00 || hello_nonce || the bytes before the field).
bool hello_reply_valid(const uint8_t key[kSha256Len], const uint8_t hello_nonce[kHelloNonceLen],
                       const uint8_t* body, size_t len);

// True when the PushFrameResponse bytes end with its mac field, HMAC-SHA256(session_key,
// "edge-frame-reply-v1" 0x00 || u32 sequence || the bytes before the field).
bool frame_reply_valid(const uint8_t session_key[kSha256Len], uint32_t sequence, const uint8_t* body,
                       size_t len);

}  // namespace edge
