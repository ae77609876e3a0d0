#include "protocol.h"

#include <pb_decode.h>
#include <pb_encode.h>
#include <string.h>

#include "frame_mac.h"
#include "x25519.h"

namespace edge {

static_assert(sizeof(edge_capture_v1_HelloResponse{}.box_public_key.bytes) == kX25519Len,
              "capture.options box_public_key size and kX25519Len disagree");
static_assert(sizeof(edge_capture_v1_HelloRequest{}.pairing_public_key.bytes) == kX25519Len,
              "capture.options pairing_public_key size and kX25519Len disagree");
static_assert(sizeof(edge_capture_v1_HelloRequest{}.pairing_commitment.bytes) == kSha256Len,
              "capture.options pairing_commitment size and kSha256Len disagree");
static_assert(sizeof(edge_capture_v1_HelloRequest{}.hello_nonce.bytes) == kHelloNonceLen,
              "capture.options hello_nonce size and kHelloNonceLen disagree");
static_assert(sizeof(edge_capture_v1_HelloRequest{}.hello_mac.bytes) == kMacLen &&
                  sizeof(edge_capture_v1_HelloRequest{}.pairing_mac.bytes) == kMacLen &&
                  sizeof(edge_capture_v1_HelloResponse{}.mac.bytes) == kMacLen &&
                  sizeof(edge_capture_v1_PushFrameResponse{}.mac.bytes) == kMacLen,
              "capture.options mac sizes and kMacLen disagree");
static_assert(sizeof(edge_capture_v1_HelloResponse{}.session_id.bytes) == kSessionIdLen,
              "capture.options session_id size and kSessionIdLen disagree");
static_assert(sizeof(edge_capture_v1_PushFrameRequest{}.mac.bytes) == kMacLen,
              "capture.options mac size and kMacLen disagree");
static_assert(sizeof(edge_capture_v1_HelloRequest{}.device_nonce.bytes) == kNonceLen,
              "capture.options device_nonce size and kNonceLen disagree");

namespace {

bool sink_callback(pb_ostream_t* stream, const pb_byte_t* buf, size_t count) {
  return static_cast<ByteSink*>(stream->state)->write(buf, count);
}

bool encode_frame(pb_ostream_t* stream, const pb_field_t* field, void* const* arg) {
  const Frame* frame = static_cast<const Frame*>(*arg);
  return pb_encode_tag_for_field(stream, field) &&
         pb_encode_string(stream, frame->data, frame->len);
}

}  // namespace

size_t ProtoBody::size() const {
  size_t size = 0;
  return pb_get_encoded_size(&size, fields_, message_) ? size : 0;
}

bool ProtoBody::write_to(ByteSink& sink) const {
  pb_ostream_t stream = {};
  stream.callback = &sink_callback;
  stream.state = &sink;
  stream.max_size = SIZE_MAX;
  return pb_encode(&stream, fields_, message_);
}

void bind_jpeg(edge_capture_v1_PushFrameRequest& request, const Frame& frame) {
  request.jpeg.funcs.encode = &encode_frame;
  request.jpeg.arg = const_cast<Frame*>(&frame);
}

bool decode_message(const uint8_t* data, size_t len, const pb_msgdesc_t* fields, void* message) {
  pb_istream_t stream = pb_istream_from_buffer(data, len);
  return pb_decode(&stream, fields, message);
}

bool connect_error_code(const uint8_t* body, size_t len, char* code, size_t cap) {
  static const char kKey[] = "\"code\"";
  const char* text = reinterpret_cast<const char*>(body);
  const char* end = text + len;
  const size_t key_len = sizeof(kKey) - 1;
  for (const char* p = text; p + key_len <= end; ++p) {
    if (memcmp(p, kKey, key_len) != 0) continue;
    p += key_len;
    while (p < end && (*p == ' ' || *p == ':')) ++p;
    if (p >= end || *p != '"') return false;
    const char* start = ++p;
    while (p < end && *p != '"') ++p;
    const size_t n = static_cast<size_t>(p - start);
    if (p >= end || n == 0 || n >= cap) return false;
    memcpy(code, start, n);
    code[n] = '\0';
    return true;
  }
  return false;
}

}  // namespace edge
