"""Alert emails: one digest per run and recipient group of the divergences found since.

Selection. A divergence is *new* while it is unresolved and linked to no alert. The run
keeps those whose kind and scope the config lists (``alerts.kinds``, ``alerts.scopes``)
and whose relative difference |a-b|/max(|a|,|b|) reaches ``alerts.min_relative_difference``
(a figure present on one side only counts as 1.0). One below the threshold stays new and
is looked at again on every run, so lowering the threshold later reports it.

Recipients. An article of site S goes to ``alerts.recipients`` plus
``alerts.site_recipients[S]``; one message is built per distinct recipient set. With no
recipient for a site, its divergences are neither sent nor consumed: they wait, new, until
someone is configured. ``--to-file`` is the exception: it addresses such a digest to the
sender itself (``alerts.sender``, by default triglot@localhost) so a demo without any
mail setup still produces an email to open.

Delivery guarantee: at-least-once, and never two *different* emails for one divergence.
1. The alert row (recipients, subject, Message-ID and the full serialised message) and
   its alert_divergences rows are committed in one transaction BEFORE sending; the unique
   index on alert_divergences.divergence_id makes a divergence part of at most one alert.
2. Then the message is sent, then the row is marked ``sent``.
3. A failed attempt (connection refused, timeout, TLS or authentication error, all
   recipients refused) leaves it ``pending`` with ``last_error`` and ``attempts + 1``;
   the next run retries pending alerts first, until ``alerts.max_attempts``, then the row
   is ``failed`` (its divergences stay claimed; reset the status to pending by SQL to retry).
4. If the process dies after the server accepted the message but before ``sent`` was
   recorded, the next run sends the byte-identical message again, with the same
   Message-ID ``<triglot-alert-<id>-<hash>@<sender domain>>``, which mail systems
   de-duplicate. Exactly-once is impossible over SMTP; this is the closest.
   Two runs retrying the same pending alert at once could both send it (again the same
   bytes): `triglot run`'s lock is what keeps runs from overlapping.

``--to-file DIR`` delivers through the same outbox but writes ``DIR/triglot-alert-<id>.eml``
instead of connecting to SMTP, for new and pending alerts alike, and marks the alert
``written``: the divergences are consumed, exactly as by a real send, so what the demo
shows is what a subscriber would have got, and a later SMTP run does not send it again.
``--dry-run`` prints what would be sent (pending retries and new digests: headers and
text part) and writes nothing.

Article text is untrusted: everything that reaches a header is stripped of control and
line-separator characters before the email package (whose policy also refuses CR/LF in
headers) sees it, and the HTML part is rendered with Jinja2 autoescaping, so no markup
from an article ever reaches it.

The package is split by job: ``text`` (untrusted text), ``select`` (which divergences,
to whom), ``render`` (templates and MIME), ``transport`` (SMTP and files) and ``run``.
"""

from triglot.alerts.render import AlertError, DigestRenderer, parse_message, preview
from triglot.alerts.run import AlertReport, run_alerts
from triglot.alerts.select import (
    Digest,
    plan_digests,
    recipients_for,
    relative_difference,
    select_new,
)
from triglot.alerts.text import Excerpt, clean_text, excerpt, header_text, shorten
from triglot.alerts.transport import DeliveryError, FileTransport, SmtpTransport

__all__ = [
    "AlertError",
    "AlertReport",
    "DeliveryError",
    "Digest",
    "DigestRenderer",
    "Excerpt",
    "FileTransport",
    "SmtpTransport",
    "clean_text",
    "excerpt",
    "header_text",
    "parse_message",
    "plan_digests",
    "preview",
    "recipients_for",
    "relative_difference",
    "run_alerts",
    "select_new",
    "shorten",
]
