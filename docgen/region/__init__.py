"""A region's many plans at once: a folder of workbooks built (batch), an August mailbox read (intake)."""
