"""Product-usage events and the per-customer signals computed from them."""
