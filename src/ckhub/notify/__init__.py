"""Outgoing messages: the durable outbox, e-mail over SMTP, and the admin mail catcher."""
