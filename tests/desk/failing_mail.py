"""An e-mail backend whose server is away: every send fails as a dropped connection would."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

tries = []


class AwayBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        tries.extend(message.to[0] for message in email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
