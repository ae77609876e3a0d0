// The firmware's frame MAC from the command line, for the cross-check against the box's Python
// code and for measuring its cost on this host:
//   frame_mac_tool sign LINK_KEY_HEX SESSION_ID_HEX CAMERA_ID SEQUENCE CAPTURED_AT_MS FRAME_SIZE
//                       HQ COMMAND_ID JPEG_FILE
//       prints the MAC in hex
//   frame_mac_tool bench JPEG_BYTES FRAMES
//       signs FRAMES frames of JPEG_BYTES bytes; prints "<bytes> <frames> <microseconds per frame>"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "frame_mac.h"

namespace {

std::vector<uint8_t> from_hex(const char* text) {
  std::vector<uint8_t> out;
  for (size_t i = 0; text[i] && text[i + 1]; i += 2) {
    const char pair[3] = {text[i], text[i + 1], '\0'};
    out.push_back(static_cast<uint8_t>(std::strtoul(pair, nullptr, 16)));
  }
  return out;
}

int sign(char** argv) {
  const std::vector<uint8_t> link_key = from_hex(argv[2]);
  const std::vector<uint8_t> session_id = from_hex(argv[3]);
  edge_capture_v1_PushFrameRequest request = edge_capture_v1_PushFrameRequest_init_zero;
  std::snprintf(request.camera_id, sizeof(request.camera_id), "%s", argv[4]);
  request.sequence = static_cast<uint32_t>(std::strtoul(argv[5], nullptr, 10));
  request.captured_at_ms = std::strtoull(argv[6], nullptr, 10);
  request.frame_size = static_cast<edge_capture_v1_FrameSize>(std::atoi(argv[7]));
  request.high_quality = std::atoi(argv[8]) != 0;
  request.command_id = static_cast<uint32_t>(std::strtoul(argv[9], nullptr, 10));
  std::FILE* file = std::fopen(argv[10], "rb");
  if (!file) return 2;
  std::vector<uint8_t> jpeg;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
    jpeg.push_back(static_cast<uint8_t>(c));
  }
  std::fclose(file);
  uint8_t key[edge::kSha256Len];
  edge::derive_session_key(link_key.data(), link_key.size(), session_id.data(), session_id.size(),
                           key);
  uint8_t mac[edge::kMacLen];
  edge::sign_frame(key, request, jpeg.data(), jpeg.size(), mac);
  for (uint8_t b : mac) std::printf("%02x", b);
  std::printf("\n");
  return 0;
}

int bench(char** argv) {
  const size_t bytes = std::strtoul(argv[2], nullptr, 10);
  const int frames = std::atoi(argv[3]);
  std::vector<uint8_t> jpeg(bytes, 0x5A);
  edge_capture_v1_PushFrameRequest request = edge_capture_v1_PushFrameRequest_init_zero;
  std::snprintf(request.camera_id, sizeof(request.camera_id), "esp32cam-a1b2c3d4e5f6");
  uint8_t key[edge::kSha256Len] = {1};
  uint8_t mac[edge::kMacLen] = {};
  uint8_t folded = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < frames; ++i) {
    request.sequence = static_cast<uint32_t>(i + 1);
    edge::sign_frame(key, request, jpeg.data(), jpeg.size(), mac);
    folded ^= mac[0];
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double us = std::chrono::duration<double, std::micro>(elapsed).count();
  std::printf("%zu %d %.1f %02x\n", bytes, frames, us / frames, folded);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 11 && std::strcmp(argv[1], "sign") == 0) return sign(argv);
  if (argc == 4 && std::strcmp(argv[1], "bench") == 0) return bench(argv);
  std::fprintf(stderr, "usage: frame_mac_tool sign ... | bench JPEG_BYTES FRAMES (see source)\n");
  return 2;
}
