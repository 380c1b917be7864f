"""Mail transports behind one small interface, chosen by settings."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Protocol

from ckhub.notify.models import OutboxMessage
from ckhub.notify.unsubscribe import unsubscribe_url
from ckhub.settings import Settings

# Bilingual, because the recipient's language is not known to the transport.
UNSUBSCRIBE_FOOTER = "退订此类邮件 / Unsubscribe from these e-mails:"


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver or raise: PermanentFailure for a refusal, any other error to retry later."""


class SmtpTransport:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        settings = self.settings
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _text in refused.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {codes}") from refused
            raise
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as refused:
            if refused.smtp_code >= 500:
                raise PermanentFailure(f"{refused.smtp_code} {refused.smtp_error!r}") from refused
            raise


def make_transport(settings: Settings) -> MailTransport | None:
    """The configured transport, or None: then messages are kept in the outbox."""
    return SmtpTransport(settings) if settings.smtp_host else None


def build_email(settings: Settings, outgoing: OutboxMessage) -> EmailMessage:
    """The e-mail for an outbox message, with an unsubscribe link (RFC 2369)."""
    link = unsubscribe_url(settings, outgoing.to_address, outgoing.category)
    message = EmailMessage()
    message["From"] = settings.mail_from
    to = outgoing.to_address
    message["To"] = formataddr((outgoing.to_name, to)) if outgoing.to_name else to
    message["Subject"] = outgoing.subject
    message["Message-ID"] = make_msgid(idstring=f"ckhub-{outgoing.id}")
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{link}>"
    message.set_content(f"{outgoing.body_text.rstrip()}\n\n-- \n{UNSUBSCRIBE_FOOTER}\n{link}\n")
    return message
