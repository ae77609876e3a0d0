"""Recognition on the box: templates in SQLite, the in-memory gallery, enrolment and identification."""
