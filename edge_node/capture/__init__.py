"""Camera capture on the box: push ingest (firmware protocol), pull sources, the live recognition pipeline."""
