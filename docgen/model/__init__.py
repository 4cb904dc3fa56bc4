"""The plan and what is read beside it: the typed model every reader fills and every writer reads."""
