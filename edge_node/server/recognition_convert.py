"""Conversions from recognition results to their protobuf messages."""
from __future__ import annotations

from edge_node.gen.edge.recognition.v1 import recognition_pb2 as pb
from edge_node.attendance.log import ScanResult
from edge_node.checkin.camera_enrolment import EnrolmentProgress
from edge_node.recognition.engine import EnrollOutcome, RecognizeOutcome
from edge_node.recognition.templates import TemplateRecord
from edge_node.server.attendance_convert import event_to_pb, summary_to_pb
from edge_node.wire.timestamps import to_timestamp
from edge_node.gen.edge.attendance.v1 import attendance_pb2
from edge_node.vision.types import Detection, FaceResult, Liveness, Quality


def quality_to_pb(quality: Quality) -> pb.Quality:
    return pb.Quality(ok=quality.ok, issues=[pb.QualityIssue.Value(f"QUALITY_ISSUE_{i.value}") for i in quality.issues],
                      reason=quality.reason, eye_distance=quality.eye_distance, sharpness=quality.sharpness,
                      yaw_degrees=quality.yaw_degrees)


def liveness_to_pb(liveness: Liveness) -> pb.Liveness:
    return pb.Liveness(checked=liveness.checked, live=liveness.live, score=liveness.score)


def detection_fields(det: Detection) -> dict:
    box = det.box
    return {"box": pb.Box(x=box.x, y=box.y, width=box.width, height=box.height),
            "landmarks": [pb.Point(x=float(x), y=float(y)) for x, y in det.landmarks],
            "detection_score": det.score}


def face_to_pb(face: FaceResult, names: dict[str, str]) -> pb.Face:
    return pb.Face(**detection_fields(face.detection), quality=quality_to_pb(face.quality),
                   liveness=liveness_to_pb(face.liveness), decision=pb.Decision.Value(f"DECISION_{face.decision.value}"),
                   matches=[pb.Match(person_id=m.person_id, display_name=names.get(m.person_id, ""), score=m.score)
                            for m in face.matches])


def recognize_to_pb(outcome: RecognizeOutcome, scan: ScanResult | None) -> pb.RecognizeResponse:
    result = outcome.result
    attendance = None
    if scan is not None:
        attendance = attendance_pb2.RecordScanResponse(
            event=event_to_pb(scan.event), summary=summary_to_pb(scan.summary) if scan.summary else None)
    return pb.RecognizeResponse(decision=pb.Decision.Value(f"DECISION_{result.decision.value}"),
                                faces=[face_to_pb(f, outcome.names) for f in result.faces],
                                image_width=result.image_width, image_height=result.image_height, attendance=attendance)


def enroll_to_pb(outcome: EnrollOutcome) -> pb.EnrollResponse:
    return pb.EnrollResponse(template_count=outcome.template_count, results=[
        pb.EnrollResult(index=item.index, accepted=bool(item.template_id), template_id=item.template_id,
                        reason=item.enrollment.reason, quality=quality_to_pb(item.enrollment.quality))
        for item in outcome.items])


def template_to_pb(record: TemplateRecord) -> pb.Template:
    return pb.Template(template_id=record.template_id, person_id=record.person_id, model_id=record.model_id,
                       created_at=to_timestamp(record.created_at), kind=record.kind, source=record.source,
                       learned_from_event=record.event_id or 0)


def enrolment_progress_to_pb(progress: EnrolmentProgress) -> pb.EnrollFromCameraResponse:
    return pb.EnrollFromCameraResponse(
        state=pb.EnrollmentState.Value(f"ENROLLMENT_STATE_{progress.state}"), guidance=progress.guidance,
        accepted_frames=progress.accepted, needed_frames=progress.needed, reason=progress.reason,
        template_count=progress.template_count)
