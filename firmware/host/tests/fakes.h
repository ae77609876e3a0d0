// Fakes of the core's ports, and a scripted box behind a fake socket.
#pragma once

#include <pb_decode.h>
#include <pb_encode.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "capture.pb.h"
#include "ports.h"

namespace fake {

struct Clock : edge::Clock {
  uint64_t now = 1000;
  uint64_t now_ms() override { return now; }
};

// Returns the scripted words in turn, then `fallback` forever.
struct Random : edge::Random {
  std::deque<uint32_t> words;
  uint32_t fallback = 0x80000000u;
  uint32_t next_u32() override {
    if (words.empty()) return fallback;
    const uint32_t w = words.front();
    words.pop_front();
    return w;
  }
};

struct Store : edge::ConfigStore {
  bool has = false;
  edge::DeviceConfig stored = {};
  int saves = 0;
  bool load(edge::DeviceConfig& config) override {
    if (has) config = stored;
    return has;
  }
  bool save(const edge::DeviceConfig& config) override {
    stored = config;
    has = true;
    ++saves;
    return true;
  }
};

struct Portal : edge::Portal {
  bool started = false;
  bool stopped = false;
  bool submitted = false;
  void start() override { started = true; }
  bool poll(edge::DeviceConfig& config) override;
  void stop() override { stopped = true; }
};

struct Network : edge::Network {
  bool up = false;
  bool join_on_begin = true;
  int begins = 0;
  bool mdns = true;
  void begin(const edge::DeviceConfig&) override {
    ++begins;
    if (join_on_begin) up = true;
  }
  bool connected() override { return up; }
  bool discover(edge::BoxAddress& box) override;
};

struct Camera : edge::Camera {
  std::vector<uint8_t> jpeg;           // what capture() returns
  int fail_next = 0;                   // captures to fail before succeeding
  bool held = false;                   // a frame is borrowed
  int captures = 0;
  int releases = 0;
  int reinits = 0;
  std::vector<edge_capture_v1_FrameSize> sizes;  // every set_frame_size
  std::vector<uint32_t> qualities;               // every set_quality
  std::vector<edge_capture_v1_CameraControls> controls;  // every set_controls
  Camera();
  bool capture(edge::Frame& frame) override;
  void release() override;
  bool set_frame_size(edge_capture_v1_FrameSize size) override;
  bool set_quality(uint32_t quality) override;
  bool set_controls(const edge_capture_v1_CameraControls& c) override;
  bool reinit() override;
  edge_capture_v1_FrameSize size() const { return sizes.back(); }
};

struct Feedback : edge::Feedback {
  std::vector<std::pair<edge_capture_v1_ResultSignal, uint32_t>> shown;
  void show(edge_capture_v1_ResultSignal signal, uint32_t ms) override {
    shown.emplace_back(signal, ms);
  }
};

struct Logger : edge::Logger {
  std::vector<std::string> lines;
  void line(const char* text) override { lines.emplace_back(text); }
};

struct Request {
  std::string head;  // request line and headers
  std::string path;
  std::string body;
};

// A scripted reply: fixed bytes, or made from the request it answers (a signed reply covers the
// request's nonce or sequence).
struct Scripted {
  Scripted(std::string raw) : raw(std::move(raw)) {}  // NOLINT: implicit, so scripts stay lists
  Scripted(std::function<std::string(const Request&)> make) : make(std::move(make)) {}  // NOLINT
  std::string raw;
  std::function<std::string(const Request&)> make;
};

// A socket whose peer answers each complete request with the next scripted reply.
struct Socket : edge::Socket {
  std::deque<Scripted> replies;  // raw HTTP replies; "" closes without answering
  std::vector<Request> requests;
  std::vector<std::string> connects;  // "host:port" per connect
  bool refuse = false;
  bool open = false;
  std::string written;
  std::string pending;  // reply bytes not yet read

  bool connect(const char* host, uint16_t port, uint32_t timeout_ms) override;
  bool connected() override { return open; }
  bool write(const uint8_t* data, size_t len) override;
  int read(uint8_t* buf, size_t cap, uint32_t timeout_ms) override;
  void close() override;

 private:
  bool take_request();
};

// Helpers that build a box's replies.
std::string http_reply(int status, const std::string& body, const std::string& extra = "");
std::string proto_reply(const pb_msgdesc_t* fields, const void* message);
std::string connect_error(int status, const std::string& code);

// Decoders for what the camera sent.
bool decode_hello(const std::string& body, edge_capture_v1_HelloRequest& out);
bool decode_push(const std::string& body, edge_capture_v1_PushFrameRequest& out, std::string& jpeg);

// A tiny but well-formed JPEG: SOI, filler, EOI.
std::vector<uint8_t> jpeg_bytes(size_t filler = 8);

}  // namespace fake
