// Checks that a captured buffer is a complete JPEG before it is sent.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace edge {

enum class JpegStatus { Ok, TooShort, MissingSoi, MissingEoi };

struct JpegCheck {
  JpegStatus status;
  // Length up to and including the EOI marker (trailing zero padding removed); 0 unless Ok.
  size_t length;
};

// The OV2640 sometimes drops the EOI marker on busy scenes and pads buffers with zeros after it.
JpegCheck check_jpeg(const uint8_t* data, size_t len);

const char* to_string(JpegStatus status);

}  // namespace edge
