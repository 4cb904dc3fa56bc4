"""The docgen command line (click only): each command calls docgen.api."""
