#include "http_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

namespace edge {

namespace {

class SocketSink : public ByteSink {
 public:
  explicit SocketSink(Socket& socket) : socket_(socket) {}
  bool write(const uint8_t* data, size_t len) override { return socket_.write(data, len); }

 private:
  Socket& socket_;
};

bool header_is(const char* line, const char* name, const char** value) {
  const size_t n = strlen(name);
  if (strncasecmp(line, name, n) != 0 || line[n] != ':') return false;
  const char* v = line + n + 1;
  while (*v == ' ' || *v == '\t') ++v;
  *value = v;
  return true;
}

}  // namespace

HttpClient::HttpClient(Socket& socket, uint32_t timeout_ms)
    : socket_(socket), timeout_ms_(timeout_ms) {}

void HttpClient::set_target(const char* host, uint16_t port) {
  if (port == port_ && strcmp(host, host_) == 0) return;
  close();
  copy_string(host_, sizeof(host_), host);
  port_ = port;
}

void HttpClient::close() {
  socket_.close();
  keep_alive_ = false;
  rx_pos_ = rx_len_ = 0;
}

bool HttpClient::post(const char* path, const char* content_type, const Body& body,
                      HttpResponse& response) {
  const bool reused = keep_alive_ && socket_.connected();
  bool got_reply = false;
  if (attempt(path, content_type, body, response, got_reply)) return true;
  close();
  if (!reused || got_reply) return false;
  got_reply = false;
  if (attempt(path, content_type, body, response, got_reply)) return true;
  close();
  return false;
}

bool HttpClient::attempt(const char* path, const char* content_type, const Body& body,
                         HttpResponse& response, bool& got_reply) {
  response.status = 0;
  response.length = 0;
  if (!(keep_alive_ && socket_.connected())) {
    rx_pos_ = rx_len_ = 0;
    if (!socket_.connect(host_, port_, timeout_ms_)) return false;
  }
  char head[256];
  const int n = snprintf(head, sizeof(head),
                         "POST %s HTTP/1.1\r\nHost: %s:%u\r\nContent-Type: %s\r\n"
                         "Connect-Protocol-Version: 1\r\nContent-Length: %u\r\n\r\n",
                         path, host_, static_cast<unsigned>(port_), content_type,
                         static_cast<unsigned>(body.size()));
  if (n <= 0 || static_cast<size_t>(n) >= sizeof(head)) return false;
  SocketSink sink(socket_);
  if (!sink.write(reinterpret_cast<const uint8_t*>(head), static_cast<size_t>(n))) return false;
  if (!body.write_to(sink)) return false;
  return read_response(response, got_reply);
}

int HttpClient::next_byte() {
  if (rx_pos_ == rx_len_) {
    const int n = socket_.read(rx_, sizeof(rx_), timeout_ms_);
    if (n <= 0) return -1;
    rx_pos_ = 0;
    rx_len_ = static_cast<size_t>(n);
  }
  return rx_[rx_pos_++];
}

// Reads one CRLF-terminated line without the terminator; false on timeout, close or overflow.
bool HttpClient::read_line(char* line, size_t cap) {
  size_t len = 0;
  for (;;) {
    const int c = next_byte();
    if (c < 0) return false;
    if (c == '\n') break;
    if (len + 1 >= cap) return false;
    line[len++] = static_cast<char>(c);
  }
  if (len > 0 && line[len - 1] == '\r') --len;
  line[len] = '\0';
  return true;
}

bool HttpClient::read_response(HttpResponse& response, bool& got_reply) {
  char line[160];
  if (!read_line(line, sizeof(line))) return false;
  got_reply = true;
  if (strncmp(line, "HTTP/1.", 7) != 0 || strlen(line) < 12) return false;
  response.status = atoi(line + 9);
  bool close_after = line[7] == '0';
  long content_length = -1;
  for (;;) {
    if (!read_line(line, sizeof(line))) return false;
    if (line[0] == '\0') break;
    const char* value = nullptr;
    if (header_is(line, "Content-Length", &value)) {
      content_length = strtol(value, nullptr, 10);
    } else if (header_is(line, "Connection", &value)) {
      close_after = strncasecmp(value, "close", 5) == 0;
    } else if (header_is(line, "Transfer-Encoding", &value)) {
      return false;  // the box answers unary calls with Content-Length
    }
  }
  if (content_length < 0) close_after = true;
  if (content_length > static_cast<long>(response.capacity)) return false;
  const size_t want = content_length < 0 ? response.capacity : static_cast<size_t>(content_length);
  while (response.length < want) {
    const int c = next_byte();
    if (c < 0) break;
    response.body[response.length++] = static_cast<uint8_t>(c);
  }
  if (content_length >= 0 && response.length != want) return false;
  keep_alive_ = !close_after;
  if (close_after) close();
  return true;
}

}  // namespace edge
