"""docgen tests: each file mirrors a module or a promise in the README."""
