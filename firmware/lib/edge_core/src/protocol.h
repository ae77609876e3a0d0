// The camera side of edge.capture.v1.CaptureService: nanopb bodies for Hello / PushFrame, reply
// decoding and Connect error parsing.
#pragma once

#include <pb.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.pb.h"
#include "http_client.h"
#include "ports.h"

namespace edge {

constexpr const char kHelloPath[] = "/edge.capture.v1.CaptureService/Hello";
constexpr const char kPushFramePath[] = "/edge.capture.v1.CaptureService/PushFrame";
constexpr const char kProtoContentType[] = "application/proto";

// A request body that nanopb encodes directly into the socket.
class ProtoBody : public Body {
 public:
  ProtoBody(const pb_msgdesc_t* fields, const void* message) : fields_(fields), message_(message) {}
  size_t size() const override;
  bool write_to(ByteSink& sink) const override;

 private:
  const pb_msgdesc_t* fields_;
  const void* message_;
};

// Makes the request's jpeg field stream from frame's buffer; frame must outlive the encoding.
void bind_jpeg(edge_capture_v1_PushFrameRequest& request, const Frame& frame);

bool decode_message(const uint8_t* data, size_t len, const pb_msgdesc_t* fields, void* message);

// Extracts "code" from a Connect error body {"code": "...", "message": "..."}; false if absent.
bool connect_error_code(const uint8_t* body, size_t len, char* code, size_t cap);

}  // namespace edge
