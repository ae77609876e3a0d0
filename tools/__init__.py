"""Test, fault, load and benchmark tooling: not shipped in the edge-node package."""
