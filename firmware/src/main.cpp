// ESP32-CAM entry point: wires the Arduino ports to the plain C++ core (lib/edge_core) and runs
// its state machine from loop(), feeding the task watchdog. Nothing here reboots on an error.
#include <Arduino.h>
#include <WiFi.h>
#include <esp_arduino_version.h>
#include <esp_random.h>
#include <esp_task_wdt.h>
#include <esp_timer.h>

#include "captive_portal.h"
#include "esp_camera_port.h"
#include "factory_reset.h"
#include "led_feedback.h"
#include "node.h"
#include "nvs_store.h"
#include "wifi_network.h"

#ifndef EDGE_FIRMWARE_VERSION
#define EDGE_FIRMWARE_VERSION "dev"
#endif

namespace {

constexpr uint32_t kWatchdogSeconds = 30;

struct UptimeClock : edge::Clock {
  uint64_t now_ms() override { return static_cast<uint64_t>(esp_timer_get_time()) / 1000; }
};

struct HardwareRandom : edge::Random {
  uint32_t next_u32() override { return esp_random(); }  // true random once the radio is on
};

struct SerialLogger : edge::Logger {
  void line(const char* text) override { Serial.println(text); }
};

char camera_id[24];
char ap_name[24];

UptimeClock clock_port;
HardwareRandom random_port;
SerialLogger logger;
NvsStore store;
CaptivePortal portal(ap_name);
WifiNetwork network(camera_id);
EspCameraPort camera;
WifiSocket socket_port;
LedFeedback feedback;
edge::Node* node = nullptr;

void make_names() {
  uint8_t mac[6];
  WiFi.macAddress(mac);
  snprintf(camera_id, sizeof(camera_id), "esp32cam-%02x%02x%02x%02x%02x%02x", mac[0], mac[1],
           mac[2], mac[3], mac[4], mac[5]);
  snprintf(ap_name, sizeof(ap_name), "edge-cam-%02X%02X", mac[4], mac[5]);
}

void start_watchdog() {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  esp_task_wdt_config_t config = {};
  config.timeout_ms = kWatchdogSeconds * 1000;
  config.trigger_panic = true;
  if (esp_task_wdt_reconfigure(&config) != ESP_OK) esp_task_wdt_init(&config);
#else
  esp_task_wdt_init(kWatchdogSeconds, true);
#endif
  esp_task_wdt_add(nullptr);
}

}  // namespace

void setup() {
  Serial.begin(115200);
  if (factory_reset::requested()) {
    store.clear();
    Serial.println("factory reset: stored Wi-Fi, box host and pairing cleared");
  }
  WiFi.mode(WIFI_STA);  // radio on: esp_random() is then a true RNG for the device nonce
  make_names();
  feedback.begin();
  if (!camera.begin()) Serial.println("camera init failed; the core retries it");
  start_watchdog();

  static edge::Node instance(
      edge::Ports{clock_port, random_port, store, portal, network, camera, socket_port, feedback,
                  logger},
      edge::Identity{camera_id, EDGE_FIRMWARE_VERSION, camera.max_frame_size()});
  node = &instance;
  Serial.printf("%s firmware %s\n", camera_id, EDGE_FIRMWARE_VERSION);
  node->begin();
}

void loop() {
  esp_task_wdt_reset();
  feedback.update();
  factory_reset::settle(millis());
  delay(node->step());
}
