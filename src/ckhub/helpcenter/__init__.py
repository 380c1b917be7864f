"""The help center: articles reviewed by experts, kept fresh, read by customers and staff."""
