#include <cstring>
#include <string>

#include "check.h"
#include "fakes.h"
#include "node.h"

using edge::State;

namespace {

constexpr edge_capture_v1_CameraState kPending = edge_capture_v1_CameraState_CAMERA_STATE_PENDING;
constexpr edge_capture_v1_CameraState kPaired = edge_capture_v1_CameraState_CAMERA_STATE_PAIRED;
constexpr edge_capture_v1_CameraState kRevoked = edge_capture_v1_CameraState_CAMERA_STATE_REVOKED;
constexpr edge_capture_v1_FrameSize kQvga = edge_capture_v1_FrameSize_FRAME_SIZE_QVGA;
constexpr edge_capture_v1_FrameSize kVga = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
constexpr edge_capture_v1_FrameSize kSvga = edge_capture_v1_FrameSize_FRAME_SIZE_SVGA;

const uint8_t kStoredKey[edge::kLinkKeyLen] = {0x11, 0x22, 0x33};
const uint8_t kIssuedKey[edge::kLinkKeyLen] = {0x99, 0x88, 0x77};
const uint8_t kSession[edge::kSessionIdLen] = {1, 2, 3, 4, 5, 6, 7, 8};

// A Hello reply; PAIRED replies offer the session kSession (unless `session` is false).
std::string hello_reply(edge_capture_v1_CameraState state, const uint8_t* key = nullptr,
                        uint32_t retry_after_ms = 0, bool session = true) {
  edge_capture_v1_HelloResponse r = edge_capture_v1_HelloResponse_init_zero;
  r.state = state;
  if (key) {
    std::memcpy(r.link_key.bytes, key, edge::kLinkKeyLen);
    r.link_key.size = edge::kLinkKeyLen;
  }
  if (state == kPaired && session) {
    std::memcpy(r.session_id.bytes, kSession, edge::kSessionIdLen);
    r.session_id.size = edge::kSessionIdLen;
  }
  std::strcpy(r.pairing_code, "K7Q2");
  r.retry_after_ms = retry_after_ms;
  return fake::proto_reply(edge_capture_v1_HelloResponse_fields, &r);
}

std::string push_reply(edge_capture_v1_CameraState state = kPaired,
                       std::vector<edge_capture_v1_Command> commands = {}) {
  edge_capture_v1_PushFrameResponse r = edge_capture_v1_PushFrameResponse_init_zero;
  r.state = state;
  for (const auto& c : commands) r.commands[r.commands_count++] = c;
  return fake::proto_reply(edge_capture_v1_PushFrameResponse_fields, &r);
}

edge_capture_v1_Command hq_command(uint32_t id, edge_capture_v1_FrameSize size, uint32_t quality) {
  edge_capture_v1_Command c = edge_capture_v1_Command_init_zero;
  c.command_id = id;
  c.which_kind = edge_capture_v1_Command_capture_high_quality_tag;
  c.kind.capture_high_quality.frame_size = size;
  c.kind.capture_high_quality.jpeg_quality = quality;
  return c;
}

edge_capture_v1_Command settings_command(edge_capture_v1_FrameSize size, uint32_t fps,
                                         uint32_t quality) {
  edge_capture_v1_Command c = edge_capture_v1_Command_init_zero;
  c.command_id = 3;
  c.which_kind = edge_capture_v1_Command_stream_settings_tag;
  c.kind.stream_settings = {size, fps, quality};
  return c;
}

edge_capture_v1_Command result_command(edge_capture_v1_ResultSignal signal, uint32_t ms) {
  edge_capture_v1_Command c = edge_capture_v1_Command_init_zero;
  c.command_id = 4;
  c.which_kind = edge_capture_v1_Command_show_result_tag;
  c.kind.show_result = {signal, ms};
  return c;
}

edge_capture_v1_Command controls_command(int32_t ae_level, uint32_t aec_value, uint32_t gain_ceiling,
                                         int32_t brightness) {
  edge_capture_v1_Command c = edge_capture_v1_Command_init_zero;
  c.command_id = 5;
  c.which_kind = edge_capture_v1_Command_camera_controls_tag;
  c.kind.camera_controls = {ae_level, aec_value, gain_ceiling, brightness};
  return c;
}

struct Rig {
  fake::Clock clock;
  fake::Random random;
  fake::Store store;
  fake::Portal portal;
  fake::Network network;
  fake::Camera camera;
  fake::Socket socket;
  fake::Feedback feedback;
  fake::Logger log;
  edge::Node node{edge::Ports{clock, random, store, portal, network, camera, socket, feedback, log},
                  edge::Identity{"esp32cam-a1b2c3d4e5f6", "1.2.0",
                                 edge_capture_v1_FrameSize_FRAME_SIZE_UXGA}};

  // A camera that was provisioned before (Wi-Fi, nonce, optionally the link key kStoredKey in NVS).
  void provisioned(bool keyed = false) {
    store.has = true;
    store.stored = edge::empty_config();
    std::strcpy(store.stored.ssid, "office");
    if (keyed) std::memcpy(store.stored.link_key, kStoredKey, edge::kLinkKeyLen);
    store.stored.has_link_key = keyed;
    for (size_t i = 0; i < edge::kNonceLen; ++i) store.stored.device_nonce[i] = uint8_t(0xA0 + i);
    store.stored.has_nonce = true;
  }

  uint32_t step() {
    const uint32_t sleep = node.step();
    clock.now += sleep;
    return sleep;
  }

  // Steps (sleeping as told) until the node is in `state`; false after max_steps.
  bool run_until(State state, int max_steps = 2000) {
    for (int i = 0; i < max_steps; ++i) {
      if (node.state() == state) return true;
      step();
    }
    return node.state() == state;
  }

  // A paired camera that has just entered STREAMING.
  void streaming() {
    provisioned(true);
    socket.replies.push_back(hello_reply(kPaired));
    node.begin();
    run_until(State::Streaming);
  }

  const fake::Request& last_request() const { return socket.requests.back(); }

  // The camera dropped its key, says Hello without one and waits.
  void check_waits_without_key() {
    CHECK(!store.stored.has_link_key);
    CHECK(run_until(State::Pending));
    edge_capture_v1_HelloRequest hello;
    CHECK(fake::decode_hello(last_request().body, hello));
    CHECK(!hello.has_link_key);
  }

  edge_capture_v1_PushFrameRequest last_push(std::string* jpeg = nullptr) const {
    edge_capture_v1_PushFrameRequest r;
    std::string bytes;
    fake::decode_push(last_request().body, r, bytes);
    if (jpeg) *jpeg = bytes;
    return r;
  }
};

}  // namespace

TEST(first_boot_creates_nonce_and_opens_the_portal) {
  Rig rig;
  rig.random.words = {0x04030201, 0x08070605, 0x0C0B0A09, 0x100F0E0D};
  rig.node.begin();
  CHECK(rig.node.state() == State::Provisioning);
  CHECK(rig.portal.started);
  CHECK(rig.store.stored.has_nonce);
  for (uint8_t i = 0; i < 16; ++i) CHECK_EQ(int(rig.store.stored.device_nonce[i]), i + 1);
}

TEST(portal_submission_saves_credentials_and_joins_wifi) {
  Rig rig;
  rig.node.begin();
  rig.step();
  CHECK(rig.node.state() == State::Provisioning);
  rig.portal.submitted = true;
  rig.step();
  CHECK(rig.portal.stopped);
  CHECK(rig.node.state() == State::ConnectingWifi);
  CHECK_EQ(std::string(rig.store.stored.ssid), "office");
  CHECK_EQ(std::string(rig.store.stored.box_host), "10.0.0.2");
  CHECK_EQ(rig.network.begins, 1);
  CHECK(rig.run_until(State::Hello, 5));
}

TEST(stored_nonce_is_kept_across_boots) {
  Rig rig;
  rig.provisioned();
  rig.node.begin();
  CHECK_EQ(rig.store.saves, 0);
  CHECK_EQ(int(rig.node.config().device_nonce[0]), 0xA0);
  CHECK(rig.node.state() == State::ConnectingWifi);
}

TEST(pending_then_paired_stores_link_key_and_streams_signed_frames) {
  Rig rig;
  rig.provisioned();
  rig.socket.replies = {hello_reply(kPending, nullptr, 2000), hello_reply(kPaired, kIssuedKey),
                        push_reply()};
  rig.node.begin();
  CHECK(rig.run_until(State::Hello));
  const uint64_t hello_at = rig.clock.now;
  rig.step();
  CHECK(rig.node.state() == State::Pending);
  edge_capture_v1_HelloRequest hello;
  CHECK(fake::decode_hello(rig.last_request().body, hello));
  CHECK_EQ(rig.last_request().path, "/edge.capture.v1.CaptureService/Hello");
  CHECK_EQ(std::string(hello.camera_id), "esp32cam-a1b2c3d4e5f6");
  CHECK_EQ(std::string(hello.firmware_version), "1.2.0");
  CHECK_EQ(int(hello.device_nonce.size), 16);
  CHECK_EQ(int(hello.device_nonce.bytes[15]), 0xAF);
  CHECK(!hello.has_link_key);
  CHECK(hello.max_frame_size == edge_capture_v1_FrameSize_FRAME_SIZE_UXGA);

  CHECK(rig.run_until(State::Hello));
  CHECK(rig.clock.now - hello_at >= 2000);
  CHECK(rig.run_until(State::Streaming));
  CHECK(rig.store.stored.has_link_key);
  CHECK(std::memcmp(rig.store.stored.link_key, kIssuedKey, edge::kLinkKeyLen) == 0);
  rig.step();
  CHECK_EQ(rig.last_request().path, "/edge.capture.v1.CaptureService/PushFrame");
  std::string jpeg;
  const edge_capture_v1_PushFrameRequest push = rig.last_push(&jpeg);
  CHECK_EQ(push.sequence, 1u);
  CHECK_EQ(int(push.session_id.size), int(edge::kSessionIdLen));
  CHECK(std::memcmp(push.session_id.bytes, kSession, edge::kSessionIdLen) == 0);
  uint8_t session_key[edge::kSha256Len];
  edge::derive_session_key(kIssuedKey, edge::kLinkKeyLen, kSession, edge::kSessionIdLen,
                           session_key);
  uint8_t expected[edge::kMacLen];
  edge::sign_frame(session_key, push, reinterpret_cast<const uint8_t*>(jpeg.data()), jpeg.size(),
                   expected);
  CHECK_EQ(int(push.mac.size), int(edge::kMacLen));
  CHECK(std::memcmp(push.mac.bytes, expected, edge::kMacLen) == 0);
  const std::string wire = rig.last_request().body;  // neither key travels with the frame
  CHECK(wire.find(std::string(reinterpret_cast<const char*>(kIssuedKey), 8)) == std::string::npos);
  CHECK(wire.find(std::string(reinterpret_cast<const char*>(session_key), 8)) == std::string::npos);
  CHECK_EQ(rig.node.frames_sent(), 1u);
}

// Hello answered PAIRED with no key held or no session offered, or REVOKED: wait, Hello again.
TEST(hello_without_usable_key_or_session_waits) {
  const struct {
    bool keyed;
    edge_capture_v1_CameraState state;
    bool session;
    bool key_kept;
  } cases[] = {{false, kPaired, true, false},
               {true, kPaired, false, true},
               {true, kRevoked, false, false}};
  for (const auto& c : cases) {
    Rig rig;
    rig.provisioned(c.keyed);
    rig.socket.replies = {hello_reply(c.state, nullptr, 0, c.session)};
    rig.node.begin();
    CHECK(rig.run_until(State::Pending));
    CHECK_EQ(rig.store.stored.has_link_key, c.key_kept);
  }
}

TEST(hello_says_a_key_is_held_but_never_sends_it) {
  Rig rig;
  rig.streaming();
  edge_capture_v1_HelloRequest hello;
  CHECK(fake::decode_hello(rig.socket.requests[0].body, hello));
  CHECK(hello.has_link_key);
  const std::string wire = rig.socket.requests[0].body;
  CHECK(wire.find(std::string(reinterpret_cast<const char*>(kStoredKey), 3)) == std::string::npos);
}

TEST(revoked_push_clears_key_and_says_hello_again) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(kRevoked), hello_reply(kPending)};
  rig.step();
  CHECK(rig.node.state() == State::Hello);
  rig.check_waits_without_key();
}

TEST(auth_error_on_push_starts_a_new_session_keeping_key) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(), fake::connect_error(401, "unauthenticated"),
                        hello_reply(kPaired), push_reply()};
  rig.step();
  CHECK_EQ(rig.last_push().sequence, 1u);
  CHECK(rig.run_until(State::Hello));
  CHECK(rig.store.stored.has_link_key);
  CHECK(std::memcmp(rig.store.stored.link_key, kStoredKey, edge::kLinkKeyLen) == 0);
  CHECK(rig.run_until(State::Streaming));
  rig.clock.now += 1000;
  rig.step();
  CHECK_EQ(rig.last_push().sequence, 1u);  // frames count from 1 again in the new session
}

// The box holds another key (restored from a backup, say): every new session's first frame is
// refused, so after a few the camera drops its key and asks to re-pair.
TEST(a_key_the_box_keeps_refusing_is_dropped_to_re_pair) {
  Rig rig;
  rig.streaming();
  const std::string refused = fake::connect_error(401, "unauthenticated");
  rig.socket.replies = {refused, hello_reply(kPaired), refused, hello_reply(kPaired), refused,
                        hello_reply(kPending)};
  for (uint32_t i = 0; i < edge::kForgetKeyAfterRefusedSessions; ++i) {
    CHECK(rig.store.stored.has_link_key);
    rig.step();
    CHECK_EQ(rig.last_push().sequence, 1u);
    CHECK(rig.node.state() == State::Hello);
    if (i + 1 < edge::kForgetKeyAfterRefusedSessions) CHECK(rig.run_until(State::Streaming));
  }
  rig.check_waits_without_key();
}

TEST(a_refused_frame_after_a_working_session_keeps_the_key) {
  Rig rig;
  rig.streaming();
  for (uint32_t i = 0; i < edge::kForgetKeyAfterRefusedSessions + 1; ++i) {
    rig.socket.replies = {push_reply(), fake::connect_error(401, "unauthenticated"),
                          hello_reply(kPaired)};
    CHECK(rig.run_until(State::Hello));
    CHECK(rig.run_until(State::Streaming));
  }
  CHECK(rig.store.stored.has_link_key);
}

TEST(hq_capture_switches_size_sends_one_frame_and_switches_back) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(kPaired, {hq_command(9, kSvga, 8)}), push_reply()};
  rig.step();
  CHECK(rig.node.state() == State::HqCapture);
  const size_t sizes_before = rig.camera.sizes.size();
  const int captures_before = rig.camera.captures;
  rig.step();
  CHECK(rig.node.state() == State::Streaming);
  // switched to SVGA, then back to the stream size
  CHECK_EQ(rig.camera.sizes.size(), sizes_before + 2);
  CHECK(rig.camera.sizes[sizes_before] == kSvga);
  CHECK(rig.camera.size() == kQvga);
  CHECK_EQ(rig.camera.qualities[rig.camera.qualities.size() - 2], 8u);
  CHECK_EQ(rig.camera.qualities.back(), 12u);
  // one stale frame discarded, one sent
  CHECK_EQ(rig.camera.captures - captures_before, 2);
  CHECK(!rig.camera.held);
  std::string jpeg;
  const edge_capture_v1_PushFrameRequest push = rig.last_push(&jpeg);
  CHECK(push.high_quality);
  CHECK_EQ(push.command_id, 9u);
  CHECK(push.frame_size == kSvga);
  CHECK_EQ(jpeg.size(), rig.camera.jpeg.size());
}

TEST(hq_capture_defaults_to_vga) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {
      push_reply(kPaired, {hq_command(5, edge_capture_v1_FrameSize_FRAME_SIZE_UNSPECIFIED, 0)}),
      push_reply()};
  rig.step();
  rig.step();
  CHECK(rig.last_push().frame_size == kVga);
  CHECK(rig.camera.size() == kQvga);
}

TEST(hq_capture_failure_still_restores_stream_size) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(kPaired, {hq_command(6, kVga, 0)})};
  rig.step();
  rig.camera.fail_next = 1 + edge::kHqAttempts;
  const size_t requests = rig.socket.requests.size();
  rig.step();
  CHECK(rig.node.state() == State::Streaming);
  CHECK(rig.camera.size() == kQvga);
  CHECK_EQ(rig.socket.requests.size(), requests);
}

TEST(stream_settings_command_is_applied_and_clamped) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(kPaired, {settings_command(kVga, 99, 2)})};
  rig.step();
  CHECK(rig.node.settings().frame_size == kVga);
  CHECK_EQ(rig.node.settings().fps, 30u);
  CHECK_EQ(rig.node.settings().jpeg_quality, 4u);
  CHECK(rig.camera.size() == kVga);
  CHECK_EQ(rig.camera.qualities.back(), 4u);
}

TEST(camera_controls_are_clamped_applied_and_survive_reinit) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(kPaired, {controls_command(5, 5000, 9, -7)})};
  rig.step();
  CHECK_EQ(rig.camera.controls.size(), 1u);
  const edge_capture_v1_CameraControls& applied = rig.camera.controls.back();
  CHECK_EQ(applied.ae_level, 2);
  CHECK_EQ(applied.aec_value, 1200u);
  CHECK_EQ(applied.gain_ceiling, 6u);
  CHECK_EQ(applied.brightness, -2);
  CHECK_EQ(rig.node.controls().aec_value, 1200u);
  rig.camera.fail_next = edge::kReinitAfterFailures;
  while (rig.camera.reinits == 0) rig.step();
  CHECK_EQ(rig.camera.controls.size(), 2u);  // re-applied once the driver restarted
  CHECK_EQ(rig.camera.controls.back().ae_level, 2);
}

TEST(frames_are_paced_by_fps) {
  Rig rig;
  rig.streaming();  // default 5 fps
  rig.socket.replies = {push_reply(), push_reply()};
  const uint64_t t0 = rig.clock.now;
  rig.step();
  CHECK_EQ(rig.node.frames_sent(), 1u);
  while (rig.node.frames_sent() < 2) rig.step();
  CHECK(rig.clock.now - t0 >= 200);
}

TEST(show_result_drives_feedback) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {
      push_reply(kPaired, {result_command(edge_capture_v1_ResultSignal_RESULT_SIGNAL_ACCEPTED, 0),
                           result_command(edge_capture_v1_ResultSignal_RESULT_SIGNAL_REJECTED, 90000)})};
  rig.step();
  CHECK_EQ(rig.feedback.shown.size(), 2u);
  CHECK(rig.feedback.shown[0].first == edge_capture_v1_ResultSignal_RESULT_SIGNAL_ACCEPTED);
  CHECK_EQ(rig.feedback.shown[0].second, edge::timing::kDefaultResultMs);
  CHECK(rig.feedback.shown[1].first == edge_capture_v1_ResultSignal_RESULT_SIGNAL_REJECTED);
  CHECK_EQ(rig.feedback.shown[1].second, edge::timing::kMaxResultMs);
}

TEST(single_capture_failure_is_retried_without_reinit) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply()};
  rig.camera.fail_next = 1;
  rig.step();
  CHECK(rig.node.state() == State::Streaming);
  CHECK_EQ(rig.node.capture_failures(), 1u);
  CHECK_EQ(rig.camera.reinits, 0);
  while (rig.node.frames_sent() == 0) rig.step();
  CHECK_EQ(rig.node.capture_failures(), 0u);
  CHECK(rig.node.state() == State::Streaming);
}

TEST(long_run_of_capture_failures_reinitialises_camera_once) {
  Rig rig;
  rig.streaming();
  rig.camera.fail_next = edge::kReinitAfterFailures;
  const size_t sizes_before = rig.camera.sizes.size();
  for (uint32_t i = 0; i < edge::kReinitAfterFailures; ++i) rig.step();
  CHECK_EQ(rig.camera.reinits, 1);
  CHECK(rig.node.state() == State::Streaming);
  CHECK_EQ(rig.camera.sizes.size(), sizes_before + 1);  // stream settings re-applied
  rig.socket.replies = {push_reply()};
  while (rig.node.frames_sent() == 0) rig.step();
  CHECK_EQ(rig.camera.reinits, 1);
}

TEST(corrupt_frame_is_dropped_not_sent) {
  Rig rig;
  rig.streaming();
  rig.camera.jpeg.pop_back();  // no EOI
  const size_t requests = rig.socket.requests.size();
  rig.step();
  CHECK_EQ(rig.socket.requests.size(), requests);
  CHECK_EQ(rig.node.corrupt_frames(), 1u);
  CHECK(!rig.camera.held);
  CHECK(rig.node.state() == State::Streaming);
}

TEST(network_failure_backs_off_then_rediscovers) {
  Rig rig;
  rig.streaming();
  rig.random.fallback = 0xFFFFFFFFu;  // longest jitter
  rig.socket.refuse = true;
  const uint64_t t0 = rig.clock.now;
  rig.step();
  CHECK(rig.node.state() == State::Backoff);
  CHECK(rig.run_until(State::Streaming));
  CHECK(rig.clock.now - t0 >= edge::timing::kBackoffBaseMs);
  for (uint32_t i = 1; i < edge::kRediscoverAfterFailures; ++i) {
    rig.run_until(State::Streaming);
    rig.step();
  }
  CHECK(rig.run_until(State::Discovering));
  CHECK_EQ(rig.camera.reinits, 0);
}

TEST(backoff_delay_grows_within_jitter_bounds) {
  Rig rig;
  rig.provisioned();
  rig.random.fallback = 0xFFFFFFFFu;
  rig.socket.refuse = true;
  rig.node.begin();
  rig.run_until(State::Hello);
  uint64_t previous = 0;
  for (int i = 0; i < 3; ++i) {
    rig.run_until(State::Hello);
    rig.step();
    CHECK(rig.node.state() == State::Backoff);
    const uint64_t start = rig.clock.now;
    rig.run_until(State::Hello);
    const uint64_t waited = rig.clock.now - start;
    CHECK(waited > previous);
    CHECK(waited <= edge::timing::kBackoffCapMs);
    previous = waited;
  }
}

TEST(wifi_loss_reconnects_and_join_timeout_backs_off) {
  Rig rig;
  rig.streaming();
  rig.network.up = false;
  rig.network.join_on_begin = false;
  rig.step();
  CHECK(rig.node.state() == State::ConnectingWifi);
  CHECK_EQ(rig.network.begins, 2);
  CHECK(rig.run_until(State::Backoff));
  CHECK(rig.run_until(State::ConnectingWifi));
  CHECK_EQ(rig.network.begins, 3);
  rig.network.up = true;
  rig.socket.replies = {hello_reply(kPaired)};
  CHECK(rig.run_until(State::Streaming));
}

TEST(discovery_falls_back_to_configured_host) {
  Rig rig;
  rig.provisioned(true);
  std::strcpy(rig.store.stored.box_host, "10.0.0.9");
  rig.store.stored.box_port = 9000;
  rig.network.mdns = false;
  rig.socket.replies = {hello_reply(kPaired)};
  rig.node.begin();
  CHECK(rig.run_until(State::Streaming));
  CHECK_EQ(rig.socket.connects[0], "10.0.0.9:9000");
}

TEST(discovery_without_mdns_or_host_backs_off) {
  Rig rig;
  rig.provisioned();
  rig.network.mdns = false;
  rig.node.begin();
  CHECK(rig.run_until(State::Backoff));
  CHECK(rig.run_until(State::Discovering));
  rig.network.mdns = true;
  CHECK(rig.run_until(State::Hello));
  CHECK_EQ(rig.socket.connects.size(), 0u);
}
