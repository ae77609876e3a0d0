// Minimal HTTP/1.1 client for Connect-style unary POSTs over a kept-alive socket. The request body
// is written straight into the socket, so a JPEG is never copied into a request buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ports.h"

namespace edge {

struct ByteSink {
  virtual ~ByteSink() = default;
  virtual bool write(const uint8_t* data, size_t len) = 0;
};

struct Body {
  virtual ~Body() = default;
  virtual size_t size() const = 0;
  virtual bool write_to(ByteSink& sink) const = 0;
};

struct HttpResponse {
  int status;       // 0 when no response was received
  uint8_t* body;    // caller's buffer
  size_t capacity;
  size_t length;
};

class HttpClient {
 public:
  HttpClient(Socket& socket, uint32_t timeout_ms);

  // Points the client at a box; drops the connection if the address changed.
  void set_target(const char* host, uint16_t port);
  // Sends one POST; false on a transport failure (connect, write, malformed or oversized reply).
  // A request on a reused connection that fails before any reply byte is retried once.
  bool post(const char* path, const char* content_type, const Body& body, HttpResponse& response);
  void close();

 private:
  bool attempt(const char* path, const char* content_type, const Body& body,
               HttpResponse& response, bool& got_reply);
  bool read_response(HttpResponse& response, bool& got_reply);
  bool read_line(char* line, size_t cap);
  int next_byte();

  Socket& socket_;
  uint32_t timeout_ms_;
  char host_[kHostMax + 1] = {};
  uint16_t port_ = 0;
  bool keep_alive_ = false;
  uint8_t rx_[128];
  size_t rx_pos_ = 0;
  size_t rx_len_ = 0;
};

}  // namespace edge
