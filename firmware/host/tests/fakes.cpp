#include "fakes.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fake {

bool Portal::poll(edge::DeviceConfig& config) {
  if (!submitted) return false;
  edge::copy_string(config.ssid, sizeof(config.ssid), "office");
  edge::copy_string(config.password, sizeof(config.password), "secret");
  edge::copy_string(config.box_host, sizeof(config.box_host), "10.0.0.2");
  config.box_port = 9000;
  return true;
}

bool Network::discover(edge::BoxAddress& box) {
  if (!mdns) return false;
  edge::copy_string(box.host, sizeof(box.host), "box.local");
  box.port = 8080;
  return true;
}

Camera::Camera() : jpeg(jpeg_bytes()) {}

bool Camera::capture(edge::Frame& frame) {
  ++captures;
  if (held) return false;  // the test would be wrong: the core must release first
  if (fail_next > 0) {
    --fail_next;
    return false;
  }
  held = true;
  frame.data = jpeg.data();
  frame.len = jpeg.size();
  return true;
}

void Camera::release() {
  held = false;
  ++releases;
}

bool Camera::set_frame_size(edge_capture_v1_FrameSize size) {
  sizes.push_back(size);
  return true;
}

bool Camera::set_quality(uint32_t quality) {
  qualities.push_back(quality);
  return true;
}

bool Camera::set_controls(const edge_capture_v1_CameraControls& c) {
  controls.push_back(c);
  return true;
}

bool Camera::reinit() {
  ++reinits;
  return true;
}

bool Socket::connect(const char* host, uint16_t port, uint32_t) {
  connects.push_back(std::string(host) + ":" + std::to_string(port));
  open = !refuse;
  return open;
}

bool Socket::write(const uint8_t* data, size_t len) {
  if (!open) return false;
  written.append(reinterpret_cast<const char*>(data), len);
  return true;
}

bool Socket::take_request() {
  const size_t end = written.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  Request r;
  r.head = written.substr(0, end);
  const size_t cl = r.head.find("Content-Length: ");
  const size_t len = cl == std::string::npos ? 0 : std::strtoul(r.head.c_str() + cl + 16, nullptr, 10);
  if (written.size() < end + 4 + len) return false;
  r.body = written.substr(end + 4, len);
  r.path = r.head.substr(5, r.head.find(' ', 5) - 5);
  written.erase(0, end + 4 + len);
  requests.push_back(r);
  if (replies.empty()) {
    open = false;
    return true;
  }
  const Scripted next = replies.front();
  replies.pop_front();
  pending += next.make ? next.make(r) : next.raw;
  if (pending.empty()) open = false;
  return true;
}

int Socket::read(uint8_t* buf, size_t cap, uint32_t) {
  if (pending.empty()) take_request();
  if (pending.empty()) return open ? 0 : -1;
  const size_t n = pending.size() < cap ? pending.size() : cap;
  std::memcpy(buf, pending.data(), n);
  pending.erase(0, n);
  return static_cast<int>(n);
}

void Socket::close() {
  open = false;
  pending.clear();
  written.clear();
}

std::string http_reply(int status, const std::string& body, const std::string& extra) {
  char head[200];
  std::snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n%s\r\n", status,
                body.size(), extra.c_str());
  return head + body;
}

std::string proto_reply(const pb_msgdesc_t* fields, const void* message) {
  uint8_t buf[1024];
  pb_ostream_t out = pb_ostream_from_buffer(buf, sizeof(buf));
  if (!pb_encode(&out, fields, message)) std::abort();
  return http_reply(200, std::string(reinterpret_cast<char*>(buf), out.bytes_written),
                    "Content-Type: application/proto\r\n");
}

std::string connect_error(int status, const std::string& code) {
  return http_reply(status, "{\"code\": \"" + code + "\", \"message\": \"no\"}",
                    "Content-Type: application/json\r\n");
}

bool decode_hello(const std::string& body, edge_capture_v1_HelloRequest& out) {
  out = edge_capture_v1_HelloRequest_init_zero;
  pb_istream_t in = pb_istream_from_buffer(reinterpret_cast<const uint8_t*>(body.data()), body.size());
  return pb_decode(&in, edge_capture_v1_HelloRequest_fields, &out);
}

namespace {
bool read_jpeg(pb_istream_t* stream, const pb_field_t*, void** arg) {
  std::string* jpeg = static_cast<std::string*>(*arg);
  jpeg->resize(stream->bytes_left);
  return pb_read(stream, reinterpret_cast<uint8_t*>(&(*jpeg)[0]), jpeg->size());
}
}  // namespace

bool decode_push(const std::string& body, edge_capture_v1_PushFrameRequest& out, std::string& jpeg) {
  out = edge_capture_v1_PushFrameRequest_init_zero;
  out.jpeg.funcs.decode = &read_jpeg;
  out.jpeg.arg = &jpeg;
  pb_istream_t in = pb_istream_from_buffer(reinterpret_cast<const uint8_t*>(body.data()), body.size());
  return pb_decode(&in, edge_capture_v1_PushFrameRequest_fields, &out);
}

std::vector<uint8_t> jpeg_bytes(size_t filler) {
  std::vector<uint8_t> j = {0xFF, 0xD8};
  for (size_t i = 0; i < filler; ++i) j.push_back(static_cast<uint8_t>(0x10 + i));
  j.push_back(0xFF);
  j.push_back(0xD9);
  return j;
}

}  // namespace fake
