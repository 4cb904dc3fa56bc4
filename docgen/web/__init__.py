"""The web app: `docgen serve`. The app factory is docgen.web.app.create_app; nothing here is imported by the CLI."""
