"""The landing page staff see after signing in."""
