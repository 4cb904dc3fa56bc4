"""Readers that turn a district's files into the plan model."""
