// The small interfaces through which the core reaches time, randomness, storage, the network, the
// sensor and the LED. The Arduino glue implements them on the ESP32; the host tests fake them.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "capture.pb.h"
#include "config.h"

namespace edge {

struct Clock {
  virtual ~Clock() = default;
  virtual uint64_t now_ms() = 0;
};

struct Random {
  virtual ~Random() = default;
  virtual uint32_t next_u32() = 0;
};

struct ConfigStore {
  virtual ~ConfigStore() = default;
  // False when nothing valid is stored; config is then left untouched.
  virtual bool load(DeviceConfig& config) = 0;
  virtual bool save(const DeviceConfig& config) = 0;
};

// Captive portal that asks for Wi-Fi credentials and an optional box host.
struct Portal {
  virtual ~Portal() = default;
  virtual void start() = 0;
  // Serves the portal; true once the form was submitted, with ssid/password/box_host/box_port set.
  virtual bool poll(DeviceConfig& config) = 0;
  virtual void stop() = 0;
};

struct BoxAddress {
  char host[kHostMax + 1];
  uint16_t port;
};

struct Network {
  virtual ~Network() = default;
  // Starts joining the configured access point; returns at once.
  virtual void begin(const DeviceConfig& config) = 0;
  virtual bool connected() = 0;
  // Looks the box up by mDNS (_edge-node._tcp); false when not found.
  virtual bool discover(BoxAddress& box) = 0;
};

struct Frame {
  const uint8_t* data;
  size_t len;
};

struct Camera {
  virtual ~Camera() = default;
  // Borrows the driver's latest frame buffer until release().
  virtual bool capture(Frame& frame) = 0;
  virtual void release() = 0;
  virtual bool set_frame_size(edge_capture_v1_FrameSize size) = 0;
  virtual bool set_quality(uint32_t jpeg_quality) = 0;
  // Exposure controls, already clamped to the sensor's ranges (see Node::apply_controls).
  virtual bool set_controls(const edge_capture_v1_CameraControls& controls) = 0;
  // Deinitialises and reinitialises the camera driver.
  virtual bool reinit() = 0;
};

struct Feedback {
  virtual ~Feedback() = default;
  virtual void show(edge_capture_v1_ResultSignal signal, uint32_t duration_ms) = 0;
};

struct Socket {
  virtual ~Socket() = default;
  virtual bool connect(const char* host, uint16_t port, uint32_t timeout_ms) = 0;
  virtual bool connected() = 0;
  virtual bool write(const uint8_t* data, size_t len) = 0;
  // Bytes read (> 0), 0 when nothing arrived within timeout_ms, < 0 when the peer closed.
  virtual int read(uint8_t* buf, size_t cap, uint32_t timeout_ms) = 0;
  virtual void close() = 0;
};

struct Logger {
  virtual ~Logger() = default;
  virtual void line(const char* text) = 0;
};

}  // namespace edge
