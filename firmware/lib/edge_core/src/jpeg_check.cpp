#include "jpeg_check.h"

namespace edge {

namespace {
constexpr size_t kMinJpeg = 4;  // SOI + EOI
}

JpegCheck check_jpeg(const uint8_t* data, size_t len) {
  if (data == nullptr || len < kMinJpeg) return {JpegStatus::TooShort, 0};
  if (data[0] != 0xFF || data[1] != 0xD8) return {JpegStatus::MissingSoi, 0};
  size_t end = len;
  while (end > kMinJpeg && data[end - 1] == 0x00) --end;
  if (data[end - 2] != 0xFF || data[end - 1] != 0xD9) return {JpegStatus::MissingEoi, 0};
  return {JpegStatus::Ok, end};
}

const char* to_string(JpegStatus status) {
  switch (status) {
    case JpegStatus::Ok: return "ok";
    case JpegStatus::TooShort: return "too short";
    case JpegStatus::MissingSoi: return "missing SOI";
    case JpegStatus::MissingEoi: return "missing EOI";
  }
  return "?";
}

}  // namespace edge
