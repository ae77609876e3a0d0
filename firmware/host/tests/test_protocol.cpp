#include <cstring>
#include <string>

#include "check.h"
#include "fakes.h"
#include "protocol.h"

namespace {

// Records each write so a test can see that the JPEG went out in one piece, uncopied.
struct RecordingSink : edge::ByteSink {
  std::string bytes;
  std::vector<const uint8_t*> chunks;
  bool write(const uint8_t* data, size_t len) override {
    chunks.push_back(data);
    bytes.append(reinterpret_cast<const char*>(data), len);
    return true;
  }
};

}  // namespace

TEST(push_frame_body_streams_jpeg_from_the_frame_buffer) {
  const std::vector<uint8_t> jpeg = fake::jpeg_bytes(3000);
  const edge::Frame frame = {jpeg.data(), jpeg.size()};
  edge_capture_v1_PushFrameRequest request = edge_capture_v1_PushFrameRequest_init_zero;
  std::strcpy(request.camera_id, "esp32cam-0011");
  std::memset(request.session_id.bytes, 0x5A, sizeof(request.session_id.bytes));
  request.session_id.size = sizeof(request.session_id.bytes);
  request.sequence = 7;
  request.captured_at_ms = 123456789012ull;
  request.frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
  request.high_quality = true;
  request.command_id = 42;
  edge::bind_jpeg(request, frame);
  const edge::ProtoBody body(edge_capture_v1_PushFrameRequest_fields, &request);

  RecordingSink sink;
  CHECK(body.write_to(sink));
  CHECK_EQ(sink.bytes.size(), body.size());
  bool passed_buffer_through = false;
  for (const uint8_t* chunk : sink.chunks) passed_buffer_through |= chunk == jpeg.data();
  CHECK(passed_buffer_through);

  edge_capture_v1_PushFrameRequest decoded;
  std::string got_jpeg;
  CHECK(fake::decode_push(sink.bytes, decoded, got_jpeg));
  CHECK_EQ(std::string(decoded.camera_id), "esp32cam-0011");
  CHECK_EQ(int(decoded.session_id.size), 8);
  CHECK_EQ(int(decoded.session_id.bytes[7]), 0x5A);
  CHECK_EQ(decoded.sequence, 7u);
  CHECK_EQ(decoded.captured_at_ms, 123456789012ull);
  CHECK(decoded.frame_size == edge_capture_v1_FrameSize_FRAME_SIZE_VGA);
  CHECK(decoded.high_quality);
  CHECK_EQ(decoded.command_id, 42u);
  CHECK(got_jpeg == std::string(jpeg.begin(), jpeg.end()));
}

TEST(decode_message_rejects_garbage_and_an_oversized_box_key) {
  edge_capture_v1_HelloResponse response = edge_capture_v1_HelloResponse_init_zero;
  const uint8_t garbage[] = {0x42, 0x50, 'a'};  // box_public_key claims 80 bytes, has 1
  CHECK(!edge::decode_message(garbage, sizeof(garbage), edge_capture_v1_HelloResponse_fields, &response));
  std::string too_long = "\x42\x21" + std::string(33, 'k');  // 33 bytes > 32
  CHECK(!edge::decode_message(reinterpret_cast<const uint8_t*>(too_long.data()), too_long.size(),
                              edge_capture_v1_HelloResponse_fields, &response));
  std::string fits = "\x08\x02\x42\x20" + std::string(32, 'k');
  CHECK(edge::decode_message(reinterpret_cast<const uint8_t*>(fits.data()), fits.size(),
                             edge_capture_v1_HelloResponse_fields, &response));
  CHECK_EQ(int(response.box_public_key.size), 32);
}

TEST(connect_error_code_is_extracted) {
  char code[32];
  const std::string body = "{\"code\": \"unauthenticated\", \"message\": \"bad token\"}";
  CHECK(edge::connect_error_code(reinterpret_cast<const uint8_t*>(body.data()), body.size(), code,
                                 sizeof(code)));
  CHECK_EQ(std::string(code), "unauthenticated");
  const std::string compact = "{\"message\":\"x\",\"code\":\"unavailable\"}";
  CHECK(edge::connect_error_code(reinterpret_cast<const uint8_t*>(compact.data()), compact.size(),
                                 code, sizeof(code)));
  CHECK_EQ(std::string(code), "unavailable");
  const std::string none = "<html>502</html>";
  CHECK(!edge::connect_error_code(reinterpret_cast<const uint8_t*>(none.data()), none.size(), code,
                                  sizeof(code)));
}
