#include <cstdlib>
#include <cstring>
#include <string>

#include "check.h"
#include "fakes.h"
#include "node.h"
#include "sha256.h"

using edge::State;

namespace {

constexpr edge_capture_v1_CameraState kPending = edge_capture_v1_CameraState_CAMERA_STATE_PENDING;
constexpr edge_capture_v1_CameraState kPaired = edge_capture_v1_CameraState_CAMERA_STATE_PAIRED;
constexpr edge_capture_v1_CameraState kRevoked = edge_capture_v1_CameraState_CAMERA_STATE_REVOKED;
constexpr edge_capture_v1_FrameSize kQvga = edge_capture_v1_FrameSize_FRAME_SIZE_QVGA;
constexpr edge_capture_v1_FrameSize kVga = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
constexpr edge_capture_v1_FrameSize kSvga = edge_capture_v1_FrameSize_FRAME_SIZE_SVGA;

const uint8_t kStoredKey[edge::kLinkKeyLen] = {0x11, 0x22, 0x33};
const uint8_t kSession[edge::kSessionIdLen] = {1, 2, 3, 4, 5, 6, 7, 8};
const uint8_t kBoxSecret[edge::kX25519Len] = {0x42, 0x17, 0x99, 0x03};
const uint8_t kOtherBoxSecret[edge::kX25519Len] = {0x24, 0x71, 0x99, 0x30};

std::string encode(const pb_msgdesc_t* fields, const void* message) {
  uint8_t buf[1024];
  pb_ostream_t out = pb_ostream_from_buffer(buf, sizeof(buf));
  if (!pb_encode(&out, fields, message)) std::abort();
  return std::string(reinterpret_cast<char*>(buf), out.bytes_written);
}

std::string bytes(const uint8_t* data, size_t len) {
  return std::string(reinterpret_cast<const char*>(data), len);
}

// body followed by its mac field: HMAC-SHA256(key, label 0x00 || prefix || body), as the box signs.
std::string signed_body(const uint8_t* key, const char* label, const std::string& prefix,
                        const std::string& body) {
  edge::HmacSha256 mac(key, edge::kSha256Len);
  mac.update(reinterpret_cast<const uint8_t*>(label), std::strlen(label) + 1);
  mac.update(reinterpret_cast<const uint8_t*>(prefix.data()), prefix.size());
  mac.update(reinterpret_cast<const uint8_t*>(body.data()), body.size());
  uint8_t out[edge::kMacLen];
  mac.finish(out);
  return body + "\x7a\x20" + bytes(out, sizeof(out));
}

std::string proto_http(const std::string& body) {
  return fake::http_reply(200, body, "Content-Type: application/proto\r\n");
}

edge_capture_v1_HelloRequest hello_of(const fake::Request& request) {
  edge_capture_v1_HelloRequest hello;
  if (!fake::decode_hello(request.body, hello)) std::abort();
  return hello;
}

// A Hello reply signed with `key` for the Hello it answers (unsigned without a key); PAIRED replies
// offer the session kSession (unless `session` is false).
fake::Scripted hello_reply(edge_capture_v1_CameraState state, const uint8_t* key = nullptr,
                           uint32_t retry_after_ms = 0, bool session = true) {
  return fake::Scripted([=](const fake::Request& request) {
    edge_capture_v1_HelloResponse r = edge_capture_v1_HelloResponse_init_zero;
    r.state = state;
    if (state == kPaired && session) {
      std::memcpy(r.session_id.bytes, kSession, edge::kSessionIdLen);
      r.session_id.size = edge::kSessionIdLen;
    }
    r.retry_after_ms = retry_after_ms;
    const std::string body = encode(edge_capture_v1_HelloResponse_fields, &r);
    if (!key) return proto_http(body);
    const edge_capture_v1_HelloRequest hello = hello_of(request);
    return proto_http(signed_body(key, "edge-hello-reply-v1",
                                  bytes(hello.hello_nonce.bytes, hello.hello_nonce.size), body));
  });
}

// The session key of kSession under `link_key`.
std::string session_key_of(const uint8_t* link_key) {
  uint8_t key[edge::kSha256Len];
  edge::HmacSha256 mac(link_key, edge::kLinkKeyLen);
  mac.update(reinterpret_cast<const uint8_t*>("edge-session-v1"), 16);
  mac.update(kSession, edge::kSessionIdLen);
  mac.finish(key);
  return bytes(key, sizeof(key));
}

// A PushFrame reply signed with kSession's key under `link_key` for the frame it answers; `sequence`
// other than 0 signs it for that frame number instead (a replayed reply), `forged` with a wrong key.
fake::Scripted push_reply(std::vector<edge_capture_v1_Command> commands = {},
                          const uint8_t* link_key = kStoredKey, uint32_t sequence = 0,
                          bool forged = false) {
  return fake::Scripted([=](const fake::Request& request) {
    edge_capture_v1_PushFrameResponse r = edge_capture_v1_PushFrameResponse_init_zero;
    r.state = kPaired;
    for (const auto& c : commands) r.commands[r.commands_count++] = c;
    edge_capture_v1_PushFrameRequest push;
    std::string jpeg;
    if (!fake::decode_push(request.body, push, jpeg)) std::abort();
    const uint32_t n = sequence ? sequence : push.sequence;
    const uint8_t be[4] = {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)};
    std::string key = session_key_of(link_key);
    if (forged) key[0] ^= 1;
    return proto_http(signed_body(reinterpret_cast<const uint8_t*>(key.data()), "edge-frame-reply-v1",
                                  bytes(be, 4), encode(edge_capture_v1_PushFrameResponse_fields, &r)));
  });
}

// The box's side of the pairing exchange, with a fixed key.
struct PairingBox {
  const uint8_t* secret;
  uint8_t box_public[edge::kX25519Len];
  uint8_t commitment[32] = {};
  uint8_t camera_public[edge::kX25519Len] = {};
  uint8_t link_key[edge::kLinkKeyLen] = {};
  bool revealed = false;

  explicit PairingBox(const uint8_t* box_secret = kBoxSecret) : secret(box_secret) {
    edge::x25519_public(box_public, secret);
  }

  // PENDING with the box's key, or once `approved` and the camera revealed its key: PAIRED, signed
  // with the link key of the exchange.
  fake::Scripted reply(bool approved, uint32_t retry_after_ms = 0) {
    return fake::Scripted([this, approved, retry_after_ms](const fake::Request& request) {
      const edge_capture_v1_HelloRequest hello = hello_of(request);
      if (hello.pairing_commitment.size == 32 && !revealed) {
        std::memcpy(commitment, hello.pairing_commitment.bytes, 32);
      }
      if (hello.pairing_public_key.size == edge::kX25519Len) reveal(hello.pairing_public_key.bytes);
      if (approved && revealed) return hello_reply(kPaired, link_key).make(request);
      edge_capture_v1_HelloResponse r = edge_capture_v1_HelloResponse_init_zero;
      r.state = kPending;
      std::memcpy(r.box_public_key.bytes, box_public, edge::kX25519Len);
      r.box_public_key.size = edge::kX25519Len;
      r.retry_after_ms = retry_after_ms;
      return proto_http(encode(edge_capture_v1_HelloResponse_fields, &r));
    });
  }

  void reveal(const uint8_t* camera_key) {
    edge::Sha256 hash;
    hash.update(camera_key, edge::kX25519Len);
    uint8_t digest[32];
    hash.finish(digest);
    if (std::memcmp(digest, commitment, 32) != 0) std::abort();  // the camera broke its commitment
    std::memcpy(camera_public, camera_key, edge::kX25519Len);
    uint8_t shared[edge::kX25519Len];
    edge::x25519(shared, secret, camera_public);
    edge::HmacSha256 mac(shared, edge::kX25519Len);
    mac.update(reinterpret_cast<const uint8_t*>("edge-link-v1"), 13);
    mac.update(camera_public, edge::kX25519Len);
    mac.update(box_public, edge::kX25519Len);
    mac.finish(link_key);
    revealed = true;
  }
};

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
    socket.replies.push_back(hello_reply(kPaired, kStoredKey));
    node.begin();
    run_until(State::Streaming);
  }

  const fake::Request& last_request() const { return socket.requests.back(); }

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

TEST(pairing_exchange_then_approval_keeps_the_derived_key_and_streams_signed_frames) {
  Rig rig;
  rig.provisioned();
  rig.random.fallback = 0x5A5A1234u;
  PairingBox box;
  rig.socket.replies = {box.reply(false), box.reply(false, 2000), box.reply(true), push_reply({}, box.link_key)};
  rig.node.begin();
  CHECK(rig.run_until(State::Hello));
  rig.step();  // commitment -> the box's key: the camera reveals its own at once
  const edge_capture_v1_HelloRequest first = hello_of(rig.last_request());
  CHECK_EQ(rig.last_request().path, "/edge.capture.v1.CaptureService/Hello");
  CHECK_EQ(std::string(first.camera_id), "esp32cam-a1b2c3d4e5f6");
  CHECK_EQ(std::string(first.firmware_version), "1.2.0");
  CHECK_EQ(int(first.device_nonce.bytes[15]), 0xAF);
  CHECK(!first.has_link_key && first.hello_mac.size == 0);
  CHECK_EQ(int(first.hello_nonce.size), int(edge::kHelloNonceLen));
  CHECK_EQ(int(first.pairing_commitment.size), 32);
  CHECK_EQ(int(first.pairing_public_key.size), 0);
  CHECK(first.max_frame_size == edge_capture_v1_FrameSize_FRAME_SIZE_UXGA);
  CHECK(std::string(rig.node.pairing_code()).size() == edge::kPairingCodeLen);

  const uint64_t pending_at = rig.clock.now;
  CHECK(rig.run_until(State::Pending, 5));
  rig.step();
  rig.step();
  const edge_capture_v1_HelloRequest second = hello_of(rig.last_request());
  CHECK_EQ(int(second.pairing_public_key.size), int(edge::kX25519Len));
  CHECK_EQ(int(second.pairing_mac.size), int(edge::kMacLen));
  CHECK(box.revealed);
  char expected_code[edge::kPairingCodeLen + 1];
  edge::pairing_code(box.camera_public, box.box_public, expected_code);
  CHECK_EQ(std::string(rig.node.pairing_code()), std::string(expected_code));
  bool logged = false;
  for (const auto& line : rig.log.lines) logged |= line.find(expected_code) != std::string::npos;
  CHECK(logged);

  CHECK(rig.run_until(State::Streaming));  // approved: PAIRED, signed with the derived key
  CHECK(rig.clock.now - pending_at >= 2000);
  CHECK(rig.store.stored.has_link_key);
  CHECK(std::memcmp(rig.store.stored.link_key, box.link_key, edge::kLinkKeyLen) == 0);
  rig.step();
  CHECK_EQ(rig.last_request().path, "/edge.capture.v1.CaptureService/PushFrame");
  std::string jpeg;
  const edge_capture_v1_PushFrameRequest push = rig.last_push(&jpeg);
  CHECK_EQ(push.sequence, 1u);
  CHECK(std::memcmp(push.session_id.bytes, kSession, edge::kSessionIdLen) == 0);
  const std::string session_key = session_key_of(box.link_key);
  uint8_t expected[edge::kMacLen];
  edge::sign_frame(reinterpret_cast<const uint8_t*>(session_key.data()), push,
                   reinterpret_cast<const uint8_t*>(jpeg.data()), jpeg.size(), expected);
  CHECK(std::memcmp(push.mac.bytes, expected, edge::kMacLen) == 0);
  for (const auto& request : rig.socket.requests) {  // neither key ever travels
    CHECK(request.body.find(bytes(box.link_key, 8)) == std::string::npos);
    CHECK(request.body.find(session_key.substr(0, 8)) == std::string::npos);
  }
  CHECK_EQ(rig.node.frames_sent(), 1u);
  CHECK_EQ(rig.node.unverified_replies(), 0u);
}

// The box's key changes after the camera revealed its own: it never reveals it again, it starts over.
TEST(a_second_box_key_starts_the_pairing_over_with_a_fresh_key_pair) {
  Rig rig;
  rig.provisioned();
  rig.random.words = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  PairingBox box, other(kOtherBoxSecret);
  rig.socket.replies = {box.reply(false), box.reply(false), other.reply(false)};
  rig.node.begin();
  CHECK(rig.run_until(State::Hello));
  rig.step();
  CHECK(rig.run_until(State::Hello));
  rig.step();
  const edge_capture_v1_HelloRequest revealed = hello_of(rig.last_request());
  CHECK(rig.run_until(State::Hello));
  rig.step();  // answered with another box key: the exchange starts over
  CHECK_EQ(std::string(rig.node.pairing_code()), "");
  CHECK(rig.run_until(State::Hello));
  rig.socket.replies = {box.reply(false)};
  rig.step();
  const edge_capture_v1_HelloRequest fresh = hello_of(rig.last_request());
  CHECK_EQ(int(fresh.pairing_public_key.size), 0);
  CHECK(std::memcmp(fresh.pairing_commitment.bytes, revealed.pairing_commitment.bytes, 32) != 0);
}

// Replies the camera cannot verify change nothing: unsigned PAIRED or REVOKED, PAIRED with no session.
TEST(hello_replies_that_do_not_verify_leave_the_key_alone) {
  const struct {
    bool keyed;
    edge_capture_v1_CameraState state;
    const uint8_t* key;
    bool session;
    bool key_kept;
  } cases[] = {{false, kPaired, nullptr, true, false},
               {true, kPaired, nullptr, true, true},
               {true, kRevoked, nullptr, false, true},
               {true, kPaired, kStoredKey, false, true},
               {true, kRevoked, kStoredKey, false, false}};
  for (const auto& c : cases) {
    Rig rig;
    rig.provisioned(c.keyed);
    rig.socket.replies = {hello_reply(c.state, c.key, 0, c.session)};
    rig.node.begin();
    CHECK(rig.run_until(State::Pending));
    CHECK_EQ(rig.store.stored.has_link_key, c.key_kept);
    CHECK_EQ(rig.node.unverified_replies(), c.key == nullptr && c.state != kPending ? 1u : 0u);
  }
}

TEST(hello_is_signed_with_the_key_but_never_carries_it) {
  Rig rig;
  rig.streaming();
  const edge_capture_v1_HelloRequest hello = hello_of(rig.socket.requests[0]);
  CHECK(hello.has_link_key);
  CHECK_EQ(int(hello.pairing_commitment.size), 0);
  uint8_t expected[edge::kMacLen];
  edge::HmacSha256 mac(kStoredKey, edge::kLinkKeyLen);
  const std::string id = "esp32cam-a1b2c3d4e5f6";
  mac.update(reinterpret_cast<const uint8_t*>("edge-hello-v1"), 14);
  const uint8_t id_len = uint8_t(id.size());
  mac.update(&id_len, 1);
  mac.update(reinterpret_cast<const uint8_t*>(id.data()), id.size());
  mac.update(hello.device_nonce.bytes, hello.device_nonce.size);
  mac.update(hello.hello_nonce.bytes, hello.hello_nonce.size);
  mac.finish(expected);
  CHECK(std::memcmp(hello.hello_mac.bytes, expected, edge::kMacLen) == 0);
  const std::string wire = rig.socket.requests[0].body;
  CHECK(wire.find(bytes(kStoredKey, 3)) == std::string::npos);
}

TEST(a_removed_camera_drops_its_key_only_when_the_box_says_so_signed) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {fake::connect_error(403, "permission_denied"), hello_reply(kRevoked),
                        hello_reply(kRevoked, kStoredKey), hello_reply(kPending)};
  rig.step();
  CHECK(rig.node.state() == State::Hello);
  rig.step();  // REVOKED, unsigned: ignored
  CHECK(rig.store.stored.has_link_key);
  CHECK(rig.run_until(State::Hello));
  rig.step();  // REVOKED, signed with the key: cleared
  CHECK(!rig.store.stored.has_link_key);
  CHECK(rig.run_until(State::Hello));
  rig.step();
  const edge_capture_v1_HelloRequest hello = hello_of(rig.last_request());
  CHECK(!hello.has_link_key && hello.pairing_commitment.size == 32);
}

TEST(auth_error_on_push_starts_a_new_session_keeping_key) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply(), fake::connect_error(401, "unauthenticated"),
                        hello_reply(kPaired, kStoredKey), push_reply()};
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

// The box holds another key (restored from a backup, say) or a stranger floods it: the camera keeps
// its key however often it is refused, and pairs beside it until an admin approves a new pairing.
TEST(a_key_the_box_refuses_is_kept_and_a_pairing_runs_beside_it) {
  Rig rig;
  rig.streaming();
  const std::string refused = fake::connect_error(401, "unauthenticated");
  for (int i = 0; i < 10; ++i) {
    rig.socket.replies = {refused, refused};
    CHECK(rig.run_until(State::Hello));
    CHECK(rig.run_until(State::Pending));
    CHECK(rig.store.stored.has_link_key);
  }
  CHECK(std::memcmp(rig.store.stored.link_key, kStoredKey, edge::kLinkKeyLen) == 0);
  PairingBox box;
  rig.socket.replies = {box.reply(false), box.reply(true)};
  CHECK(rig.run_until(State::Streaming));
  const edge_capture_v1_HelloRequest last = hello_of(rig.last_request());
  CHECK(last.has_link_key && last.hello_mac.size == edge::kMacLen && last.pairing_mac.size == edge::kMacLen);
  CHECK(std::memcmp(rig.store.stored.link_key, box.link_key, edge::kLinkKeyLen) == 0);
}

TEST(forged_and_replayed_replies_light_nothing) {
  Rig rig;
  rig.streaming();
  const auto accepted = result_command(edge_capture_v1_ResultSignal_RESULT_SIGNAL_ACCEPTED, 0);
  rig.socket.replies = {push_reply({accepted}, kStoredKey, 0, true), push_reply({accepted}, kStoredKey, 1),
                        push_reply({accepted})};
  rig.step();  // signed with another key
  while (rig.socket.requests.size() < 3) rig.step();  // frame 2 answered with a reply made for frame 1
  CHECK(rig.feedback.shown.empty());
  CHECK_EQ(rig.node.unverified_replies(), 2u);
  CHECK(rig.node.state() == State::Streaming);
  while (rig.socket.requests.size() < 4) rig.step();
  CHECK_EQ(rig.feedback.shown.size(), 1u);
}

TEST(hq_capture_switches_size_sends_one_frame_and_switches_back) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply({hq_command(9, kSvga, 8)}), push_reply()};
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
      push_reply({hq_command(5, edge_capture_v1_FrameSize_FRAME_SIZE_UNSPECIFIED, 0)}),
      push_reply()};
  rig.step();
  rig.step();
  CHECK(rig.last_push().frame_size == kVga);
  CHECK(rig.camera.size() == kQvga);
}

TEST(hq_capture_failure_still_restores_stream_size) {
  Rig rig;
  rig.streaming();
  rig.socket.replies = {push_reply({hq_command(6, kVga, 0)})};
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
  rig.socket.replies = {push_reply({settings_command(kVga, 99, 2)})};
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
  rig.socket.replies = {push_reply({controls_command(5, 5000, 9, -7)})};
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
      push_reply({result_command(edge_capture_v1_ResultSignal_RESULT_SIGNAL_ACCEPTED, 0),
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
  rig.socket.replies = {hello_reply(kPaired, kStoredKey)};
  CHECK(rig.run_until(State::Streaming));
}

TEST(discovery_falls_back_to_configured_host) {
  Rig rig;
  rig.provisioned(true);
  std::strcpy(rig.store.stored.box_host, "10.0.0.9");
  rig.store.stored.box_port = 9000;
  rig.network.mdns = false;
  rig.socket.replies = {hello_reply(kPaired, kStoredKey)};
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
