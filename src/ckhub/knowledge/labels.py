"""Display names of the knowledge base's fixed vocabularies (translated where shown)."""

from __future__ import annotations

from ckhub.i18n_marker import N_

CHANNEL_LABELS = {
    "ticket": N_("Ticket"),
    "call": N_("Call"),
    "chat": N_("Chat"),
    "email": N_("E-mail message"),
    "sales_note": N_("Sales note"),
    "social": N_("Social media"),
    "ecommerce": N_("E-commerce review"),
    "usage": N_("Product usage"),
    "meeting": N_("Meeting notes"),
    "other": N_("Other"),
}
VISIBILITY_LABELS = {
    "public": N_("Public"),
    "customers": N_("Signed-in customers"),
    "internal": N_("Internal"),
    "team": N_("Team only"),
}
LANGUAGE_LABELS = {"zh": N_("Chinese"), "en": N_("English"), "other": N_("Other")}
FACET_LABELS = {
    "channel": N_("Channel"),
    "product_line_id": N_("Product line"),
    "issue_type_id": N_("Issue type"),
    "tier_id": N_("Customer tier"),
    "language": N_("Language"),
}
UPLOAD_KIND_LABELS = {
    "table": N_("A table of entries (CSV, TSV, Excel, JSON, JSON lines)"),
    "zendesk": N_("Zendesk tickets export (.json)"),
    "email": N_("E-mail (.eml message or .mbox mailbox)"),
    "transcript": N_("Call or chat transcript (.txt, .vtt, .srt)"),
    "meeting": N_("Meeting notes (.md, .txt)"),
    "usage": N_("Product-usage events (CSV, Excel, JSON lines)"),
}
