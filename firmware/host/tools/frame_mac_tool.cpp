// The firmware's frame MAC from the command line, for the cross-check against the box's Python
// code and for measuring its cost on this host:
//   frame_mac_tool sign LINK_KEY_HEX SESSION_ID_HEX CAMERA_ID SEQUENCE CAPTURED_AT_MS FRAME_SIZE
//                       HQ COMMAND_ID JPEG_FILE
//       prints the MAC in hex
//   frame_mac_tool bench JPEG_BYTES FRAMES
//       signs FRAMES frames of JPEG_BYTES bytes; prints "<bytes> <frames> <microseconds per frame>"
//   frame_mac_tool pair SECRET_HEX BOX_PUBLIC_HEX
//       the camera's side of a pairing exchange; prints its public key, commitment, pairing code and
//       link key (hex, one per line)
//   frame_mac_tool hello KEY_HEX CAMERA_ID DEVICE_NONCE_HEX HELLO_NONCE_HEX
//       prints the Hello's MAC in hex
//   frame_mac_tool check-hello KEY_HEX HELLO_NONCE_HEX REPLY_FILE
//   frame_mac_tool check-frame LINK_KEY_HEX SESSION_ID_HEX SEQUENCE REPLY_FILE
//       print "valid" or "invalid" for a signed HelloResponse / PushFrameResponse
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "frame_mac.h"
#include "pairing.h"

namespace {

std::vector<uint8_t> from_hex(const char* text) {
  std::vector<uint8_t> out;
  for (size_t i = 0; text[i] && text[i + 1]; i += 2) {
    const char pair[3] = {text[i], text[i + 1], '\0'};
    out.push_back(static_cast<uint8_t>(std::strtoul(pair, nullptr, 16)));
  }
  return out;
}

std::vector<uint8_t> read_file(const char* path) {
  std::vector<uint8_t> out;
  std::FILE* file = std::fopen(path, "rb");
  if (!file) return out;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) out.push_back(static_cast<uint8_t>(c));
  std::fclose(file);
  return out;
}

void print_hex(const uint8_t* bytes, size_t len) {
  for (size_t i = 0; i < len; ++i) std::printf("%02x", bytes[i]);
  std::printf("\n");
}

int pair(char** argv) {
  const std::vector<uint8_t> secret = from_hex(argv[2]);
  const std::vector<uint8_t> box = from_hex(argv[3]);
  if (secret.size() != edge::kX25519Len || box.size() != edge::kX25519Len) return 2;
  uint8_t camera_public[edge::kX25519Len], commitment[32], link_key[32];
  char code[edge::kPairingCodeLen + 1];
  edge::x25519_public(camera_public, secret.data());
  edge::pairing_commitment(camera_public, commitment);
  edge::pairing_code(camera_public, box.data(), code);
  if (!edge::pairing_link_key(secret.data(), camera_public, box.data(), link_key)) return 3;
  print_hex(camera_public, sizeof(camera_public));
  print_hex(commitment, sizeof(commitment));
  std::printf("%s\n", code);
  print_hex(link_key, sizeof(link_key));
  return 0;
}

int hello(char** argv) {
  const std::vector<uint8_t> key = from_hex(argv[2]);
  const std::vector<uint8_t> device_nonce = from_hex(argv[4]);
  const std::vector<uint8_t> hello_nonce = from_hex(argv[5]);
  if (key.size() != edge::kSha256Len || hello_nonce.size() != edge::kHelloNonceLen) return 2;
  uint8_t mac[edge::kMacLen];
  edge::sign_hello(key.data(), argv[3], device_nonce.data(), device_nonce.size(), hello_nonce.data(), mac);
  print_hex(mac, sizeof(mac));
  return 0;
}

int check_reply(char** argv, bool frame) {
  const std::vector<uint8_t> key = from_hex(argv[2]);
  const std::vector<uint8_t> body = read_file(argv[frame ? 5 : 4]);
  bool valid = false;
  if (frame) {
    const std::vector<uint8_t> session_id = from_hex(argv[3]);
    uint8_t session_key[edge::kSha256Len];
    edge::derive_session_key(key.data(), key.size(), session_id.data(), session_id.size(), session_key);
    const uint32_t sequence = static_cast<uint32_t>(std::strtoul(argv[4], nullptr, 10));
    valid = edge::frame_reply_valid(session_key, sequence, body.data(), body.size());
  } else {
    const std::vector<uint8_t> nonce = from_hex(argv[3]);
    if (key.size() != edge::kSha256Len || nonce.size() != edge::kHelloNonceLen) return 2;
    valid = edge::hello_reply_valid(key.data(), nonce.data(), body.data(), body.size());
  }
  std::printf(valid ? "valid\n" : "invalid\n");
  return 0;
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
  const std::vector<uint8_t> jpeg = read_file(argv[10]);
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
  if (argc == 4 && std::strcmp(argv[1], "pair") == 0) return pair(argv);
  if (argc == 6 && std::strcmp(argv[1], "hello") == 0) return hello(argv);
  if (argc == 5 && std::strcmp(argv[1], "check-hello") == 0) return check_reply(argv, false);
  if (argc == 6 && std::strcmp(argv[1], "check-frame") == 0) return check_reply(argv, true);
  std::fprintf(stderr, "usage: frame_mac_tool sign|bench|pair|hello|check-hello|check-frame ... (see source)\n");
  return 2;
}
