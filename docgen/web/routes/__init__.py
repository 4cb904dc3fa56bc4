"""Routes grouped by who uses them: signing in (everyone), a district's plan, consultants, admins."""
