// edge::Camera on the esp32-camera driver.
#pragma once

#include <esp_camera.h>

#include "ports.h"

class EspCameraPort : public edge::Camera {
 public:
  // Initialises the sensor; buffers are sized for the largest frame the board can hold.
  bool begin();
  edge_capture_v1_FrameSize max_frame_size() const { return max_size_; }

  bool capture(edge::Frame& frame) override;
  void release() override;
  bool set_frame_size(edge_capture_v1_FrameSize size) override;
  bool set_quality(uint32_t jpeg_quality) override;
  bool set_controls(const edge_capture_v1_CameraControls& controls) override;
  bool reinit() override;

 private:
  camera_config_t config_ = {};
  camera_fb_t* fb_ = nullptr;
  edge_capture_v1_FrameSize max_size_ = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
};
