"""The official template variants (one folder each), shipped as package data."""
