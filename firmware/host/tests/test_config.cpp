#include <cstring>
#include <string>

#include "check.h"
#include "config.h"

TEST(parse_host_port_accepts_host_and_host_with_port) {
  char host[16];
  uint16_t port = 0;
  CHECK(edge::parse_host_port("10.0.0.2", host, sizeof(host), &port));
  CHECK_EQ(std::string(host), "10.0.0.2");
  CHECK_EQ(port, edge::kDefaultBoxPort);
  CHECK(edge::parse_host_port("box.local:9000", host, sizeof(host), &port));
  CHECK_EQ(std::string(host), "box.local");
  CHECK_EQ(port, 9000);
}

TEST(parse_host_port_refuses_bad_input) {
  char host[8];
  uint16_t port = 1;
  CHECK(!edge::parse_host_port("", host, sizeof(host), &port));
  CHECK(!edge::parse_host_port(":80", host, sizeof(host), &port));
  CHECK(!edge::parse_host_port("box:", host, sizeof(host), &port));
  CHECK(!edge::parse_host_port("box:0", host, sizeof(host), &port));
  CHECK(!edge::parse_host_port("box:65536", host, sizeof(host), &port));
  CHECK(!edge::parse_host_port("box:8o", host, sizeof(host), &port));
  CHECK(!edge::parse_host_port("much-too-long-host", host, sizeof(host), &port));
  CHECK_EQ(port, 1);
}

TEST(copy_string_truncates_and_reports) {
  char dst[4];
  CHECK(edge::copy_string(dst, sizeof(dst), "abc"));
  CHECK(!edge::copy_string(dst, sizeof(dst), "abcd"));
  CHECK_EQ(std::string(dst), "abc");
}
