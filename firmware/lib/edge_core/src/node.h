// The camera's state machine:
//   PROVISIONING -> CONNECTING_WIFI -> DISCOVERING -> HELLO <-> PENDING
//   HELLO -> STREAMING <-> HQ_CAPTURE; any network failure -> BACKOFF -> (retry or DISCOVERING);
//   Wi-Fi loss -> CONNECTING_WIFI; REVOKED (signed with the key) -> link key cleared -> HELLO.
// Pairing is an X25519 exchange inside Hello: the camera commits to its public key, learns the
// box's, reveals its own and logs the pairing code the admin approves; the link key never travels.
// Each Hello signed with the link key opens a new frame session (sequence from 1); each frame
// carries a MAC, and the box's replies are acted on only when their MAC verifies.
// step() does one bounded piece of work and says how long the caller may sleep; nothing here ever
// reboots the device.
#pragma once

#include <stdint.h>

#include "backoff.h"
#include "capture.pb.h"
#include "config.h"
#include "frame_mac.h"
#include "http_client.h"
#include "pairing.h"
#include "ports.h"

namespace edge {

enum class State : uint8_t {
  Provisioning,
  ConnectingWifi,
  Discovering,
  Hello,
  Pending,
  Streaming,
  HqCapture,
  Backoff,
};

const char* to_string(State state);

struct Ports {
  Clock& clock;
  Random& random;
  ConfigStore& store;
  Portal& portal;
  Network& network;
  Camera& camera;
  Socket& socket;
  Feedback& feedback;
  Logger& log;
};

struct Identity {
  const char* camera_id;
  const char* firmware_version;
  edge_capture_v1_FrameSize max_frame_size;
};

namespace timing {
constexpr uint32_t kWifiJoinTimeoutMs = 20000;
constexpr uint32_t kHttpTimeoutMs = 5000;
constexpr uint32_t kBackoffBaseMs = 500;
constexpr uint32_t kBackoffCapMs = 30000;
constexpr uint32_t kCaptureRetryMs = 50;
constexpr uint32_t kDefaultRetryAfterMs = 5000;
constexpr uint32_t kMaxRetryAfterMs = 60000;
constexpr uint32_t kDefaultResultMs = 600;
constexpr uint32_t kMaxResultMs = 5000;
constexpr uint32_t kMaxSleepMs = 100;
constexpr uint32_t kPortalPollMs = 10;
}  // namespace timing

// Consecutive driver capture failures that reinitialise the camera driver.
constexpr uint32_t kReinitAfterFailures = 10;
// Consecutive network failures after which the box is looked up again.
constexpr uint32_t kRediscoverAfterFailures = 4;
// Captures tried for one high-quality frame.
constexpr uint32_t kHqAttempts = 3;

class Node {
 public:
  Node(const Ports& ports, const Identity& identity);

  // Loads the stored config, creates the device nonce on first boot and picks the first state.
  void begin();
  // Runs one step; returns the milliseconds the caller may sleep before the next one.
  uint32_t step();

  State state() const { return state_; }
  const DeviceConfig& config() const { return config_; }
  const edge_capture_v1_StreamSettings& settings() const { return settings_; }
  // The exposure controls the box asked for last (all zero: the driver's defaults).
  const edge_capture_v1_CameraControls& controls() const { return controls_; }
  uint32_t frames_sent() const { return frames_sent_; }
  uint32_t corrupt_frames() const { return corrupt_frames_; }
  uint32_t capture_failures() const { return capture_failures_; }
  uint32_t camera_reinits() const { return camera_reinits_; }
  // Replies whose MAC did not verify, so nothing in them was acted on.
  uint32_t unverified_replies() const { return unverified_replies_; }
  // The code of the pairing exchange in progress ("" until the box's key arrived).
  const char* pairing_code() const { return pairing_code_; }

 private:
  enum class Reply { Ok, Unverified, Unauthenticated, AuthError, Rejected, Failed };

  struct HqRequest {
    uint32_t command_id;
    edge_capture_v1_FrameSize frame_size;
    uint32_t jpeg_quality;
  };

  uint32_t step_provisioning();
  uint32_t step_connecting_wifi();
  uint32_t step_discovering();
  uint32_t step_hello();
  uint32_t step_streaming();
  uint32_t step_hq_capture();
  uint32_t step_waiting();

  void enter(State state);
  uint32_t retry_hello(uint32_t delay_ms);
  uint32_t sleep_until(uint64_t when);
  uint32_t fail_network(const char* what);
  bool needs_wifi() const;

  Reply call(const char* path, const Body& body, const pb_msgdesc_t* fields, void* reply);
  Reply push(const Frame& frame, edge_capture_v1_FrameSize size, bool high_quality,
             uint32_t command_id);
  uint32_t after_push(Reply reply);
  void handle_command(const edge_capture_v1_Command& command);
  void apply_settings(const edge_capture_v1_StreamSettings& settings);
  void restore_stream_sensor();
  void apply_controls(const edge_capture_v1_CameraControls& controls);
  bool grab_frame(Frame& frame);
  void note_capture_failure();
  void set_link_key(const uint8_t* key, size_t len);
  bool start_session(const edge_capture_v1_HelloResponse& response);
  void fill_hello(edge_capture_v1_HelloRequest& request);
  uint32_t after_hello(const edge_capture_v1_HelloRequest& request,
                       const edge_capture_v1_HelloResponse& response);
  bool take_box_key(const edge_capture_v1_HelloRequest& request,
                    const edge_capture_v1_HelloResponse& response);
  void restart_pairing();
  void random_bytes(uint8_t* out, size_t len);
  void logf(const char* format, ...) __attribute__((format(printf, 2, 3)));

  Ports ports_;
  Identity identity_;
  HttpClient http_;
  Backoff backoff_;
  DeviceConfig config_;
  edge_capture_v1_StreamSettings settings_;
  edge_capture_v1_CameraControls controls_ = edge_capture_v1_CameraControls_init_zero;
  bool has_controls_ = false;
  edge_capture_v1_PushFrameResponse push_reply_;
  HqRequest hq_ = {};
  State state_ = State::Provisioning;
  State resume_ = State::Hello;
  uint64_t wake_at_ = 0;
  uint64_t wifi_deadline_ = 0;
  uint64_t next_frame_at_ = 0;
  // The frame session offered by the last Hello; sequence_ counts its frames.
  uint8_t session_id_[kSessionIdLen] = {};
  uint8_t session_key_[kSha256Len] = {};
  uint32_t sequence_ = 0;
  // The pairing exchange, in RAM only (a reboot starts a new one): this camera's one-pairing X25519
  // key pair, the box's public key once a reply carried it, and the link key they give.
  bool pairing_too_ = false;  // pair beside a stored key the box did not accept
  bool has_pairing_keys_ = false;
  bool has_box_public_ = false;
  uint8_t pairing_secret_[kX25519Len] = {};
  uint8_t pairing_public_[kX25519Len] = {};
  uint8_t box_public_[kX25519Len] = {};
  uint8_t candidate_key_[kLinkKeyLen] = {};
  char pairing_code_[kPairingCodeLen + 1] = "";
  uint32_t unverified_replies_ = 0;
  size_t reply_len_ = 0;
  uint32_t network_failures_ = 0;
  uint32_t capture_failures_ = 0;
  uint32_t camera_reinits_ = 0;
  uint32_t frames_sent_ = 0;
  uint32_t corrupt_frames_ = 0;
  uint8_t reply_buf_[1024];
};

}  // namespace edge
