"""Server processes: the authenticated action server."""
