#include <vector>

#include "check.h"
#include "fakes.h"
#include "jpeg_check.h"

using edge::check_jpeg;
using edge::JpegStatus;

TEST(jpeg_good_frame_is_ok_with_full_length) {
  const std::vector<uint8_t> j = fake::jpeg_bytes(10);
  const edge::JpegCheck c = check_jpeg(j.data(), j.size());
  CHECK(c.status == JpegStatus::Ok);
  CHECK_EQ(c.length, j.size());
}

TEST(jpeg_missing_eoi_is_refused) {
  std::vector<uint8_t> j = fake::jpeg_bytes(10);
  j.resize(j.size() - 1);  // cut inside the EOI marker
  CHECK(check_jpeg(j.data(), j.size()).status == JpegStatus::MissingEoi);
  j.resize(j.size() - 1);
  CHECK(check_jpeg(j.data(), j.size()).status == JpegStatus::MissingEoi);
}

TEST(jpeg_missing_soi_is_refused) {
  std::vector<uint8_t> j = fake::jpeg_bytes(10);
  j[1] = 0xD9;
  CHECK(check_jpeg(j.data(), j.size()).status == JpegStatus::MissingSoi);
}

TEST(jpeg_trailing_zero_padding_is_trimmed) {
  std::vector<uint8_t> j = fake::jpeg_bytes(10);
  const size_t real = j.size();
  j.insert(j.end(), 37, 0x00);
  const edge::JpegCheck c = check_jpeg(j.data(), j.size());
  CHECK(c.status == JpegStatus::Ok);
  CHECK_EQ(c.length, real);
}

TEST(jpeg_nonzero_garbage_after_eoi_is_refused) {
  std::vector<uint8_t> j = fake::jpeg_bytes(10);
  j.push_back(0x00);
  j.push_back(0x42);
  CHECK(check_jpeg(j.data(), j.size()).status == JpegStatus::MissingEoi);
}

TEST(jpeg_padding_without_eoi_is_refused) {
  std::vector<uint8_t> j = {0xFF, 0xD8, 0x01, 0x02, 0x00, 0x00, 0x00};
  CHECK(check_jpeg(j.data(), j.size()).status == JpegStatus::MissingEoi);
}

TEST(jpeg_too_short_is_refused) {
  const uint8_t soi_eoi[] = {0xFF, 0xD8, 0xFF, 0xD9};
  CHECK(check_jpeg(soi_eoi, 3).status == JpegStatus::TooShort);
  CHECK(check_jpeg(soi_eoi, 0).status == JpegStatus::TooShort);
  CHECK(check_jpeg(nullptr, 10).status == JpegStatus::TooShort);
  CHECK(check_jpeg(soi_eoi, 4).status == JpegStatus::Ok);
}
