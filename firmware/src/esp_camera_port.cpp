#include "esp_camera_port.h"

#include <Arduino.h>

#include "board.h"

namespace {

framesize_t to_framesize(edge_capture_v1_FrameSize size) {
  switch (size) {
    case edge_capture_v1_FrameSize_FRAME_SIZE_VGA: return FRAMESIZE_VGA;
    case edge_capture_v1_FrameSize_FRAME_SIZE_SVGA: return FRAMESIZE_SVGA;
    case edge_capture_v1_FrameSize_FRAME_SIZE_XGA: return FRAMESIZE_XGA;
    case edge_capture_v1_FrameSize_FRAME_SIZE_SXGA: return FRAMESIZE_SXGA;
    case edge_capture_v1_FrameSize_FRAME_SIZE_UXGA: return FRAMESIZE_UXGA;
    default: return FRAMESIZE_QVGA;
  }
}

}  // namespace

bool EspCameraPort::begin() {
  config_.pin_d0 = board::kY2;
  config_.pin_d1 = board::kY3;
  config_.pin_d2 = board::kY4;
  config_.pin_d3 = board::kY5;
  config_.pin_d4 = board::kY6;
  config_.pin_d5 = board::kY7;
  config_.pin_d6 = board::kY8;
  config_.pin_d7 = board::kY9;
  config_.pin_xclk = board::kXclk;
  config_.pin_pclk = board::kPclk;
  config_.pin_vsync = board::kVsync;
  config_.pin_href = board::kHref;
  config_.pin_sccb_sda = board::kSioD;
  config_.pin_sccb_scl = board::kSioC;
  config_.pin_pwdn = board::kPwdn;
  config_.pin_reset = board::kReset;
  config_.xclk_freq_hz = 20000000;
  config_.ledc_timer = LEDC_TIMER_0;
  config_.ledc_channel = LEDC_CHANNEL_0;
  config_.pixel_format = PIXFORMAT_JPEG;
  config_.jpeg_quality = 12;
  config_.grab_mode = CAMERA_GRAB_LATEST;
  if (psramFound()) {
    // Buffers for UXGA so a high-quality capture can switch up without reallocating.
    config_.frame_size = FRAMESIZE_UXGA;
    config_.fb_count = 2;
    config_.fb_location = CAMERA_FB_IN_PSRAM;
    max_size_ = edge_capture_v1_FrameSize_FRAME_SIZE_UXGA;
  } else {
    config_.frame_size = FRAMESIZE_VGA;
    config_.fb_count = 1;
    config_.fb_location = CAMERA_FB_IN_DRAM;
    max_size_ = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
  }
  return esp_camera_init(&config_) == ESP_OK;
}

bool EspCameraPort::capture(edge::Frame& frame) {
  fb_ = esp_camera_fb_get();
  if (fb_ == nullptr) return false;
  frame.data = fb_->buf;
  frame.len = fb_->len;
  return true;
}

void EspCameraPort::release() {
  if (fb_ != nullptr) esp_camera_fb_return(fb_);
  fb_ = nullptr;
}

bool EspCameraPort::set_frame_size(edge_capture_v1_FrameSize size) {
  if (size > max_size_) size = max_size_;
  sensor_t* sensor = esp_camera_sensor_get();
  return sensor != nullptr && sensor->set_framesize(sensor, to_framesize(size)) == 0;
}

bool EspCameraPort::set_quality(uint32_t jpeg_quality) {
  sensor_t* sensor = esp_camera_sensor_get();
  return sensor != nullptr && sensor->set_quality(sensor, static_cast<int>(jpeg_quality)) == 0;
}

bool EspCameraPort::set_controls(const edge_capture_v1_CameraControls& controls) {
  sensor_t* sensor = esp_camera_sensor_get();
  if (sensor == nullptr) return false;
  const bool manual = controls.aec_value > 0;
  bool ok = sensor->set_exposure_ctrl(sensor, manual ? 0 : 1) == 0;
  if (manual) ok = sensor->set_aec_value(sensor, static_cast<int>(controls.aec_value)) == 0 && ok;
  ok = sensor->set_ae_level(sensor, static_cast<int>(controls.ae_level)) == 0 && ok;
  ok = sensor->set_gainceiling(sensor, static_cast<gainceiling_t>(controls.gain_ceiling)) == 0 && ok;
  return sensor->set_brightness(sensor, static_cast<int>(controls.brightness)) == 0 && ok;
}

bool EspCameraPort::reinit() {
  release();
  esp_camera_deinit();
  return esp_camera_init(&config_) == ESP_OK;
}
