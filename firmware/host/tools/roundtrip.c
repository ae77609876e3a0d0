/* Round-trip tool between the nanopb code and other protobuf implementations, for every message
 * of edge.capture.v1:
 *   roundtrip list                   names of all messages
 *   roundtrip encode DIR             writes DIR/<Message>.bin holding each canonical instance
 *   roundtrip reencode NAME IN OUT   decodes IN as NAME with nanopb and encodes it again to OUT
 * The canonical values are mirrored in tests/firmware/test_firmware_roundtrip.py. */
#include <pb_decode.h>
#include <pb_encode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.pb.h"

#define MAX_MESSAGE 16384
#define MAX_JPEG 65536

typedef union {
  edge_capture_v1_StreamSettings stream_settings;
  edge_capture_v1_HelloRequest hello_request;
  edge_capture_v1_HelloResponse hello_response;
  edge_capture_v1_PushFrameRequest push_frame_request;
  edge_capture_v1_CaptureHighQuality capture_high_quality;
  edge_capture_v1_ShowResult show_result;
  edge_capture_v1_CameraControls camera_controls;
  edge_capture_v1_Command command;
  edge_capture_v1_PushFrameResponse push_frame_response;
  edge_capture_v1_Camera camera;
  edge_capture_v1_ListCamerasRequest list_cameras_request;
  edge_capture_v1_ListCamerasResponse list_cameras_response;
  edge_capture_v1_ApproveCameraRequest approve_camera_request;
  edge_capture_v1_ApproveCameraResponse approve_camera_response;
  edge_capture_v1_RemoveCameraRequest remove_camera_request;
  edge_capture_v1_RemoveCameraResponse remove_camera_response;
  edge_capture_v1_GetSnapshotRequest get_snapshot_request;
  edge_capture_v1_GetSnapshotResponse get_snapshot_response;
  edge_capture_v1_RequestCaptureRequest request_capture_request;
  edge_capture_v1_RequestCaptureResponse request_capture_response;
  edge_capture_v1_AddSourceRequest add_source_request;
  edge_capture_v1_AddSourceResponse add_source_response;
  edge_capture_v1_UpdateStreamSettingsRequest update_stream_settings_request;
  edge_capture_v1_UpdateStreamSettingsResponse update_stream_settings_response;
} AnyMessage;

/* The bytes behind a message's jpeg callback field. */
typedef struct {
  pb_byte_t bytes[MAX_JPEG];
  size_t len;
} Blob;

static Blob jpeg_blob;

static bool write_blob(pb_ostream_t *stream, const pb_field_t *field, void *const *arg) {
  const Blob *blob = (const Blob *)*arg;
  return pb_encode_tag_for_field(stream, field) && pb_encode_string(stream, blob->bytes, blob->len);
}

static bool read_blob(pb_istream_t *stream, const pb_field_t *field, void **arg) {
  Blob *blob = (Blob *)*arg;
  (void)field;
  if (stream->bytes_left > sizeof(blob->bytes)) return false;
  blob->len = stream->bytes_left;
  return pb_read(stream, blob->bytes, blob->len);
}

/* The jpeg callback of the messages that have one, NULL for the others. */
static pb_callback_t *jpeg_callback(const pb_msgdesc_t *fields, AnyMessage *m) {
  if (fields == edge_capture_v1_PushFrameRequest_fields) return &m->push_frame_request.jpeg;
  if (fields == edge_capture_v1_GetSnapshotResponse_fields) return &m->get_snapshot_response.jpeg;
  return NULL;
}

static void set_canonical_jpeg(void) {
  static const pb_byte_t jpeg[] = {0xFF, 0xD8, 'e', 'd', 'g', 'e', 0x00, 0xFF, 0xD9};
  memcpy(jpeg_blob.bytes, jpeg, sizeof(jpeg));
  jpeg_blob.len = sizeof(jpeg);
}

static void canonical_stream_settings(edge_capture_v1_StreamSettings *s) {
  s->frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_SVGA;
  s->fps = 15;
  s->jpeg_quality = 10;
}

static void canonical_camera(edge_capture_v1_Camera *c, const char *id) {
  strcpy(c->camera_id, id);
  c->state = edge_capture_v1_CameraState_CAMERA_STATE_PAIRED;
  c->source_kind = edge_capture_v1_SourceKind_SOURCE_KIND_PUSH;
  strcpy(c->firmware_version, "1.2.0");
  strcpy(c->pairing_code, "K7Q2");
  strcpy(c->address, "192.0.2.7:49152");
  c->fps = 12.5f;
  c->last_frame_age_ms = -1;
  c->frames_received = 1099511627776ull;
  c->frames_dropped = 3;
  c->frames_corrupt = 2;
  c->frames_oversized = 4;
  c->has_stream_settings = true;
  canonical_stream_settings(&c->stream_settings);
  strcpy(c->repair_code, "R3PA-1RED");
}

static void canonical_camera_controls(edge_capture_v1_CameraControls *c) {
  c->ae_level = -2;
  c->aec_value = 1200;
  c->gain_ceiling = 6;
  c->brightness = 1;
}

static void canonical_command(edge_capture_v1_Command *c, pb_size_t kind) {
  c->which_kind = kind;
  switch (kind) {
    case edge_capture_v1_Command_capture_high_quality_tag:
      c->command_id = 9;
      c->kind.capture_high_quality.frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_UXGA;
      c->kind.capture_high_quality.jpeg_quality = 6;
      break;
    case edge_capture_v1_Command_stream_settings_tag:
      c->command_id = 10;
      canonical_stream_settings(&c->kind.stream_settings);
      break;
    case edge_capture_v1_Command_camera_controls_tag:
      c->command_id = 12;
      canonical_camera_controls(&c->kind.camera_controls);
      break;
    default:
      c->command_id = 11;
      c->kind.show_result.signal = edge_capture_v1_ResultSignal_RESULT_SIGNAL_REJECTED;
      c->kind.show_result.duration_ms = 750;
      break;
  }
}

static void canonical(const pb_msgdesc_t *fields, AnyMessage *m) {
  memset(m, 0, sizeof(*m));
  if (fields == edge_capture_v1_StreamSettings_fields) {
    canonical_stream_settings(&m->stream_settings);
  } else if (fields == edge_capture_v1_HelloRequest_fields) {
    edge_capture_v1_HelloRequest *r = &m->hello_request;
    strcpy(r->camera_id, "esp32cam-a1b2c3d4e5f6");
    strcpy(r->firmware_version, "1.2.0");
    r->device_nonce.size = 16;
    for (int i = 0; i < 16; ++i) r->device_nonce.bytes[i] = (pb_byte_t)(0xF0 + i);
    r->max_frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_UXGA;
    r->has_link_key = true;
    r->hello_nonce.size = 16;
    for (int i = 0; i < 16; ++i) r->hello_nonce.bytes[i] = (pb_byte_t)(0x20 + i);
    r->hello_mac.size = 32;
    for (int i = 0; i < 32; ++i) r->hello_mac.bytes[i] = (pb_byte_t)(0x40 + i);
    r->pairing_commitment.size = 32;
    for (int i = 0; i < 32; ++i) r->pairing_commitment.bytes[i] = (pb_byte_t)(0x60 + i);
    r->pairing_public_key.size = 32;
    for (int i = 0; i < 32; ++i) r->pairing_public_key.bytes[i] = (pb_byte_t)(0x80 + i);
    r->pairing_mac.size = 32;
    for (int i = 0; i < 32; ++i) r->pairing_mac.bytes[i] = (pb_byte_t)(0xA0 + i);
  } else if (fields == edge_capture_v1_HelloResponse_fields) {
    edge_capture_v1_HelloResponse *r = &m->hello_response;
    r->state = edge_capture_v1_CameraState_CAMERA_STATE_PAIRED;
    r->has_settings = true;
    canonical_stream_settings(&r->settings);
    strcpy(r->pairing_code, "K7Q2");
    r->retry_after_ms = 5000;
    r->session_id.size = 8;
    for (int i = 0; i < 8; ++i) r->session_id.bytes[i] = (pb_byte_t)(0x10 + i);
    r->box_public_key.size = 32;
    for (int i = 0; i < 32; ++i) r->box_public_key.bytes[i] = (pb_byte_t)(0x80 + i);
    r->mac.size = 32;
    for (int i = 0; i < 32; ++i) r->mac.bytes[i] = (pb_byte_t)(0xC0 + i);
  } else if (fields == edge_capture_v1_PushFrameRequest_fields) {
    edge_capture_v1_PushFrameRequest *r = &m->push_frame_request;
    strcpy(r->camera_id, "esp32cam-a1b2c3d4e5f6");
    r->sequence = 4000000000u;
    r->captured_at_ms = 86400000123ull;
    r->frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
    r->high_quality = true;
    r->command_id = 9;
    r->session_id.size = 8;
    for (int i = 0; i < 8; ++i) r->session_id.bytes[i] = (pb_byte_t)(0x10 + i);
    r->mac.size = 32;
    for (int i = 0; i < 32; ++i) r->mac.bytes[i] = (pb_byte_t)(0xC0 + i);
  } else if (fields == edge_capture_v1_CaptureHighQuality_fields) {
    m->capture_high_quality.frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_XGA;
    m->capture_high_quality.jpeg_quality = 8;
  } else if (fields == edge_capture_v1_ShowResult_fields) {
    m->show_result.signal = edge_capture_v1_ResultSignal_RESULT_SIGNAL_ACCEPTED;
    m->show_result.duration_ms = 1500;
  } else if (fields == edge_capture_v1_CameraControls_fields) {
    canonical_camera_controls(&m->camera_controls);
  } else if (fields == edge_capture_v1_Command_fields) {
    canonical_command(&m->command, edge_capture_v1_Command_capture_high_quality_tag);
  } else if (fields == edge_capture_v1_PushFrameResponse_fields) {
    edge_capture_v1_PushFrameResponse *r = &m->push_frame_response;
    r->state = edge_capture_v1_CameraState_CAMERA_STATE_REVOKED;
    r->commands_count = 4;
    canonical_command(&r->commands[0], edge_capture_v1_Command_capture_high_quality_tag);
    canonical_command(&r->commands[1], edge_capture_v1_Command_stream_settings_tag);
    canonical_command(&r->commands[2], edge_capture_v1_Command_show_result_tag);
    canonical_command(&r->commands[3], edge_capture_v1_Command_camera_controls_tag);
    r->mac.size = 32;
    for (int i = 0; i < 32; ++i) r->mac.bytes[i] = (pb_byte_t)(0xC0 + i);
  } else if (fields == edge_capture_v1_Camera_fields) {
    canonical_camera(&m->camera, "esp32cam-a1b2c3d4e5f6");
  } else if (fields == edge_capture_v1_ListCamerasResponse_fields) {
    m->list_cameras_response.cameras_count = 2;
    canonical_camera(&m->list_cameras_response.cameras[0], "cam-1");
    canonical_camera(&m->list_cameras_response.cameras[1], "cam-2");
  } else if (fields == edge_capture_v1_ApproveCameraRequest_fields) {
    strcpy(m->approve_camera_request.camera_id, "cam-1");
    strcpy(m->approve_camera_request.pairing_code, "R3PA-1RED");
  } else if (fields == edge_capture_v1_ApproveCameraResponse_fields) {
    m->approve_camera_response.has_camera = true;
    canonical_camera(&m->approve_camera_response.camera, "cam-1");
  } else if (fields == edge_capture_v1_RemoveCameraRequest_fields) {
    strcpy(m->remove_camera_request.camera_id, "cam-2");
  } else if (fields == edge_capture_v1_GetSnapshotRequest_fields) {
    strcpy(m->get_snapshot_request.camera_id, "cam-1");
  } else if (fields == edge_capture_v1_GetSnapshotResponse_fields) {
    m->get_snapshot_response.frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_SXGA;
    m->get_snapshot_response.width = 1280;
    m->get_snapshot_response.height = 1024;
  } else if (fields == edge_capture_v1_RequestCaptureRequest_fields) {
    strcpy(m->request_capture_request.camera_id, "cam-1");
    m->request_capture_request.frame_size = edge_capture_v1_FrameSize_FRAME_SIZE_VGA;
  } else if (fields == edge_capture_v1_RequestCaptureResponse_fields) {
    m->request_capture_response.command_id = 77;
  } else if (fields == edge_capture_v1_AddSourceRequest_fields) {
    strcpy(m->add_source_request.camera_id, "cam-3");
    strcpy(m->add_source_request.url, "http://192.0.2.9:81/stream");
  } else if (fields == edge_capture_v1_AddSourceResponse_fields) {
    m->add_source_response.has_camera = true;
    canonical_camera(&m->add_source_response.camera, "cam-3");
  } else if (fields == edge_capture_v1_UpdateStreamSettingsRequest_fields) {
    strcpy(m->update_stream_settings_request.camera_id, "cam-1");
    m->update_stream_settings_request.has_settings = true;
    canonical_stream_settings(&m->update_stream_settings_request.settings);
  } else if (fields == edge_capture_v1_UpdateStreamSettingsResponse_fields) {
    m->update_stream_settings_response.has_camera = true;
    canonical_camera(&m->update_stream_settings_response.camera, "cam-1");
    m->update_stream_settings_response.command_id = 78;
  }
  /* ListCamerasRequest and RemoveCameraResponse have no fields. */
}

typedef struct {
  const char *name;
  const pb_msgdesc_t *fields;
} MessageType;

#define TYPE(name) {#name, edge_capture_v1_##name##_fields}
static const MessageType kTypes[] = {
    TYPE(StreamSettings),        TYPE(HelloRequest),          TYPE(HelloResponse),
    TYPE(PushFrameRequest),      TYPE(CaptureHighQuality),    TYPE(ShowResult), TYPE(CameraControls),
    TYPE(Command),               TYPE(PushFrameResponse),     TYPE(Camera),
    TYPE(ListCamerasRequest),    TYPE(ListCamerasResponse),   TYPE(ApproveCameraRequest),
    TYPE(ApproveCameraResponse), TYPE(RemoveCameraRequest),   TYPE(RemoveCameraResponse),
    TYPE(GetSnapshotRequest),    TYPE(GetSnapshotResponse),   TYPE(RequestCaptureRequest),
    TYPE(RequestCaptureResponse), TYPE(AddSourceRequest),      TYPE(AddSourceResponse),
    TYPE(UpdateStreamSettingsRequest), TYPE(UpdateStreamSettingsResponse),
};
#define TYPE_COUNT (sizeof(kTypes) / sizeof(kTypes[0]))

static AnyMessage message;
static pb_byte_t buffer[MAX_MESSAGE];

static const MessageType *find_type(const char *name) {
  for (size_t i = 0; i < TYPE_COUNT; ++i) {
    if (strcmp(kTypes[i].name, name) == 0) return &kTypes[i];
  }
  return NULL;
}

/* Encodes `message` as `type` into path. */
static int write_message(const MessageType *type, const char *path) {
  pb_callback_t *jpeg = jpeg_callback(type->fields, &message);
  if (jpeg) {
    jpeg->funcs.encode = &write_blob;
    jpeg->arg = &jpeg_blob;
  }
  pb_ostream_t out = pb_ostream_from_buffer(buffer, sizeof(buffer));
  if (!pb_encode(&out, type->fields, &message)) {
    fprintf(stderr, "%s: encode failed: %s\n", type->name, PB_GET_ERROR(&out));
    return 1;
  }
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(buffer, 1, out.bytes_written, f) != out.bytes_written || fclose(f) != 0) {
    perror(path);
    return 1;
  }
  return 0;
}

static int encode_all(const char *dir) {
  char path[1024];
  for (size_t i = 0; i < TYPE_COUNT; ++i) {
    canonical(kTypes[i].fields, &message);
    set_canonical_jpeg();
    snprintf(path, sizeof(path), "%s/%s.bin", dir, kTypes[i].name);
    if (write_message(&kTypes[i], path) != 0) return 1;
  }
  return 0;
}

static int reencode(const MessageType *type, const char *in_path, const char *out_path) {
  FILE *f = fopen(in_path, "rb");
  if (!f) {
    perror(in_path);
    return 1;
  }
  const size_t len = fread(buffer, 1, sizeof(buffer), f);
  fclose(f);
  memset(&message, 0, sizeof(message));
  jpeg_blob.len = 0;
  pb_callback_t *jpeg = jpeg_callback(type->fields, &message);
  if (jpeg) {
    jpeg->funcs.decode = &read_blob;
    jpeg->arg = &jpeg_blob;
  }
  pb_istream_t in = pb_istream_from_buffer(buffer, len);
  if (!pb_decode(&in, type->fields, &message)) {
    fprintf(stderr, "%s: decode failed: %s\n", type->name, PB_GET_ERROR(&in));
    return 1;
  }
  return write_message(type, out_path);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "list") == 0) {
    for (size_t i = 0; i < TYPE_COUNT; ++i) printf("%s\n", kTypes[i].name);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "encode") == 0) return encode_all(argv[2]);
  if (argc == 5 && strcmp(argv[1], "reencode") == 0) {
    const MessageType *type = find_type(argv[2]);
    if (type) return reencode(type, argv[3], argv[4]);
    fprintf(stderr, "unknown message %s\n", argv[2]);
    return 2;
  }
  fprintf(stderr, "usage: roundtrip list | encode DIR | reencode MESSAGE IN OUT\n");
  return 2;
}
