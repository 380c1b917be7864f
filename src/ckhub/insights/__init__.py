"""Voice-of-customer insights: topics, trends and the dashboards that show them."""
