"""Background jobs: the Huey queue, the job table the UI shows, the periodic schedule."""
