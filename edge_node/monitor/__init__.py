"""`edge-node monitor`: a terminal dashboard of one node, fed by NodeService.WatchStatus."""
