"""The state view (placeholder)."""
ROUTES = []
