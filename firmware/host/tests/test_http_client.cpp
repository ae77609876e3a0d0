#include <deque>
#include <string>

#include "check.h"
#include "fakes.h"
#include "http_client.h"

namespace {

struct TextBody : edge::Body {
  std::string text;
  explicit TextBody(std::string t) : text(std::move(t)) {}
  size_t size() const override { return text.size(); }
  bool write_to(edge::ByteSink& sink) const override {
    return sink.write(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  }
};

struct Buffer {
  uint8_t bytes[64];
  edge::HttpResponse response{0, bytes, sizeof(bytes), 0};
  std::string body() const { return std::string(reinterpret_cast<const char*>(bytes), response.length); }
};


// A client aimed at box:80 whose peer answers with `replies`.
struct Rig {
  fake::Socket socket;
  edge::HttpClient http{socket, 1000};
  Buffer buf;
  explicit Rig(std::deque<std::string> replies) {
    socket.replies.assign(replies.begin(), replies.end());
    http.set_target("box", 80);
  }
  bool post(const char* body) { return http.post("/x", "t", TextBody(body), buf.response); }
};
}  // namespace

TEST(http_post_sends_connect_unary_request_and_reads_reply) {
  fake::Socket socket;
  socket.replies.push_back(fake::http_reply(200, "pong"));
  edge::HttpClient http(socket, 1000);
  http.set_target("box.local", 8080);
  Buffer buf;
  CHECK(http.post("/svc/Ping", "application/proto", TextBody("ping"), buf.response));
  CHECK_EQ(buf.response.status, 200);
  CHECK_EQ(buf.body(), "pong");
  CHECK_EQ(socket.requests.size(), 1u);
  const std::string& head = socket.requests[0].head;
  CHECK_EQ(head.rfind("POST /svc/Ping HTTP/1.1\r\n", 0), 0u);
  CHECK(head.find("Host: box.local:8080\r\n") != std::string::npos);
  CHECK(head.find("Content-Type: application/proto\r\n") != std::string::npos);
  CHECK(head.find("Content-Length: 4") != std::string::npos);
  CHECK_EQ(socket.requests[0].body, "ping");
}

TEST(http_keeps_connection_alive_between_requests) {
  Rig rig({fake::http_reply(200, "a"), fake::http_reply(200, "b")});
  CHECK(rig.post("1"));
  CHECK(rig.post("2"));
  CHECK_EQ(rig.buf.body(), "b");
  CHECK_EQ(rig.socket.connects.size(), 1u);
}

TEST(http_connection_close_reconnects_next_time) {
  Rig rig({fake::http_reply(200, "a", "Connection: close\r\n"), fake::http_reply(200, "b")});
  CHECK(rig.post("1"));
  CHECK(rig.post("2"));
  CHECK_EQ(rig.socket.connects.size(), 2u);
}

TEST(http_stale_kept_alive_connection_is_retried_once) {
  Rig rig({fake::http_reply(200, "a"), "", fake::http_reply(200, "c")});
  CHECK(rig.post("1"));
  CHECK(rig.post("2"));  // the peer closed silently: reconnected and sent again
  CHECK_EQ(rig.buf.body(), "c");
  CHECK_EQ(rig.socket.connects.size(), 2u);
}

TEST(http_fresh_connection_failure_is_not_retried) {
  Rig rig({""});
  CHECK(!rig.post("1"));
  CHECK_EQ(rig.socket.requests.size(), 1u);
  rig.socket.refuse = true;
  CHECK(!rig.post("1"));
  CHECK_EQ(rig.socket.requests.size(), 1u);
}

TEST(http_error_status_and_body_are_returned) {
  Rig rig({fake::connect_error(401, "unauthenticated")});
  CHECK(rig.post("1"));
  CHECK_EQ(rig.buf.response.status, 401);
  CHECK(rig.buf.body().find("unauthenticated") != std::string::npos);
}

TEST(http_oversized_or_chunked_reply_fails) {
  Rig rig({fake::http_reply(200, std::string(65, 'x')),
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"});
  CHECK(!rig.post("1"));
  CHECK(!rig.post("1"));
}

TEST(http_changing_target_drops_the_connection) {
  Rig rig({fake::http_reply(200, "a"), fake::http_reply(200, "b")});
  CHECK(rig.post("1"));
  rig.http.set_target("other", 81);
  CHECK(rig.post("2"));
  CHECK_EQ(rig.socket.connects.size(), 2u);
  CHECK_EQ(rig.socket.connects[1], "other:81");
}
