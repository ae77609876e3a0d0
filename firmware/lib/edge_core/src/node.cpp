#include "node.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jpeg_check.h"
#include "protocol.h"

namespace edge {

namespace {

constexpr edge_capture_v1_StreamSettings kDefaultSettings = {
    edge_capture_v1_FrameSize_FRAME_SIZE_QVGA, 5, 12};

uint32_t clamp(uint32_t value, uint32_t lo, uint32_t hi) {
  return value < lo ? lo : (value > hi ? hi : value);
}

int32_t clamp_signed(int32_t value, int32_t lo, int32_t hi) {
  return value < lo ? lo : (value > hi ? hi : value);
}

bool is_auth_error(const char* code) {
  return strcmp(code, "permission_denied") == 0 || strcmp(code, "not_found") == 0 ||
         strcmp(code, "failed_precondition") == 0;
}

}  // namespace

const char* to_string(State state) {
  switch (state) {
    case State::Provisioning: return "PROVISIONING";
    case State::ConnectingWifi: return "CONNECTING_WIFI";
    case State::Discovering: return "DISCOVERING";
    case State::Hello: return "HELLO";
    case State::Pending: return "PENDING";
    case State::Streaming: return "STREAMING";
    case State::HqCapture: return "HQ_CAPTURE";
    case State::Backoff: return "BACKOFF";
  }
  return "?";
}

Node::Node(const Ports& ports, const Identity& identity)
    : ports_(ports),
      identity_(identity),
      http_(ports.socket, timing::kHttpTimeoutMs),
      backoff_(ports.random, timing::kBackoffBaseMs, timing::kBackoffCapMs),
      config_(empty_config()),
      settings_(kDefaultSettings),
      push_reply_(edge_capture_v1_PushFrameResponse_init_zero) {}

void Node::begin() {
  config_ = empty_config();
  ports_.store.load(config_);
  if (!config_.has_nonce) {
    random_bytes(config_.device_nonce, kNonceLen);
    config_.has_nonce = true;
    ports_.store.save(config_);
  }
  restore_stream_sensor();
  enter(config_.ssid[0] == '\0' ? State::Provisioning : State::ConnectingWifi);
}

uint32_t Node::step() {
  if (needs_wifi() && !ports_.network.connected()) {
    logf("wifi lost in %s", to_string(state_));
    http_.close();
    enter(State::ConnectingWifi);
    return 0;
  }
  switch (state_) {
    case State::Provisioning: return step_provisioning();
    case State::ConnectingWifi: return step_connecting_wifi();
    case State::Discovering: return step_discovering();
    case State::Hello: return step_hello();
    case State::Streaming: return step_streaming();
    case State::HqCapture: return step_hq_capture();
    case State::Pending:
    case State::Backoff: return step_waiting();
  }
  return timing::kMaxSleepMs;
}

bool Node::needs_wifi() const {
  switch (state_) {
    case State::Provisioning:
    case State::ConnectingWifi: return false;
    case State::Backoff: return resume_ != State::ConnectingWifi;
    default: return true;
  }
}

void Node::enter(State state) {
  if (state != state_) logf("%s -> %s", to_string(state_), to_string(state));
  state_ = state;
  switch (state) {
    case State::Provisioning:
      ports_.portal.start();
      break;
    case State::ConnectingWifi:
      ports_.network.begin(config_);
      wifi_deadline_ = ports_.clock.now_ms() + timing::kWifiJoinTimeoutMs;
      break;
    case State::Streaming:
      next_frame_at_ = 0;
      break;
    default:
      break;
  }
}

uint32_t Node::sleep_until(uint64_t when) {
  const uint64_t now = ports_.clock.now_ms();
  if (now >= when) return 0;
  const uint64_t left = when - now;
  return left < timing::kMaxSleepMs ? static_cast<uint32_t>(left) : timing::kMaxSleepMs;
}

uint32_t Node::retry_hello(uint32_t delay_ms) {
  resume_ = State::Hello;
  wake_at_ = ports_.clock.now_ms() + delay_ms;
  enter(State::Pending);
  return sleep_until(wake_at_);
}

uint32_t Node::step_waiting() {
  if (ports_.clock.now_ms() < wake_at_) return sleep_until(wake_at_);
  enter(resume_);
  return 0;
}

uint32_t Node::fail_network(const char* what) {
  ++network_failures_;
  State retry = state_;
  if (network_failures_ >= kRediscoverAfterFailures && retry != State::ConnectingWifi) {
    retry = State::Discovering;
    http_.close();
  }
  const uint32_t delay = backoff_.next_delay_ms();
  logf("%s failed (%u in a row), retry in %u ms", what, static_cast<unsigned>(network_failures_),
       static_cast<unsigned>(delay));
  resume_ = retry;
  wake_at_ = ports_.clock.now_ms() + delay;
  enter(State::Backoff);
  return sleep_until(wake_at_);
}

uint32_t Node::step_provisioning() {
  if (!ports_.portal.poll(config_)) return timing::kPortalPollMs;
  ports_.portal.stop();
  memset(config_.link_key, 0, sizeof(config_.link_key));
  config_.has_link_key = false;
  ports_.store.save(config_);
  logf("provisioned for network '%s'", config_.ssid);
  enter(State::ConnectingWifi);
  return 0;
}

uint32_t Node::step_connecting_wifi() {
  if (ports_.network.connected()) {
    enter(State::Discovering);
    return 0;
  }
  if (ports_.clock.now_ms() >= wifi_deadline_) return fail_network("wifi join");
  return timing::kMaxSleepMs;
}

uint32_t Node::step_discovering() {
  BoxAddress box = {};
  if (ports_.network.discover(box)) {
    logf("box found by mDNS at %s:%u", box.host, static_cast<unsigned>(box.port));
  } else if (config_.box_host[0] != '\0') {
    copy_string(box.host, sizeof(box.host), config_.box_host);
    box.port = config_.box_port;
    logf("no mDNS answer, using configured box %s:%u", box.host, static_cast<unsigned>(box.port));
  } else {
    return fail_network("box discovery");
  }
  http_.set_target(box.host, box.port);
  network_failures_ = 0;
  enter(State::Hello);
  return 0;
}

Node::Reply Node::call(const char* path, const Body& body, const pb_msgdesc_t* fields,
                       void* reply) {
  HttpResponse response = {0, reply_buf_, sizeof(reply_buf_), 0};
  if (!http_.post(path, kProtoContentType, body, response)) return Reply::Failed;
  reply_len_ = response.length;
  if (response.status == 200) {
    return decode_message(response.body, response.length, fields, reply) ? Reply::Ok
                                                                          : Reply::Failed;
  }
  char code[32] = "unknown";
  connect_error_code(response.body, response.length, code, sizeof(code));
  logf("%s: HTTP %d, code %s", path, response.status, code);
  if (strcmp(code, "unauthenticated") == 0) return Reply::Unauthenticated;
  if (is_auth_error(code)) return Reply::AuthError;
  if (strcmp(code, "invalid_argument") == 0) return Reply::Rejected;
  return Reply::Failed;
}

uint32_t Node::step_hello() {
  edge_capture_v1_HelloRequest request = edge_capture_v1_HelloRequest_init_zero;
  fill_hello(request);
  edge_capture_v1_HelloResponse response = edge_capture_v1_HelloResponse_init_zero;
  const Reply reply = call(kHelloPath, ProtoBody(edge_capture_v1_HelloRequest_fields, &request),
                           edge_capture_v1_HelloResponse_fields, &response);
  if (reply == Reply::Failed) return fail_network("hello");
  if (reply == Reply::Unauthenticated && config_.has_link_key) {
    logf("the box does not accept this link key: pairing anew beside it");
    pairing_too_ = true;
  }
  if (reply != Reply::Ok) return retry_hello(timing::kDefaultRetryAfterMs);
  network_failures_ = 0;
  backoff_.reset();
  return after_hello(request, response);
}

void Node::fill_hello(edge_capture_v1_HelloRequest& request) {
  copy_string(request.camera_id, sizeof(request.camera_id), identity_.camera_id);
  copy_string(request.firmware_version, sizeof(request.firmware_version),
              identity_.firmware_version);
  memcpy(request.device_nonce.bytes, config_.device_nonce, kNonceLen);
  request.device_nonce.size = kNonceLen;
  request.has_link_key = config_.has_link_key;
  request.max_frame_size = identity_.max_frame_size;
  random_bytes(request.hello_nonce.bytes, kHelloNonceLen);
  request.hello_nonce.size = kHelloNonceLen;
  if (config_.has_link_key) {
    sign_hello(config_.link_key, request.camera_id, config_.device_nonce, kNonceLen,
               request.hello_nonce.bytes, request.hello_mac.bytes);
    request.hello_mac.size = kMacLen;
  }
  if (config_.has_link_key && !pairing_too_) return;
  if (!has_pairing_keys_) {
    random_bytes(pairing_secret_, kX25519Len);
    x25519_public(pairing_public_, pairing_secret_);
    has_pairing_keys_ = true;
  }
  pairing_commitment(pairing_public_, request.pairing_commitment.bytes);
  request.pairing_commitment.size = kSha256Len;
  if (!has_box_public_) return;
  memcpy(request.pairing_public_key.bytes, pairing_public_, kX25519Len);
  request.pairing_public_key.size = kX25519Len;
  sign_hello(candidate_key_, request.camera_id, config_.device_nonce, kNonceLen,
             request.hello_nonce.bytes, request.pairing_mac.bytes);
  request.pairing_mac.size = kMacLen;
}

uint32_t Node::after_hello(const edge_capture_v1_HelloRequest& request,
                           const edge_capture_v1_HelloResponse& response) {
  const uint8_t* nonce = request.hello_nonce.bytes;
  const bool signed_state = response.state == edge_capture_v1_CameraState_CAMERA_STATE_PAIRED ||
                            response.state == edge_capture_v1_CameraState_CAMERA_STATE_REVOKED;
  bool paired = false;
  if (signed_state && config_.has_link_key &&
      hello_reply_valid(config_.link_key, nonce, reply_buf_, reply_len_)) {
    pairing_too_ = false;
    if (response.state == edge_capture_v1_CameraState_CAMERA_STATE_REVOKED) {
      logf("revoked by the box (signed), pairing cleared");
      set_link_key(nullptr, 0);
      restart_pairing();
      return retry_hello(0);
    }
    paired = true;
  } else if (response.state == edge_capture_v1_CameraState_CAMERA_STATE_PAIRED &&
             request.pairing_mac.size == kMacLen &&
             hello_reply_valid(candidate_key_, nonce, reply_buf_, reply_len_)) {
    logf("paired (code %s): link key kept", pairing_code_);
    set_link_key(candidate_key_, kLinkKeyLen);
    pairing_too_ = false;
    restart_pairing();
    paired = true;
  }
  if (paired) {
    if (response.has_settings) apply_settings(response.settings);
    if (!start_session(response)) {
      logf("paired but no session: saying Hello again");
      return retry_hello(timing::kDefaultRetryAfterMs);
    }
    enter(State::Streaming);
    return 0;
  }
  if (response.state != edge_capture_v1_CameraState_CAMERA_STATE_PENDING) {
    ++unverified_replies_;
    logf("a Hello reply without a valid MAC was ignored");
  }
  pairing_too_ = true;
  if (take_box_key(request, response)) return retry_hello(0);
  if (response.has_settings) apply_settings(response.settings);
  logf("waiting for approval, pairing code %s", pairing_code_[0] ? pairing_code_ : "-");
  const uint32_t retry_ms =
      response.retry_after_ms == 0
          ? timing::kDefaultRetryAfterMs
          : clamp(response.retry_after_ms, timing::kMaxSleepMs, timing::kMaxRetryAfterMs);
  return retry_hello(retry_ms);
}

bool Node::take_box_key(const edge_capture_v1_HelloRequest& request,
                        const edge_capture_v1_HelloResponse& response) {
  if (request.pairing_commitment.size != kSha256Len || response.box_public_key.size != kX25519Len) {
    return false;
  }
  const uint8_t* box = response.box_public_key.bytes;
  if (has_box_public_ && memcmp(box, box_public_, kX25519Len) == 0) return false;
  if (has_box_public_) {
    // Another box key (the box restarted, or someone else answers): this public key was revealed to
    // one box key already, so a fresh key pair starts the exchange over.
    logf("the box's pairing key changed: starting the pairing over");
    restart_pairing();
    return true;
  }
  if (!pairing_link_key(pairing_secret_, pairing_public_, box, candidate_key_)) {
    logf("the box's pairing key is not usable: starting the pairing over");
    restart_pairing();
    return true;
  }
  memcpy(box_public_, box, kX25519Len);
  has_box_public_ = true;
  edge::pairing_code(pairing_public_, box_public_, pairing_code_);
  logf("pairing code %s: approve it on the box if it shows the same", pairing_code_);
  return true;
}

void Node::restart_pairing() {
  memset(pairing_secret_, 0, sizeof(pairing_secret_));
  memset(candidate_key_, 0, sizeof(candidate_key_));
  has_pairing_keys_ = false;
  has_box_public_ = false;
  pairing_code_[0] = '\0';
}

void Node::random_bytes(uint8_t* out, size_t len) {
  for (size_t i = 0; i < len; i += 4) {
    const uint32_t word = ports_.random.next_u32();
    memcpy(out + i, &word, len - i < 4 ? len - i : 4);
  }
}

void Node::set_link_key(const uint8_t* key, size_t len) {
  uint8_t next[kLinkKeyLen] = {};
  if (len == kLinkKeyLen) memcpy(next, key, len);
  const bool has = len == kLinkKeyLen;
  if (config_.has_link_key == has && memcmp(next, config_.link_key, kLinkKeyLen) == 0) return;
  memcpy(config_.link_key, next, kLinkKeyLen);
  config_.has_link_key = has;
  ports_.store.save(config_);
}

bool Node::start_session(const edge_capture_v1_HelloResponse& response) {
  if (!config_.has_link_key || response.session_id.size != kSessionIdLen) return false;
  memcpy(session_id_, response.session_id.bytes, kSessionIdLen);
  derive_session_key(config_.link_key, kLinkKeyLen, session_id_, kSessionIdLen, session_key_);
  sequence_ = 0;
  return true;
}

bool Node::grab_frame(Frame& frame) {
  if (!ports_.camera.capture(frame)) {
    note_capture_failure();
    return false;
  }
  capture_failures_ = 0;
  const JpegCheck check = check_jpeg(frame.data, frame.len);
  if (check.status != JpegStatus::Ok) {
    ports_.camera.release();
    ++corrupt_frames_;
    logf("dropped frame: %s", to_string(check.status));
    return false;
  }
  frame.len = check.length;
  return true;
}

void Node::note_capture_failure() {
  ++capture_failures_;
  if (capture_failures_ < kReinitAfterFailures) return;
  logf("%u captures failed in a row, reinitialising the camera",
       static_cast<unsigned>(capture_failures_));
  capture_failures_ = 0;
  ++camera_reinits_;
  if (ports_.camera.reinit()) {
    restore_stream_sensor();
    if (has_controls_) ports_.camera.set_controls(controls_);
  }
}

Node::Reply Node::push(const Frame& frame, edge_capture_v1_FrameSize size, bool high_quality,
                       uint32_t command_id) {
  edge_capture_v1_PushFrameRequest request = edge_capture_v1_PushFrameRequest_init_zero;
  copy_string(request.camera_id, sizeof(request.camera_id), identity_.camera_id);
  memcpy(request.session_id.bytes, session_id_, kSessionIdLen);
  request.session_id.size = kSessionIdLen;
  request.sequence = ++sequence_;
  request.captured_at_ms = ports_.clock.now_ms();
  request.frame_size = size;
  request.high_quality = high_quality;
  request.command_id = command_id;
  bind_jpeg(request, frame);
  sign_frame(session_key_, request, frame.data, frame.len, request.mac.bytes);
  request.mac.size = kMacLen;

  push_reply_ = edge_capture_v1_PushFrameResponse_init_zero;
  const Reply reply =
      call(kPushFramePath, ProtoBody(edge_capture_v1_PushFrameRequest_fields, &request),
           edge_capture_v1_PushFrameResponse_fields, &push_reply_);
  ports_.camera.release();
  if (reply != Reply::Ok) return reply;
  ++frames_sent_;
  return frame_reply_valid(session_key_, request.sequence, reply_buf_, reply_len_) ? Reply::Ok
                                                                                  : Reply::Unverified;
}

uint32_t Node::after_push(Reply reply) {
  switch (reply) {
    case Reply::Failed: return fail_network("push frame");
    case Reply::Unauthenticated:
    case Reply::AuthError: enter(State::Hello); return 0;
    case Reply::Rejected: return 0;
    case Reply::Unverified:
      ++unverified_replies_;
      logf("a PushFrame reply without a valid MAC was ignored");
      return 0;
    case Reply::Ok: break;
  }
  network_failures_ = 0;
  backoff_.reset();
  for (pb_size_t i = 0; i < push_reply_.commands_count; ++i) {
    handle_command(push_reply_.commands[i]);
  }
  return 0;
}

void Node::handle_command(const edge_capture_v1_Command& command) {
  switch (command.which_kind) {
    case edge_capture_v1_Command_capture_high_quality_tag: {
      const edge_capture_v1_CaptureHighQuality& hq = command.kind.capture_high_quality;
      if (state_ == State::HqCapture) logf("capture %u superseded", unsigned(hq_.command_id));
      hq_.command_id = command.command_id;
      hq_.frame_size = hq.frame_size == edge_capture_v1_FrameSize_FRAME_SIZE_UNSPECIFIED
                           ? edge_capture_v1_FrameSize_FRAME_SIZE_VGA
                           : hq.frame_size;
      hq_.jpeg_quality = hq.jpeg_quality;
      enter(State::HqCapture);
      break;
    }
    case edge_capture_v1_Command_stream_settings_tag:
      apply_settings(command.kind.stream_settings);
      break;
    case edge_capture_v1_Command_camera_controls_tag:
      apply_controls(command.kind.camera_controls);
      break;
    case edge_capture_v1_Command_show_result_tag: {
      const edge_capture_v1_ShowResult& result = command.kind.show_result;
      const uint32_t ms = result.duration_ms == 0
                              ? timing::kDefaultResultMs
                              : clamp(result.duration_ms, 1, timing::kMaxResultMs);
      ports_.feedback.show(result.signal, ms);
      break;
    }
    default:
      logf("ignored unknown command %u", static_cast<unsigned>(command.command_id));
      break;
  }
}

void Node::apply_settings(const edge_capture_v1_StreamSettings& settings) {
  if (settings.frame_size != edge_capture_v1_FrameSize_FRAME_SIZE_UNSPECIFIED) {
    settings_.frame_size = settings.frame_size;
  }
  if (settings.fps != 0) settings_.fps = clamp(settings.fps, 1, 30);
  if (settings.jpeg_quality != 0) settings_.jpeg_quality = clamp(settings.jpeg_quality, 4, 63);
  restore_stream_sensor();
}

// Ranges of the esp32-camera sensor_t setters: ae_level and brightness -2..2, aec_value 0..1200
// (0 = automatic exposure), gainceiling 0..6 (2x..128x).
void Node::apply_controls(const edge_capture_v1_CameraControls& controls) {
  controls_.ae_level = clamp_signed(controls.ae_level, -2, 2);
  controls_.aec_value = clamp(controls.aec_value, 0, 1200);
  controls_.gain_ceiling = clamp(controls.gain_ceiling, 0, 6);
  controls_.brightness = clamp_signed(controls.brightness, -2, 2);
  has_controls_ = true;
  if (!ports_.camera.set_controls(controls_)) logf("camera controls not applied");
}

void Node::restore_stream_sensor() {
  ports_.camera.set_frame_size(settings_.frame_size);
  ports_.camera.set_quality(settings_.jpeg_quality);
}

uint32_t Node::step_streaming() {
  const uint64_t now = ports_.clock.now_ms();
  if (now < next_frame_at_) return sleep_until(next_frame_at_);
  Frame frame = {};
  if (!grab_frame(frame)) {
    next_frame_at_ = now + timing::kCaptureRetryMs;
    return timing::kCaptureRetryMs;
  }
  next_frame_at_ = now + 1000 / settings_.fps;
  return after_push(push(frame, settings_.frame_size, false, 0));
}

uint32_t Node::step_hq_capture() {
  const HqRequest hq = hq_;
  ports_.camera.set_frame_size(hq.frame_size);
  if (hq.jpeg_quality != 0) ports_.camera.set_quality(clamp(hq.jpeg_quality, 4, 63));
  Frame frame = {};
  if (ports_.camera.capture(frame)) ports_.camera.release();  // taken at the old size
  bool captured = false;
  for (uint32_t i = 0; i < kHqAttempts && !captured; ++i) captured = grab_frame(frame);
  const Reply reply = captured ? push(frame, hq.frame_size, true, hq.command_id) : Reply::Rejected;
  restore_stream_sensor();
  enter(State::Streaming);
  if (!captured) {
    logf("high-quality capture %u failed", static_cast<unsigned>(hq.command_id));
    return 0;
  }
  return after_push(reply);
}

void Node::logf(const char* format, ...) {
  char text[160];
  va_list args;
  va_start(args, format);
  vsnprintf(text, sizeof(text), format, args);
  va_end(args);
  ports_.log.line(text);
}

}  // namespace edge
