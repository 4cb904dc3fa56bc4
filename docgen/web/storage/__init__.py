"""The web app's SQLite storage: every SQL statement of the app lives in this package."""
